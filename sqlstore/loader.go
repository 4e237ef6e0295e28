package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// Loader writes generated data (the demo city, benchmark datasets) in bulk:
// multi-row INSERTs in large transactions, parents before children. It is
// for seeding an empty database by the system, not for user input: records
// are validated by their generator, and one audit event records the load.
type Loader struct {
	db     *DB
	ctx    context.Context
	tables map[string]*batch
	order  []string
	hashes map[string]string // password → hash, so a dataset of many users hashes once
	terms  map[string]bool   // the search vocabulary's words loaded so far
	rows   int
	// flushAt is how many rows make a flush (flushRows, or
	// postgresFlushRows).
	flushAt int
	// flushes counts the flushes, for PostgreSQL's vacuum between them.
	flushes int
	counts  map[string]int
	// person is the person loaded last: the sink sends each person just
	// before their referrals, which record them as given.
	person *linkwork.Person
	// cases holds the service of each of that person's cases, which the
	// sink sends before their connections: a connection records its
	// case's service, by which a service's connections are listed.
	cases map[string]string
	// assetOrgs holds the organisation of each activity loaded: a
	// connection records it, by which an organisation's hand-overs are
	// listed.
	assetOrgs map[string]string
	// funds holds each fund loaded and what its approved requests have
	// spent, written to it when the load closes: a load that would
	// overspend a fund is refused.
	funds map[string]*loadedFund
	// equity is whether the schema has the equity tables (migration
	// 37): 0 not yet asked, 1 yes, 2 no (loader_equity.go).
	equity int8
}

// loadedFund is a fund loaded and the spend of its requests loaded since.
type loadedFund struct{ budget, spent int }

type batch struct {
	cols   string
	n      int    // columns
	suffix string // after the VALUES, such as ON CONFLICT DO NOTHING
	rows   [][]any
}

// loaderTables are the tables in the order they are flushed: every parent
// before its children.
var loaderTables = []struct{ name, cols, suffix string }{
	{"organisations", orgColumnsPlain, ""},
	{"users", "id, org_id, email, name, role, password_hash, disabled, age_min, age_max, version, created_at, updated_at", ""},
	{"service_settings", "service_org_id, settings, version, updated_at, updated_by", ""},
	{"population_shares", "service_org_id, shares, source, version, updated_at, updated_by", ""},
	{"funds", "id, service_org_id, name, purpose, min_age, max_age, budget_pence, spent_pence, threshold_pence, starts_on, ends_on, created_by, created_at", ""},
	{"assets", assetColumnList, ""},
	{"asset_categories", assetChildColumns["asset_categories"], ""},
	{"asset_schedules", assetChildColumns["asset_schedules"], ""},
	{"asset_locations", assetChildColumns["asset_locations"], ""},
	{"asset_contacts", assetChildColumns["asset_contacts"], ""},
	{"asset_cost_options", assetChildColumns["asset_cost_options"], ""},
	{"asset_languages", assetChildColumns["asset_languages"], ""},
	{"asset_service_areas", assetChildColumns["asset_service_areas"], ""},
	{"asset_versions", "asset_id, version, changed_at, changed_by, snapshot", ""},
	{"asset_terms", "term", " ON CONFLICT DO NOTHING"},
	{"postcode_lsoas", "postcode, lsoa11, imd_decile", " ON CONFLICT DO NOTHING"},
	{"people", strings.ReplaceAll(personColumns, "p.", "") + ", dup_name_dob, dup_email", ""},
	{"guardians", "id, person_id, position, name, relationship, phone, email, has_parental_responsibility, involvement", ""},
	{"consents", "id, person_id, kind, given, given_by, recorded_at, recorded_by, note", ""},
	{"referrals", strings.ReplaceAll(referralColumns, "r.", "") + ", person_dob, person_given", ""},
	{"referral_transitions", "referral_id, seq, from_status, to_status, at, by_id, reason", ""},
	{"cases", strings.ReplaceAll(caseColumns, "k.", ""), ""},
	{"goals", "id, case_id, text, achieved, created_at", ""},
	{"goal_ratings", "id, goal_id, case_id, rating, scale, at, by_user_id", ""},
	{"contacts", "id, case_id, at, mode, location_type, outcome, minutes, notes, by_user_id, version, created_at, kind", ""},
	{"connections", strings.ReplaceAll(connectionColumns, "n.", "") + ", service_org_id, asset_org_id", ""},
	{"fund_requests", "id, fund_id, service_org_id, case_id, connection_id, category, amount_pence, note, status, reason, requested_by, requested_at, decided_by, decided_at", ""},
	{"measures", "id, person_id, case_id, instrument, timepoint, answers, goal_ids, score, completed_by, at, created_by", ""},
}

const orgColumnsPlain = orgColumns

// maxParams keeps one INSERT under both engines' limits on bound values.
const maxParams = 30000

// flushRows is how many buffered rows trigger a flush, each flush one
// transaction. PostgreSQL's is smaller: the kept counts (report_tallies,
// referral_cube and the like) move the same few rows for every row
// loaded, and each move leaves a row version that no one can clear until
// the transaction ends, so each later move walks them all. At 100,000
// rows a national build slowed from 4,500 people a minute to under 1,000
// as it went.
const (
	flushRows         = 100000
	postgresFlushRows = 5000
)

// postgresVacuumEvery is how many flushes go by between the loader's
// vacuums on PostgreSQL. Every row loaded moves the kept counts and each
// referral's kept facts (referral_facts, report_tallies and the like), and
// every move leaves a dead row version behind; where autovacuum is off, or
// slower than the load, they pile up and every later move reads through
// them. A national build with autovacuum off fell from 4,500 people a
// minute to 1,000 at 350,000 people, with 1.15 million dead versions in
// referral_facts; a vacuum of it put it back.
const postgresVacuumEvery = 20

// deadRowsToVacuum is how many dead row versions a table gathers before
// the loader vacuums it.
const deadRowsToVacuum = 10000

// loaderCacheKiB is SQLite's page cache for the writer while loading:
// random UUID keys touch pages all over each index, and the default 2 MiB
// cache turns a national-scale load into disk thrashing.
const loaderCacheKiB = 512 * 1024

// NewLoader returns a loader writing to db.
func NewLoader(ctx context.Context, db *DB) *Loader {
	if db.dialect.name() == "sqlite" {
		// The writer is a single connection, so the setting holds for
		// every flush; Close puts it back.
		_, _ = db.write.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", loaderCacheKiB))
	}
	l := &Loader{db: db, ctx: ctx, tables: map[string]*batch{}, hashes: map[string]string{}, counts: map[string]int{}, terms: map[string]bool{}, cases: map[string]string{}, assetOrgs: map[string]string{}, funds: map[string]*loadedFund{}}
	l.flushAt = flushRows
	if db.dialect.name() != "sqlite" {
		l.flushAt = postgresFlushRows
	}
	for _, t := range loaderTables {
		l.tables[t.name] = &batch{cols: t.cols, n: len(strings.Split(t.cols, ",")), suffix: t.suffix}
		l.order = append(l.order, t.name)
	}
	return l
}

func (l *Loader) add(table string, values ...any) error {
	b := l.tables[table]
	if len(values) != b.n {
		return fmt.Errorf("loader: %s takes %d values, got %d", table, b.n, len(values))
	}
	b.rows = append(b.rows, values)
	l.rows++
	l.counts[table]++
	if l.rows >= l.flushAt {
		return l.Flush()
	}
	return nil
}

// Flush writes every buffered row in one transaction.
func (l *Loader) Flush() error {
	if l.rows == 0 {
		return nil
	}
	tx, err := l.db.write.BeginTx(l.ctx, nil)
	if err != nil {
		return l.db.wrap(err)
	}
	for _, name := range l.order {
		b := l.tables[name]
		per := maxParams / b.n
		for start := 0; start < len(b.rows); start += per {
			end := min(start+per, len(b.rows))
			chunk := b.rows[start:end]
			var q strings.Builder
			q.WriteString("INSERT INTO " + name + " (" + b.cols + ") VALUES ")
			row := "(" + placeholders(b.n) + ")"
			args := make([]any, 0, len(chunk)*b.n)
			for i, r := range chunk {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString(row)
				args = append(args, r...)
			}
			q.WriteString(b.suffix)
			if _, err := tx.ExecContext(l.ctx, l.db.dialect.rebind(q.String()), args...); err != nil {
				tx.Rollback()
				return l.db.wrap(fmt.Errorf("loading %s: %w", name, err))
			}
		}
		b.rows = b.rows[:0]
	}
	l.rows = 0
	if err := tx.Commit(); err != nil {
		return l.db.wrap(err)
	}
	l.flushes++
	if l.db.dialect.name() != "sqlite" && l.flushes%postgresVacuumEvery == 0 {
		return l.vacuum()
	}
	return nil
}

// vacuum clears the dead row versions of the tables that have gathered
// deadRowsToVacuum or more since they were last vacuumed, by the
// statistics PostgreSQL keeps of them.
func (l *Loader) vacuum() error {
	rows, err := l.db.write.QueryContext(l.ctx, "SELECT quote_ident(relname) FROM pg_stat_user_tables WHERE schemaname = 'public' AND n_dead_tup >= $1", deadRowsToVacuum)
	if err != nil {
		return l.db.wrap(err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return l.db.wrap(err)
		}
		tables = append(tables, t)
	}
	err = errors.Join(rows.Err(), rows.Close())
	if err != nil {
		return l.db.wrap(err)
	}
	if len(tables) == 0 {
		return nil
	}
	_, err = l.db.write.ExecContext(l.ctx, "VACUUM "+strings.Join(tables, ", "))
	return l.db.wrap(err)
}

// Close flushes what is left and records the load in the audit trail.
func (l *Loader) Close(purpose string) error {
	err := l.Flush()
	if l.db.dialect.name() == "sqlite" {
		_, _ = l.db.write.ExecContext(l.ctx, fmt.Sprintf("PRAGMA cache_size = -%d", writerCacheKiB))
	}
	if err != nil {
		return err
	}
	// Fresh statistics, so that the planner picks the selective index
	// (a referrer's organisation) over a broad one (a status).
	if err := l.db.Analyze(l.ctx); err != nil {
		return err
	}
	parts := make([]string, 0, len(l.order))
	for _, name := range l.order {
		if n := l.counts[name]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", name, n))
		}
	}
	return l.db.updateAs(l.ctx, linkwork.SystemActor(purpose), func(tx *Tx) error {
		for _, id := range slices.Sorted(maps.Keys(l.funds)) {
			if f := l.funds[id]; f.spent > 0 {
				if _, err := tx.exec("UPDATE funds SET spent_pence = spent_pence + ? WHERE id = ?", f.spent, id); err != nil {
					return err
				}
				f.spent = 0
			}
		}
		return tx.audit("data.load", "", "", strings.Join(parts, " "))
	})
}

// Counts returns how many rows were loaded per table.
func (l *Loader) Counts() map[string]int { return l.counts }

func (l *Loader) stamp(t time.Time) time.Time {
	if t.IsZero() {
		return l.db.Now()
	}
	return t
}

// Organisation loads an organisation.
func (l *Loader) Organisation(o *linkwork.Organisation) error {
	o.Version = max(o.Version, 1)
	o.CreatedAt, o.UpdatedAt = l.stamp(o.CreatedAt), l.stamp(o.UpdatedAt)
	return l.add("organisations", o.ID, o.Name, string(o.Kind), sv(o.ParentID), o.Code, o.Address, o.Postcode, o.Phone, o.Email, o.Version, tv(o.CreatedAt), tv(o.UpdatedAt))
}

// User loads an account with the password hashed (once per distinct
// password, so a large dataset does not spend minutes hashing).
func (l *Loader) User(u *linkwork.User, password string) error {
	h, ok := l.hashes[password]
	if !ok {
		var err error
		if h, err = auth.HashPassword(password); err != nil {
			return err
		}
		l.hashes[password] = h
	}
	u.Version = max(u.Version, 1)
	u.CreatedAt, u.UpdatedAt = l.stamp(u.CreatedAt), l.stamp(u.UpdatedAt)
	return l.add("users", u.ID, u.OrgID, strings.ToLower(u.Email), u.Name, string(u.Role), h, u.Disabled, u.AgeMin, u.AgeMax, u.Version, tv(u.CreatedAt), tv(u.UpdatedAt))
}

// Settings loads a service's settings, saved once (version 1) unless the
// version says otherwise.
func (l *Loader) Settings(s *linkwork.ServiceSettings) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("loader: settings of %s: %w", s.ServiceOrgID, err)
	}
	doc, err := encodeSettings(s)
	if err != nil {
		return err
	}
	s.Version = max(s.Version, 1)
	s.UpdatedAt = l.stamp(s.UpdatedAt)
	return l.add("service_settings", s.ServiceOrgID, doc, s.Version, tv(s.UpdatedAt), s.UpdatedBy)
}

// Asset loads a listing with its children (categories, schedules,
// locations, contacts, cost options, languages, service areas) and its
// version as loaded, saved by the system. IDs it lacks are assigned.
func (l *Loader) Asset(a *linkwork.Asset) error {
	assignAssetIDs(a)
	l.assetOrgs[a.ID] = a.OrgID
	a.Version = max(a.Version, 1)
	a.CreatedAt, a.UpdatedAt = l.stamp(a.CreatedAt), l.stamp(a.UpdatedAt)
	if a.Capacity.Updated.IsZero() {
		a.Capacity.Updated = a.UpdatedAt
	}
	if err := l.add("assets", assetArgs(a)...); err != nil {
		return err
	}
	for _, part := range assetChildren(a) {
		for _, row := range part.rows {
			if err := l.add(part.table, row...); err != nil {
				return err
			}
		}
	}
	for _, w := range assetTerms(a) {
		if !l.terms[w] {
			l.terms[w] = true
			if err := l.add("asset_terms", w); err != nil {
				return err
			}
		}
	}
	snap, err := assetSnapshot(a)
	if err != nil {
		return err
	}
	return l.add("asset_versions", a.ID, a.Version, tv(a.UpdatedAt), linkwork.SystemActor("load").ID(), snap)
}

// Person loads a person with their guardians and consents.
func (l *Loader) Person(p *linkwork.Person) error {
	l.person = p
	clear(l.cases)
	p.Version = max(p.Version, 1)
	p.CreatedAt, p.UpdatedAt = l.stamp(p.CreatedAt), l.stamp(p.UpdatedAt)
	compOK, compWhy, compBy, compAt := competenceArgs(p.Competence)
	if err := l.add("people", p.ID, p.ServiceOrgID, p.GivenName, p.FamilyName, p.PreferredName, p.Pronouns, dv(p.DateOfBirth), p.Gender, p.Ethnicity,
		p.Address, p.Postcode, p.Phone, p.Email, joinChannels(p.Contact.Channels), p.Contact.SafeToLeaveMessage, p.Contact.Via, p.Contact.BestTimes, p.Contact.Notes, p.Contact.Reminders,
		p.SchoolOrWork, p.Languages, p.NeedsInterpreter, p.AccessibilityNeeds, compOK, compWhy, compBy, compAt,
		p.Version, tv(p.CreatedAt), tv(p.UpdatedAt), dupNameDOB(p.GivenName, p.FamilyName, p.DateOfBirth), dupEmail(p.Email)); err != nil {
		return err
	}
	for i, g := range p.Guardians {
		if err := l.add("guardians", g.ID, p.ID, i, g.Name, g.Relationship, g.Phone, g.Email, g.HasParentalResponsibility, g.Involvement); err != nil {
			return err
		}
	}
	for _, c := range p.Consents {
		if err := l.add("consents", c.ID, p.ID, string(c.Kind), c.Given, c.GivenBy, tv(l.stamp(c.RecordedAt)), c.RecordedBy, c.Note); err != nil {
			return err
		}
	}
	return nil
}

// Referral loads a referral and its transitions. The person loaded just
// before it, when it is the referral's, is recorded as the referral gave
// them.
func (l *Loader) Referral(r *linkwork.Referral) error {
	r.Version = max(r.Version, 1)
	r.UpdatedAt = l.stamp(r.UpdatedAt)
	matched, err := encodeRiskMatches(r.Risk.Matched)
	if err != nil {
		return err
	}
	var given any
	if l.person != nil && l.person.ID == r.PersonID {
		if given, err = encodePersonGiven(l.person); err != nil {
			return err
		}
	}
	if err := l.add("referrals", r.ID, r.ServiceOrgID, r.PersonID, string(r.Pathway), string(r.Mode), sv(r.ReferrerOrgID), sv(r.ReferrerUserID), r.ReferrerName, r.ReferrerRole,
		r.ReferrerContact, r.Reasons, r.WhatTheyWant, r.Risks, r.YearGroup, r.Aware(), r.ConsentReferral, r.ConsentSharing,
		sv(r.PossibleDuplicateOf), string(r.Status), string(r.Streetlight), r.StatusReason, r.OnwardDestination, dv(r.DeferUntil), sv(r.CaseID),
		tv(l.stamp(r.ReceivedAt)), tv(r.DecidedAt), r.Version, tv(r.UpdatedAt), sv(r.GPPracticeOrgID), tv(r.ReturnedAt),
		string(r.SafeNow), string(r.HarmThoughts), string(r.Risk.State), matched, r.Risk.Note, r.Risk.DecidedBy, tv(r.Risk.DecidedAt),
		dv(r.PersonDateOfBirth), given); err != nil {
		return err
	}
	for i, t := range r.Transitions {
		if err := l.add("referral_transitions", r.ID, i+1, string(t.From), string(t.To), tv(t.At), t.ByID, t.Reason); err != nil {
			return err
		}
	}
	return nil
}

// Case loads a case.
func (l *Loader) Case(c *linkwork.Case) error {
	l.cases[c.ID] = c.ServiceOrgID
	c.Version = max(c.Version, 1)
	c.UpdatedAt = l.stamp(c.UpdatedAt)
	return l.add("cases", c.ID, c.PersonID, c.ReferralID, c.ServiceOrgID, sv(c.LinkWorkerID), string(c.Status), c.PlannedSessions, c.WhatMatters, c.Needs, c.Plan,
		string(c.ClosureReason), c.ClosureNote, c.OutcomeSummary, tv(l.stamp(c.OpenedAt)), tv(c.AllocatedAt), tv(c.ClosedAt), dv(c.FollowUpOn), c.Version, tv(c.UpdatedAt),
		max(c.Complexity, 1), sv(c.PreviousCaseID), tv(c.FollowedUpAt),
		c.EndingSteps, tv(c.EndingPlannedAt), c.ClosureDestination, c.ShareOutcome, c.FollowUpNote)
}

// Goal loads a goal and its ratings.
func (l *Loader) Goal(g *linkwork.Goal) error {
	if err := l.add("goals", g.ID, g.CaseID, g.Text, g.Achieved, tv(l.stamp(g.CreatedAt))); err != nil {
		return err
	}
	for _, r := range g.Ratings {
		if err := l.add("goal_ratings", r.ID, g.ID, g.CaseID, r.Rating, string(r.Scale), tv(l.stamp(r.At)), r.ByUserID); err != nil {
			return err
		}
	}
	return nil
}

// Contact loads a contact.
func (l *Loader) Contact(c *linkwork.Contact) error {
	c.Version = max(c.Version, 1)
	return l.add("contacts", c.ID, c.CaseID, tv(c.At), string(c.Mode), c.LocationType, string(c.Outcome), c.Minutes, c.Notes, c.ByUserID, c.Version, tv(l.stamp(c.CreatedAt)), string(cmp.Or(c.Kind, c.Outcome.Kind())))
}

// Connection loads a connection, for a case loaded since its person.
func (l *Loader) Connection(c *linkwork.Connection) error {
	service, ok := l.cases[c.CaseID]
	if !ok {
		return fmt.Errorf("loader: connection %s: its case %s was not loaded since its person", c.ID, c.CaseID)
	}
	c.Version = max(c.Version, 1)
	org, ok := l.assetOrgs[c.AssetID]
	if !ok {
		return fmt.Errorf("loader: connection %s: its activity %s was not loaded", c.ID, c.AssetID)
	}
	return l.add("connections", c.ID, c.CaseID, c.PersonID, c.AssetID, string(c.Level), string(c.Status), c.Note, c.FundPence, c.Version, tv(l.stamp(c.CreatedAt)), tv(l.stamp(c.UpdatedAt)), service, sv(org))
}

// Fund loads a service's fund, with nothing spent: Close adds up what
// the approved requests loaded after it spend.
func (l *Loader) Fund(f *linkwork.Fund) error {
	if _, ok := l.funds[f.ID]; ok {
		return fmt.Errorf("loader: fund %s was loaded twice", f.ID)
	}
	l.funds[f.ID] = &loadedFund{budget: f.BudgetPence}
	return l.add("funds", f.ID, f.ServiceOrgID, f.Name, f.Purpose, f.MinAge, f.MaxAge, f.BudgetPence, 0, f.ThresholdPence, dv(f.StartsOn), dv(f.EndsOn), f.CreatedBy, tv(l.stamp(f.CreatedAt)))
}

// FundRequest loads a request to a fund loaded before it, towards a
// connection loaded before it. An approved request that would take its
// fund past its budget is refused.
func (l *Loader) FundRequest(r *linkwork.FundRequest) error {
	f, ok := l.funds[r.FundID]
	if !ok {
		return fmt.Errorf("loader: fund request %s: its fund %s was not loaded", r.ID, r.FundID)
	}
	if r.Status == linkwork.FundApproved {
		if f.spent+r.AmountPence > f.budget {
			return fmt.Errorf("loader: fund request %s would take fund %s past its budget", r.ID, r.FundID)
		}
		f.spent += r.AmountPence
	}
	return l.add("fund_requests", r.ID, r.FundID, r.ServiceOrgID, r.CaseID, r.ConnectionID, string(r.Category), r.AmountPence, r.Note, string(r.Status), r.Reason,
		r.RequestedBy, tv(l.stamp(r.RequestedAt)), r.DecidedBy, tv(r.DecidedAt))
}

// Measure scores and loads a measure response.
func (l *Loader) Measure(m *linkwork.MeasureResponse) error {
	if err := score(m); err != nil {
		return fmt.Errorf("loader: measure %s: %w", m.ID, err)
	}
	answers, _ := json.Marshal(m.Answers)
	var sc any
	if m.HasScore {
		sc = m.Score
	}
	return l.add("measures", m.ID, m.PersonID, m.CaseID, string(m.Instrument), string(m.Timepoint), string(answers), strings.Join(m.GoalIDs, ","), sc, string(m.CompletedBy), tv(m.At), m.CreatedBy)
}
