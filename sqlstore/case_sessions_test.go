package sqlstore_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/notify"
	"github.com/linkwork/linkwork/notify/notifytest"
	"github.com/linkwork/linkwork/sqlstore"
)

// referAllocated makes a GP referral for person p, accepts it and allocates
// it to the link worker, and returns the case.
func (w *world) referAllocated(t *testing.T, p *linkwork.Person) *linkwork.Case {
	t.Helper()
	r := &linkwork.Referral{
		SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
		Reasons: "Low mood since moving house; isolated", WhatTheyWant: "To meet people", ConsentReferral: true, ConsentSharing: true, PersonAware: new(true),
	}
	if err := w.referrals.CreateReferral(w.as(w.referrer), r, p); err != nil {
		t.Fatalf("refer: %v", err)
	}
	return w.accept(t, r, w.linkWorker)
}

// remindedPerson agreed to reminders by text.
func remindedPerson(given string) *linkwork.Person {
	p := newPerson(given, "Okafor")
	p.Contact.Reminders = true
	return p
}

func TestContactsAreCheckedByKind(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		k := w.referAllocated(t, newPerson("Ade", "Okafor"))
		ctx := w.as(w.linkWorker)
		now := w.clock.Now()
		for _, tc := range []struct {
			name  string
			c     linkwork.Contact
			field string // "" when it is recorded
		}{
			{"a call with no answer is an attempt", linkwork.Contact{Mode: linkwork.ContactPhone, Outcome: linkwork.ContactNoAnswer, At: now}, ""},
			{"a message through a parent reaches them", linkwork.Contact{Mode: linkwork.ContactVia, Outcome: linkwork.ContactReached, At: now}, ""},
			{"a letter is an attempt", linkwork.Contact{Kind: linkwork.ContactAttempt, Mode: linkwork.ContactLetter, Outcome: linkwork.ContactMessageLeft, At: now}, ""},
			{"a session at a coded place", linkwork.Contact{Mode: linkwork.ContactFaceToFace, LocationType: "youth_hub", Outcome: linkwork.ContactAttended, At: now, Minutes: 50}, ""},
			{"a session is not by letter", linkwork.Contact{Mode: linkwork.ContactLetter, Outcome: linkwork.ContactAttended, At: now}, "mode"},
			{"an attempt is not face to face", linkwork.Contact{Mode: linkwork.ContactFaceToFace, Outcome: linkwork.ContactNoAnswer, At: now}, "mode"},
			{"an attempt's outcome is not a session's", linkwork.Contact{Kind: linkwork.ContactAttempt, Mode: linkwork.ContactPhone, Outcome: linkwork.ContactAttended, At: now}, "outcome"},
			{"a new session says who cancelled", linkwork.Contact{Mode: linkwork.ContactPhone, Outcome: linkwork.ContactCancelled, At: now}, "outcome"},
			{"a new session's place is coded", linkwork.Contact{Mode: linkwork.ContactFaceToFace, LocationType: "the moon", Outcome: linkwork.ContactAttended, At: now}, "location_type"},
			{"what happened is not in the future", linkwork.Contact{Mode: linkwork.ContactPhone, Outcome: linkwork.ContactAttended, At: now.Add(time.Hour)}, "at"},
			{"a booking is in the future", linkwork.Contact{Mode: linkwork.ContactPhone, Outcome: linkwork.ContactBooked, At: now.Add(-time.Hour)}, "at"},
			{"an unknown kind", linkwork.Contact{Kind: "visit", Mode: linkwork.ContactPhone, Outcome: linkwork.ContactAttended, At: now}, "kind"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := tc.c
				c.CaseID = k.ID
				err := w.cases.AddContact(ctx, &c)
				if tc.field != "" {
					wantField(t, err, tc.field)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if c.Kind != c.Outcome.Kind() || c.Version != 1 {
					t.Fatalf("recorded kind %q version %d", c.Kind, c.Version)
				}
			})
		}
		// An older record's "cancelled" and free-text place stay readable.
		old := &linkwork.Contact{Mode: linkwork.ContactFaceToFace, LocationType: "café", Outcome: linkwork.ContactCancelled, At: now}
		if err := old.Validate(); err != nil {
			t.Fatalf("an older record is invalid to read: %v", err)
		}
		if got := old.Where(); got != "café" {
			t.Fatalf("an older place reads %q", got)
		}
	})
}

func TestFirstContactCountsAttemptsUntilReached(t *testing.T) {
	allocated := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	k := &linkwork.Case{AllocatedAt: allocated}
	s := linkwork.CaseworkSettings{FirstContactDays: 5}
	noAnswer := &linkwork.Contact{Outcome: linkwork.ContactNoAnswer, At: allocated.Add(time.Hour)}
	left := &linkwork.Contact{Outcome: linkwork.ContactMessageLeft, At: allocated.Add(24 * time.Hour)}
	reached := &linkwork.Contact{Outcome: linkwork.ContactReached, At: allocated.Add(48 * time.Hour)}
	for _, tc := range []struct {
		name     string
		contacts []*linkwork.Contact
		now      time.Time
		made     bool
		attempts int
		overdue  bool
	}{
		{"none yet, in time", nil, allocated.Add(24 * time.Hour), false, 0, false},
		{"two tries, in time", []*linkwork.Contact{left, noAnswer}, allocated.Add(72 * time.Hour), false, 2, false},
		{"two tries, late", []*linkwork.Contact{left, noAnswer}, allocated.Add(6 * 24 * time.Hour), false, 2, true},
		{"reached on the third", []*linkwork.Contact{reached, left, noAnswer}, allocated.Add(10 * 24 * time.Hour), true, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := linkwork.FirstContactOf(k, tc.contacts, s, tc.now)
			if f.Made != tc.made || f.Attempts != tc.attempts || f.Overdue != tc.overdue || !f.DueBy.Equal(allocated.Add(5*24*time.Hour)) {
				t.Fatalf("got %+v", f)
			}
			if tc.made && !f.MadeAt.Equal(reached.At) {
				t.Fatalf("made at %v", f.MadeAt)
			}
		})
	}
}

// book books a phone session d ahead on case k.
func (w *world) book(t *testing.T, k *linkwork.Case, d time.Duration) *linkwork.Contact {
	t.Helper()
	c := &linkwork.Contact{CaseID: k.ID, Mode: linkwork.ContactFaceToFace, LocationType: string(linkwork.PlaceCommunityCentre), Outcome: linkwork.ContactBooked, At: w.clock.Now().Add(d)}
	if err := w.cases.AddContact(w.as(w.linkWorker), c); err != nil {
		t.Fatalf("book: %v", err)
	}
	return c
}

func messagesOf(t *testing.T, w *world, k *linkwork.Case) []*linkwork.PersonMessage {
	t.Helper()
	list, err := w.messages.FindMessages(w.as(w.linkWorker), k.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []*linkwork.PersonMessage
	for _, m := range list {
		if m.Kind == linkwork.MessageReminder {
			out = append(out, m)
		}
	}
	return out
}

func TestBookingQueuesAReminderOnlyWhenAgreed(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		agreed := w.referAllocated(t, remindedPerson("Ade"))
		declined := w.referAllocated(t, newPerson("Bea", "Okafor"))
		noText := remindedPerson("Cal")
		noText.Contact.Channels = []linkwork.Channel{linkwork.ChannelPhone}
		callsOnly := w.referAllocated(t, noText)

		booked := w.book(t, agreed, 72*time.Hour)
		got := messagesOf(t, w, agreed)
		if len(got) != 1 {
			t.Fatalf("%d reminders for a person who agreed", len(got))
		}
		m := got[0]
		if m.Channel != linkwork.MessageText || !m.SendAfter.Equal(booked.At.Add(-24*time.Hour)) {
			t.Fatalf("reminder by %s after %v, want text a day before %v", m.Channel, m.SendAfter, booked.At)
		}
		if !strings.Contains(m.Body, "Millbrook Social Prescribing") || !strings.Contains(m.Body, "at the community centre") || strings.Contains(m.Body, "mood") {
			t.Fatalf("reminder reads %q", m.Body)
		}
		// Booked for within a day: it goes at once.
		w.book(t, agreed, 3*time.Hour)
		got = messagesOf(t, w, agreed)
		if len(got) != 2 || !got[0].SendAfter.Equal(w.clock.Now()) && !got[1].SendAfter.Equal(w.clock.Now()) {
			t.Fatalf("a reminder of a session within a day waits: %+v", got)
		}
		for _, k := range []*linkwork.Case{declined, callsOnly} {
			w.book(t, k, 72*time.Hour)
			if got := messagesOf(t, w, k); len(got) != 0 {
				t.Fatalf("%d reminders queued for a person who did not agree or has no channel", len(got))
			}
		}
	})
}

func TestRecordingABookingWithdrawsItsReminder(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		k := w.referAllocated(t, remindedPerson("Ade"))
		ctx := w.as(w.linkWorker)
		c := w.book(t, k, 72*time.Hour)

		_, err := w.cases.RecordSession(ctx, c.ID, c.Version, linkwork.ContactAttended, 45, "")
		wantField(t, err, "outcome") // not happened yet
		_, err = w.cases.RecordSession(ctx, c.ID, c.Version+1, linkwork.ContactCancelledByPerson, 0, "")
		wantCode(t, err, linkwork.ECONFLICT)
		_, err = w.cases.RecordSession(w.as(w.otherWorker), c.ID, c.Version, linkwork.ContactCancelledByPerson, 0, "")
		wantCode(t, err, linkwork.ENOTFOUND)
		_, err = w.cases.RecordSession(w.as(w.safeguarding), c.ID, c.Version, linkwork.ContactCancelledByPerson, 0, "")
		wantCode(t, err, linkwork.EFORBIDDEN)
		_, err = w.cases.RecordSession(ctx, c.ID, c.Version, linkwork.ContactBooked, 0, "")
		wantField(t, err, "outcome")

		got, err := w.cases.RecordSession(ctx, c.ID, c.Version, linkwork.ContactCancelledByPerson, 0, "Exams this week")
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.Outcome != linkwork.ContactCancelledByPerson {
			t.Fatalf("recorded %+v", got)
		}
		if n := len(messagesOf(t, w, k)); n != 0 {
			t.Fatalf("%d reminders left of a cancelled booking", n)
		}
		_, err = w.cases.RecordSession(ctx, c.ID, got.Version, linkwork.ContactAttended, 45, "")
		wantField(t, err, "outcome") // already recorded

		// A booking whose time has come is recorded as attended.
		d := w.book(t, k, 2*time.Hour)
		w.clock.Advance(3 * time.Hour)
		if _, err := w.cases.RecordSession(ctx, d.ID, d.Version, linkwork.ContactAttended, 50, "Talked about football"); err != nil {
			t.Fatal(err)
		}
		contacts, _ := w.cases.FindContacts(ctx, k.ID)
		if linkwork.SessionsAttended(contacts) != 1 {
			t.Fatalf("%d sessions attended", linkwork.SessionsAttended(contacts))
		}
	})
}

func TestLettersWaitToBePrinted(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		p := remindedPerson("Ade")
		p.Address, p.Contact.Channels = "1 Mill Lane, Millbrook", []linkwork.Channel{linkwork.ChannelLetter}
		k := w.referAllocated(t, p)
		w.book(t, k, 2*time.Hour)
		ms := messagesOf(t, w, k)
		if len(ms) != 1 || ms[0].Channel != linkwork.MessageLetter || ms[0].Status() != "To print" {
			t.Fatalf("letter: %+v", ms)
		}
		pending, err := w.messages.PendingMessages(w.sys, 10)
		if err != nil || len(pending) != 0 {
			t.Fatalf("a letter is pending to send: %d, %v", len(pending), err)
		}
		_, err = w.messages.MarkPrinted(w.as(w.otherWorker), ms[0].ID)
		wantCode(t, err, linkwork.ENOTFOUND)
		m, err := w.messages.MarkPrinted(w.as(w.linkWorker), ms[0].ID)
		if err != nil || m.Status() != "Printed" {
			t.Fatalf("printed: %v, %v", m, err)
		}
		_, err = w.messages.MarkPrinted(w.as(w.linkWorker), ms[0].ID)
		wantCode(t, err, linkwork.ECONFLICT)
		_, err = w.messages.PendingMessages(w.as(w.linkWorker), 10)
		wantCode(t, err, linkwork.EFORBIDDEN)
	})
}

// The sending journey, end to end below the web: booking a session with
// text reminders sends exactly one text through GOV.UK Notify once its
// time has come; none when the person declined; and a Notify outage
// never blocks the booking, the reminder going on a later round.
func TestBookedSessionRemindersAreSentThroughNotify(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		fake := notifytest.New(t)
		fake.Now = w.clock.Now
		client, err := notify.NewNotify(notify.NotifyConfig{APIKey: notifytest.APIKey, BaseURL: fake.URL, SMSTemplate: notifytest.SMSTemplate})
		if err != nil {
			t.Fatal(err)
		}
		client.Now = w.clock.Now
		d := &notify.MessageDispatcher{Outbox: w.messages, Sender: &notify.PeopleSender{Notify: client}}
		ctx := context.Background()

		agreed := w.referAllocated(t, remindedPerson("Ade"))
		declined := w.referAllocated(t, newPerson("Bea", "Okafor"))
		w.book(t, agreed, 72*time.Hour)
		w.book(t, declined, 72*time.Hour)

		if res, err := d.DispatchOnce(ctx); err != nil || res.Sent != 0 {
			t.Fatalf("before its time: %+v, %v", res, err)
		}
		w.clock.Advance(48 * time.Hour)
		if res, err := d.DispatchOnce(ctx); err != nil || res.Sent != 1 {
			t.Fatalf("at its time: %+v, %v", res, err)
		}
		if res, err := d.DispatchOnce(ctx); err != nil || res.Sent != 0 {
			t.Fatalf("again: %+v, %v", res, err)
		}
		got := fake.Messages()
		if len(got) != 1 || got[0].Type != "sms" || got[0].To != remindedPerson("Ade").Phone || !strings.Contains(got[0].Personalisation["body"], "reminder of your appointment") {
			t.Fatalf("Notify got %+v", got)
		}
		ms := messagesOf(t, w, agreed)
		if len(ms) != 1 || ms[0].Status() != "Sent" || ms[0].ProviderID != got[0].ID {
			t.Fatalf("outbox: %+v", ms)
		}

		// Notify is down: the booking still succeeds and the reminder goes
		// on a later round.
		fake.Fail(http.StatusInternalServerError)
		w.book(t, agreed, 2*time.Hour)
		if res, err := d.DispatchOnce(ctx); err == nil || res.Failed != 1 {
			t.Fatalf("with Notify down: %+v, %v", res, err)
		}
		ms = messagesOf(t, w, agreed)
		if !strings.Contains(ms[0].Status(), "500") {
			t.Fatalf("a failed try reads %q", ms[0].Status())
		}
		fake.Fail(0)
		if res, err := d.DispatchOnce(ctx); err != nil || res.Sent != 0 {
			t.Fatalf("during the backoff: %+v, %v", res, err)
		}
		w.clock.Advance(2 * time.Minute)
		if res, err := d.DispatchOnce(ctx); err != nil || res.Sent != 1 {
			t.Fatalf("after the backoff: %+v, %v", res, err)
		}
		// Refused connections are a failure like any other.
		fake.Close()
		w.book(t, agreed, 2*time.Hour)
		if res, err := d.DispatchOnce(ctx); err == nil || res.Failed != 1 {
			t.Fatalf("with Notify unreachable: %+v, %v", res, err)
		}
		if n := len(fake.Messages()); n != 2 {
			t.Fatalf("Notify got %d texts in all, want 2", n)
		}
	})
}

func TestTextsWaitWithoutATextService(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		d := &notify.MessageDispatcher{Outbox: w.messages, Sender: &notify.PeopleSender{}}
		k := w.referAllocated(t, remindedPerson("Ade"))
		w.book(t, k, 2*time.Hour)
		if _, err := d.DispatchOnce(context.Background()); err == nil {
			t.Fatal("no error for a text with no service")
		}
		ms := messagesOf(t, w, k)
		if ms[0].Attempts != 0 || !strings.Contains(ms[0].Status(), "no text message service configured") {
			t.Fatalf("status %q after %d tries", ms[0].Status(), ms[0].Attempts)
		}
	})
}

var _ notify.MessageOutbox = (*sqlstore.MessageService)(nil)

func TestClosingACaseWithdrawsItsReminders(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		k := w.referAllocated(t, remindedPerson("Ade"))
		w.book(t, k, 72*time.Hour)
		if n := len(messagesOf(t, w, k)); n != 1 {
			t.Fatalf("%d reminders before closing", n)
		}
		k, err := w.cases.FindCaseByID(w.as(w.linkWorker), k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.cases.CloseCase(w.as(w.linkWorker), k.ID, k.Version, linkwork.CaseClosure{Reason: linkwork.ClosedMovedAway}); err != nil {
			t.Fatal(err)
		}
		if n := len(messagesOf(t, w, k)); n != 0 {
			t.Fatalf("%d reminders of a closed case wait to go", n)
		}
	})
}
