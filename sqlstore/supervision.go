package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// SupervisionService implements linkwork.SupervisionService.
type SupervisionService struct{ db *DB }

// NewSupervisionService returns the supervision service over db.
func NewSupervisionService(db *DB) *SupervisionService { return &SupervisionService{db: db} }

var _ linkwork.SupervisionService = (*SupervisionService)(nil)

// The parts a person takes in a supervision (supervision_people.part).
const (
	partSupervisor = "supervisor"
	partWorker     = "worker"
)

// staffUser is a user as the supervision and training rules read them.
type staffUser struct {
	id, org, name string
	role          linkwork.Role
	disabled      bool
}

// staffUsers reads the users with the ids, in one statement.
func (tx *Tx) staffUsers(ids []string) (map[string]staffUser, error) {
	out := map[string]staffUser{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.query("SELECT id, org_id, name, role, disabled FROM users WHERE id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var u staffUser
		var role string
		if err := rows.Scan(&u.id, nullString{&u.org}, &u.name, &role, &u.disabled); err != nil {
			return nil, err
		}
		u.role = linkwork.Role(role)
		out[u.id] = u
	}
	return out, rows.Err()
}

// supervisesRoles are the roles a supervisor may have: those who may log
// a supervision (auth.ActionCreate on supervisions).
var supervisesRoles = []linkwork.Role{linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding}

// namedSupervisors reads the supervisor named for each of the workers.
func (tx *Tx) namedSupervisors(workerIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if len(workerIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(workerIDs))
	for i, id := range workerIDs {
		args[i] = id
	}
	rows, err := tx.query("SELECT worker_id, COALESCE(supervisor_id, '') FROM supervision_targets WHERE worker_id IN ("+placeholders(len(args))+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var w, s string
		if err := rows.Scan(&w, &s); err != nil {
			return nil, err
		}
		out[w] = s
	}
	return out, rows.Err()
}

// LogSupervision records a supervision given by a coordinator of the
// service or the supervisor named for each worker in it, logged by
// someone in it, with the cases of its workers it discussed.
func (s *SupervisionService) LogSupervision(ctx context.Context, sv *linkwork.Supervision) error {
	*sv = sv.Normalised()
	if err := sv.Validate(s.db.today()); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		a := tx.actor
		people := append([]string{sv.SupervisorID}, sv.WorkerIDs...)
		if !auth.Can(a, auth.ActionCreate, auth.Record{Kind: auth.KindSupervision, ServiceOrgID: a.OrgID, ParticipantIDs: people}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can log a supervision only as its supervisor or as a link worker supervised in it")
		}
		users, err := tx.staffUsers(people)
		if err != nil {
			return err
		}
		for _, id := range sv.WorkerIDs {
			u, ok := users[id]
			if !ok || u.org != a.OrgID || u.role != linkwork.RoleLinkWorker || u.disabled {
				return linkwork.FieldErr("worker_ids", "Choose link workers of your service")
			}
		}
		sup, ok := users[sv.SupervisorID]
		if !ok || sup.org != a.OrgID || sup.disabled || !slices.Contains(supervisesRoles, sup.role) {
			return linkwork.FieldErr("supervisor_id", "Choose a supervisor from your service")
		}
		if sup.role != linkwork.RoleCoordinator {
			named, err := tx.namedSupervisors(sv.WorkerIDs)
			if err != nil {
				return err
			}
			for _, id := range sv.WorkerIDs {
				if named[id] != sup.id {
					return linkwork.FieldErr("supervisor_id", sup.name+" is not named as "+users[id].name+"'s supervisor: a coordinator names supervisors on the team page")
				}
			}
		}
		if len(sv.CaseIDs) > 0 {
			args := []any{a.OrgID}
			for _, id := range sv.CaseIDs {
				args = append(args, id)
			}
			rows, err := tx.query("SELECT id, COALESCE(link_worker_id, '') FROM cases WHERE service_org_id = ? AND id IN ("+placeholders(len(sv.CaseIDs))+")", args...)
			if err != nil {
				return err
			}
			found := map[string]string{}
			for rows.Next() {
				var id, worker string
				if err := rows.Scan(&id, &worker); err != nil {
					rows.Close()
					return err
				}
				found[id] = worker
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, id := range sv.CaseIDs {
				worker, ok := found[id]
				if !ok || !slices.Contains(sv.WorkerIDs, worker) {
					return linkwork.FieldErr("case_ids", "Choose cases held by the link workers supervised")
				}
			}
		}
		sv.ID, sv.ServiceOrgID, sv.ByUserID, sv.CreatedAt = uuid.NewString(), a.OrgID, a.UserID, tx.now
		if _, err := tx.exec(`INSERT INTO supervisions (id, service_org_id, kind, held_on, supervisor_id, note, by_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			sv.ID, sv.ServiceOrgID, string(sv.Kind), dv(sv.HeldOn), sv.SupervisorID, sv.Note, sv.ByUserID, sv.CreatedAt); err != nil {
			return err
		}
		for i, id := range people {
			part := partWorker
			if i == 0 {
				part = partSupervisor
			}
			if _, err := tx.exec("INSERT INTO supervision_people (supervision_id, user_id, part, held_on) VALUES (?, ?, ?, ?)", sv.ID, id, part, dv(sv.HeldOn)); err != nil {
				return err
			}
		}
		for _, id := range sv.CaseIDs {
			if _, err := tx.exec("INSERT INTO supervision_cases (supervision_id, case_id, logged_at) VALUES (?, ?, ?)", sv.ID, id, tx.now); err != nil {
				return err
			}
		}
		sv.SupervisorName = sup.name
		sv.WorkerNames = nil
		for _, id := range sv.WorkerIDs {
			sv.WorkerNames = append(sv.WorkerNames, users[id].name)
		}
		for _, id := range sv.CaseIDs {
			// Each case's trail shows it was discussed, and in which
			// supervision.
			if err := tx.audit("case.supervision_discussed", auth.KindCase, id, sv.ID); err != nil {
				return err
			}
		}
		return tx.audit("supervision.create", auth.KindSupervision, sv.ID, string(sv.Kind))
	})
}

const supervisionColumns = "s.id, s.service_org_id, s.kind, s.held_on, s.supervisor_id, s.note, s.by_user_id, s.created_at"

func scanSupervision(row scanner) (*linkwork.Supervision, error) {
	var sv linkwork.Supervision
	var kind string
	err := row.Scan(&sv.ID, &sv.ServiceOrgID, &kind, dateDest{&sv.HeldOn}, &sv.SupervisorID, &sv.Note, &sv.ByUserID, timeDest{&sv.CreatedAt})
	sv.Kind = linkwork.SupervisionKind(kind)
	return &sv, err
}

// fillSupervisions reads the people and cases of the supervisions, two
// statements however many there are.
func (tx *Tx) fillSupervisions(list []*linkwork.Supervision) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[string]*linkwork.Supervision{}
	args := make([]any, len(list))
	for i, sv := range list {
		byID[sv.ID], args[i] = sv, sv.ID
		sv.WorkerIDs, sv.WorkerNames, sv.CaseIDs, sv.Cases = nil, nil, nil, nil
	}
	in := "(" + placeholders(len(list)) + ")"
	rows, err := tx.query("SELECT sp.supervision_id, sp.user_id, sp.part, u.name FROM supervision_people sp JOIN users u ON u.id = sp.user_id WHERE sp.supervision_id IN "+in+" ORDER BY u.name, u.id", args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, user, part, name string
		if err := rows.Scan(&id, &user, &part, &name); err != nil {
			rows.Close()
			return err
		}
		sv := byID[id]
		if part == partSupervisor {
			sv.SupervisorName = name
			continue
		}
		sv.WorkerIDs, sv.WorkerNames = append(sv.WorkerIDs, user), append(sv.WorkerNames, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.query("SELECT sc.supervision_id, k.id, p.given_name, p.preferred_name, p.family_name FROM supervision_cases sc JOIN cases k ON k.id = sc.case_id JOIN people p ON p.id = k.person_id WHERE sc.supervision_id IN "+in+" ORDER BY p.family_name, p.given_name, k.id", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, caseID, given, preferred, family string
		if err := rows.Scan(&id, &caseID, &given, &preferred, &family); err != nil {
			return err
		}
		sv := byID[id]
		sv.CaseIDs = append(sv.CaseIDs, caseID)
		sv.Cases = append(sv.Cases, linkwork.SupervisionCase{CaseID: caseID, PersonName: displayName(given, preferred, family)})
	}
	return rows.Err()
}

// FindSupervision returns a supervision the actor took part in; anyone
// else finds nothing.
func (s *SupervisionService) FindSupervision(ctx context.Context, id string) (*linkwork.Supervision, error) {
	var out *linkwork.Supervision
	err := s.db.audited(ctx, func(tx *Tx) error {
		var w where
		w.scope(tx.actor, auth.KindSupervision, "s")
		w.add("s.id = ?", id)
		sv, err := scanSupervision(tx.queryRow("SELECT "+supervisionColumns+" FROM supervisions s WHERE "+w.sql(), w.args...))
		if errors.Is(err, sql.ErrNoRows) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Supervision not found")
		}
		if err != nil {
			return err
		}
		if err := tx.fillSupervisions([]*linkwork.Supervision{sv}); err != nil {
			return err
		}
		out = sv
		return tx.audit("supervision.read", auth.KindSupervision, sv.ID, "")
	})
	return out, err
}

// FindSupervisions lists the supervisions the actor took part in (with
// the worker, when the filter names one), newest first: found from the
// actor's own rows in supervision_people.
func (s *SupervisionService) FindSupervisions(ctx context.Context, f linkwork.SupervisionFilter) ([]*linkwork.Supervision, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	offset, limit := page(f.Offset, f.Limit)
	var out []*linkwork.Supervision
	var total int
	err := s.db.audited(ctx, func(tx *Tx) error {
		var w where
		w.scope(tx.actor, auth.KindSupervision, "s")
		if f.WorkerID != "" {
			w.add("EXISTS (SELECT 1 FROM supervision_people sw WHERE sw.supervision_id = s.id AND sw.user_id = ? AND sw.part = ?)", f.WorkerID, partWorker)
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*) FROM supervisions s WHERE "+w.sql(), w.args...); err != nil {
			return err
		}
		rows, err := tx.query("SELECT "+supervisionColumns+" FROM supervisions s WHERE "+w.sql()+" ORDER BY s.held_on DESC, s.created_at DESC, s.id LIMIT ? OFFSET ?", append(w.args, limit, offset)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			sv, err := scanSupervision(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, sv)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := tx.fillSupervisions(out); err != nil {
			return err
		}
		ids := make([]string, len(out))
		for i, sv := range out {
			ids[i] = sv.ID
		}
		return tx.auditList("supervision.list", auth.KindSupervision, ids)
	})
	return out, total, err
}

// named reads id and name pairs.
func (tx *Tx) named(q string, args ...any) ([]linkwork.Named, error) {
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []linkwork.Named
	for rows.Next() {
		var n linkwork.Named
		if err := rows.Scan(&n.ID, &n.Name); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// SupervisionChoices is what the form to log a supervision offers the
// actor: the link workers they may log one for (a coordinator, all of
// the service's; anyone, those they are named to supervise; a link
// worker, themself), the possible supervisors, and for the worker chosen
// their open cases and their agenda.
func (s *SupervisionService) SupervisionChoices(ctx context.Context, workerID string) (*linkwork.SupervisionChoices, error) {
	out := &linkwork.SupervisionChoices{}
	err := s.db.audited(ctx, func(tx *Tx) error {
		a := tx.actor
		if auth.ScopeFor(a, auth.KindSupervision).None() {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service's staff log supervision")
		}
		var w where
		w.add("u.org_id = ?", a.OrgID)
		w.add("u.role = ?", string(linkwork.RoleLinkWorker))
		w.add("u.disabled = FALSE")
		if a.Role != linkwork.RoleCoordinator {
			w.add("(u.id = ? OR t.supervisor_id = ?)", a.UserID, a.UserID)
		}
		var err error
		if out.Workers, err = tx.named("SELECT u.id, u.name FROM users u LEFT JOIN supervision_targets t ON t.worker_id = u.id WHERE "+w.sql()+" ORDER BY u.name, u.id", w.args...); err != nil {
			return err
		}
		switch {
		case workerID != "":
		case a.Role == linkwork.RoleLinkWorker:
			workerID = a.UserID
		case len(out.Workers) == 1:
			workerID = out.Workers[0].ID
		}
		if workerID != "" && !slices.ContainsFunc(out.Workers, func(n linkwork.Named) bool { return n.ID == workerID }) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Link worker not found")
		}
		out.WorkerID = workerID
		if out.Supervisors, err = tx.named("SELECT id, name FROM users WHERE org_id = ? AND disabled = FALSE AND (role = ? OR id IN (SELECT supervisor_id FROM supervision_targets WHERE worker_id = ?)) ORDER BY name, id",
			a.OrgID, string(linkwork.RoleCoordinator), workerID); err != nil {
			return err
		}
		if workerID == "" {
			return nil
		}
		rows, err := tx.query("SELECT k.id, p.given_name, p.preferred_name, p.family_name FROM cases k JOIN people p ON p.id = k.person_id WHERE k.link_worker_id = ? AND k.service_org_id = ? AND k.status IN (?, ?) ORDER BY p.family_name, p.given_name, k.id",
			workerID, a.OrgID, string(linkwork.CaseActive), string(linkwork.CaseEnding))
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var c linkwork.SupervisionCase
			var given, preferred, family string
			if err := rows.Scan(&c.CaseID, &given, &preferred, &family); err != nil {
				rows.Close()
				return err
			}
			c.PersonName = displayName(given, preferred, family)
			out.Cases = append(out.Cases, c)
			ids = append(ids, c.CaseID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if out.Agenda, err = tx.agenda(workerID); err != nil {
			return err
		}
		for _, it := range out.Agenda {
			if !slices.Contains(ids, it.CaseID) {
				ids = append(ids, it.CaseID)
			}
		}
		return tx.auditList("case.supervision_agenda", auth.KindCase, ids)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// agenda lists the notes of the worker's cases marked to discuss at
// supervision that no supervision has discussed since, oldest first.
func (tx *Tx) agenda(workerID string) ([]*linkwork.AgendaItem, error) {
	rows, err := tx.query(`SELECT c.case_id, p.given_name, p.preferred_name, p.family_name, c.id, c.at, c.notes
		FROM cases k JOIN contacts c ON c.case_id = k.id JOIN people p ON p.id = k.person_id
		WHERE k.link_worker_id = ? AND k.service_org_id = ? AND c.discuss_at_supervision = TRUE
		AND NOT EXISTS (SELECT 1 FROM supervision_cases sc WHERE sc.case_id = c.case_id AND sc.logged_at >= c.created_at)
		ORDER BY c.at, c.id`, workerID, tx.actor.OrgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*linkwork.AgendaItem
	for rows.Next() {
		var it linkwork.AgendaItem
		var given, preferred, family string
		if err := rows.Scan(&it.CaseID, &given, &preferred, &family, &it.ContactID, timeDest{&it.At}, &it.Notes); err != nil {
			return nil, err
		}
		it.PersonName = displayName(given, preferred, family)
		out = append(out, &it)
	}
	return out, rows.Err()
}

// SetSupervisionTarget sets how often a link worker of the service is
// supervised, and by whom: a user of the service who may supervise, or
// nobody named (the coordinators).
func (s *SupervisionService) SetSupervisionTarget(ctx context.Context, t linkwork.SupervisionTarget) error {
	t.WorkerID, t.SupervisorID = strings.TrimSpace(t.WorkerID), strings.TrimSpace(t.SupervisorID)
	if err := t.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		a := tx.actor
		if !auth.Can(a, auth.ActionSetTarget, auth.Record{Kind: auth.KindSupervision, ServiceOrgID: a.OrgID}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators set supervision targets")
		}
		ids := []string{t.WorkerID}
		if t.SupervisorID != "" {
			ids = append(ids, t.SupervisorID)
		}
		users, err := tx.staffUsers(ids)
		if err != nil {
			return err
		}
		if u, ok := users[t.WorkerID]; !ok || u.org != a.OrgID || u.role != linkwork.RoleLinkWorker || u.disabled {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Link worker not found")
		}
		if t.SupervisorID != "" {
			if u, ok := users[t.SupervisorID]; !ok || u.org != a.OrgID || u.disabled || !slices.Contains(supervisesRoles, u.role) {
				return linkwork.FieldErr("supervisor_id", "Choose a supervisor from your service")
			}
		}
		if _, err := tx.exec(`INSERT INTO supervision_targets (worker_id, service_org_id, supervisor_id, every_days, by_user_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (worker_id) DO UPDATE SET supervisor_id = excluded.supervisor_id, every_days = excluded.every_days, by_user_id = excluded.by_user_id, updated_at = excluded.updated_at`,
			t.WorkerID, a.OrgID, sv(t.SupervisorID), t.EveryDays, a.UserID, tx.now); err != nil {
			return err
		}
		return tx.audit("supervision.target", auth.KindUser, t.WorkerID, t.SupervisorID)
	})
}
