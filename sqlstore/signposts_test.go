package sqlstore_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

func TestGivingAnActivitysDetails(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		walk := newAsset(w.vcs, "Woodhouse Moor Walk")
		walk.Phone = "0113 496 0000"
		if err := w.assets.CreateAsset(w.as(w.coordinator), walk); err != nil {
			t.Fatal(err)
		}
		k := w.accept(t, w.refer(t, "Ada", "Marsh"), w.linkWorker)
		ctx := w.as(w.linkWorker)
		connect := func(level linkwork.ConnectionLevel) *linkwork.Connection {
			t.Helper()
			c := &linkwork.Connection{CaseID: k.ID, AssetID: walk.ID, Level: level}
			if err := w.connections.CreateConnection(ctx, c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		sent := func() *linkwork.ConnectionDetails { return &linkwork.ConnectionDetails{Way: linkwork.DetailsSent} }
		sign := connect(linkwork.LevelSignpost)

		t.Run("only those who work the case give the details", func(t *testing.T) {
			for _, tt := range []struct {
				name string
				as   *linkwork.User
				code string
			}{
				{"another link worker does not see the case", w.otherWorker, linkwork.ENOTFOUND},
				{"the referrer does not see the connection", w.referrer, linkwork.ENOTFOUND},
				{"a safeguarding lead reads but does not work it", w.safeguarding, linkwork.EFORBIDDEN},
			} {
				t.Run(tt.name, func(t *testing.T) {
					_, err := w.connections.GiveDetails(w.as(tt.as), sign.ID, sent())
					wantCode(t, err, tt.code)
				})
			}
		})
		t.Run("a way must be sent or handed", func(t *testing.T) {
			for _, way := range []linkwork.DetailsWay{"", "carrier_pigeon"} {
				_, err := w.connections.GiveDetails(ctx, sign.ID, &linkwork.ConnectionDetails{Way: way})
				wantField(t, err, "way")
			}
		})
		t.Run("sent details go to the person's outbox by their chosen way", func(t *testing.T) {
			m, err := w.connections.GiveDetails(ctx, sign.ID, sent())
			if err != nil {
				t.Fatal(err)
			}
			if m == nil || m.Kind != linkwork.MessageActivity || m.Channel != linkwork.MessageText || !strings.Contains(m.Body, "Woodhouse Moor Walk") || !strings.Contains(m.Body, "0113 496 0000") || !strings.Contains(m.Body, "Hello Ada") {
				t.Fatalf("message %+v", m)
			}
			msgs, err := w.messages.FindMessages(ctx, k.ID)
			if err != nil || !slices.ContainsFunc(msgs, func(x *linkwork.PersonMessage) bool { return x.ID == m.ID }) {
				t.Fatalf("the outbox %v does not hold the details: %v", msgs, err)
			}
		})
		t.Run("handed details queue nothing, and the printable text is the same", func(t *testing.T) {
			w.clock.Advance(time.Minute)
			m, err := w.connections.GiveDetails(ctx, sign.ID, &linkwork.ConnectionDetails{Way: linkwork.DetailsHanded})
			if err != nil || m != nil {
				t.Fatalf("handed: message %+v, %v", m, err)
			}
			d, err := w.connections.ActivityDetails(ctx, sign.ID)
			if err != nil || d.CaseID != k.ID || !strings.Contains(d.Body, "Woodhouse Moor Walk") {
				t.Fatalf("details %+v, %v", d, err)
			}
			_, err = w.connections.ActivityDetails(w.as(w.otherWorker), sign.ID)
			wantCode(t, err, linkwork.ENOTFOUND)
		})
		t.Run("the details given show in the case's history, oldest first, and are audited", func(t *testing.T) {
			got, err := w.connections.FindConnectionDetails(ctx, k.ID)
			if err != nil || len(got) != 2 || got[0].Way != linkwork.DetailsSent || got[0].MessageID == "" || got[1].Way != linkwork.DetailsHanded || got[1].ByName != w.linkWorker.Name {
				t.Fatalf("details %+v, %v", got, err)
			}
			if got, err := w.connections.FindConnectionDetails(w.as(w.community), k.ID); err != nil || len(got) != 0 {
				t.Fatalf("the group reads %d, %v", len(got), err)
			}
			if acts := auditedActions(t, w, sign.ID); !slices.Contains(acts, "connection.details by "+w.linkWorker.ID) {
				t.Fatalf("audit %v", acts)
			}
		})
		t.Run("a person with no way a message can take is given printed details", func(t *testing.T) {
			p, err := w.people.FindPersonByID(ctx, k.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			p.Contact.Channels = []linkwork.Channel{linkwork.ChannelPhone}
			if err := w.people.UpdatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			_, err = w.connections.GiveDetails(ctx, sign.ID, sent())
			wantField(t, err, "way")
			p, _ = w.people.FindPersonByID(ctx, k.PersonID)
			p.Contact.Channels = []linkwork.Channel{linkwork.ChannelText}
			if err := w.people.UpdatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("an ended connection takes no details", func(t *testing.T) {
			c := connect(linkwork.LevelSignpost)
			if _, err := w.connections.MoveConnection(ctx, c.ID, linkwork.ConnectionMove{To: linkwork.ConnDropped, Reason: "Changed her mind", Version: c.Version}); err != nil {
				t.Fatal(err)
			}
			_, err := w.connections.GiveDetails(ctx, c.ID, sent())
			wantField(t, err, "way")
		})
	})
}

func TestCaseloadAsksWhetherASignpostedPersonWent(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.setCasework(t, linkwork.CaseworkSettings{SignpostCheckDays: 10})
		walk := newAsset(w.vcs, "Woodhouse Moor Walk")
		if err := w.assets.CreateAsset(w.as(w.coordinator), walk); err != nil {
			t.Fatal(err)
		}
		k := w.accept(t, w.refer(t, "Ada", "Marsh"), w.linkWorker)
		ctx := w.as(w.linkWorker)
		asks := func() bool {
			t.Helper()
			items, err := w.alloc().Caseload(ctx, linkwork.CaseloadQuery{})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if it.Case.ID == k.ID {
					return slices.Contains(it.Overdue, linkwork.OverdueSignpost)
				}
			}
			t.Fatalf("the case is not on the caseload")
			return false
		}
		buddy := &linkwork.Connection{CaseID: k.ID, AssetID: walk.ID, Level: linkwork.LevelBuddy}
		sign := &linkwork.Connection{CaseID: k.ID, AssetID: walk.ID, Level: linkwork.LevelSignpost}
		for _, c := range []*linkwork.Connection{buddy, sign} {
			if err := w.connections.CreateConnection(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		steps := []struct {
			name string
			do   func()
			want bool
		}{
			{"a signpost on the shortlist, its details not yet given: nothing to ask", func() { w.clock.Advance(30 * 24 * time.Hour) }, false},
			{"details of a buddied activity given: the link worker goes with them, nothing to ask", func() {
				if _, err := w.connections.GiveDetails(ctx, buddy.ID, &linkwork.ConnectionDetails{Way: linkwork.DetailsHanded}); err != nil {
					t.Fatal(err)
				}
				w.clock.Advance(30 * 24 * time.Hour)
			}, false},
			{"the signpost's details given today: not yet", func() {
				if _, err := w.connections.GiveDetails(ctx, sign.ID, &linkwork.ConnectionDetails{Way: linkwork.DetailsSent}); err != nil {
					t.Fatal(err)
				}
			}, false},
			{"nine days on: not yet", func() { w.clock.Advance(9 * 24 * time.Hour) }, false},
			{"the service's ten days on: ask whether they went", func() { w.clock.Advance(24 * time.Hour) }, true},
			{"they went: nothing to ask", func() {
				if _, err := w.connections.MoveConnection(ctx, sign.ID, linkwork.ConnectionMove{To: linkwork.ConnAttended, Version: sign.Version}); err != nil {
					t.Fatal(err)
				}
			}, false},
		}
		for _, s := range steps {
			s.do()
			if got := asks(); got != s.want {
				t.Fatalf("%s: asks %v, want %v", s.name, got, s.want)
			}
		}
	})
}
