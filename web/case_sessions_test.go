package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// activeCase returns an active case of the demo link worker.
func (f *fixture) activeCase(t *testing.T) string {
	t.Helper()
	status, body := f.api(linkwork.RoleLinkWorker, "GET", "/api/v1/cases?status=active&limit=100", "")
	var out struct {
		Items []struct {
			ID           string `json:"id"`
			LinkWorkerID string `json:"link_worker_id"`
		} `json:"items"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &out) != nil {
		t.Fatalf("cases: %d %s", status, body)
	}
	for _, c := range out.Items {
		if c.LinkWorkerID == f.users[linkwork.RoleLinkWorker].ID {
			return c.ID
		}
	}
	t.Fatal("the demo link worker has no active case")
	return ""
}

func TestContactsAPI(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		id := f.activeCase(t)
		lw := linkwork.RoleLinkWorker
		base := "/api/v1/cases/" + id + "/contacts"
		now := time.Now().UTC()

		status, body := f.api(lw, "POST", base, fmt.Sprintf(`{"at":%q,"mode":"phone","outcome":"no_answer"}`, now.Add(-time.Hour).Format(time.RFC3339)))
		if status != http.StatusCreated || !strings.Contains(body, `"kind": "attempt"`) {
			t.Fatalf("attempt: %d %s", status, body)
		}
		status, body = f.api(lw, "POST", base, fmt.Sprintf(`{"at":%q,"mode":"letter","outcome":"attended"}`, now.Format(time.RFC3339)))
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `"field": "mode"`) {
			t.Fatalf("a session by letter: %d %s", status, body)
		}
		status, body = f.api(lw, "POST", base, `{"mode":"phone","outcome":"attended","colour":"red"}`)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `"field": "colour"`) {
			t.Fatalf("an unknown field: %d %s", status, body)
		}
		status, body = f.api(lw, "POST", base, fmt.Sprintf(`{"at":%q,"mode":"face_to_face","location_type":"youth_hub","outcome":"booked"}`, now.Add(72*time.Hour).Format(time.RFC3339)))
		var booked struct {
			ID      string `json:"id"`
			Version int    `json:"version"`
		}
		if status != http.StatusCreated || json.Unmarshal([]byte(body), &booked) != nil {
			t.Fatalf("booking: %d %s", status, body)
		}
		if status, body := f.api(lw, "GET", base, ""); status != 200 || !strings.Contains(body, booked.ID) {
			t.Fatalf("list: %d %s", status, body)
		}
		put := "/api/v1/contacts/" + booked.ID
		if status, body := f.api(lw, "PUT", put, `{"version":9,"outcome":"cancelled_by_person"}`); status != http.StatusConflict {
			t.Fatalf("stale: %d %s", status, body)
		}
		if status, body := f.api(lw, "PUT", put, `{"version":1,"outcome":"attended","minutes":40}`); status != http.StatusUnprocessableEntity || !strings.Contains(body, `"field": "outcome"`) {
			t.Fatalf("attended before it happened: %d %s", status, body)
		}
		if status, body := f.api(linkwork.RoleSafeguarding, "PUT", put, `{"version":1,"outcome":"cancelled_by_person"}`); status != http.StatusForbidden && status != http.StatusNotFound {
			t.Fatalf("safeguarding lead records a session: %d %s", status, body)
		}
		if status, body := f.api(lw, "PUT", put, `{"version":1,"outcome":"cancelled_by_person","notes":"Exams"}`); status != 200 || !strings.Contains(body, `"version": 2`) {
			t.Fatalf("cancel: %d %s", status, body)
		}
		if status, body := f.api(lw, "GET", "/api/v1/cases/"+id+"/messages", ""); status != 200 || !strings.Contains(body, `"items"`) {
			t.Fatalf("messages: %d %s", status, body)
		}
	})
}

func TestCasePageRecordsContactsAndBookings(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		id := f.activeCase(t)
		c := f.clients[linkwork.RoleLinkWorker]
		post := func(form url.Values) (int, string, http.Header) {
			return f.do(c, "POST", "/cases/"+id+"/contacts", "application/x-www-form-urlencoded", form.Encode(), nil)
		}
		uk, _ := time.LoadLocation("Europe/London")
		yesterday := time.Now().In(uk).AddDate(0, 0, -1)
		next := time.Now().In(uk).AddDate(0, 0, 7)
		day := func(prefix string, t time.Time) url.Values {
			return url.Values{prefix + "-date-day": {fmt.Sprint(t.Day())}, prefix + "-date-month": {fmt.Sprint(int(t.Month()))}, prefix + "-date-year": {fmt.Sprint(t.Year())}}
		}
		for _, tc := range []struct {
			name   string
			form   url.Values
			status int
			says   string
		}{
			{"an attempt without its details", url.Values{"form": {"attempt"}}, 422, `href="#attempt-date"`},
			{"a time that is not one", merge(day("attempt", yesterday), url.Values{"form": {"attempt"}, "attempt-time": {"25:00"}, "attempt-mode": {"phone"}, "attempt-outcome": {"no_answer"}}), 422, `href="#attempt-time"`},
			{"an attempt face to face", merge(day("attempt", yesterday), url.Values{"form": {"attempt"}, "attempt-time": {"10:00"}, "attempt-mode": {"face_to_face"}, "attempt-outcome": {"no_answer"}}), 422, `href="#attempt-mode"`},
			{"a booking in the past", merge(day("book", yesterday), url.Values{"form": {"book"}, "book-time": {"4pm"}, "book-mode": {"phone"}}), 422, `href="#book-date"`},
			{"an attempt", merge(day("attempt", yesterday), url.Values{"form": {"attempt"}, "attempt-time": {"10:00"}, "attempt-mode": {"via_someone"}, "attempt-outcome": {"message_left"}}), 303, "done=attempt"},
			{"a session", merge(day("session", yesterday), url.Values{"form": {"session"}, "session-time": {"2:30pm"}, "session-minutes": {"45"}, "session-mode": {"face_to_face"}, "session-location_type": {"school"}, "session-outcome": {"attended"}}), 303, "done=session"},
			{"a booking", merge(day("book", next), url.Values{"form": {"book"}, "book-time": {"4pm"}, "book-mode": {"face_to_face"}, "book-location_type": {"leisure_centre"}}), 303, "done=booked"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				status, body, hdr := post(tc.form)
				if status != tc.status || !strings.Contains(body+hdr.Get("Location"), tc.says) {
					t.Fatalf("status %d, want %d saying %q; location %q body %.2000s", status, tc.status, tc.says, hdr.Get("Location"), body)
				}
			})
		}
		status, body, _ := f.do(c, "GET", "/cases/"+id, "", "", nil)
		if status != 200 || !strings.Contains(body, "Sessions so far") || !strings.Contains(body, "Leisure centre") || !strings.Contains(body, "Through a parent, partner or carer") {
			t.Fatalf("case page: %d", status)
		}
		// The booking is recorded from the page: its record form names it.
		contacts, err := f.services.Cases.FindContacts(linkwork.NewContext(t.Context(), f.users[linkwork.RoleLinkWorker].Actor()), id)
		if err != nil {
			t.Fatal(err)
		}
		var b *linkwork.Contact
		for _, x := range contacts {
			if x.Outcome == linkwork.ContactBooked {
				b = x
			}
		}
		if b == nil || !strings.Contains(body, "/contacts/"+b.ID+"/record") {
			t.Fatal("the booking has no record form")
		}
		rec := func(v url.Values) (int, string, http.Header) {
			return f.do(c, "POST", "/cases/"+id+"/contacts/"+b.ID+"/record", "application/x-www-form-urlencoded", v.Encode(), nil)
		}
		if status, body, _ := rec(url.Values{"version": {"1"}, "record-outcome": {"attended"}}); status != 422 || !strings.Contains(body, `href="#record-outcome"`) {
			t.Fatalf("attended in the future: %d", status)
		}
		if status, _, _ := rec(url.Values{"version": {"7"}, "record-outcome": {"cancelled_by_service"}}); status != http.StatusConflict {
			t.Fatalf("stale: %d", status)
		}
		if status, _, hdr := rec(url.Values{"version": {"1"}, "record-outcome": {"cancelled_by_service"}}); status != 303 || !strings.Contains(hdr.Get("Location"), "done=recorded") {
			t.Fatalf("cancel: %d", status)
		}
	})
}

func merge(vs ...url.Values) url.Values {
	out := url.Values{}
	for _, v := range vs {
		for k, x := range v {
			out[k] = x
		}
	}
	return out
}

func TestLettersArePrintedFromTheCase(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		id := f.activeCase(t)
		lw := f.users[linkwork.RoleLinkWorker]
		ctx := linkwork.NewContext(t.Context(), lw.Actor())
		k, err := f.services.Cases.FindCaseByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.services.People.FindPersonByID(ctx, k.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		p.Address, p.Contact.Channels, p.Contact.Reminders = "1 Mill Lane, Millbrook", []linkwork.Channel{linkwork.ChannelLetter}, true
		if err := f.services.People.UpdatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		b := &linkwork.Contact{CaseID: id, Mode: linkwork.ContactPhone, Outcome: linkwork.ContactBooked, At: time.Now().Add(96 * time.Hour)}
		if err := f.services.Cases.AddContact(ctx, b); err != nil {
			t.Fatal(err)
		}
		ms, err := f.services.Messages.FindMessages(ctx, id)
		if err != nil || len(ms) == 0 || ms[0].Channel != linkwork.MessageLetter {
			t.Fatalf("no letter queued: %v %v", ms, err)
		}
		letter := "/cases/" + id + "/messages/" + ms[0].ID
		c := f.clients[linkwork.RoleLinkWorker]
		status, body, _ := f.do(c, "GET", letter+"/letter", "", "", nil)
		if status != 200 || !strings.Contains(body, "1 Mill Lane, Millbrook") || !strings.Contains(body, "reminder of your appointment") || !strings.Contains(body, "by phone") {
			t.Fatalf("letter page: %d", status)
		}
		if status, _, _ := f.do(c, "GET", "/cases/"+id+"/messages/00000000-0000-4000-8000-000000000000/letter", "", "", nil); status != 404 {
			t.Fatalf("no such letter: %d", status)
		}
		if status, _, hdr := f.do(c, "POST", letter+"/printed", "application/x-www-form-urlencoded", "", nil); status != 303 || !strings.Contains(hdr.Get("Location"), "done=printed") {
			t.Fatalf("mark printed: %d", status)
		}
		if status, body, _ := f.do(c, "POST", letter+"/printed", "application/x-www-form-urlencoded", "", nil); status != http.StatusConflict || !strings.Contains(body, "already marked printed") {
			t.Fatalf("printed twice: %d", status)
		}
		if _, body, _ := f.do(c, "GET", "/cases/"+id, "", "", nil); !strings.Contains(body, "Printed") {
			t.Fatal("the outbox does not show the letter printed")
		}
	})
}
