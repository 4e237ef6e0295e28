package sqlstore_test

import (
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

func TestPersonRecord(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		c := w.accept(t, w.refer(t, "Jo", "Young"), w.linkWorker)
		ctx := w.as(w.linkWorker)
		today := linkwork.DateOf(w.clock.Now())

		t.Run("a change to the record keeps a snapshot with who made it", func(t *testing.T) {
			p, err := w.people.FindPersonByID(ctx, c.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			p.Contact.Channels = []linkwork.Channel{linkwork.ChannelText, linkwork.ChannelPhone}
			p.Contact.Reminders, p.Contact.Via = true, "Mum"
			if err := w.people.UpdatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			rec, err := w.people.FindPersonRecord(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.Changes) == 0 || rec.Changes[0].Version != p.Version || rec.Changes[0].ByName != w.linkWorker.Name || rec.Changes[0].What != "record" {
				t.Fatalf("changes %+v, want the latest by %s at version %d", rec.Changes, w.linkWorker.Name, p.Version)
			}
			got, _ := w.people.FindPersonByID(ctx, p.ID)
			if !got.Contact.Reminders || got.Contact.Channels[0] != linkwork.ChannelText {
				t.Fatalf("contact %+v", got.Contact)
			}
			stale := *got
			stale.Version--
			err = w.people.UpdatePerson(ctx, &stale)
			wantCode(t, err, linkwork.ECONFLICT)
			if msg := linkwork.ErrorMessage(err); msg[:36] != "Someone else changed this record sin" {
				t.Fatalf("conflict message %q", msg)
			}
		})

		t.Run("parents and carers are added, changed and removed at the record's version", func(t *testing.T) {
			p, _ := w.people.FindPersonByID(ctx, c.PersonID)
			n := len(p.Guardians)
			_, err := w.people.AddGuardian(ctx, p.ID, p.Version, &linkwork.Guardian{Name: "Kim Young", Relationship: "mother", Involvement: "whenever"})
			wantField(t, err, "involvement")
			_, err = w.people.AddGuardian(ctx, p.ID, p.Version-1, &linkwork.Guardian{Name: "Kim Young", Involvement: linkwork.InvolvementInformed})
			wantCode(t, err, linkwork.ECONFLICT)
			_, err = w.people.AddGuardian(w.as(w.safeguarding), p.ID, p.Version, &linkwork.Guardian{Name: "Kim Young", Involvement: linkwork.InvolvementInformed})
			wantCode(t, err, linkwork.EFORBIDDEN)
			g := &linkwork.Guardian{Name: "Kim Young", Relationship: "mother", HasParentalResponsibility: true, Involvement: linkwork.InvolvementInformed}
			p, err = w.people.AddGuardian(ctx, p.ID, p.Version, g)
			if err != nil || len(p.Guardians) != n+1 || p.Guardians[n].ID != g.ID {
				t.Fatalf("add: %+v %v", p, err)
			}
			g.Involvement = linkwork.InvolvementSessions
			if p, err = w.people.UpdateGuardian(ctx, p.Version, g); err != nil || p.Guardians[n].Involvement != linkwork.InvolvementSessions {
				t.Fatalf("update: %+v %v", p, err)
			}
			_, err = w.people.UpdateGuardian(ctx, p.Version-1, g)
			wantCode(t, err, linkwork.ECONFLICT)
			if p, err = w.people.RemoveGuardian(ctx, g.ID, p.Version); err != nil || len(p.Guardians) != n {
				t.Fatalf("remove: %+v %v", p, err)
			}
			rec, _ := w.people.FindPersonRecord(ctx, p.ID)
			if rec.Changes[0].What != "guardian removed" || rec.Changes[1].What != "guardian changed" || rec.Changes[2].What != "guardian added" {
				t.Fatalf("changes %+v", rec.Changes)
			}
		})

		t.Run("older free-text involvement may stay but not be newly written", func(t *testing.T) {
			p, _ := w.people.FindPersonByID(ctx, c.PersonID)
			p.Guardians = append(p.Guardians, linkwork.Guardian{Name: "Lee Young", Involvement: "only by letter"})
			wantField(t, w.people.UpdatePerson(ctx, p), "guardians["+itoa(len(p.Guardians)-1)+"].involvement")
		})

		t.Run("the team around the person", func(t *testing.T) {
			pr := &linkwork.Professional{PersonID: c.PersonID, Role: "CAMHS", Name: "Dr Ali", Organisation: "Sheffield CAMHS", ConsentToShare: true}
			wantField(t, w.people.AddProfessional(ctx, &linkwork.Professional{PersonID: c.PersonID}), "role")
			if err := w.people.AddProfessional(ctx, pr); err != nil {
				t.Fatal(err)
			}
			pr.Phone = "0114 496 0000"
			if err := w.people.UpdateProfessional(ctx, pr); err != nil || pr.Version != 2 {
				t.Fatalf("update: %v version %d", err, pr.Version)
			}
			stale := *pr
			stale.Version = 1
			wantCode(t, w.people.UpdateProfessional(ctx, &stale), linkwork.ECONFLICT)
			rec, err := w.people.FindPersonRecord(ctx, c.PersonID)
			if err != nil || len(rec.Professionals) != 1 || rec.Professionals[0].Phone != pr.Phone {
				t.Fatalf("team %+v %v", rec, err)
			}
			other := &linkwork.Professional{PersonID: c.PersonID, Role: "School nurse"}
			if err := w.people.AddProfessional(ctx, other); err != nil {
				t.Fatal(err)
			}
			wantCode(t, w.people.RemoveProfessional(ctx, other.ID, 7), linkwork.ECONFLICT)
			if err := w.people.RemoveProfessional(ctx, other.ID, other.Version); err != nil {
				t.Fatal(err)
			}
			_, err = w.people.FindProfessional(ctx, other.ID)
			wantCode(t, err, linkwork.ENOTFOUND)
		})

		t.Run("a competence decision needs its reasoning and is recorded against the signed-in user", func(t *testing.T) {
			_, err := w.people.DecideCompetence(ctx, &linkwork.CompetenceDecision{PersonID: c.PersonID, Competent: true, DecidedOn: today})
			wantField(t, err, "reasoning")
			_, err = w.people.DecideCompetence(ctx, &linkwork.CompetenceDecision{PersonID: c.PersonID, Competent: true, DecidedOn: linkwork.DateOf(w.clock.Now().Add(48 * time.Hour)), Reasoning: "x"})
			wantField(t, err, "decided_on")
			if _, err := w.people.DecideCompetence(ctx, &linkwork.CompetenceDecision{PersonID: c.PersonID, Competent: false, DecidedOn: today, Reasoning: "Not yet sure of the risks", ByUserID: w.coordinator.ID}); err != nil {
				t.Fatal(err)
			}
			w.clock.Advance(time.Minute)
			p, err := w.people.DecideCompetence(ctx, &linkwork.CompetenceDecision{PersonID: c.PersonID, Competent: true, DecidedOn: today, Reasoning: "Understands the support and can weigh it up"})
			if err != nil || p.Competence == nil || !p.Competence.Competent || p.Competence.DecidedBy != w.linkWorker.ID {
				t.Fatalf("decide: %+v %v", p, err)
			}
			rec, _ := w.people.FindPersonRecord(ctx, c.PersonID)
			if len(rec.Competence) != 2 || !rec.Competence[0].Competent || rec.Competence[1].ByUserID != w.linkWorker.ID || rec.Competence[1].ByName != w.linkWorker.Name {
				t.Fatalf("history %+v", rec.Competence)
			}
			got, _ := w.people.FindPersonByID(ctx, c.PersonID)
			if got.Competence == nil || got.Competence.Reasoning != "Understands the support and can weigh it up" || linkwork.DateOf(got.Competence.DecidedAt) != today {
				t.Fatalf("person's competence %+v", got.Competence)
			}
		})

		t.Run("differences between the young person and a parent", func(t *testing.T) {
			wantField(t, w.people.AddDifference(ctx, &linkwork.Difference{PersonID: c.PersonID, On: today, Differs: "Mum wants to come"}), "agreed")
			d := &linkwork.Difference{PersonID: c.PersonID, On: today, Differs: "Mum wants to come to sessions", Agreed: "Mum joins the last ten minutes"}
			if err := w.people.AddDifference(ctx, d); err != nil {
				t.Fatal(err)
			}
			rec, _ := w.people.FindPersonRecord(ctx, c.PersonID)
			if len(rec.Differences) != 1 || rec.Differences[0].Agreed != d.Agreed || rec.Differences[0].ByName != w.linkWorker.Name {
				t.Fatalf("differences %+v", rec.Differences)
			}
		})

		t.Run("what matters and needs by domain", func(t *testing.T) {
			a := linkwork.CaseAbout{Version: c.Version, WhatMatters: "Getting back to football", Needs: "Feels left out",
				NeedDomains: []linkwork.CaseNeed{{Domain: linkwork.NeedLoneliness, Words: "nobody to hang out with"}, {Domain: linkwork.NeedActivity}}, Plan: "Football club", PlannedSessions: 6}
			bad := a
			bad.NeedDomains = []linkwork.CaseNeed{{Domain: "astrology"}}
			_, err := w.cases.UpdateCaseAbout(ctx, c.ID, bad)
			wantField(t, err, "need_domains")
			got, err := w.cases.UpdateCaseAbout(ctx, c.ID, a)
			if err != nil || got.Version != c.Version+1 || got.Status != c.Status || got.WhatMatters != a.WhatMatters {
				t.Fatalf("about: %+v %v", got, err)
			}
			_, err = w.cases.UpdateCaseAbout(ctx, c.ID, a)
			wantCode(t, err, linkwork.ECONFLICT)
			needs, err := w.cases.FindCaseNeeds(ctx, c.ID)
			if err != nil || len(needs) != 2 || needs[0].Domain != linkwork.NeedLoneliness || needs[0].Words != "nobody to hang out with" {
				t.Fatalf("needs %+v %v", needs, err)
			}
			_, err = w.cases.UpdateCaseAbout(w.as(w.otherWorker), c.ID, linkwork.CaseAbout{Version: got.Version})
			wantCode(t, err, linkwork.ENOTFOUND)
		})

		t.Run("referrers, community organisations and other services see none of it", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.referrer, w.community, w.commissioner, w.admin, w.foreignCoord} {
				_, err := w.people.FindPersonRecord(w.as(u), c.PersonID)
				wantCode(t, err, linkwork.ENOTFOUND)
				wantCode(t, w.people.AddDifference(w.as(u), &linkwork.Difference{PersonID: c.PersonID, On: today, Differs: "a", Agreed: "b"}), linkwork.ENOTFOUND)
			}
			if _, err := w.people.FindPersonRecord(w.as(w.safeguarding), c.PersonID); err != nil {
				t.Fatalf("the safeguarding lead reads the record: %v", err)
			}
		})
	})
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
