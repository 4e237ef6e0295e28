package web_test

// The funds page, its forms and their API routes, and who may reach
// them: a service's coordinators and link workers see its funds and the
// requests they may (a link worker their own cases'); link workers and
// coordinators ask a fund to pay; only coordinators add funds and decide
// requests. Nobody outside the service's staff reaches any of them.
func init() {
	for route, roles := range map[string][]string{
		"GET /funds":                         {"link_worker", "coordinator"},
		"POST /funds":                        {"coordinator"},
		"POST /funds/requests/{id}/decision": {"coordinator"},
		"POST /cases/{id}/connections/{conn}/fund-requests": {"link_worker", "coordinator"},
		"GET /api/v1/funds":                           {"link_worker", "coordinator"},
		"POST /api/v1/funds":                          {"coordinator"},
		"POST /api/v1/connections/{id}/fund-requests": {"link_worker", "coordinator"},
		"GET /api/v1/fund-requests":                   {"link_worker", "coordinator"},
		"POST /api/v1/fund-requests/{id}/decision":    {"coordinator"},
		"GET /api/v1/fund-spend":                      {"link_worker", "coordinator"},
	} {
		routeRules[route] = roles
	}
	moreCreatingPOSTs = append(moreCreatingPOSTs, "funds", "fund-requests")
}
