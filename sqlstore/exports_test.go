package sqlstore_test

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

func (s *services) exports() *sqlstore.EvaluationExportService {
	return sqlstore.NewEvaluationExportService(s.db)
}

// evaluationRequest is an export for Millbrook University's evaluation.
func evaluationRequest() linkwork.EvaluationRequest {
	return linkwork.EvaluationRequest{Agreement: "DSA-2026-07", Recipient: "Millbrook University", Purpose: "Evaluating the service's first year"}
}

// exportRow is a row of an export by column name.
type exportRow map[string]string

// exportRows reads an export's rows by pseudonym.
func exportRows(t *testing.T, e *linkwork.EvaluationExport) map[string]exportRow {
	t.Helper()
	out := map[string]exportRow{}
	for _, cells := range e.Rows {
		if len(cells) != len(e.Header) {
			t.Fatalf("a row has %d cells for %d columns: %q", len(cells), len(e.Header), cells)
		}
		row := exportRow{}
		for i, c := range cells {
			row[e.Header[i]] = c
		}
		out[row["person"]] = row
	}
	return out
}

func TestTheEvaluationExport(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		lwCtx := w.as(w.linkWorker)
		// Ann, 40 when referred by the GP, is supported: two sessions
		// and one missed, three activities, and WEMWBS 40 then 52.
		ann := adult("Ann", "Abel")
		ann.Gender, ann.Ethnicity = "Female", "Asian or Asian British: Pakistani"
		r := &linkwork.Referral{
			SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
			Reasons: "Lonely since her husband died", WhatTheyWant: "To meet people", ConsentReferral: true, ConsentSharing: true, PersonAware: new(true),
		}
		if err := w.referrals.CreateReferral(w.as(w.referrer), r, ann); err != nil {
			t.Fatal(err)
		}
		k := w.accept(t, r, w.linkWorker)
		for _, o := range []linkwork.ContactOutcome{linkwork.ContactAttended, linkwork.ContactDNA, linkwork.ContactAttended} {
			if err := w.cases.AddContact(lwCtx, &linkwork.Contact{CaseID: k.ID, At: w.clock.Now(), Mode: linkwork.ContactFaceToFace, Outcome: o, Minutes: 45, Notes: "Talked about her garden"}); err != nil {
				t.Fatal(err)
			}
		}
		boxing := newAsset(w.vcs, "Youth Boxing")
		if err := w.assets.CreateAsset(w.as(w.coordinator), boxing); err != nil {
			t.Fatal(err)
		}
		// She still goes to the activity she was referred to, and went
		// once with a buddy to another before she stopped.
		for _, level := range []linkwork.ConnectionLevel{linkwork.LevelSignpost, linkwork.LevelRefer, linkwork.LevelBuddy} {
			c := &linkwork.Connection{CaseID: k.ID, AssetID: boxing.ID, Level: level, Note: "Nervous about groups"}
			if err := w.connections.CreateConnection(lwCtx, c); err != nil {
				t.Fatal(err)
			}
			switch level {
			case linkwork.LevelRefer:
				if err := w.db.Exec("UPDATE connections SET status = ? WHERE id = ?", string(linkwork.ConnContinuing), c.ID); err != nil {
					t.Fatal(err)
				}
			case linkwork.LevelBuddy:
				if err := w.db.Exec("UPDATE connections SET status = ? WHERE id = ?", string(linkwork.ConnDropped), c.ID); err != nil {
					t.Fatal(err)
				}
				if err := w.db.Exec("INSERT INTO connection_moves (id, connection_id, case_id, from_status, to_status, at) VALUES (?, ?, ?, 'accepted', 'attended', ?)",
					"move-ann", c.ID, k.ID, w.clock.Now().UTC()); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i, total := range []int{40, 52} {
			m := &linkwork.MeasureResponse{CaseID: k.ID, Instrument: linkwork.InstrumentWEMWBS, Timepoint: linkwork.TimepointBaseline, Answers: wemwbsOf(total), At: w.clock.Now().AddDate(0, 0, -30+7*i)}
			if i > 0 {
				m.Timepoint = linkwork.TimepointReview
			}
			if err := w.measures.RecordMeasure(lwCtx, m); err != nil {
				t.Fatal(err)
			}
		}
		// Ben, 15, is declined.
		ben := w.refer(t, "Ben", "Bell")
		if _, err := w.referrals.DecideReferral(w.as(w.coordinator), ben.ID, ben.Version, linkwork.ReferralDecision{
			To: linkwork.ReferralDeclined, Reason: "Needs are clinical", OnwardDestination: "Talking therapies", Streetlight: linkwork.StreetlightGreen}); err != nil {
			t.Fatal(err)
		}
		// Cal said no to evaluation; Dee said no, then yes.
		consent := func(personID string, given bool) {
			t.Helper()
			w.clock.Advance(time.Second)
			if err := w.people.AddConsent(lwCtx, personID, &linkwork.Consent{Kind: linkwork.ConsentEvaluation, Given: given, GivenBy: "self"}); err != nil {
				t.Fatal(err)
			}
		}
		cal := w.refer(t, "Cal", "Cole")
		consent(cal.PersonID, false)
		dee := w.refer(t, "Dee", "Dunn")
		consent(dee.PersonID, false)
		consent(dee.PersonID, true)

		e, err := w.exports().EvaluationExport(w.as(w.coordinator), evaluationRequest())
		if err != nil {
			t.Fatal(err)
		}
		secret, err := w.db.SharedSecret(context.Background(), "evaluation export")
		if err != nil {
			t.Fatal(err)
		}
		key := linkwork.PseudonymKey(secret, "millbrook university")
		rows := exportRows(t, e)
		if len(rows) != 3 || len(e.Rows) != 3 {
			t.Fatalf("the export has %d rows of %d people, want Ann, Ben and Dee (Cal said no): %q", len(e.Rows), len(rows), e.Rows)
		}

		t.Run("a supported person's row, coded and coarsened", func(t *testing.T) {
			got := rows[linkwork.Pseudonym(key, k.PersonID)]
			want := exportRow{
				"person": linkwork.Pseudonym(key, k.PersonID), "referral_month": "2026-03", "age_band": "35-44", "gender": "female", "ethnic_category": "J",
				"postcode_district": "S2", "pathway": "gp", "mode": "referral", "referrer_kind": "gp_practice", "referral_status": "accepted", "decision_month": "2026-03",
				"case_status": string(k.Status), "case_opened_month": "2026-03", "case_closed_month": "", "closure_reason": "",
				"sessions_attended": "2", "sessions_did_not_attend": "1", "connections_signpost": "1", "connections_refer": "1", "connections_buddy": "1", "connections_phased": "0",
				"connections_attended": "2", "connections_still_going": "1", "wemwbs_first": "40", "wemwbs_latest": "52", "swemwbs_first": "", "swemwbs_latest": "", "ucla3_first": "", "ucla3_latest": "",
			}
			for col, v := range want {
				if got[col] != v {
					t.Errorf("%s = %q, want %q", col, got[col], v)
				}
			}
			if len(got) != len(want) {
				t.Errorf("the row has %d columns, the test knows %d: %v", len(got), len(want), got)
			}
		})

		t.Run("a declined referral has no episode", func(t *testing.T) {
			got := rows[linkwork.Pseudonym(key, ben.PersonID)]
			for col, v := range map[string]string{"age_band": "13-15", "gender": "", "ethnic_category": "99", "referral_status": "declined", "decision_month": "2026-03",
				"case_status": "", "case_opened_month": "", "sessions_attended": "0", "connections_refer": "0", "wemwbs_first": ""} {
				if got[col] != v {
					t.Errorf("%s = %q, want %q", col, got[col], v)
				}
			}
		})

		t.Run("the latest answer about evaluation counts", func(t *testing.T) {
			if _, ok := rows[linkwork.Pseudonym(key, dee.PersonID)]; !ok {
				t.Error("Dee, who said yes after saying no, is left out")
			}
			if _, ok := rows[linkwork.Pseudonym(key, cal.PersonID)]; ok {
				t.Error("Cal, who said no, is in the export")
			}
		})

		t.Run("pseudonyms are stable for a recipient and differ between recipients", func(t *testing.T) {
			again := evaluationRequest()
			again.Recipient = "  millbrook   UNIVERSITY "
			e2, err := w.exports().EvaluationExport(w.as(w.coordinator), again)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := exportRows(t, e2)[linkwork.Pseudonym(key, k.PersonID)]; !ok {
				t.Error("the same recipient, spelt with other capitals and spaces, has other pseudonyms")
			}
			other := evaluationRequest()
			other.Recipient = "Eastfield Evaluation Ltd"
			e3, err := w.exports().EvaluationExport(w.as(w.coordinator), other)
			if err != nil {
				t.Fatal(err)
			}
			for p := range exportRows(t, e3) {
				if _, ok := rows[p]; ok {
					t.Errorf("pseudonym %s is the same for two recipients", p)
				}
			}
		})

		t.Run("the export is in the audit trail with its agreement, recipient and purpose", func(t *testing.T) {
			events, _, err := w.audit.FindAuditEvents(w.sys, linkwork.AuditFilter{RecordType: "evaluation_export", Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(events) == 0 {
				t.Fatal("no export in the audit trail")
			}
			// The first export, to Millbrook University.
			ev := events[0]
			for _, e := range events {
				if e.Seq < ev.Seq {
					ev = e
				}
			}
			if ev.ActorID != w.coordinator.ID || ev.Action != "evaluation_export.made" {
				t.Errorf("the first export is recorded as %s by %s", ev.Action, ev.ActorID)
			}
			for _, want := range []string{`"DSA-2026-07"`, `"Millbrook University"`, `"Evaluating the service's first year"`, "3 rows of 3 people"} {
				if !strings.Contains(ev.Detail, want) {
					t.Errorf("the event's detail %q does not say %s", ev.Detail, want)
				}
			}
			people, _, err := w.audit.FindAuditEvents(w.sys, linkwork.AuditFilter{ActorID: w.coordinator.ID, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range people {
				if p.Action == "evaluation_export.person" && strings.Contains(p.Detail, k.PersonID) && strings.Contains(p.Detail, dee.PersonID) && !strings.Contains(p.Detail, cal.PersonID) {
					found = true
				}
			}
			if !found {
				t.Error("the people the export was made from are not named in the trail")
			}
		})

		t.Run("only the service's coordinators export, and only their service", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.commissioner, w.referrer, w.community, w.safeguarding, w.admin} {
				_, err := w.exports().EvaluationExport(w.as(u), evaluationRequest())
				wantCode(t, err, linkwork.EFORBIDDEN)
			}
			e, err := w.exports().EvaluationExport(w.as(w.foreignCoord), evaluationRequest())
			if err != nil {
				t.Fatal(err)
			}
			if len(e.Rows) != 0 {
				t.Errorf("another service's coordinator exports %d of this service's rows", len(e.Rows))
			}
		})

		t.Run("a request without its agreement, recipient or purpose names the field", func(t *testing.T) {
			for field, change := range map[string]func(r *linkwork.EvaluationRequest){
				"agreement": func(r *linkwork.EvaluationRequest) { r.Agreement = " " },
				"recipient": func(r *linkwork.EvaluationRequest) { r.Recipient = "" },
				"purpose":   func(r *linkwork.EvaluationRequest) { r.Purpose = strings.Repeat("x", linkwork.MaxText+1) },
			} {
				req := evaluationRequest()
				change(&req)
				_, err := w.exports().EvaluationExport(w.as(w.coordinator), req)
				wantField(t, err, field)
			}
		})
	})
}

func TestTheEvaluationExportKeysPseudonymsWithTheAuditKey(t *testing.T) {
	auditKey := []byte(strings.Repeat("k", 32))
	eachWorldWith(t, sqlstore.Options{AuditKey: auditKey}, func(t *testing.T, w *world) {
		r := w.refer(t, "Ann", "Abel")
		e, err := w.exports().EvaluationExport(w.as(w.coordinator), evaluationRequest())
		if err != nil {
			t.Fatal(err)
		}
		want := linkwork.Pseudonym(linkwork.PseudonymKey(auditKey, "millbrook university"), r.PersonID)
		if len(e.Rows) != 1 || e.Rows[0][0] != want {
			t.Errorf("rows %q, want one for %s", e.Rows, want)
		}
	})
}

// secretsSink passes the demo city to the store, keeping every name,
// contact detail, note and identifier in it: what the evaluation export
// must never hold.
type secretsSink struct {
	demo.Sink
	secrets map[string]bool
}

func (s *secretsSink) keep(values ...string) {
	for _, v := range values {
		if v = strings.TrimSpace(v); len(v) >= 3 {
			s.secrets[v] = true
		}
	}
}

func (s *secretsSink) Person(p *linkwork.Person) error {
	s.keep(p.ID, p.GivenName, p.FamilyName, p.PreferredName, p.GivenName+" "+p.FamilyName, p.Gender, p.Ethnicity, p.Address, p.Postcode, p.Phone, p.Email,
		p.Contact.Via, p.Contact.BestTimes, p.Contact.Notes, p.SchoolOrWork, p.Languages, p.AccessibilityNeeds, p.DateOfBirth.String())
	for _, g := range p.Guardians {
		s.keep(g.Name, g.Phone, g.Email)
	}
	for _, c := range p.Consents {
		s.keep(c.Note)
	}
	return s.Sink.Person(p)
}

func (s *secretsSink) Referral(r *linkwork.Referral) error {
	s.keep(r.ID, r.ReferrerName, r.ReferrerRole, r.ReferrerContact, r.Reasons, r.WhatTheyWant, r.Risks, r.YearGroup, r.StatusReason, r.OnwardDestination)
	return s.Sink.Referral(r)
}

func (s *secretsSink) Case(c *linkwork.Case) error {
	s.keep(c.ID, c.WhatMatters, c.Needs, c.Plan, c.ClosureNote, c.OutcomeSummary, c.EndingSteps)
	return s.Sink.Case(c)
}

func (s *secretsSink) Goal(g *linkwork.Goal) error {
	s.keep(g.Text)
	return s.Sink.Goal(g)
}

func (s *secretsSink) Contact(c *linkwork.Contact) error {
	s.keep(c.Notes)
	return s.Sink.Contact(c)
}

func (s *secretsSink) Connection(c *linkwork.Connection) error {
	s.keep(c.Note)
	return s.Sink.Connection(c)
}

// exactDate is a date to the day in any of the forms people write them.
var exactDate = regexp.MustCompile(`\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)`)

func TestTheDemoCitysEvaluationExportNamesNobody(t *testing.T) {
	eachDemoCity(t, func(t *testing.T, db *sqlstore.DB, secrets map[string]bool) {
		e, err := sqlstore.NewEvaluationExportService(db).EvaluationExport(linkwork.NewContext(context.Background(), linkwork.SystemActor("test")), evaluationRequest())
		if err != nil {
			t.Fatal(err)
		}
		if len(e.Rows) < 400 {
			t.Fatalf("the demo city exports %d rows: too few to say anything", len(e.Rows))
		}
		scanExport(t, linkwork.EvaluationColumns(), e.Header, e.Rows, secrets)
	})
}

// eachDemoCity loads the demo city on each engine, keeping every name,
// contact detail, note and identifier in it, and calls fn with them.
func eachDemoCity(t *testing.T, fn func(t *testing.T, db *sqlstore.DB, secrets map[string]bool)) {
	cfg, err := demo.Preset("demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			db := sqltest.Open(t, dialect, sqlstore.Options{Now: func() time.Time { return cfg.Now }})
			ctx := context.Background()
			sink := &secretsSink{Sink: sqlstore.NewLoader(ctx, db), secrets: map[string]bool{}}
			if _, err := demo.Generate(cfg, sink); err != nil {
				t.Fatal(err)
			}
			if err := sink.Sink.(*sqlstore.Loader).Close("demo"); err != nil {
				t.Fatal(err)
			}
			if len(sink.secrets) < 1000 {
				t.Fatalf("the demo city has %d names, notes and details to look for: too few to say anything", len(sink.secrets))
			}
			fn(t, db, sink.secrets)
		})
	}
}

// scanExport checks every cell of an export against its dictionary: the
// header is the dictionary's columns; no cell holds a secret of the
// demo's records or an exact date; months are months, numbers numbers,
// and codes the dictionary's.
func scanExport(t *testing.T, columns []linkwork.EvaluationColumn, header []string, rows [][]string, secrets map[string]bool) {
	t.Helper()
	if len(header) != len(columns) {
		t.Fatalf("the header has %d columns, the dictionary %d", len(header), len(columns))
	}
	for i, c := range columns {
		if header[i] != c.Name {
			t.Errorf("column %d is %q, the dictionary's %q", i, header[i], c.Name)
		}
	}
	// A record that holds a code word ("self", as a referrer's role)
	// holds no secret.
	secrets = maps.Clone(secrets)
	for _, c := range columns {
		for _, code := range c.Codes {
			for s := range secrets {
				if strings.Contains(code.Code, s) {
					delete(secrets, s)
				}
			}
		}
	}
	month := regexp.MustCompile(`^(\d{4}-\d{2})?$`)
	number := regexp.MustCompile(`^(-?\d+(\.\d+)?)?$`)
	for _, row := range rows {
		if len(row) != len(columns) {
			t.Fatalf("a row has %d cells for %d columns", len(row), len(columns))
		}
		for i, cell := range row {
			c := columns[i]
			for s := range secrets {
				if strings.Contains(cell, s) {
					t.Fatalf("%s holds %q, from the demo's records", c.Name, s)
				}
			}
			if exactDate.MatchString(cell) {
				t.Fatalf("%s holds an exact date: %q", c.Name, cell)
			}
			switch c.Type {
			case "month":
				if !month.MatchString(cell) {
					t.Fatalf("%s is %q, not a month", c.Name, cell)
				}
			case "integer", "number":
				if !number.MatchString(cell) {
					t.Fatalf("%s is %q, not a number", c.Name, cell)
				}
			case "code":
				if !slices.ContainsFunc(c.Codes, func(code linkwork.EvaluationCode) bool { return code.Code == cell }) {
					t.Fatalf("%s is %q, which the dictionary does not list", c.Name, cell)
				}
			}
		}
	}
}
