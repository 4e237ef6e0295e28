package web_test

// The dashboard's activity figures come in the dashboard's JSON and as
// more of its CSV tables (GET /api/v1/reports/{table}): no new route, so
// the same readers; their shapes are these schemas.
func init() {
	for shape, schema := range map[string]string{"activityJSON": "ReportActivity", "caseloadFiguresJSON": "ReportCaseload", "uptakeRowJSON": "ReportUptakeRow",
		"fundFiguresJSON": "ReportFunds", "fundRowJSON": "ReportFundRow"} {
		goShapes[shape] = []string{schema}
		goOutputOnly[shape] = true
	}
}
