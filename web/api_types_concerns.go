package web

import (
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// concernIn is a concern raised over the API, on the case or referral the
// path names.
type concernIn struct {
	Category        linkwork.ConcernCategory `json:"category"`
	Description     string                   `json:"description"`
	ImmediateAction string                   `json:"immediate_action"`
	SafeNow         linkwork.Answer          `json:"safe_now"`
}

// concernActionIn records what was done about a concern over the API.
type concernActionIn struct {
	Action linkwork.ConcernActionKind `json:"action"`
	On     string                     `json:"on"`
	Reason string                     `json:"reason"`
	Note   string                     `json:"note"`
}

// concernCloseIn closes a concern over the API.
type concernCloseIn struct {
	Version int    `json:"version"`
	Outcome string `json:"outcome"`
}

// concernActionJSON is an action on a concern as the API shows it.
type concernActionJSON struct {
	ID     string                     `json:"id"`
	Action linkwork.ConcernActionKind `json:"action"`
	Label  string                     `json:"label"`
	On     string                     `json:"on"`
	Reason string                     `json:"reason"`
	Note   string                     `json:"note"`
	By     string                     `json:"by"`
	ByName string                     `json:"by_name"`
	At     time.Time                  `json:"at"`
}

// concernJSON is a concern as the API shows it.
type concernJSON struct {
	ID              string                   `json:"id"`
	ServiceOrgID    string                   `json:"service_org_id"`
	ReferralID      string                   `json:"referral_id"`
	CaseID          string                   `json:"case_id,omitempty"`
	PersonID        string                   `json:"person_id"`
	PersonName      string                   `json:"person_name"`
	Category        linkwork.ConcernCategory `json:"category"`
	Description     string                   `json:"description"`
	ImmediateAction string                   `json:"immediate_action"`
	SafeNow         linkwork.Answer          `json:"safe_now"`
	Status          linkwork.ConcernStatus   `json:"status"`
	Outcome         string                   `json:"outcome,omitempty"`
	RaisedBy        string                   `json:"raised_by"`
	RaisedByName    string                   `json:"raised_by_name"`
	RaisedAt        time.Time                `json:"raised_at"`
	ClosedBy        string                   `json:"closed_by,omitempty"`
	ClosedAt        *time.Time               `json:"closed_at,omitempty"`
	Version         int                      `json:"version"`
	Actions         []concernActionJSON      `json:"actions"`
}

func concernOut(c *linkwork.Concern) concernJSON {
	out := concernJSON{ID: c.ID, ServiceOrgID: c.ServiceOrgID, ReferralID: c.ReferralID, CaseID: c.CaseID, PersonID: c.PersonID, PersonName: c.PersonName,
		Category: c.Category, Description: c.Description, ImmediateAction: c.ImmediateAction, SafeNow: c.SafeNow, Status: c.Status, Outcome: c.Outcome,
		RaisedBy: c.RaisedBy, RaisedByName: c.RaisedByName, RaisedAt: c.RaisedAt, ClosedBy: c.ClosedBy, Version: c.Version, Actions: []concernActionJSON{}}
	if !c.ClosedAt.IsZero() {
		at := c.ClosedAt
		out.ClosedAt = &at
	}
	for _, a := range c.Actions {
		out.Actions = append(out.Actions, concernActionOut(a))
	}
	return out
}

func concernActionOut(a *linkwork.ConcernAction) concernActionJSON {
	return concernActionJSON{ID: a.ID, Action: a.Action, Label: a.Action.Label(), On: a.On.String(), Reason: a.Reason, Note: a.Note, By: a.By, ByName: a.ByName, At: a.At}
}

// safetyPlanIn is a case's safety plan as the API takes it: version 0 for
// a plan not yet recorded.
type safetyPlanIn struct {
	WarningSigns  string `json:"warning_signs"`
	WhatHelps     string `json:"what_helps"`
	WhoToContact  string `json:"who_to_contact"`
	CrisisNumbers string `json:"crisis_numbers"`
	Version       int    `json:"version"`
}

// safetyPlanJSON is a case's safety plan as the API shows it.
type safetyPlanJSON struct {
	CaseID        string     `json:"case_id"`
	WarningSigns  string     `json:"warning_signs"`
	WhatHelps     string     `json:"what_helps"`
	WhoToContact  string     `json:"who_to_contact"`
	CrisisNumbers string     `json:"crisis_numbers"`
	Recorded      bool       `json:"recorded"`
	Version       int        `json:"version"`
	UpdatedBy     string     `json:"updated_by,omitempty"`
	UpdatedByName string     `json:"updated_by_name,omitempty"`
	UpdatedAt     *time.Time `json:"updated_at,omitempty"`
}

func safetyPlanOut(p *linkwork.SafetyPlan) safetyPlanJSON {
	out := safetyPlanJSON{CaseID: p.CaseID, WarningSigns: p.WarningSigns, WhatHelps: p.WhatHelps, WhoToContact: p.WhoToContact, CrisisNumbers: p.CrisisNumbers,
		Recorded: p.Recorded(), Version: p.Version, UpdatedBy: p.UpdatedBy, UpdatedByName: p.UpdatedByName}
	if !p.UpdatedAt.IsZero() {
		at := p.UpdatedAt
		out.UpdatedAt = &at
	}
	return out
}
