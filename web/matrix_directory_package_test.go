package web_test

// The directory's tabular data package and who may reach it: those who
// curate the directory, as for adding and editing listings; the store
// asks the policy again before each listing an import changes.
func init() {
	for route, roles := range map[string][]string{
		"GET /directory/import":             {"coordinator", "community_org"},
		"POST /directory/import":            {"coordinator", "community_org"},
		"GET /api/v1/directory/package.zip": {"coordinator", "community_org"},
	} {
		routeRules[route] = roles
	}
}
