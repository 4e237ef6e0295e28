package web_test

// The case page's sessions area's routes and who may reach them.
func init() {
	moreCreatingPOSTs = append(moreCreatingPOSTs, "contacts")
	staff := []string{"link_worker", "coordinator", "safeguarding_lead"}
	for route, roles := range map[string][]string{
		"POST /cases/{id}/contacts":                   staff,
		"POST /cases/{id}/contacts/{contact}/record":  staff,
		"GET /cases/{id}/messages/{message}/letter":   staff,
		"POST /cases/{id}/messages/{message}/printed": staff,
		"GET /api/v1/cases/{id}/contacts":             staff,
		"POST /api/v1/cases/{id}/contacts":            staff,
		"PUT /api/v1/contacts/{id}":                   staff,
		"GET /api/v1/cases/{id}/messages":             staff,
	} {
		routeRules[route] = roles
	}
}
