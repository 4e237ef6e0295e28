package linkwork

import "context"

// Role is what a user does in the service. Each user has exactly one role in
// one organisation; the authorization policy decides from the role and the
// organisation what they may see and do.
type Role string

// The roles.
const (
	// RoleReferrer works in a referring organisation (a GP practice, a school,
	// CAMHS, social care, a health or community service). They refer people
	// and see the status and shared outcome of their own organisation's
	// referrals.
	RoleReferrer Role = "referrer"
	// RoleLinkWorker triages referrals, holds a caseload, runs sessions,
	// plans, connects people to the community and measures what changed.
	RoleLinkWorker Role = "link_worker"
	// RoleCoordinator leads the team: triage meetings, allocation, the
	// waiting list, supervision, directory curation and service settings.
	RoleCoordinator Role = "coordinator"
	// RoleSafeguarding is the safeguarding lead: reads every person and case
	// in the service to act on concerns.
	RoleSafeguarding Role = "safeguarding_lead"
	// RoleCommunity works in a community organisation (a VCS partner). They
	// keep their own listings current and see only the people referred to
	// them, and only what they need to welcome them.
	RoleCommunity Role = "community_org"
	// RoleCommissioner funds the service and reads aggregate figures only.
	RoleCommissioner Role = "commissioner"
	// RoleAdmin manages users, organisations and settings, and reads the
	// audit trail. Administration does not grant access to people's records.
	RoleAdmin Role = "admin"
)

// Roles lists every role, in the order the interface shows them.
var Roles = []Role{RoleReferrer, RoleLinkWorker, RoleCoordinator, RoleSafeguarding, RoleCommunity, RoleCommissioner, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Label is the role's name as users read it.
func (r Role) Label() string {
	switch r {
	case RoleReferrer:
		return "Referrer"
	case RoleLinkWorker:
		return "Link worker"
	case RoleCoordinator:
		return "Coordinator"
	case RoleSafeguarding:
		return "Safeguarding lead"
	case RoleCommunity:
		return "Community organisation"
	case RoleCommissioner:
		return "Commissioner"
	case RoleAdmin:
		return "Administrator"
	}
	return string(r)
}

// OrgKinds returns the kinds of organisation a user with role r may belong
// to.
func (r Role) OrgKinds() []OrgKind {
	switch r {
	case RoleReferrer:
		return []OrgKind{OrgGPPractice, OrgSchool, OrgCAMHS, OrgSocialCare, OrgHealth, OrgVCS, OrgYouthHub}
	case RoleLinkWorker, RoleCoordinator, RoleSafeguarding, RoleAdmin:
		return []OrgKind{OrgSPService}
	case RoleCommunity:
		return []OrgKind{OrgVCS, OrgYouthHub}
	case RoleCommissioner:
		return []OrgKind{OrgCommissioner, OrgPCN}
	}
	return nil
}

// Actor is who a service call runs on behalf of: a signed-in user, an API
// token's user, or the system itself (background jobs, the command line).
type Actor struct {
	UserID string
	OrgID  string
	Role   Role
	Name   string
	// System is set for work the service does itself; Purpose says what.
	System  bool
	Purpose string
}

// SystemActor returns the actor for work the service does itself, such as
// migrations, seeding the demo city or background jobs.
func SystemActor(purpose string) Actor {
	return Actor{System: true, Name: "system", Purpose: purpose}
}

// ID returns the user id, or "system" for the system actor.
func (a Actor) ID() string {
	if a.System {
		return "system"
	}
	return a.UserID
}

type actorKey struct{}

// NewContext returns a context carrying the actor.
func NewContext(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, and false when there is none. Services
// refuse to run without one (EUNAUTHORIZED).
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}
