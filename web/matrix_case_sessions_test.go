package web_test

// The case page's sessions area's routes and who may reach them: staff
// read a case's contacts and messages; link workers and coordinators, who
// work cases, add to them (a safeguarding lead reads every case but works
// none).
func init() {
	moreCreatingPOSTs = append(moreCreatingPOSTs, "contacts")
	staff := []string{"link_worker", "coordinator", "safeguarding_lead"}
	workers := []string{"link_worker", "coordinator"}
	for route, roles := range map[string][]string{
		"POST /cases/{id}/contacts":                   workers,
		"POST /cases/{id}/contacts/{contact}/record":  workers,
		"GET /cases/{id}/messages/{message}/letter":   staff,
		"POST /cases/{id}/messages/{message}/printed": workers,
		"GET /api/v1/cases/{id}/contacts":             staff,
		"POST /api/v1/cases/{id}/contacts":            workers,
		"PUT /api/v1/contacts/{id}":                   workers,
		"GET /api/v1/cases/{id}/messages":             staff,
	} {
		routeRules[route] = roles
	}
}
