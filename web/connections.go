package web

import (
	"net/http"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// caseConnectionsArea is the case page's area for connecting the person
// to activities: the connections, each one's dated history and the moves
// it allows, and the form that adds an activity.
type caseConnectionsArea struct {
	// CanMake, CanMove and CanLogGap: what the reader may do, as the
	// policy decides.
	CanMake, CanMove, CanLogGap bool
	// Query is what the listing search asked for; Found the listings it
	// found, to choose from.
	Query string
	Found []option
	// Suggest is set when the reader asked for suggestions (?suggest=1):
	// ranking the directory for the person searches it twice, so the case
	// page, opened many times a day, does so only when asked.
	Suggest bool
	// Suggestions are the activities ranked for the person, best first,
	// for those who may add one, when asked for.
	Suggestions []linkwork.Suggestion
	// moves are the connections' histories, oldest first.
	moves []*linkwork.ConnectionMove
	// stages are the phased hand-overs' stages, in order; views the
	// person's views of the activities they went to.
	stages []*linkwork.ConnectionStage
	views  []*linkwork.ConnectionView
	// details are when the person was given each activity's details.
	details []*linkwork.ConnectionDetails
	// casework is the service's settings, which say when to ask whether
	// a signposted person went.
	casework linkwork.CaseworkSettings
	// SendBy is how the details would be sent to the person ("text
	// message"), "" when they have chosen no way a message can take.
	SendBy string
	// Funds are the requests to the service's funds towards the
	// connections, and the funds open to ask.
	Funds caseFunds
	// Answers is what the area shows of links to groups, and the
	// person's answer about sharing their details with them.
	Answers answerLinksArea
	// Form holds what a form sent back with problems; FormConn is the
	// connection whose move form it was ("" for the add form).
	Form     map[string]string
	FormConn string
	errs     []linkwork.FieldError
}

// shortlist is how many suggestions the case page shows.
const shortlist = 5

// activityResults is how many listings a search on the case page offers.
const activityResults = 20

// V is the value a form sent, for re-showing it.
func (a caseConnectionsArea) V(name string) string { return a.Form[name] }

// History is the moves of connection id, oldest first.
func (a caseConnectionsArea) History(id string) []*linkwork.ConnectionMove {
	var out []*linkwork.ConnectionMove
	for _, m := range a.moves {
		if m.ConnectionID == id {
			out = append(out, m)
		}
	}
	return out
}

// Levels are the connection levels to choose from, each in plain words.
func (a caseConnectionsArea) Levels() []option {
	return []option{
		{Value: string(linkwork.LevelSignpost), Label: "Signpost", Hint: "They get the details and go themselves"},
		{Value: string(linkwork.LevelRefer), Label: "Refer", Hint: "You contact the group for them"},
		{Value: string(linkwork.LevelBuddy), Label: "Buddy", Hint: "You go with them the first time"},
		{Value: string(linkwork.LevelPhased), Label: "Phased", Hint: "You go with them, then step back in stages"},
	}
}

func declineReasonOptions() []option {
	out := []option{{Value: "", Label: "Choose a reason"}}
	for _, r := range linkwork.DeclineReasons {
		out = append(out, option{Value: string(r), Label: r.Label()})
	}
	return out
}

// moveOptions are the moves a connection in status s allows, for the
// radios of its form; answers only keeps those an organisation answers.
func moveOptions(s linkwork.ConnectionStatus, answersOnly bool) []option {
	var out []option
	for _, t := range s.Moves() {
		if answersOnly && !t.Answers() {
			continue
		}
		out = append(out, option{Value: string(t), Label: t.Label()})
	}
	return out
}

// MoveForm is the form for the moves the reader may make to connection
// c; it has no moves when they may make none.
func (a caseConnectionsArea) MoveForm(c *linkwork.Connection) moveForm {
	var moves []option
	if a.CanMove {
		moves = moveOptions(c.Status, false)
	}
	return newMoveForm(c, "/cases/"+c.CaseID+"/connections/"+c.ID+"/moves", moves, a.FormConn, a.Form, a.errs)
}

// loadCaseConnections fills the case page's connections area.
func (s *Server) loadCaseConnections(r *http.Request, p *casePage) error {
	ctx := r.Context()
	a := &p.Conn
	a.errs = p.Errors
	actor := currentUser(r).Actor()
	rec := auth.Record{Kind: auth.KindConnection, ServiceOrgID: p.Case.ServiceOrgID, LinkWorkerID: p.Case.LinkWorkerID}
	a.CanMake = auth.Can(actor, auth.ActionCreate, rec) && p.Case.Status != linkwork.CaseClosed
	a.CanMove = auth.Can(actor, auth.ActionUpdate, rec)
	a.CanLogGap = auth.Can(actor, auth.ActionCreate, auth.Record{Kind: auth.KindGap, ServiceOrgID: p.Case.ServiceOrgID, LinkWorkerID: p.Case.LinkWorkerID})
	var err error
	if p.Connections, _, err = s.svc.Connections.FindConnections(ctx, linkwork.ConnectionFilter{CaseID: p.Case.ID}); err != nil {
		return err
	}
	if len(p.Connections) > 0 {
		if a.moves, err = s.svc.Connections.FindConnectionMoves(ctx, p.Case.ID); err != nil {
			return err
		}
		if err := s.loadStagesAndViews(r, p); err != nil {
			return err
		}
		if err := s.loadDetails(r, p); err != nil {
			return err
		}
		if err := s.loadCaseFunds(r, p); err != nil {
			return err
		}
	}
	if err := s.loadAnswerLinks(r, p); err != nil {
		return err
	}
	a.Suggest = r.URL.Query().Get("suggest") != ""
	if a.CanMake && a.Suggest {
		if a.Suggestions, err = s.svc.Connections.FindSuggestions(ctx, p.Case.ID, shortlist); err != nil {
			return err
		}
	}
	a.Query = strings.TrimSpace(r.URL.Query().Get("activity"))
	if a.Query == "" {
		a.Query = strings.TrimSpace(a.V("activity"))
	}
	if a.CanMake && a.Query != "" {
		found, _, err := s.svc.Assets.FindAssets(ctx, linkwork.AssetFilter{Query: a.Query, Limit: activityResults})
		if err != nil {
			return err
		}
		for _, m := range found {
			a.Found = append(a.Found, option{Value: m.Asset.ID, Label: m.Asset.Name})
		}
	}
	return nil
}

func init() {
	caseNotices["connected"] = "Activity added: it is suggested until you contact the group or they go"
	caseNotices["conn-moved"] = "Connection updated"
}

// routesConnections registers the connection pages' forms and API routes.
func (s *Server) routesConnections() {
	s.handle("POST", "/cases/{id}/connections", may(auth.MakeConnections), s.connectSubmit)
	s.handle("POST", "/cases/{id}/connections/{conn}/moves", may(auth.WorkConnections), s.caseMoveSubmit)
	s.handle("POST", "/connections/{id}/moves", may(auth.MoveConnections), s.answerSubmit)
	s.handle("POST", "/api/v1/cases/{id}/connections", may(auth.MakeConnections), s.idempotent(s.apiAddConnection))
	s.handle("POST", "/api/v1/connections/{id}/moves", may(auth.MoveConnections), s.apiMoveConnection)
	s.handle("GET", "/api/v1/cases/{id}/suggestions", may(auth.ReadCases), s.apiSuggestions)
}

// connProblem re-shows the case page with a connection form's problems,
// the store's field names renamed to the form's. A problem that is not
// about the form fails as usual.
func (s *Server) connProblem(w http.ResponseWriter, r *http.Request, err error, names map[string]string, fallback, conn string) {
	if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
		s.fail(w, r, false, err)
		return
	}
	errs := renamedErrors(err, names, fallback)
	form := map[string]string{}
	for k, v := range r.PostForm {
		if len(v) > 0 {
			form[k] = v[0]
		}
	}
	p := &casePage{Layout: Layout{Errors: errs}}
	p.Conn.Form, p.Conn.FormConn = form, conn
	s.showCase(w, r, ErrorStatus(err), p)
}

// renamedErrors are err's problems with the store's field names renamed to
// a form's (names), any other on the fallback field.
func renamedErrors(err error, names map[string]string, fallback string) []linkwork.FieldError {
	var errs []linkwork.FieldError
	for _, e := range linkwork.ErrorFields(err) {
		if n, ok := names[e.Field]; ok {
			e.Field = n
		} else {
			e.Field = fallback
		}
		errs = append(errs, e)
	}
	if len(errs) == 0 {
		errs = []linkwork.FieldError{{Field: fallback, Message: linkwork.ErrorMessage(err)}}
	}
	return errs
}

func (s *Server) connectSubmit(w http.ResponseWriter, r *http.Request) {
	c := &linkwork.Connection{CaseID: r.PathValue("id"), AssetID: r.PostFormValue("asset_id"), Level: linkwork.ConnectionLevel(r.PostFormValue("level")),
		Note: strings.TrimSpace(r.PostFormValue("conn_note"))}
	if err := s.svc.Connections.CreateConnection(r.Context(), c); err != nil {
		s.connProblem(w, r, err, map[string]string{"asset_id": "asset_id", "level": "level", "note": "conn_note"}, "asset_id", "")
		return
	}
	http.Redirect(w, r, "/cases/"+c.CaseID+"?done=connected#connections", http.StatusSeeOther)
}

// postedMove is the move a connection's form asks for: the reason is the
// decline's code or the drop's words, by the move chosen.
func postedMove(r *http.Request) linkwork.ConnectionMove {
	m := linkwork.ConnectionMove{To: linkwork.ConnectionStatus(r.PostFormValue("to")), Version: postedVersion(r), Note: strings.TrimSpace(r.PostFormValue("note"))}
	switch m.To {
	case linkwork.ConnDeclined:
		m.Reason = r.PostFormValue("decline_reason")
	case linkwork.ConnDropped:
		m.Reason = strings.TrimSpace(r.PostFormValue("drop_reason"))
	}
	return m
}

// moveFieldNames are a move form's fields for connection id, by the
// store's names.
func moveFieldNames(id string, m linkwork.ConnectionMove) map[string]string {
	reason := "decline_reason-" + id
	if m.To == linkwork.ConnDropped {
		reason = "drop_reason-" + id
	}
	return map[string]string{"to": "to-" + id, "reason": reason, "note": "note-" + id}
}

func (s *Server) caseMoveSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("conn")
	m := postedMove(r)
	if _, err := s.svc.Connections.MoveConnection(r.Context(), id, m); err != nil {
		names := moveFieldNames(id, m)
		names["consent"] = "share_consent" // the answer about sharing, recorded above the connections
		s.connProblem(w, r, err, names, "to-"+id, id)
		return
	}
	http.Redirect(w, r, "/cases/"+r.PathValue("id")+"?done=conn-moved#connections", http.StatusSeeOther)
}

// answerSubmit is an organisation's answer to a referral, from
// "People referred to us".
func (s *Server) answerSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	m := postedMove(r)
	if _, err := s.svc.Connections.MoveConnection(r.Context(), id, m); err != nil {
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		form := map[string]string{}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				form[k] = v[0]
			}
		}
		s.showConnections(w, r, ErrorStatus(err), &connectionsPage{Layout: Layout{Errors: renamedErrors(err, moveFieldNames(id, m), "to-"+id)}, Form: form, FormConn: id})
		return
	}
	http.Redirect(w, r, "/connections?done=answered", http.StatusSeeOther)
}

func (s *Server) apiAddConnection(w http.ResponseWriter, r *http.Request) {
	var in connectionIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	c := &linkwork.Connection{CaseID: r.PathValue("id"), AssetID: in.AssetID, Level: in.Level, Note: in.Note}
	if err := s.svc.Connections.CreateConnection(r.Context(), c); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/connections?case_id="+c.CaseID)
	writeJSON(w, http.StatusCreated, connectionOut(c))
}

func (s *Server) apiMoveConnection(w http.ResponseWriter, r *http.Request) {
	var in connectionMoveIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	c, err := s.svc.Connections.MoveConnection(r.Context(), r.PathValue("id"), linkwork.ConnectionMove{To: in.To, Version: in.Version, Reason: in.Reason, Note: in.Note})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, connectionOut(c))
}

// moveForm is the form that moves one connection on: the moves allowed,
// and, when it came back with problems, what was sent and what is wrong.
type moveForm struct {
	ID, Action string
	Version    int
	Moves      []option
	Reasons    []option
	// Drops: dropping is among the moves, so the form asks why.
	Drops                               bool
	To, Decline, Drop, Note             string
	ToErr, DeclineErr, DropErr, NoteErr string
}

// newMoveForm is the form for connection c posting to action, with the
// moves offered; form and errs are what came back when it was the one
// sent (formConn).
func newMoveForm(c *linkwork.Connection, action string, moves []option, formConn string, form map[string]string, errs []linkwork.FieldError) moveForm {
	f := moveForm{ID: c.ID, Action: action, Version: c.Version, Moves: moves, Reasons: declineReasonOptions()}
	for _, o := range moves {
		if o.Value == string(linkwork.ConnDropped) {
			f.Drops = true
		}
	}
	if formConn != c.ID {
		return f
	}
	f.To, f.Decline, f.Drop, f.Note = form["to"], form["decline_reason"], form["drop_reason"], form["note"]
	for _, e := range errs {
		switch e.Field {
		case "to-" + c.ID:
			f.ToErr = e.Message
		case "decline_reason-" + c.ID:
			f.DeclineErr = e.Message
		case "drop_reason-" + c.ID:
			f.DropErr = e.Message
		case "note-" + c.ID:
			f.NoteErr = e.Message
		}
	}
	return f
}

func (s *Server) apiSuggestions(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Connections.FindSuggestions(r.Context(), r.PathValue("id"), shortlist)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := suggestionListJSON{Items: []suggestionJSON{}}
	for _, sg := range list {
		out.Items = append(out.Items, suggestionJSON{AssetID: sg.AssetID, Name: sg.Name, Score: sg.Score, Reasons: append([]string{}, sg.Reasons...)})
	}
	writeJSON(w, http.StatusOK, out)
}
