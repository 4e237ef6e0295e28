package web_test

// Equity on the dashboard and who may reach it: the dashboard's readers
// (a service's coordinators, and the commissioners who fund it, with
// small numbers suppressed). The area's population shares are a service
// setting: its coordinators' (and administrators') to enter.
func init() {
	readers := []string{"coordinator", "commissioner"}
	for route, roles := range map[string][]string{
		"GET /reports/equity":                        readers,
		"GET /api/v1/reports/equity":                 readers,
		"GET /api/v1/reports/equity_ethnicity.csv":   readers,
		"GET /api/v1/reports/equity_age.csv":         readers,
		"GET /api/v1/reports/equity_gender.csv":      readers,
		"GET /api/v1/reports/equity_deprivation.csv": readers,
		"GET /reports/equity/population":             {"coordinator", "admin"},
		"POST /reports/equity/population":            {"coordinator", "admin"},
		"GET /api/v1/services/{id}/population":       {"coordinator", "admin"},
		"PUT /api/v1/services/{id}/population":       {"coordinator", "admin"},
	} {
		routeRules[route] = roles
	}
}

func init() {
	for shape, schema := range map[string]string{"equityJSON": "Equity", "equityTableJSON": "EquityTable", "equityRowJSON": "EquityRow"} {
		goShapes[shape] = []string{schema}
		goOutputOnly[shape] = true
	}
	goShapes["populationJSON"] = []string{"PopulationShares"}
}
