package sqlstore_test

import (
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
)

// BenchmarkReferrerFlow is the referrers' page's two statements: every
// referrer's flow to the demo service for its coordinator, and the demo
// GP practice's own, over 12 months.
func BenchmarkReferrerFlow(b *testing.B) {
	s := benchStore(b)
	flow := sqlstore.NewReferrerFlowService(s.db)
	for _, role := range []linkwork.Role{linkwork.RoleCoordinator, linkwork.RoleReferrer} {
		b.Run(string(role), func(b *testing.B) {
			ctx := benchActor(b, s, role)
			for b.Loop() {
				if _, err := flow.ReferrerFlow(ctx, linkwork.ReferrerFlowFilter{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGroupEvidence is the demo community organisation's evidence
// pack over 12 months, for its own user (every service's connections to
// it) and for the demo service's coordinator.
func BenchmarkGroupEvidence(b *testing.B) {
	s := benchStore(b)
	packs := sqlstore.NewGroupEvidenceService(s.db)
	login, _ := demo.LoginFor(linkwork.RoleCommunity)
	u, err := s.users.FindUserByEmail(linkwork.NewContext(b.Context(), linkwork.SystemActor("bench")), login.Email)
	if err != nil {
		b.Fatal(err)
	}
	for _, role := range []linkwork.Role{linkwork.RoleCommunity, linkwork.RoleCoordinator} {
		b.Run(string(role), func(b *testing.B) {
			ctx := benchActor(b, s, role)
			for b.Loop() {
				if _, err := packs.GroupEvidence(ctx, linkwork.GroupEvidenceFilter{OrgID: u.OrgID}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEvaluationExport is the demo service's evaluation dataset for
// its coordinator: every referral of the service, with its counts and
// scores, and the export's audit events.
func BenchmarkEvaluationExport(b *testing.B) {
	s := benchStore(b)
	exports := sqlstore.NewEvaluationExportService(s.db)
	ctx := benchActor(b, s, linkwork.RoleCoordinator)
	req := linkwork.EvaluationRequest{Agreement: "DSA-BENCH", Recipient: "Bench University", Purpose: "Measuring the export"}
	for b.Loop() {
		if _, err := exports.EvaluationExport(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
