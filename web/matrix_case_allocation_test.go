package web_test

// The case page's allocation area's routes and who may reach them.
func init() {
	for route, roles := range map[string][]string{} {
		routeRules[route] = roles
	}
}
