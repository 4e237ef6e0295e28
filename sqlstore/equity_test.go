package sqlstore_test

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

func (s *services) equity() *sqlstore.EquityService { return sqlstore.NewEquityService(s.db) }

// loadLookup loads the NSPL-shaped sample (testdata/nspl_sample.csv):
// LS9 1AA in E01000048 (IMD decile 1), LS9 2BB in E01000001 (decile 9),
// CF10 1AA in a Welsh area (no English decile); a Scottish postcode and
// one without an area have no LSOA, and NOTAPC is not a postcode.
func loadLookup(t *testing.T, w *world) sqlstore.LSOAImport {
	t.Helper()
	f, err := os.Open("testdata/nspl_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := sqlstore.ImportPostcodeLSOAs(w.sys, w.db, f)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// equityWorld is the dashboard's twelve referrals (dashboardWorld) with
// who each is for:
//
//	    ethnicity (group)          gender      born        postcode (decile)
//	A   White British (white)      Female      2016-02-03  LS9 1AA (1)   9 on 2 Feb 2026
//	B   White British (white)      Female      2016-02-02  LS9 1AA (1)   10 on the day
//	C–F White British (white)      Female      1990-01-01  LS9 1AA (1)   36
//	G,H Black British: African     Male        1990-01-01  LS9 1AA (1)
//	I   Pakistani (asian)          Male        1990-01-01  LS9 2BB (9)
//	J   Chinese (asian)            Male        1990-01-01  LS9 2BB (9)
//	K   White and Black Caribbean  Non-binary  2010-03-03  CF10 1AA (Welsh: not known), 16 on 3 Mar
//	    (mixed)
//	L   not recorded               not given   not known   LS1 1XX (not in the lookup)
//
// Accepted: A–E and K; engaged (a session attended): A, B, C, K; closed
// well: A (goals met), B (connected). The lookup is loaded after the
// people are recorded, so it places them in bulk.
func equityWorld(t *testing.T, w *world) {
	t.Helper()
	dashboardWorld(t, w)
	who := map[string][4]string{
		"A": {"White British", "Female", "2016-02-03", "LS9 1AA"},
		"B": {"White British", "Female", "2016-02-02", "LS9 1AA"},
		"C": {"White British", "Female", "1990-01-01", "LS9 1AA"},
		"D": {"White British", "Female", "1990-01-01", "LS9 1AA"},
		"E": {"White British", "Female", "1990-01-01", "LS9 1AA"},
		"F": {"White British", "Female", "1990-01-01", "LS9 1AA"},
		"G": {"Black or Black British: African", "Male", "1990-01-01", "LS9 1AA"},
		"H": {"Black or Black British: African", "Male", "1990-01-01", "LS9 1AA"},
		"I": {"Asian or Asian British: Pakistani", "Male", "1990-01-01", "LS9 2BB"},
		"J": {"Chinese", "Male", "1990-01-01", "LS9 2BB"},
		"K": {"Mixed: White and Black Caribbean", "Non-binary", "2010-03-03", "CF10 1AA"},
		"L": {"", "", "", "LS1 1XX"},
	}
	for name, p := range who {
		var dob any
		if p[2] != "" {
			dob = p[2]
		}
		for _, q := range []struct {
			stmt string
			args []any
		}{
			{"UPDATE people SET ethnicity = ?, gender = ?, postcode = ? WHERE given_name = ?", []any{p[0], p[1], p[3], "Person" + name}},
			{"UPDATE referrals SET person_dob = ? WHERE person_id = (SELECT id FROM people WHERE given_name = ?)", []any{dob, "Person" + name}},
		} {
			if err := w.db.Exec(q.stmt, q.args...); err != nil {
				t.Fatalf("%s: %v", q.stmt, err)
			}
		}
	}
	res := loadLookup(t, w)
	if want := (sqlstore.LSOAImport{Loaded: 3, Ranked: 2, NoArea: 2, Bad: 1, Skipped: 3, People: 11}); res != want {
		t.Fatalf("the lookup's load: %+v, want %+v", res, want)
	}
}

// rowsOf is a table's rows by group.
func rowsOf(e *linkwork.Equity, d linkwork.EquityDimension) map[string]linkwork.EquityRow {
	out := map[string]linkwork.EquityRow{}
	for _, r := range e.Table(d).Rows {
		out[r.Group.Key] = r
	}
	return out
}

func TestTheEquityTablesFiguresWorkedByHand(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		equityWorld(t, w)
		shares := &linkwork.PopulationShares{ServiceOrgID: w.service.ID, Source: "Census 2021 (test)", Shares: map[linkwork.EquityDimension]map[string]float64{
			linkwork.EquityEthnicity:   {"white": 60, "mixed": 3, "asian": 5, "black": 30, "other": 2},
			linkwork.EquityDeprivation: {"1": 10, "9": 40},
		}}
		if err := w.equity().SavePopulationShares(w.as(w.coordinator), shares); err != nil {
			t.Fatal(err)
		}
		read := func(t *testing.T, u *linkwork.User, f linkwork.ReportFilter) *linkwork.Equity {
			t.Helper()
			e, err := w.equity().Equity(w.as(u), f)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		n := func(n int) linkwork.Figure { return linkwork.Figure{N: n} }
		small := linkwork.Figure{Hidden: linkwork.Small}
		type want struct{ referrals, accepted, engaged, closedWell linkwork.Figure }
		check := func(t *testing.T, e *linkwork.Equity, d linkwork.EquityDimension, wants map[string]want) {
			t.Helper()
			rows := rowsOf(e, d)
			for g, x := range wants {
				r := rows[g]
				if got := (want{r.Referrals, r.Accepted, r.Engaged, r.ClosedWell}); got != x {
					t.Errorf("%s %s: %+v, want %+v", d, g, got, x)
				}
			}
		}
		exactWants := map[linkwork.EquityDimension]map[string]want{
			linkwork.EquityEthnicity: {
				"white": {n(6), n(5), n(3), n(2)}, "black": {n(2), n(0), n(0), n(0)}, "asian": {n(2), n(0), n(0), n(0)},
				"mixed": {n(1), n(1), n(1), n(0)}, "other": {n(0), n(0), n(0), n(0)}, linkwork.GroupNotKnown: {n(1), n(0), n(0), n(0)},
			},
			linkwork.EquityGender: {
				"female": {n(6), n(5), n(3), n(2)}, "male": {n(4), n(0), n(0), n(0)}, "another": {n(1), n(1), n(1), n(0)}, linkwork.GroupNotKnown: {n(1), n(0), n(0), n(0)},
			},
			linkwork.EquityAge: {
				"0-15": {n(2), n(2), n(2), n(2)}, "35-49": {n(8), n(3), n(1), n(0)}, "16-24": {n(1), n(1), n(1), n(0)}, linkwork.GroupNotKnown: {n(1), n(0), n(0), n(0)},
			},
			linkwork.EquityDeprivation: {
				"1": {n(8), n(5), n(3), n(2)}, "9": {n(2), n(0), n(0), n(0)}, linkwork.GroupNotKnown: {n(2), n(1), n(1), n(0)},
			},
		}

		t.Run("the coordinator reads every group's referrals and how far they went, from the kept counts", func(t *testing.T) {
			e := read(t, w.coordinator, quarter)
			if !e.Exact || len(e.Tables) != 4 || e.Population == nil || e.Population.Source != "Census 2021 (test)" {
				t.Fatalf("exact %v, %d tables, population %+v", e.Exact, len(e.Tables), e.Population)
			}
			for d, wants := range exactWants {
				check(t, e, d, wants)
				if tb := e.Table(d); tb.Total != n(12) || tb.Accepted != n(6) || tb.Engaged != n(4) || tb.ClosedWell != n(2) {
					t.Errorf("%s totals: %+v", d, tb)
				}
			}
			auditedList(t, w, w.coordinator, "equity.read", []string{"period 2026-01-01 to 2026-03-31"})
		})

		t.Run("the gaps are worked out from the known groups' shares and said in words", func(t *testing.T) {
			e := read(t, w.coordinator, quarter)
			eth := rowsOf(e, linkwork.EquityEthnicity)
			// 11 referrals with an ethnic group known: black 2 of 11 is
			// 18.2%, under four-fifths of 30%; other 0%, under 1.6%; white
			// 54.5% is not under 48%; asian 18.2% is over 5%.
			if r := eth["black"]; !r.UnderReached || r.Gap != "Black people are 30% of the area's population but 18.2% of referrals." {
				t.Errorf("black: %+v", r)
			}
			if r := eth["other"]; !r.UnderReached || r.Gap != "People of another ethnic group are 2% of the area's population but 0% of referrals." {
				t.Errorf("other: %+v", r)
			}
			for _, g := range []string{"white", "asian", "mixed", linkwork.GroupNotKnown} {
				if eth[g].UnderReached {
					t.Errorf("%s is marked under-reached: %+v", g, eth[g])
				}
			}
			if r := eth["white"]; r.ReferralShare < 54.5 || r.ReferralShare > 54.6 || !r.HasPopulation || r.PopulationShare != 60 {
				t.Errorf("white's shares: %+v", r)
			}
			imd := rowsOf(e, linkwork.EquityDeprivation)
			// 10 referrals in a ranked area: decile 9 is 2 of 10, 20%,
			// under four-fifths of 40%.
			if r := imd["9"]; !r.UnderReached || r.Gap != "People living in decile 9 areas are 40% of the area's population but 20% of referrals." {
				t.Errorf("decile 9: %+v", r)
			}
			if r := imd["1"]; r.UnderReached || r.ReferralShare != 80 {
				t.Errorf("decile 1: %+v", r)
			}
			if gaps := e.Gaps(); len(gaps) != 3 {
				t.Errorf("gaps: %q", gaps)
			}
		})

		t.Run("part of a month is counted from the referrals' facts, and agrees with the kept counts", func(t *testing.T) {
			kept := read(t, w.coordinator, quarter)
			part := read(t, w.coordinator, linkwork.ReportFilter{From: linkwork.Date{Year: 2026, Month: 2, Day: 2}, To: linkwork.Date{Year: 2026, Month: 3, Day: 5}})
			if !reflect.DeepEqual(kept.Tables, part.Tables) {
				t.Errorf("kept %+v\nfacts %+v", kept.Tables, part.Tables)
			}
			feb := read(t, w.coordinator, linkwork.ReportFilter{From: linkwork.Date{Year: 2026, Month: 2, Day: 1}, To: linkwork.Date{Year: 2026, Month: 2, Day: 28}})
			if r := rowsOf(feb, linkwork.EquityEthnicity); r["mixed"].Referrals != n(0) || r["white"].Referrals != n(6) || feb.Table(linkwork.EquityAge).Total != n(10) {
				t.Errorf("February: %+v", feb.Tables)
			}
			gpOnly := read(t, w.coordinator, linkwork.ReportFilter{From: quarter.From, To: quarter.To, Pathway: linkwork.PathwayGP})
			// I (school) and J (self) are the two asian referrals.
			if r := rowsOf(gpOnly, linkwork.EquityEthnicity); r["asian"].Referrals != n(0) || gpOnly.Table(linkwork.EquityGender).Total != n(10) {
				t.Errorf("GP pathway: %+v", gpOnly.Tables)
			}
			worker := read(t, w.coordinator, linkwork.ReportFilter{From: quarter.From, To: quarter.To, LinkWorkerID: w.otherWorker.ID})
			if r := rowsOf(worker, linkwork.EquityEthnicity); r["mixed"].Referrals != n(1) || worker.Table(linkwork.EquityEthnicity).Total != n(1) {
				t.Errorf("the other worker's: %+v", worker.Tables)
			}
		})

		t.Run("the commissioner reads the figures suppressed, and no gap a hidden count would give away", func(t *testing.T) {
			if e := read(t, w.commissioner, quarter); e.Table(linkwork.EquityEthnicity).Total.N != 0 || e.Population != nil {
				t.Errorf("a commissioner funding nothing reads %+v", e)
			}
			svc := *w.service
			svc.ParentID = w.icb.ID
			if err := w.orgs.UpdateOrganisation(w.as(w.admin), &svc); err != nil {
				t.Fatal(err)
			}
			e := read(t, w.commissioner, quarter)
			if e.Exact || e.Population == nil {
				t.Fatalf("exact %v, population %+v", e.Exact, e.Population)
			}
			// Ethnicity: white 6 shown; mixed 1, asian 2, black 2, other 0
			// and not known 1 all under 5, together 6: hidden, nothing
			// more withheld. Accepted: mixed 1 and four noughts hidden come
			// to 1, so white's 5 is withheld too. The known (11) would give
			// the not known away: the shares are of all 12.
			check(t, e, linkwork.EquityEthnicity, map[string]want{
				"white": {n(6), linkwork.Figure{Hidden: linkwork.Withheld}, small, small}, "black": {small, small, small, small},
				"mixed": {small, small, small, small}, linkwork.GroupNotKnown: {small, small, small, small},
			})
			tb := e.Table(linkwork.EquityEthnicity)
			if !tb.SharesOfAll || tb.Known.Hidden == linkwork.Shown || tb.Total != n(12) {
				t.Errorf("ethnicity's base: %+v", tb)
			}
			eth := rowsOf(e, linkwork.EquityEthnicity)
			if r := eth["white"]; r.ReferralShare != 50 || r.ShareHidden {
				t.Errorf("white: %+v", r)
			}
			// Fewer than 5 of 12 could be as many as 41.7%: not under 24%.
			if r := eth["black"]; !r.ShareHidden || r.UnderReached || r.Gap != "" {
				t.Errorf("black: %+v", r)
			}
			for _, r := range e.Table(linkwork.EquityAge).Rows {
				if r.Referrals.Hidden == linkwork.Shown && r.Referrals.N < linkwork.SmallNumber {
					t.Errorf("age %s shows %d", r.Group.Key, r.Referrals.N)
				}
			}
			auditedList(t, w, w.commissioner, "equity.read", nil)
		})

		t.Run("a person's ethnicity or postcode changing moves their referrals between groups", func(t *testing.T) {
			if err := w.db.Exec("UPDATE people SET ethnicity = 'Arab', postcode = 'LS9 2BB' WHERE given_name = 'PersonL'"); err != nil {
				t.Fatal(err)
			}
			e := read(t, w.coordinator, quarter)
			check(t, e, linkwork.EquityEthnicity, map[string]want{"other": {n(1), n(0), n(0), n(0)}, linkwork.GroupNotKnown: {n(0), n(0), n(0), n(0)}})
			check(t, e, linkwork.EquityDeprivation, map[string]want{"9": {n(3), n(0), n(0), n(0)}, linkwork.GroupNotKnown: {n(1), n(1), n(1), n(0)}})
			if err := w.db.Exec("UPDATE people SET ethnicity = '', postcode = 'LS1 1XX' WHERE given_name = 'PersonL'"); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("who may read it", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.referrer, w.safeguarding, w.community, w.admin} {
				if _, err := w.equity().Equity(w.as(u), quarter); linkwork.ErrorCode(err) != linkwork.EFORBIDDEN {
					t.Errorf("%s: %v, want forbidden", u.Role, err)
				}
			}
			e := read(t, w.foreignCoord, quarter)
			if e.Table(linkwork.EquityEthnicity).Total != n(0) || e.Population != nil {
				t.Errorf("another service's coordinator reads %+v", e.Tables)
			}
			if _, err := w.equity().Equity(w.as(w.coordinator), linkwork.ReportFilter{Pathway: "carrier_pigeon"}); !strings.Contains(errorField(err), "pathway") {
				t.Errorf("a bad pathway: %v", err)
			}
		})
	})
}

// errorField is the fields an error names, joined.
func errorField(err error) string {
	var out []string
	for _, p := range linkwork.ErrorFields(err) {
		out = append(out, p.Field)
	}
	return strings.Join(out, ",")
}

func TestThePopulationSharesAreTheServiceCoordinatorsToEnter(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		svc := w.equity()
		empty, err := svc.PopulationShares(w.as(w.coordinator), w.service.ID)
		if err != nil || empty.Version != 0 || len(empty.Shares) != 0 {
			t.Fatalf("before any are entered: %+v %v", empty, err)
		}
		p := &linkwork.PopulationShares{ServiceOrgID: w.service.ID, Source: " ONS mid-year estimates ", Shares: map[linkwork.EquityDimension]map[string]float64{
			linkwork.EquityAge: {"0-15": 19.04, "80+": 5},
		}}
		t.Run("a coordinator saves them, rounded to a tenth, and the save is audited", func(t *testing.T) {
			if err := svc.SavePopulationShares(w.as(w.coordinator), p); err != nil {
				t.Fatal(err)
			}
			got, err := svc.PopulationShares(w.as(w.coordinator), w.service.ID)
			if err != nil || got.Version != 1 || got.Source != "ONS mid-year estimates" || got.Shares[linkwork.EquityAge]["0-15"] != 19 || got.UpdatedBy == "" {
				t.Fatalf("saved: %+v %v", got, err)
			}
			if e := auditEvent(t, w, w.service.ID, "population.update"); e == nil || e.Detail != "version=1" {
				t.Errorf("audit: %+v", e)
			}
		})
		t.Run("each bad share is named", func(t *testing.T) {
			for name, c := range map[string]struct {
				shares map[linkwork.EquityDimension]map[string]float64
				field  string
			}{
				"over 100":              {map[linkwork.EquityDimension]map[string]float64{linkwork.EquityEthnicity: {"black": 101}}, "shares.ethnicity.black"},
				"under 0":               {map[linkwork.EquityDimension]map[string]float64{linkwork.EquityGender: {"female": -1}}, "shares.gender.female"},
				"an unknown group":      {map[linkwork.EquityDimension]map[string]float64{linkwork.EquityDeprivation: {"11": 5}}, "shares.deprivation.11"},
				"the group not known":   {map[linkwork.EquityDimension]map[string]float64{linkwork.EquityAge: {linkwork.GroupNotKnown: 5}}, "shares.age.not_known"},
				"adding up to over 100": {map[linkwork.EquityDimension]map[string]float64{linkwork.EquityGender: {"female": 60, "male": 50}}, "shares.gender"},
				"an unknown dimension":  {map[linkwork.EquityDimension]map[string]float64{"religion": {"x": 5}}, "shares.religion"},
			} {
				bad := &linkwork.PopulationShares{ServiceOrgID: w.service.ID, Version: 1, Shares: c.shares}
				err := svc.SavePopulationShares(w.as(w.coordinator), bad)
				if linkwork.ErrorCode(err) != linkwork.EINVALID || errorField(err) != c.field {
					t.Errorf("%s: %v (fields %q), want invalid naming %s", name, err, errorField(err), c.field)
				}
			}
		})
		t.Run("a save of an old version is a conflict", func(t *testing.T) {
			old := &linkwork.PopulationShares{ServiceOrgID: w.service.ID, Version: 0, Shares: map[linkwork.EquityDimension]map[string]float64{}}
			if err := svc.SavePopulationShares(w.as(w.coordinator), old); linkwork.ErrorCode(err) != linkwork.ECONFLICT {
				t.Errorf("%v, want a conflict", err)
			}
		})
		t.Run("no one else may enter or read them", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.commissioner, w.foreignCoord, w.referrer} {
				q := &linkwork.PopulationShares{ServiceOrgID: w.service.ID, Version: 1, Shares: map[linkwork.EquityDimension]map[string]float64{}}
				if err := svc.SavePopulationShares(w.as(u), q); linkwork.ErrorCode(err) != linkwork.EFORBIDDEN {
					t.Errorf("%s saves: %v", u.Name, err)
				}
				if _, err := svc.PopulationShares(w.as(u), w.service.ID); linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
					t.Errorf("%s reads: %v", u.Name, err)
				}
			}
		})
	})
}

func TestAPersonRecordedAfterTheLookupIsLoadedIsPlacedInTheirArea(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		loadLookup(t, w)
		p := newPerson("Sam", "Area")
		p.Postcode = "LS9 2BB"
		r := &linkwork.Referral{
			SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
			Reasons: "Lonely", WhatTheyWant: "To meet people", ConsentReferral: true, ConsentSharing: true, PersonAware: new(true),
		}
		if err := w.referrals.CreateReferral(w.as(w.referrer), r, p); err != nil {
			t.Fatal(err)
		}
		decile := func() map[string]linkwork.EquityRow {
			t.Helper()
			e, err := w.equity().Equity(w.as(w.coordinator), linkwork.ReportFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return rowsOf(e, linkwork.EquityDeprivation)
		}
		if got := decile(); got["9"].Referrals.N != 1 || got[linkwork.GroupNotKnown].Referrals.N != 0 {
			t.Fatalf("recorded at LS9 2BB: %+v", got)
		}
		if err := w.db.Exec("UPDATE people SET postcode = 'LS9 1AA' WHERE id = ?", r.PersonID); err != nil {
			t.Fatal(err)
		}
		if got := decile(); got["1"].Referrals.N != 1 || got["9"].Referrals.N != 0 {
			t.Fatalf("moved to LS9 1AA: %+v", got)
		}
		if err := w.db.Exec("UPDATE people SET postcode = 'S1 2HH' WHERE id = ?", r.PersonID); err != nil {
			t.Fatal(err)
		}
		if got := decile(); got[linkwork.GroupNotKnown].Referrals.N != 1 || got["1"].Referrals.N != 0 {
			t.Fatalf("moved out of the lookup: %+v", got)
		}
	})
}

func TestTheLookupRefusesAFileThatIsNotIt(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		for name, c := range map[string]struct{ file, says string }{
			"empty":       {"", "empty"},
			"no postcode": {"lsoa11\nE01000001\n", "pcds or pcd"},
			"no area":     {"pcds,lat,long\nLS9 1AA,53,-1\n", "lsoa11"},
			"not csv":     {"pcds,lsoa11\n\"LS9 1AA,E01\n", "line"},
		} {
			_, err := sqlstore.ImportPostcodeLSOAs(w.sys, w.db, strings.NewReader(c.file))
			if linkwork.ErrorCode(err) != linkwork.EINVALID || !strings.Contains(err.Error(), c.says) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := sqlstore.ImportPostcodeLSOAs(w.as(w.admin), w.db, strings.NewReader("pcds,lsoa11\n")); linkwork.ErrorCode(err) != linkwork.EFORBIDDEN {
			t.Errorf("an administrator: %v", err)
		}
	})
}

// TestTheDemoCitysPeopleLiveInAreasSkewedTowardsDeprivation: the demo
// places every person with a postcode in a Leeds LSOA through the loader,
// more of them in the most deprived areas than in the least, and ships
// its population's shares, so the equity table has gaps to show.
func TestTheDemoCitysPeopleLiveInAreasSkewedTowardsDeprivation(t *testing.T) {
	cfg, err := demo.Preset("small")
	if err != nil {
		t.Fatal(err)
	}
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			db := sqltest.Open(t, dialect, sqlstore.Options{Now: func() time.Time { return cfg.Now }})
			ctx := context.Background()
			l := sqlstore.NewLoader(ctx, db)
			if _, err := demo.Generate(cfg, l); err != nil {
				t.Fatal(err)
			}
			if err := l.Close("demo"); err != nil {
				t.Fatal(err)
			}
			login, _ := demo.LoginFor(linkwork.RoleCoordinator)
			s := newServices(db)
			u, err := s.users.FindUserByEmail(linkwork.NewContext(ctx, linkwork.SystemActor("test")), login.Email)
			if err != nil {
				t.Fatal(err)
			}
			e, err := s.equity().Equity(linkwork.NewContext(ctx, u.Actor()), linkwork.ReportFilter{From: linkwork.Date{Year: cfg.Now.Year() - 9, Month: 1, Day: 1}})
			if err != nil {
				t.Fatal(err)
			}
			imd := rowsOf(e, linkwork.EquityDeprivation)
			total := e.Table(linkwork.EquityDeprivation).Total.N
			if total < 50 || imd[linkwork.GroupNotKnown].Referrals.N != 0 {
				t.Fatalf("%d referrals, %d with no area", total, imd[linkwork.GroupNotKnown].Referrals.N)
			}
			if imd["1"].Referrals.N <= imd["10"].Referrals.N {
				t.Errorf("decile 1 has %d referrals, decile 10 %d: no skew towards deprivation", imd["1"].Referrals.N, imd["10"].Referrals.N)
			}
			// The counts the loader's rows kept are those the referrals
			// give, counted afresh.
			recount, err := s.equity().CountFromFacts().Equity(linkwork.NewContext(ctx, u.Actor()), e.Filter)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(e.Tables, recount.Tables) {
				t.Errorf("kept %+v\ncounted %+v", e.Tables, recount.Tables)
			}
			if e.Population == nil || e.Population.Shares[linkwork.EquityEthnicity]["white"] != 79 {
				t.Errorf("the demo population: %+v", e.Population)
			}
		})
	}
}
