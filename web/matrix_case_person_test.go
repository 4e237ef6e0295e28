package web_test

// The case page's person area's routes and who may reach them: staff read
// what the service knows around a person; link workers and coordinators
// change it (the services further hold each record to the policy).
func init() {
	moreCreatingPOSTs = append(moreCreatingPOSTs, "a person's guardians", "professionals", "capacity decisions", "differences")
	lc := []string{"link_worker", "coordinator"}
	staff := []string{"link_worker", "coordinator", "safeguarding_lead"}
	for route, roles := range map[string][]string{
		"GET /cases/{id}/person":                      lc,
		"POST /cases/{id}/person":                     lc,
		"GET /cases/{id}/about":                       lc,
		"POST /cases/{id}/about":                      lc,
		"POST /cases/{id}/guardians":                  lc,
		"GET /cases/{id}/guardians/{gid}":             lc,
		"POST /cases/{id}/guardians/{gid}":            lc,
		"POST /cases/{id}/guardians/{gid}/remove":     lc,
		"POST /cases/{id}/professionals":              lc,
		"GET /cases/{id}/professionals/{pid}":         lc,
		"POST /cases/{id}/professionals/{pid}":        lc,
		"POST /cases/{id}/professionals/{pid}/remove": lc,
		"POST /cases/{id}/competence":                 lc,
		"POST /cases/{id}/differences":                lc,
		"PUT /api/v1/people/{id}":                     lc,
		"GET /api/v1/people/{id}/record":              staff,
		"POST /api/v1/people/{id}/guardians":          lc,
		"PUT /api/v1/guardians/{id}":                  lc,
		"DELETE /api/v1/guardians/{id}":               lc,
		"GET /api/v1/people/{id}/professionals":       staff,
		"POST /api/v1/people/{id}/professionals":      lc,
		"PUT /api/v1/professionals/{id}":              lc,
		"DELETE /api/v1/professionals/{id}":           lc,
		"POST /api/v1/people/{id}/competence":         lc,
		"POST /api/v1/people/{id}/differences":        lc,
		"PUT /api/v1/cases/{id}":                      lc,
		"GET /api/v1/cases/{id}/about":                staff,
	} {
		routeRules[route] = roles
	}
}
