package sqlstore_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

func (s *services) evidence() *sqlstore.GroupEvidenceService {
	return sqlstore.NewGroupEvidenceService(s.db)
}

// The clock reads 10 March 2026: three months are January to March.
// Northfield Boxing Club runs Youth Boxing and Girls' Boxing. In March
// the service connected six 15-year-olds to Youth Boxing: Ann, Ben, Cal
// and Dee referred and still going, Eve referred, went, then stopped,
// and Fay only given the details; Ann was also given Girls' Boxing's
// details, and counts once. In February an adult, Gus, was referred and
// accepted, and has not been yet. Ann to Dee liked it; Eve's view was
// mixed.
//
// Everyone: 7 connected, 6 referred, 5 went, 4 still going (fewer than
// 5). By month: January none; February 1 and 1 (fewer than 5), so March's
// 6 connected and 5 referred are withheld with them; March's 5 went are
// shown; its 4 still going are fewer than 5, the only small count of
// that column with nothing else above 0 to withhold. The age bands are
// the same: 13 to 15 as March, 26 and over as February. Views: 4 liked
// it and 1 mixed, both fewer than 5; 5 people said.
func TestTheEvidencePackOfAGroup(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		lwCtx := w.as(w.linkWorker)
		youth, girls := newAsset(w.vcs, "Youth Boxing"), newAsset(w.vcs, "Girls' Boxing")
		for _, a := range []*linkwork.Asset{youth, girls} {
			if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
				t.Fatal(err)
			}
		}
		connect := func(k *linkwork.Case, a *linkwork.Asset, level linkwork.ConnectionLevel, status linkwork.ConnectionStatus) *linkwork.Connection {
			t.Helper()
			c := &linkwork.Connection{CaseID: k.ID, AssetID: a.ID, Level: level}
			if err := w.connections.CreateConnection(lwCtx, c); err != nil {
				t.Fatal(err)
			}
			if err := w.db.Exec("UPDATE connections SET status = ? WHERE id = ?", string(status), c.ID); err != nil {
				t.Fatal(err)
			}
			return c
		}
		view := func(c *linkwork.Connection, v linkwork.PersonView) {
			t.Helper()
			if err := w.db.Exec("INSERT INTO connection_views (connection_id, case_id, asset_id, person_view, why, at) VALUES (?, ?, ?, ?, 'Said so', ?)",
				c.ID, c.CaseID, c.AssetID, string(v), w.clock.Now().UTC()); err != nil {
				t.Fatal(err)
			}
		}
		for i, name := range []string{"Ann", "Ben", "Cal", "Dee"} {
			k := w.accept(t, w.refer(t, name, "Boxer"), w.linkWorker)
			c := connect(k, youth, linkwork.LevelRefer, linkwork.ConnContinuing)
			view(c, linkwork.ViewLikedIt)
			if i == 0 {
				connect(k, girls, linkwork.LevelSignpost, linkwork.ConnSuggested)
			}
		}
		eve := w.accept(t, w.refer(t, "Eve", "Boxer"), w.linkWorker)
		ec := connect(eve, youth, linkwork.LevelRefer, linkwork.ConnDropped)
		if err := w.db.Exec("INSERT INTO connection_moves (id, connection_id, case_id, from_status, to_status, at) VALUES (?, ?, ?, 'accepted', 'attended', ?)",
			"move-eve", ec.ID, eve.ID, w.clock.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		view(ec, linkwork.ViewMixed)
		connect(w.accept(t, w.refer(t, "Fay", "Boxer"), w.linkWorker), youth, linkwork.LevelSignpost, linkwork.ConnSuggested)
		gusRef := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
			Reasons: "Low mood", WhatTheyWant: "To get fit", ConsentReferral: true, ConsentSharing: true, PersonAware: new(true)}
		if err := w.referrals.CreateReferral(w.as(w.referrer), gusRef, adult("Gus", "Boxer")); err != nil {
			t.Fatal(err)
		}
		gus := connect(w.accept(t, gusRef, w.linkWorker), youth, linkwork.LevelRefer, linkwork.ConnAccepted)
		if err := w.db.Exec("UPDATE connections SET created_at = ? WHERE id = ?", time.Date(2026, 2, 10, 10, 0, 0, 0, time.UTC), gus.ID); err != nil {
			t.Fatal(err)
		}

		shown := func(n int) linkwork.GroupFigure { return linkwork.GroupFigure{N: n} }
		small := linkwork.GroupFigure{Hidden: linkwork.Small}
		withheld := linkwork.GroupFigure{Hidden: linkwork.Withheld}
		row := func(key, label string, figs ...linkwork.GroupFigure) linkwork.GroupEvidenceRow {
			return linkwork.GroupEvidenceRow{Key: key, Label: label, Connected: figs[0], Referred: figs[1], Attended: figs[2], StillGoing: figs[3]}
		}
		want := &linkwork.GroupEvidence{
			OrgID: w.vcs.ID, OrgName: w.vcs.Name, Months: []string{"2026-01", "2026-02", "2026-03"},
			All: row("", "Everyone", shown(7), shown(6), shown(5), small),
			ByMonth: []linkwork.GroupEvidenceRow{
				row("2026-01", "2026-01", shown(0), shown(0), shown(0), shown(0)),
				row("2026-02", "2026-02", small, small, shown(0), shown(0)),
				row("2026-03", "2026-03", withheld, withheld, shown(5), small),
			},
			ByAgeBand: []linkwork.GroupEvidenceRow{
				row("13-15", "13 to 15", withheld, withheld, shown(5), small),
				row("26-plus", "26 and over", small, small, shown(0), shown(0)),
			},
			Views: []linkwork.GroupView{{View: linkwork.ViewLikedIt, People: small}, {View: linkwork.ViewNotForMe, People: shown(0)}, {View: linkwork.ViewMixed, People: small}},
			Said:  shown(5),
		}
		pack := func(t *testing.T, u *linkwork.User, org string) (*linkwork.GroupEvidence, error) {
			t.Helper()
			return w.evidence().GroupEvidence(w.as(u), linkwork.GroupEvidenceFilter{OrgID: org, Months: 3})
		}

		t.Run("the pack, worked by hand, is the same for the group and the coordinator", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.community, w.coordinator} {
				got, err := pack(t, u, w.vcs.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("as %s:\n got %s\nwant %s", u.Name, fmt.Sprintf("%+v", *got), fmt.Sprintf("%+v", *want))
				}
			}
		})

		t.Run("another group's pack is not found by a group, nor one that does not exist", func(t *testing.T) {
			_, err := pack(t, w.community, w.otherVCS.ID)
			wantCode(t, err, linkwork.ENOTFOUND)
			_, err = pack(t, w.coordinator, "no-such-org")
			wantCode(t, err, linkwork.ENOTFOUND)
		})

		t.Run("another service's coordinator counts only their own service's connections", func(t *testing.T) {
			got, err := pack(t, w.foreignCoord, w.vcs.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.All.Connected != shown(0) || got.Said != shown(0) {
				t.Errorf("they see %+v", got.All)
			}
		})

		t.Run("nobody else reads a pack", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.referrer, w.commissioner, w.admin, w.safeguarding} {
				_, err := pack(t, u, w.vcs.ID)
				wantCode(t, err, linkwork.EFORBIDDEN)
			}
		})

		t.Run("months out of range are named", func(t *testing.T) {
			_, err := w.evidence().GroupEvidence(w.as(w.coordinator), linkwork.GroupEvidenceFilter{OrgID: w.vcs.ID, Months: 99})
			wantField(t, err, "months")
		})

		t.Run("the groups whose packs each reader may open", func(t *testing.T) {
			for u, want := range map[*linkwork.User][]string{w.coordinator: {w.vcs.ID}, w.community: {w.vcs.ID}, w.foreignCoord: nil} {
				orgs, err := w.evidence().EvidenceGroups(w.as(u))
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, o := range orgs {
					got = append(got, o.ID)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s may open %v, want %v", u.Name, got, want)
				}
			}
		})
	})
}
