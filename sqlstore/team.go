package sqlstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// TeamService implements linkwork.TeamService and
// linkwork.TrainingService.
type TeamService struct{ db *DB }

// NewTeamService returns the team and training service over db.
func NewTeamService(db *DB) *TeamService { return &TeamService{db: db} }

var (
	_ linkwork.TeamService     = (*TeamService)(nil)
	_ linkwork.TrainingService = (*TeamService)(nil)
)

// latestOfCourse is true of a training record (aliased tr) that no later
// record of the same course for the same worker has renewed.
const latestOfCourse = `NOT EXISTS (SELECT 1 FROM training_records nr WHERE nr.worker_id = tr.worker_id AND nr.course = tr.course
	AND nr.course_name = tr.course_name AND nr.completed_on > tr.completed_on)`

// Team lists a page of the service's enabled link workers with their
// load: the caseload's size, weight and overdue work as the caseloads
// page counts them (workerLoads), then one grouped statement each for
// sessions this month, last supervision, targets, training due and
// concerns, each narrowed to the page's workers. Coordinators only.
func (s *TeamService) Team(ctx context.Context, q linkwork.TeamQuery) ([]linkwork.TeamMember, int, error) {
	if err := q.Validate(); err != nil {
		return nil, 0, err
	}
	var out []linkwork.TeamMember
	var total int
	err := s.db.audited(ctx, func(tx *Tx) error {
		a := tx.actor
		if !auth.Can(a, auth.ActionAllocate, auth.Record{Kind: auth.KindCase, ServiceOrgID: a.OrgID}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators see the team's load")
		}
		loads, n, err := tx.workerLoads(q)
		if err != nil {
			return err
		}
		total = n
		if len(loads) == 0 {
			return tx.audit("team.read", auth.KindUser, "", "")
		}
		ids := make([]any, len(loads))
		for i, l := range loads {
			ids[i] = l.UserID
		}
		in := "(" + placeholders(len(ids)) + ")"
		settings, err := tx.settingsFor(a.OrgID)
		if err != nil {
			return err
		}
		index := map[string]int{}
		out = make([]linkwork.TeamMember, len(loads))
		for i, l := range loads {
			out[i] = linkwork.TeamMember{WorkerLoad: l, SupervisionEvery: settings.Casework.SupervisionEvery()}
			index[l.UserID] = i
		}
		member := func(id string) *linkwork.TeamMember {
			if i, ok := index[id]; ok {
				return &out[i]
			}
			return nil
		}
		// Sessions this month: those attended, recorded by the worker
		// since the first of the month in the UK (contacts_by_at).
		local := tx.now.In(ukTime)
		monthStart := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, ukTime)
		if err := tx.eachRow(`SELECT c.by_user_id, COUNT(*) FROM contacts c
			WHERE c.by_user_id IN `+in+` AND c.at >= ? AND c.at <= ? AND c.kind = 'session' AND c.outcome = ? GROUP BY c.by_user_id`,
			append(slices.Clone(ids), tv(monthStart), tv(tx.now), string(linkwork.ContactAttended)), func(row scanner) error {
				var id string
				var n int
				if err := row.Scan(&id, &n); err != nil {
					return err
				}
				if m := member(id); m != nil {
					m.SessionsThisMonth = n
				}
				return nil
			}); err != nil {
			return err
		}
		// Last supervision of each (supervision_people_user).
		if err := tx.eachRow(`SELECT sp.user_id, MAX(sp.held_on) FROM supervision_people sp
			WHERE sp.user_id IN `+in+` AND sp.part = ? GROUP BY sp.user_id`, append(slices.Clone(ids), partWorker), func(row scanner) error {
			var id string
			var last linkwork.Date
			if err := row.Scan(&id, dateDest{&last}); err != nil {
				return err
			}
			if m := member(id); m != nil {
				m.LastSupervision = last
			}
			return nil
		}); err != nil {
			return err
		}
		if err := tx.eachRow(`SELECT t.worker_id, t.every_days, COALESCE(t.supervisor_id, ''), COALESCE(u.name, '') FROM supervision_targets t
			LEFT JOIN users u ON u.id = t.supervisor_id WHERE t.service_org_id = ? AND t.worker_id IN `+in, append([]any{a.OrgID}, ids...), func(row scanner) error {
			var id, sup, name string
			var every int
			if err := row.Scan(&id, &every, &sup, &name); err != nil {
				return err
			}
			if m := member(id); m != nil {
				if every > 0 {
					m.SupervisionEvery = every
				}
				m.SupervisorID, m.SupervisorName = sup, name
			}
			return nil
		}); err != nil {
			return err
		}
		today := tx.db.today()
		soon := linkwork.DateOf(today.Time().AddDate(0, 0, linkwork.TrainingDueWithin))
		if err := tx.eachRow(`SELECT tr.worker_id, SUM(CASE WHEN tr.renew_by < ? THEN 1 ELSE 0 END), SUM(CASE WHEN tr.renew_by >= ? THEN 1 ELSE 0 END)
			FROM training_records tr WHERE tr.service_org_id = ? AND tr.worker_id IN `+in+` AND tr.renew_by <= ? AND `+latestOfCourse+` GROUP BY tr.worker_id`,
			append(append([]any{dv(today), dv(today), a.OrgID}, ids...), dv(soon)), func(row scanner) error {
				var id string
				var overdue, due int
				if err := row.Scan(&id, &overdue, &due); err != nil {
					return err
				}
				if m := member(id); m != nil {
					m.TrainingOverdue, m.TrainingDue = overdue, due
				}
				return nil
			}); err != nil {
			return err
		}
		// Open safeguarding concerns about the people of each worker's
		// cases: the service's open concerns (concerns_service_status),
		// each joined to its referral's case.
		if err := tx.eachRow(`SELECT k.link_worker_id, COUNT(*) FROM concerns c JOIN cases k ON k.referral_id = c.referral_id
			WHERE c.service_org_id = ? AND c.status = ? AND k.link_worker_id IN `+in+` GROUP BY k.link_worker_id`,
			append([]any{a.OrgID, string(linkwork.ConcernOpen)}, ids...), func(row scanner) error {
				var id string
				var n int
				if err := row.Scan(&id, &n); err != nil {
					return err
				}
				if m := member(id); m != nil {
					m.OpenConcerns = n
				}
				return nil
			}); err != nil {
			return err
		}
		for i := range out {
			m := &out[i]
			m.SupervisionDue = linkwork.SupervisionDueOn(m.LastSupervision, m.SupervisionEvery)
			m.SupervisionOverdue = linkwork.SupervisionOverdue(m.LastSupervision, m.SupervisionEvery, today)
		}
		return tx.audit("team.read", auth.KindUser, "", "")
	})
	return out, total, err
}

// RecordTraining records a course completed by a worker of the actor's
// service: the actor's own, or, for a coordinator, anyone's.
func (s *TeamService) RecordTraining(ctx context.Context, t *linkwork.TrainingRecord) error {
	t.WorkerID = strings.TrimSpace(t.WorkerID)
	if err := t.Validate(s.db.today()); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		a := tx.actor
		if t.WorkerID == "" {
			t.WorkerID = a.UserID
		}
		users, err := tx.staffUsers([]string{t.WorkerID})
		if err != nil {
			return err
		}
		u, ok := users[t.WorkerID]
		if !ok || u.org != a.OrgID || u.disabled || !slices.Contains([]linkwork.Role{linkwork.RoleLinkWorker, linkwork.RoleCoordinator}, u.role) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Worker not found")
		}
		if !auth.Can(a, auth.ActionCreate, auth.Record{Kind: auth.KindTraining, ServiceOrgID: u.org, UserID: u.id}) {
			if auth.ScopeFor(a, auth.KindTraining).Matches(auth.Record{Kind: auth.KindTraining, ServiceOrgID: u.org, UserID: u.id}) {
				return linkwork.Errorf(linkwork.EFORBIDDEN, "You cannot record training")
			}
			return linkwork.Errorf(linkwork.ENOTFOUND, "Worker not found")
		}
		t.ID, t.ServiceOrgID, t.WorkerName, t.ByUserID, t.CreatedAt = uuid.NewString(), a.OrgID, u.name, a.UserID, tx.now
		if t.Course != linkwork.CourseOther {
			t.CourseName = ""
		}
		if _, err := tx.exec(`INSERT INTO training_records (id, service_org_id, worker_id, course, course_name, completed_on, renew_by, by_user_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, t.ServiceOrgID, t.WorkerID, string(t.Course), t.CourseName, dv(t.CompletedOn), dv(t.RenewBy), t.ByUserID, t.CreatedAt); err != nil {
			return err
		}
		return tx.audit("training.create", auth.KindTraining, t.ID, string(t.Course))
	})
}

// FindTraining lists the training records the actor may see, renewal
// soonest first (none last), with the total.
func (s *TeamService) FindTraining(ctx context.Context, f linkwork.TrainingFilter) ([]*linkwork.TrainingRecord, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	offset, limit := page(f.Offset, f.Limit)
	var out []*linkwork.TrainingRecord
	var total int
	err := s.db.audited(ctx, func(tx *Tx) error {
		var w where
		w.scope(tx.actor, auth.KindTraining, "tr")
		if f.WorkerID != "" {
			w.add("tr.worker_id = ?", f.WorkerID)
		}
		if f.DueOnly {
			soon := linkwork.DateOf(tx.db.today().Time().AddDate(0, 0, linkwork.TrainingDueWithin))
			w.add("tr.renew_by <= ?", dv(soon))
			w.add(latestOfCourse)
		}
		var err error
		if total, err = tx.count("SELECT COUNT(*) FROM training_records tr WHERE "+w.sql(), w.args...); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT tr.id, tr.service_org_id, tr.worker_id, u.name, tr.course, tr.course_name, tr.completed_on, tr.renew_by, tr.by_user_id, tr.created_at
			FROM training_records tr JOIN users u ON u.id = tr.worker_id WHERE `+w.sql()+`
			ORDER BY CASE WHEN tr.renew_by IS NULL THEN 1 ELSE 0 END, tr.renew_by, tr.completed_on DESC, tr.id LIMIT ? OFFSET ?`, append(w.args, limit, offset)...)
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var t linkwork.TrainingRecord
			var course string
			if err := rows.Scan(&t.ID, &t.ServiceOrgID, &t.WorkerID, &t.WorkerName, &course, &t.CourseName, dateDest{&t.CompletedOn}, dateDest{&t.RenewBy}, &t.ByUserID, timeDest{&t.CreatedAt}); err != nil {
				rows.Close()
				return err
			}
			t.Course = linkwork.TrainingCourse(course)
			out = append(out, &t)
			ids = append(ids, t.ID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.auditList("training.list", auth.KindTraining, ids)
	})
	return out, total, err
}
