package auth

import (
	"slices"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// ownRecords are records of kind k that are the actor's own in every way
// Can looks at: of their service, referred by and handed over to their
// organisation, on their caseload, their account; and the same without a
// link worker, as a case on the waiting list is.
func ownRecords(a linkwork.Actor, k Kind) []Record {
	own := Record{Kind: k, ServiceOrgID: a.OrgID, ReferrerOrgIDs: []string{a.OrgID}, LinkWorkerID: a.UserID,
		AssetOrgIDs: []string{a.OrgID}, OrgID: a.OrgID, UserID: a.UserID, ParticipantIDs: []string{a.UserID}, FunderOrgID: a.OrgID}
	waiting := own
	waiting.LinkWorkerID = ""
	return []Record{own, waiting}
}

// canSome reports whether Can lets the actor do act to some record of
// kind k of their own.
func canSome(a linkwork.Actor, act Action, k Kind) bool {
	for _, r := range ownRecords(a, k) {
		if Can(a, act, r) {
			return true
		}
	}
	return false
}

func TestARouteLetsInTheRolesThePolicyLetsAct(t *testing.T) {
	for c, rule := range capabilities {
		t.Run(string(c), func(t *testing.T) {
			narrowed := false
			for _, role := range linkwork.Roles {
				route := Allows(role, c)
				policy := canSome(actor(role, "org-own"), rule.Action, rule.Kind) || rule.Also != "" && canSome(actor(role, "org-own"), rule.Also, rule.Kind)
				switch {
				case route && !policy:
					t.Errorf("the route lets %s in, but the policy lets them %s no %s of their own", role, rule.Action, rule.Kind)
				case policy && !route && rule.Only == nil:
					t.Errorf("the policy lets %s %s a %s of their own, but the route keeps them out", role, rule.Action, rule.Kind)
				case policy && !route:
					narrowed = true
				}
			}
			for _, role := range rule.Only {
				if !Allows(role, c) {
					t.Errorf("the route names %s, whom the policy refuses", role)
				}
			}
			if rule.Only != nil && !narrowed {
				t.Errorf("the route's own list of roles narrows nothing the policy allows; ask the policy alone")
			}
		})
	}
}

func TestTheRolePartOfCanIsTheTableRoutesAsk(t *testing.T) {
	for k, actions := range roleActions {
		for act, roles := range actions {
			for _, role := range linkwork.Roles {
				got := canSome(actor(role, "org-own"), act, k)
				if want := slices.Contains(roles, role); got != want {
					t.Errorf("%s %s %s of their own: Can = %v, the table says %v", role, act, k, got, want)
				}
			}
		}
	}
}

func TestReadingIsAskedOfScope(t *testing.T) {
	for _, k := range Kinds {
		for _, role := range linkwork.Roles {
			a := actor(role, "org-own")
			if got, want := roleMay(role, k, ActionRead), !ScopeFor(a, k).None(); got != want {
				t.Errorf("%s reads %s: roleMay = %v, ScopeFor sees some = %v", role, k, got, want)
			}
			if got, want := roleMay(role, k, ActionRead), canSome(a, ActionRead, k); got != want {
				t.Errorf("%s reads %s: roleMay = %v, Can on their own records = %v", role, k, got, want)
			}
		}
	}
}

func TestNobodyReachesARouteThePolicyDoesNotKnow(t *testing.T) {
	if Known("no_such_capability") || len(RolesFor("no_such_capability")) != 0 {
		t.Fatal("an unknown capability lets someone in")
	}
	for c := range capabilities {
		if Allows("", c) {
			t.Errorf("%s lets in someone with no role", c)
		}
	}
}

func TestRolesForSomeRoutes(t *testing.T) {
	tests := map[Capability][]linkwork.Role{
		WorkCases:     {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		ReadCases:     {linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding},
		ReviewRisk:    {linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding},
		ReadAudit:     {linkwork.RoleSafeguarding, linkwork.RoleAdmin},
		CloseWaiting:  {linkwork.RoleCoordinator},
		LogGaps:       {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		ReadGaps:      {linkwork.RoleCoordinator},
		MakeReferrals: {linkwork.RoleReferrer, linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		// Funds: link workers know what they can draw on and ask; only
		// coordinators add funds and decide; nobody outside the service's
		// staff reaches either.
		ReadFunds:          {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		CreateFunds:        {linkwork.RoleCoordinator},
		RequestFunds:       {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		DecideFundRequests: {linkwork.RoleCoordinator},
		ReadFundRequests:   {linkwork.RoleLinkWorker, linkwork.RoleCoordinator},
		// Outcome figures: the service's coordinators, and the
		// commissioners who fund it; no link worker.
		ReadOutcomeSummary: {linkwork.RoleCoordinator, linkwork.RoleCommissioner},
		// The dashboard likewise.
		ReadReports: {linkwork.RoleCoordinator, linkwork.RoleCommissioner},
	}
	for c, want := range tests {
		if got := RolesFor(c); !slices.Equal(got, want) {
			t.Errorf("RolesFor(%s) = %v, want %v", c, got, want)
		}
	}
}
