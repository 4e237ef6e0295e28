package web

import (
	"net/http"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// The case page's part of groups that answer through a link: whether the
// person agrees to their details going to community groups, the links
// sent about each connection with their answers, and the form that sends
// a group a link.

// answerLinksArea is what the connections area shows of links to groups.
type answerLinksArea struct {
	// CanShare: the reader may record the person's answer about sharing
	// (they may change the person's record).
	CanShare bool
	// Share is the person's latest answer about sharing their details
	// with community groups; Asked is false when none is recorded.
	Share linkwork.Consent
	Asked bool
	links []*linkwork.AnswerLink
	now   time.Time
	// contacts are where a link to each connection's group would go.
	contacts map[string]linkwork.GroupContact
}

// Links are the links sent about connection id, oldest first.
func (a caseConnectionsArea) Links(id string) []*linkwork.AnswerLink {
	var out []*linkwork.AnswerLink
	for _, l := range a.Answers.links {
		if l.ConnectionID == id {
			out = append(out, l)
		}
	}
	return out
}

// linksPart is what a connection shows of its links: those sent, and the
// form that sends one (nil when the reader may not).
type linksPart struct {
	Links []*linkwork.AnswerLink
	Form  *linkForm
	Now   time.Time
}

// LinksPart is connection c's links and form.
func (a caseConnectionsArea) LinksPart(c *linkwork.Connection) linksPart {
	return linksPart{Links: a.Links(c.ID), Form: a.LinkForm(c), Now: a.Answers.now}
}

// Shares reports whether the person agreed that their details may go
// to community groups.
func (a caseConnectionsArea) Shares() bool { return a.Answers.Asked && a.Answers.Share.Given }

// HandsOver reports whether any of the case's connections hands the
// person over to a group, so that sharing their details matters.
func (p *casePage) HandsOver() bool {
	for _, c := range p.Connections {
		if c.Level.HandsOver() {
			return true
		}
	}
	return false
}

// ShareOptions are the answers to the question about sharing.
func (a caseConnectionsArea) ShareOptions() []option {
	return []option{
		{Value: "self", Label: "Yes, they agree"},
		{Value: "parent", Label: "Yes, their parent or carer agrees for them"},
		{Value: "no", Label: "No, they do not agree"},
	}
}

// linkForm is the form that sends a connection's group a link to answer,
// and, when it came back with problems, what was sent and what is wrong.
type linkForm struct {
	ID, Action, Question, Group string
	Channel, Email, Mobile      string
	Channels                    []option
	ChannelErr, EmailErr        string
	MobileErr                   string
}

// LinkForm is the form for connection c, or nil when the reader may not
// send its group a link, or there is nothing to ask.
func (a caseConnectionsArea) LinkForm(c *linkwork.Connection) *linkForm {
	q, ok := linkwork.QuestionFor(c.Status)
	if !a.CanMove || !c.Level.HandsOver() || !ok {
		return nil
	}
	g := a.Answers.contacts[c.ID]
	f := &linkForm{ID: c.ID, Action: "/cases/" + c.CaseID + "/connections/" + c.ID + "/answer-links", Question: q.Label(), Group: g.Group,
		Email: g.Email, Mobile: g.Mobile}
	for _, ch := range linkwork.LinkChannels {
		f.Channels = append(f.Channels, option{Value: string(ch), Label: ch.Label()})
	}
	if f.Email != "" || f.Mobile == "" {
		f.Channel = string(linkwork.LinkEmail)
	} else {
		f.Channel = string(linkwork.LinkText)
	}
	if a.FormConn != c.ID {
		return f
	}
	f.Channel, f.Email, f.Mobile = a.Form["link_channel"], a.Form["link_email"], a.Form["link_mobile"]
	for _, e := range a.errs {
		switch e.Field {
		case "link_channel-" + c.ID:
			f.ChannelErr = e.Message
		case "link_email-" + c.ID:
			f.EmailErr = e.Message
		case "link_mobile-" + c.ID:
			f.MobileErr = e.Message
		}
	}
	return f
}

// loadAnswerLinks fills the links sent about the case's connections,
// where links to their groups would go, and the person's answer about
// sharing.
func (s *Server) loadAnswerLinks(r *http.Request, p *casePage) error {
	a := &p.Conn.Answers
	a.now = p.Now
	if s.svc.AnswerLinks == nil {
		return nil
	}
	a.CanShare = auth.Can(currentUser(r).Actor(), auth.ActionUpdate, auth.Record{Kind: auth.KindPerson, ServiceOrgID: p.Person.ServiceOrgID})
	a.Share, a.Asked = p.Person.ConsentFor(linkwork.ConsentShareCommunity)
	if !p.HandsOver() {
		return nil
	}
	var err error
	if a.links, err = s.svc.AnswerLinks.FindAnswerLinks(r.Context(), p.Case.ID); err != nil {
		return err
	}
	if !p.Conn.CanMove {
		return nil
	}
	contacts, err := s.svc.AnswerLinks.FindGroupContacts(r.Context(), p.Case.ID)
	if err != nil {
		return err
	}
	a.contacts = map[string]linkwork.GroupContact{}
	for _, g := range contacts {
		a.contacts[g.ConnectionID] = g
	}
	return nil
}

func init() {
	caseNotices["share-answered"] = "Their answer about sharing their details has been recorded"
	caseNotices["link-sent"] = "The link is on its way to the group. Their answer will show here."
}

// routesAnswerLinks registers the forms and API routes of groups that
// answer through a link: the link worker's, and the group's (public: the
// token is the credential).
func (s *Server) routesAnswerLinks() {
	s.handle("POST", "/cases/{id}/consents", may(auth.UpdatePeople), s.shareConsentSubmit)
	s.handle("POST", "/cases/{id}/connections/{conn}/answer-links", may(auth.WorkConnections), s.sendLinkSubmit)
	s.handle("POST", "/api/v1/people/{id}/consents", may(auth.UpdatePeople), s.idempotent(s.apiAddConsent))
	s.handle("POST", "/api/v1/connections/{id}/answer-links", may(auth.WorkConnections), s.idempotent(s.apiSendAnswerLink))
	s.handle("GET", "/api/v1/cases/{id}/answer-links", may(auth.ReadCases), s.apiAnswerLinks)
	s.handle("GET", "/answer/{token}", public, s.groupAnswerPage)
	s.handle("POST", "/answer/{token}", public, s.groupAnswerSubmit)
	s.handle("GET", "/api/v1/answer/{token}", public, s.apiAnswerLink)
	s.handle("POST", "/api/v1/answer/{token}", public, s.apiAnswer)
}

// shareConsentSubmit records the person's answer about sharing their
// details with community groups.
func (s *Server) shareConsentSubmit(w http.ResponseWriter, r *http.Request) {
	c := &linkwork.Consent{Kind: linkwork.ConsentShareCommunity, Given: true, Note: strings.TrimSpace(r.PostFormValue("share_note"))}
	switch r.PostFormValue("share_consent") {
	case "self":
		c.GivenBy = "self"
	case "parent":
		c.GivenBy = "parent/guardian"
	case "no":
		c.GivenBy, c.Given = "self", false
	default:
		s.connProblem(w, r, linkwork.FieldErr("share_consent", "Choose whether they agree that we share their details with groups"), nil, "share_consent", "")
		return
	}
	k, err := s.svc.Cases.FindCaseByID(r.Context(), r.PathValue("id"))
	if err == nil {
		err = s.svc.People.AddConsent(r.Context(), k.PersonID, c)
	}
	if err != nil {
		s.connProblem(w, r, err, map[string]string{"note": "share_note"}, "share_consent", "")
		return
	}
	backToCase(w, r, "share-answered", "sharing")
}

// sendLinkSubmit sends a connection's group a link to answer.
func (s *Server) sendLinkSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("conn")
	req := &linkwork.AnswerLinkRequest{Channel: linkwork.LinkChannel(r.PostFormValue("link_channel"))}
	to := "link_channel-" + id
	switch req.Channel {
	case linkwork.LinkEmail:
		req.To, to = r.PostFormValue("link_email"), "link_email-"+id
	case linkwork.LinkText:
		req.To, to = r.PostFormValue("link_mobile"), "link_mobile-"+id
	}
	if _, err := s.svc.AnswerLinks.SendAnswerLink(r.Context(), id, req); err != nil {
		s.connProblem(w, r, err, map[string]string{"channel": "link_channel-" + id, "to": to, "consent": "share_consent"}, "link_channel-"+id, id)
		return
	}
	backToCase(w, r, "link-sent", "connection-"+id)
}
