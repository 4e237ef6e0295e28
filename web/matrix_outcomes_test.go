package web_test

// The service's outcome figures and who may reach them: its coordinators,
// and the commissioners who fund it (with small numbers suppressed); no
// link worker, safeguarding lead, referrer or community organisation.
func init() {
	for route, roles := range map[string][]string{
		"GET /measures":                {"coordinator", "commissioner"},
		"GET /api/v1/measures/summary": {"coordinator", "commissioner"},
	} {
		routeRules[route] = roles
	}
}

func init() {
	for shape, schema := range map[string]string{"outcomeSummaryJSON": "OutcomeSummary", "instrumentChangeJSON": "InstrumentChange", "changeFiguresJSON": "ChangeFigures", "changeCountJSON": "ChangeCount"} {
		goShapes[shape] = []string{schema}
		goOutputOnly[shape] = true
	}
}
