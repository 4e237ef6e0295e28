package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// measureToken is the token of the message waiting to carry link l.
func measureToken(t *testing.T, w *world, links *sqlstore.MeasureLinkService, l *linkwork.MeasureLink) string {
	t.Helper()
	pending, err := links.PendingMessages(w.sys, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range pending {
		if m.ID == l.ID {
			_, token, ok := strings.Cut(m.Body, "/measure/")
			if !ok || token == "" {
				t.Fatalf("the message holds no link: %q", m.Body)
			}
			if strings.Contains(m.Body, "SWEMWBS") || strings.Contains(m.Body, "Reed") {
				t.Fatalf("the message names the measure or the person's family name: %q", m.Body)
			}
			return token
		}
	}
	t.Fatalf("link %s is not waiting to be sent", l.ID)
	return ""
}

func TestAPersonAnswersAMeasureThroughTheirLink(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		links := sqlstore.NewMeasureLinkService(w.db)
		links.PublicURL = "https://linkwork.millbrook.example"
		young := newPerson("Ola", "Reed") // 15, chose texts
		k := w.referAllocated(t, young)
		noContact := newPerson("Ned", "Quiet")
		noContact.Contact.Channels = []linkwork.Channel{linkwork.ChannelPhone}
		quiet := w.referAllocated(t, noContact)
		lw := w.as(w.linkWorker)
		ucla := &linkwork.MeasureLinkRequest{Instrument: linkwork.InstrumentUCLA3, Timepoint: linkwork.TimepointBaseline}
		swemwbs := &linkwork.MeasureLinkRequest{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointBaseline}

		t.Run("refused, naming the field", func(t *testing.T) {
			for _, tt := range []struct {
				name   string
				caseID string
				r      linkwork.MeasureLinkRequest
				field  string
			}{
				{"goals are rated in a session", k.ID, linkwork.MeasureLinkRequest{Instrument: linkwork.InstrumentGBO, Timepoint: linkwork.TimepointBaseline}, "instrument"},
				{"a measure not for their age", k.ID, *ucla, "instrument"},
				{"a licensed measure without the service's wording", k.ID, *swemwbs, "instrument"},
				{"no timepoint", k.ID, linkwork.MeasureLinkRequest{Instrument: linkwork.InstrumentSWEMWBS}, "timepoint"},
				{"an unknown measure", k.ID, linkwork.MeasureLinkRequest{Instrument: "phq9", Timepoint: linkwork.TimepointBaseline}, "instrument"},
			} {
				_, err := links.SendMeasureLink(lw, tt.caseID, &tt.r)
				wantField(t, err, tt.field)
			}
		})
		w.setMeasures(t, linkwork.MeasureSettings{Wording: map[linkwork.Instrument][]string{linkwork.InstrumentSWEMWBS: {"One", "Two", "Three", "Four", "Five", "Six", "Seven"}}})
		t.Run("a person with no text or email is refused, naming contact", func(t *testing.T) {
			_, err := links.SendMeasureLink(lw, quiet.ID, swemwbs)
			wantField(t, err, "contact")
		})
		t.Run("those who may not work the case may not send one", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.referrer, w.otherWorker, w.commissioner} {
				_, err := links.SendMeasureLink(w.as(u), k.ID, swemwbs)
				if c := linkwork.ErrorCode(err); c != linkwork.ENOTFOUND && c != linkwork.EFORBIDDEN {
					t.Errorf("%s sending a link: %v", u.Role, err)
				}
			}
		})

		l, err := links.SendMeasureLink(lw, k.ID, swemwbs)
		if err != nil {
			t.Fatal(err)
		}
		if l.Channel != linkwork.LinkText || l.To != young.Phone {
			t.Fatalf("the link goes by %s to %q, want a text to their phone", l.Channel, l.To)
		}
		token := measureToken(t, w, links, l)

		t.Run("a token we never sent is not found", func(t *testing.T) {
			_, err := links.OpenMeasureLink(anyone, "not-a-token")
			wantCode(t, err, linkwork.ENOTFOUND)
			_, err = links.AnswerMeasureLink(anyone, "not-a-token", linkwork.Ints(3, 3, 3, 3, 3, 3, 3))
			wantCode(t, err, linkwork.ENOTFOUND)
		})
		t.Run("opens with their first name, the service's wording and the emoji scale", func(t *testing.T) {
			inv, err := links.OpenMeasureLink(anyone, token)
			if err != nil {
				t.Fatal(err)
			}
			if inv.FirstName != "Ola" || inv.Instrument != linkwork.InstrumentSWEMWBS || len(inv.Wording) != 7 || !inv.Emoji {
				t.Fatalf("the link shows %+v", inv)
			}
		})
		t.Run("an item missing is named and nothing is stored", func(t *testing.T) {
			three := 3
			_, err := links.AnswerMeasureLink(anyone, token, []*int{&three, &three, &three, nil, &three, &three, &three})
			wantField(t, err, "answers[3]")
			if list, _ := w.measures.FindMeasures(lw, k.ID); len(list) != 0 {
				t.Fatalf("%d responses stored", len(list))
			}
		})
		w.clock.Advance(time.Minute)
		m, err := links.AnswerMeasureLink(anyone, token, linkwork.Ints(3, 3, 3, 3, 3, 3, 2))
		if err != nil {
			t.Fatal(err)
		}
		t.Run("stored as answered by the person, recorded by the link", func(t *testing.T) {
			list, err := w.measures.FindMeasures(lw, k.ID)
			if err != nil || len(list) != 1 {
				t.Fatalf("%d responses (%v)", len(list), err)
			}
			got := list[0]
			if got.ID != m.ID || got.CompletedBy != linkwork.CompletedByPerson || got.CreatedBy != linkwork.MeasureActorPrefix+l.ID || !got.HasScore {
				t.Fatalf("stored %+v", got)
			}
			actions := strings.Join(auditedActions(t, w, k.ID), "\n")
			for _, want := range []string{"measure_link.send by " + w.linkWorker.ID, "measure.create by " + linkwork.MeasureActorPrefix + l.ID, "measure_link.answer by " + linkwork.MeasureActorPrefix + l.ID} {
				if !strings.Contains(actions, want) {
					t.Errorf("the audit trail has no %q:\n%s", want, actions)
				}
			}
			if !strings.Contains(strings.Join(auditedActions(t, w, k.PersonID), "\n"), "measure_link.view by "+linkwork.MeasureActorPrefix+l.ID) {
				t.Error("opening the link is not in the person's audit trail")
			}
		})
		t.Run("the link worker is told, and sees it answered", func(t *testing.T) {
			notes, _, _, err := sqlstore.NewNotificationService(w.db).FindNotifications(lw, false, 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			told := false
			for _, n := range notes {
				told = told || n.Kind == linkwork.NoteMeasureCompleted && n.Subject == "Ola Reed completed SWEMWBS" && n.Link == "/cases/"+k.ID+"#measures"
			}
			if !told {
				t.Errorf("no notification that Ola completed SWEMWBS among %d", len(notes))
			}
			found, err := links.FindMeasureLinks(lw, k.ID)
			if err != nil || len(found) != 1 || found[0].MeasureID != m.ID || found[0].Status(w.clock.Now()) != "Answered" {
				t.Fatalf("the case's links: %+v (%v)", found, err)
			}
		})
		t.Run("used twice is refused and stores nothing more", func(t *testing.T) {
			_, err := links.AnswerMeasureLink(anyone, token, linkwork.Ints(5, 5, 5, 5, 5, 5, 5))
			wantCode(t, err, linkwork.ECONFLICT)
			_, err = links.OpenMeasureLink(anyone, token)
			wantCode(t, err, linkwork.ECONFLICT)
			if list, _ := w.measures.FindMeasures(lw, k.ID); len(list) != 1 {
				t.Fatalf("%d responses stored", len(list))
			}
		})
		t.Run("a newer link replaces the open one", func(t *testing.T) {
			older, err := links.SendMeasureLink(lw, k.ID, &linkwork.MeasureLinkRequest{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointEnd})
			if err != nil {
				t.Fatal(err)
			}
			old := measureToken(t, w, links, older)
			if _, err := links.SendMeasureLink(lw, k.ID, &linkwork.MeasureLinkRequest{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointEnd}); err != nil {
				t.Fatal(err)
			}
			_, err = links.OpenMeasureLink(anyone, old)
			wantCode(t, err, linkwork.ECONFLICT)
		})
		t.Run("expired", func(t *testing.T) {
			l, err := links.SendMeasureLink(lw, k.ID, &linkwork.MeasureLinkRequest{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointReview})
			if err != nil {
				t.Fatal(err)
			}
			token := measureToken(t, w, links, l)
			w.clock.Advance(time.Duration(linkwork.MeasureLinkDays)*24*time.Hour + time.Minute)
			_, err = links.OpenMeasureLink(anyone, token)
			wantCode(t, err, linkwork.ECONFLICT)
			_, err = links.AnswerMeasureLink(anyone, token, linkwork.Ints(3, 3, 3, 3, 3, 3, 3))
			wantCode(t, err, linkwork.ECONFLICT)
		})
	})
}
