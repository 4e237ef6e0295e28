package web_test

// The neighbours' feeds pages and their API routes, and who may reach
// them: coordinators curate the directory, so they list, register,
// harvest and review feeds; nobody else reaches any of them.
func init() {
	for route, roles := range map[string][]string{
		"GET /feeds":                              {"coordinator"},
		"POST /feeds":                             {"coordinator"},
		"GET /feed-reviews":                       {"coordinator"},
		"POST /feed-reviews/{id}":                 {"coordinator"},
		"GET /feeds/{id}":                         {"coordinator"},
		"POST /feeds/{id}":                        {"coordinator"},
		"POST /feeds/{id}/harvest":                {"coordinator"},
		"GET /api/v1/feeds":                       {"coordinator"},
		"POST /api/v1/feeds":                      {"coordinator"},
		"GET /api/v1/feeds/{id}":                  {"coordinator"},
		"PUT /api/v1/feeds/{id}":                  {"coordinator"},
		"POST /api/v1/feeds/{id}/harvest":         {"coordinator"},
		"GET /api/v1/feed-reviews":                {"coordinator"},
		"POST /api/v1/feed-reviews/{id}/decision": {"coordinator"},
	} {
		routeRules[route] = roles
	}
	moreCreatingPOSTs = append(moreCreatingPOSTs, "feeds")
	bodyless["/feeds/{id}/harvest"] = true
	goShapes["feedCategoryJSON"] = []string{"FeedCategory"}
	goShapes["feedIn"] = []string{"FeedInput"}
	goShapes["feedUpdateIn"] = []string{"FeedUpdateInput"}
	goShapes["feedJSON"] = []string{"Feed"}
	goShapes["feedRunJSON"] = []string{"FeedRun"}
	goShapes["feedReviewJSON"] = []string{"FeedReview"}
	goShapes["feedDecisionIn"] = []string{"FeedDecisionInput"}
}
