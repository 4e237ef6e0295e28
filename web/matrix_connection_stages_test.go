package web_test

// The forms and API routes that record a phased hand-over's stages and
// what the person thought of an activity: only those who work the case
// (link workers and coordinators); an organisation sees only numbers, on
// its /connections page.
func init() {
	workers := []string{"link_worker", "coordinator"}
	for route, roles := range map[string][]string{
		"POST /cases/{id}/connections/{conn}/stages": workers,
		"POST /cases/{id}/connections/{conn}/view":   workers,
		"POST /api/v1/connections/{id}/stages":       workers,
		"PUT /api/v1/connections/{id}/view":          workers,
	} {
		routeRules[route] = roles
	}
	moreCreatingPOSTs = append(moreCreatingPOSTs, "connection stages")
}
