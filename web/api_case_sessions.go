package web

import (
	"net/http"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// caseContactJSON is a contact attempt or session in the API.
type caseContactJSON struct {
	ID           string    `json:"id"`
	CaseID       string    `json:"case_id"`
	Kind         string    `json:"kind"`
	At           time.Time `json:"at"`
	Mode         string    `json:"mode"`
	LocationType string    `json:"location_type"`
	Outcome      string    `json:"outcome"`
	Minutes      int       `json:"minutes"`
	Notes        string    `json:"notes"`
	// DiscussAtSupervision: the note is on its worker's supervision
	// agenda until a supervision discusses the case.
	DiscussAtSupervision bool      `json:"discuss_at_supervision"`
	ByUserID             string    `json:"by_user_id"`
	Version              int       `json:"version"`
	CreatedAt            time.Time `json:"created_at"`
}

func contactOut(c *linkwork.Contact) caseContactJSON {
	return caseContactJSON{ID: c.ID, CaseID: c.CaseID, Kind: string(c.Kind), At: c.At, Mode: string(c.Mode), LocationType: c.LocationType,
		Outcome: string(c.Outcome), Minutes: c.Minutes, Notes: c.Notes, DiscussAtSupervision: c.DiscussAtSupervision, ByUserID: c.ByUserID, Version: c.Version, CreatedAt: c.CreatedAt}
}

// contactIn is a new contact: kind may be left out (the outcome says it).
type contactIn struct {
	At           *time.Time `json:"at"`
	Kind         string     `json:"kind"`
	Mode         string     `json:"mode"`
	LocationType string     `json:"location_type"`
	Outcome      string     `json:"outcome"`
	Minutes      int        `json:"minutes"`
	Notes        string     `json:"notes"`
	// DiscussAtSupervision puts the note on the worker's supervision
	// agenda.
	DiscussAtSupervision bool `json:"discuss_at_supervision"`
}

// sessionRecordIn records what happened to a booked session.
type sessionRecordIn struct {
	Version int    `json:"version"`
	Outcome string `json:"outcome"`
	Minutes int    `json:"minutes"`
	Notes   string `json:"notes"`
}

// personMessageJSON is a message to the person in the case's outbox.
type personMessageJSON struct {
	ID        string     `json:"id"`
	CaseID    string     `json:"case_id"`
	Kind      string     `json:"kind"`
	Channel   string     `json:"channel"`
	To        string     `json:"to"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	SendAfter time.Time  `json:"send_after"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error"`
	Status    string     `json:"status"`
}

func personMessageOut(m *linkwork.PersonMessage) personMessageJSON {
	return personMessageJSON{ID: m.ID, CaseID: m.CaseID, Kind: string(m.Kind), Channel: string(m.Channel), To: m.To, Subject: m.Subject, Body: m.Body,
		SendAfter: m.SendAfter, CreatedAt: m.CreatedAt, SentAt: timePtr(m.SentAt), Attempts: m.Attempts, LastError: m.LastError, Status: m.Status()}
}

type itemsOut[T any] struct {
	Items []T `json:"items"`
}

func (s *Server) apiListContacts(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Cases.FindContacts(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, itemsOut[caseContactJSON]{Items: mapSlice(list, contactOut)})
}

func (s *Server) apiAddContact(w http.ResponseWriter, r *http.Request) {
	var in contactIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	c := &linkwork.Contact{CaseID: r.PathValue("id"), Kind: linkwork.ContactKind(in.Kind), Mode: linkwork.ContactMode(in.Mode), LocationType: in.LocationType,
		Outcome: linkwork.ContactOutcome(in.Outcome), Minutes: in.Minutes, Notes: in.Notes, DiscussAtSupervision: in.DiscussAtSupervision}
	if in.At != nil {
		c.At = *in.At
	}
	if err := s.svc.Cases.AddContact(r.Context(), c); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusCreated, contactOut(c))
}

func (s *Server) apiRecordSession(w http.ResponseWriter, r *http.Request) {
	var in sessionRecordIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if in.Version < 1 {
		s.fail(w, r, true, linkwork.FieldErr("version", "Send the version of the session you read, so that a change to a changed session is refused"))
		return
	}
	c, err := s.svc.Cases.RecordSession(r.Context(), r.PathValue("id"), in.Version, linkwork.ContactOutcome(in.Outcome), in.Minutes, in.Notes)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, contactOut(c))
}

func (s *Server) apiListMessages(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Messages.FindMessages(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, itemsOut[personMessageJSON]{Items: mapSlice(list, personMessageOut)})
}
