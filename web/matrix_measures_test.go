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

// Links for a person to answer a measure on their own phone: those who
// work the case send them, staff see them, and the person's page and API
// are public (the token is the credential).
func init() {
	moreCreatingPOSTs = append(moreCreatingPOSTs, "measure-links")
	routeRules["POST /cases/{id}/measure-links"] = []string{"link_worker", "coordinator"}
	routeRules["POST /api/v1/cases/{id}/measure-links"] = []string{"link_worker", "coordinator"}
	routeRules["GET /api/v1/cases/{id}/measure-links"] = []string{"link_worker", "coordinator", "safeguarding_lead"}
	routeRules["GET /measure/{token}"] = []string{"public"}
	routeRules["POST /measure/{token}"] = []string{"public"}
	routeRules["GET /api/v1/measure-links/{token}"] = []string{"public"}
	routeRules["POST /api/v1/measure-links/{token}"] = []string{"public"}
}
