package web

import (
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// The API's JSON shapes. Domain types carry no JSON tags; these do, and the
// names of their fields are the names errors use.

type contactPrefsJSON struct {
	Channels           []linkwork.Channel `json:"channels"`
	SafeToLeaveMessage bool               `json:"safe_to_leave_message"`
	Via                string             `json:"via,omitempty"`
	BestTimes          string             `json:"best_times,omitempty"`
	Notes              string             `json:"notes,omitempty"`
	Reminders          bool               `json:"reminders"`
}

type guardianJSON struct {
	ID                        string `json:"id,omitempty"`
	Name                      string `json:"name"`
	Relationship              string `json:"relationship,omitempty"`
	Phone                     string `json:"phone,omitempty"`
	Email                     string `json:"email,omitempty"`
	HasParentalResponsibility bool   `json:"has_parental_responsibility"`
	Involvement               string `json:"involvement,omitempty"`
}

type consentJSON struct {
	ID         string               `json:"id,omitempty"`
	Kind       linkwork.ConsentKind `json:"kind"`
	Given      bool                 `json:"given"`
	GivenBy    string               `json:"given_by,omitempty"`
	RecordedAt *time.Time           `json:"recorded_at,omitempty"`
	Note       string               `json:"note,omitempty"`
}

type personJSON struct {
	ID                 string           `json:"id,omitempty"`
	GivenName          string           `json:"given_name"`
	FamilyName         string           `json:"family_name,omitempty"`
	PreferredName      string           `json:"preferred_name,omitempty"`
	Pronouns           string           `json:"pronouns,omitempty"`
	DateOfBirth        string           `json:"date_of_birth,omitempty"`
	Gender             string           `json:"gender,omitempty"`
	Ethnicity          string           `json:"ethnicity,omitempty"`
	Address            string           `json:"address,omitempty"`
	Postcode           string           `json:"postcode,omitempty"`
	Phone              string           `json:"phone,omitempty"`
	Email              string           `json:"email,omitempty"`
	Contact            contactPrefsJSON `json:"contact"`
	SchoolOrWork       string           `json:"school_or_work,omitempty"`
	Languages          string           `json:"languages,omitempty"`
	NeedsInterpreter   bool             `json:"needs_interpreter"`
	AccessibilityNeeds string           `json:"accessibility_needs,omitempty"`
	Guardians          []guardianJSON   `json:"guardians"`
	Consents           []consentJSON    `json:"consents"`
	Version            int              `json:"version,omitempty"`
}

func personOut(p *linkwork.Person) personJSON {
	out := personJSON{
		ID: p.ID, GivenName: p.GivenName, FamilyName: p.FamilyName, PreferredName: p.PreferredName, Pronouns: p.Pronouns,
		DateOfBirth: p.DateOfBirth.String(), Gender: p.Gender, Ethnicity: p.Ethnicity, Address: p.Address, Postcode: p.Postcode,
		Phone: p.Phone, Email: p.Email, SchoolOrWork: p.SchoolOrWork, Languages: p.Languages, NeedsInterpreter: p.NeedsInterpreter,
		AccessibilityNeeds: p.AccessibilityNeeds, Version: p.Version,
		Contact:   contactPrefsJSON{Channels: append([]linkwork.Channel{}, p.Contact.Channels...), SafeToLeaveMessage: p.Contact.SafeToLeaveMessage, Via: p.Contact.Via, BestTimes: p.Contact.BestTimes, Notes: p.Contact.Notes, Reminders: p.Contact.Reminders},
		Guardians: []guardianJSON{}, Consents: []consentJSON{},
	}
	for _, g := range p.Guardians {
		out.Guardians = append(out.Guardians, guardianJSON(g))
	}
	for _, c := range p.Consents {
		at := c.RecordedAt
		out.Consents = append(out.Consents, consentJSON{ID: c.ID, Kind: c.Kind, Given: c.Given, GivenBy: c.GivenBy, RecordedAt: &at, Note: c.Note})
	}
	return out
}

func (j personJSON) person(p *linkwork.Problems, prefix string) *linkwork.Person {
	out := &linkwork.Person{
		ID: j.ID, GivenName: j.GivenName, FamilyName: j.FamilyName, PreferredName: j.PreferredName, Pronouns: j.Pronouns,
		DateOfBirth: parseDateField(p, prefix+"date_of_birth", j.DateOfBirth), Gender: j.Gender, Ethnicity: j.Ethnicity,
		Address: j.Address, Postcode: j.Postcode, Phone: j.Phone, Email: j.Email, SchoolOrWork: j.SchoolOrWork, Languages: j.Languages,
		NeedsInterpreter: j.NeedsInterpreter, AccessibilityNeeds: j.AccessibilityNeeds, Version: j.Version,
		Contact: linkwork.ContactPreferences{Channels: j.Contact.Channels, SafeToLeaveMessage: j.Contact.SafeToLeaveMessage, Via: j.Contact.Via, BestTimes: j.Contact.BestTimes, Notes: j.Contact.Notes, Reminders: j.Contact.Reminders},
	}
	for _, g := range j.Guardians {
		g.ID = ""
		out.Guardians = append(out.Guardians, linkwork.Guardian(g))
	}
	for _, c := range j.Consents {
		out.Consents = append(out.Consents, linkwork.Consent{Kind: c.Kind, Given: c.Given, GivenBy: c.GivenBy, Note: c.Note})
	}
	return out
}

type transitionJSON struct {
	From   linkwork.ReferralStatus `json:"from"`
	To     linkwork.ReferralStatus `json:"to"`
	At     time.Time               `json:"at"`
	By     string                  `json:"by"`
	Reason string                  `json:"reason,omitempty"`
}

type referralJSON struct {
	ID                  string                  `json:"id,omitempty"`
	Reference           string                  `json:"reference,omitempty"`
	ServiceOrgID        string                  `json:"service_org_id"`
	PersonID            string                  `json:"person_id,omitempty"`
	PersonName          string                  `json:"person_name,omitempty"`
	Pathway             linkwork.Pathway        `json:"pathway"`
	Mode                linkwork.ReferralMode   `json:"mode"`
	ReferrerOrgID       string                  `json:"referrer_org_id,omitempty"`
	ReferrerUserID      string                  `json:"referrer_user_id,omitempty"`
	ReferrerName        string                  `json:"referrer_name,omitempty"`
	ReferrerRole        string                  `json:"referrer_role,omitempty"`
	ReferrerContact     string                  `json:"referrer_contact,omitempty"`
	Reasons             string                  `json:"reasons"`
	WhatTheyWant        string                  `json:"what_they_want,omitempty"`
	Risks               string                  `json:"risks,omitempty"`
	YearGroup           string                  `json:"year_group,omitempty"`
	GPPracticeOrgID     string                  `json:"gp_practice_org_id,omitempty"`
	PersonAware         bool                    `json:"person_aware"`
	ConsentReferral     bool                    `json:"consent_referral"`
	ConsentSharing      bool                    `json:"consent_sharing"`
	PossibleDuplicateOf string                  `json:"possible_duplicate_of,omitempty"`
	Status              linkwork.ReferralStatus `json:"status,omitempty"`
	Streetlight         linkwork.Streetlight    `json:"streetlight,omitempty"`
	StatusReason        string                  `json:"status_reason,omitempty"`
	OnwardDestination   string                  `json:"onward_destination,omitempty"`
	DeferUntil          string                  `json:"defer_until,omitempty"`
	CaseID              string                  `json:"case_id,omitempty"`
	ReceivedAt          *time.Time              `json:"received_at,omitempty"`
	DecidedAt           *time.Time              `json:"decided_at,omitempty"`
	ReturnedAt          *time.Time              `json:"returned_at,omitempty"`
	CaseStatus          linkwork.CaseStatus     `json:"case_status,omitempty"`
	CaseAllocatedAt     *time.Time              `json:"case_allocated_at,omitempty"`
	Outcome             string                  `json:"outcome,omitempty"`
	ClosedAt            *time.Time              `json:"closed_at,omitempty"`
	Transitions         []transitionJSON        `json:"transitions,omitempty"`
	SafeNow             linkwork.Answer         `json:"safe_now,omitempty"`
	HarmThoughts        linkwork.Answer         `json:"harm_thoughts,omitempty"`
	RiskFlag            *riskFlagJSON           `json:"risk_flag,omitempty"`
	Version             int                     `json:"version,omitempty"`
}

// riskFlagJSON is a referral's risk screen: what flagged it and the
// decision on it.
type riskFlagJSON struct {
	State     linkwork.RiskState `json:"state"`
	Matched   []riskMatchJSON    `json:"matched"`
	Note      string             `json:"note,omitempty"`
	DecidedBy string             `json:"decided_by,omitempty"`
	DecidedAt *time.Time         `json:"decided_at,omitempty"`
}

type riskMatchJSON struct {
	Field string `json:"field"`
	Text  string `json:"text"`
}

func riskFlagOut(f linkwork.RiskFlag) *riskFlagJSON {
	if f.State == linkwork.RiskNone {
		return nil
	}
	out := &riskFlagJSON{State: f.State, Matched: []riskMatchJSON{}, Note: f.Note, DecidedBy: f.DecidedBy, DecidedAt: timePtr(f.DecidedAt)}
	for _, m := range f.Matched {
		out.Matched = append(out.Matched, riskMatchJSON(m))
	}
	return out
}

// riskReviewIn is the body of POST /api/v1/referrals/{id}/risk-review.
type riskReviewIn struct {
	Version int    `json:"version"`
	Outcome string `json:"outcome"`
	Note    string `json:"note"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func referralOut(r *linkwork.Referral) referralJSON {
	out := referralJSON{
		ID: r.ID, ServiceOrgID: r.ServiceOrgID, PersonID: r.PersonID, PersonName: r.PersonName, Pathway: r.Pathway, Mode: r.Mode,
		ReferrerOrgID: r.ReferrerOrgID, ReferrerUserID: r.ReferrerUserID, ReferrerName: r.ReferrerName, ReferrerRole: r.ReferrerRole, ReferrerContact: r.ReferrerContact,
		Reasons: r.Reasons, WhatTheyWant: r.WhatTheyWant, Risks: r.Risks, YearGroup: r.YearGroup, PersonAware: r.Aware(),
		ConsentReferral: r.ConsentReferral, ConsentSharing: r.ConsentSharing, PossibleDuplicateOf: r.PossibleDuplicateOf, Status: r.Status,
		Streetlight: r.Streetlight, StatusReason: r.StatusReason, OnwardDestination: r.OnwardDestination, DeferUntil: r.DeferUntil.String(),
		CaseID: r.CaseID, ReceivedAt: timePtr(r.ReceivedAt), DecidedAt: timePtr(r.DecidedAt), Version: r.Version,
		GPPracticeOrgID: r.GPPracticeOrgID, ReturnedAt: timePtr(r.ReturnedAt), CaseStatus: r.CaseStatus, Outcome: r.Outcome, ClosedAt: timePtr(r.ClosedAt),
		SafeNow: r.SafeNow, HarmThoughts: r.HarmThoughts, RiskFlag: riskFlagOut(r.Risk), CaseAllocatedAt: timePtr(r.CaseAllocatedAt),
	}
	if r.ID != "" {
		out.Reference = r.Reference()
	}
	for _, t := range r.Transitions {
		out.Transitions = append(out.Transitions, transitionJSON{From: t.From, To: t.To, At: t.At, By: t.ByID, Reason: t.Reason})
	}
	return out
}

// referralIn is the body of POST /api/v1/referrals.
type referralIn struct {
	ServiceOrgID    string                `json:"service_org_id"`
	Pathway         linkwork.Pathway      `json:"pathway"`
	Mode            linkwork.ReferralMode `json:"mode"`
	ReferrerOrgID   string                `json:"referrer_org_id"`
	ReferrerName    string                `json:"referrer_name"`
	ReferrerRole    string                `json:"referrer_role"`
	ReferrerContact string                `json:"referrer_contact"`
	Reasons         string                `json:"reasons"`
	WhatTheyWant    string                `json:"what_they_want"`
	Risks           string                `json:"risks"`
	YearGroup       string                `json:"year_group"`
	GPPracticeOrgID string                `json:"gp_practice_org_id"`
	PersonAware     *bool                 `json:"person_aware"`
	ConsentReferral bool                  `json:"consent_referral"`
	ConsentSharing  bool                  `json:"consent_sharing"`
	SafeNow         linkwork.Answer       `json:"safe_now"`
	HarmThoughts    linkwork.Answer       `json:"harm_thoughts"`
	Person          *personJSON           `json:"person"`
}

// decisionIn is the body of POST /api/v1/referrals/{id}/decision.
type decisionIn struct {
	Version           int                     `json:"version"`
	To                linkwork.ReferralStatus `json:"to"`
	Reason            string                  `json:"reason"`
	OnwardDestination string                  `json:"onward_destination"`
	DeferUntil        string                  `json:"defer_until"`
	LinkWorkerID      string                  `json:"link_worker_id"`
	Streetlight       linkwork.Streetlight    `json:"streetlight"`
}

type caseJSON struct {
	ID              string              `json:"id"`
	PersonID        string              `json:"person_id"`
	PersonName      string              `json:"person_name"`
	ReferralID      string              `json:"referral_id"`
	ServiceOrgID    string              `json:"service_org_id"`
	LinkWorkerID    string              `json:"link_worker_id,omitempty"`
	LinkWorkerName  string              `json:"link_worker_name,omitempty"`
	Status          linkwork.CaseStatus `json:"status"`
	PlannedSessions int                 `json:"planned_sessions"`
	WhatMatters     string              `json:"what_matters,omitempty"`
	Needs           string              `json:"needs,omitempty"`
	Plan            string              `json:"plan,omitempty"`
	ClosureReason   string              `json:"closure_reason,omitempty"`
	OutcomeSummary  string              `json:"outcome_summary,omitempty"`
	OpenedAt        time.Time           `json:"opened_at"`
	AllocatedAt     *time.Time          `json:"allocated_at,omitempty"`
	ClosedAt        *time.Time          `json:"closed_at,omitempty"`
	Version         int                 `json:"version"`
	// Complexity weights the case in its worker's caseload, 1 to 3.
	Complexity int `json:"complexity,omitempty"`
}

func caseOut(c *linkwork.Case) caseJSON {
	return caseJSON{ID: c.ID, PersonID: c.PersonID, PersonName: c.PersonName, ReferralID: c.ReferralID, ServiceOrgID: c.ServiceOrgID, LinkWorkerID: c.LinkWorkerID,
		LinkWorkerName: c.LinkWorkerName, Status: c.Status, PlannedSessions: c.PlannedSessions, WhatMatters: c.WhatMatters, Needs: c.Needs, Plan: c.Plan,
		ClosureReason: string(c.ClosureReason), OutcomeSummary: c.OutcomeSummary, OpenedAt: c.OpenedAt, AllocatedAt: timePtr(c.AllocatedAt), ClosedAt: timePtr(c.ClosedAt), Version: c.Version,
		Complexity: c.Complexity}
}

type connectionJSON struct {
	ID         string `json:"id"`
	CaseID     string `json:"case_id"`
	PersonID   string `json:"person_id"`
	PersonName string `json:"person_name"`
	AssetID    string `json:"asset_id"`
	AssetName  string `json:"asset_name"`
	// LinkWorkerName is who holds the case: who the organisation talks to.
	LinkWorkerName string                    `json:"link_worker_name,omitempty"`
	Level          linkwork.ConnectionLevel  `json:"level"`
	Status         linkwork.ConnectionStatus `json:"status"`
	Note           string                    `json:"note,omitempty"`
	// FundPence is what the service's funds have paid towards it: the
	// sum of its approved requests (none shown to an organisation).
	FundPence int       `json:"fund_pence,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

func connectionOut(c *linkwork.Connection) connectionJSON {
	return connectionJSON{ID: c.ID, CaseID: c.CaseID, PersonID: c.PersonID, PersonName: c.PersonName, AssetID: c.AssetID, AssetName: c.AssetName, LinkWorkerName: c.LinkWorkerName,
		Level: c.Level, Status: c.Status, Note: c.Note, FundPence: c.FundPence, UpdatedAt: c.UpdatedAt, Version: c.Version}
}

type organisationJSON struct {
	ID       string           `json:"id,omitempty"`
	Name     string           `json:"name"`
	Kind     linkwork.OrgKind `json:"kind"`
	ParentID string           `json:"parent_id,omitempty"`
	Code     string           `json:"code,omitempty"`
	Address  string           `json:"address,omitempty"`
	Postcode string           `json:"postcode,omitempty"`
	Phone    string           `json:"phone,omitempty"`
	Email    string           `json:"email,omitempty"`
	Version  int              `json:"version,omitempty"`
}

func organisationOut(o *linkwork.Organisation) organisationJSON {
	return organisationJSON{ID: o.ID, Name: o.Name, Kind: o.Kind, ParentID: o.ParentID, Code: o.Code, Address: o.Address, Postcode: o.Postcode, Phone: o.Phone, Email: o.Email, Version: o.Version}
}

type userJSON struct {
	ID        string        `json:"id,omitempty"`
	OrgID     string        `json:"org_id"`
	Email     string        `json:"email"`
	Name      string        `json:"name"`
	Role      linkwork.Role `json:"role"`
	Disabled  bool          `json:"disabled"`
	AgeMin    int           `json:"age_min,omitempty"`
	AgeMax    int           `json:"age_max,omitempty"`
	LastLogin *time.Time    `json:"last_login,omitempty"`
	Version   int           `json:"version,omitempty"`
}

func userOut(u *linkwork.User) userJSON {
	return userJSON{ID: u.ID, OrgID: u.OrgID, Email: u.Email, Name: u.Name, Role: u.Role, Disabled: u.Disabled, AgeMin: u.AgeMin, AgeMax: u.AgeMax, LastLogin: timePtr(u.LastLogin), Version: u.Version}
}

// userIn is the body of POST /api/v1/users.
type userIn struct {
	OrgID    string        `json:"org_id"`
	Email    string        `json:"email"`
	Name     string        `json:"name"`
	Role     linkwork.Role `json:"role"`
	AgeMin   int           `json:"age_min"`
	AgeMax   int           `json:"age_max"`
	Password string        `json:"password"`
}

type tokenIn struct {
	UserID    string `json:"user_id"`
	Name      string `json:"name"`
	ExpiresAt string `json:"expires_at"`
}

type tokenJSON struct {
	ID        string    `json:"id"`
	Token     string    `json:"token"`
	UserID    string    `json:"user_id"`
	Name      string    `json:"name"`
	ExpiresAt time.Time `json:"expires_at"`
}

// tokenInfoJSON is one of the caller's API tokens as listed: never the
// token itself.
type tokenInfoJSON struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	Expired   bool       `json:"expired"`
	LastUsed  *time.Time `json:"last_used,omitempty"`
}

func tokenInfoOut(t *linkwork.APIToken, now time.Time) tokenInfoJSON {
	return tokenInfoJSON{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, Expired: t.Expired(now), LastUsed: timePtr(t.LastUsed)}
}

type auditJSON struct {
	Seq        int64         `json:"seq"`
	At         time.Time     `json:"at"`
	ActorID    string        `json:"actor_id"`
	ActorRole  linkwork.Role `json:"actor_role,omitempty"`
	ActorOrgID string        `json:"actor_org_id,omitempty"`
	Action     string        `json:"action"`
	RecordType string        `json:"record_type,omitempty"`
	RecordID   string        `json:"record_id,omitempty"`
	Purpose    string        `json:"purpose,omitempty"`
	Detail     string        `json:"detail,omitempty"`
	PrevHash   string        `json:"prev_hash"`
	Hash       string        `json:"hash"`
	Keyed      bool          `json:"keyed"`
	// ServiceOrgID is the organisation whose trail the event is in.
	ServiceOrgID string `json:"service_org_id,omitempty"`
	// ActorName and RecordName are given only to a reader who may see
	// the actor or the record.
	ActorName  string `json:"actor_name,omitempty"`
	RecordName string `json:"record_name,omitempty"`
}

func auditOut(e *linkwork.AuditEvent) auditJSON { return auditJSON(*e) }

type countJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	N     int    `json:"n"`
}

type caseloadJSON struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	Active int    `json:"active"`
}

// homeJSON holds only the figures the role sees; the others are omitted.
type homeJSON struct {
	MyReferralsOpen     *int           `json:"my_referrals_open,omitempty"`
	MyReferralsAccepted *int           `json:"my_referrals_accepted,omitempty"`
	MyReferralsDeclined *int           `json:"my_referrals_declined,omitempty"`
	MyCaseload          *int           `json:"my_caseload,omitempty"`
	MyContactsWeek      *int           `json:"my_contacts_week,omitempty"`
	AwaitingTriage      *int           `json:"awaiting_triage,omitempty"`
	DeferredDueBack     *int           `json:"deferred_due_back,omitempty"`
	WaitingList         *int           `json:"waiting_list,omitempty"`
	RedAmber            *int           `json:"red_amber,omitempty"`
	RiskToReview        *int           `json:"risk_to_review,omitempty"`
	OpenCases           *int           `json:"open_cases,omitempty"`
	Caseloads           []caseloadJSON `json:"caseloads,omitempty"`
	MyListings          *int           `json:"my_listings,omitempty"`
	MyStaleListings     *int           `json:"my_stale_listings,omitempty"`
	ConnectionsToMe     *int           `json:"connections_to_me,omitempty"`
	ReferralsTotal      *int           `json:"referrals_total,omitempty"`
	AcceptedTotal       *int           `json:"accepted_total,omitempty"`
	ClosedCases         *int           `json:"closed_cases,omitempty"`
	ReferralsByPathway  []countJSON    `json:"referrals_by_pathway,omitempty"`
	Users               *int           `json:"users,omitempty"`
	DisabledUsers       *int           `json:"disabled_users,omitempty"`
	Organisations       *int           `json:"organisations,omitempty"`
	AuditEvents         *int64         `json:"audit_events,omitempty"`
	Assets              int            `json:"assets"`
	StaleAssets         int            `json:"stale_assets"`
}

func homeOut(role linkwork.Role, h *linkwork.HomeFigures) homeJSON {
	out := homeJSON{Assets: h.Assets, StaleAssets: h.StaleAssets}
	switch role {
	case linkwork.RoleReferrer:
		out.MyReferralsOpen, out.MyReferralsAccepted, out.MyReferralsDeclined = &h.MyReferralsOpen, &h.MyReferralsAccepted, &h.MyReferralsDeclined
	case linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding:
		out.AwaitingTriage, out.DeferredDueBack, out.WaitingList, out.RedAmber, out.OpenCases = &h.AwaitingTriage, &h.DeferredDueBack, &h.WaitingList, &h.RedAmber, &h.OpenCases
		out.RiskToReview = &h.RiskToReview
		if role == linkwork.RoleLinkWorker {
			out.MyCaseload, out.MyContactsWeek = &h.MyCaseload, &h.MyContactsWeek
		} else {
			out.Caseloads = mapSlice(h.Caseloads, func(c linkwork.Caseload) caseloadJSON { return caseloadJSON(c) })
		}
	case linkwork.RoleCommunity:
		out.MyListings, out.MyStaleListings, out.ConnectionsToMe = &h.MyListings, &h.MyStaleListings, &h.ConnectionsToMe
	case linkwork.RoleCommissioner:
		out.ReferralsTotal, out.AcceptedTotal, out.ClosedCases = &h.ReferralsTotal, &h.AcceptedTotal, &h.ClosedCases
		out.ReferralsByPathway = mapSlice(h.ReferralsByPathway, func(c linkwork.Count) countJSON { return countJSON(c) })
	case linkwork.RoleAdmin:
		out.Users, out.DisabledUsers, out.Organisations, out.AuditEvents = &h.Users, &h.DisabledUsers, &h.Organisations, &h.AuditEvents
	}
	return out
}

// settingsJSON is a service's triage settings.
type settingsJSON struct {
	ServiceOrgID string             `json:"service_org_id"`
	ServiceName  string             `json:"service_name,omitempty"`
	MinAge       int                `json:"min_age"`
	MaxAge       int                `json:"max_age"`
	Pathways     []linkwork.Pathway `json:"pathways"`
	Areas        []string           `json:"areas"`
	PracticeIDs  []string           `json:"practice_ids"`
	Red          []string           `json:"red"`
	Amber        []string           `json:"amber"`
	Green        []string           `json:"green"`
	CrisisAdvice string             `json:"crisis_advice"`
	Contact      string             `json:"contact"`
	// RiskPhrases are the service's own, besides the defaults every
	// service screens for.
	RiskPhrases []string `json:"risk_phrases"`
	// ListingRecheckMonths is how long a confirmation of a listing lasts.
	ListingRecheckMonths int        `json:"listing_recheck_months"`
	Version              int        `json:"version"`
	UpdatedAt            *time.Time `json:"updated_at,omitempty"`
	// Casework are the service's casework rules, the values in force.
	Casework *caseworkJSON `json:"casework,omitempty"`
}

// caseworkJSON is a service's casework settings: in an answer, the values
// in force; in a request, 0 (or an empty review_sessions) means the
// default.
type caseworkJSON struct {
	FirstContactDays int   `json:"first_contact_days"`
	QuietWeeks       int   `json:"quiet_weeks"`
	PlannedSessions  int   `json:"planned_sessions"`
	ReviewSessions   []int `json:"review_sessions"`
	MaxGoals         int   `json:"max_goals"`
	FollowUpWeeks    int   `json:"follow_up_weeks"`
	CaseloadLimit    int   `json:"caseload_limit"`
	// SignpostCheckDays is omitted by clients written before it existed:
	// 0 keeps the default.
	SignpostCheckDays int `json:"signpost_check_days,omitempty"`
	// SupervisionDays is omitted by clients written before it existed:
	// 0 keeps the default.
	SupervisionDays int `json:"supervision_days,omitempty"`
}

func caseworkOut(c linkwork.CaseworkSettings) *caseworkJSON {
	return &caseworkJSON{FirstContactDays: int(c.FirstContactDue().Hours() / 24), QuietWeeks: int(c.QuietFor().Hours() / 24 / 7), PlannedSessions: c.Sessions(),
		ReviewSessions: c.Reviews(), MaxGoals: c.Goals(), FollowUpWeeks: c.FollowUpAfter(), CaseloadLimit: c.Limit(), SignpostCheckDays: c.SignpostCheck(),
		SupervisionDays: c.SupervisionEvery()}
}

func (c *caseworkJSON) settings() linkwork.CaseworkSettings {
	return linkwork.CaseworkSettings{FirstContactDays: c.FirstContactDays, QuietWeeks: c.QuietWeeks, PlannedSessions: c.PlannedSessions,
		ReviewSessions: c.ReviewSessions, MaxGoals: c.MaxGoals, FollowUpWeeks: c.FollowUpWeeks, CaseloadLimit: c.CaseloadLimit, SignpostCheckDays: c.SignpostCheckDays,
		SupervisionDays: c.SupervisionDays}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func settingsOut(st *linkwork.ServiceSettings) settingsJSON {
	return settingsJSON{ServiceOrgID: st.ServiceOrgID, ServiceName: st.ServiceName, MinAge: st.MinAge, MaxAge: st.MaxAge, Pathways: nonNil(st.Pathways),
		Areas: nonNil(st.Areas), PracticeIDs: nonNil(st.PracticeIDs), Red: nonNil(st.Red), Amber: nonNil(st.Amber), Green: nonNil(st.Green),
		CrisisAdvice: st.CrisisAdvice, Contact: st.Contact, RiskPhrases: nonNil(st.ExtraRiskPhrases), ListingRecheckMonths: st.ListingRecheckMonths, Version: st.Version, UpdatedAt: timePtr(st.UpdatedAt),
		Casework: caseworkOut(st.Casework)}
}

// settingsIn is the body of PUT /api/v1/services/{id}.
type settingsIn struct {
	MinAge       int                `json:"min_age"`
	MaxAge       int                `json:"max_age"`
	Pathways     []linkwork.Pathway `json:"pathways"`
	Areas        []string           `json:"areas"`
	PracticeIDs  []string           `json:"practice_ids"`
	Red          []string           `json:"red"`
	Amber        []string           `json:"amber"`
	Green        []string           `json:"green"`
	CrisisAdvice string             `json:"crisis_advice"`
	Contact      string             `json:"contact"`
	// RiskPhrases, when left out, keeps the saved ones.
	RiskPhrases *[]string `json:"risk_phrases"`
	// ListingRecheckMonths, when left out, keeps the saved value.
	ListingRecheckMonths *int `json:"listing_recheck_months"`
	Version              int  `json:"version"`
	// Casework, when left out, keeps the saved casework settings.
	Casework *caseworkJSON `json:"casework"`
}

type waitingJSON struct {
	Position      int       `json:"position"`
	CaseID        string    `json:"case_id"`
	PersonID      string    `json:"person_id"`
	PersonName    string    `json:"person_name"`
	ReferralID    string    `json:"referral_id"`
	OpenedAt      time.Time `json:"opened_at"`
	WaitedDays    int       `json:"waited_days"`
	ExpectedWeeks *float64  `json:"expected_weeks"`
}

type waitingListJSON struct {
	Items            []waitingJSON `json:"items"`
	Total            int           `json:"total"`
	Offset           int           `json:"offset"`
	Limit            int           `json:"limit"`
	AllocatedPerWeek float64       `json:"allocated_per_week"`
	ThroughputWeeks  int           `json:"throughput_weeks"`
}

// duplicateIn is the body of POST /api/v1/referrals/{id}/duplicate.
type duplicateIn struct {
	Version int  `json:"version"`
	Same    bool `json:"same"`
}

type notificationJSON struct {
	ID         string                    `json:"id"`
	Kind       linkwork.NotificationKind `json:"kind"`
	Subject    string                    `json:"subject"`
	Body       string                    `json:"body"`
	Link       string                    `json:"link,omitempty"`
	ReferralID string                    `json:"referral_id,omitempty"`
	CreatedAt  time.Time                 `json:"created_at"`
	ReadAt     *time.Time                `json:"read_at,omitempty"`
}

func notificationOut(n *linkwork.Notification) notificationJSON {
	return notificationJSON{ID: n.ID, Kind: n.Kind, Subject: n.Subject, Body: n.Body, Link: n.Link, ReferralID: n.ReferralID, CreatedAt: n.CreatedAt, ReadAt: timePtr(n.ReadAt)}
}

type notificationListJSON struct {
	Items  []notificationJSON `json:"items"`
	Total  int                `json:"total"`
	Unread int                `json:"unread"`
	Offset int                `json:"offset"`
	Limit  int                `json:"limit"`
}

// publicReferralIn is the body of POST /api/v1/public/referrals: a referral
// from someone without an account.
type publicReferralIn struct {
	ServiceOrgID    string           `json:"service_org_id"`
	Pathway         linkwork.Pathway `json:"pathway"`
	ReferrerName    string           `json:"referrer_name"`
	ReferrerRole    string           `json:"referrer_role"`
	ReferrerContact string           `json:"referrer_contact"`
	Reasons         string           `json:"reasons"`
	WhatTheyWant    string           `json:"what_they_want"`
	Risks           string           `json:"risks"`
	PersonAware     *bool            `json:"person_aware"`
	ConsentReferral bool             `json:"consent_referral"`
	SafeNow         linkwork.Answer  `json:"safe_now"`
	HarmThoughts    linkwork.Answer  `json:"harm_thoughts"`
	Person          *personJSON      `json:"person"`
}

type publicReferralOut struct {
	Reference    string                  `json:"reference"`
	Status       linkwork.ReferralStatus `json:"status"`
	ServiceOrgID string                  `json:"service_org_id"`
	WhatNext     string                  `json:"what_next"`
	CrisisAdvice string                  `json:"crisis_advice"`
	// ReadToday is true when the referral disclosed a possible risk: it is
	// read today, and the person should be shown the crisis advice first.
	ReadToday bool `json:"read_today"`
}
