package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

// attend records an attended session on a case.
func (w *world) attend(t *testing.T, c *linkwork.Case) {
	t.Helper()
	if err := w.cases.AddContact(w.as(w.linkWorker), &linkwork.Contact{CaseID: c.ID, At: w.clock.Now(), Mode: linkwork.ContactFaceToFace, Outcome: linkwork.ContactAttended, Minutes: 45}); err != nil {
		t.Fatal(err)
	}
}

func (w *world) reload(t *testing.T, c *linkwork.Case) *linkwork.Case {
	t.Helper()
	got, err := w.cases.FindCaseByID(w.as(w.coordinator), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestGoalsAndRatings(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		if err := w.db.Exec("INSERT INTO service_settings (service_org_id, settings, version, updated_at) VALUES (?, ?, 1, ?)", w.service.ID,
			`{"casework": {"max_goals": 2}}`, w.clock.Now()); err != nil {
			t.Fatal(err)
		}
		c := w.accept(t, w.refer(t, "Ada", "Goals"), w.linkWorker)
		ctx := w.as(w.linkWorker)
		first := &linkwork.Goal{CaseID: c.ID, Text: "Go back to football", Importance: linkwork.ImportanceVery,
			Ratings: []linkwork.GoalRating{{Rating: 3, Scale: linkwork.ScaleEmoji}}}
		second := &linkwork.Goal{CaseID: c.ID, Text: "Make a friend at the youth club", Importance: linkwork.ImportanceQuite}
		for _, g := range []*linkwork.Goal{first, second} {
			if err := w.cases.AddGoal(ctx, g); err != nil {
				t.Fatal(err)
			}
			w.clock.Advance(time.Minute)
		}
		t.Run("bad goals and ratings name their fields", func(t *testing.T) {
			for _, tt := range []struct {
				name  string
				g     *linkwork.Goal
				field string
			}{
				{"no words", &linkwork.Goal{CaseID: c.ID, Text: "  "}, "text"},
				{"importance out of range", &linkwork.Goal{CaseID: c.ID, Text: "x", Importance: 4}, "importance"},
				{"rating above 10", &linkwork.Goal{CaseID: c.ID, Text: "x", Ratings: []linkwork.GoalRating{{Rating: 11, Scale: linkwork.ScaleNumbers}}}, "rating"},
				{"unknown scale", &linkwork.Goal{CaseID: c.ID, Text: "x", Ratings: []linkwork.GoalRating{{Rating: 1, Scale: "stars"}}}, "scale"},
			} {
				wantField(t, w.cases.AddGoal(ctx, tt.g), tt.field)
			}
			_, err := w.cases.RateGoal(ctx, first.ID, -1, linkwork.ScaleNumbers)
			wantField(t, err, "rating")
		})
		t.Run("the service's limit of open goals holds", func(t *testing.T) {
			wantField(t, w.cases.AddGoal(ctx, &linkwork.Goal{CaseID: c.ID, Text: "A third"}), "text")
		})
		t.Run("re-rating keeps the history, first to latest", func(t *testing.T) {
			w.clock.Advance(time.Hour)
			if _, err := w.cases.RateGoal(ctx, first.ID, 7, linkwork.ScaleEmoji); err != nil {
				t.Fatal(err)
			}
			goals, err := w.cases.FindGoals(ctx, c.ID)
			if err != nil || len(goals) != 2 {
				t.Fatalf("%d goals, %v", len(goals), err)
			}
			f, _ := goals[0].First()
			l, _ := goals[0].Latest()
			if len(goals[0].Ratings) != 2 || f.Rating != 3 || l.Rating != 7 || l.Scale != linkwork.ScaleEmoji || goals[0].Importance != linkwork.ImportanceVery {
				t.Fatalf("ratings %+v", goals[0].Ratings)
			}
			if _, ok := goals[1].Latest(); ok {
				t.Fatal("an unrated goal has a rating")
			}
		})
		t.Run("only those who work on the case rate its goals", func(t *testing.T) {
			_, err := w.cases.RateGoal(w.as(w.otherWorker), first.ID, 5, linkwork.ScaleNumbers)
			wantCode(t, err, linkwork.ENOTFOUND)
			_, err = w.cases.RateGoal(w.as(w.safeguarding), first.ID, 5, linkwork.ScaleNumbers)
			wantCode(t, err, linkwork.EFORBIDDEN)
			_, err = w.cases.RateGoal(ctx, "no-such-goal", 5, linkwork.ScaleNumbers)
			wantCode(t, err, linkwork.ENOTFOUND)
		})
		t.Run("marking one achieved makes room for another, once, at its version", func(t *testing.T) {
			_, err := w.cases.AchieveGoal(ctx, second.ID, 2)
			wantCode(t, err, linkwork.ECONFLICT)
			g, err := w.cases.AchieveGoal(ctx, second.ID, 1)
			if err != nil || !g.Achieved || g.Version != 2 {
				t.Fatalf("achieve: %+v %v", g, err)
			}
			_, err = w.cases.AchieveGoal(ctx, second.ID, 2)
			wantField(t, err, "achieved")
			if err := w.cases.AddGoal(ctx, &linkwork.Goal{CaseID: c.ID, Text: "Sleep better"}); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestActions(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		c := w.accept(t, w.refer(t, "Bea", "Actions"), w.linkWorker)
		ctx := w.as(w.linkWorker)
		wantField(t, w.cases.AddAction(ctx, &linkwork.CaseAction{CaseID: c.ID, Who: "cat", What: "x"}), "who")
		wantField(t, w.cases.AddAction(ctx, &linkwork.CaseAction{CaseID: c.ID, Who: linkwork.ActionByPerson}), "what")
		wantField(t, w.cases.AddAction(ctx, &linkwork.CaseAction{CaseID: c.ID, Who: linkwork.ActionByOther, What: "Ring the club"}), "who_name")
		a := &linkwork.CaseAction{CaseID: c.ID, Who: linkwork.ActionByParent, WhoName: "Mum", What: "Take Bea to the first session", DueOn: linkwork.Date{Year: 2026, Month: 3, Day: 20}}
		if err := w.cases.AddAction(ctx, a); err != nil {
			t.Fatal(err)
		}
		wantCode(t, w.cases.AddAction(w.as(w.otherWorker), &linkwork.CaseAction{CaseID: c.ID, Who: linkwork.ActionByPerson, What: "x"}), linkwork.ENOTFOUND)
		done, err := w.cases.CompleteAction(ctx, a.ID, a.Version, true)
		if err != nil || !done.Done() {
			t.Fatalf("complete: %+v %v", done, err)
		}
		_, err = w.cases.CompleteAction(ctx, a.ID, a.Version, false)
		wantCode(t, err, linkwork.ECONFLICT)
		list, err := w.cases.FindActions(ctx, c.ID)
		if err != nil || len(list) != 1 || !list[0].Done() || list[0].WhoName != "Mum" || list[0].DueOn != a.DueOn {
			t.Fatalf("actions %+v %v", list, err)
		}
	})
}

func TestReviewsAndEnding(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		c := w.accept(t, w.refer(t, "Cal", "Review"), w.linkWorker)
		ctx := w.as(w.linkWorker)
		g := &linkwork.Goal{CaseID: c.ID, Text: "Feel less alone", Ratings: []linkwork.GoalRating{{Rating: 2, Scale: linkwork.ScaleNumbers}}}
		if err := w.cases.AddGoal(ctx, g); err != nil {
			t.Fatal(err)
		}
		points := linkwork.CaseworkSettings{}.Reviews()
		reviews := func() []*linkwork.Review {
			list, err := w.cases.FindReviews(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
		for i := 0; i < 2; i++ {
			w.attend(t, c)
		}
		if due := linkwork.ReviewDue(points, 2, reviews()); due != 0 {
			t.Fatalf("after 2 sessions a review is due at %d", due)
		}
		w.attend(t, c)
		n, err := w.cases.AttendedSessions(ctx, c.ID)
		if err != nil || n != 3 {
			t.Fatalf("attended %d, %v", n, err)
		}
		if due := linkwork.ReviewDue(points, n, reviews()); due != 3 {
			t.Fatalf("after 3 sessions the review due is %d, want 3", due)
		}
		w.clock.Advance(time.Hour)
		wantField(t, w.cases.AddReview(ctx, &linkwork.Review{CaseID: c.ID, Engaged: linkwork.EngagedPartly, Decision: linkwork.ReviewContinue}), "why_not")
		wantField(t, w.cases.AddReview(ctx, &linkwork.Review{CaseID: c.ID, Engaged: linkwork.EngagedYes}), "decision")
		rv := &linkwork.Review{CaseID: c.ID, Engaged: linkwork.EngagedYes, Notes: "Going well", Decision: linkwork.ReviewContinue,
			Ratings: []linkwork.GoalRating{{GoalID: g.ID, Rating: 6, Scale: linkwork.ScaleNumbers}}}
		if err := w.cases.AddReview(ctx, rv); err != nil {
			t.Fatal(err)
		}
		if list := reviews(); len(list) != 1 || list[0].Sessions != 3 || list[0].Engaged != linkwork.EngagedYes {
			t.Fatalf("reviews %+v", list)
		}
		if due := linkwork.ReviewDue(points, 3, reviews()); due != 0 {
			t.Fatalf("a held review still leaves %d due", due)
		}
		goals, _ := w.cases.FindGoals(ctx, c.ID)
		if l, _ := goals[0].Latest(); l.Rating != 6 {
			t.Fatalf("the review's rating was not kept: %+v", goals[0].Ratings)
		}
		if got := w.reload(t, c); got.Status != linkwork.CaseActive {
			t.Fatalf("continue moved the case to %s", got.Status)
		}
		t.Run("a review that starts the ending moves the case to ending", func(t *testing.T) {
			if err := w.cases.AddReview(ctx, &linkwork.Review{CaseID: c.ID, Engaged: linkwork.EngagedYes, Decision: linkwork.ReviewStartEnding}); err != nil {
				t.Fatal(err)
			}
			if got := w.reload(t, c); got.Status != linkwork.CaseEnding {
				t.Fatalf("status %s", got.Status)
			}
		})
		t.Run("planning the ending records the tapering steps at the case's version", func(t *testing.T) {
			cur := w.reload(t, c)
			_, err := w.cases.PlanEnding(ctx, c.ID, cur.Version, " ")
			wantField(t, err, "steps")
			_, err = w.cases.PlanEnding(ctx, c.ID, cur.Version-1, "Fortnightly, then a last session")
			wantCode(t, err, linkwork.ECONFLICT)
			got, err := w.cases.PlanEnding(ctx, c.ID, cur.Version, "Fortnightly, then a last session")
			if err != nil || got.Status != linkwork.CaseEnding || w.reload(t, c).EndingSteps != "Fortnightly, then a last session" {
				t.Fatalf("plan ending: %+v %v", got, err)
			}
		})
	})
}

func TestClosingAndTheMessageBack(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := w.as(w.linkWorker)
		r := w.referWith(t, w.schoolReferrer, newPerson("Dee", "Close"), func(r *linkwork.Referral) { r.Pathway = linkwork.PathwaySchool })
		c := w.accept(t, r, w.linkWorker)
		g := &linkwork.Goal{CaseID: c.ID, Text: "Join a club", Ratings: []linkwork.GoalRating{{Rating: 2, Scale: linkwork.ScaleEmoji}}}
		if err := w.cases.AddGoal(ctx, g); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(24 * time.Hour)
		w.attend(t, c)
		w.attend(t, c)
		if _, err := w.cases.RateGoal(ctx, g.ID, 8, linkwork.ScaleEmoji); err != nil {
			t.Fatal(err)
		}
		c = w.reload(t, c)
		t.Run("closing asks where the person went", func(t *testing.T) {
			_, err := w.cases.CloseCase(ctx, c.ID, c.Version, linkwork.CaseClosure{Reason: linkwork.ClosedOnward})
			wantField(t, err, "destination")
			_, err = w.cases.CloseCase(ctx, c.ID, c.Version, linkwork.CaseClosure{Reason: linkwork.ClosedNotSuitable})
			wantField(t, err, "destination")
			_, err = w.cases.CloseCase(ctx, c.ID, c.Version, linkwork.CaseClosure{Reason: linkwork.ClosedGoalsMet, FollowUpOn: linkwork.Date{Year: 2020, Month: 1, Day: 1}})
			wantField(t, err, "follow_up_on")
		})
		closed, err := w.cases.CloseCase(ctx, c.ID, c.Version, linkwork.CaseClosure{Reason: linkwork.ClosedOnward, Destination: "CAMHS", OutcomeSummary: "Goes to the youth club", ShareOutcome: yes()})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("the follow-up falls after the service's weeks", func(t *testing.T) {
			want := linkwork.DateOf(w.clock.Now().AddDate(0, 0, 7*linkwork.DefaultFollowUpWeeks))
			if closed.FollowUpOn != want || !closed.ShareOutcome || closed.ClosureDestination != "CAMHS" {
				t.Fatalf("closed %+v, follow-up %v want %v", closed, closed.FollowUpOn, want)
			}
		})
		t.Run("the referrer reads the message back built from the case", func(t *testing.T) {
			o, err := w.cases.FindCaseOutcome(w.as(w.schoolReferrer), r.ID)
			if err != nil || o == nil || !o.Shared || o.Sessions != 2 || len(o.Goals) != 1 || o.Goals[0].First != 2 || o.Goals[0].Latest != 8 || o.FirstSessionOn.IsZero() {
				t.Fatalf("outcome %+v %v", o, err)
			}
			app, _ := w.notes(t, r.ID, linkwork.NoteCaseClosed)
			if len(app) != 1 {
				t.Fatalf("%d notices", len(app))
			}
			wantSays(t, "the message back", app[0].Body, "Sessions attended: 2", "Join a club: 2 to 8", "Moved to another service (CAMHS)", "Goes to the youth club")
		})
		t.Run("another organisation's referrer sees nothing", func(t *testing.T) {
			_, err := w.cases.FindCaseOutcome(w.as(w.referrer), r.ID)
			wantCode(t, err, linkwork.ENOTFOUND)
		})
		t.Run("without consent on closing, only that it ended", func(t *testing.T) {
			r2 := w.referWith(t, w.schoolReferrer, newPerson("Eve", "Private"), func(r *linkwork.Referral) { r.Pathway = linkwork.PathwaySchool })
			c2 := w.accept(t, r2, w.linkWorker)
			if _, err := w.cases.CloseCase(ctx, c2.ID, c2.Version, linkwork.CaseClosure{Reason: linkwork.ClosedGoalsMet, OutcomeSummary: "secret words", ShareOutcome: no()}); err != nil {
				t.Fatal(err)
			}
			o, err := w.cases.FindCaseOutcome(w.as(w.schoolReferrer), r2.ID)
			if err != nil || o == nil || o.Shared || o.Summary != "" || o.Text() != "" {
				t.Fatalf("outcome %+v %v", o, err)
			}
			ref, err := w.referrals.FindReferralByID(w.as(w.schoolReferrer), r2.ID)
			if err != nil || ref.Outcome != "" {
				t.Fatalf("referral outcome %q %v", ref.Outcome, err)
			}
			app, _ := w.notes(t, r2.ID, linkwork.NoteCaseClosed)
			if len(app) != 1 || strings.Contains(app[0].Body, "secret") {
				t.Fatalf("notice %+v", app)
			}
		})
		t.Run("the follow-up is recorded once", func(t *testing.T) {
			_, err := w.cases.RecordFollowUp(ctx, c.ID, closed.Version, "")
			wantField(t, err, "note")
			got, err := w.cases.RecordFollowUp(ctx, c.ID, closed.Version, "Still going to the club")
			if err != nil || got.FollowedUpAt.IsZero() {
				t.Fatalf("follow-up %+v %v", got, err)
			}
			_, err = w.cases.RecordFollowUp(ctx, c.ID, got.Version, "again")
			wantField(t, err, "status")
			closed = got
		})
		t.Run("the door stays open: a return opens a new linked case", func(t *testing.T) {
			_, err := w.cases.ReopenCase(w.as(w.otherWorker), c.ID)
			wantCode(t, err, linkwork.ENOTFOUND)
			back, err := w.cases.ReopenCase(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if back.PreviousCaseID != c.ID || back.LinkWorkerID != w.linkWorker.ID || back.Status != linkwork.CaseActive || back.ReferralID == r.ID {
				t.Fatalf("reopened %+v", back)
			}
			ref, err := w.referrals.FindReferralByID(w.as(w.coordinator), back.ReferralID)
			if err != nil || ref.Status != linkwork.ReferralAccepted || !strings.HasPrefix(ref.Reasons, "Came back after support ended on") {
				t.Fatalf("return referral %+v %v", ref, err)
			}
			_, err = w.referrals.FindReferralByID(w.as(w.schoolReferrer), back.ReferralID)
			wantCode(t, err, linkwork.ENOTFOUND) // the return is the service's, not the school's
			_, err = w.cases.ReopenCase(ctx, c.ID)
			wantField(t, err, "status")
		})
	})
}

func TestMyPlan(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := w.as(w.linkWorker)
		c := w.accept(t, w.refer(t, "Fay", "Plan"), w.linkWorker)
		if err := w.cases.AddGoal(ctx, &linkwork.Goal{CaseID: c.ID, Text: "Try the climbing wall", Ratings: []linkwork.GoalRating{{Rating: 4, Scale: linkwork.ScaleNumbers}}}); err != nil {
			t.Fatal(err)
		}
		if err := w.cases.AddAction(ctx, &linkwork.CaseAction{CaseID: c.ID, Who: linkwork.ActionByPerson, What: "Ring the climbing centre"}); err != nil {
			t.Fatal(err)
		}
		p, err := w.cases.MyPlan(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSays(t, "my plan", p.Text(), "Hello Fay", "Try the climbing wall (you said 4 out of 10)", "You: Ring the climbing centre", "Your link worker: linkworker")
		m, ok, err := w.cases.SendMyPlan(ctx, c.ID)
		if err != nil || !ok || m.Kind != linkwork.MessagePlan || m.Channel != linkwork.MessageText {
			t.Fatalf("send: %+v %v %v", m, ok, err)
		}
		t.Run("no usable channel: nothing queued", func(t *testing.T) {
			person := newPerson("Gus", "Nophone")
			person.Phone, person.Contact.Channels = "", []linkwork.Channel{linkwork.ChannelPhone}
			r := w.referWith(t, w.referrer, person, nil)
			c := w.accept(t, r, w.linkWorker)
			if _, ok, err := w.cases.SendMyPlan(ctx, c.ID); err != nil || ok {
				t.Fatalf("sent %v, %v", ok, err)
			}
		})
		_, _, err = w.cases.SendMyPlan(w.as(w.safeguarding), c.ID)
		wantCode(t, err, linkwork.EFORBIDDEN)
	})
}
