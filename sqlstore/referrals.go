package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// ReferralService implements linkwork.ReferralService.
type ReferralService struct{ db *DB }

// NewReferralService returns the referral service over db.
func NewReferralService(db *DB) *ReferralService { return &ReferralService{db: db} }

var _ linkwork.ReferralService = (*ReferralService)(nil)

const referralColumns = `r.id, r.service_org_id, r.person_id, r.pathway, r.mode, r.referrer_org_id, r.referrer_user_id, r.referrer_name, r.referrer_role,
	r.referrer_contact, r.reasons, r.what_they_want, r.risks, r.year_group, r.person_aware, r.consent_referral, r.consent_sharing,
	r.possible_duplicate_of, r.status, r.streetlight, r.status_reason, r.onward_destination, r.defer_until, r.case_id, r.received_at, r.decided_at,
	r.version, r.updated_at, r.gp_practice_org_id, r.returned_at,
	r.safe_now, r.harm_thoughts, r.risk_state, r.risk_matched, r.risk_note, r.risk_decided_by, r.risk_decided_at`

// referralSelect and referralFrom read referrals with their person's name
// and the status, outcome and closing time of the case each opened.
const (
	// The last column is the person's latest answer, since the referral,
	// on sharing with the referrer (NULL: none), read only once the case
	// has closed: a later refusal withdraws the consent given on the form.
	referralSelect = referralColumns + ", COALESCE(ru.name, ''), p.given_name, p.preferred_name, p.family_name, p.date_of_birth, k.status, k.outcome_summary, k.closed_at, k.allocated_at" +
		", CASE WHEN k.status = 'closed' THEN (SELECT c.given FROM consents c WHERE c.person_id = r.person_id AND c.kind = 'share_referrer'" +
		" AND c.recorded_at >= r.received_at ORDER BY c.recorded_at DESC, c.id LIMIT 1) END"
	referralTable = "FROM referrals r"
	referralJoins = "JOIN people p ON p.id = r.person_id LEFT JOIN cases k ON k.id = r.case_id LEFT JOIN users ru ON ru.id = r.risk_decided_by"
	referralFrom  = referralTable + " " + referralJoins
)

func scanReferral(row scanner) (*linkwork.Referral, error) {
	var r linkwork.Referral
	var pathway, mode, status, light string
	var given, preferred, family, caseStatus string
	var shareNow sql.NullBool
	var safeNow, harm, riskState, matched string
	var aware bool
	err := row.Scan(&r.ID, &r.ServiceOrgID, &r.PersonID, &pathway, &mode, nullString{&r.ReferrerOrgID}, nullString{&r.ReferrerUserID}, &r.ReferrerName, &r.ReferrerRole,
		&r.ReferrerContact, &r.Reasons, &r.WhatTheyWant, &r.Risks, &r.YearGroup, &aware, &r.ConsentReferral, &r.ConsentSharing,
		nullString{&r.PossibleDuplicateOf}, &status, &light, &r.StatusReason, &r.OnwardDestination, dateDest{&r.DeferUntil}, nullString{&r.CaseID},
		timeDest{&r.ReceivedAt}, timeDest{&r.DecidedAt}, &r.Version, timeDest{&r.UpdatedAt}, nullString{&r.GPPracticeOrgID}, timeDest{&r.ReturnedAt},
		&safeNow, &harm, &riskState, &matched, &r.Risk.Note, &r.Risk.DecidedBy, timeDest{&r.Risk.DecidedAt}, &r.Risk.DecidedByName,
		&given, &preferred, &family, dateDest{&r.PersonDateOfBirth}, nullString{&caseStatus}, nullString{&r.Outcome}, timeDest{&r.ClosedAt}, timeDest{&r.CaseAllocatedAt}, &shareNow)
	if err != nil {
		return nil, err
	}
	r.PersonAware = &aware
	r.PersonName = displayName(given, preferred, family)
	r.Pathway, r.Mode, r.Status, r.Streetlight = linkwork.Pathway(pathway), linkwork.ReferralMode(mode), linkwork.ReferralStatus(status), linkwork.Streetlight(light)
	r.SafeNow, r.HarmThoughts, r.Risk.State = linkwork.Answer(safeNow), linkwork.Answer(harm), linkwork.RiskState(riskState)
	if r.Risk.Matched, err = decodeRiskMatches(matched); err != nil {
		return nil, err
	}
	r.CaseStatus = linkwork.CaseStatus(caseStatus)
	// The outcome is the person's to share: only once the case has closed,
	// and only with their consent to share it with the referrer.
	share := r.ConsentSharing
	if shareNow.Valid {
		share = shareNow.Bool // asked again since the referral, on closing
	}
	if r.CaseStatus != linkwork.CaseClosed || !share {
		r.Outcome, r.ClosedAt = "", time.Time{}
	}
	return &r, nil
}

func referralRecord(r *linkwork.Referral) auth.Record {
	rec := auth.Record{Kind: auth.KindReferral, ServiceOrgID: r.ServiceOrgID}
	if r.ReferrerOrgID != "" {
		rec.ReferrerOrgIDs = []string{r.ReferrerOrgID}
	}
	return rec
}

// CreateReferral stores a referral and its person.
func (s *ReferralService) CreateReferral(ctx context.Context, r *linkwork.Referral, p *linkwork.Person) error {
	a, err := actorFrom(ctx)
	if err != nil {
		return err
	}
	switch a.Role {
	case linkwork.RoleReferrer:
		// A referrer refers from their own organisation, as themself,
		// through their organisation's pathway (a request naming another
		// is corrected; one naming none or an unknown one is refused by
		// Validate); a GP practice refers its own patients.
		r.ReferrerOrgID, r.ReferrerUserID = a.OrgID, a.UserID
		var org *linkwork.Organisation
		if err := s.db.viewAs(ctx, a, func(tx *Tx) (err error) { org, err = tx.findOrg(a.OrgID); return err }); err != nil {
			return err
		}
		if r.Pathway.Valid() {
			r.Pathway = linkwork.PathwayFor(org.Kind)
		}
		if org.Kind == linkwork.OrgGPPractice && r.GPPracticeOrgID == "" {
			r.GPPracticeOrgID = org.ID
		}
		if r.ReferrerName == "" {
			r.ReferrerName = a.Name
		}
	case linkwork.RoleLinkWorker, linkwork.RoleCoordinator:
		// Staff recording a walk-in or a call: the service itself refers,
		// unless they name the organisation that did.
		if r.ReferrerOrgID == "" {
			r.ReferrerOrgID = a.OrgID
		}
		if r.ReferrerUserID == "" {
			r.ReferrerUserID = a.UserID
		}
	}
	if err := s.db.checkNewReferral(r, p, nil); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if !auth.Can(tx.actor, auth.ActionCreate, referralRecord(r)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You cannot make referrals to this service")
		}
		if _, err := tx.referralService(r.ServiceOrgID); err != nil {
			return err
		}
		if err := tx.storeReferral(r, p, string(r.Pathway)); err != nil {
			return err
		}
		redactReferral(tx.actor, r)
		return nil
	})
}

// checkNewReferral validates a new referral and, when it is a new record,
// its person (fields prefixed "person."), adding them to problems already
// found, and reports them all as one EINVALID.
func (db *DB) checkNewReferral(r *linkwork.Referral, p *linkwork.Person, problems linkwork.Problems) error {
	if p != nil && p.ID == "" {
		p.ServiceOrgID = r.ServiceOrgID
	}
	return append(problems, linkwork.ValidateNewReferral(r, p, db.today())...).Err()
}

// referralService returns the social prescribing service a referral is
// sent to, or EINVALID naming service_org_id.
func (tx *Tx) referralService(id string) (*linkwork.Organisation, error) {
	svc, err := tx.findOrg(id)
	if linkwork.ErrorCode(err) == linkwork.ENOTFOUND || (err == nil && svc.Kind != linkwork.OrgSPService) {
		return nil, linkwork.FieldErr("service_org_id", "Choose a social prescribing service")
	}
	return svc, err
}

// storeReferral checks what a new referral names (its referring
// organisation, GP practice and person), stores the person when new
// (flagging a possible duplicate) and the referral, audits it with detail
// and tells whoever should know that it arrived.
func (tx *Tx) storeReferral(r *linkwork.Referral, p *linkwork.Person, detail string) error {
	if r.ReferrerOrgID != "" {
		// Only an organisation that refers, or the service itself taking
		// a walk-in or a call, can be a referral's referrer: whoever is
		// named hears about the person.
		org, err := tx.findOrg(r.ReferrerOrgID)
		if err != nil {
			return linkwork.FieldErr("referrer_org_id", "Choose an organisation that exists")
		}
		if org.ID != r.ServiceOrgID && !slices.Contains(linkwork.RoleReferrer.OrgKinds(), org.Kind) {
			return linkwork.FieldErr("referrer_org_id", "Choose an organisation that refers people: a "+strings.ToLower(org.Kind.Label())+" does not")
		}
	}
	if r.GPPracticeOrgID != "" {
		gp, err := tx.findOrg(r.GPPracticeOrgID)
		if linkwork.ErrorCode(err) == linkwork.ENOTFOUND || (err == nil && gp.Kind != linkwork.OrgGPPractice) {
			return linkwork.FieldErr("gp_practice_org_id", "Choose a GP practice from the list")
		}
		if err != nil {
			return err
		}
	}
	screened := p
	var given *linkwork.Person
	if p.ID != "" {
		existing, err := tx.visiblePerson(p.ID)
		if err != nil {
			return err
		}
		if existing.ServiceOrgID != r.ServiceOrgID {
			return linkwork.FieldErr("person.id", "This person's record is held by another service")
		}
		r.PersonDateOfBirth = existing.DateOfBirth
		if given, err = tx.givenForExisting(existing, r.ReferrerOrgID); err != nil {
			return err
		}
		screened = nil // what the referral says is screened; the record was, when it came
	} else {
		dup, err := tx.findDuplicate(p)
		if err != nil {
			return err
		}
		r.PossibleDuplicateOf = dup
		if err := tx.insertPerson(p); err != nil {
			return err
		}
	}
	r.PersonID = p.ID
	if r.PersonDateOfBirth.IsZero() {
		r.PersonDateOfBirth = p.DateOfBirth
	}
	if given == nil {
		given = p
	}
	set, err := tx.settingsFor(r.ServiceOrgID)
	if err != nil {
		return err
	}
	r.Risk = linkwork.RiskFlag{}
	if r.Risk.Matched = linkwork.ScreenRisk(r, screened, set.RiskPhrases()); len(r.Risk.Matched) > 0 {
		r.Risk.State = linkwork.RiskReviewToday
	}
	if err := tx.insertReferral(r, given, detail); err != nil {
		return err
	}
	if r.Risk.State == linkwork.RiskReviewToday {
		if err := tx.notifyRisk(r); err != nil {
			return err
		}
	}
	return tx.notifyReferral(r, linkwork.NoteReferralReceived)
}

// publicFormActor is who a referral from the public form is recorded as
// made by in the audit trail.
var publicFormActor = linkwork.SystemActor("public referral form")

// SubmitPublicReferral stores a self-referral or a referral by family from
// the public form, as a new person record.
func (s *ReferralService) SubmitPublicReferral(ctx context.Context, r *linkwork.Referral, p *linkwork.Person) error {
	// The public say who they are; they cannot refer as an organisation or
	// a user, nor come any other way than as themself or family; and the
	// streetlight rating is triage's to give.
	r.Mode = linkwork.ModeSelfReferral
	r.ReferrerOrgID, r.ReferrerUserID = "", ""
	r.Streetlight = linkwork.StreetlightUnrated
	if r.Pathway == linkwork.PathwaySelf {
		r.PersonAware = new(true) // they are the person
	}
	var problems linkwork.Problems
	// What the public form needs besides a referral's usual checks: a date
	// of birth, a way to get in touch, a family member's own details.
	if err := r.ValidatePublic(p); err != nil {
		for _, f := range linkwork.ErrorFields(err) {
			if f.Field != "pathway" || r.Pathway.Valid() {
				problems.Add(f.Field, f.Message)
			}
		}
	}
	if p != nil && p.ID != "" {
		problems.Add("person.id", "A referral from the public form is always for a new record")
	}
	// Consents and a judgement of competence are recorded by the service
	// with the person, never sent in by whoever fills in the form: were a
	// record from the public later found to be a known person's, they would
	// move onto that person's.
	if p != nil && len(p.Consents) > 0 {
		problems.Add("person.consents", "Consents are recorded by the service with the person, not sent with a referral")
	}
	if p != nil && p.Competence != nil {
		problems.Add("person.competence", "Competence is judged by the service with the person, not sent with a referral")
	}
	if err := s.db.checkNewReferral(r, p, problems); err != nil {
		return err
	}
	return s.db.updateAs(ctx, publicFormActor, func(tx *Tx) error {
		svc, err := tx.referralService(r.ServiceOrgID)
		if err != nil {
			return err
		}
		set, err := tx.settingsFor(svc.ID)
		if err != nil {
			return err
		}
		if !set.Accepts(r.Pathway) {
			what := "self-referrals"
			if r.Pathway == linkwork.PathwayFamily {
				what = "referrals from parents, carers or family"
			}
			msg := svc.Name + " does not take " + what + " online"
			if set.Contact != "" {
				msg += ". To get in touch: " + set.Contact
			}
			return linkwork.FieldErr("service_org_id", msg)
		}
		if err := tx.storeReferral(r, p, "public:"+string(r.Pathway)); err != nil {
			return err
		}
		// Whoever filled in the form is not told whether the service
		// already knows someone like the person: triage settles that.
		r.PossibleDuplicateOf = ""
		return nil
	})
}

// redactReferral hides from referrers whether the service already knows
// someone matching the referral (that would tell them about people they
// did not refer) and what the service did about a disclosed risk (they see
// only that it was flagged and reviewed).
func redactReferral(a linkwork.Actor, r *linkwork.Referral) {
	if a.Role == linkwork.RoleReferrer {
		r.PossibleDuplicateOf = ""
		r.Risk = linkwork.RiskFlag{State: r.Risk.State}
	}
}

func (tx *Tx) insertReferral(r *linkwork.Referral, given *linkwork.Person, detail string) error {
	if r.ID == "" {
		r.ID = uuid.NewString()
	}
	r.Status = linkwork.ReferralReceived
	r.ReceivedAt, r.UpdatedAt, r.Version = tx.now, tx.now, 1
	matched, err := encodeRiskMatches(r.Risk.Matched)
	if err != nil {
		return err
	}
	snapshot, err := encodePersonGiven(given)
	if err != nil {
		return err
	}
	if _, err := tx.exec(`INSERT INTO referrals (id, service_org_id, person_id, pathway, mode, referrer_org_id, referrer_user_id, referrer_name, referrer_role,
		referrer_contact, reasons, what_they_want, risks, year_group, person_aware, consent_referral, consent_sharing, possible_duplicate_of,
		status, streetlight, received_at, version, updated_at, gp_practice_org_id, person_dob, safe_now, harm_thoughts, risk_state, risk_matched, person_given)
		VALUES (`+placeholders(30)+`)`,
		r.ID, r.ServiceOrgID, r.PersonID, string(r.Pathway), string(r.Mode), sv(r.ReferrerOrgID), sv(r.ReferrerUserID), r.ReferrerName, r.ReferrerRole,
		r.ReferrerContact, r.Reasons, r.WhatTheyWant, r.Risks, r.YearGroup, r.Aware(), r.ConsentReferral, r.ConsentSharing, sv(r.PossibleDuplicateOf),
		string(r.Status), string(r.Streetlight), r.ReceivedAt, r.Version, r.UpdatedAt, sv(r.GPPracticeOrgID), dv(r.PersonDateOfBirth),
		string(r.SafeNow), string(r.HarmThoughts), string(r.Risk.State), matched, snapshot); err != nil {
		return err
	}
	if r.Risk.State == linkwork.RiskReviewToday {
		detail += " risk=review_today"
	}
	return tx.audit("referral.create", auth.KindReferral, r.ID, detail)
}

// visibleReferral loads a referral inside the actor's scope, with its
// transitions, or ENOTFOUND.
func (tx *Tx) visibleReferral(id string) (*linkwork.Referral, error) {
	var w where
	w.add("r.id = ?", id)
	w.scope(tx.actor, auth.KindReferral, "r")
	r, err := scanReferral(tx.queryRow("SELECT "+referralSelect+" "+referralFrom+" WHERE "+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Referral not found")
	}
	if err != nil {
		return nil, err
	}
	redactReferral(tx.actor, r)
	if err := tx.referrerNames([]*linkwork.Referral{r}); err != nil {
		return nil, err
	}
	rows, err := tx.query("SELECT from_status, to_status, at, by_id, reason FROM referral_transitions WHERE referral_id = ? ORDER BY seq", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t linkwork.ReferralTransition
		var from, to string
		if err := rows.Scan(&from, &to, timeDest{&t.At}, &t.ByID, &t.Reason); err != nil {
			return nil, err
		}
		t.From, t.To = linkwork.ReferralStatus(from), linkwork.ReferralStatus(to)
		r.Transitions = append(r.Transitions, t)
	}
	return r, rows.Err()
}

// FindReferralByID returns one referral the actor may see.
func (s *ReferralService) FindReferralByID(ctx context.Context, id string) (*linkwork.Referral, error) {
	var r *linkwork.Referral
	err := s.db.audited(ctx, func(tx *Tx) error {
		var err error
		if r, err = tx.visibleReferral(id); err != nil {
			return err
		}
		return tx.audit("referral.read", auth.KindReferral, r.ID, "")
	})
	return r, err
}

// FindReferrals returns a page of the referrals the actor may see, newest
// first.
func (s *ReferralService) FindReferrals(ctx context.Context, f linkwork.ReferralFilter) ([]*linkwork.Referral, int, error) {
	var out []*linkwork.Referral
	var total int
	err := s.db.audited(ctx, func(tx *Tx) error {
		w, kept := referralListWhere(tx.actor, f)
		countSQL, countArgs := referralCountQuery(f, w, kept)
		var err error
		out, total, err = queryPageCounted(tx, countSQL, countArgs, referralTable, referralJoins, w, "r.received_at DESC, r.id", f.Offset, f.Limit, scanReferral, referralSelect)
		if err != nil {
			return err
		}
		ids := make([]string, len(out))
		for i, r := range out {
			redactReferral(tx.actor, r)
			ids[i] = r.ID
		}
		if err := tx.referrerNames(out); err != nil {
			return err
		}
		return tx.auditList("referral.list", auth.KindReferral, ids)
	})
	return out, total, err
}

// referralListWhere is a referral list's filter f as a's conditions on
// referrals r, and the same on the kept numbers of referrals
// (referral_counts c, migration 27), which hold the scope's columns under
// the same names: the total of a filter by scope, status, pathway,
// referring organisation and referrer is a sum of a few rows
// (referralCountQuery).
func referralListWhere(a linkwork.Actor, f linkwork.ReferralFilter) (w, kept where) {
	w.scope(a, auth.KindReferral, "r")
	kept.scope(a, auth.KindReferral, "c")
	if len(f.Status) > 0 {
		w.add("r.status IN ("+placeholders(len(f.Status))+")", statusArgs(f.Status)...)
		kept.add("c.status IN ("+placeholders(len(f.Status))+")", statusArgs(f.Status)...)
	}
	if f.Pathway != "" {
		w.add("r.pathway = ?", string(f.Pathway))
		kept.add("c.pathway = ?", string(f.Pathway))
	}
	if f.PersonID != "" {
		w.add("r.person_id = ?", f.PersonID)
	}
	if f.ReferrerOrgID != "" {
		w.add("r.referrer_org_id = ?", f.ReferrerOrgID)
		kept.add("c.referrer_org_id = ?", f.ReferrerOrgID)
	}
	if f.ReferrerUserID != "" {
		w.add("r.referrer_user_id = ?", f.ReferrerUserID)
		kept.add("c.referrer_user_id = ?", f.ReferrerUserID)
	}
	if !f.ReceivedAfter.IsZero() {
		w.add("r.received_at >= ?", tv(f.ReceivedAfter))
	}
	if !f.ReceivedBefore.IsZero() {
		w.add("r.received_at < ?", tv(f.ReceivedBefore))
	}
	return w, kept
}

// referralCountQuery is the statement that counts the referrals a list
// filters by f finds (w on referrals r): from the kept numbers (kept, on
// referral_counts c) when f asks only what they are kept by, else from the
// referrals' indexes.
func referralCountQuery(f linkwork.ReferralFilter, w, kept where) (string, []any) {
	if f.PersonID != "" || !f.ReceivedAfter.IsZero() || !f.ReceivedBefore.IsZero() {
		return "SELECT COUNT(*) " + referralTable + " WHERE " + w.sql(), w.args
	}
	return "SELECT " + keptSum + " FROM referral_counts c WHERE " + kept.sql(), kept.args
}

// DecideReferral applies a triage decision.
func (s *ReferralService) DecideReferral(ctx context.Context, id string, version int, d linkwork.ReferralDecision) (*linkwork.Referral, error) {
	var r *linkwork.Referral
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if r, err = tx.visibleReferral(id); err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionDecide, referralRecord(r)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this referral but not make triage decisions")
		}
		if r.Version != version {
			return linkwork.Errorf(linkwork.ECONFLICT, "Someone else changed this referral since you opened it. Reload it to see their changes, then decide again.")
		}
		if r.Risk.State == linkwork.RiskReviewToday {
			return linkwork.FieldErr("risk_outcome", "Record what was done about the possible risk first")
		}
		if err := d.Validate(r.Status, s.db.today()); err != nil {
			return err
		}
		if d.LinkWorkerID != "" {
			if err := tx.checkLinkWorker(d.LinkWorkerID, r.ServiceOrgID, "link_worker_id"); err != nil {
				return err
			}
		}
		from := r.Status
		r.Status = d.To
		r.StatusReason = strings.TrimSpace(d.Reason)
		if d.Streetlight != "" {
			r.Streetlight = d.Streetlight
		}
		r.OnwardDestination, r.DeferUntil = "", linkwork.Date{}
		switch d.To {
		case linkwork.ReferralDeclined:
			r.OnwardDestination = strings.TrimSpace(d.OnwardDestination)
		case linkwork.ReferralDeferred:
			r.DeferUntil = d.DeferUntil
		}
		if d.To != linkwork.ReferralTriage {
			r.DecidedAt = tx.now
		}
		if d.To == linkwork.ReferralAccepted {
			c, err := tx.openCase(r, d.LinkWorkerID)
			if err != nil {
				return err
			}
			r.CaseID, r.CaseStatus = c.ID, c.Status
		}
		if d.To == linkwork.ReferralWithdrawn && r.CaseID != "" {
			// Withdrawing an accepted referral closes its case: that takes
			// the right to close the case, which a link worker has only
			// over their own.
			k, err := tx.caseRecordByID(r.CaseID)
			if err != nil {
				return err
			}
			if !auth.Can(tx.actor, auth.ActionClose, k) {
				return linkwork.Errorf(linkwork.EFORBIDDEN, "Withdrawing this referral would close a case you do not hold: ask its link worker or a coordinator")
			}
			if err := tx.closeCaseOnWithdrawal(r.CaseID, r.StatusReason); err != nil {
				return err
			}
			r.CaseStatus = linkwork.CaseClosed
		}
		res, err := tx.exec(`UPDATE referrals SET status = ?, streetlight = ?, status_reason = ?, onward_destination = ?, defer_until = ?, case_id = ?, decided_at = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			string(r.Status), string(r.Streetlight), r.StatusReason, r.OnwardDestination, dv(r.DeferUntil), sv(r.CaseID), tv(r.DecidedAt), tx.now, r.ID, version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "referrals", r.ID, "Referral"); err != nil {
			return err
		}
		t := linkwork.ReferralTransition{From: from, To: d.To, At: tx.now, ByID: tx.actor.ID(), Reason: r.StatusReason}
		if _, err := tx.exec(`INSERT INTO referral_transitions (referral_id, seq, from_status, to_status, at, by_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.ID, len(r.Transitions)+1, string(t.From), string(t.To), t.At, t.ByID, t.Reason); err != nil {
			return err
		}
		r.Transitions = append(r.Transitions, t)
		r.Version++
		r.UpdatedAt = tx.now
		if err := tx.audit("referral.decide", auth.KindReferral, r.ID, string(from)+"->"+string(d.To)); err != nil {
			return err
		}
		return tx.notifyReferral(r, linkwork.NoteReferralDecided)
	})
	return r, err
}

// ReviewRisk records a triager's decision on a referral's risk flag.
func (s *ReferralService) ReviewRisk(ctx context.Context, id string, version int, v linkwork.RiskReview) (*linkwork.Referral, error) {
	var r *linkwork.Referral
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if r, err = tx.visibleReferral(id); err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionReviewRisk, referralRecord(r)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this referral but not record a decision on its risk")
		}
		if r.Version != version {
			return linkwork.Errorf(linkwork.ECONFLICT, "Someone else changed this referral since you opened it. Reload it to see their changes, then record your decision again.")
		}
		if err := v.Validate(r.Risk.State); err != nil {
			return err
		}
		note := strings.TrimSpace(v.Note)
		res, err := tx.exec(`UPDATE referrals SET risk_state = ?, risk_note = ?, risk_decided_by = ?, risk_decided_at = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, string(v.Outcome), note, tx.actor.ID(), tx.now, tx.now, r.ID, version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "referrals", r.ID, "Referral"); err != nil {
			return err
		}
		r.Risk.State, r.Risk.Note, r.Risk.DecidedBy, r.Risk.DecidedAt, r.Risk.DecidedByName = v.Outcome, note, tx.actor.ID(), tx.now, tx.actor.Name
		r.Version++
		r.UpdatedAt = tx.now
		return tx.audit("referral.risk_review", auth.KindReferral, r.ID, string(v.Outcome))
	})
	return r, err
}

// checkLinkWorker checks that userID is an enabled link worker of the
// service, naming field in the error.
func (tx *Tx) checkLinkWorker(userID, serviceOrgID, field string) error {
	var role, org string
	var disabled bool
	err := tx.queryRow("SELECT role, org_id, disabled FROM users WHERE id = ?", userID).Scan(&role, &org, &disabled)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (linkwork.Role(role) != linkwork.RoleLinkWorker || org != serviceOrgID || disabled)) {
		return linkwork.FieldErr(field, "Choose a link worker of this service whose account is active")
	}
	return err
}
