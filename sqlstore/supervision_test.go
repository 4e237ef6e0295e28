package sqlstore_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

func day(y int, m time.Month, d int) linkwork.Date { return linkwork.Date{Year: y, Month: m, Day: d} }

func TestSupervision(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		sup := sqlstore.NewSupervisionService(w.db)
		first := w.accept(t, w.refer(t, "Eli", "Ward"), w.linkWorker)
		second := w.accept(t, w.refer(t, "Noor", "Hassan"), w.linkWorker)
		theirs := w.accept(t, w.refer(t, "Sam", "Okafor"), w.otherWorker)
		today := linkwork.DateOf(w.clock.Now())
		// A note marked to discuss at supervision, before the session.
		note := &linkwork.Contact{CaseID: first.ID, Kind: linkwork.ContactSession, At: w.clock.Now().Add(-time.Hour), Mode: linkwork.ContactFaceToFace,
			Outcome: linkwork.ContactAttended, Notes: "Talked about leaving the group", DiscussAtSupervision: true}
		if err := w.cases.AddContact(w.as(w.linkWorker), note); err != nil {
			t.Fatal(err)
		}
		t.Run("the worker's agenda lists the note marked to discuss", func(t *testing.T) {
			c, err := sup.SupervisionChoices(w.as(w.linkWorker), "")
			if err != nil {
				t.Fatal(err)
			}
			if c.WorkerID != w.linkWorker.ID || len(c.Agenda) != 1 || c.Agenda[0].CaseID != first.ID || c.Agenda[0].Notes != note.Notes || len(c.Cases) != 2 {
				t.Fatalf("choices %+v agenda %v", c, c.Agenda)
			}
		})
		w.clock.Advance(time.Minute)
		s := &linkwork.Supervision{Kind: linkwork.SupervisionClinical, HeldOn: today, SupervisorID: w.coordinator.ID, WorkerIDs: []string{w.linkWorker.ID},
			CaseIDs: []string{first.ID, second.ID}, Note: "  Boundaries with Eli's family; Noor's ending  "}
		t.Run("the supervisor logs a supervision with two cases discussed", func(t *testing.T) {
			if err := sup.LogSupervision(w.as(w.coordinator), s); err != nil {
				t.Fatal(err)
			}
			if s.ID == "" || s.Note != "Boundaries with Eli's family; Noor's ending" || s.ServiceOrgID != w.service.ID {
				t.Fatalf("logged %+v", s)
			}
			if got := auditedActions(t, w, s.ID); !slices.Contains(got, "supervision.create by "+w.coordinator.ID) {
				t.Fatalf("audit %v", got)
			}
			if got := auditedActions(t, w, first.ID); !slices.Contains(got, "case.supervision_discussed by "+w.coordinator.ID) {
				t.Fatalf("the case's audit %v", got)
			}
		})
		t.Run("the worker and the supervisor see it, with its cases and note", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.coordinator} {
				got, err := sup.FindSupervision(w.as(u), s.ID)
				if err != nil {
					t.Fatalf("%s: %v", u.Name, err)
				}
				if got.Note != s.Note || len(got.Cases) != 2 || got.SupervisorName != "coordinator" || !slices.Equal(got.WorkerIDs, []string{w.linkWorker.ID}) {
					t.Fatalf("%s reads %+v", u.Name, got)
				}
				list, total, err := sup.FindSupervisions(w.as(u), linkwork.SupervisionFilter{})
				if err != nil || total != 1 || len(list) != 1 || list[0].ID != s.ID {
					t.Fatalf("%s lists %d %v %v", u.Name, total, list, err)
				}
			}
			if got := auditedActions(t, w, s.ID); !slices.Contains(got, "supervision.read by "+w.linkWorker.ID) {
				t.Fatalf("audit %v", got)
			}
		})
		t.Run("nobody else finds it", func(t *testing.T) {
			other := &linkwork.User{Name: "othercoord", Email: "othercoord@example.org", Role: linkwork.RoleCoordinator, OrgID: w.service.ID}
			if err := w.users.CreateUser(w.sys, other, password); err != nil {
				t.Fatal(err)
			}
			for _, u := range []*linkwork.User{w.otherWorker, other, w.safeguarding, w.foreignCoord, w.referrer, w.community, w.commissioner, w.admin} {
				_, err := sup.FindSupervision(w.as(u), s.ID)
				if linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
					t.Errorf("%s (%s) reads it: %v", u.Name, u.Role, err)
				}
				list, total, err := sup.FindSupervisions(w.as(u), linkwork.SupervisionFilter{})
				if err != nil || total != 0 || len(list) != 0 {
					t.Errorf("%s (%s) lists %d: %v", u.Name, u.Role, total, err)
				}
			}
		})
		t.Run("a case discussed leaves the agenda; a note marked after returns to it", func(t *testing.T) {
			c, err := sup.SupervisionChoices(w.as(w.linkWorker), "")
			if err != nil || len(c.Agenda) != 0 {
				t.Fatalf("agenda after the supervision: %v %v", c.Agenda, err)
			}
			w.clock.Advance(time.Minute)
			later := &linkwork.Contact{CaseID: first.ID, Kind: linkwork.ContactSession, At: w.clock.Now(), Mode: linkwork.ContactPhone,
				Outcome: linkwork.ContactAttended, Notes: "Asked for a worker change", DiscussAtSupervision: true}
			if err := w.cases.AddContact(w.as(w.linkWorker), later); err != nil {
				t.Fatal(err)
			}
			c, err = sup.SupervisionChoices(w.as(w.coordinator), w.linkWorker.ID)
			if err != nil || len(c.Agenda) != 1 || c.Agenda[0].ContactID != later.ID {
				t.Fatalf("agenda %v %v", c, err)
			}
		})
		t.Run("bad input names the field", func(t *testing.T) {
			ok := func() *linkwork.Supervision {
				return &linkwork.Supervision{Kind: linkwork.SupervisionLine, HeldOn: today, SupervisorID: w.coordinator.ID, WorkerIDs: []string{w.linkWorker.ID}}
			}
			tests := map[string]struct {
				edit  func(*linkwork.Supervision)
				field string
			}{
				"an unknown kind":             {func(s *linkwork.Supervision) { s.Kind = "coaching" }, "kind"},
				"a day in the future":         {func(s *linkwork.Supervision) { s.HeldOn = linkwork.DateOf(today.Time().AddDate(0, 0, 1)) }, "held_on"},
				"no worker":                   {func(s *linkwork.Supervision) { s.WorkerIDs = nil }, "worker_ids"},
				"two workers at a one-to-one": {func(s *linkwork.Supervision) { s.WorkerIDs = append(s.WorkerIDs, w.otherWorker.ID) }, "worker_ids"},
				"a worker who is not a link worker": {func(s *linkwork.Supervision) {
					s.Kind, s.WorkerIDs = linkwork.SupervisionGroup, append(s.WorkerIDs, w.safeguarding.ID)
				}, "worker_ids"},
				"another worker's case":                   {func(s *linkwork.Supervision) { s.CaseIDs = []string{theirs.ID} }, "case_ids"},
				"a supervisor from another service":       {func(s *linkwork.Supervision) { s.SupervisorID = w.foreignCoord.ID }, "supervisor_id"},
				"a link worker not named as supervisor":   {func(s *linkwork.Supervision) { s.SupervisorID = w.otherWorker.ID }, "supervisor_id"},
				"the supervisor is the worker supervised": {func(s *linkwork.Supervision) { s.SupervisorID = w.linkWorker.ID }, "worker_ids"},
			}
			for name, tt := range tests {
				t.Run(name, func(t *testing.T) {
					s := ok()
					tt.edit(s)
					// Logged by the worker, so that the supervisor is
					// theirs to get wrong.
					wantField(t, sup.LogSupervision(w.as(w.linkWorker), s), tt.field)
				})
			}
		})
		t.Run("only someone in it logs it", func(t *testing.T) {
			s := &linkwork.Supervision{Kind: linkwork.SupervisionLine, HeldOn: today, SupervisorID: w.coordinator.ID, WorkerIDs: []string{w.linkWorker.ID}}
			for _, u := range []*linkwork.User{w.otherWorker, w.safeguarding, w.foreignCoord, w.admin, w.referrer} {
				if err := sup.LogSupervision(w.as(u), s); linkwork.ErrorCode(err) != linkwork.EFORBIDDEN {
					t.Errorf("%s logs it: %v", u.Role, err)
				}
			}
		})
		t.Run("a named supervisor logs a group session; a coordinator names them", func(t *testing.T) {
			target := linkwork.SupervisionTarget{WorkerID: w.linkWorker.ID, SupervisorID: w.safeguarding.ID, EveryDays: 14}
			wantCode(t, sup.SetSupervisionTarget(w.as(w.linkWorker), target), linkwork.EFORBIDDEN)
			wantCode(t, sup.SetSupervisionTarget(w.as(w.foreignCoord), target), linkwork.ENOTFOUND)
			wantCode(t, sup.SetSupervisionTarget(w.as(w.coordinator), linkwork.SupervisionTarget{WorkerID: w.referrer.ID}), linkwork.ENOTFOUND)
			wantField(t, sup.SetSupervisionTarget(w.as(w.coordinator), linkwork.SupervisionTarget{WorkerID: w.linkWorker.ID, EveryDays: 400}), "every_days")
			for _, wk := range []*linkwork.User{w.linkWorker, w.otherWorker} {
				target.WorkerID = wk.ID
				if err := sup.SetSupervisionTarget(w.as(w.coordinator), target); err != nil {
					t.Fatal(err)
				}
			}
			c, err := sup.SupervisionChoices(w.as(w.safeguarding), "")
			if err != nil || len(c.Workers) != 2 {
				t.Fatalf("the named supervisor may log for %v: %v", c, err)
			}
			g := &linkwork.Supervision{Kind: linkwork.SupervisionGroup, HeldOn: today, SupervisorID: w.safeguarding.ID, WorkerIDs: []string{w.linkWorker.ID, w.otherWorker.ID},
				CaseIDs: []string{theirs.ID}}
			if err := sup.LogSupervision(w.as(w.safeguarding), g); err != nil {
				t.Fatal(err)
			}
			list, total, err := sup.FindSupervisions(w.as(w.otherWorker), linkwork.SupervisionFilter{})
			if err != nil || total != 1 || list[0].ID != g.ID || len(list[0].WorkerIDs) != 2 {
				t.Fatalf("the other worker lists %d %v %v", total, list, err)
			}
			list, total, err = sup.FindSupervisions(w.as(w.linkWorker), linkwork.SupervisionFilter{Limit: 1})
			if err != nil || total != 2 || len(list) != 1 {
				t.Fatalf("a page of one of two: %d %v %v", total, list, err)
			}
		})
	})
}

func TestTheTeamsLoad(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		sup := sqlstore.NewSupervisionService(w.db)
		team := sqlstore.NewTeamService(w.db)
		k := w.accept(t, w.refer(t, "Eli", "Ward"), w.linkWorker)
		w.contact(t, k.ID, w.clock.Now().Add(-time.Hour), "session", "attended")
		// An open safeguarding concern about the link worker's person.
		if err := w.concerns().RaiseConcern(w.as(w.linkWorker), newConcern(k.ID)); err != nil {
			t.Fatal(err)
		}
		w.setCasework(t, linkwork.CaseworkSettings{SupervisionDays: 30})
		today := linkwork.DateOf(w.clock.Now())
		// The link worker was supervised 40 days ago: past the service's
		// 30. The other worker, today, with a target of 14.
		old := &linkwork.Supervision{Kind: linkwork.SupervisionLine, HeldOn: linkwork.DateOf(today.Time().AddDate(0, 0, -40)), SupervisorID: w.coordinator.ID, WorkerIDs: []string{w.linkWorker.ID}}
		recent := &linkwork.Supervision{Kind: linkwork.SupervisionLine, HeldOn: today, SupervisorID: w.coordinator.ID, WorkerIDs: []string{w.otherWorker.ID}}
		for _, s := range []*linkwork.Supervision{old, recent} {
			if err := sup.LogSupervision(w.as(w.coordinator), s); err != nil {
				t.Fatal(err)
			}
		}
		if err := sup.SetSupervisionTarget(w.as(w.coordinator), linkwork.SupervisionTarget{WorkerID: w.otherWorker.ID, EveryDays: 14}); err != nil {
			t.Fatal(err)
		}
		training := []*linkwork.TrainingRecord{
			// Overdue for renewal.
			{WorkerID: w.linkWorker.ID, Course: linkwork.CourseSafeguarding2, CompletedOn: day(2023, 1, 10), RenewBy: day(2026, 1, 10)},
			// Due within the month.
			{WorkerID: w.linkWorker.ID, Course: linkwork.CourseYouthMHFA, CompletedOn: day(2023, 3, 20), RenewBy: day(2026, 3, 20)},
			// Was due, since renewed: counts for nothing.
			{WorkerID: w.otherWorker.ID, Course: linkwork.CourseManagingEndings, CompletedOn: day(2023, 2, 1), RenewBy: day(2026, 2, 1)},
			{WorkerID: w.otherWorker.ID, Course: linkwork.CourseManagingEndings, CompletedOn: day(2026, 3, 1), RenewBy: day(2029, 3, 1)},
		}
		for _, tr := range training {
			if err := team.RecordTraining(w.as(w.coordinator), tr); err != nil {
				t.Fatal(err)
			}
		}
		t.Run("each link worker's load, supervision against target, and training due", func(t *testing.T) {
			members, _, err := team.Team(w.as(w.coordinator), linkwork.TeamQuery{})
			if err != nil {
				t.Fatal(err)
			}
			byName := map[string]linkwork.TeamMember{}
			for _, m := range members {
				byName[m.Name] = m
			}
			lw, ow := byName["linkworker"], byName["otherworker"]
			if lw.Cases != 1 || lw.Weighted != 1 || lw.SessionsThisMonth != 1 || lw.Overdue != 0 {
				t.Errorf("linkworker's caseload %+v", lw)
			}
			if !lw.SupervisionOverdue || lw.LastSupervision != old.HeldOn || lw.SupervisionEvery != 30 {
				t.Errorf("linkworker's supervision %+v", lw)
			}
			if ow.SupervisionOverdue || ow.SupervisionEvery != 14 || ow.SupervisionDue != linkwork.DateOf(today.Time().AddDate(0, 0, 14)) {
				t.Errorf("otherworker's supervision %+v", ow)
			}
			if lw.OpenConcerns != 1 || ow.OpenConcerns != 0 {
				t.Errorf("open concerns: linkworker %d, otherworker %d", lw.OpenConcerns, ow.OpenConcerns)
			}
			if lw.TrainingOverdue != 1 || lw.TrainingDue != 1 || ow.TrainingOverdue != 0 || ow.TrainingDue != 0 {
				t.Errorf("training due: linkworker %d/%d, otherworker %d/%d", lw.TrainingOverdue, lw.TrainingDue, ow.TrainingOverdue, ow.TrainingDue)
			}
		})
		t.Run("pages of the team hold each worker once, with the load the whole team shows, and one worker alone", func(t *testing.T) {
			whole, total, err := team.Team(w.as(w.coordinator), linkwork.TeamQuery{})
			if err != nil || total != len(whole) || total < 2 {
				t.Fatalf("the whole team: %d of %d, %v", len(whole), total, err)
			}
			var paged []linkwork.TeamMember
			for off := 0; off < total+1; off++ {
				page, n, err := team.Team(w.as(w.coordinator), linkwork.TeamQuery{Offset: off, Limit: 1})
				if err != nil || n != total {
					t.Fatalf("page at %d: %d of %d, %v", off, len(page), n, err)
				}
				if off == total && len(page) != 0 {
					t.Errorf("the page past the end holds %v", page)
				}
				paged = append(paged, page...)
			}
			if !reflect.DeepEqual(paged, whole) {
				t.Errorf("page by page\n%+v\nthe whole team\n%+v", paged, whole)
			}
			one, n, err := team.Team(w.as(w.coordinator), linkwork.TeamQuery{WorkerID: w.otherWorker.ID})
			if err != nil || n != 1 || len(one) != 1 || one[0].UserID != w.otherWorker.ID {
				t.Fatalf("one worker: %+v of %d, %v", one, n, err)
			}
			for _, m := range whole {
				if m.UserID == w.otherWorker.ID && !reflect.DeepEqual(m, one[0]) {
					t.Errorf("alone %+v, in the team %+v", one[0], m)
				}
			}
			_, _, err = team.Team(w.as(w.coordinator), linkwork.TeamQuery{Limit: linkwork.MaxPageSize + 1})
			wantField(t, err, "limit")
			_, _, err = team.Team(w.as(w.coordinator), linkwork.TeamQuery{Offset: -1})
			wantField(t, err, "offset")
		})
		t.Run("only coordinators see the team", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.safeguarding, w.admin, w.commissioner, w.referrer} {
				if _, _, err := team.Team(w.as(u), linkwork.TeamQuery{}); linkwork.ErrorCode(err) != linkwork.EFORBIDDEN {
					t.Errorf("%s: %v", u.Role, err)
				}
			}
			members, _, err := team.Team(w.as(w.foreignCoord), linkwork.TeamQuery{})
			if err != nil || len(members) != 0 {
				t.Errorf("another service's coordinator sees %v: %v", members, err)
			}
		})
		t.Run("training: a worker records and sees their own; a coordinator the service's", func(t *testing.T) {
			own := &linkwork.TrainingRecord{Course: linkwork.CourseOther, CourseName: "Trauma-informed practice", CompletedOn: day(2026, 2, 1)}
			if err := team.RecordTraining(w.as(w.otherWorker), own); err != nil {
				t.Fatal(err)
			}
			if own.WorkerID != w.otherWorker.ID {
				t.Fatalf("recorded for %s", own.WorkerID)
			}
			wantCode(t, team.RecordTraining(w.as(w.otherWorker), &linkwork.TrainingRecord{WorkerID: w.linkWorker.ID, Course: linkwork.CourseYouthMHFA, CompletedOn: day(2026, 2, 1)}), linkwork.ENOTFOUND)
			wantCode(t, team.RecordTraining(w.as(w.foreignCoord), &linkwork.TrainingRecord{WorkerID: w.linkWorker.ID, Course: linkwork.CourseYouthMHFA, CompletedOn: day(2026, 2, 1)}), linkwork.ENOTFOUND)
			wantField(t, team.RecordTraining(w.as(w.otherWorker), &linkwork.TrainingRecord{Course: linkwork.CourseOther, CompletedOn: day(2026, 2, 1)}), "course_name")
			wantField(t, team.RecordTraining(w.as(w.otherWorker), &linkwork.TrainingRecord{Course: linkwork.CourseYouthMHFA, CompletedOn: day(2026, 2, 1), RenewBy: day(2026, 1, 1)}), "renew_by")
			wantField(t, team.RecordTraining(w.as(w.otherWorker), &linkwork.TrainingRecord{Course: "first_aid", CompletedOn: day(2026, 2, 1)}), "course")
			mine, total, err := team.FindTraining(w.as(w.otherWorker), linkwork.TrainingFilter{})
			if err != nil || total != 3 {
				t.Fatalf("the worker's own: %d %v", total, err)
			}
			for _, r := range mine {
				if r.WorkerID != w.otherWorker.ID {
					t.Fatalf("the worker sees someone else's: %+v", r)
				}
			}
			due, total, err := team.FindTraining(w.as(w.coordinator), linkwork.TrainingFilter{DueOnly: true})
			if err != nil || total != 2 || due[0].Course != linkwork.CourseSafeguarding2 || due[0].State(linkwork.DateOf(w.clock.Now())) != linkwork.TrainingOverdue {
				t.Fatalf("due: %d %v %v", total, due, err)
			}
			if got := auditedActions(t, w, own.ID); !slices.Contains(got, "training.create by "+w.otherWorker.ID) {
				t.Fatalf("audit %v", got)
			}
			for _, u := range []*linkwork.User{w.safeguarding, w.foreignCoord, w.admin} {
				if list, total, err := team.FindTraining(w.as(u), linkwork.TrainingFilter{}); err != nil || total != 0 || len(list) != 0 {
					t.Errorf("%s sees %d: %v", u.Role, total, err)
				}
			}
		})
	})
}
