package linkwork

import (
	"context"
	"strings"
	"time"
)

// Safeguarding is everyone's business: anyone working with a person who
// sees or hears something that worries them raises a concern, on the
// case or on the referral, and the service's safeguarding leads hear of
// it at once. A lead records what was done (advice, a referral to social
// care, the police, CAMHS crisis, the GP, or no further action and why)
// and closes it with an outcome. A concern is seen only by those who
// need to: who raised it, the case's link worker, the service's
// coordinators and safeguarding leads.

// ConcernCategory is what a concern is about.
type ConcernCategory string

// The categories of concern.
const (
	ConcernSelfHarm      ConcernCategory = "self_harm"
	ConcernAbuseNeglect  ConcernCategory = "abuse_neglect"
	ConcernDomesticAbuse ConcernCategory = "domestic_abuse"
	ConcernExploitation  ConcernCategory = "exploitation"
	ConcernBullying      ConcernCategory = "bullying"
	ConcernOther         ConcernCategory = "other"
)

// ConcernCategories are the categories in the order forms offer them.
var ConcernCategories = []ConcernCategory{ConcernSelfHarm, ConcernAbuseNeglect, ConcernDomesticAbuse, ConcernExploitation, ConcernBullying, ConcernOther}

// Valid reports whether c is a known category.
func (c ConcernCategory) Valid() bool {
	for _, k := range ConcernCategories {
		if c == k {
			return true
		}
	}
	return false
}

// Label is the category as people read it.
func (c ConcernCategory) Label() string {
	switch c {
	case ConcernSelfHarm:
		return "Self-harm or suicide risk"
	case ConcernAbuseNeglect:
		return "Abuse or neglect"
	case ConcernDomesticAbuse:
		return "Domestic abuse"
	case ConcernExploitation:
		return "Exploitation (criminal or sexual)"
	case ConcernBullying:
		return "Bullying"
	case ConcernOther:
		return "Something else"
	}
	return string(c)
}

// ConcernStatus is where a concern stands: open until a safeguarding lead
// closes it with an outcome.
type ConcernStatus string

// The statuses of a concern.
const (
	ConcernOpen   ConcernStatus = "open"
	ConcernClosed ConcernStatus = "closed"
)

// Label is the status as people read it.
func (s ConcernStatus) Label() string {
	switch s {
	case ConcernOpen:
		return "Open"
	case ConcernClosed:
		return "Closed"
	}
	return string(s)
}

// NoteConcernRaised tells each safeguarding lead of the service, at once,
// that a concern was raised: in the app, naming the person and the
// category, and by email, which says only that a concern waits and where
// to read it.
const NoteConcernRaised NotificationKind = "concern_raised"

// Concern is a safeguarding concern about a person, raised on their case
// or on a referral. ReferralID is always set (a case's is its referral),
// so that a concern raised on a referral follows it to the case it
// becomes; CaseID is the case it was raised on, if any.
type Concern struct {
	ID           string
	ServiceOrgID string
	ReferralID   string
	CaseID       string
	PersonID     string
	Category     ConcernCategory
	// Description is what was seen or said, in the person's own words
	// where possible.
	Description string
	// ImmediateAction is what the person raising it did at once.
	ImmediateAction string
	// SafeNow is whether the person is safe now, as far as the raiser
	// knows.
	SafeNow Answer
	Status  ConcernStatus
	// Outcome is what the lead wrote on closing it.
	Outcome string

	RaisedBy string
	RaisedAt time.Time
	ClosedBy string
	ClosedAt time.Time
	Version  int

	// Filled when concerns are read.
	PersonName, RaisedByName, ClosedByName, LinkWorkerID string
	Actions                                              []*ConcernAction
}

// Open reports whether the concern is still open.
func (c *Concern) Open() bool { return c.Status == ConcernOpen }

// Validate reports every problem with a concern being raised as EINVALID,
// naming each field as the API does.
func (c *Concern) Validate() error {
	var p Problems
	switch {
	case c.Category == "":
		p.Add("category", "Choose what the concern is about")
	case !c.Category.Valid():
		p.Add("category", "Choose one of the kinds of concern listed")
	}
	if strings.TrimSpace(c.Description) == "" {
		p.Add("description", "Say what you saw or heard, in the person's own words where you can")
	} else {
		p.Text("description", c.Description, MaxText)
	}
	if strings.TrimSpace(c.ImmediateAction) == "" {
		p.Add("immediate_action", "Say what you did straight away, or that you did nothing yet")
	} else {
		p.Text("immediate_action", c.ImmediateAction, MaxText)
	}
	switch {
	case c.SafeNow == "":
		p.Add("safe_now", "Say whether the person is safe now: yes, no or not sure")
	case !c.SafeNow.Valid():
		p.Add("safe_now", "Choose yes, no or not sure")
	}
	p.Text("case_id", c.CaseID, MaxIDLength)
	p.Text("referral_id", c.ReferralID, MaxIDLength)
	return p.Err()
}

// Normalised returns a copy of the concern with its words trimmed.
func (c Concern) Normalised() *Concern {
	c.Description = strings.TrimSpace(c.Description)
	c.ImmediateAction = strings.TrimSpace(c.ImmediateAction)
	return &c
}

// ConcernActionKind is what a safeguarding lead did about a concern.
type ConcernActionKind string

// The actions on a concern.
const (
	ConcernAdvice          ConcernActionKind = "advice"
	ConcernChildrensCare   ConcernActionKind = "childrens_social_care"
	ConcernAdultsCare      ConcernActionKind = "adults_social_care"
	ConcernMASH            ConcernActionKind = "mash"
	ConcernPolice          ConcernActionKind = "police"
	ConcernCAMHSCrisis     ConcernActionKind = "camhs_crisis"
	ConcernGP              ConcernActionKind = "gp"
	ConcernNoFurtherAction ConcernActionKind = "no_further_action"
)

// ConcernActionKinds are the actions in the order forms offer them.
var ConcernActionKinds = []ConcernActionKind{ConcernAdvice, ConcernChildrensCare, ConcernAdultsCare, ConcernMASH, ConcernPolice, ConcernCAMHSCrisis, ConcernGP, ConcernNoFurtherAction}

// Valid reports whether k is a known action.
func (k ConcernActionKind) Valid() bool {
	for _, a := range ConcernActionKinds {
		if k == a {
			return true
		}
	}
	return false
}

// Label is the action as people read it.
func (k ConcernActionKind) Label() string {
	switch k {
	case ConcernAdvice:
		return "Advice given"
	case ConcernChildrensCare:
		return "Referred to children's social care"
	case ConcernAdultsCare:
		return "Referred to adults' social care"
	case ConcernMASH:
		return "Referred to the MASH (multi-agency safeguarding hub)"
	case ConcernPolice:
		return "Reported to the police"
	case ConcernCAMHSCrisis:
		return "Referred to the CAMHS crisis team"
	case ConcernGP:
		return "Told the GP"
	case ConcernNoFurtherAction:
		return "No further action"
	}
	return string(k)
}

// ConcernAction is a decision or onward action on a concern, on the day
// it was taken.
type ConcernAction struct {
	ID        string
	ConcernID string
	Action    ConcernActionKind
	// On is the day it was done.
	On Date
	// Reason is why no further action is needed: required for that
	// action, and for no other.
	Reason string
	Note   string

	By     string
	ByName string
	At     time.Time
}

// Validate reports every problem with an action as EINVALID: a known
// action, the day it was done (not after today), and a reason when no
// further action is taken.
func (a *ConcernAction) Validate(today Date) error {
	var p Problems
	switch {
	case a.Action == "":
		p.Add("action", "Choose what was done")
	case !a.Action.Valid():
		p.Add("action", "Choose one of the actions listed")
	}
	switch {
	case a.On.IsZero():
		p.Add("on", "Enter the date it was done")
	case today.Before(a.On):
		p.Add("on", "The date it was done must be today or in the past")
	}
	if a.Action == ConcernNoFurtherAction && strings.TrimSpace(a.Reason) == "" {
		p.Add("reason", "Say why no further action is needed")
	}
	p.Text("reason", a.Reason, MaxText)
	p.Text("note", a.Note, MaxText)
	return p.Err()
}

// ValidateConcernOutcome reports a problem with the outcome a concern is
// closed with.
func ValidateConcernOutcome(outcome string) error {
	var p Problems
	if strings.TrimSpace(outcome) == "" {
		p.Add("outcome", "Say how the concern ended: what was decided and where things stand")
	} else {
		p.Text("outcome", outcome, MaxText)
	}
	return p.Err()
}

// CheckClose reports whether a concern may be closed: only an open one,
// and only once something has been recorded as done about it.
func (c *Concern) CheckClose() error {
	if c.Status != ConcernOpen {
		return Errorf(ECONFLICT, "This concern is already closed")
	}
	if len(c.Actions) == 0 {
		return FieldErr("action", "Record what was done before closing the concern")
	}
	return nil
}

// ConcernFilter narrows a list of concerns.
type ConcernFilter struct {
	// Status keeps concerns of one status; empty for all.
	Status     ConcernStatus
	ReferralID string
	Offset     int
	Limit      int
}

// SafetyPlan is a plan made with a person for when things get hard: the
// signs that they are struggling, what helps, who they can contact, and
// the numbers to call in a crisis. It is printed for them.
type SafetyPlan struct {
	CaseID        string
	WarningSigns  string
	WhatHelps     string
	WhoToContact  string
	CrisisNumbers string

	UpdatedBy     string
	UpdatedByName string
	UpdatedAt     time.Time
	// Version is 0 for a plan not yet recorded.
	Version int
}

// Recorded reports whether the plan has been saved.
func (s *SafetyPlan) Recorded() bool { return s.Version > 0 }

// DefaultCrisisNumbers are the crisis numbers a new safety plan starts
// with when the service has written no crisis advice of its own.
const DefaultCrisisNumbers = "In danger now: call 999\n" +
	"Urgent mental health help: NHS 111, choose option 2\n" +
	"Samaritans, any time: call 116 123 (free)\n" +
	"Shout, any time: text SHOUT to 85258\n" +
	"Childline, if you are under 19: call 0800 1111"

// Validate reports every problem with a safety plan as EINVALID: it must
// say something, and each part must fit.
func (s *SafetyPlan) Validate() error {
	var p Problems
	if strings.TrimSpace(s.WarningSigns+s.WhatHelps+s.WhoToContact) == "" {
		p.Add("warning_signs", "Write at least one of the warning signs, what helps or who to contact")
	}
	p.Text("warning_signs", s.WarningSigns, MaxText)
	p.Text("what_helps", s.WhatHelps, MaxText)
	p.Text("who_to_contact", s.WhoToContact, MaxText)
	if strings.TrimSpace(s.CrisisNumbers) == "" {
		p.Add("crisis_numbers", "Enter the numbers to call in a crisis")
	}
	p.Text("crisis_numbers", s.CrisisNumbers, MaxText)
	return p.Err()
}

// ConcernService holds safeguarding concerns and safety plans. Concerns
// are read only by those the policy lets see them (ENOTFOUND for anyone
// else); every read and change is audited.
type ConcernService interface {
	// RaiseConcern raises a concern on a case (CaseID) or a referral
	// (ReferralID), and tells each of the service's safeguarding leads
	// at once, in the app and by email. EINVALID for what
	// Concern.Validate refuses; ENOTFOUND for a case or referral the
	// actor may not see; EFORBIDDEN for one they see but may not raise a
	// concern on.
	RaiseConcern(ctx context.Context, c *Concern) error
	// FindConcern returns a concern with its actions, oldest first.
	FindConcern(ctx context.Context, id string) (*Concern, error)
	// FindConcerns returns the concerns the actor may see, open first
	// and newest first, and how many there are.
	FindConcerns(ctx context.Context, f ConcernFilter) ([]*Concern, int, error)
	// RecordConcernAction records a decision or onward action on an open
	// concern. EINVALID for what ConcernAction.Validate refuses, or a
	// closed concern; EFORBIDDEN for those who see it but may not act.
	RecordConcernAction(ctx context.Context, concernID string, a *ConcernAction) error
	// CloseConcern closes an open concern with an outcome. ECONFLICT when
	// version is stale or it is closed already; EINVALID with no
	// outcome or no action recorded.
	CloseConcern(ctx context.Context, id string, version int, outcome string) (*Concern, error)
	// OpenConcernFlags says which of the referrals (and so their cases)
	// have an open concern the actor may see, in one query.
	OpenConcernFlags(ctx context.Context, referralIDs []string) (map[string]bool, error)

	// FindSafetyPlan returns a case's safety plan: one not yet recorded
	// has Version 0 and the service's crisis numbers filled in.
	FindSafetyPlan(ctx context.Context, caseID string) (*SafetyPlan, error)
	// SaveSafetyPlan records a case's safety plan. ECONFLICT when
	// version is stale (0 for a plan not yet recorded).
	SaveSafetyPlan(ctx context.Context, p *SafetyPlan) error
}
