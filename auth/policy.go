package auth

import (
	"slices"

	linkwork "github.com/linkwork/linkwork"
)

// Kind names a kind of record the policy rules over.
type Kind string

// The kinds of record.
const (
	KindPerson       Kind = "person"
	KindReferral     Kind = "referral"
	KindCase         Kind = "case" // and what hangs off a case: contacts, goals, measures
	KindConnection   Kind = "connection"
	KindAsset        Kind = "asset"
	KindOrganisation Kind = "organisation"
	KindUser         Kind = "user"
	KindAudit        Kind = "audit"
	// KindGap is an unmet need logged from a case: no person's identity,
	// only their age band and district.
	KindGap Kind = "gap"
	// KindFund is a service's fund: its name, budget, period and what
	// is left. Nothing about anyone.
	KindFund Kind = "fund"
	// KindFundRequest is a request to a fund to pay towards a person's
	// connection: it hangs off the case, as the connection does.
	KindFundRequest Kind = "fund_request"
	// KindSupervision is a supervision session and its private note: for
	// the supervisor and the workers supervised in it alone.
	KindSupervision Kind = "supervision"
	// KindTraining is a course a worker of the service completed.
	KindTraining Kind = "training"
	// KindConcern is a safeguarding concern about a person: what was seen
	// or said, and what the safeguarding lead did about it.
	KindConcern Kind = "concern"
	// KindOutcomeSummary is a service's outcome measures added up: how
	// many people improved, and by how much on average. It names nobody;
	// small numbers are suppressed for readers outside the service
	// (InsideService).
	KindOutcomeSummary Kind = "outcome_summary"
	// KindEvaluationExport is a service's person-level dataset for an
	// evaluation under a data-sharing agreement: pseudonymous, with no
	// names, contact details or free text, but a row per person all the
	// same, so for the service's coordinators alone to give out.
	KindEvaluationExport Kind = "evaluation_export"
	// KindReferrerFlow is referrals added up by who referred them and
	// what became of them, month by month: a referrer's own, and every
	// referrer's to a service for its coordinators. It names nobody.
	KindReferrerFlow Kind = "referrer_flow"
	// KindGroupEvidence is a community organisation's evidence pack: the
	// people connected to its activities added up, small numbers
	// suppressed, for the organisation to show its funders.
	KindGroupEvidence Kind = "group_evidence"
	// KindReport is a service's referrals added up: the dashboard's
	// counts, funnel and waits. It names nobody; small numbers are
	// suppressed for readers outside the service (InsideService).
	KindReport Kind = "report"
	// KindFeed is a neighbour's Open Referral UK feed the directory
	// harvests, and the changes it brings waiting for a curator: only
	// what organisations publish, nothing about anyone.
	KindFeed Kind = "feed"
)

// Kinds lists every kind.
var Kinds = []Kind{KindPerson, KindReferral, KindCase, KindConnection, KindAsset, KindOrganisation, KindUser, KindAudit, KindGap, KindFund, KindFundRequest, KindSupervision, KindTraining, KindConcern, KindOutcomeSummary, KindEvaluationExport, KindReferrerFlow, KindGroupEvidence, KindReport, KindFeed}

// Scope is the set of records of one kind an actor may see. The zero Scope
// sees nothing. When several fields are set, a record must match all of
// them. The store translates a Scope into SQL; Matches is the same rule in
// Go, for tests and in-memory checks.
type Scope struct {
	All bool // every record of the kind
	// ServiceOrgID: records held by this social prescribing service (for
	// audit events, the events in its trail).
	ServiceOrgID string
	// ReferrerOrgID: referrals made by this organisation, and the people
	// they were made for.
	ReferrerOrgID string
	// LinkWorkerID: cases allocated to this link worker, and what hangs off
	// them.
	LinkWorkerID string
	// AssetOrgID: connections that hand a person over to this
	// organisation's assets (refer, buddy, phased) while they are live
	// (contacted, accepted, attended, continuing), and the people in them.
	// A signpost, a suggestion, or a connection declined or dropped shows
	// the organisation nobody.
	AssetOrgID string
	// OrgID: users of this organisation.
	OrgID string
	// UserID: this user's own account (for training, their own records).
	UserID string
	// ParticipantID: records this user took part in (a supervision they
	// gave or had).
	ParticipantID string
	// RaisedOrWorkedBy: concerns this user raised, or about a person
	// whose case is allocated to them.
	RaisedOrWorkedBy string
	// FunderOrgID: records of the services this organisation funds (a
	// service whose parent organisation it is).
	FunderOrgID string
}

// None reports whether the scope sees nothing.
func (s Scope) None() bool { return s == Scope{} }

// Record describes a record's ownership: who holds it, who made it, who
// works on it. A field that does not apply to a kind is empty.
type Record struct {
	Kind         Kind
	ServiceOrgID string
	// ReferrerOrgIDs are the organisations that referred the record's
	// person (for a referral, its one referrer).
	ReferrerOrgIDs []string
	LinkWorkerID   string
	// AssetOrgIDs are the organisations running the assets the record's
	// person is handed over to by a live connection (for a connection, its
	// asset's org while it is live and hands over; for an asset, its org).
	AssetOrgIDs []string
	OrgID       string // a user's organisation
	UserID      string // a user's id; for a training record, its worker's
	// ParticipantIDs are the people who took part in the record (a
	// supervision's supervisor and workers).
	ParticipantIDs []string
	// RaisedBy is who raised a concern.
	RaisedBy string
	// FunderOrgID is the organisation that funds the record's service
	// (the service's parent organisation), for figures a commissioner
	// reads.
	FunderOrgID string
}

// Matches reports whether the record falls inside the scope.
func (s Scope) Matches(r Record) bool {
	if s.All {
		return true
	}
	if s.None() {
		return false
	}
	if s.ServiceOrgID != "" && r.ServiceOrgID != s.ServiceOrgID {
		return false
	}
	if s.ReferrerOrgID != "" && !contains(r.ReferrerOrgIDs, s.ReferrerOrgID) {
		return false
	}
	if s.LinkWorkerID != "" && r.LinkWorkerID != s.LinkWorkerID {
		return false
	}
	if s.AssetOrgID != "" && !contains(r.AssetOrgIDs, s.AssetOrgID) {
		return false
	}
	if s.OrgID != "" && r.OrgID != s.OrgID {
		return false
	}
	if s.UserID != "" && r.UserID != s.UserID {
		return false
	}
	if s.ParticipantID != "" && !contains(r.ParticipantIDs, s.ParticipantID) {
		return false
	}
	if s.RaisedOrWorkedBy != "" && r.RaisedBy != s.RaisedOrWorkedBy && r.LinkWorkerID != s.RaisedOrWorkedBy {
		return false
	}
	if s.FunderOrgID != "" && r.FunderOrgID != s.FunderOrgID {
		return false
	}
	return true
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// ScopeFor returns the records of kind k that actor a may see. This is the
// one statement of visibility; everything that reads records goes through
// it.
func ScopeFor(a linkwork.Actor, k Kind) Scope {
	if a.System {
		return Scope{All: true}
	}
	if a.UserID == "" || !a.Role.Valid() {
		return Scope{}
	}
	service := Scope{ServiceOrgID: a.OrgID}
	switch k {
	case KindAsset, KindOrganisation:
		// The directory and the list of organisations hold nothing about
		// the people link workers support: only what organisations
		// publish, contacts they name for a listing included.
		return Scope{All: true}
	case KindUser:
		switch a.Role {
		case linkwork.RoleAdmin:
			return Scope{All: true}
		case linkwork.RoleCoordinator:
			return Scope{OrgID: a.OrgID}
		}
		return Scope{UserID: a.UserID}
	case KindAudit:
		switch a.Role {
		case linkwork.RoleAdmin:
			// Administrators run the system: the whole trail.
			return Scope{All: true}
		case linkwork.RoleSafeguarding:
			// Their own service's events: those about records it holds
			// and those by its own people (AuditEvent.ServiceOrgID).
			return service
		}
		return Scope{}
	}
	if k == KindFeed {
		// Those who curate the directory: its feeds are shared by every
		// service, as the directory is.
		if a.Role == linkwork.RoleCoordinator {
			return Scope{All: true}
		}
		return Scope{}
	}
	switch k {
	case KindOutcomeSummary, KindReport:
		// The figures are the service's coordinators' to run it by, and
		// its funders' to commission it by: a commissioner reads those of
		// the services it funds, with small numbers suppressed.
		switch a.Role {
		case linkwork.RoleCoordinator:
			return service
		case linkwork.RoleCommissioner:
			return Scope{FunderOrgID: a.OrgID}
		}
		return Scope{}
	case KindEvaluationExport:
		// Giving a person-level dataset to an evaluator is the service's
		// decision, under its data-sharing agreement: its coordinators'.
		// A commissioner reads figures, never rows about people.
		if a.Role == linkwork.RoleCoordinator {
			return service
		}
		return Scope{}
	case KindReferrerFlow:
		// A referrer sees what became of its own organisation's
		// referrals, added up; a coordinator every referrer's to the
		// service, to see who has gone quiet.
		switch a.Role {
		case linkwork.RoleCoordinator:
			return service
		case linkwork.RoleReferrer:
			return Scope{ReferrerOrgID: a.OrgID}
		}
		return Scope{}
	case KindGroupEvidence:
		// A community organisation reads its own pack, from every
		// service's connections to it; a coordinator any organisation's,
		// from their service's.
		switch a.Role {
		case linkwork.RoleCoordinator:
			return service
		case linkwork.RoleCommunity:
			return Scope{AssetOrgID: a.OrgID}
		}
		return Scope{}
	case KindFund:
		// A service's funds are its coordinators' to hold and its link
		// workers' to know of, so that they know what they can draw on.
		if a.Role == linkwork.RoleCoordinator || a.Role == linkwork.RoleLinkWorker {
			return service
		}
		return Scope{}
	case KindFundRequest:
		// Requests name the person, as the connection they pay towards
		// does: a coordinator sees the service's, a link worker their
		// own cases'. Nobody outside the service's staff sees them.
		switch a.Role {
		case linkwork.RoleCoordinator:
			return service
		case linkwork.RoleLinkWorker:
			return Scope{ServiceOrgID: a.OrgID, LinkWorkerID: a.UserID}
		}
		return Scope{}
	case KindConcern:
		// A concern is for those who must act on it or who hold the
		// person's support: the service's safeguarding leads and
		// coordinators, whoever raised it, and the link worker of the
		// person's case. Never a referrer, a community organisation or
		// a commissioner; nor an administrator, who runs the system
		// and has no part in a person's safety.
		switch a.Role {
		case linkwork.RoleCoordinator, linkwork.RoleSafeguarding:
			return service
		case linkwork.RoleLinkWorker:
			return Scope{ServiceOrgID: a.OrgID, RaisedOrWorkedBy: a.UserID}
		}
		return Scope{}
	}
	switch k {
	case KindSupervision:
		// A supervision and its note are private to those in it: its
		// supervisor (a coordinator, or whom the service names) and the
		// workers supervised. Other coordinators see only when each
		// worker was last supervised, on the team page.
		switch a.Role {
		case linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding:
			return Scope{ServiceOrgID: a.OrgID, ParticipantID: a.UserID}
		}
		return Scope{}
	case KindTraining:
		// A coordinator sees the service's training, to see what is due;
		// a link worker their own.
		switch a.Role {
		case linkwork.RoleCoordinator:
			return service
		case linkwork.RoleLinkWorker:
			return Scope{ServiceOrgID: a.OrgID, UserID: a.UserID}
		}
		return Scope{}
	}
	switch a.Role {
	case linkwork.RoleCoordinator, linkwork.RoleSafeguarding:
		if k == KindGap {
			// The service's unmet needs are its coordinators' evidence
			// for commissioning and community development. The policy
			// has no aggregate-only reading for commissioners, so they
			// do not read them.
			if a.Role == linkwork.RoleCoordinator {
				return service
			}
			return Scope{}
		}
		switch k {
		case KindPerson, KindReferral, KindCase, KindConnection:
			return service
		}
	case linkwork.RoleLinkWorker:
		switch k {
		case KindPerson, KindReferral:
			// Link workers triage, so they see every referral to their
			// service and the people in them.
			return service
		case KindCase, KindConnection:
			return Scope{ServiceOrgID: a.OrgID, LinkWorkerID: a.UserID}
		}
	case linkwork.RoleReferrer:
		switch k {
		case KindReferral, KindPerson:
			return Scope{ReferrerOrgID: a.OrgID}
		}
	case linkwork.RoleCommunity:
		switch k {
		case KindConnection, KindPerson:
			return Scope{AssetOrgID: a.OrgID}
		}
	}
	// Commissioners and administrators see no person-level records.
	return Scope{}
}

// InsideService reports whether a reader of figures within scope s reads
// them as one of the service's own staff, who see exact figures; anyone
// else (a commissioner) sees counts under five suppressed.
func InsideService(a linkwork.Actor, s Scope) bool {
	return s.All || s.ServiceOrgID != "" && s.ServiceOrgID == a.OrgID && s.FunderOrgID == ""
}

// Action is something an actor does to a record.
type Action string

// The actions the policy decides.
const (
	ActionRead     Action = "read"
	ActionCreate   Action = "create"
	ActionUpdate   Action = "update"
	ActionDecide   Action = "decide"   // a triage decision on a referral
	ActionAllocate Action = "allocate" // give a waiting case to a link worker
	ActionClose    Action = "close"
	ActionRespond  Action = "respond" // a community organisation answers a connection
	ActionDisable  Action = "disable"
	ActionToken    Action = "token" // issue an API token
	ActionVerify   Action = "verify"
	// ActionReviewRisk records a decision on a referral flagged as a
	// possible risk.
	ActionReviewRisk Action = "review_risk"
	// ActionCheckEligibility reads how a referral meets its service's
	// rules (ages, areas, practices, pathways): the service's business,
	// not the referrer's.
	ActionCheckEligibility Action = "check_eligibility"
	// ActionTakeNext takes the next person off a service's waiting list
	// onto one's own caseload.
	ActionTakeNext Action = "take_next"
	// ActionSetComplexity weights a case in its worker's caseload.
	ActionSetComplexity Action = "set_complexity"
	// ActionHandOver passes a case to another link worker.
	ActionHandOver Action = "hand_over"
	// ActionCheckWaiting records a "waiting well" check-in with someone
	// on the service's waiting list.
	ActionCheckWaiting Action = "check_waiting"
	// ActionReturnDeferred brings a service's referrals deferred until
	// today back to its triage queue.
	ActionReturnDeferred Action = "return_deferred"
	// ActionReport says a directory listing is out of date.
	ActionReport Action = "report"
	// ActionConfigure changes a service's settings (an organisation's,
	// with Record.ServiceOrgID the service).
	ActionConfigure Action = "configure"
	// ActionSetTarget sets how often a link worker is supervised, and
	// by whom.
	ActionSetTarget Action = "set_target"
	// ActionRaiseConcern raises a safeguarding concern on a case or a
	// referral.
	ActionRaiseConcern Action = "raise_concern"
	// ActionHarvest fetches a neighbour's feed into the directory now.
	ActionHarvest Action = "harvest"
)

// roleActions is the role part of Can: for each kind and action, the roles
// that may ever do it, to some record of their own. Can then holds the
// record to its ownership (their own service, their own case, their own
// organisation's listing); the front door asks the same table who may
// reach a route (Allows), so that the two cannot disagree. Reading is not
// here: who may read what is ScopeFor.
var roleActions = map[Kind]map[Action][]linkwork.Role{
	KindReferral: {
		// Staff record walk-ins and phone referrals to the hub.
		ActionCreate:         {linkwork.RoleReferrer, linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		ActionDecide:         {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		ActionReviewRisk:     {linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding}, // the safeguarding lead acts on risk too
		ActionReturnDeferred: {linkwork.RoleCoordinator},
		// Whether a referral meets the service's criteria: for those who
		// triage it and the safeguarding lead.
		ActionCheckEligibility: {linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding},
		// Anyone of the service who sees a referral may raise a concern
		// on it: safeguarding is everyone's business.
		ActionRaiseConcern: {linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding},
	},
	KindPerson: {
		ActionCreate: {linkwork.RoleReferrer, linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		ActionUpdate: {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
	},
	KindCase: {
		ActionCreate:        {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		ActionUpdate:        {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		ActionClose:         {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		ActionAllocate:      {linkwork.RoleCoordinator},
		ActionSetComplexity: {linkwork.RoleCoordinator},
		ActionHandOver:      {linkwork.RoleCoordinator},
		ActionTakeNext:      {linkwork.RoleLinkWorker},
		ActionCheckWaiting:  {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		// On a case: those who work it, and the safeguarding lead (Can).
		ActionRaiseConcern: {linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding},
	},
	KindConcern: {
		// Recording what was done (advice, a referral to social care,
		// the police...) is the safeguarding lead's, and the
		// coordinators' too: out of hours, or while the lead is away,
		// the coordinator is who acts, and what they did must be on the
		// record where the lead will read it. Closing a concern, the
		// judgement that nothing more is needed, is the lead's alone.
		ActionUpdate: {linkwork.RoleSafeguarding, linkwork.RoleCoordinator},
		ActionClose:  {linkwork.RoleSafeguarding},
	},
	KindConnection: {
		ActionCreate:  {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		ActionUpdate:  {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		ActionRespond: {linkwork.RoleCommunity},
	},
	KindGap: {
		// Logged from a case, by whoever works it (Can).
		ActionCreate: {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
	},
	KindFund: {
		// A service's coordinators hold its funds.
		ActionCreate: {linkwork.RoleCoordinator},
	},
	KindFundRequest: {
		// Asked for from a case, by whoever works it (Can); decided by
		// the service's coordinators.
		ActionCreate: {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		ActionDecide: {linkwork.RoleCoordinator},
	},
	KindSupervision: {
		// Logged by someone who took part in it (Can): a supervisor or
		// a worker supervised.
		ActionCreate:    {linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding},
		ActionSetTarget: {linkwork.RoleCoordinator},
	},
	KindTraining: {
		// A worker records their own; a coordinator anyone's in the
		// service (Can).
		ActionCreate: {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
	},
	KindAsset: {
		ActionCreate: {linkwork.RoleCoordinator, linkwork.RoleCommunity},
		ActionUpdate: {linkwork.RoleCoordinator, linkwork.RoleCommunity},
		ActionReport: {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
	},
	KindOrganisation: {
		ActionCreate:    {linkwork.RoleAdmin},
		ActionUpdate:    {linkwork.RoleAdmin},
		ActionConfigure: {linkwork.RoleCoordinator, linkwork.RoleAdmin},
	},
	KindUser: {
		ActionCreate:  {linkwork.RoleAdmin},
		ActionUpdate:  {linkwork.RoleAdmin},
		ActionDisable: {linkwork.RoleAdmin},
		// Everyone, for their own account (Can).
		ActionToken: linkwork.Roles,
	},
	KindAudit: {
		ActionVerify: {linkwork.RoleAdmin},
	},
	KindFeed: {
		// Coordinators curate the directory: they register neighbours'
		// feeds, harvest them, and decide the changes waiting for
		// review (taking the feed's version or keeping the directory's).
		ActionCreate:  {linkwork.RoleCoordinator},
		ActionUpdate:  {linkwork.RoleCoordinator},
		ActionHarvest: {linkwork.RoleCoordinator},
		ActionDecide:  {linkwork.RoleCoordinator},
	},
}

// roleMay reports whether the role may do act to some record of kind k:
// for reading, whether it sees any record of the kind at all.
func roleMay(role linkwork.Role, k Kind, act Action) bool {
	if !role.Valid() {
		return false
	}
	if act == ActionRead {
		return !ScopeFor(linkwork.Actor{UserID: "someone", OrgID: "their-org", Role: role}, k).None()
	}
	return slices.Contains(roleActions[k][act], role)
}

// Can reports whether actor a may do act to record r. It assumes r is
// visible to a (ScopeFor); for creation, r describes the record to be.
func Can(a linkwork.Actor, act Action, r Record) bool {
	if a.System {
		return true
	}
	if a.UserID == "" || !a.Role.Valid() {
		return false
	}
	if act == ActionRead {
		return ScopeFor(a, r.Kind).Matches(r)
	}
	if !roleMay(a.Role, r.Kind, act) {
		return false
	}
	// The roles are settled; what is left is whose the record is.
	ownService := r.ServiceOrgID == a.OrgID
	// A coordinator works every case of the service; a link worker their
	// own.
	worksOn := a.Role == linkwork.RoleCoordinator || r.LinkWorkerID == a.UserID
	switch r.Kind {
	case KindReferral:
		if act == ActionCreate && a.Role == linkwork.RoleReferrer {
			return contains(r.ReferrerOrgIDs, a.OrgID)
		}
		return ownService
	case KindPerson:
		// Referrers bring the people they refer; staff, their service's.
		return (act == ActionCreate && a.Role == linkwork.RoleReferrer) || ownService
	case KindCase:
		switch act {
		case ActionUpdate, ActionClose, ActionCreate:
			return ownService && worksOn
		case ActionRaiseConcern:
			return ownService && (worksOn || a.Role == linkwork.RoleSafeguarding)
		}
		return ownService
	case KindConcern:
		// Their own service's concerns.
		return ownService
	case KindGap:
		// For a case of their own service that they work.
		return ownService && worksOn
	case KindFund:
		return ownService
	case KindSupervision:
		if act == ActionCreate {
			// Only by someone in it, so that whoever logs it can read
			// it back.
			return ownService && contains(r.ParticipantIDs, a.UserID)
		}
		return ownService
	case KindTraining:
		return ownService && (a.Role == linkwork.RoleCoordinator || r.UserID == a.UserID)
	case KindFundRequest:
		if act == ActionCreate {
			// For a case of their own service that they work.
			return ownService && worksOn
		}
		// A coordinator decides any of the service's requests.
		return ownService
	case KindConnection:
		if act == ActionRespond {
			return contains(r.AssetOrgIDs, a.OrgID)
		}
		return ownService && worksOn
	case KindAsset:
		if a.Role == linkwork.RoleCommunity {
			// Their own organisation's listings.
			return contains(r.AssetOrgIDs, a.OrgID)
		}
		return true
	case KindOrganisation:
		if act == ActionConfigure && a.Role == linkwork.RoleCoordinator {
			// A service's settings, for its own coordinators.
			return ownService
		}
		return true
	case KindUser:
		if act == ActionToken {
			// Only for yourself, so that what a token does is recorded
			// against the person holding it. Operators issue service
			// tokens from the command line, as the system.
			return r.UserID == a.UserID
		}
		return true
	case KindAudit:
		return true
	case KindOutcomeSummary, KindReport, KindEvaluationExport, KindReferrerFlow, KindGroupEvidence:
		return true
	case KindFeed:
		// Every feed is the directory's, as every listing is.
		return true
	}
	return false
}

// AssetRecord is a listing's ownership, as the policy reads it: the
// organisation that runs it.
func AssetRecord(a *linkwork.Asset) Record {
	r := Record{Kind: KindAsset}
	if a.OrgID != "" {
		r.AssetOrgIDs = []string{a.OrgID}
	}
	return r
}
