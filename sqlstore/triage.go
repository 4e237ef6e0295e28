package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// TriageService implements linkwork.TriageService.
type TriageService struct{ db *DB }

// NewTriageService returns the triage service over db.
func NewTriageService(db *DB) *TriageService { return &TriageService{db: db} }

var _ linkwork.TriageService = (*TriageService)(nil)

// settingsDoc is the JSON document kept in service_settings.settings.
// Stored documents outlive releases: add fields, never rename them.
type settingsDoc struct {
	MinAge       int      `json:"min_age"`
	MaxAge       int      `json:"max_age"`
	Pathways     []string `json:"pathways"`
	Areas        []string `json:"areas"`
	PracticeIDs  []string `json:"practice_ids"`
	Red          []string `json:"red"`
	Amber        []string `json:"amber"`
	Green        []string `json:"green"`
	CrisisAdvice string   `json:"crisis_advice"`
	Contact      string   `json:"contact"`
	// ListingRecheckMonths is absent from documents saved before it
	// existed: they keep the default.
	ListingRecheckMonths int `json:"listing_recheck_months,omitempty"`
	// RiskPhrases are the service's own, besides the defaults.
	RiskPhrases []string `json:"risk_phrases,omitempty"`
	// Casework is absent from documents saved before it existed: every
	// field keeps its default.
	Casework *caseworkDoc `json:"casework,omitempty"`
	// Measures is absent from documents saved before it existed, and
	// while the service keeps the defaults.
	Measures *measuresDoc `json:"measures,omitempty"`
}

type measuresDoc struct {
	Uses    []measureUseDoc     `json:"uses,omitempty"`
	Wording map[string][]string `json:"wording,omitempty"`
}

type measureUseDoc struct {
	Band       string   `json:"age_band"`
	Instrument string   `json:"instrument"`
	Timepoints []string `json:"timepoints"`
	Mandated   bool     `json:"mandated,omitempty"`
}

func measuresDocOf(m linkwork.MeasureSettings) *measuresDoc {
	if len(m.Uses) == 0 && len(m.Wording) == 0 {
		return nil
	}
	d := &measuresDoc{}
	for _, u := range m.Uses {
		d.Uses = append(d.Uses, measureUseDoc{Band: u.Band, Instrument: string(u.Instrument), Timepoints: list(u.Timepoints), Mandated: u.Mandated})
	}
	for i, lines := range m.Wording {
		if d.Wording == nil {
			d.Wording = map[string][]string{}
		}
		d.Wording[string(i)] = lines
	}
	return d
}

func (d *measuresDoc) settings() linkwork.MeasureSettings {
	var m linkwork.MeasureSettings
	if d == nil {
		return m
	}
	for _, u := range d.Uses {
		mu := linkwork.MeasureUse{Band: u.Band, Instrument: linkwork.Instrument(u.Instrument), Mandated: u.Mandated}
		for _, t := range u.Timepoints {
			mu.Timepoints = append(mu.Timepoints, linkwork.Timepoint(t))
		}
		m.Uses = append(m.Uses, mu)
	}
	for i, lines := range d.Wording {
		if m.Wording == nil {
			m.Wording = map[linkwork.Instrument][]string{}
		}
		m.Wording[linkwork.Instrument(i)] = lines
	}
	return m
}

type caseworkDoc struct {
	FirstContactDays int   `json:"first_contact_days,omitempty"`
	QuietWeeks       int   `json:"quiet_weeks,omitempty"`
	PlannedSessions  int   `json:"planned_sessions,omitempty"`
	ReviewSessions   []int `json:"review_sessions,omitempty"`
	MaxGoals         int   `json:"max_goals,omitempty"`
	FollowUpWeeks    int   `json:"follow_up_weeks,omitempty"`
	CaseloadLimit    int   `json:"caseload_limit,omitempty"`
	SignpostCheck    int   `json:"signpost_check_days,omitempty"`
	SupervisionDays  int   `json:"supervision_days,omitempty"`
}

// list is xs, or an empty list: the document holds [] rather than null.
func list[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func encodeSettings(s *linkwork.ServiceSettings) (string, error) {
	b, err := json.Marshal(settingsDoc{
		MinAge: s.MinAge, MaxAge: s.MaxAge, Pathways: list(s.Pathways), Areas: list(s.Areas), PracticeIDs: list(s.PracticeIDs),
		Red: list(s.Red), Amber: list(s.Amber), Green: list(s.Green), CrisisAdvice: s.CrisisAdvice, Contact: s.Contact,
		ListingRecheckMonths: s.ListingRecheckMonths, RiskPhrases: s.ExtraRiskPhrases,
		Casework: &caseworkDoc{FirstContactDays: s.Casework.FirstContactDays, QuietWeeks: s.Casework.QuietWeeks, PlannedSessions: s.Casework.PlannedSessions,
			ReviewSessions: s.Casework.ReviewSessions, MaxGoals: s.Casework.MaxGoals, FollowUpWeeks: s.Casework.FollowUpWeeks, CaseloadLimit: s.Casework.CaseloadLimit, SignpostCheck: s.Casework.SignpostCheckDays,
			SupervisionDays: s.Casework.SupervisionDays},
		Measures: measuresDocOf(s.Measures),
	})
	return string(b), err
}

func decodeSettings(raw string, s *linkwork.ServiceSettings) error {
	var d settingsDoc
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		return err
	}
	s.MinAge, s.MaxAge, s.Areas, s.PracticeIDs = d.MinAge, d.MaxAge, d.Areas, d.PracticeIDs
	s.Pathways = nil
	for _, p := range d.Pathways {
		s.Pathways = append(s.Pathways, linkwork.Pathway(p))
	}
	s.Red, s.Amber, s.Green, s.CrisisAdvice, s.Contact = d.Red, d.Amber, d.Green, d.CrisisAdvice, d.Contact
	s.ExtraRiskPhrases = d.RiskPhrases
	s.Casework = linkwork.CaseworkSettings{}
	if c := d.Casework; c != nil {
		s.Casework = linkwork.CaseworkSettings{FirstContactDays: c.FirstContactDays, QuietWeeks: c.QuietWeeks, PlannedSessions: c.PlannedSessions,
			ReviewSessions: c.ReviewSessions, MaxGoals: c.MaxGoals, FollowUpWeeks: c.FollowUpWeeks, CaseloadLimit: c.CaseloadLimit, SignpostCheckDays: c.SignpostCheck,
			SupervisionDays: c.SupervisionDays}
	}
	s.Measures = d.Measures.settings()
	s.ListingRecheckMonths = linkwork.RecheckMonths
	if d.ListingRecheckMonths > 0 {
		s.ListingRecheckMonths = d.ListingRecheckMonths
	}
	return nil
}

// settingsSelect reads every social prescribing service with its saved
// settings, if any.
const settingsSelect = `SELECT o.id, o.name, s.settings, s.version, s.updated_at, s.updated_by
	FROM organisations o LEFT JOIN service_settings s ON s.service_org_id = o.id WHERE o.kind = 'sp_service'`

// scanSettings reads a service's settings, or the defaults when none are
// saved (Version 0).
func scanSettings(row scanner) (*linkwork.ServiceSettings, error) {
	var id, name, raw, by string
	var version sql.NullInt64
	var at time.Time
	if err := row.Scan(&id, &name, nullString{&raw}, &version, timeDest{&at}, nullString{&by}); err != nil {
		return nil, err
	}
	s := linkwork.DefaultServiceSettings(id)
	s.ServiceName = name
	if raw != "" {
		if err := decodeSettings(raw, s); err != nil {
			return nil, err
		}
		s.Version, s.UpdatedAt, s.UpdatedBy = int(version.Int64), at, by
	}
	return s, nil
}

// settingsFor returns a service's settings, or ENOTFOUND when id is not a
// social prescribing service.
func (tx *Tx) settingsFor(id string) (*linkwork.ServiceSettings, error) {
	s, err := scanSettings(tx.queryRow(settingsSelect+" AND o.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Social prescribing service not found")
	}
	return s, err
}

// Services lists every social prescribing service's settings, by name.
func (s *TriageService) Services(ctx context.Context) ([]*linkwork.ServiceSettings, error) {
	var out []*linkwork.ServiceSettings
	err := s.db.viewAs(ctx, publicActor(ctx), func(tx *Tx) error {
		rows, err := tx.query(settingsSelect + " ORDER BY o.name, o.id")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			set, err := scanSettings(rows)
			if err != nil {
				return err
			}
			out = append(out, set)
		}
		return rows.Err()
	})
	return out, err
}

// ServiceSettings returns one service's settings.
func (s *TriageService) ServiceSettings(ctx context.Context, serviceOrgID string) (*linkwork.ServiceSettings, error) {
	var out *linkwork.ServiceSettings
	err := s.db.viewAs(ctx, publicActor(ctx), func(tx *Tx) error {
		var err error
		out, err = tx.settingsFor(serviceOrgID)
		return err
	})
	return out, err
}

// SaveServiceSettings saves a service's settings at set.Version.
func (s *TriageService) SaveServiceSettings(ctx context.Context, set *linkwork.ServiceSettings) error {
	return s.db.update(ctx, func(tx *Tx) error {
		a := tx.actor
		if !auth.Can(a, auth.ActionConfigure, auth.Record{Kind: auth.KindOrganisation, ServiceOrgID: set.ServiceOrgID}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service's coordinators and administrators can change its settings")
		}
		cur, err := tx.settingsFor(set.ServiceOrgID)
		if err != nil {
			return err
		}
		if err := set.Validate(); err != nil {
			return err
		}
		if err := tx.checkPractices(set.PracticeIDs); err != nil {
			return err
		}
		if set.Version != cur.Version {
			return linkwork.Errorf(linkwork.ECONFLICT, "Someone else changed these settings since you opened them. Reload them to see their changes, then make yours again.")
		}
		doc, err := encodeSettings(set)
		if err != nil {
			return err
		}
		if cur.Version == 0 {
			// Two first saves at once: the second breaks the primary key,
			// which is a conflict too.
			if _, err := tx.exec("INSERT INTO service_settings (service_org_id, settings, version, updated_at, updated_by) VALUES (?, ?, 1, ?, ?)",
				set.ServiceOrgID, doc, tx.now, a.ID()); err != nil {
				return err
			}
		} else {
			res, err := tx.exec("UPDATE service_settings SET settings = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE service_org_id = ? AND version = ?",
				doc, tx.now, a.ID(), set.ServiceOrgID, cur.Version)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n != 1 {
				return linkwork.Errorf(linkwork.ECONFLICT, "Someone else changed these settings since you opened them. Reload them to see their changes, then make yours again.")
			}
		}
		set.Version, set.UpdatedAt, set.UpdatedBy, set.ServiceName = cur.Version+1, tx.now, a.ID(), cur.ServiceName
		return tx.audit("settings.update", auth.KindOrganisation, set.ServiceOrgID, "version="+strconv.Itoa(set.Version))
	})
}

// checkPractices checks that every id is a GP practice.
func (tx *Tx) checkPractices(ids []string) error {
	for _, id := range ids {
		o, err := tx.findOrg(id)
		if linkwork.ErrorCode(err) == linkwork.ENOTFOUND || (err == nil && o.Kind != linkwork.OrgGPPractice) {
			return linkwork.FieldErr("practice_ids", "Choose GP practices from the list: one of those given is not a GP practice")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// serviceStaff reports whether the actor works in a service's triage team
// (its link workers, coordinators and safeguarding leads): whom the policy
// lets work the service's triage queue.
func serviceStaff(a linkwork.Actor) bool {
	return !a.System && auth.Allows(a.Role, auth.WorkTriage)
}

// queueStatuses are the statuses of referrals awaiting a decision, written
// as literals so that both planners can prove the partial index of open
// referrals (referrals_open) applies.
const queueStatuses = "r.status IN ('received', 'triage', 'deferred')"

// returnedSQL is true of a referral back from deferral: returned to the
// queue already, or deferred with its date come (the queue shows only
// those).
const returnedSQL = "(r.returned_at IS NOT NULL OR r.status = 'deferred')"

// flaggedSQL is true of a referral that disclosed a possible risk not yet
// reviewed: it leads every view of the queue.
const flaggedSQL = "r.risk_state = 'review_today'"

// meetingOrder puts referrals with a possible risk to review first, then
// those back from deferral, then ambers, then reds, then those not rated
// yet; oldest first within each.
const meetingOrder = "CASE WHEN " + flaggedSQL + " THEN 0 WHEN " + returnedSQL + " THEN 1 WHEN r.streetlight = 'amber' THEN 2 WHEN r.streetlight = 'red' THEN 3 ELSE 4 END, r.received_at, r.id"

// bandOrder is an age band's order: possible risks first, then oldest
// first.
const bandOrder = "CASE WHEN " + flaggedSQL + " THEN 0 ELSE 1 END, r.received_at, r.id"

// TriageQueue returns a page of the referrals awaiting a decision in the
// actor's service.
func (s *TriageService) TriageQueue(ctx context.Context, f linkwork.TriageFilter) ([]*linkwork.Referral, int, error) {
	var out []*linkwork.Referral
	var total int
	err := s.db.audited(ctx, func(tx *Tx) error {
		if !serviceStaff(tx.actor) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service's link workers, coordinators and safeguarding leads see the triage queue")
		}
		today := s.db.today()
		var w where
		w.scope(tx.actor, auth.KindReferral, "r")
		w.add(queueStatuses)
		w.add("(r.status <> 'deferred' OR r.defer_until <= ?)", dv(today))
		if f.Pathway != "" {
			if !f.Pathway.Valid() {
				return linkwork.FieldErr("pathway", "Choose a pathway from the list")
			}
			w.add("r.pathway = ?", string(f.Pathway))
		}
		if f.AgeBand != "" {
			band, ok := linkwork.FindAgeBand(f.AgeBand)
			if !ok {
				return linkwork.FieldErr("age_band", "Choose an age band from the list")
			}
			// People without a date of birth fall outside every band. The
			// referral carries its person's date of birth (person_dob) so
			// that this reads the queue's index alone.
			from, to := band.Births(today)
			w.add("r.person_dob <= ?", dv(to))
			if !from.IsZero() {
				w.add("r.person_dob >= ?", dv(from))
			}
		}
		var err error
		if f.Meeting {
			// Greens are for a link worker to decide alone, unless the
			// team deferred them and they are back, or they disclosed a
			// possible risk.
			w.add("(r.streetlight <> 'green' OR " + returnedSQL + " OR " + flaggedSQL + ")")
			out, total, err = tx.queuePage(w, meetingOrder, f.Offset, f.Limit)
		} else if f.AgeBand != "" {
			// A band reads a range of the date-of-birth index, out of
			// received order: sort its ids, then read a page of rows.
			out, total, err = tx.queuePage(w, bandOrder, f.Offset, f.Limit)
		} else {
			out, total, err = tx.flaggedFirst(w, f.Offset, f.Limit)
		}
		if err != nil {
			return err
		}
		ids := make([]string, len(out))
		for i, r := range out {
			ids[i] = r.ID
		}
		return tx.auditList("referral.list", auth.KindReferral, ids)
	})
	return out, total, err
}

// queuePage counts the queue referrals w selects and returns a page of
// them in the order given. When that order is not the index's (the
// meeting's, or received order within an age band), the page's ids are
// sorted from the queue's indexes alone (referrals_open,
// referrals_open_dob) and only their rows are read: at a million
// referrals that halves the meeting's time and takes an age band from
// 57 ms to a few.
func (tx *Tx) queuePage(w where, order string, offset, limit int) ([]*linkwork.Referral, int, error) {
	total, err := tx.count("SELECT COUNT(*) "+referralTable+" WHERE "+w.sql(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	off, lim := page(offset, limit)
	rows, err := tx.query("SELECT "+referralSelect+" "+referralFrom+" WHERE r.id IN (SELECT r.id "+referralTable+" WHERE "+w.sql()+
		" ORDER BY "+order+" LIMIT ? OFFSET ?) ORDER BY "+order, append(w.args, lim, off)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*linkwork.Referral
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// flaggedFirst returns a page of the queue w selects, oldest first, with
// the referrals awaiting review of a possible risk ahead of the rest. The
// flagged part is read from its own small index (referrals_risk_review),
// the rest in the order of the open referrals' index, and the total is the
// count the plain oldest-first page always made: at a million referrals
// the page costs what it did before risks led it.
func (tx *Tx) flaggedFirst(w where, offset, limit int) ([]*linkwork.Referral, int, error) {
	off, lim := page(offset, limit)
	flagged := w.with(flaggedSQL)
	flaggedFrom := referralTable + tx.db.dialect.indexedBy("referrals_risk_review")
	nFlagged, err := tx.count("SELECT COUNT(*) "+flaggedFrom+" WHERE "+flagged.sql(), flagged.args...)
	if err != nil {
		return nil, 0, err
	}
	total, err := tx.count("SELECT COUNT(*) "+referralTable+" WHERE "+w.sql(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	var out []*linkwork.Referral
	if off < nFlagged {
		if out, err = tx.referralRows(flaggedFrom, flagged, off, lim); err != nil {
			return nil, 0, err
		}
	}
	if len(out) < lim && off+len(out) < total {
		rest, err := tx.referralRows(referralTable, w.with("r.risk_state <> 'review_today'"), max(off-nFlagged, 0), lim-len(out))
		if err != nil {
			return nil, 0, err
		}
		out = append(out, rest...)
	}
	return out, total, nil
}

// referralRows reads the referrals w selects from the table, oldest
// first, offset and limit already checked.
func (tx *Tx) referralRows(from string, w where, offset, limit int) ([]*linkwork.Referral, error) {
	rows, err := tx.query(referralRowsSQL(from, w), append(w.args, limit, offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*linkwork.Referral
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// referralRowsSQL is the statement referralRows runs: its arguments are
// w's, then the limit and the offset.
func referralRowsSQL(from string, w where) string {
	return "SELECT " + referralSelect + " " + from + " " + referralJoins + " WHERE " + w.sql() + " ORDER BY r.received_at, r.id LIMIT ? OFFSET ?"
}

// WaitingList returns a page of the actor's service's waiting list.
//
// It reads cases by the service rather than through the case scope: a
// waiting case has no link worker yet, and holds only the accepted
// referral, which every link worker of the service already sees.
func (s *TriageService) WaitingList(ctx context.Context, offset, limit int) (*linkwork.WaitingList, error) {
	wl := &linkwork.WaitingList{ThroughputWeeks: linkwork.ThroughputWeeks}
	err := s.db.audited(ctx, func(tx *Tx) error {
		a := tx.actor
		if !serviceStaff(a) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service's staff see its waiting list")
		}
		var w where
		w.add("k.service_org_id = ?", a.OrgID)
		w.add("k.status = ?", string(linkwork.CaseWaiting))
		cases, total, err := queryPage(tx, caseTable, caseJoins, w, "k.opened_at, k.id", offset, limit, scanCase, caseSelect)
		if err != nil {
			return err
		}
		allocated, err := tx.count("SELECT COUNT(*) FROM cases WHERE service_org_id = ? AND allocated_at >= ?",
			a.OrgID, tx.now.Add(-time.Duration(linkwork.ThroughputWeeks)*7*24*time.Hour))
		if err != nil {
			return err
		}
		wl.Total = total
		wl.AllocatedPerWeek = float64(allocated) / float64(linkwork.ThroughputWeeks)
		off, _ := page(offset, limit)
		ids := make([]string, len(cases))
		for i, c := range cases {
			e := linkwork.WaitingEntry{Case: c, Position: off + i + 1, Waited: tx.now.Sub(c.OpenedAt)}
			e.ExpectedWeeks, e.ExpectedKnown = linkwork.ExpectedWait(e.Position, wl.AllocatedPerWeek)
			wl.Entries = append(wl.Entries, e)
			ids[i] = c.ID
		}
		return tx.auditList("case.list", auth.KindCase, ids)
	})
	if err != nil {
		return nil, err
	}
	return wl, nil
}

// Caseloads lists the enabled link workers of the actor's service with
// their active and ending cases, smallest caseload first.
func (s *TriageService) Caseloads(ctx context.Context) ([]linkwork.Caseload, error) {
	var out []linkwork.Caseload
	err := s.db.view(ctx, func(tx *Tx) error {
		a := tx.actor
		if !serviceStaff(a) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service's staff see its caseloads")
		}
		// COUNT(k.status) reads only the index, not each case's row.
		rows, err := tx.query(`SELECT u.id, u.name, COUNT(k.status) FROM users u
			LEFT JOIN cases k ON k.link_worker_id = u.id AND k.status IN (?, ?)
			WHERE u.org_id = ? AND u.role = ? AND u.disabled = FALSE GROUP BY u.id, u.name ORDER BY COUNT(k.status), u.name, u.id`,
			string(linkwork.CaseActive), string(linkwork.CaseEnding), a.OrgID, string(linkwork.RoleLinkWorker))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c linkwork.Caseload
			if err := rows.Scan(&c.UserID, &c.Name, &c.Active); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// ReturnDueDeferrals moves deferred referrals whose date has come back to
// triage: every service's for the system, a coordinator's own service's
// otherwise.
//
// One UPDATE takes every due referral at once, guarded by its status, and
// raises its version: a decision made meanwhile either went first (and the
// referral is no longer deferred, so it is left alone) or comes after (and
// is refused as stale). The rows are locked before the audit head is, as
// DecideReferral locks them, so the two cannot deadlock. The referral keeps
// the date it was deferred until, for the team to see why it is back.
func (s *TriageService) ReturnDueDeferrals(ctx context.Context) (int, error) {
	moved := 0
	err := s.db.update(ctx, func(tx *Tx) error {
		moved = 0
		a := tx.actor
		q := `UPDATE referrals SET status = ?, returned_at = ?, version = version + 1, updated_at = ? WHERE status = ? AND defer_until <= ?`
		args := []any{string(linkwork.ReferralTriage), tx.now, tx.now, string(linkwork.ReferralDeferred), dv(s.db.today())}
		switch {
		case a.System:
		case auth.Can(a, auth.ActionReturnDeferred, auth.Record{Kind: auth.KindReferral, ServiceOrgID: a.OrgID}):
			q += " AND service_org_id = ?"
			args = append(args, a.OrgID)
		default:
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators bring deferred referrals back to the queue")
		}
		rows, err := tx.query(q+" RETURNING id", args...)
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		slices.Sort(ids)
		for _, id := range ids {
			r, err := scanReferral(tx.queryRow("SELECT "+referralSelect+" "+referralFrom+" WHERE r.id = ?", id))
			if err != nil {
				return err
			}
			t := linkwork.ReferralTransition{From: linkwork.ReferralDeferred, To: linkwork.ReferralTriage, At: tx.now, ByID: a.ID(),
				Reason: "Deferred until " + r.DeferUntil.String() + ": back for review"}
			if _, err := tx.exec(`INSERT INTO referral_transitions (referral_id, seq, from_status, to_status, at, by_id, reason)
				VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM referral_transitions WHERE referral_id = ?), ?, ?, ?, ?, ?)`,
				r.ID, r.ID, string(t.From), string(t.To), t.At, t.ByID, t.Reason); err != nil {
				return err
			}
			if err := tx.audit("referral.return", auth.KindReferral, r.ID, t.Reason); err != nil {
				return err
			}
			if err := tx.notifyReferral(r, linkwork.NoteReferralReturned); err != nil {
				return err
			}
		}
		moved = len(ids)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return moved, nil
}

// ResolveDuplicate settles a referral flagged as a possible duplicate.
func (s *TriageService) ResolveDuplicate(ctx context.Context, referralID string, version int, same bool) (*linkwork.Referral, error) {
	var r *linkwork.Referral
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if r, err = tx.visibleReferral(referralID); err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionDecide, referralRecord(r)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this referral but not settle whether its person is already known")
		}
		if r.Version != version {
			return linkwork.Errorf(linkwork.ECONFLICT, "Someone else changed this referral since you opened it. Reload it to see their changes, then decide again.")
		}
		if r.PossibleDuplicateOf == "" {
			return linkwork.FieldErr("possible_duplicate_of", "This referral is not flagged as a possible duplicate")
		}
		known, made := r.PossibleDuplicateOf, r.PersonID
		detail := "different"
		if same {
			detail = "same"
			res, err := tx.exec("UPDATE referrals SET person_id = ?, person_dob = (SELECT date_of_birth FROM people WHERE id = ?), possible_duplicate_of = NULL, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
				known, known, tx.now, r.ID, version)
			if err != nil {
				return err
			}
			if err := tx.mustAffect(res, "referrals", r.ID, "Referral"); err != nil {
				return err
			}
			if r.CaseID != "" {
				// The case opened for the referral, and what hangs off it,
				// follow it to the person already known.
				for _, q := range []string{
					"UPDATE cases SET person_id = ? WHERE id = ?",
					"UPDATE connections SET person_id = ? WHERE case_id = ?",
					"UPDATE measures SET person_id = ? WHERE case_id = ?",
				} {
					if _, err := tx.exec(q, known, r.CaseID); err != nil {
						return err
					}
				}
				if err := tx.audit("case.update", auth.KindCase, r.CaseID, "person "+made+" is "+known); err != nil {
					return err
				}
			}
			if err := tx.removeUnreferencedPerson(made, known); err != nil {
				return err
			}
			if err := tx.audit("person.update", auth.KindPerson, known, "same person as "+made+", from referral "+r.ID); err != nil {
				return err
			}
		} else {
			res, err := tx.exec("UPDATE referrals SET possible_duplicate_of = NULL, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
				tx.now, r.ID, version)
			if err != nil {
				return err
			}
			if err := tx.mustAffect(res, "referrals", r.ID, "Referral"); err != nil {
				return err
			}
		}
		if err := tx.audit("referral.duplicate", auth.KindReferral, r.ID, detail); err != nil {
			return err
		}
		r, err = tx.visibleReferral(referralID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// removeUnreferencedPerson deletes the person record made for a referral
// that turned out to be for someone already known, unless anything still
// refers to it. Their guardians go with it; their consents, a history
// that is never rewritten, move to the person already known.
func (tx *Tx) removeUnreferencedPerson(id, known string) error {
	refs, err := tx.count(`SELECT (SELECT COUNT(*) FROM referrals WHERE person_id = ? OR possible_duplicate_of = ?)
		+ (SELECT COUNT(*) FROM cases WHERE person_id = ?)
		+ (SELECT COUNT(*) FROM connections WHERE person_id = ?)
		+ (SELECT COUNT(*) FROM measures WHERE person_id = ?)`, id, id, id, id, id)
	if err != nil || refs > 0 {
		return err
	}
	if _, err := tx.exec("UPDATE consents SET person_id = ? WHERE person_id = ?", known, id); err != nil {
		return err
	}
	if _, err := tx.exec("DELETE FROM people WHERE id = ?", id); err != nil {
		return err
	}
	return tx.audit("person.delete", auth.KindPerson, id, "same person as "+known)
}
