package sqlstore_test

import (
	"reflect"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

func (s *services) referrerFlow() *sqlstore.ReferrerFlowService {
	return sqlstore.NewReferrerFlowService(s.db)
}

// referAt makes a referral for a new person by the referrer, received at
// the time given.
func (w *world) referAt(t *testing.T, by *linkwork.User, given string, at time.Time) *linkwork.Referral {
	t.Helper()
	r := &linkwork.Referral{
		SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
		Reasons: "Low mood", WhatTheyWant: "To meet people", ConsentReferral: true, ConsentSharing: true, PersonAware: new(true),
	}
	if by == w.schoolReferrer {
		r.Pathway = linkwork.PathwaySchool
	}
	if err := w.referrals.CreateReferral(w.as(by), r, newPerson(given, "Flow")); err != nil {
		t.Fatalf("refer %s: %v", given, err)
	}
	if err := w.db.Exec("UPDATE referrals SET received_at = ? WHERE id = ?", at.UTC(), r.ID); err != nil {
		t.Fatal(err)
	}
	return r
}

// The clock reads 10 March 2026, so with three months the flow covers
// January to March 2026, and six quiet weeks run from 27 January, the
// 26 steady weeks before them from 29 July 2025.
//
// The GP referred four times from September to 5 January (declined),
// and not since: gone quiet, with one referral in the months shown, 100%
// declined. The school referred three times since February: one
// accepted and still supported (February), one accepted and closed with
// its goals met and one waiting (March). One walk-in came from no
// organisation in February.
func TestTheReferrersFlow(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }
		for i, at := range []time.Time{day(2025, 9, 15), day(2025, 10, 15), day(2025, 11, 20)} {
			w.referAt(t, w.referrer, "Gp"+string(rune('A'+i)), at)
		}
		declined := w.referAt(t, w.referrer, "Declined", day(2026, 1, 5))
		if _, err := w.referrals.DecideReferral(w.as(w.coordinator), declined.ID, declined.Version, linkwork.ReferralDecision{
			To: linkwork.ReferralDeclined, Reason: "Needs are clinical", OnwardDestination: "Talking therapies", Streetlight: linkwork.StreetlightGreen}); err != nil {
			t.Fatal(err)
		}
		supported := w.referAt(t, w.schoolReferrer, "Supported", day(2026, 2, 10))
		w.accept(t, supported, w.linkWorker)
		closed := w.referAt(t, w.schoolReferrer, "Closed", day(2026, 3, 2))
		k := w.accept(t, closed, w.linkWorker)
		if err := w.db.Exec("UPDATE cases SET status = 'closed', closure_reason = 'goals_met' WHERE id = ?", k.ID); err != nil {
			t.Fatal(err)
		}
		w.referAt(t, w.schoolReferrer, "Waiting", day(2026, 3, 9))
		walkIn := w.referAt(t, w.linkWorker, "Walkin", day(2026, 2, 20))
		if err := w.db.Exec("UPDATE referrals SET referrer_org_id = NULL WHERE id = ?", walkIn.ID); err != nil {
			t.Fatal(err)
		}

		flow := func(t *testing.T, u *linkwork.User) *linkwork.ReferrerFlow {
			t.Helper()
			f, err := w.referrerFlow().ReferrerFlow(w.as(u), linkwork.ReferrerFlowFilter{Months: 3})
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		school := linkwork.ReferrerFlowRow{OrgID: w.school.ID, Name: w.school.Name, Kind: linkwork.OrgSchool,
			ByMonth: []linkwork.FlowCounts{{}, {Referred: 1, Accepted: 1, Supported: 1}, {Referred: 2, Waiting: 1, Accepted: 1, ClosedWell: 1}},
			Total:   linkwork.FlowCounts{Referred: 3, Waiting: 1, Accepted: 2, Supported: 1, ClosedWell: 1}, LastReferral: day(2026, 3, 9), Recent: 3}
		gp := linkwork.ReferrerFlowRow{OrgID: w.gp.ID, Name: w.gp.Name, Kind: linkwork.OrgGPPractice,
			ByMonth: []linkwork.FlowCounts{{Referred: 1, Declined: 1}, {}, {}},
			Total:   linkwork.FlowCounts{Referred: 1, Declined: 1}, LastReferral: day(2026, 1, 5), Quiet: true, Before: 4}
		none := linkwork.ReferrerFlowRow{Name: "No referring organisation",
			ByMonth: []linkwork.FlowCounts{{}, {Referred: 1, Waiting: 1}, {}},
			Total:   linkwork.FlowCounts{Referred: 1, Waiting: 1}, LastReferral: day(2026, 2, 20), Recent: 1}

		t.Run("the coordinator sees every referrer's flow, the quiet GP and its declines, worked by hand", func(t *testing.T) {
			f := flow(t, w.coordinator)
			if want := []string{"2026-01", "2026-02", "2026-03"}; !reflect.DeepEqual(f.Months, want) {
				t.Errorf("months %v, want %v", f.Months, want)
			}
			want := []linkwork.ReferrerFlowRow{school, gp, none}
			if len(f.Referrers) != len(want) {
				t.Fatalf("%d referrers, want %d: %+v", len(f.Referrers), len(want), f.Referrers)
			}
			for i := range want {
				got := f.Referrers[i]
				got.LastReferral = got.LastReferral.UTC()
				if !reflect.DeepEqual(got, want[i]) {
					t.Errorf("referrer %d:\n got %+v\nwant %+v", i, got, want[i])
				}
			}
			if want := (linkwork.FlowCounts{Referred: 5, Waiting: 2, Accepted: 2, Declined: 1, Supported: 1, ClosedWell: 1}); f.Total != want {
				t.Errorf("total %+v, want %+v", f.Total, want)
			}
			if got := f.Referrers[1].Total.DeclinedShare(); got != 100 {
				t.Errorf("the GP's declined share is %v%%, want 100%%", got)
			}
			if got := f.Total.DeclinedShare(); got < 33.3 || got > 33.4 {
				t.Errorf("the service's declined share is %v%%, want a third (1 of 3 decided)", got)
			}
		})

		t.Run("a shorter quiet spell finds the GP still referring steadily", func(t *testing.T) {
			f, err := w.referrerFlow().ReferrerFlow(w.as(w.coordinator), linkwork.ReferrerFlowFilter{Months: 3, QuietWeeks: 10})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range f.Referrers {
				if r.OrgID == w.gp.ID && (r.Quiet || r.Recent != 1 || r.Before != 3) {
					t.Errorf("with ten quiet weeks the GP has %d recent and %d before, quiet %v; want 1, 3, not quiet", r.Recent, r.Before, r.Quiet)
				}
			}
		})

		t.Run("each referrer sees its own flow alone", func(t *testing.T) {
			for u, want := range map[*linkwork.User]linkwork.ReferrerFlowRow{w.referrer: gp, w.schoolReferrer: school} {
				f := flow(t, u)
				if len(f.Referrers) != 1 || f.Referrers[0].OrgID != want.OrgID || f.Total != want.Total {
					t.Errorf("%s sees %+v", u.Name, f.Referrers)
				}
			}
		})

		t.Run("nobody else, and no other service's coordinator, sees it", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.commissioner, w.community, w.safeguarding, w.admin} {
				_, err := w.referrerFlow().ReferrerFlow(w.as(u), linkwork.ReferrerFlowFilter{})
				wantCode(t, err, linkwork.EFORBIDDEN)
			}
			if f := flow(t, w.foreignCoord); len(f.Referrers) != 0 || f.Total.Referred != 0 {
				t.Errorf("another service's coordinator sees %+v", f.Referrers)
			}
		})

		t.Run("months or weeks out of range are named", func(t *testing.T) {
			_, err := w.referrerFlow().ReferrerFlow(w.as(w.coordinator), linkwork.ReferrerFlowFilter{Months: linkwork.MaxFlowMonths + 1})
			wantField(t, err, "months")
			_, err = w.referrerFlow().ReferrerFlow(w.as(w.coordinator), linkwork.ReferrerFlowFilter{QuietWeeks: -1})
			wantField(t, err, "quiet_weeks")
		})
	})
}
