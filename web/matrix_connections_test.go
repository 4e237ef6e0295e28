package web_test

// The connection forms and API routes and who may reach them: link
// workers and coordinators add and move connections; a community
// organisation answers referrals to its own activities.
func init() {
	workers := []string{"link_worker", "coordinator"}
	movers := []string{"link_worker", "coordinator", "community_org"}
	for route, roles := range map[string][]string{
		"POST /cases/{id}/connections":              workers,
		"POST /cases/{id}/connections/{conn}/moves": workers,
		"POST /connections/{id}/moves":              movers,
		"POST /api/v1/cases/{id}/connections":       workers,
		"POST /api/v1/connections/{id}/moves":       movers,
		"GET /api/v1/cases/{id}/suggestions":        {"link_worker", "coordinator", "safeguarding_lead"},
	} {
		routeRules[route] = roles
	}
	moreCreatingPOSTs = append(moreCreatingPOSTs, "connections")
}
