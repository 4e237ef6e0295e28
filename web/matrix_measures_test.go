package web_test

// The measures' routes and who may reach them: staff read a case's
// measures; link workers and coordinators, who work cases, record them (a
// safeguarding lead reads every case but works none; commissioners will
// see only the service's figures).
func init() {
	moreCreatingPOSTs = append(moreCreatingPOSTs, "measures")
	staff := []string{"link_worker", "coordinator", "safeguarding_lead"}
	workers := []string{"link_worker", "coordinator"}
	for route, roles := range map[string][]string{
		"GET /cases/{id}/measures/new":     workers,
		"POST /cases/{id}/measures":        workers,
		"GET /api/v1/cases/{id}/measures":  staff,
		"POST /api/v1/cases/{id}/measures": workers,
	} {
		routeRules[route] = roles
	}
}

// A service's measures settings hold its licensed wording: its own
// coordinators and administrators, not the public.
func init() {
	routeRules["GET /api/v1/services/{id}/measures"] = []string{"coordinator", "admin"}
	routeRules["PUT /api/v1/services/{id}/measures"] = []string{"coordinator", "admin"}
}
