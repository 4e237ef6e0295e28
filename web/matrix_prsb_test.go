package web_test

// The PRSB report and who may reach it: made under the evaluation
// export's rules, by the same people, a service's coordinators.
func init() {
	for route, roles := range map[string][]string{
		"GET /exports/prsb":                   {"coordinator"},
		"POST /exports/prsb":                  {"coordinator"},
		"POST /api/v1/exports/prsb":           {"coordinator"},
		"GET /api/v1/exports/prsb/dictionary": {"coordinator"},
	} {
		routeRules[route] = roles
	}
}

func init() {
	for shape, schema := range map[string]string{"prsbExportJSON": "PRSBExport", "prsbPartJSON": "PRSBPart", "prsbDictionaryJSON": "PRSBDictionary", "prsbPartDictionaryJSON": "PRSBPartDictionary", "prsbColumnJSON": "PRSBColumn"} {
		goShapes[shape] = []string{schema}
		goOutputOnly[shape] = true
	}
}
