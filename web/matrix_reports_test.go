package web_test

// The service's dashboard and who may reach it: its coordinators, and the
// commissioners who fund it (with small numbers suppressed); no link
// worker, safeguarding lead, referrer or community organisation.
func init() {
	for route, roles := range map[string][]string{
		"GET /reports":                  {"coordinator", "commissioner"},
		"GET /api/v1/reports/dashboard": {"coordinator", "commissioner"},
		"GET /api/v1/reports/{table}":   {"coordinator", "commissioner"},
	} {
		routeRules[route] = roles
	}
}

func init() {
	for shape, schema := range map[string]string{"dashboardJSON": "Dashboard", "figureJSON": "ReportFigure", "countRowJSON": "ReportCountRow", "funnelStepJSON": "FunnelStep", "waitJSON": "ReportWait", "waitRowJSON": "ReportWaitRow", "sessionsJSON": "ReportSessions", "levelRowJSON": "ReportLevelRow"} {
		goShapes[shape] = []string{schema}
		goOutputOnly[shape] = true
	}
}
