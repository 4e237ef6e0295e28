package web_test

// Supervision, the team's load and training, and who may reach them. A
// supervision is logged and read by those who may take part in one (link
// workers, coordinators, safeguarding leads: the service names
// supervisors), and the store shows each only the ones they were in;
// only coordinators see the team's load and set supervision targets;
// link workers record and read their own training, coordinators the
// service's.
func init() {
	for route, roles := range map[string][]string{
		"GET /supervision":                         {"link_worker", "coordinator", "safeguarding_lead"},
		"POST /supervision":                        {"link_worker", "coordinator", "safeguarding_lead"},
		"GET /supervision/{id}":                    {"link_worker", "coordinator", "safeguarding_lead"},
		"GET /team":                                {"coordinator"},
		"POST /team/targets":                       {"coordinator"},
		"GET /training":                            {"link_worker", "coordinator"},
		"POST /training":                           {"link_worker", "coordinator"},
		"GET /api/v1/supervisions":                 {"link_worker", "coordinator", "safeguarding_lead"},
		"POST /api/v1/supervisions":                {"link_worker", "coordinator", "safeguarding_lead"},
		"GET /api/v1/supervisions/{id}":            {"link_worker", "coordinator", "safeguarding_lead"},
		"GET /api/v1/supervision-agenda":           {"link_worker", "coordinator", "safeguarding_lead"},
		"PUT /api/v1/team/{id}/supervision-target": {"coordinator"},
		"GET /api/v1/team":                         {"coordinator"},
		"GET /api/v1/training":                     {"link_worker", "coordinator"},
		"POST /api/v1/training":                    {"link_worker", "coordinator"},
	} {
		routeRules[route] = roles
	}
	moreCreatingPOSTs = append(moreCreatingPOSTs, "supervisions", "training")
	for shape, schemas := range map[string][]string{
		"supervisionIn":       {"SupervisionInput"},
		"supervisionCaseJSON": {"SupervisionCase"},
		"namedJSON":           {"Named"},
		"supervisionJSON":     {"Supervision"},
		"agendaItemJSON":      {"AgendaItem"},
		"agendaJSON":          {"SupervisionAgenda"},
		"supervisionTargetIn": {"SupervisionTargetInput"},
		"teamMemberJSON":      {"TeamMember"},
		"trainingIn":          {"TrainingInput"},
		"trainingJSON":        {"Training"},
	} {
		goShapes[shape] = schemas
	}
	goShapes["listOut"] = append(goShapes["listOut"], "SupervisionList", "TeamList", "TrainingList")
	for _, shape := range []string{"supervisionCaseJSON", "namedJSON", "supervisionJSON", "agendaItemJSON", "agendaJSON", "teamMemberJSON", "trainingJSON"} {
		goOutputOnly[shape] = true
	}
}
