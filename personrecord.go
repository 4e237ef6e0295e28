package linkwork

import (
	"strings"
	"time"
)

// Involvement codes say how a parent, guardian or carer takes part in a
// young person's support. Records made before the codes hold free text,
// which is shown as it is.
const (
	InvolvementInformed     = "informed"      // told about the support, not involved in it
	InvolvementSessions     = "sessions"      // takes part in sessions
	InvolvementContactFirst = "contact_first" // to be contacted first
	InvolvementNotContacted = "not_contacted" // not to be contacted
)

// Involvements lists the involvement codes in the order forms offer them.
var Involvements = []string{InvolvementInformed, InvolvementSessions, InvolvementContactFirst, InvolvementNotContacted}

// ValidInvolvement reports whether s is an involvement code.
func ValidInvolvement(s string) bool {
	for _, x := range Involvements {
		if s == x {
			return true
		}
	}
	return false
}

// InvolvementLabel is an involvement as users read it: a code's label, or
// an older record's own words.
func InvolvementLabel(s string) string {
	switch s {
	case InvolvementInformed:
		return "Informed, not involved"
	case InvolvementSessions:
		return "Involved in sessions"
	case InvolvementContactFirst:
		return "Contact them first"
	case InvolvementNotContacted:
		return "Not to be contacted"
	}
	return s
}

// ValidateGuardian reports every problem with a parent, guardian or carer
// added or changed on its own, as EINVALID: a name, and an involvement that
// is one of the codes, or is unchanged from before (older records' free
// text stays as it was).
func ValidateGuardian(g *Guardian, previousInvolvement string) error {
	var p Problems
	g.Name = strings.TrimSpace(g.Name)
	g.Email = strings.TrimSpace(g.Email)
	if g.Name == "" {
		p.Add("name", "Enter their name")
	}
	p.Text("name", g.Name, MaxNameLength)
	p.Text("relationship", g.Relationship, MaxShortText)
	p.Text("phone", g.Phone, MaxShortText)
	p.Email("email", g.Email)
	if !ValidInvolvement(g.Involvement) && (g.Involvement == "" || g.Involvement != previousInvolvement) {
		p.Add("involvement", "Choose how they are involved")
	}
	return p.Err()
}

// NeedDomain is a coded area of a person's life where they need support.
type NeedDomain string

// The need domains.
const (
	NeedWellbeing   NeedDomain = "wellbeing"
	NeedLoneliness  NeedDomain = "loneliness"
	NeedActivity    NeedDomain = "physical_activity"
	NeedHealth      NeedDomain = "physical_health"
	NeedFamily      NeedDomain = "family"
	NeedFriends     NeedDomain = "friends"
	NeedSchoolWork  NeedDomain = "school_work"
	NeedMoney       NeedDomain = "money"
	NeedHousing     NeedDomain = "housing"
	NeedBenefits    NeedDomain = "benefits"
	NeedBereavement NeedDomain = "bereavement"
	NeedCaring      NeedDomain = "caring"
	NeedConfidence  NeedDomain = "confidence"
	NeedLearning    NeedDomain = "learning"
	NeedOther       NeedDomain = "other"
)

// NeedDomains lists every domain in the order forms offer them.
var NeedDomains = []NeedDomain{NeedWellbeing, NeedLoneliness, NeedActivity, NeedHealth, NeedFamily, NeedFriends, NeedSchoolWork,
	NeedMoney, NeedHousing, NeedBenefits, NeedBereavement, NeedCaring, NeedConfidence, NeedLearning, NeedOther}

// Valid reports whether d is a known domain.
func (d NeedDomain) Valid() bool {
	for _, x := range NeedDomains {
		if d == x {
			return true
		}
	}
	return false
}

// Label is the domain as users read it.
func (d NeedDomain) Label() string {
	switch d {
	case NeedWellbeing:
		return "Wellbeing and mental health"
	case NeedLoneliness:
		return "Loneliness and isolation"
	case NeedActivity:
		return "Physical activity"
	case NeedHealth:
		return "Physical health"
	case NeedFamily:
		return "Family"
	case NeedFriends:
		return "Friends and relationships"
	case NeedSchoolWork:
		return "School, college or work"
	case NeedMoney:
		return "Money and debt"
	case NeedHousing:
		return "Housing"
	case NeedBenefits:
		return "Benefits"
	case NeedBereavement:
		return "Bereavement"
	case NeedCaring:
		return "Caring responsibilities"
	case NeedConfidence:
		return "Confidence"
	case NeedLearning:
		return "Learning and skills"
	case NeedOther:
		return "Something else"
	}
	return string(d)
}

// CaseNeed is one domain a person needs support in, with their own words
// about it.
type CaseNeed struct {
	Domain NeedDomain
	Words  string
}

// CaseAbout is what a link worker writes about a person's case: what
// matters to them, their needs in their own words and by domain, the
// social prescription in plain words and the sessions planned.
type CaseAbout struct {
	Version         int
	WhatMatters     string
	Needs           string
	NeedDomains     []CaseNeed
	Plan            string
	PlannedSessions int
}

// Validate reports every problem as EINVALID: planned sessions from 0 to
// MaxPlannedSessions, texts within their limits, and each domain known and
// given once.
func (a *CaseAbout) Validate() error {
	var p Problems
	if a.PlannedSessions < 0 || a.PlannedSessions > MaxPlannedSessions {
		p.Addf("planned_sessions", "Planned sessions must be between 0 and %d", MaxPlannedSessions)
	}
	p.Text("what_matters", a.WhatMatters, MaxText)
	p.Text("needs", a.Needs, MaxText)
	p.Text("plan", a.Plan, MaxText)
	seen := map[NeedDomain]bool{}
	for i := range a.NeedDomains {
		n := &a.NeedDomains[i]
		n.Words = strings.TrimSpace(n.Words)
		switch {
		case !n.Domain.Valid():
			p.Addf("need_domains", "%q is not an area of need we record", n.Domain)
		case seen[n.Domain]:
			p.Addf("need_domains", "%s is given twice", n.Domain.Label())
		}
		seen[n.Domain] = true
		p.Text("need_domains", n.Words, MaxShortText)
	}
	return p.Err()
}

// Professional is someone from another service or agency involved in a
// person's support: the team around the person.
type Professional struct {
	ID           string
	PersonID     string
	Role         string // "CAMHS worker", "social worker", "school", "GP", "youth worker"
	Name         string
	Organisation string
	Phone        string
	Email        string
	// ConsentToShare: the person agreed that the service may share
	// information with them.
	ConsentToShare bool
	Notes          string

	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate reports every problem with pr as EINVALID: a role or agency is
// required.
func (pr *Professional) Validate() error {
	var p Problems
	pr.Role = strings.TrimSpace(pr.Role)
	pr.Name = strings.TrimSpace(pr.Name)
	pr.Email = strings.TrimSpace(pr.Email)
	if pr.Role == "" {
		p.Add("role", "Enter their role or agency, like CAMHS or social worker")
	}
	p.Text("role", pr.Role, MaxShortText)
	p.Text("name", pr.Name, MaxNameLength)
	p.Text("organisation", pr.Organisation, MaxShortText)
	p.Text("phone", pr.Phone, MaxShortText)
	p.Email("email", pr.Email)
	p.Text("notes", pr.Notes, MaxText)
	return p.Err()
}

// CompetenceDecision is one decision on whether a young person is
// competent to make their own decisions about their support (Gillick
// competence). The latest is the person's Competence; earlier ones are the
// history.
type CompetenceDecision struct {
	ID        string
	PersonID  string
	Competent bool
	DecidedOn Date
	Reasoning string
	ByUserID  string // recorded by the store: the signed-in user
	ByName    string // filled when read
	CreatedAt time.Time
}

// Validate reports every problem as EINVALID: the reasoning is required and
// the date is not in the future.
func (d *CompetenceDecision) Validate(today Date) error {
	var p Problems
	d.Reasoning = strings.TrimSpace(d.Reasoning)
	if d.Reasoning == "" {
		p.Add("reasoning", "Say why: the reasoning for the decision")
	}
	p.Text("reasoning", d.Reasoning, MaxText)
	if d.DecidedOn.IsZero() {
		p.Add("decided_on", "Enter the date of the decision")
	} else if today.Before(d.DecidedOn) {
		p.Add("decided_on", "The date of the decision must be today or in the past")
	}
	return p.Err()
}

// Difference records where a young person and their parent or carer want
// different things, and what was agreed.
type Difference struct {
	ID        string
	PersonID  string
	On        Date
	Differs   string
	Agreed    string
	ByUserID  string
	ByName    string // filled when read
	CreatedAt time.Time
}

// Validate reports every problem as EINVALID.
func (d *Difference) Validate(today Date) error {
	var p Problems
	d.Differs = strings.TrimSpace(d.Differs)
	d.Agreed = strings.TrimSpace(d.Agreed)
	if d.Differs == "" {
		p.Add("differs", "Say what they want differently")
	}
	if d.Agreed == "" {
		p.Add("agreed", "Say what was agreed")
	}
	p.Text("differs", d.Differs, MaxText)
	p.Text("agreed", d.Agreed, MaxText)
	if d.On.IsZero() {
		p.Add("on", "Enter the date")
	} else if today.Before(d.On) {
		p.Add("on", "The date must be today or in the past")
	}
	return p.Err()
}

// PersonChange is one saved change to a person's record: the version it
// made, when and by whom. The store keeps a snapshot of the record with
// each.
type PersonChange struct {
	Version  int
	At       time.Time
	ByUserID string
	ByName   string
	What     string // "record", "guardian added", …
}

// PersonRecord is what the service knows about a person beyond their
// record: the team around them, decisions on their competence, where they
// and their parents differ, and the record's history. Only staff of the
// holding service see it.
type PersonRecord struct {
	Professionals []*Professional
	Competence    []*CompetenceDecision // newest first
	Differences   []*Difference         // newest first
	Changes       []*PersonChange       // newest first, at most MaxPersonChanges
}

// MaxPersonChanges is how many recent changes a PersonRecord carries.
const MaxPersonChanges = 10
