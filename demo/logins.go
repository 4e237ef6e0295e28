package demo

import linkwork "github.com/linkwork/linkwork"

// Login is a demo account: one for each role, with a fixed email address,
// so that a newcomer (and the browser tests) can sign in as anyone. Every
// demo account's password is the Config's Password (DefaultPassword in the
// presets).
type Login struct {
	Role  linkwork.Role
	Email string
	Name  string // the user's name
	Org   string // the organisation they belong to
	// About says what the account shows.
	About string
}

// Logins lists the demo accounts, one for each role, in the order of
// linkwork.Roles. They are the same in every preset and every seed.
var Logins = []Login{
	{linkwork.RoleReferrer, "referrer@demo.linkwork.test", "Dr Amira Hussain", "Northfield Medical Centre",
		"A GP who refers and sees what happened to her practice's referrals."},
	{linkwork.RoleLinkWorker, "linkworker@demo.linkwork.test", "Jordan Ellis", "Millbrook Social Prescribing Service",
		"A young people's connector (ages 13-25) with a full caseload and referrals to triage."},
	{linkwork.RoleCoordinator, "coordinator@demo.linkwork.test", "Priya Shah", "Millbrook Social Prescribing Service",
		"The team lead: triage, the waiting list, allocation, caseloads and the directory."},
	{linkwork.RoleSafeguarding, "safeguarding@demo.linkwork.test", "Helen Okafor", "Millbrook Social Prescribing Service",
		"The safeguarding lead, who reads every person and case in the service."},
	{linkwork.RoleCommunity, "community@demo.linkwork.test", "Gareth Lewis", "Northfield Community Association",
		"A community organisation with several listings and onward referrals awaiting an answer."},
	{linkwork.RoleCommissioner, "commissioner@demo.linkwork.test", "Mark Brennan", "Millbrook Integrated Care Board",
		"The commissioner, who reads aggregate figures only."},
	{linkwork.RoleAdmin, "admin@demo.linkwork.test", "Sam Taylor", "Millbrook Social Prescribing Service",
		"The administrator: users, organisations, settings and the audit trail."},
}

// LoginFor returns the demo account for a role, and false for an unknown
// role.
func LoginFor(r linkwork.Role) (Login, bool) {
	for _, l := range Logins {
		if l.Role == r {
			return l, true
		}
	}
	return Login{}, false
}
