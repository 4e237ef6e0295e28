package web_test

// The routes of groups that answer through a link: link workers and
// coordinators record a person's answer about sharing and send groups
// links; those who may see a case read its links; the group's link is
// public (its token is the credential: a token never sent is not found,
// whoever asks).
func init() {
	workers := []string{"link_worker", "coordinator"}
	for route, roles := range map[string][]string{
		"POST /cases/{id}/consents":                        workers,
		"POST /cases/{id}/connections/{conn}/answer-links": workers,
		"POST /api/v1/people/{id}/consents":                workers,
		"POST /api/v1/connections/{id}/answer-links":       workers,
		"GET /api/v1/cases/{id}/answer-links":              {"link_worker", "coordinator", "safeguarding_lead"},
		"GET /answer/{token}":                              {"public"},
		"POST /answer/{token}":                             {"public"},
		"GET /api/v1/answer/{token}":                       {"public"},
		"POST /api/v1/answer/{token}":                      {"public"},
	} {
		routeRules[route] = roles
	}
	moreCreatingPOSTs = append(moreCreatingPOSTs, "consents", "answer links")
}
