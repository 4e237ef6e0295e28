package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// caseSessionsArea is the case page's area for first contact and
// sessions: contact attempts, sessions, booking the next session and its
// reminders, and the messages to the person.
type caseSessionsArea struct {
	Contacts []*linkwork.Contact
	Bookings []*linkwork.Contact // sessions booked ahead, still to record
	Messages []*linkwork.PersonMessage
	First    linkwork.FirstContact
	Attended int
	Planned  int

	// The forms: their values after a failed submit, and which is open.
	Attempt, Session, Book contactForm
	Record                 recordForm
	Open                   string

	AttemptModes, SessionModes, AttemptOutcomes, SessionOutcomes, Places []option
}

// contactForm is a contact being recorded on the page; its fields are
// named with the form's prefix (attempt-, session-, book-) so that the
// error summary's links land on the right form.
type contactForm struct {
	Date                                []string
	Time, Mode, Place, Outcome, Minutes string
	Notes                               string
	// Discuss marks the note to discuss at supervision.
	Discuss bool
}

// recordForm records what happened to one booking.
type recordForm struct {
	ContactID, Outcome, Minutes, Notes string
}

func modeOptions(list []linkwork.ContactMode) []option {
	out := make([]option, len(list))
	for i, m := range list {
		out[i] = option{Value: string(m), Label: m.Label()}
	}
	return out
}

func outcomeOptions(list []linkwork.ContactOutcome) []option {
	out := make([]option, len(list))
	for i, o := range list {
		out[i] = option{Value: string(o), Label: o.Label()}
	}
	return out
}

// loadCaseSessions fills the case page's sessions area for p.Case.
func (s *Server) loadCaseSessions(r *http.Request, p *casePage) error {
	a := &p.Sessions
	var err error
	if a.Contacts, err = s.svc.Cases.FindContacts(r.Context(), p.Case.ID); err != nil {
		return err
	}
	if a.Messages, err = s.svc.Messages.FindMessages(r.Context(), p.Case.ID); err != nil {
		return err
	}
	a.Bookings = nil
	for _, c := range a.Contacts {
		if c.Outcome == linkwork.ContactBooked {
			a.Bookings = append(a.Bookings, c)
		}
	}
	a.First = linkwork.FirstContactOf(p.Case, a.Contacts, p.Settings.Casework, s.cfg.Now())
	a.Attended = linkwork.SessionsAttended(a.Contacts)
	a.Planned = linkwork.PlannedOf(p.Case, p.Settings.Casework)
	a.AttemptModes, a.SessionModes = modeOptions(linkwork.AttemptModes), modeOptions(linkwork.SessionModes)
	a.AttemptOutcomes, a.SessionOutcomes = outcomeOptions(linkwork.AttemptOutcomes), outcomeOptions(linkwork.SessionOutcomes)
	a.Places = []option{{Value: "", Label: "Choose a place"}}
	for _, pl := range linkwork.SessionPlaces {
		a.Places = append(a.Places, option{Value: string(pl), Label: pl.Label()})
	}
	for _, f := range []*contactForm{&a.Attempt, &a.Session, &a.Book} {
		if f.Date == nil {
			f.Date = []string{"", "", ""}
		}
	}
	return nil
}

// routesCaseSessions registers the sessions area's pages and API routes.
func (s *Server) routesCaseSessions() {
	s.handle("POST", "/cases/{id}/contacts", may(auth.WorkCases), s.caseContactSubmit)
	s.handle("POST", "/cases/{id}/contacts/{contact}/record", may(auth.WorkCases), s.caseRecordSubmit)
	s.handle("GET", "/cases/{id}/messages/{message}/letter", may(auth.ReadCases), s.caseLetterPage)
	s.handle("POST", "/cases/{id}/messages/{message}/printed", may(auth.WorkCases), s.caseMessagePrintedSubmit)
	s.handle("GET", "/api/v1/cases/{id}/contacts", may(auth.ReadCases), s.apiListContacts)
	s.handle("POST", "/api/v1/cases/{id}/contacts", may(auth.WorkCases), s.idempotent(s.apiAddContact))
	s.handle("PUT", "/api/v1/contacts/{id}", may(auth.WorkCases), s.apiRecordSession)
	s.handle("GET", "/api/v1/cases/{id}/messages", may(auth.ReadCases), s.apiListMessages)
}

func init() {
	caseNotices["attempt"] = "Contact attempt recorded"
	caseNotices["session"] = "Session recorded"
	caseNotices["booked"] = "Session booked"
	caseNotices["recorded"] = "Booked session recorded"
	caseNotices["printed"] = "Letter marked as printed"
}

// parseClock reads a time of day typed by a person: 14:30, 2:30pm, 2pm,
// 9.15.
func parseClock(s string) (h, m int, ok bool) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	pm, am := strings.HasSuffix(s, "pm"), strings.HasSuffix(s, "am")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "pm"), "am")
	hs, ms, found := strings.Cut(strings.ReplaceAll(s, ".", ":"), ":")
	var err1, err2 error
	h, err1 = strconv.Atoi(hs)
	if found {
		if len(ms) != 2 {
			return 0, 0, false
		}
		m, err2 = strconv.Atoi(ms)
	} else if !pm && !am {
		return 0, 0, false
	}
	if err1 != nil || err2 != nil || m < 0 || m > 59 || h < 0 || h > 23 {
		return 0, 0, false
	}
	if pm || am {
		if h < 1 || h > 12 {
			return 0, 0, false
		}
		if pm && h != 12 {
			h += 12
		}
		if am && h == 12 {
			h = 0
		}
	}
	return h, m, true
}

// formTime reads a form's date and time as a UK time.
func formTime(p *linkwork.Problems, prefix string, date []string, clock string) time.Time {
	d, msg := parseDateParts(date, "The date")
	if msg != "" {
		p.Add(prefix+"-date", msg)
	} else if d.IsZero() {
		p.Add(prefix+"-date", "Enter the date")
	}
	h, m, ok := parseClock(clock)
	if !ok {
		p.Add(prefix+"-time", "Enter the time, like 14:30 or 2:30pm")
	}
	if p.Has(prefix+"-date") || !ok {
		return time.Time{}
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, h, m, 0, 0, ukTime)
}

// prefixFields names a service error's fields after the form they came
// from: "at" becomes prefix-date.
func prefixFields(err error, prefix string) error {
	names := map[string]string{"at": prefix + "-date"}
	for _, f := range linkwork.ErrorFields(err) {
		if _, ok := names[f.Field]; !ok {
			names[f.Field] = prefix + "-" + f.Field
		}
	}
	return renameFields(err, names)
}

// caseContactSubmit records a contact attempt, a session, or a booking,
// by the form it came from.
func (s *Server) caseContactSubmit(w http.ResponseWriter, r *http.Request) {
	prefix := r.PostFormValue("form")
	f := contactForm{Date: dateParts(r, prefix+"-date"), Time: r.PostFormValue(prefix + "-time"), Mode: r.PostFormValue(prefix + "-mode"),
		Place: r.PostFormValue(prefix + "-location_type"), Outcome: r.PostFormValue(prefix + "-outcome"),
		Minutes: strings.TrimSpace(r.PostFormValue(prefix + "-minutes")), Notes: strings.TrimSpace(r.PostFormValue(prefix + "-notes")),
		Discuss: r.PostFormValue(prefix+"-discuss") == "yes"}
	c := &linkwork.Contact{CaseID: r.PathValue("id"), Mode: linkwork.ContactMode(f.Mode), LocationType: f.Place, Notes: f.Notes, DiscussAtSupervision: f.Discuss}
	done := prefix
	switch prefix {
	case "attempt":
		c.Kind, c.Outcome = linkwork.ContactAttempt, linkwork.ContactOutcome(f.Outcome)
	case "session":
		c.Kind, c.Outcome = linkwork.ContactSession, linkwork.ContactOutcome(f.Outcome)
	case "book":
		c.Kind, c.Outcome, done = linkwork.ContactSession, linkwork.ContactBooked, "booked"
	default:
		s.fail(w, r, false, linkwork.Errorf(linkwork.EINVALID, "The form sent was not one of this page's: open the case again"))
		return
	}
	var problems linkwork.Problems
	c.At = formTime(&problems, prefix, f.Date, f.Time)
	if f.Minutes != "" {
		n, err := parseInt(f.Minutes)
		if err != nil {
			problems.Add(prefix+"-minutes", "Enter the length as a number of minutes, like 45")
		}
		c.Minutes = n
	}
	var err error
	if len(problems) == 0 {
		if err = s.svc.Cases.AddContact(r.Context(), c); err == nil {
			http.Redirect(w, r, "/cases/"+r.PathValue("id")+"?done="+done+"#sessions", http.StatusSeeOther)
			return
		}
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
	}
	p := &casePage{Layout: Layout{Errors: formErrors(problems, prefixFields(err, prefix))}}
	switch prefix {
	case "attempt":
		p.Sessions.Attempt = f
	case "session":
		p.Sessions.Session = f
	default:
		p.Sessions.Book = f
	}
	p.Sessions.Open = prefix
	s.showCase(w, r, http.StatusUnprocessableEntity, p)
}

// caseRecordSubmit records what happened to a booked session.
func (s *Server) caseRecordSubmit(w http.ResponseWriter, r *http.Request) {
	f := recordForm{ContactID: r.PathValue("contact"), Outcome: r.PostFormValue("record-outcome"), Minutes: strings.TrimSpace(r.PostFormValue("record-minutes")),
		Notes: strings.TrimSpace(r.PostFormValue("record-notes"))}
	var problems linkwork.Problems
	version, err := parseInt(r.PostFormValue("version"))
	if err != nil || version < 1 {
		problems.Add("record-outcome", "The form lost which version of the session it showed: open the case again")
	}
	minutes := 0
	if f.Minutes != "" {
		if minutes, err = parseInt(f.Minutes); err != nil {
			problems.Add("record-minutes", "Enter the length as a number of minutes, like 45")
		}
	}
	err = nil
	if len(problems) == 0 {
		if _, err = s.svc.Cases.RecordSession(r.Context(), f.ContactID, version, linkwork.ContactOutcome(f.Outcome), minutes, f.Notes); err == nil {
			http.Redirect(w, r, "/cases/"+r.PathValue("id")+"?done=recorded#sessions", http.StatusSeeOther)
			return
		}
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
	}
	errs := formErrors(problems, prefixFields(err, "record"))
	if len(errs) == 0 && err != nil {
		errs = []linkwork.FieldError{{Field: "record-outcome", Message: linkwork.ErrorMessage(err)}}
	}
	p := &casePage{Layout: Layout{Errors: errs}}
	p.Sessions.Record, p.Sessions.Open = f, "record"
	s.showCase(w, r, ErrorStatus(firstErr(err, problems.Err())), p)
}

// caseMessagePrintedSubmit marks a letter to the person printed.
func (s *Server) caseMessagePrintedSubmit(w http.ResponseWriter, r *http.Request) {
	m, err := s.svc.Messages.MarkPrinted(r.Context(), r.PathValue("message"))
	if err != nil {
		if code := linkwork.ErrorCode(err); code == linkwork.EINVALID || code == linkwork.ECONFLICT {
			p := &casePage{Layout: Layout{Errors: []linkwork.FieldError{{Field: "outbox", Message: linkwork.ErrorMessage(err)}}}}
			s.showCase(w, r, ErrorStatus(err), p)
			return
		}
		s.fail(w, r, false, err)
		return
	}
	http.Redirect(w, r, "/cases/"+m.CaseID+"?done=printed#outbox", http.StatusSeeOther)
}

// letterPage shows a letter to the person, to print and post.
type letterPage struct {
	Layout
	CaseID       string
	Message      *linkwork.PersonMessage
	AddressLines []string
	BodyLines    []string
	CanUpdate    bool
}

// caseLetterPage shows one letter of a case's outbox, ready to print.
func (s *Server) caseLetterPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Messages.FindMessages(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p := &letterPage{CaseID: r.PathValue("id")}
	for _, m := range list {
		if m.ID == r.PathValue("message") && m.Channel == linkwork.MessageLetter {
			p.Message = m
		}
	}
	if p.Message == nil {
		s.fail(w, r, false, linkwork.Errorf(linkwork.ENOTFOUND, "Letter not found"))
		return
	}
	c, err := s.svc.Cases.FindCaseByID(r.Context(), p.CaseID)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.CanUpdate = auth.Can(currentUser(r).Actor(), auth.ActionUpdate, auth.Record{Kind: auth.KindCase, ServiceOrgID: c.ServiceOrgID, LinkWorkerID: c.LinkWorkerID})
	p.Title = "Letter: " + p.Message.Subject
	p.AddressLines = strings.Split(p.Message.To, "\n")
	for _, para := range strings.Split(p.Message.Body, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			p.BodyLines = append(p.BodyLines, para)
		}
	}
	s.render(w, r, http.StatusOK, "sessions_letter", p)
}
