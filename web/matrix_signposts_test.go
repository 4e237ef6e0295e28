package web_test

// The forms, page and API routes that give a person an activity's
// details: only those who work the case (link workers and coordinators).
// A referrer, a community organisation, a safeguarding lead reading the
// case or a commissioner gives no one anything.
func init() {
	workers := []string{"link_worker", "coordinator"}
	for route, roles := range map[string][]string{
		"POST /cases/{id}/connections/{conn}/details": workers,
		"GET /cases/{id}/connections/{conn}/details":  workers,
		"GET /api/v1/connections/{id}/details":        workers,
		"POST /api/v1/connections/{id}/details":       workers,
	} {
		routeRules[route] = roles
	}
	moreCreatingPOSTs = append(moreCreatingPOSTs, "activity details")
}
