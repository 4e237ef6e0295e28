package web_test

// The case page's allocation area's routes and who may reach them.
func init() {
	moreCreatingPOSTs = append(moreCreatingPOSTs, "waiting check-ins")
	for route, roles := range map[string][]string{
		"POST /cases/{id}/allocate":              {"coordinator"},
		"POST /cases/{id}/complexity":            {"coordinator"},
		"POST /cases/{id}/handover":              {"coordinator"},
		"POST /waiting-list/take":                {"link_worker"},
		"GET /caseload":                          {"link_worker", "coordinator"},
		"GET /caseloads":                         {"coordinator"},
		"POST /caseloads/handover":               {"coordinator"},
		"GET /cases/{id}/waiting-check":          {"link_worker", "coordinator"},
		"POST /cases/{id}/waiting-check":         {"link_worker", "coordinator"},
		"POST /cases/{id}/waiting-check/close":   {"coordinator"},
		"GET /api/v1/cases/{id}/waiting-checks":  {"link_worker", "coordinator"},
		"POST /api/v1/cases/{id}/waiting-checks": {"link_worker", "coordinator"},
		"POST /api/v1/cases/{id}/allocate":       {"coordinator"},
		"POST /api/v1/cases/{id}/complexity":     {"coordinator"},
		"POST /api/v1/cases/{id}/handover":       {"coordinator"},
		"GET /api/v1/cases/{id}/handovers":       {"link_worker", "coordinator", "safeguarding_lead"},
		"POST /api/v1/waiting-list/take":         {"link_worker"},
		"GET /api/v1/caseload":                   {"link_worker", "coordinator"},
		"GET /api/v1/team-caseloads":             {"coordinator"},
		"POST /api/v1/caseloads/{id}/handover":   {"coordinator"},
	} {
		routeRules[route] = roles
	}
}

func init() {
	// Taking the next person sends nothing: the caller is the taker.
	bodyless["/waiting-list/take"] = true
}

func init() {
	goShapes["caseworkJSON"] = []string{"CaseworkSettings"}
}
