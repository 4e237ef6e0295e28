package auth

import (
	"fmt"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

const (
	service    = "org-service"
	otherSvc   = "org-other-service"
	gp         = "org-gp"
	school     = "org-school"
	vcs        = "org-vcs"
	otherVCS   = "org-other-vcs"
	commission = "org-icb"
)

func actor(role linkwork.Role, org string) linkwork.Actor {
	return linkwork.Actor{UserID: "u-" + string(role), OrgID: org, Role: role}
}

var (
	referrer     = actor(linkwork.RoleReferrer, gp)
	schoolRef    = actor(linkwork.RoleReferrer, school)
	linkWorker   = actor(linkwork.RoleLinkWorker, service)
	otherWorker  = linkwork.Actor{UserID: "u-other-lw", OrgID: service, Role: linkwork.RoleLinkWorker}
	coordinator  = actor(linkwork.RoleCoordinator, service)
	foreignCoord = actor(linkwork.RoleCoordinator, otherSvc)
	safeguarding = actor(linkwork.RoleSafeguarding, service)
	foreignLead  = actor(linkwork.RoleSafeguarding, otherSvc)
	community    = actor(linkwork.RoleCommunity, vcs)
	commissioner = actor(linkwork.RoleCommissioner, commission)
	admin        = actor(linkwork.RoleAdmin, service)
	anonymous    = linkwork.Actor{}
)

// A person referred by the GP practice, with a case held by linkWorker and a
// connection to the community organisation's asset.
var (
	person     = Record{Kind: KindPerson, ServiceOrgID: service, ReferrerOrgIDs: []string{gp}, AssetOrgIDs: []string{vcs}}
	referral   = Record{Kind: KindReferral, ServiceOrgID: service, ReferrerOrgIDs: []string{gp}}
	theCase    = Record{Kind: KindCase, ServiceOrgID: service, LinkWorkerID: linkWorker.UserID}
	connection = Record{Kind: KindConnection, ServiceOrgID: service, LinkWorkerID: linkWorker.UserID, AssetOrgIDs: []string{vcs}}
	asset      = Record{Kind: KindAsset, AssetOrgIDs: []string{vcs}}
	org        = Record{Kind: KindOrganisation}
	ownUser    = Record{Kind: KindUser, OrgID: service, UserID: linkWorker.UserID}
	audit      = Record{Kind: KindAudit, ServiceOrgID: service} // an event in the service's trail
	gap        = Record{Kind: KindGap, ServiceOrgID: service, LinkWorkerID: linkWorker.UserID}
	fund       = Record{Kind: KindFund, ServiceOrgID: service}
	// A request to the service's fund towards linkWorker's case.
	fundRequest = Record{Kind: KindFundRequest, ServiceOrgID: service, LinkWorkerID: linkWorker.UserID}
	// linkWorker's supervision by the coordinator, and linkWorker's
	// training.
	supervision = Record{Kind: KindSupervision, ServiceOrgID: service, ParticipantIDs: []string{coordinator.UserID, linkWorker.UserID}}
	training    = Record{Kind: KindTraining, ServiceOrgID: service, UserID: linkWorker.UserID}
	// A concern about linkWorker's case's person, raised by the coordinator.
	concern = Record{Kind: KindConcern, ServiceOrgID: service, LinkWorkerID: linkWorker.UserID, RaisedBy: coordinator.UserID}
	// The service's outcome figures; the service is funded by the
	// commissioner.
	outcomeSummary = Record{Kind: KindOutcomeSummary, ServiceOrgID: service, FunderOrgID: commission}
	// The service's evaluation dataset.
	evaluationExport = Record{Kind: KindEvaluationExport, ServiceOrgID: service, FunderOrgID: commission}
	// The GP's referrals to the service, added up.
	referrerFlow = Record{Kind: KindReferrerFlow, ServiceOrgID: service, ReferrerOrgIDs: []string{gp}, FunderOrgID: commission}
	// The VCS's evidence pack, from the service's connections to it.
	groupEvidence = Record{Kind: KindGroupEvidence, ServiceOrgID: service, AssetOrgIDs: []string{vcs}, FunderOrgID: commission}
	// The service's dashboard, likewise.
	report = Record{Kind: KindReport, ServiceOrgID: service, FunderOrgID: commission}
	// A neighbour's feed the directory harvests: every coordinator's.
	feed = Record{Kind: KindFeed}
)

func TestWhoSeesWhat(t *testing.T) {
	type row struct {
		actor linkwork.Actor
		sees  map[Kind]bool
	}
	all := func(kinds ...Kind) map[Kind]bool {
		m := map[Kind]bool{}
		for _, k := range kinds {
			m[k] = true
		}
		return m
	}
	records := map[Kind]Record{KindPerson: person, KindReferral: referral, KindCase: theCase, KindConnection: connection, KindAsset: asset, KindOrganisation: org, KindUser: ownUser, KindAudit: audit, KindGap: gap, KindFund: fund, KindFundRequest: fundRequest, KindSupervision: supervision, KindTraining: training, KindConcern: concern, KindOutcomeSummary: outcomeSummary, KindEvaluationExport: evaluationExport, KindReferrerFlow: referrerFlow, KindGroupEvidence: groupEvidence, KindReport: report, KindFeed: feed}
	tests := map[string]row{
		"the GP referrer sees their referral and its person, not the case":          {referrer, all(KindPerson, KindReferral, KindAsset, KindOrganisation, KindReferrerFlow)},
		"a school referrer does not see the GP's referral":                          {schoolRef, all(KindAsset, KindOrganisation)},
		"the allocated link worker sees everything about their case":                {linkWorker, all(KindPerson, KindReferral, KindCase, KindConnection, KindAsset, KindOrganisation, KindUser, KindFund, KindFundRequest, KindSupervision, KindTraining, KindConcern)},
		"another link worker sees the referral but not someone else's case":         {otherWorker, all(KindPerson, KindReferral, KindAsset, KindOrganisation, KindFund)},
		"the coordinator sees the whole service and its users":                      {coordinator, all(KindPerson, KindReferral, KindCase, KindConnection, KindAsset, KindOrganisation, KindUser, KindGap, KindFund, KindFundRequest, KindSupervision, KindTraining, KindConcern, KindOutcomeSummary, KindEvaluationExport, KindReferrerFlow, KindGroupEvidence, KindReport, KindFeed)},
		"another service's coordinator sees nothing personal":                       {foreignCoord, all(KindAsset, KindOrganisation, KindFeed)},
		"the safeguarding lead sees the service and the audit trail":                {safeguarding, all(KindPerson, KindReferral, KindCase, KindConnection, KindAsset, KindOrganisation, KindAudit, KindConcern)},
		"another service's safeguarding lead sees none of its audit trail":          {foreignLead, all(KindAsset, KindOrganisation)},
		"the community organisation sees its connection and the person":             {community, all(KindPerson, KindConnection, KindAsset, KindOrganisation, KindGroupEvidence)},
		"the commissioner sees no personal data, only the figures of what it funds": {commissioner, all(KindAsset, KindOrganisation, KindOutcomeSummary, KindReport)},
		"the administrator sees users and audit, not people":                        {admin, all(KindAsset, KindOrganisation, KindUser, KindAudit)},
		"no actor sees nothing": {anonymous, all()},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			for _, k := range Kinds {
				got := ScopeFor(tt.actor, k).Matches(records[k])
				if got != tt.sees[k] {
					t.Errorf("%s sees %s = %v, want %v", tt.actor.Role, k, got, tt.sees[k])
				}
				if got != Can(tt.actor, ActionRead, records[k]) {
					t.Errorf("Can(read %s) disagrees with ScopeFor", k)
				}
			}
		})
	}
}

func TestSystemSeesEverything(t *testing.T) {
	sys := linkwork.SystemActor("test")
	for _, k := range Kinds {
		if !ScopeFor(sys, k).All {
			t.Errorf("system scope for %s is not All", k)
		}
	}
}

func TestWhoMayDoWhat(t *testing.T) {
	gpReferral := Record{Kind: KindReferral, ServiceOrgID: service, ReferrerOrgIDs: []string{gp}}
	otherAsset := Record{Kind: KindAsset, AssetOrgIDs: []string{otherVCS}}
	otherUser := Record{Kind: KindUser, OrgID: service, UserID: "u-someone"}
	tests := []struct {
		actor  linkwork.Actor
		action Action
		record Record
		want   bool
	}{
		{referrer, ActionCreate, gpReferral, true},
		{schoolRef, ActionCreate, gpReferral, false},
		{referrer, ActionDecide, gpReferral, false},
		{linkWorker, ActionDecide, referral, true},
		{coordinator, ActionDecide, referral, true},
		{foreignCoord, ActionDecide, referral, false},
		{safeguarding, ActionDecide, referral, false},
		{commissioner, ActionDecide, referral, false},
		{linkWorker, ActionCreate, referral, true},
		{linkWorker, ActionUpdate, theCase, true},
		{otherWorker, ActionUpdate, theCase, false},
		{coordinator, ActionUpdate, theCase, true},
		{safeguarding, ActionUpdate, theCase, false},
		{linkWorker, ActionAllocate, theCase, false},
		{coordinator, ActionAllocate, theCase, true},
		{linkWorker, ActionClose, theCase, true},
		{community, ActionRespond, connection, true},
		{linkWorker, ActionCreate, gap, true},
		{otherWorker, ActionCreate, gap, false},
		{coordinator, ActionCreate, gap, true},
		{foreignCoord, ActionCreate, gap, false},
		{safeguarding, ActionCreate, gap, false},
		{commissioner, ActionCreate, gap, false},
		{community, ActionUpdate, connection, false},
		{linkWorker, ActionCreate, supervision, true},
		{coordinator, ActionCreate, supervision, true},
		{otherWorker, ActionCreate, supervision, false},
		{foreignCoord, ActionCreate, supervision, false},
		{safeguarding, ActionCreate, supervision, false},
		{coordinator, ActionSetTarget, supervision, true},
		{linkWorker, ActionSetTarget, supervision, false},
		{foreignCoord, ActionSetTarget, supervision, false},
		{linkWorker, ActionCreate, training, true},
		{otherWorker, ActionCreate, training, false},
		{coordinator, ActionCreate, training, true},
		{foreignCoord, ActionCreate, training, false},
		{safeguarding, ActionCreate, training, false},
		{linkWorker, ActionRespond, connection, false},
		{community, ActionUpdate, asset, true},
		{community, ActionUpdate, otherAsset, false},
		{coordinator, ActionUpdate, otherAsset, true},
		{linkWorker, ActionUpdate, asset, false},
		{admin, ActionCreate, org, true},
		{coordinator, ActionCreate, org, false},
		{admin, ActionDisable, otherUser, true},
		{coordinator, ActionDisable, otherUser, false},
		{linkWorker, ActionToken, ownUser, true},
		{linkWorker, ActionToken, otherUser, false},
		{admin, ActionToken, otherUser, false},
		{admin, ActionVerify, audit, true},
		{safeguarding, ActionVerify, audit, false},
		{anonymous, ActionCreate, gpReferral, false},
		{linkWorker, ActionCheckEligibility, gpReferral, true},
		{coordinator, ActionCheckEligibility, gpReferral, true},
		{safeguarding, ActionCheckEligibility, gpReferral, true},
		{foreignCoord, ActionCheckEligibility, gpReferral, false},
		{referrer, ActionCheckEligibility, gpReferral, false},
		{coordinator, ActionCreate, fund, true},
		{foreignCoord, ActionCreate, fund, false},
		{linkWorker, ActionCreate, fund, false},
		{admin, ActionCreate, fund, false},
		{linkWorker, ActionCreate, fundRequest, true},
		{otherWorker, ActionCreate, fundRequest, false},
		{coordinator, ActionCreate, fundRequest, true},
		{foreignCoord, ActionCreate, fundRequest, false},
		{safeguarding, ActionCreate, fundRequest, false},
		{community, ActionCreate, fundRequest, false},
		{coordinator, ActionDecide, fundRequest, true},
		{foreignCoord, ActionDecide, fundRequest, false},
		{linkWorker, ActionDecide, fundRequest, false},
		{commissioner, ActionDecide, fundRequest, false},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s %s %s = %v", tt.actor.Role, tt.action, tt.record.Kind, tt.want)
		t.Run(name, func(t *testing.T) {
			if got := Can(tt.actor, tt.action, tt.record); got != tt.want {
				t.Fatalf("Can = %v, want %v", got, tt.want)
			}
		})
	}
}

// A service's outcome figures are exact for its own coordinators; a
// commissioner reads only those of the services it funds, and reads them
// as someone outside the service, with small numbers suppressed.
func TestOutcomeFiguresAreExactOnlyInsideTheService(t *testing.T) {
	otherFunder := actor(linkwork.RoleCommissioner, "org-other-icb")
	tests := []struct {
		name        string
		actor       linkwork.Actor
		sees, exact bool
	}{
		{"the service's coordinator sees exact figures", coordinator, true, true},
		{"the funding commissioner sees suppressed figures", commissioner, true, false},
		{"a commissioner funding other services sees none", otherFunder, false, false},
		{"another service's coordinator sees none", foreignCoord, false, true},
		{"a link worker sees none", linkWorker, false, true},
		{"the safeguarding lead sees none", safeguarding, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, r := range map[Kind]Record{KindOutcomeSummary: outcomeSummary, KindReport: report} {
				s := ScopeFor(tt.actor, k)
				if got := s.Matches(r); got != tt.sees {
					t.Errorf("sees the service's %s figures = %v, want %v", k, got, tt.sees)
				}
				if tt.sees {
					if got := InsideService(tt.actor, s); got != tt.exact {
						t.Errorf("%s: InsideService = %v, want %v", k, got, tt.exact)
					}
				}
			}
		})
	}
}
