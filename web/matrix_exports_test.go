package web_test

// The evaluation export and who may reach it: a service's coordinators,
// who give its dataset out under a data-sharing agreement; nobody else,
// not even the commissioners who fund the service.
func init() {
	for route, roles := range map[string][]string{
		"GET /exports/evaluation":                   {"coordinator"},
		"POST /exports/evaluation":                  {"coordinator"},
		"POST /api/v1/exports/evaluation":           {"coordinator"},
		"GET /api/v1/exports/evaluation/dictionary": {"coordinator"},
	} {
		routeRules[route] = roles
	}
}

func init() {
	goShapes["evaluationExportIn"] = []string{"EvaluationExportInput"}
	for shape, schema := range map[string]string{"evaluationExportJSON": "EvaluationExport", "evaluationDictionaryJSON": "EvaluationDictionary", "evaluationColumnJSON": "EvaluationColumn", "evaluationCodeJSON": "EvaluationCode"} {
		goShapes[shape] = []string{schema}
		goOutputOnly[shape] = true
	}
}
