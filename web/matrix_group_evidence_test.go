package web_test

// The evidence packs and who may reach them: a community organisation,
// for its own, and a service's coordinators, for any group their service
// connects people to.
func init() {
	for route, roles := range map[string][]string{
		"GET /reports/groups":             {"coordinator", "community_org"},
		"GET /reports/groups/{id}":        {"coordinator", "community_org"},
		"GET /reports/groups/{id}/print":  {"coordinator", "community_org"},
		"GET /api/v1/reports/groups/{id}": {"coordinator", "community_org"},
	} {
		routeRules[route] = roles
	}
}

func init() {
	for shape, schema := range map[string]string{"groupEvidenceJSON": "GroupEvidence", "groupRowJSON": "GroupEvidenceRow", "groupViewJSON": "GroupView", "groupFigureJSON": "GroupFigure"} {
		goShapes[shape] = []string{schema}
		goOutputOnly[shape] = true
	}
}
