package sqlstore_test

import (
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

func (w *world) concerns() *sqlstore.ConcernService { return sqlstore.NewConcernService(w.db) }

func newConcern(caseID string) *linkwork.Concern {
	return &linkwork.Concern{CaseID: caseID, Category: linkwork.ConcernDomesticAbuse,
		Description:     "She said “Dad shouts and throws things when he has been drinking, and I hide in my room.”",
		ImmediateAction: "Listened, told her I would share it with our safeguarding lead today, gave her Childline's number.",
		SafeNow:         linkwork.AnswerNotSure}
}

func TestRaisingAConcern(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		r := w.refer(t, "Mia", "Hart")
		k := w.accept(t, r, w.linkWorker)
		c := newConcern(k.ID)
		if err := w.concerns().RaiseConcern(w.as(w.linkWorker), c); err != nil {
			t.Fatalf("raise: %v", err)
		}
		t.Run("it is open, on the case and its referral", func(t *testing.T) {
			got, err := w.concerns().FindConcern(w.as(w.safeguarding), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != linkwork.ConcernOpen || got.CaseID != k.ID || got.ReferralID != r.ID || got.PersonName != "Mia Hart" || got.RaisedByName != "linkworker" {
				t.Fatalf("got %+v", got)
			}
		})
		t.Run("every safeguarding lead of the service is told at once, in the app and by email", func(t *testing.T) {
			notes, err := w.db.NotificationsAbout(r.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, n := range notes {
				if n.Kind != linkwork.NoteConcernRaised {
					continue
				}
				if n.Link != "/concerns/"+c.ID {
					t.Errorf("the notification links to %q", n.Link)
				}
				switch {
				case n.UserID != "":
					got[n.UserID] = true
					if !strings.Contains(n.Body, "domestic abuse") {
						t.Errorf("the app's message does not say what the concern is about: %q", n.Body)
					}
				case n.Email != "":
					got[n.Email] = true
					if strings.Contains(n.Body, "Mia") || strings.Contains(n.Body, "Dad") || strings.Contains(n.Body, "domestic") {
						t.Errorf("the email says who or what: %q", n.Body)
					}
				}
			}
			if !got[w.safeguarding.ID] || !got[w.safeguarding.Email] {
				t.Errorf("the safeguarding lead was not told in the app and by email: %v", got)
			}
			for _, u := range []*linkwork.User{w.linkWorker, w.referrer, w.community, w.coordinator, w.foreignCoord} {
				if got[u.ID] || got[u.Email] {
					t.Errorf("%s was told of the concern: %v", u.Name, got)
				}
			}
			list, _, _, err := sqlstore.NewNotificationService(w.db).FindNotifications(w.as(w.safeguarding), false, 0, 10)
			if err != nil || len(list) == 0 || list[0].Kind != linkwork.NoteConcernRaised {
				t.Fatalf("the lead's messages: %v %v", list, err)
			}
		})
		t.Run("raising it is audited", func(t *testing.T) {
			if acts := auditedActions(t, w, c.ID); !slices.Contains(acts, "concern.raise by "+w.linkWorker.ID) {
				t.Fatalf("audit: %v", acts)
			}
		})
	})
}

func TestAConcernIsNotFoundForThoseWhoMayNotSeeIt(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		r := w.refer(t, "Noah", "Reid")
		k := w.accept(t, r, w.linkWorker)
		// Noah goes to the boxing club, so its organisation sees him.
		c := newConcern(k.ID)
		if err := w.concerns().RaiseConcern(w.as(w.linkWorker), c); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			who  *linkwork.User
			sees bool
		}{
			{"the link worker who raised it, and works the case", w.linkWorker, true},
			{"the service's coordinator", w.coordinator, true},
			{"the service's safeguarding lead", w.safeguarding, true},
			{"another link worker of the service", w.otherWorker, false},
			{"the GP who referred the person", w.referrer, false},
			{"another referrer", w.schoolReferrer, false},
			{"a community organisation", w.community, false},
			{"the commissioner", w.commissioner, false},
			{"an administrator", w.admin, false},
			{"another service's coordinator", w.foreignCoord, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := w.concerns().FindConcern(w.as(tt.who), c.ID)
				list, total, lerr := w.concerns().FindConcerns(w.as(tt.who), linkwork.ConcernFilter{})
				flags, ferr := w.concerns().OpenConcernFlags(w.as(tt.who), []string{r.ID})
				if lerr != nil || ferr != nil {
					t.Fatalf("list %v, flags %v", lerr, ferr)
				}
				if tt.sees {
					if err != nil || total != 1 || len(list) != 1 || !flags[r.ID] {
						t.Fatalf("does not see it: %v, %d listed, flagged %v", err, total, flags[r.ID])
					}
					return
				}
				wantCode(t, err, linkwork.ENOTFOUND)
				if total != 0 || len(list) != 0 || flags[r.ID] {
					t.Fatalf("sees it in the list (%d) or flagged (%v)", total, flags[r.ID])
				}
				_, err = w.concerns().CloseConcern(w.as(tt.who), c.ID, c.Version, "Done")
				wantCode(t, err, linkwork.ENOTFOUND)
				err = w.concerns().RecordConcernAction(w.as(tt.who), c.ID, &linkwork.ConcernAction{Action: linkwork.ConcernAdvice, On: linkwork.DateOf(w.clock.Now())})
				wantCode(t, err, linkwork.ENOTFOUND)
			})
		}
		t.Run("a link worker sees one they raised on a referral whose case is not theirs", func(t *testing.T) {
			c2 := newConcern("")
			c2.CaseID, c2.ReferralID = "", r.ID
			if err := w.concerns().RaiseConcern(w.as(w.otherWorker), c2); err != nil {
				t.Fatal(err)
			}
			if _, err := w.concerns().FindConcern(w.as(w.otherWorker), c2.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := w.concerns().FindConcern(w.as(w.otherWorker), c.ID); linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
				t.Fatalf("sees the other concern: %v", err)
			}
			// And the case's link worker sees it too: it is about their person.
			if _, err := w.concerns().FindConcern(w.as(w.linkWorker), c2.ID); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestWhoMayRaiseAConcern(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		r := w.refer(t, "Ava", "Stone")
		k := w.accept(t, r, w.linkWorker)
		tests := []struct {
			name       string
			who        *linkwork.User
			onReferral bool
			code       string
		}{
			{"the case's link worker, on the case", w.linkWorker, false, ""},
			{"a coordinator, on the case", w.coordinator, false, ""},
			{"the safeguarding lead, on the case", w.safeguarding, false, ""},
			{"another link worker may not on a case not theirs", w.otherWorker, false, linkwork.ENOTFOUND},
			{"another link worker may on the referral", w.otherWorker, true, ""},
			{"the referrer may not on their own referral", w.referrer, true, linkwork.EFORBIDDEN},
			{"a community organisation may not", w.community, true, linkwork.ENOTFOUND},
			{"another service's coordinator may not", w.foreignCoord, false, linkwork.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := newConcern(k.ID)
				if tt.onReferral {
					c.CaseID, c.ReferralID = "", r.ID
				}
				err := w.concerns().RaiseConcern(w.as(tt.who), c)
				if tt.code == "" {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				wantCode(t, err, tt.code)
			})
		}
	})
}

func TestAConcernNamesWhatIsMissing(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		k := w.accept(t, w.refer(t, "Leo", "Park"), w.linkWorker)
		tests := map[string]func(c *linkwork.Concern){
			"category":         func(c *linkwork.Concern) { c.Category = "" },
			"description":      func(c *linkwork.Concern) { c.Description = "  " },
			"immediate_action": func(c *linkwork.Concern) { c.ImmediateAction = "" },
			"safe_now":         func(c *linkwork.Concern) { c.SafeNow = "maybe" },
			"case_id":          func(c *linkwork.Concern) { c.CaseID = "" },
		}
		for field, spoil := range tests {
			t.Run(field, func(t *testing.T) {
				c := newConcern(k.ID)
				spoil(c)
				wantField(t, w.concerns().RaiseConcern(w.as(w.linkWorker), c), field)
			})
		}
	})
}

func TestTheLeadActsOnAConcernAndClosesIt(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		r := w.refer(t, "Isla", "Ford")
		k := w.accept(t, r, w.linkWorker)
		c := newConcern(k.ID)
		if err := w.concerns().RaiseConcern(w.as(w.linkWorker), c); err != nil {
			t.Fatal(err)
		}
		today := linkwork.DateOf(w.clock.Now())
		t.Run("not closed before anything is recorded", func(t *testing.T) {
			_, err := w.concerns().CloseConcern(w.as(w.safeguarding), c.ID, 1, "Nothing needed")
			wantField(t, err, "action")
		})
		t.Run("no further action needs a reason", func(t *testing.T) {
			err := w.concerns().RecordConcernAction(w.as(w.safeguarding), c.ID, &linkwork.ConcernAction{Action: linkwork.ConcernNoFurtherAction, On: today})
			wantField(t, err, "reason")
		})
		t.Run("an action is not dated in the future", func(t *testing.T) {
			err := w.concerns().RecordConcernAction(w.as(w.safeguarding), c.ID, &linkwork.ConcernAction{Action: linkwork.ConcernAdvice, On: linkwork.Date{Year: today.Year + 1, Month: 1, Day: 1}})
			wantField(t, err, "on")
		})
		t.Run("the link worker records no action", func(t *testing.T) {
			err := w.concerns().RecordConcernAction(w.as(w.linkWorker), c.ID, &linkwork.ConcernAction{Action: linkwork.ConcernAdvice, On: today})
			wantCode(t, err, linkwork.EFORBIDDEN)
		})
		t.Run("the lead records a referral to children's social care", func(t *testing.T) {
			a := &linkwork.ConcernAction{Action: linkwork.ConcernChildrensCare, On: today, Note: "Spoke to the duty social worker; referral made."}
			if err := w.concerns().RecordConcernAction(w.as(w.safeguarding), c.ID, a); err != nil {
				t.Fatal(err)
			}
			got, err := w.concerns().FindConcern(w.as(w.linkWorker), c.ID)
			if err != nil || len(got.Actions) != 1 || got.Actions[0].Action != linkwork.ConcernChildrensCare || got.Actions[0].ByName != "safeguarding" || got.Actions[0].On != today {
				t.Fatalf("actions %+v, %v", got.Actions, err)
			}
		})
		t.Run("a coordinator records an action too", func(t *testing.T) {
			a := &linkwork.ConcernAction{Action: linkwork.ConcernGP, On: today}
			if err := w.concerns().RecordConcernAction(w.as(w.coordinator), c.ID, a); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("while open the case is flagged", func(t *testing.T) {
			flags, err := w.concerns().OpenConcernFlags(w.as(w.linkWorker), []string{r.ID, "no-such-referral"})
			if err != nil || !flags[r.ID] || len(flags) != 1 {
				t.Fatalf("flags %v %v", flags, err)
			}
		})
		t.Run("a coordinator does not close it", func(t *testing.T) {
			_, err := w.concerns().CloseConcern(w.as(w.coordinator), c.ID, 3, "Done")
			wantCode(t, err, linkwork.EFORBIDDEN)
		})
		t.Run("closing needs an outcome", func(t *testing.T) {
			_, err := w.concerns().CloseConcern(w.as(w.safeguarding), c.ID, 3, " ")
			wantField(t, err, "outcome")
		})
		t.Run("a stale version is a conflict", func(t *testing.T) {
			_, err := w.concerns().CloseConcern(w.as(w.safeguarding), c.ID, 1, "Done")
			wantCode(t, err, linkwork.ECONFLICT)
		})
		var closed *linkwork.Concern
		t.Run("the lead closes it with an outcome", func(t *testing.T) {
			var err error
			closed, err = w.concerns().CloseConcern(w.as(w.safeguarding), c.ID, 3, "Social care are visiting the family; the link worker carries on.")
			if err != nil || closed.Status != linkwork.ConcernClosed || closed.ClosedBy != w.safeguarding.ID {
				t.Fatalf("%+v %v", closed, err)
			}
		})
		t.Run("once closed it is not flagged and takes no more actions", func(t *testing.T) {
			flags, err := w.concerns().OpenConcernFlags(w.as(w.linkWorker), []string{r.ID})
			if err != nil || flags[r.ID] {
				t.Fatalf("flags %v %v", flags, err)
			}
			err = w.concerns().RecordConcernAction(w.as(w.safeguarding), c.ID, &linkwork.ConcernAction{Action: linkwork.ConcernAdvice, On: today})
			wantField(t, err, "action")
			_, err = w.concerns().CloseConcern(w.as(w.safeguarding), c.ID, closed.Version, "Again")
			wantCode(t, err, linkwork.ECONFLICT)
		})
		t.Run("the list puts the open first, newest first", func(t *testing.T) {
			w.clock.Advance(1)
			later := newConcern(k.ID)
			if err := w.concerns().RaiseConcern(w.as(w.coordinator), later); err != nil {
				t.Fatal(err)
			}
			list, total, err := w.concerns().FindConcerns(w.as(w.safeguarding), linkwork.ConcernFilter{})
			if err != nil || total != 2 || list[0].ID != later.ID || list[1].ID != c.ID {
				t.Fatalf("list %v of %d: %v", list, total, err)
			}
			open, total, err := w.concerns().FindConcerns(w.as(w.safeguarding), linkwork.ConcernFilter{Status: linkwork.ConcernOpen})
			if err != nil || total != 1 || open[0].ID != later.ID {
				t.Fatalf("open %v of %d: %v", open, total, err)
			}
		})
		t.Run("every read and change is audited", func(t *testing.T) {
			acts := auditedActions(t, w, c.ID)
			for _, want := range []string{"concern.raise by " + w.linkWorker.ID, "concern.read by " + w.linkWorker.ID, "concern.action by " + w.safeguarding.ID,
				"concern.action by " + w.coordinator.ID, "concern.close by " + w.safeguarding.ID} {
				if !slices.Contains(acts, want) {
					t.Errorf("no %q in %v", want, acts)
				}
			}
			// Lists and flags name the concerns they showed.
			for _, l := range []struct {
				who    *linkwork.User
				action string
			}{{w.safeguarding, "concern.list"}, {w.linkWorker, "concern.flag"}} {
				events, _, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{ActorID: l.who.ID, Limit: 500})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(events, func(e *linkwork.AuditEvent) bool { return e.Action == l.action && strings.Contains(e.Detail, c.ID) }) {
					t.Errorf("no %s by %s naming the concern", l.action, l.who.Name)
				}
			}
		})
	})
}

func TestASafetyPlan(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		k := w.accept(t, w.refer(t, "Finn", "Lowe"), w.linkWorker)
		t.Run("a new plan starts with the crisis numbers", func(t *testing.T) {
			p, err := w.concerns().FindSafetyPlan(w.as(w.linkWorker), k.ID)
			if err != nil || p.Recorded() || !strings.Contains(p.CrisisNumbers, "116 123") {
				t.Fatalf("%+v %v", p, err)
			}
		})
		t.Run("it needs something in it", func(t *testing.T) {
			wantField(t, w.concerns().SaveSafetyPlan(w.as(w.linkWorker), &linkwork.SafetyPlan{CaseID: k.ID, CrisisNumbers: "999"}), "warning_signs")
			wantField(t, w.concerns().SaveSafetyPlan(w.as(w.linkWorker), &linkwork.SafetyPlan{CaseID: k.ID, WhatHelps: "Music"}), "crisis_numbers")
		})
		p := &linkwork.SafetyPlan{CaseID: k.ID, WarningSigns: "Not sleeping; staying in my room", WhatHelps: "Walking the dog; music", WhoToContact: "Aunt Sal 07700 900123", CrisisNumbers: linkwork.DefaultCrisisNumbers}
		t.Run("the link worker records it", func(t *testing.T) {
			if err := w.concerns().SaveSafetyPlan(w.as(w.linkWorker), p); err != nil || p.Version != 1 {
				t.Fatalf("%v, version %d", err, p.Version)
			}
		})
		t.Run("a second first save is a conflict", func(t *testing.T) {
			again := *p
			again.Version = 0
			wantCode(t, w.concerns().SaveSafetyPlan(w.as(w.coordinator), &again), linkwork.ECONFLICT)
		})
		t.Run("who may not work the case may not change it", func(t *testing.T) {
			again := *p
			wantCode(t, w.concerns().SaveSafetyPlan(w.as(w.safeguarding), &again), linkwork.EFORBIDDEN)
			wantCode(t, w.concerns().SaveSafetyPlan(w.as(w.otherWorker), &again), linkwork.ENOTFOUND)
			_, err := w.concerns().FindSafetyPlan(w.as(w.referrer), k.ID)
			wantCode(t, err, linkwork.ENOTFOUND)
		})
		t.Run("it is read back, and each read and change is audited", func(t *testing.T) {
			got, err := w.concerns().FindSafetyPlan(w.as(w.safeguarding), k.ID)
			if err != nil || got.WhatHelps != p.WhatHelps || got.Version != 1 || got.UpdatedByName != "linkworker" {
				t.Fatalf("%+v %v", got, err)
			}
			acts := auditedActions(t, w, k.ID)
			for _, want := range []string{"safety_plan.save by " + w.linkWorker.ID, "safety_plan.read by " + w.safeguarding.ID} {
				if !slices.Contains(acts, want) {
					t.Errorf("no %q in %v", want, acts)
				}
			}
		})
	})
}

func TestConcernListsReadByIndex(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		for _, u := range []*linkwork.User{w.linkWorker, w.coordinator, w.safeguarding} {
			for name, f := range map[string]linkwork.ConcernFilter{"all": {}, "open": {Status: linkwork.ConcernOpen}, "a referral's": {ReferralID: "r1"}} {
				count, list, args := sqlstore.ConcernQueries(u.Actor(), f)
				for _, q := range []struct {
					what, sql string
					args      []any
				}{{"count", count, args}, {"page", list, append(args, 25, 0)}} {
					plan, err := w.db.PlanOf(q.sql, q.args...)
					if err != nil {
						t.Fatalf("%s, %s %s: %v", u.Name, name, q.what, err)
					}
					if plan.Scans("c") {
						t.Errorf("%s's %s of %s concerns reads every concern:\n%s", u.Name, q.what, name, plan.Text)
					}
				}
			}
		}
		_, list, args := sqlstore.ConcernQueries(w.safeguarding.Actor(), linkwork.ConcernFilter{})
		plan, err := w.db.PlanOf(list, append(args, 25, 0)...)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan.Text, "concerns_service_status") {
			t.Errorf("the lead's list is not read from concerns_service_status:\n%s", plan.Text)
		}
	})
}
