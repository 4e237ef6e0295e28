// Package sqlweb wires the store's services into the web server's: the one
// place that says which sqlstore service answers for each of web.Services.
// The store and the web server know nothing of each other; the command and
// the tests that run a whole server use this.
package sqlweb

import (
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/web"
)

// Services returns every service the web server uses, each backed by db.
func Services(db *sqlstore.DB) web.Services {
	return web.Services{
		Auth: sqlstore.NewAuthService(db), Users: sqlstore.NewUserService(db), Organisations: sqlstore.NewOrganisationService(db),
		People: sqlstore.NewPersonService(db), Referrals: sqlstore.NewReferralService(db), Cases: sqlstore.NewCaseService(db),
		Assets: sqlstore.NewAssetService(db), Connections: sqlstore.NewConnectionService(db), Measures: sqlstore.NewMeasureService(db), Messages: sqlstore.NewMessageService(db), Gaps: sqlstore.NewGapService(db),
		Allocation: sqlstore.NewAllocationService(db),
		Audit:      sqlstore.NewAuditService(db), Home: sqlstore.NewHomeService(db), Triage: sqlstore.NewTriageService(db),
		Notifications: sqlstore.NewNotificationService(db), Listings: sqlstore.NewListingService(db), AnswerLinks: sqlstore.NewAnswerLinkService(db),
		Stages: sqlstore.NewConnectionService(db), Signposts: sqlstore.NewConnectionService(db),
		Funds:        sqlstore.NewFundService(db),
		MeasureLinks: sqlstore.NewMeasureLinkService(db),
		Supervision:  sqlstore.NewSupervisionService(db), Team: sqlstore.NewTeamService(db), Training: sqlstore.NewTeamService(db),
		Concerns:     sqlstore.NewConcernService(db),
		Outcomes:     sqlstore.NewOutcomeSummaryService(db),
		Exports:      sqlstore.NewEvaluationExportService(db),
		ReferrerFlow: sqlstore.NewReferrerFlowService(db),
		Evidence:     sqlstore.NewGroupEvidenceService(db),
		Reports:      sqlstore.NewReportService(db),
		Idempotency:  sqlstore.NewIdempotencyService(db), Ready: db.Ready, Batch: db.Batch, Atomically: db.Atomically, Defer: db.Defer,
		Equity:         sqlstore.NewEquityService(db),
		ReportActivity: sqlstore.NewReportService(db),
		// The ORUK documents imported listings came as.
		ORUKDocuments: sqlstore.NewORUKDocumentService(db),
		Feeds:         sqlstore.NewFeedService(db),
	}
}
