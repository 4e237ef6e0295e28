package web_test

// The gap form and API routes and who may reach them: those who work
// cases log gaps; only coordinators read the service's totals (the policy
// has no aggregate-only reading for commissioners).
func init() {
	for route, roles := range map[string][]string{
		"POST /cases/{id}/gaps": {"link_worker", "coordinator"},
		"POST /api/v1/gaps":     {"link_worker", "coordinator"},
		"GET /gaps":             {"coordinator"},
		"GET /api/v1/gaps":      {"coordinator"},
	} {
		routeRules[route] = roles
	}
	moreCreatingPOSTs = append(moreCreatingPOSTs, "gaps")
}
