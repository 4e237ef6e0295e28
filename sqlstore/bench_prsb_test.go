package sqlstore_test

import (
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// BenchmarkPRSBExport is the demo service's PRSB report for its
// coordinator: every referral of the service, its episode's needs,
// concerns, sessions, activities, funds and scores, and the report's
// audit events.
func BenchmarkPRSBExport(b *testing.B) {
	s := benchStore(b)
	exports := sqlstore.NewEvaluationExportService(s.db)
	ctx := benchActor(b, s, linkwork.RoleCoordinator)
	req := linkwork.EvaluationRequest{Agreement: "DSA-BENCH", Recipient: "NHS England", Purpose: "Measuring the report"}
	for b.Loop() {
		if _, err := exports.PRSBExport(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
