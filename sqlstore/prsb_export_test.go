package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// prsbRows reads one part of a PRSB report as rows by column name, keyed
// by the cells of its key columns joined.
func prsbRows(t *testing.T, e *linkwork.PRSBExport, part string, key ...string) map[string]exportRow {
	t.Helper()
	for _, tb := range e.Tables {
		if tb.Part != part {
			continue
		}
		out := map[string]exportRow{}
		for _, cells := range tb.Rows {
			if len(cells) != len(tb.Header) {
				t.Fatalf("%s: a row has %d cells for %d columns: %q", part, len(cells), len(tb.Header), cells)
			}
			row := exportRow{}
			for i, c := range cells {
				row[tb.Header[i]] = c
			}
			var k []string
			for _, col := range key {
				k = append(k, row[col])
			}
			out[strings.Join(k, "/")] = row
		}
		return out
	}
	t.Fatalf("the report has no part %s", part)
	return nil
}

func TestThePRSBReport(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		lwCtx := w.as(w.linkWorker)
		// Ann, referred by the GP, is supported: a session face to face,
		// one by phone, one missed; an activity; a need about loneliness
		// and one about money; a concern; WEMWBS 40 then 52; ONS4 twice.
		ann := adult("Ann", "Abel")
		ann.Gender, ann.Ethnicity, ann.Postcode = "woman", "White: Irish", "S2 4QX"
		r := &linkwork.Referral{
			SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
			Reasons: "Lonely since her husband died", WhatTheyWant: "To meet people", ConsentReferral: true, ConsentSharing: true, PersonAware: new(true),
		}
		if err := w.referrals.CreateReferral(w.as(w.referrer), r, ann); err != nil {
			t.Fatal(err)
		}
		k := w.accept(t, r, w.linkWorker)
		for _, c := range []linkwork.Contact{
			{Mode: linkwork.ContactFaceToFace, Outcome: linkwork.ContactAttended}, {Mode: linkwork.ContactPhone, Outcome: linkwork.ContactAttended}, {Mode: linkwork.ContactFaceToFace, Outcome: linkwork.ContactDNA},
		} {
			c.CaseID, c.At, c.Minutes, c.Notes = k.ID, w.clock.Now(), 30, "Talked about her garden"
			if err := w.cases.AddContact(lwCtx, &c); err != nil {
				t.Fatal(err)
			}
		}
		boxing := newAsset(w.vcs, "Youth Boxing")
		if err := w.assets.CreateAsset(w.as(w.coordinator), boxing); err != nil {
			t.Fatal(err)
		}
		conn := &linkwork.Connection{CaseID: k.ID, AssetID: boxing.ID, Level: linkwork.LevelRefer, Note: "Nervous about groups"}
		if err := w.connections.CreateConnection(lwCtx, conn); err != nil {
			t.Fatal(err)
		}
		if err := w.db.Exec("UPDATE connections SET status = ? WHERE id = ?", string(linkwork.ConnContinuing), conn.ID); err != nil {
			t.Fatal(err)
		}
		for i, d := range []linkwork.NeedDomain{linkwork.NeedLoneliness, linkwork.NeedMoney} {
			if err := w.db.Exec("INSERT INTO case_needs (case_id, domain, words, position) VALUES (?, ?, ?, ?)", k.ID, string(d), "In her own words", i); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.db.Exec(`INSERT INTO concerns (id, service_org_id, referral_id, case_id, category, description, immediate_action, safe_now, status, raised_by, raised_at)
VALUES ('concern-ann', ?, ?, ?, ?, 'What was said', 'What was done', 'yes', 'open', ?, ?)`, w.service.ID, r.ID, k.ID, string(linkwork.ConcernBullying), w.linkWorker.ID, w.clock.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		first := w.clock.Now().AddDate(0, -2, 0)
		for i, total := range []int{40, 52} {
			m := &linkwork.MeasureResponse{CaseID: k.ID, Instrument: linkwork.InstrumentWEMWBS, Timepoint: linkwork.TimepointBaseline, Answers: wemwbsOf(total), At: first.AddDate(0, 0, 45*i)}
			if i > 0 {
				m.Timepoint = linkwork.TimepointReview
			}
			if err := w.measures.RecordMeasure(lwCtx, m); err != nil {
				t.Fatal(err)
			}
		}
		for i, items := range [][]*int{{new(4), new(5), new(3), new(8)}, {new(7), new(7), nil, new(3)}} {
			m := &linkwork.MeasureResponse{CaseID: k.ID, Instrument: linkwork.InstrumentONS4, Timepoint: linkwork.TimepointBaseline, Answers: items, At: first.AddDate(0, 0, 45*i)}
			if i > 0 {
				m.Timepoint = linkwork.TimepointReview
			}
			if err := w.measures.RecordMeasure(lwCtx, m); err != nil {
				t.Fatal(err)
			}
		}
		// Ben is declined; Cal said no to evaluation.
		ben := w.refer(t, "Ben", "Bell")
		if _, err := w.referrals.DecideReferral(w.as(w.coordinator), ben.ID, ben.Version, linkwork.ReferralDecision{
			To: linkwork.ReferralDeclined, Reason: "Needs are clinical", OnwardDestination: "Talking therapies", Streetlight: linkwork.StreetlightGreen}); err != nil {
			t.Fatal(err)
		}
		cal := w.refer(t, "Cal", "Cole")
		w.clock.Advance(time.Second)
		if err := w.people.AddConsent(lwCtx, cal.PersonID, &linkwork.Consent{Kind: linkwork.ConsentEvaluation, Given: false, GivenBy: "self"}); err != nil {
			t.Fatal(err)
		}

		e, err := w.exports().PRSBExport(w.as(w.coordinator), evaluationRequest())
		if err != nil {
			t.Fatal(err)
		}
		secret, err := w.db.SharedSecret(context.Background(), "evaluation export")
		if err != nil {
			t.Fatal(err)
		}
		key := linkwork.PseudonymKey(secret, "millbrook university")
		annP, annR, benP := linkwork.Pseudonym(key, k.PersonID), linkwork.Pseudonym(key, r.ID), linkwork.Pseudonym(key, ben.PersonID)

		t.Run("the four parts in order, each with the dictionary's columns", func(t *testing.T) {
			parts := linkwork.PRSBParts()
			if len(e.Tables) != len(parts) {
				t.Fatalf("%d tables, the dictionary has %d parts", len(e.Tables), len(parts))
			}
			for i, p := range parts {
				if e.Tables[i].Part != p.Name || len(e.Tables[i].Header) != len(p.Columns) {
					t.Errorf("table %d is %s with %d columns, want %s with %d", i, e.Tables[i].Part, len(e.Tables[i].Header), p.Name, len(p.Columns))
				}
			}
		})

		t.Run("demographics: one row a person, coded and coarsened, without Cal", func(t *testing.T) {
			rows := prsbRows(t, e, "demographics", "person")
			if len(rows) != 2 {
				t.Fatalf("%d people, want Ann and Ben: %v", len(rows), rows)
			}
			got := rows[annP]
			for col, v := range map[string]string{"age_band": "35-44", "gender": "female", "ethnic_category": "B", "postcode_district": "S2", "first_referral_month": "2026-03", "referrals": "1"} {
				if got[col] != v {
					t.Errorf("%s = %q, want %q", col, got[col], v)
				}
			}
			if _, ok := rows[linkwork.Pseudonym(key, cal.PersonID)]; ok {
				t.Error("Cal, who said no to evaluation, is in the report")
			}
		})

		t.Run("needs and concerns: a row a referral, needs as flags and concerns counted", func(t *testing.T) {
			rows := prsbRows(t, e, "needs_and_concerns", "person")
			got := rows[annP]
			for col, v := range map[string]string{"referral": annR, "pathway": "gp", "referrer_kind": "gp_practice", "referral_status": "accepted", "safe_now": "yes", "harm_thoughts": "no",
				"need_loneliness": "1", "need_money": "1", "need_housing": "0", "concerns_bullying": "1", "concerns_self_harm": "0"} {
				if got[col] != v {
					t.Errorf("Ann's %s = %q, want %q", col, got[col], v)
				}
			}
			b := rows[benP]
			for col, v := range map[string]string{"referral_status": "declined", "need_loneliness": "", "concerns_bullying": "0"} {
				if b[col] != v {
					t.Errorf("Ben's %s = %q, want %q", col, b[col], v)
				}
			}
		})

		t.Run("support offered: a row an episode, sessions by mode, activities by level and category", func(t *testing.T) {
			rows := prsbRows(t, e, "support_offered", "person")
			if len(rows) != 1 {
				t.Fatalf("%d episodes, want Ann's alone", len(rows))
			}
			got := rows[annP]
			for col, v := range map[string]string{"referral": annR, "case_opened_month": "2026-03", "sessions_face_to_face": "1", "sessions_phone": "1", "sessions_video": "0", "sessions_did_not_attend": "1",
				"connections_refer": "1", "connections_signpost": "0", "activities_" + string(boxing.Categories[0]): "1", "connections_attended": "1", "connections_still_going": "1",
				"funds_approved": "0", "funds_approved_pounds": "0.00"} {
				if got[col] != v {
					t.Errorf("%s = %q, want %q", col, got[col], v)
				}
			}
		})

		t.Run("outcomes: first and latest of each measure, ONS4 item by item", func(t *testing.T) {
			rows := prsbRows(t, e, "outcomes", "person", "measure")
			want := map[string][4]string{
				"wemwbs":                 {"2026-01", "40", "2026-02", "52"},
				"ons4_life_satisfaction": {"2026-01", "4", "2026-02", "7"},
				"ons4_happiness":         {"2026-01", "3", "", ""},
				"ons4_anxiety":           {"2026-01", "8", "2026-02", "3"},
			}
			for measure, v := range want {
				got := rows[annP+"/"+measure]
				if got == nil {
					t.Errorf("no %s row", measure)
					continue
				}
				if g := [4]string{got["first_month"], got["first_score"], got["latest_month"], got["latest_score"]}; g != v {
					t.Errorf("%s: %q, want %q", measure, g, v)
				}
			}
			if len(rows) != 5 {
				t.Errorf("%d outcome rows, want WEMWBS and four ONS4 items: %v", len(rows), rows)
			}
		})

		t.Run("the report is in the audit trail with its agreement, recipient and purpose", func(t *testing.T) {
			events, _, err := w.audit.FindAuditEvents(w.sys, linkwork.AuditFilter{ActorID: w.coordinator.ID, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			made, people := false, false
			for _, ev := range events {
				switch ev.Action {
				case "prsb_export.made":
					made = strings.Contains(ev.Detail, `"DSA-2026-07"`) && strings.Contains(ev.Detail, `"Millbrook University"`) && strings.Contains(ev.Detail, "2 people, 2 referrals, 1 episodes")
				case "prsb_export.person":
					people = strings.Contains(ev.Detail, k.PersonID) && strings.Contains(ev.Detail, ben.PersonID) && !strings.Contains(ev.Detail, cal.PersonID)
				}
			}
			if !made || !people {
				t.Errorf("the trail records the report %v and its people %v: %v", made, people, events)
			}
		})

		t.Run("only a service's coordinators make it, of their service alone", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.commissioner, w.referrer, w.community, w.safeguarding, w.admin} {
				_, err := w.exports().PRSBExport(w.as(u), evaluationRequest())
				wantCode(t, err, linkwork.EFORBIDDEN)
			}
			other, err := w.exports().PRSBExport(w.as(w.foreignCoord), evaluationRequest())
			if err != nil {
				t.Fatal(err)
			}
			for _, tb := range other.Tables {
				if len(tb.Rows) != 0 {
					t.Errorf("another service's coordinator has %d rows of %s", len(tb.Rows), tb.Part)
				}
			}
			req := evaluationRequest()
			req.Agreement = ""
			_, err = w.exports().PRSBExport(w.as(w.coordinator), req)
			wantField(t, err, "agreement")
		})
	})
}

func TestTheDemoCitysPRSBReportNamesNobody(t *testing.T) {
	eachDemoCity(t, func(t *testing.T, db *sqlstore.DB, secrets map[string]bool) {
		e, err := sqlstore.NewEvaluationExportService(db).PRSBExport(linkwork.NewContext(context.Background(), linkwork.SystemActor("test")), evaluationRequest())
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range linkwork.PRSBParts() {
			t.Run(p.Name, func(t *testing.T) {
				tb := e.Tables[i]
				if tb.Part != p.Name {
					t.Fatalf("table %d is %s, the dictionary's part %s", i, tb.Part, p.Name)
				}
				if len(tb.Rows) < 100 {
					t.Fatalf("the demo city's %s has %d rows: too few to say anything", p.Name, len(tb.Rows))
				}
				var columns []linkwork.EvaluationColumn
				for _, c := range p.Columns {
					if c.Section == "" || c.Element == "" {
						t.Errorf("%s names no section and element of the standard", c.Name)
					}
					columns = append(columns, c.EvaluationColumn)
				}
				scanExport(t, columns, tb.Header, tb.Rows, secrets)
			})
		}
	})
}
