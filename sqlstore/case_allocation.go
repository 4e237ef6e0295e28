package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// AllocationService implements linkwork.AllocationService: people off
// the waiting list, cases between link workers, and caseloads.
type AllocationService struct{ db *DB }

// NewAllocationService returns the allocation service over db.
func NewAllocationService(db *DB) *AllocationService { return &AllocationService{db: db} }

var _ linkwork.AllocationService = (*AllocationService)(nil)

// workerName is a user's name, for messages.
func (tx *Tx) workerName(id string) (string, error) {
	var name string
	err := tx.queryRow("SELECT name FROM users WHERE id = ?", id).Scan(&name)
	return name, err
}

// tellPersonOfWorker queues a message to the case's person, by their
// chosen channels, naming their (new) link worker.
func (tx *Tx) tellPersonOfWorker(c *linkwork.Case, kind linkwork.MessageKind) error {
	p, err := scanPerson(tx.queryRow("SELECT "+personColumns+" FROM people p WHERE p.id = ?", c.PersonID))
	if err != nil {
		return fmt.Errorf("allocation: read person of case %s: %w", c.ID, err)
	}
	worker, err := tx.workerName(c.LinkWorkerID)
	if err != nil {
		return err
	}
	var service string
	if err := tx.queryRow("SELECT name FROM organisations WHERE id = ?", c.ServiceOrgID).Scan(&service); err != nil {
		return err
	}
	first := p.GivenName
	if p.PreferredName != "" {
		first = p.PreferredName
	}
	subject, body := allocationMessage(kind, first, worker, service)
	_, _, err = tx.queueMessage(p, c.ID, kind, subject, body, tx.now)
	return err
}

// allocationMessage is what a person is told when they get a link
// worker, or a new one: in plain words, who and what happens next.
func allocationMessage(kind linkwork.MessageKind, first, worker, service string) (subject, body string) {
	if kind == linkwork.MessageHandedOver {
		return "Your link worker has changed",
			fmt.Sprintf("Hello %s. Your link worker at %s is now %s. They have been told about the support you have had so far and will be in touch with you soon. You do not need to do anything.", first, service, worker)
	}
	return "You have a link worker",
		fmt.Sprintf("Hello %s. Your link worker at %s is %s. They will be in touch with you soon to arrange a time to talk about what matters to you. You do not need to do anything until then.", first, service, worker)
}

// notifyCaseAllocated tells the referrer that the person they referred
// has a link worker now: no more than that, and never the worker's notes.
func (tx *Tx) notifyCaseAllocated(c *linkwork.Case) error {
	if c.ReferralID == "" {
		return nil
	}
	f, err := tx.referralFacts(&linkwork.Referral{ID: c.ReferralID})
	if err != nil {
		return err
	}
	a, err := tx.referrerAudience(f.r)
	if err != nil || a == nil {
		return err
	}
	name := f.firstName
	return tx.send(a, linkwork.NoteCaseAllocated, f, message{
		subject: "Link worker allocated: " + name + " (" + f.ref + ")",
		body:    fmt.Sprintf("%s now has a link worker at %s, after %s (%s). The link worker will be in touch with %s to arrange their first meeting.", name, f.service, a.yours(), f.ref, name),
	}, message{
		subject: "Link worker allocated (" + f.ref + ")",
		body:    fmt.Sprintf("%s has given %s a link worker after your referral (%s). They will be in touch with them soon.", f.service, f.initials, f.ref),
	})
}

// afterAllocation tells the person and the referrer that a case has its
// link worker.
func (tx *Tx) afterAllocation(c *linkwork.Case) error {
	if err := tx.tellPersonOfWorker(c, linkwork.MessageAllocated); err != nil {
		return err
	}
	return tx.notifyCaseAllocated(c)
}

// caseloadFull is the EINVALID of a link worker with no room.
func caseloadFull(weighted, limit int) error {
	return linkwork.FieldErr("caseload", fmt.Sprintf("Your caseload is full: it weighs %d of %d. Ask your coordinator before taking someone else.", weighted, limit))
}

// weightedCaseload is the sum of the complexity of a worker's active and
// ending cases.
func (tx *Tx) weightedCaseload(workerID string) (int, error) {
	return tx.count("SELECT COALESCE(SUM(complexity), 0) FROM cases WHERE link_worker_id = ? AND status IN (?, ?)",
		workerID, string(linkwork.CaseActive), string(linkwork.CaseEnding))
}

// TakeNextCase gives the oldest waiting case of the actor's service to
// the actor, when their weighted caseload is below the service's limit.
//
// It reads the waiting list by service, as the waiting list does: the
// case has no link worker until this takes it. Two workers taking at the
// same time cannot both get one case: the update is guarded by its
// version, and the loser is told to try again.
func (s *AllocationService) TakeNextCase(ctx context.Context) (*linkwork.Case, error) {
	var c *linkwork.Case
	err := s.db.update(ctx, func(tx *Tx) error {
		a := tx.actor
		if !auth.Can(a, auth.ActionTakeNext, auth.Record{Kind: auth.KindCase, ServiceOrgID: a.OrgID}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only link workers take the next person from their waiting list")
		}
		settings, err := tx.settingsFor(a.OrgID)
		if err != nil {
			return err
		}
		weighted, err := tx.weightedCaseload(a.UserID)
		if err != nil {
			return err
		}
		if limit := settings.Casework.Limit(); weighted >= limit {
			return caseloadFull(weighted, limit)
		}
		c, err = scanCase(tx.queryRow("SELECT "+caseSelect+" "+caseFrom+" WHERE k.service_org_id = ? AND k.status = ? ORDER BY k.opened_at, k.id LIMIT 1",
			a.OrgID, string(linkwork.CaseWaiting)))
		if errors.Is(err, sql.ErrNoRows) {
			return linkwork.FieldErr("caseload", "Nobody is on the waiting list")
		}
		if err != nil {
			return err
		}
		res, err := tx.exec("UPDATE cases SET link_worker_id = ?, status = ?, allocated_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND status = ?",
			a.UserID, string(linkwork.CaseActive), tx.now, tx.now, c.ID, c.Version, string(linkwork.CaseWaiting))
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "cases", c.ID, "Case"); err != nil {
			return err
		}
		c.LinkWorkerID, c.Status, c.AllocatedAt, c.UpdatedAt, c.Version = a.UserID, linkwork.CaseActive, tx.now, tx.now, c.Version+1
		if c.LinkWorkerName, err = tx.workerName(a.UserID); err != nil {
			return err
		}
		if err := tx.audit("case.take_next", auth.KindCase, c.ID, a.UserID); err != nil {
			return err
		}
		return tx.afterAllocation(c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// caseloadSelect reads open cases with what a caseload shows of each, in
// one statement: correlated subqueries over contacts, reviews and
// connections and the details given of signposts, each by an index on
// case_id. Its arguments are now (for
// the last contact), now (for the next), then the live connection
// statuses.
const caseloadSelect = "SELECT " + caseSelect + ", " + lastContactSQL + `,
	(SELECT MIN(c.at) FROM contacts c WHERE c.case_id = k.id AND c.at > ? AND c.outcome = 'booked'),
	` + sessionsSQL + ", " + firstContactSQL + ", " + reviewedSQL + `,
	(SELECT COUNT(*) FROM connections n WHERE n.case_id = k.id AND n.status IN (?, ?, ?, ?)),
	COALESCE((SELECT r.risk_state FROM referrals r WHERE r.id = k.referral_id), ''),
	` + signpostedSQL + `,
	p.date_of_birth
	` + caseFrom

// What Assess asks of a case beside the case itself, each a correlated
// subquery by an index on case_id: the last contact that happened (its
// argument is now), the sessions attended, whether first contact was
// made, the most sessions a review was held at, and when the person was
// first given a signpost's details not yet followed through.
const (
	lastContactSQL  = `(SELECT MAX(c.at) FROM contacts c WHERE c.case_id = k.id AND c.at <= ? AND c.outcome <> 'booked')`
	sessionsSQL     = `(SELECT COUNT(*) FROM contacts c WHERE c.case_id = k.id AND c.kind = 'session' AND c.outcome = 'attended')`
	firstContactSQL = `CASE WHEN EXISTS (SELECT 1 FROM contacts c WHERE c.case_id = k.id AND (c.outcome = 'reached' OR (c.kind = 'session' AND c.outcome = 'attended'))) THEN 1 ELSE 0 END`
	reviewedSQL     = `(SELECT COALESCE(MAX(v.sessions), 0) FROM case_reviews v WHERE v.case_id = k.id)`
	signpostedSQL   = `(SELECT MIN(d.at) FROM connection_details d JOIN connections n ON n.id = d.connection_id WHERE d.case_id = k.id AND n.level = '` + string(linkwork.LevelSignpost) + `' AND n.status = '` + string(linkwork.ConnSuggested) + `')`
)

// workerLoadSelect reads open cases with what Assess asks of each to find
// what is overdue in a link worker's load, and no more: caseloadSelect
// without the person, the worker, the case's notes, the next booking,
// the live connections and the referral's risk, which the load does not
// show (five lookups a case fewer). Its argument is now, for the last
// contact; its FROM names cases k, for an index to follow and a WHERE.
const workerLoadSelect = "SELECT k.link_worker_id, k.status, k.allocated_at, k.complexity, " +
	lastContactSQL + ", " + sessionsSQL + ", " + firstContactSQL + ", " + reviewedSQL + ", " + signpostedSQL + " " + caseTable

// caseloadRowsBorn reads the caseload items w selects, assesses each by
// the service's settings, and gives each person's date of birth, by case
// id.
func (tx *Tx) caseloadRowsBorn(w where, settings linkwork.CaseworkSettings) ([]*linkwork.CaseloadItem, map[string]linkwork.Date, error) {
	args := []any{tx.now, tx.now}
	for _, s := range linkwork.LiveStatuses {
		args = append(args, string(s))
	}
	rows, err := tx.query(caseloadSelect+" WHERE "+w.sql(), append(args, w.args...)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	today := tx.db.today()
	var out []*linkwork.CaseloadItem
	born := map[string]linkwork.Date{}
	for rows.Next() {
		var dob linkwork.Date
		it, err := scanCaseloadItem(rows, &dob)
		if err != nil {
			return nil, nil, err
		}
		it.Assess(settings, tx.now, today)
		born[it.Case.ID] = dob
		out = append(out, it)
	}
	return out, born, rows.Err()
}

func scanCaseloadItem(row scanner, dob *linkwork.Date) (*linkwork.CaseloadItem, error) {
	var it linkwork.CaseloadItem
	var risk string
	var first, reviewed int
	c, err := scanCaseAnd(row, timeDest{&it.LastContact}, timeDest{&it.NextContact}, &it.Sessions, &first, &reviewed, &it.OpenConnections, &risk, timeDest{&it.SignpostedAt}, dateDest{dob})
	if err != nil {
		return nil, err
	}
	it.Case, it.FirstContactMade, it.RiskFlagged = c, first == 1, linkwork.RiskState(risk) == linkwork.RiskReviewToday
	it.SetReviewed(reviewed)
	return &it, nil
}

// openOrFollowUp selects a caseload's cases: open ones, and closed ones
// whose follow-up is due and not yet made.
func (tx *Tx) openOrFollowUp(w *where) {
	w.add("(k.status IN (?, ?) OR (k.status = ? AND k.follow_up_on <= ? AND k.followed_up_at IS NULL))",
		string(linkwork.CaseActive), string(linkwork.CaseEnding), string(linkwork.CaseClosed), dv(tx.db.today()))
}

// Caseload lists a link worker's caseload: their own, or for a
// coordinator any link worker's of the service. It runs a fixed number
// of statements however many cases there are.
func (s *AllocationService) Caseload(ctx context.Context, q linkwork.CaseloadQuery) ([]*linkwork.CaseloadItem, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	var out []*linkwork.CaseloadItem
	err := s.db.audited(ctx, func(tx *Tx) error {
		a := tx.actor
		worker := q.WorkerID
		switch {
		case a.Role == linkwork.RoleLinkWorker && (worker == "" || worker == a.UserID):
			worker = a.UserID
		case a.Role == linkwork.RoleCoordinator && worker != "":
			var org, role string
			err := tx.queryRow("SELECT org_id, role FROM users WHERE id = ?", worker).Scan(nullString{&org}, &role)
			if errors.Is(err, sql.ErrNoRows) || err == nil && (org != a.OrgID || linkwork.Role(role) != linkwork.RoleLinkWorker) {
				return linkwork.Errorf(linkwork.ENOTFOUND, "Link worker not found")
			}
			if err != nil {
				return err
			}
		case a.Role == linkwork.RoleCoordinator:
			return linkwork.FieldErr("worker", "Choose whose caseload to see")
		default:
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only link workers and coordinators see caseloads")
		}
		settings, err := tx.settingsFor(a.OrgID)
		if err != nil {
			return err
		}
		var w where
		w.add("k.link_worker_id = ?", worker)
		w.add("k.service_org_id = ?", a.OrgID)
		tx.openOrFollowUp(&w)
		if q.Stage != "" {
			w.add("k.status = ?", string(q.Stage))
		}
		items, born, err := tx.caseloadRowsBorn(w, settings.Casework)
		if err != nil {
			return err
		}
		if err := tx.measuresDue(items, born, settings); err != nil {
			return err
		}
		for _, it := range items {
			if !q.OverdueOnly || it.IsOverdue() {
				out = append(out, it)
			}
		}
		sortCaseload(out, q.Sort)
		ids := make([]string, len(out))
		for i, it := range out {
			ids[i] = it.Case.ID
		}
		return tx.auditList("case.caseload", auth.KindCase, ids)
	})
	return out, err
}

// sortCaseload orders a caseload: overdue first (most overdue, then the
// longest since contact), by name, by last contact (longest ago first),
// or by next contact (soonest first, none last).
func sortCaseload(items []*linkwork.CaseloadItem, by string) {
	name := func(i, j int) bool {
		a, b := strings.ToLower(items[i].Case.PersonName), strings.ToLower(items[j].Case.PersonName)
		if a != b {
			return a < b
		}
		return items[i].Case.ID < items[j].Case.ID
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		switch by {
		case linkwork.CaseloadByName:
			return name(i, j)
		case linkwork.CaseloadByLastContact:
			if !a.LastContact.Equal(b.LastContact) {
				return a.LastContact.Before(b.LastContact)
			}
		case linkwork.CaseloadByNextContact:
			if a.NextContact.IsZero() != b.NextContact.IsZero() {
				return b.NextContact.IsZero()
			}
			if !a.NextContact.Equal(b.NextContact) {
				return a.NextContact.Before(b.NextContact)
			}
		default:
			if len(a.Overdue) != len(b.Overdue) {
				return len(a.Overdue) > len(b.Overdue)
			}
			if a.RiskFlagged != b.RiskFlagged {
				return a.RiskFlagged
			}
			if !a.LastContact.Equal(b.LastContact) {
				return a.LastContact.Before(b.LastContact)
			}
		}
		return name(i, j)
	})
}

// WorkerLoads lists a page of the service's enabled link workers with
// their caseloads' size, weight and overdue cases, in three statements.
func (s *AllocationService) WorkerLoads(ctx context.Context, q linkwork.TeamQuery) ([]linkwork.WorkerLoad, int, error) {
	if err := q.Validate(); err != nil {
		return nil, 0, err
	}
	var out []linkwork.WorkerLoad
	var total int
	err := s.db.audited(ctx, func(tx *Tx) error {
		var err error
		out, total, err = tx.workerLoads(q)
		return err
	})
	return out, total, err
}

// WorkerChoices lists the service's enabled link workers with their
// open cases and weighted load, for choosing whom to allocate or hand
// over to: counted in the database from the caseload index, without
// working out what is overdue (Overdue is 0), so its cost does not grow
// with the team's caseloads.
func (s *AllocationService) WorkerChoices(ctx context.Context) ([]linkwork.WorkerLoad, error) {
	var out []linkwork.WorkerLoad
	err := s.db.audited(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.workerChoices("")
		return err
	})
	return out, err
}

// workerChoices counts the open cases and weighted load of the service's
// enabled link workers, or of the one with the id when only is set.
func (tx *Tx) workerChoices(only string) ([]linkwork.WorkerLoad, error) {
	a := tx.actor
	if !serviceStaff(a) {
		return nil, linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service's staff see its caseloads")
	}
	settings, err := tx.settingsFor(a.OrgID)
	if err != nil {
		return nil, err
	}
	var uw where
	uw.add("u.org_id = ?", a.OrgID)
	uw.add("u.role = ?", string(linkwork.RoleLinkWorker))
	uw.add("u.disabled = FALSE")
	if only != "" {
		uw.add("u.id = ?", only)
	}
	// COUNT(k.status), not COUNT(k.id): the status and complexity are in
	// cases_worker_status beside the worker, and the id is not, so only
	// this way is each open case counted from the index alone.
	rows, err := tx.query(`SELECT u.id, u.name, COUNT(k.status), COALESCE(SUM(k.complexity), 0)
		FROM users u LEFT JOIN cases k ON k.link_worker_id = u.id AND k.status IN (?, ?)
		WHERE `+uw.sql()+` GROUP BY u.id, u.name ORDER BY u.name, u.id`,
		append([]any{string(linkwork.CaseActive), string(linkwork.CaseEnding)}, uw.args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []linkwork.WorkerLoad
	for rows.Next() {
		l := linkwork.WorkerLoad{Limit: settings.Casework.Limit()}
		if err := rows.Scan(&l.UserID, &l.Name, &l.Cases, &l.Weighted); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// AnyoneWaiting reports whether anyone waits for a link worker in the
// actor's service: one step into the waiting list's index, however long
// it is. It says nothing about anyone, so it is not audited.
func (s *AllocationService) AnyoneWaiting(ctx context.Context) (bool, error) {
	var any bool
	err := s.db.view(ctx, func(tx *Tx) error {
		if !serviceStaff(tx.actor) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service's staff see its waiting list")
		}
		n, err := tx.count("SELECT COUNT(*) FROM (SELECT 1 FROM cases WHERE service_org_id = ? AND status = ? LIMIT 1) w", tx.actor.OrgID, string(linkwork.CaseWaiting))
		any = n > 0
		return err
	})
	return any, err
}

// WorkerLoad is one link worker's open cases and weighted load, as
// WorkerChoices counts them (without what is overdue). ENOTFOUND when the
// id is not an enabled link worker of the actor's service.
func (s *AllocationService) WorkerLoad(ctx context.Context, workerID string) (*linkwork.WorkerLoad, error) {
	var out *linkwork.WorkerLoad
	err := s.db.audited(ctx, func(tx *Tx) error {
		loads, err := tx.workerChoices(workerID)
		if err != nil {
			return err
		}
		if len(loads) == 0 {
			return linkwork.Errorf(linkwork.ENOTFOUND, "No such link worker in your service")
		}
		out = &loads[0]
		return nil
	})
	return out, err
}

// workerLoads computes the loads of a page of the service's enabled link
// workers by name (or of the one q names), what is overdue included,
// reading the page's workers' cases alone, and counts the workers.
func (tx *Tx) workerLoads(q linkwork.TeamQuery) ([]linkwork.WorkerLoad, int, error) {
	var out []linkwork.WorkerLoad
	a := tx.actor
	if !serviceStaff(a) {
		return nil, 0, linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service's staff see its caseloads")
	}
	settings, err := tx.settingsFor(a.OrgID)
	if err != nil {
		return nil, 0, err
	}
	limit := settings.Casework.Limit()
	var uw where
	uw.add("org_id = ?", a.OrgID)
	uw.add("role = ?", string(linkwork.RoleLinkWorker))
	uw.add("disabled = FALSE")
	if q.WorkerID != "" {
		uw.add("id = ?", q.WorkerID)
	}
	var total int
	if err := tx.queryRow("SELECT COUNT(*) FROM users WHERE "+uw.sql(), uw.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := tx.query("SELECT id, name FROM users WHERE "+uw.sql()+" ORDER BY name, id LIMIT ? OFFSET ?", append(uw.args, q.Size(), min(q.Offset, linkwork.MaxOffset))...)
	if err != nil {
		return nil, 0, err
	}
	index := map[string]int{}
	var ids []any
	for rows.Next() {
		var l linkwork.WorkerLoad
		if err := rows.Scan(&l.UserID, &l.Name); err != nil {
			rows.Close()
			return nil, 0, err
		}
		l.Limit = limit
		index[l.UserID] = len(out)
		ids = append(ids, l.UserID)
		out = append(out, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 {
		return out, total, nil
	}
	// The page's workers' open cases alone, each assessed, by
	// cases_worker_status: SQLite's sampled statistics would otherwise
	// have it read every case of the service (cases_service_allocated)
	// and keep the page's. Each is read with only what Assess asks of it
	// (workerLoadSelect).
	err = tx.eachRow(workerLoadSelect+tx.db.dialect.indexedBy("cases_worker_status")+` WHERE k.service_org_id = ? AND k.link_worker_id IN (`+placeholders(len(ids))+`) AND k.status IN (?, ?)`,
		append(append([]any{tx.now, a.OrgID}, ids...), string(linkwork.CaseActive), string(linkwork.CaseEnding)),
		func(row scanner) error {
			it := &linkwork.CaseloadItem{Case: &linkwork.Case{}}
			var status string
			var first, reviewed int
			if err := row.Scan(nullString{&it.Case.LinkWorkerID}, &status, timeDest{&it.Case.AllocatedAt}, &it.Case.Complexity,
				timeDest{&it.LastContact}, &it.Sessions, &first, &reviewed, timeDest{&it.SignpostedAt}); err != nil {
				return err
			}
			it.Case.Status, it.FirstContactMade = linkwork.CaseStatus(status), first == 1
			it.SetReviewed(reviewed)
			it.Assess(settings.Casework, tx.now, tx.db.today())
			if i, ok := index[it.Case.LinkWorkerID]; ok {
				out[i].Count(it)
			}
			return nil
		})
	if err != nil {
		return nil, 0, err
	}
	// Their closed cases with a follow-up due and not made, counted from
	// cases_follow_up: each is overdue for that alone (Assess), so none
	// needs its contacts read. (A worker's cases are their service's.)
	err = tx.eachRow(`SELECT k.link_worker_id, COUNT(*) FROM cases k`+tx.db.dialect.indexedBy("cases_follow_up")+` WHERE k.link_worker_id IN (`+placeholders(len(ids))+`)
		AND k.status = 'closed' AND k.followed_up_at IS NULL AND k.follow_up_on <= ? GROUP BY k.link_worker_id`,
		append(slices.Clone(ids), dv(tx.db.today())), func(row scanner) error {
			var id string
			var n int
			if err := row.Scan(&id, &n); err != nil {
				return err
			}
			if i, ok := index[id]; ok {
				out[i].CountFollowUpsDue(n)
			}
			return nil
		})
	return out, total, err
}

// coordinatorCase loads a visible, open case the actor may act on with
// act.
func (tx *Tx) coordinatorCase(id string, act auth.Action, what string) (*linkwork.Case, error) {
	c, err := tx.visibleCase(id)
	if err != nil {
		return nil, err
	}
	if !auth.Can(tx.actor, act, caseRecord(c)) {
		return nil, linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators %s", what)
	}
	return c, nil
}

// SetComplexity weights a case in its link worker's caseload.
func (s *AllocationService) SetComplexity(ctx context.Context, id string, version, complexity int) (*linkwork.Case, error) {
	if complexity < 1 || complexity > linkwork.MaxComplexity {
		return nil, linkwork.FieldErr("complexity", "Choose a complexity of 1, 2 or 3")
	}
	var c *linkwork.Case
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.coordinatorCase(id, auth.ActionSetComplexity, "set a case's complexity"); err != nil {
			return err
		}
		if c.Status == linkwork.CaseClosed {
			return linkwork.FieldErr("complexity", "A closed case no longer counts in a caseload")
		}
		res, err := tx.exec("UPDATE cases SET complexity = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?", complexity, tx.now, id, version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "cases", id, "Case"); err != nil {
			return err
		}
		c.Complexity, c.Version, c.UpdatedAt = complexity, version+1, tx.now
		return tx.audit("case.complexity", auth.KindCase, id, fmt.Sprint(complexity))
	})
	return c, err
}

// handOver moves one open case to another worker and records it: the new
// worker hears in the app, the person by their chosen channels.
func (tx *Tx) handOver(c *linkwork.Case, version int, to, note string) error {
	if c.Status != linkwork.CaseActive && c.Status != linkwork.CaseEnding {
		return linkwork.FieldErr("status", "This case is "+strings.ToLower(c.Status.Label())+": allocate a waiting case instead")
	}
	if to == c.LinkWorkerID {
		return linkwork.FieldErr("link_worker_id", "Choose a different link worker from the current one")
	}
	res, err := tx.exec("UPDATE cases SET link_worker_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?", to, tx.now, c.ID, version)
	if err != nil {
		return err
	}
	if err := tx.mustAffect(res, "cases", c.ID, "Case"); err != nil {
		return err
	}
	from := c.LinkWorkerID
	c.LinkWorkerID, c.Version, c.UpdatedAt = to, version+1, tx.now
	var err2 error
	if c.LinkWorkerName, err2 = tx.workerName(to); err2 != nil {
		return err2
	}
	if _, err := tx.exec("INSERT INTO case_handovers (id, case_id, from_worker_id, to_worker_id, note, by_user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		uuid.NewString(), c.ID, sv(from), to, note, tx.actor.ID(), tx.now); err != nil {
		return err
	}
	if err := tx.audit("case.hand_over", auth.KindCase, c.ID, to); err != nil {
		return err
	}
	body := fmt.Sprintf("%s's case has been handed over to you.", c.PersonName)
	if strings.TrimSpace(note) != "" {
		body += "\n\nNote: " + note
	}
	if err := tx.insertNotification(&linkwork.Notification{Kind: linkwork.NoteCaseHandedOver, UserID: to, OrgID: c.ServiceOrgID,
		Subject: "Case handed over to you: " + c.PersonName, Body: body, Link: "/cases/" + c.ID, ReferralID: c.ReferralID, CreatedAt: tx.now}); err != nil {
		return err
	}
	return tx.tellPersonOfWorker(c, linkwork.MessageHandedOver)
}

func checkHandoverNote(note string) error {
	var p linkwork.Problems
	p.Text("note", note, linkwork.MaxText)
	return p.Err()
}

// HandOverCase passes one open case to another link worker.
func (s *AllocationService) HandOverCase(ctx context.Context, id string, version int, toWorkerID, note string) (*linkwork.Case, error) {
	if err := checkHandoverNote(note); err != nil {
		return nil, err
	}
	var c *linkwork.Case
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.coordinatorCase(id, auth.ActionHandOver, "hand cases over"); err != nil {
			return err
		}
		if err := tx.checkLinkWorker(toWorkerID, c.ServiceOrgID, "link_worker_id"); err != nil {
			return err
		}
		return tx.handOver(c, version, toWorkerID, note)
	})
	return c, err
}

// HandOverCaseload passes every open case of one worker to another.
func (s *AllocationService) HandOverCaseload(ctx context.Context, fromWorkerID, toWorkerID, note string) (int, error) {
	if err := checkHandoverNote(note); err != nil {
		return 0, err
	}
	n := 0
	err := s.db.update(ctx, func(tx *Tx) error {
		n = 0
		a := tx.actor
		if !auth.Can(a, auth.ActionHandOver, auth.Record{Kind: auth.KindCase, ServiceOrgID: a.OrgID}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators hand cases over")
		}
		var org string
		err := tx.queryRow("SELECT org_id FROM users WHERE id = ? AND role = ?", fromWorkerID, string(linkwork.RoleLinkWorker)).Scan(nullString{&org})
		if errors.Is(err, sql.ErrNoRows) || err == nil && org != a.OrgID {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Link worker not found")
		}
		if err != nil {
			return err
		}
		if fromWorkerID == toWorkerID {
			return linkwork.FieldErr("link_worker_id", "Choose a different link worker to hand the cases to")
		}
		if err := tx.checkLinkWorker(toWorkerID, a.OrgID, "link_worker_id"); err != nil {
			return err
		}
		// Every open case, however many: no page limit.
		rows, err := tx.query("SELECT "+caseSelect+" "+caseFrom+" WHERE k.link_worker_id = ? AND k.service_org_id = ? AND k.status IN (?, ?) ORDER BY k.opened_at, k.id",
			fromWorkerID, a.OrgID, string(linkwork.CaseActive), string(linkwork.CaseEnding))
		if err != nil {
			return err
		}
		var cases []*linkwork.Case
		for rows.Next() {
			c, err := scanCase(rows)
			if err != nil {
				rows.Close()
				return err
			}
			cases = append(cases, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, c := range cases {
			if err := tx.handOver(c, c.Version, toWorkerID, note); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// FindHandovers lists a case's hand-overs, newest first.
func (s *AllocationService) FindHandovers(ctx context.Context, caseID string) ([]*linkwork.Handover, error) {
	var out []*linkwork.Handover
	err := s.db.audited(ctx, func(tx *Tx) error {
		if _, err := tx.visibleCase(caseID); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT h.id, h.case_id, h.from_worker_id, COALESCE(f.name, ''), h.to_worker_id, COALESCE(t.name, ''), h.note, h.by_user_id, h.at
			FROM case_handovers h LEFT JOIN users f ON f.id = h.from_worker_id LEFT JOIN users t ON t.id = h.to_worker_id
			WHERE h.case_id = ? ORDER BY h.at DESC, h.id`, caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h linkwork.Handover
			if err := rows.Scan(&h.ID, &h.CaseID, nullString{&h.FromWorkerID}, &h.FromName, &h.ToWorkerID, &h.ToName, &h.Note, &h.ByUserID, timeDest{&h.At}); err != nil {
				return err
			}
			out = append(out, &h)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.audit("case.handovers", auth.KindCase, caseID, "")
	})
	return out, err
}

// measuresDue fills each item's measures due by the service's settings,
// from one statement counting the cases' responses by instrument and
// timepoint (by the index on measures' case_id). A service that mandates
// no measure reads nothing.
func (tx *Tx) measuresDue(items []*linkwork.CaseloadItem, born map[string]linkwork.Date, settings *linkwork.ServiceSettings) error {
	if len(items) == 0 || !settings.Measures.AnyMandated() {
		return nil
	}
	ids := make([]any, len(items))
	for i, it := range items {
		ids[i] = it.Case.ID
	}
	taken := map[string]linkwork.MeasuresTaken{}
	err := tx.eachRow("SELECT case_id, instrument, timepoint, COUNT(*) FROM measures WHERE case_id IN ("+placeholders(len(ids))+") GROUP BY case_id, instrument, timepoint", ids,
		func(row scanner) error {
			var id, instr, tp string
			var n int
			if err := row.Scan(&id, &instr, &tp, &n); err != nil {
				return err
			}
			if taken[id] == nil {
				taken[id] = linkwork.MeasuresTaken{}
			}
			taken[id][linkwork.MeasureKey{Instrument: linkwork.Instrument(instr), Timepoint: linkwork.Timepoint(tp)}] = n
			return nil
		})
	if err != nil {
		return err
	}
	today := tx.db.today()
	for _, it := range items {
		band, ok := linkwork.BandOf(&linkwork.Person{DateOfBirth: born[it.Case.ID]}, today)
		if !ok {
			continue
		}
		it.MeasuresDue = settings.Measures.MeasuresDue(band, it.Case, it.Sessions, settings.Casework.Reviews(), taken[it.Case.ID], today)
	}
	return nil
}
