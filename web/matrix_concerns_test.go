package web_test

// Safeguarding concerns and safety plans, and who may reach them: the
// service's link workers, coordinators and safeguarding leads raise a
// concern (on a case they work or any referral of the service: the
// services hold each record to it) and read those they may see; the
// leads and coordinators record what was done; only the leads close one.
// A case's safety plan is read as the case is, and changed by those who
// work it. No referrer, community organisation, commissioner or
// administrator reaches any of them.
func init() {
	staff := []string{"link_worker", "coordinator", "safeguarding_lead"}
	for route, roles := range map[string][]string{
		"GET /cases/{id}/concerns/new":         staff,
		"POST /cases/{id}/concerns":            staff,
		"GET /referrals/{id}/concerns/new":     staff,
		"POST /referrals/{id}/concerns":        staff,
		"GET /concerns":                        staff,
		"GET /concerns/{id}":                   staff,
		"POST /concerns/{id}/actions":          {"coordinator", "safeguarding_lead"},
		"POST /concerns/{id}/close":            {"safeguarding_lead"},
		"GET /cases/{id}/safety-plan":          staff,
		"POST /cases/{id}/safety-plan":         {"link_worker", "coordinator"},
		"GET /cases/{id}/safety-plan/print":    staff,
		"POST /api/v1/cases/{id}/concerns":     staff,
		"POST /api/v1/referrals/{id}/concerns": staff,
		"GET /api/v1/concerns":                 staff,
		"GET /api/v1/concerns/{id}":            staff,
		"POST /api/v1/concerns/{id}/actions":   {"coordinator", "safeguarding_lead"},
		"POST /api/v1/concerns/{id}/close":     {"safeguarding_lead"},
		"GET /api/v1/cases/{id}/safety-plan":   staff,
		"PUT /api/v1/cases/{id}/safety-plan":   {"link_worker", "coordinator"},
	} {
		routeRules[route] = roles
	}
	moreCreatingPOSTs = append(moreCreatingPOSTs, "concerns on cases", "concerns on referrals", "actions on concerns")
	for name, schemas := range map[string][]string{
		"concernIn":         {"ConcernInput"},
		"concernActionIn":   {"ConcernActionInput"},
		"concernCloseIn":    {"ConcernCloseInput"},
		"concernActionJSON": {"ConcernAction"},
		"concernJSON":       {"Concern"},
		"safetyPlanIn":      {"SafetyPlanInput"},
		"safetyPlanJSON":    {"SafetyPlan"},
	} {
		goShapes[name] = schemas
	}
}
