package web

import (
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// answerLinkIn is a link worker's request to send a group a link.
type answerLinkIn struct {
	Channel linkwork.LinkChannel `json:"channel"`
	To      string               `json:"to"`
}

// answerLinkJSON is a link sent to a group, and its answer once given.
type answerLinkJSON struct {
	ID           string                  `json:"id"`
	ConnectionID string                  `json:"connection_id"`
	CaseID       string                  `json:"case_id"`
	Question     linkwork.AnswerQuestion `json:"question"`
	Channel      linkwork.LinkChannel    `json:"channel"`
	To           string                  `json:"to"`
	Group        string                  `json:"group"`
	Activity     string                  `json:"activity,omitempty"`
	SentByID     string                  `json:"sent_by_id,omitempty"`
	SentByName   string                  `json:"sent_by_name,omitempty"`
	CreatedAt    time.Time               `json:"created_at"`
	SendAfter    time.Time               `json:"send_after"`
	ExpiresAt    time.Time               `json:"expires_at"`
	SentAt       *time.Time              `json:"sent_at,omitempty"`
	UsedAt       *time.Time              `json:"used_at,omitempty"`
	WithdrawnAt  *time.Time              `json:"withdrawn_at,omitempty"`
	Answer       linkwork.GroupAnswer    `json:"answer,omitempty"`
	Reason       string                  `json:"reason,omitempty"`
	Status       string                  `json:"status"`
}

// timeOrNil is t, or nil when it is zero.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func answerLinkOut(l *linkwork.AnswerLink, now time.Time) answerLinkJSON {
	return answerLinkJSON{ID: l.ID, ConnectionID: l.ConnectionID, CaseID: l.CaseID, Question: l.Question, Channel: l.Channel, To: l.To,
		Group: l.Group, Activity: l.Activity, SentByID: l.SentByID, SentByName: l.SentByName, CreatedAt: l.CreatedAt, SendAfter: l.SendAfter,
		ExpiresAt: l.ExpiresAt, SentAt: timeOrNil(l.SentAt), UsedAt: timeOrNil(l.UsedAt), WithdrawnAt: timeOrNil(l.WithdrawnAt),
		Answer: l.Answer, Reason: l.Reason, Status: l.Status(now)}
}

// answerLinkListJSON is the links sent about a case's connections.
type answerLinkListJSON struct {
	Items []answerLinkJSON `json:"items"`
}

// welcomeContactJSON is one way a group may reach the person.
type welcomeContactJSON struct {
	Channel linkwork.Channel `json:"channel"`
	Detail  string           `json:"detail"`
}

// welcomePersonJSON is what a group is told of the person.
type welcomePersonJSON struct {
	FirstName          string               `json:"first_name"`
	LastName           string               `json:"last_name,omitempty"`
	Contact            []welcomeContactJSON `json:"contact"`
	BestTimes          string               `json:"best_times,omitempty"`
	SafeToLeaveMessage bool                 `json:"safe_to_leave_message"`
	AccessNeeds        string               `json:"access_needs,omitempty"`
	Languages          string               `json:"languages,omitempty"`
	NeedsInterpreter   bool                 `json:"needs_interpreter"`
}

// welcomeServiceJSON is who at the service the group may talk to.
type welcomeServiceJSON struct {
	Name            string `json:"name"`
	Phone           string `json:"phone,omitempty"`
	Email           string `json:"email,omitempty"`
	LinkWorker      string `json:"link_worker,omitempty"`
	LinkWorkerEmail string `json:"link_worker_email,omitempty"`
}

// welcomeJSON is what a group's link shows: the question and what the
// group needs to welcome the person.
type welcomeJSON struct {
	Question  linkwork.AnswerQuestion `json:"question"`
	Ask       string                  `json:"ask"`
	Answers   []linkwork.GroupAnswer  `json:"answers"`
	ExpiresAt time.Time               `json:"expires_at"`
	Activity  string                  `json:"activity"`
	Group     string                  `json:"group"`
	Person    welcomePersonJSON       `json:"person"`
	Service   welcomeServiceJSON      `json:"service"`
}

func welcomeOut(w *linkwork.Welcome) welcomeJSON {
	out := welcomeJSON{Question: w.Question, Ask: w.Ask(), Answers: w.Question.Answers(), ExpiresAt: w.ExpiresAt, Activity: w.Activity, Group: w.Group,
		Person: welcomePersonJSON{FirstName: w.FirstName, LastName: w.LastName, Contact: []welcomeContactJSON{}, BestTimes: w.BestTimes,
			SafeToLeaveMessage: w.SafeToLeaveMessage, AccessNeeds: w.AccessNeeds, Languages: w.Languages, NeedsInterpreter: w.NeedsInterpreter},
		Service: welcomeServiceJSON{Name: w.Service, Phone: w.ServicePhone, Email: w.ServiceEmail, LinkWorker: w.LinkWorker, LinkWorkerEmail: w.LinkWorkerEmail}}
	for _, c := range w.Contact {
		out.Person.Contact = append(out.Person.Contact, welcomeContactJSON{Channel: c.Channel, Detail: c.Detail})
	}
	return out
}

// groupReplyIn is a group's answer through its link.
type groupReplyIn struct {
	Answer linkwork.GroupAnswer   `json:"answer"`
	Reason linkwork.DeclineReason `json:"reason"`
	Note   string                 `json:"note"`
}

// answeredJSON is what a group's answer did: the connection's status, and
// the next question, if any, with when its link goes.
type answeredJSON struct {
	Answer       linkwork.GroupAnswer      `json:"answer"`
	Status       linkwork.ConnectionStatus `json:"status"`
	NextQuestion linkwork.AnswerQuestion   `json:"next_question,omitempty"`
	NextAfter    *time.Time                `json:"next_after,omitempty"`
}
