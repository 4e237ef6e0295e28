package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// Services are the service implementations the front door calls.
type Services struct {
	Auth          linkwork.AuthService
	Users         linkwork.UserService
	Organisations linkwork.OrganisationService
	People        linkwork.PersonService
	Referrals     linkwork.ReferralService
	Cases         linkwork.CaseService
	Assets        linkwork.AssetService
	Connections   linkwork.ConnectionService
	// Gaps records unmet needs and totals them.
	Gaps linkwork.GapService
	// Funds holds the service's funds and the requests made to them.
	Funds linkwork.FundService
	// Supervision records supervision, privately for those in it.
	Supervision linkwork.SupervisionService
	// Team is a coordinator's view of the team's load.
	Team linkwork.TeamService
	// Training keeps the team's training records.
	Training linkwork.TrainingService
	// Concerns holds safeguarding concerns and safety plans.
	Concerns linkwork.ConcernService
	// Outcomes adds up a service's outcome measures.
	Outcomes linkwork.OutcomeSummaryService
	// Exports makes the evaluation dataset.
	Exports linkwork.EvaluationExportService
	// ReferrerFlow adds up referrals by who referred them.
	ReferrerFlow linkwork.ReferrerFlowService
	// Evidence makes community groups' evidence packs.
	Evidence linkwork.GroupEvidenceService
	// Reports adds up a service's referrals for the dashboard.
	Reports linkwork.ReportService
	// ReportActivity adds up a service's activity for the dashboard;
	// without it the dashboard shows the referral figures only.
	ReportActivity linkwork.ReportActivityService
	// Stages records phased hand-overs' stages and people's views of
	// the activities they went to.
	Stages linkwork.ConnectionStageService
	// Signposts gives people the details of their activities.
	Signposts     linkwork.SignpostService
	Measures      linkwork.MeasureService
	Messages      linkwork.MessageService
	Audit         linkwork.AuditService
	Home          linkwork.HomeService
	Triage        linkwork.TriageService
	Notifications linkwork.NotificationService
	Listings      linkwork.ListingService
	// AnswerLinks sends groups without an account links to answer
	// referrals, and takes their answers.
	AnswerLinks linkwork.AnswerLinkService
	// MeasureLinks sends people links to answer a measure on their own
	// phone, and takes their answers.
	MeasureLinks linkwork.MeasureLinkService
	// Allocation moves people off the waiting list and between link
	// workers, and shows caseloads.
	Allocation linkwork.AllocationService
	// Idempotency keeps the answers to creating API requests sent with an
	// Idempotency-Key; without it the header is ignored.
	Idempotency linkwork.IdempotencyService
	// ORUKDocuments keeps the services imported listings came as, which
	// /oruk/services publishes again; without it, linkwork's own.
	ORUKDocuments linkwork.ORUKDocumentService
	// Batch, when set, runs fn with a context in which the services' calls
	// join one transaction (sqlstore.DB.Batch): pages that read many
	// things use it to wait for one commit. Without it each call runs on
	// its own.
	Batch func(ctx context.Context, fn func(context.Context) error) error
	// Atomically, when set, runs fn with a context in which the services'
	// calls are saved together or not at all (sqlstore.DB.Atomically): a
	// harvest writes its listings and the services they came as with it.
	Atomically func(ctx context.Context, fn func(context.Context) error) error
	// Defer, when set, returns a context in which the services keep the
	// audit events of a request's reads, and the function that records
	// them (sqlstore.DB.Defer): the server calls it once, before the
	// response begins, and answers with an error if it fails. Without it
	// each read records its own events.
	Defer func(ctx context.Context) (context.Context, func(context.Context) error)
	// Ready reports whether the database is ready for work, for /readyz.
	// An error that is a *linkwork.Error says why, safely for anyone to
	// read.
	Ready func(context.Context) error
	// Equity adds up a service's referrals by group, beside its
	// population.
	Equity linkwork.EquityService
	// Feeds keeps the neighbours' feeds the directory harvests.
	Feeds linkwork.FeedService
}

// DemoLogin is a demo account shown on the sign-in page of a demo service.
type DemoLogin struct {
	Role  linkwork.Role
	Email string
}

// Config configures the server.
type Config struct {
	// SecureCookies marks the session cookie Secure (HTTPS only). Leave it
	// off only when serving plain HTTP on a loopback address.
	SecureCookies bool
	// LoginPerMinute sets the limits on signing in (see loginLimits): one
	// address may try one account this many times at once and then this
	// many a quarter of an hour, try any accounts this many times a
	// minute, and every address together may try one account 60 times
	// this many an hour. Default 10.
	LoginPerMinute int
	// Demo, when set, shows the demo accounts and password on the sign-in
	// page.
	Demo         []DemoLogin
	DemoPassword string
	// PublicReferralsPerHour is how many public referrals one address may
	// send an hour. Default 10.
	PublicReferralsPerHour int
	// PublicFormMinTime is the least time a person takes to fill in the
	// public referral form; quicker submissions come back to be checked.
	// Default 3 seconds; negative turns the check off.
	PublicFormMinTime time.Duration
	// FormKey signs the time the public referral form was shown, so that
	// a form sent back too quickly for a person can be told. Servers
	// behind one load balancer must share it (serve reads it from the
	// database: sqlstore.DB.SharedSecret); at least 32 bytes. Without it
	// each server makes its own, and a form shown by another server, or
	// before a restart, is not held to PublicFormMinTime.
	FormKey []byte
	// MetricsToken, when set, serves the Prometheus metrics at /metrics on
	// this server to requests bearing it ("Authorization: Bearer TOKEN"),
	// and to nobody else. Without it this server does not serve /metrics
	// at all: serve MetricsHandler on a separate, private listener.
	MetricsToken string
	Logger       *slog.Logger
	Now          func() time.Time
}

// Server is the HTTP front door.
type Server struct {
	cfg     Config
	svc     Services
	mux     *http.ServeMux
	routes  []route
	pages   *pages
	metrics *metrics
	limits  *loginLimits
	handler http.Handler

	publicLimits *keyLimits
	verifyLimits *keyLimits
	formKey      []byte
}

// New returns a server over the services.
func New(cfg Config, svc Services) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.LoginPerMinute <= 0 {
		cfg.LoginPerMinute = 10
	}
	if cfg.PublicReferralsPerHour <= 0 {
		cfg.PublicReferralsPerHour = 10
	}
	switch {
	case cfg.PublicFormMinTime == 0:
		cfg.PublicFormMinTime = 3 * time.Second
	case cfg.PublicFormMinTime < 0:
		cfg.PublicFormMinTime = 0
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, svc: svc, mux: http.NewServeMux(), pages: p, metrics: newMetrics(), limits: newLoginLimits(cfg.LoginPerMinute, cfg.Now)}
	s.publicLimits = newKeyLimits(cfg.PublicReferralsPerHour, time.Hour, cfg.Now)
	s.verifyLimits = newKeyLimits(verifyPerHour, time.Hour, cfg.Now)
	switch {
	case cfg.FormKey == nil:
		s.formKey = make([]byte, 32)
		if _, err := rand.Read(s.formKey); err != nil {
			return nil, err
		}
	case len(cfg.FormKey) < 32:
		return nil, fmt.Errorf("the form key is %d bytes long; it must be at least 32", len(cfg.FormKey))
	default:
		s.formKey = slices.Clone(cfg.FormKey)
	}
	s.registerRoutes()
	s.handler = s.recoverer(s.logRequests(s.securityHeaders(s.orukCORS(s.crossOrigin(s.orukMethods(s.authenticate(s.recordReads(s.mux))))))))
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Access says who may reach a route at all. Records within are further
// scoped by the services.
type Access struct {
	// Public routes need no sign-in.
	Public bool
	// Capability, when set, is what the route does, and the policy says
	// which roles may reach it (auth.Allows); when empty (and not Public),
	// any signed-in user may.
	Capability auth.Capability
}

// Allows reports whether a user with the role (or "" for nobody signed in)
// may reach the route.
func (a Access) Allows(role linkwork.Role) bool {
	if a.Public {
		return true
	}
	if role == "" {
		return false
	}
	return a.Capability == "" || auth.Allows(role, a.Capability)
}

// Roles lists the only roles that may reach the route, in the order of
// linkwork.Roles; none when any signed-in user may, or anyone.
func (a Access) Roles() []linkwork.Role {
	if a.Public || a.Capability == "" {
		return nil
	}
	return auth.RolesFor(a.Capability)
}

// RouteInfo describes a route, for the authorization matrix test and docs.
type RouteInfo struct {
	Method  string
	Pattern string
	Access  Access
	API     bool
}

type route struct {
	RouteInfo
	h http.HandlerFunc
}

// Routes lists every route the server answers.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, len(s.routes))
	for i, r := range s.routes {
		out[i] = r.RouteInfo
	}
	return out
}

// handle registers a route with its access rule. A route cannot be
// registered without one.
func (s *Server) handle(method, pattern string, a Access, h http.HandlerFunc) {
	if a.Capability != "" && !auth.Known(a.Capability) {
		panic("the policy does not know the capability " + string(a.Capability) + " of " + method + " " + pattern)
	}
	api := len(pattern) >= 7 && pattern[:7] == "/api/v1"
	ri := RouteInfo{Method: method, Pattern: pattern, Access: a, API: api}
	s.routes = append(s.routes, route{ri, h})
	if api && a.Public {
		inner := h
		h = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			inner(w, r)
		}
	}
	s.mux.Handle(method+" "+pattern, s.metrics.instrument(pattern, s.guard(ri, h)))
}

// guard enforces a route's access rule.
func (s *Server) guard(ri RouteInfo, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r)
		var role linkwork.Role
		if u != nil {
			role = u.Role
		}
		if !ri.Access.Allows(role) {
			if u == nil {
				s.unauthorized(w, r, ri.API)
				return
			}
			s.fail(w, r, ri.API, linkwork.Errorf(linkwork.EFORBIDDEN, "You do not have access to this page. If you need it, ask your coordinator or administrator."))
			return
		}
		if !ri.Access.Public || u != nil {
			// Pages and answers about signed-in work are never cached.
			w.Header().Set("Cache-Control", "no-store")
		}
		// No handler sees a path value, query parameter or form field
		// that holds a zero byte or bytes that are not UTF-8.
		if err := checkRequestText(r, ri.Pattern, !ri.API && r.Method != http.MethodGet); err != nil {
			if strings.HasPrefix(ri.Pattern, "/oruk") {
				f := linkwork.ErrorFields(err)[0]
				orukError(w, http.StatusBadRequest, linkwork.EMALFORMED, f.Field, linkwork.ErrorMessage(err))
				return
			}
			s.fail(w, r, ri.API, err)
			return
		}
		h(w, r)
	})
}

var (
	public   = Access{Public: true}
	signedIn = Access{}
)

// may is the access rule of a route that does what c names: the policy
// says who may.
func may(c auth.Capability) Access { return Access{Capability: c} }

func (s *Server) registerRoutes() {
	// Health. The metrics are for the monitoring system only: on a
	// separate listener (MetricsHandler), or here to its token. Either
	// way they are outside the route table, which is about people.
	s.handle("GET", "/healthz", public, s.healthz)
	s.handle("GET", "/readyz", public, s.readyz)
	if s.cfg.MetricsToken != "" {
		s.mux.Handle("GET /metrics", s.metricsByToken())
	}
	s.mux.Handle("GET /static/", staticHandler())

	// Pages.
	s.handle("GET", "/{$}", public, s.homePage)
	s.handle("GET", "/login", public, s.loginPage)
	s.handle("POST", "/login", public, s.loginSubmit)
	s.handle("POST", "/logout", signedIn, s.logout)
	s.handle("GET", "/account", signedIn, s.accountPage)
	s.handle("POST", "/account/tokens", signedIn, s.createTokenSubmit)
	s.handle("POST", "/account/tokens/{id}/revoke", signedIn, s.revokeTokenSubmit)
	s.handle("POST", "/account/password", signedIn, s.passwordSubmit)
	s.handle("GET", "/referrals", may(auth.ReadReferrals), s.referralsPage)
	s.handle("GET", "/referrals/new", may(auth.MakeReferrals), s.referralNewPage)
	s.handle("POST", "/referrals/new", may(auth.MakeReferrals), s.referralNewSubmit)
	s.handle("GET", "/referrals/{id}", may(auth.ReadReferrals), s.referralPage)
	s.handle("POST", "/referrals/{id}/decision", may(auth.DecideReferrals), s.decisionSubmit)
	s.handle("POST", "/referrals/{id}/duplicate", may(auth.DecideReferrals), s.duplicateSubmit)
	s.handle("POST", "/referrals/{id}/risk", may(auth.ReviewRisk), s.riskReviewSubmit)
	s.handle("GET", "/triage", may(auth.WorkTriage), s.triagePage)
	s.handle("POST", "/triage/return-deferrals", may(auth.ReturnDeferrals), s.returnDeferralsSubmit)
	s.handle("GET", "/waiting-list", may(auth.ReadCases), s.waitingListPage)
	s.handle("GET", "/notifications", signedIn, s.notificationsPage)
	s.handle("GET", "/more", signedIn, s.morePage)
	s.handle("POST", "/notifications/{id}/read", signedIn, s.notificationReadSubmit)
	s.handle("GET", "/admin/service", may(auth.ConfigureService), s.settingsPage)
	s.handle("POST", "/admin/service", may(auth.ConfigureService), s.settingsSubmit)
	s.handle("GET", "/streetlight", public, s.streetlightPage)
	s.handle("GET", "/accessibility", public, s.accessibilityPage)
	s.handle("GET", "/refer", public, s.referStartPage)
	s.handle("GET", "/refer/sent", public, s.referSentPage)
	s.handle("GET", "/refer/{who}", public, s.publicReferralPage)
	s.handle("POST", "/refer/{who}", public, s.publicReferralSubmit)
	s.handle("GET", "/cases", may(auth.ReadCases), s.casesPage)
	s.handle("GET", "/cases/{id}", may(auth.ReadCases), s.casePage)
	// The case page's areas, each in its own file.
	s.routesCasePerson()
	s.routesCaseAllocation()
	s.routesCaseSessions()
	s.routesCasePlan()
	s.routesConnections()
	s.routesGaps()
	s.routesOutcomes()
	s.routesExports()
	s.routesReferrerFlow()
	s.routesGroupEvidence()
	s.routesReports()
	s.routesEquity()
	s.routesConnectionStages()
	s.routesSignposts()
	s.routesFunds()
	s.routesSupervision()
	s.routesConcerns()
	s.routesAnswerLinks()
	s.routesMeasures()
	s.routesDirectoryPackage()
	s.routesFeeds()
	s.handle("GET", "/connections", may(auth.ReadConnections), s.connectionsPage)
	s.handle("GET", "/directory", public, s.directoryPage)
	s.handle("GET", "/directory/{id}", public, s.assetPage)
	s.handle("GET", "/directory/curate", may(auth.CurateListings), s.curatePage)
	s.handle("GET", "/directory/new", may(auth.AddListings), s.assetNewPage)
	s.handle("POST", "/directory/new", may(auth.AddListings), s.assetNewSubmit)
	s.handle("GET", "/directory/{id}/edit", may(auth.CurateListings), s.assetEditPage)
	s.handle("POST", "/directory/{id}/edit", may(auth.CurateListings), s.assetEditSubmit)
	s.handle("POST", "/directory/{id}/confirm", may(auth.CurateListings), s.assetConfirmSubmit)
	s.handle("GET", "/directory/{id}/report", may(auth.ReportListings), s.assetReportPage)
	s.handle("POST", "/directory/{id}/report", may(auth.ReportListings), s.assetReportSubmit)
	s.handle("POST", "/directory/reports/{id}/resolve", may(auth.CurateListings), s.resolveReportSubmit)
	s.handle("GET", "/verify/{token}", public, s.verifyPage)
	s.handle("POST", "/verify/{token}/confirm", public, s.verifyConfirmSubmit)
	s.handle("GET", "/verify/{token}/change", public, s.verifyChangePage)
	s.handle("POST", "/verify/{token}/change", public, s.verifyChangeSubmit)
	s.handle("GET", "/admin/users", may(auth.ReadUsers), s.usersPage)
	s.handle("POST", "/admin/users", may(auth.CreateUsers), s.createUserSubmit)
	s.handle("POST", "/admin/users/{id}/disable", may(auth.DisableUsers), s.disableUserSubmit)
	s.handle("POST", "/admin/users/{id}/enable", may(auth.DisableUsers), s.enableUserSubmit)
	s.handle("GET", "/admin/organisations", may(auth.ManageOrganisations), s.organisationsPage)
	s.handle("POST", "/admin/organisations", may(auth.ManageOrganisations), s.createOrganisationSubmit)
	s.handle("GET", "/admin/organisations/{id}", may(auth.ManageOrganisations), s.organisationEditPage)
	s.handle("POST", "/admin/organisations/{id}", may(auth.ManageOrganisations), s.organisationSubmit)
	s.handle("GET", "/admin/audit", may(auth.ReadAudit), s.auditPage)
	s.handle("POST", "/admin/audit/verify", may(auth.VerifyAudit), s.verifyAuditSubmit)

	// The JSON API.
	s.handle("GET", "/api/v1/openapi.json", public, s.apiOpenAPI)
	s.handle("GET", "/api/v1/me", signedIn, s.apiMe)
	s.handle("GET", "/api/v1/home", signedIn, s.apiHome)
	s.handle("GET", "/api/v1/referrals", may(auth.ReadReferrals), s.apiListReferrals)
	s.handle("POST", "/api/v1/referrals", may(auth.MakeReferrals), s.idempotent(s.apiCreateReferral))
	s.handle("GET", "/api/v1/referrals/{id}", may(auth.ReadReferrals), s.apiGetReferral)
	s.handle("POST", "/api/v1/referrals/{id}/decision", may(auth.DecideReferrals), s.apiDecideReferral)
	s.handle("POST", "/api/v1/referrals/{id}/duplicate", may(auth.DecideReferrals), s.apiResolveDuplicate)
	s.handle("POST", "/api/v1/referrals/{id}/risk-review", may(auth.ReviewRisk), s.apiReviewRisk)
	s.handle("POST", "/api/v1/public/referrals", public, s.idempotent(s.apiPublicReferral))
	s.handle("GET", "/api/v1/services", public, s.apiListServices)
	s.handle("GET", "/api/v1/services/{id}", public, s.apiGetService)
	s.handle("PUT", "/api/v1/services/{id}", may(auth.ConfigureService), s.apiSaveService)
	s.routesMeasureSettings()
	s.handle("GET", "/api/v1/triage", may(auth.WorkTriage), s.apiTriageQueue)
	s.handle("POST", "/api/v1/triage/return-deferrals", may(auth.ReturnDeferrals), s.apiReturnDeferrals)
	s.handle("GET", "/api/v1/waiting-list", may(auth.ReadCases), s.apiWaitingList)
	s.handle("GET", "/api/v1/caseloads", may(auth.ReadCases), s.apiCaseloads)
	s.handle("GET", "/api/v1/notifications", signedIn, s.apiListNotifications)
	s.handle("POST", "/api/v1/notifications/{id}/read", signedIn, s.apiReadNotification)
	s.handle("GET", "/api/v1/cases", may(auth.ReadCases), s.apiListCases)
	s.handle("GET", "/api/v1/cases/{id}", may(auth.ReadCases), s.apiGetCase)
	s.handle("GET", "/api/v1/people/{id}", may(auth.ReadPerson), s.apiGetPerson)
	s.handle("GET", "/api/v1/connections", may(auth.ReadConnections), s.apiListConnections)
	s.handle("GET", "/api/v1/assets", public, s.apiListAssets)
	s.handle("GET", "/api/v1/assets/{id}", public, s.apiGetAsset)
	s.handle("GET", "/api/v1/assets/{id}/versions", may(auth.CurateListings), s.apiAssetVersions)
	// The directory's maintenance: listings, reports, the curator's
	// dashboard and the verification link (the token is the credential).
	s.handle("POST", "/api/v1/assets", may(auth.AddListings), s.idempotent(s.apiCreateAsset))
	s.handle("PUT", "/api/v1/assets/{id}", may(auth.CurateListings), s.apiUpdateAsset)
	s.handle("POST", "/api/v1/assets/{id}/confirm", may(auth.CurateListings), s.apiConfirmAsset)
	s.handle("POST", "/api/v1/assets/{id}/reports", may(auth.ReportListings), s.idempotent(s.apiReportAsset))
	s.handle("GET", "/api/v1/assets/{id}/reports", may(auth.CurateListings), s.apiAssetReports)
	s.handle("POST", "/api/v1/asset-reports/{id}/resolve", may(auth.CurateListings), s.apiResolveAssetReport)
	s.handle("GET", "/api/v1/curation", may(auth.CurateListings), s.apiCuration)
	s.handle("GET", "/api/v1/verify/{token}", public, s.apiVerification)
	s.handle("POST", "/api/v1/verify/{token}/confirm", public, s.apiVerifyConfirm)
	s.handle("PUT", "/api/v1/verify/{token}", public, s.apiVerifyCorrect)
	s.handle("GET", "/api/v1/organisations", signedIn, s.apiListOrganisations)
	s.handle("GET", "/api/v1/organisations/{id}", signedIn, s.apiGetOrganisation)
	s.handle("POST", "/api/v1/organisations", may(auth.ManageOrganisations), s.idempotent(s.apiCreateOrganisation))
	s.handle("PUT", "/api/v1/organisations/{id}", may(auth.ManageOrganisations), s.apiUpdateOrganisation)
	s.handle("GET", "/api/v1/users", may(auth.ReadUsers), s.apiListUsers)
	s.handle("GET", "/api/v1/users/{id}", signedIn, s.apiGetUser)
	s.handle("POST", "/api/v1/users", may(auth.CreateUsers), s.idempotent(s.apiCreateUser))
	s.handle("POST", "/api/v1/users/{id}/disable", may(auth.DisableUsers), s.apiDisableUser)
	s.handle("POST", "/api/v1/tokens", signedIn, s.idempotentSecret(s.apiCreateToken))
	s.handle("GET", "/api/v1/tokens", signedIn, s.apiListTokens)
	s.handle("DELETE", "/api/v1/tokens/{id}", signedIn, s.apiRevokeToken)
	s.handle("GET", "/api/v1/audit", may(auth.ReadAudit), s.apiListAudit)

	// Open Referral UK.
	s.registerORUK()

	// Anything else is not found, in the right format.
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, true, linkwork.Errorf(linkwork.ENOTFOUND, "There is no API endpoint %s %s", r.Method, r.URL.Path))
	})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, false, linkwork.Errorf(linkwork.ENOTFOUND, "Page not found. If you typed the web address, check it is correct."))
	})
}
