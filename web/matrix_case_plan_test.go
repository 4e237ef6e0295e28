package web_test

// The case page's plan area's routes and who may reach them.
func init() {
	workers := []string{"link_worker", "coordinator"}
	staff := []string{"link_worker", "coordinator", "safeguarding_lead"}
	for route, roles := range map[string][]string{
		"POST /cases/{id}/plan":                  workers,
		"POST /cases/{id}/goals":                 workers,
		"POST /cases/{id}/goals/{goal}/ratings":  workers,
		"POST /cases/{id}/goals/{goal}/achieve":  workers,
		"POST /cases/{id}/actions":               workers,
		"POST /cases/{id}/actions/{action}/done": workers,
		"POST /cases/{id}/reviews":               workers,
		"POST /cases/{id}/ending":                workers,
		"POST /cases/{id}/close":                 workers,
		"POST /cases/{id}/follow-up":             workers,
		"POST /cases/{id}/reopen":                workers,
		"GET /cases/{id}/my-plan":                staff,
		"POST /cases/{id}/my-plan/send":          workers,
		"GET /referrals/{id}/letter":             {"referrer", "link_worker", "coordinator", "safeguarding_lead"},
		"GET /api/v1/cases/{id}/goals":           staff,
		"POST /api/v1/cases/{id}/goals":          workers,
		"POST /api/v1/goals/{id}/ratings":        workers,
		"PUT /api/v1/goals/{id}":                 workers,
		"GET /api/v1/cases/{id}/actions":         staff,
		"POST /api/v1/cases/{id}/actions":        workers,
		"PUT /api/v1/actions/{id}":               workers,
		"GET /api/v1/cases/{id}/reviews":         staff,
		"POST /api/v1/cases/{id}/reviews":        workers,
		"POST /api/v1/cases/{id}/ending":         workers,
		"POST /api/v1/cases/{id}/close":          workers,
		"POST /api/v1/cases/{id}/follow-up":      workers,
		"POST /api/v1/cases/{id}/reopen":         workers,
		"POST /api/v1/cases/{id}/my-plan/send":   workers,
	} {
		routeRules[route] = roles
	}
}

// The plan's actions that take no body: reopening a closed case and
// sending the person their plan.
func init() {
	bodyless["/cases/{id}/reopen"] = true
	bodyless["/cases/{id}/my-plan/send"] = true
	moreCreatingPOSTs = append(moreCreatingPOSTs, "goals", "goal ratings", "actions", "reviews", "reopened cases")
}
