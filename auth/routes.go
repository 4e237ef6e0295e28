package auth

import (
	"slices"

	linkwork "github.com/linkwork/linkwork"
)

// Capability names what a route of the front door does. Who may reach the
// route is asked of the policy (Allows), not listed again beside it: the
// capability stands for an action on a kind of record, and the roles that
// may reach the route are the roles Can lets do that action to some record
// of their own (for reading, the roles ScopeFor shows any such record).
// The services then hold each record to the rest of the policy.
type Capability string

// The capabilities of the routes.
const (
	ReadReferrals   Capability = "read_referrals"
	MakeReferrals   Capability = "make_referrals"
	DecideReferrals Capability = "decide_referrals" // triage decisions, and duplicates
	ReviewRisk      Capability = "review_risk"
	// WorkTriage is the service's triage queue: the referrals of the
	// whole service, so not for referrers, who read their own
	// organisation's referrals at /referrals.
	WorkTriage      Capability = "work_triage"
	ReturnDeferrals Capability = "return_deferrals"
	// ConfigureService is a service's settings: its ages, areas,
	// practices, pathways and criteria.
	ConfigureService Capability = "configure_service"

	ReadCases Capability = "read_cases"
	// WorkCases adds to and changes a case and what hangs off it: its
	// contacts and sessions, plan, goals, actions, reviews, and the
	// messages sent to the person.
	WorkCases Capability = "work_cases"
	// ReadCaseload is someone's caseload: the cases they work, so it is
	// for those who may work cases.
	ReadCaseload  Capability = "read_caseload"
	CloseCases    Capability = "close_cases"
	AllocateCases Capability = "allocate_cases" // and the team's caseloads, to allocate by
	SetComplexity Capability = "set_complexity"
	HandOverCases Capability = "hand_over_cases"
	TakeNextCase  Capability = "take_next_case"
	CheckWaiting  Capability = "check_waiting"
	// CloseWaiting closes a case still on the waiting list. A waiting
	// case has no link worker, so of the roles that close cases only a
	// coordinator can close one (Can's ownership part); the route says
	// so rather than let link workers in to be refused.
	CloseWaiting Capability = "close_waiting"

	// ReadPerson is a person's own record over the API, for those who
	// work with them. Referrers see the person within their referral
	// (GET /api/v1/referrals/{id}) and have no use for the record alone.
	ReadPerson      Capability = "read_person"
	UpdatePeople    Capability = "update_people"
	ReadConnections Capability = "read_connections"
	// MakeConnections adds an activity to a case.
	MakeConnections Capability = "make_connections"
	// MoveConnections moves a connection on: the link worker's moves
	// (updating it), and an organisation's answers to a referral to its
	// own activities (responding). Which moves are whose the service
	// decides (linkwork.ConnectionStatus.Answers).
	MoveConnections Capability = "move_connections"
	// WorkConnections moves a connection on from its case's page: the
	// link worker's moves only (an organisation answers from its own
	// page, and never sees the case).
	WorkConnections Capability = "work_connections"

	// LogGaps records an unmet need from a case; ReadGaps is the
	// service's totals of them (coordinators only: see ScopeFor).
	LogGaps  Capability = "log_gaps"
	ReadGaps Capability = "read_gaps"

	// ReadFunds is the service's funds, what they have spent and what
	// is left; RequestFunds asks a fund to pay towards a connection;
	// CreateFunds adds a fund; DecideFundRequests approves or declines
	// a request waiting for a coordinator. ReadFundRequests lists the
	// requests (a link worker's own cases', a coordinator's service's).
	ReadFunds          Capability = "read_funds"
	CreateFunds        Capability = "create_funds"
	RequestFunds       Capability = "request_funds"
	DecideFundRequests Capability = "decide_fund_requests"
	ReadFundRequests   Capability = "read_fund_requests"

	// ReadSupervision is the supervision page and list: the sessions
	// one took part in, and one's agenda. LogSupervision records one,
	// as its supervisor or a worker in it. SetSupervisionTargets sets
	// how often each link worker is supervised, and by whom.
	ReadSupervision       Capability = "read_supervision"
	LogSupervision        Capability = "log_supervision"
	SetSupervisionTargets Capability = "set_supervision_targets"
	// ReadTraining lists training records (a link worker their own, a
	// coordinator the service's); RecordTraining adds one.
	ReadTraining   Capability = "read_training"
	RecordTraining Capability = "record_training"
	// ReadTeam is the team page: each link worker's load, supervision
	// and training due, for those who allocate the service's cases.
	ReadTeam Capability = "read_team"
	// RaiseConcerns raises a safeguarding concern on a case, and
	// RaiseReferralConcerns on a referral. ReadConcerns is the concerns
	// list and a concern's page; ActOnConcerns records what was done
	// about one, and CloseConcerns closes one (safeguarding leads only:
	// see roleActions).
	RaiseConcerns         Capability = "raise_concerns"
	RaiseReferralConcerns Capability = "raise_referral_concerns"
	ReadConcerns          Capability = "read_concerns"
	ActOnConcerns         Capability = "act_on_concerns"
	CloseConcerns         Capability = "close_concerns"
	// ReadOutcomeSummary is the outcome measures added up for a service:
	// its coordinators' and its funders' (see ScopeFor).
	ReadOutcomeSummary Capability = "read_outcome_summary"
	// ExportEvaluation makes the service's pseudonymous person-level
	// dataset for an evaluator, and reads its data dictionary.
	ExportEvaluation Capability = "export_evaluation"
	// ReadReferrerFlow is the referrers' flow: a referrer's own, a
	// coordinator's every referrer's.
	ReadReferrerFlow Capability = "read_referrer_flow"
	// ReadGroupEvidence is a community organisation's evidence pack.
	ReadGroupEvidence Capability = "read_group_evidence"
	// ReadReports is the dashboard of a service's referrals added up:
	// its coordinators' and its funders' (see ScopeFor).
	ReadReports Capability = "read_reports"

	AddListings    Capability = "add_listings"
	CurateListings Capability = "curate_listings"
	ReportListings Capability = "report_listings"

	// ReadUsers is the list of users, for those who see more accounts
	// than their own: everyone else sees only themself in it, and their
	// own account is on /account.
	ReadUsers   Capability = "read_users"
	CreateUsers Capability = "create_users"
	// DisableUsers disables an account, and enables it again.
	DisableUsers        Capability = "disable_users"
	ManageOrganisations Capability = "manage_organisations"
	ReadAudit           Capability = "read_audit"
	VerifyAudit         Capability = "verify_audit"

	// ReadFeeds lists the neighbours' feeds the directory harvests, with
	// what each last harvest found, and the changes waiting for review;
	// ManageFeeds registers and edits one; HarvestFeeds harvests one now;
	// ReviewFeeds takes a feed's version of a change or keeps the
	// directory's.
	ReadFeeds    Capability = "read_feeds"
	ManageFeeds  Capability = "manage_feeds"
	HarvestFeeds Capability = "harvest_feeds"
	ReviewFeeds  Capability = "review_feeds"
)

// capabilityRule is what a capability asks of the policy: the action on
// the kind, or Also, when set, a second action on it that lets a role in
// as well (a route that serves two roles' different actions). Only, when set, narrows the roles the policy gives to these
// on purpose (the capability's comment says why); it never widens them.
type capabilityRule struct {
	Kind   Kind
	Action Action
	Also   Action
	Only   []linkwork.Role
}

var capabilities = map[Capability]capabilityRule{
	ReadReferrals:    {Kind: KindReferral, Action: ActionRead},
	MakeReferrals:    {Kind: KindReferral, Action: ActionCreate},
	DecideReferrals:  {Kind: KindReferral, Action: ActionDecide},
	ReviewRisk:       {Kind: KindReferral, Action: ActionReviewRisk},
	WorkTriage:       {Kind: KindReferral, Action: ActionRead, Only: []linkwork.Role{linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding}},
	ReturnDeferrals:  {Kind: KindReferral, Action: ActionReturnDeferred},
	ConfigureService: {Kind: KindOrganisation, Action: ActionConfigure},

	ReadCases:     {Kind: KindCase, Action: ActionRead},
	WorkCases:     {Kind: KindCase, Action: ActionUpdate},
	ReadCaseload:  {Kind: KindCase, Action: ActionUpdate},
	CloseCases:    {Kind: KindCase, Action: ActionClose},
	AllocateCases: {Kind: KindCase, Action: ActionAllocate},
	SetComplexity: {Kind: KindCase, Action: ActionSetComplexity},
	HandOverCases: {Kind: KindCase, Action: ActionHandOver},
	TakeNextCase:  {Kind: KindCase, Action: ActionTakeNext},
	CheckWaiting:  {Kind: KindCase, Action: ActionCheckWaiting},
	CloseWaiting:  {Kind: KindCase, Action: ActionClose, Only: []linkwork.Role{linkwork.RoleCoordinator}},

	ReadPerson:      {Kind: KindPerson, Action: ActionRead, Only: []linkwork.Role{linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding, linkwork.RoleCommunity}},
	UpdatePeople:    {Kind: KindPerson, Action: ActionUpdate},
	ReadConnections: {Kind: KindConnection, Action: ActionRead},
	MakeConnections: {Kind: KindConnection, Action: ActionCreate},
	MoveConnections: {Kind: KindConnection, Action: ActionUpdate, Also: ActionRespond},
	WorkConnections: {Kind: KindConnection, Action: ActionUpdate},

	LogGaps:  {Kind: KindGap, Action: ActionCreate},
	ReadGaps: {Kind: KindGap, Action: ActionRead},

	ReadFunds:          {Kind: KindFund, Action: ActionRead},
	CreateFunds:        {Kind: KindFund, Action: ActionCreate},
	RequestFunds:       {Kind: KindFundRequest, Action: ActionCreate},
	DecideFundRequests: {Kind: KindFundRequest, Action: ActionDecide},
	ReadFundRequests:   {Kind: KindFundRequest, Action: ActionRead},

	ReadSupervision:       {Kind: KindSupervision, Action: ActionRead},
	LogSupervision:        {Kind: KindSupervision, Action: ActionCreate},
	SetSupervisionTargets: {Kind: KindSupervision, Action: ActionSetTarget},
	ReadTraining:          {Kind: KindTraining, Action: ActionRead},
	RecordTraining:        {Kind: KindTraining, Action: ActionCreate},
	ReadTeam:              {Kind: KindCase, Action: ActionAllocate},
	RaiseConcerns:         {Kind: KindCase, Action: ActionRaiseConcern},
	RaiseReferralConcerns: {Kind: KindReferral, Action: ActionRaiseConcern},
	ReadConcerns:          {Kind: KindConcern, Action: ActionRead},
	ActOnConcerns:         {Kind: KindConcern, Action: ActionUpdate},
	CloseConcerns:         {Kind: KindConcern, Action: ActionClose},
	ReadOutcomeSummary:    {Kind: KindOutcomeSummary, Action: ActionRead},
	ExportEvaluation:      {Kind: KindEvaluationExport, Action: ActionRead},
	ReadReferrerFlow:      {Kind: KindReferrerFlow, Action: ActionRead},
	ReadGroupEvidence:     {Kind: KindGroupEvidence, Action: ActionRead},
	ReadReports:           {Kind: KindReport, Action: ActionRead},

	AddListings:    {Kind: KindAsset, Action: ActionCreate},
	CurateListings: {Kind: KindAsset, Action: ActionUpdate},
	ReportListings: {Kind: KindAsset, Action: ActionReport},

	ReadUsers:           {Kind: KindUser, Action: ActionRead, Only: []linkwork.Role{linkwork.RoleCoordinator, linkwork.RoleAdmin}},
	CreateUsers:         {Kind: KindUser, Action: ActionCreate},
	DisableUsers:        {Kind: KindUser, Action: ActionDisable},
	ManageOrganisations: {Kind: KindOrganisation, Action: ActionCreate},
	ReadAudit:           {Kind: KindAudit, Action: ActionRead},
	VerifyAudit:         {Kind: KindAudit, Action: ActionVerify},

	ReadFeeds:    {Kind: KindFeed, Action: ActionRead},
	ManageFeeds:  {Kind: KindFeed, Action: ActionCreate},
	HarvestFeeds: {Kind: KindFeed, Action: ActionHarvest},
	ReviewFeeds:  {Kind: KindFeed, Action: ActionDecide},
}

// Allows reports whether a user with the role may reach a route that
// needs capability c. An unknown capability allows nobody.
func Allows(role linkwork.Role, c Capability) bool {
	rule, ok := capabilities[c]
	if !ok || !roleMay(role, rule.Kind, rule.Action) && (rule.Also == "" || !roleMay(role, rule.Kind, rule.Also)) {
		return false
	}
	return rule.Only == nil || slices.Contains(rule.Only, role)
}

// RolesFor lists the roles Allows lets reach a route that needs c, in
// the order of linkwork.Roles; none for an unknown capability.
func RolesFor(c Capability) []linkwork.Role {
	var out []linkwork.Role
	for _, r := range linkwork.Roles {
		if Allows(r, c) {
			out = append(out, r)
		}
	}
	return out
}

// Known reports whether c is a capability the policy answers for.
func Known(c Capability) bool {
	_, ok := capabilities[c]
	return ok
}
