package web_test

// The referrers' flow and who may reach it: a referrer, for its own
// organisation's referrals, and a service's coordinators, for every
// referrer's.
func init() {
	for route, roles := range map[string][]string{
		"GET /reports/referrers":        {"referrer", "coordinator"},
		"GET /api/v1/reports/referrers": {"referrer", "coordinator"},
	} {
		routeRules[route] = roles
	}
}

func init() {
	for shape, schema := range map[string]string{"referrerFlowJSON": "ReferrerFlow", "referrerFlowRowJSON": "ReferrerFlowRow", "flowCountsJSON": "FlowCounts"} {
		goShapes[shape] = []string{schema}
		goOutputOnly[shape] = true
	}
}
