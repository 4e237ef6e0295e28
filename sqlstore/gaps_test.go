package sqlstore_test

import (
	"slices"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

func TestGaps(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		gaps := sqlstore.NewGapService(w.db)
		k := w.accept(t, w.refer(t, "Eli", "Ward"), w.linkWorker)
		want := func(category linkwork.Category, missing linkwork.GapReason) *linkwork.Gap {
			return &linkwork.Gap{CaseID: k.ID, Category: category, Wanted: "Girls' football on a weekday", Missing: missing}
		}
		var first *linkwork.Gap
		t.Run("the link worker logs a gap for their own case, with only the person's age band and district", func(t *testing.T) {
			first = want(linkwork.CategorySports, linkwork.GapNoneNearby)
			first.AgeBand, first.District = "26-plus", "ZZ9" // the service says, not the worker
			if err := gaps.LogGap(w.as(w.linkWorker), first); err != nil {
				t.Fatal(err)
			}
			if first.AgeBand != "13-15" || first.District != "S2" || first.ServiceOrgID != w.service.ID || first.ByUserID != w.linkWorker.ID {
				t.Fatalf("gap %+v", first)
			}
			if got := auditedActions(t, w, first.ID); !slices.Contains(got, "gap.create by "+w.linkWorker.ID) {
				t.Fatalf("audit %v", got)
			}
		})
		t.Run("bad input names the field", func(t *testing.T) {
			wantField(t, gaps.LogGap(w.as(w.linkWorker), want("knitting", linkwork.GapFull)), "category")
			wantField(t, gaps.LogGap(w.as(w.linkWorker), want(linkwork.CategorySports, "weather")), "missing")
		})
		t.Run("who may not log a gap for the case", func(t *testing.T) {
			tests := map[string]struct {
				who  *linkwork.User
				code string
			}{
				"another link worker does not see the case":      {w.otherWorker, linkwork.ENOTFOUND},
				"another service's coordinator does not see it":  {w.foreignCoord, linkwork.ENOTFOUND},
				"the safeguarding lead sees it but does not log": {w.safeguarding, linkwork.EFORBIDDEN},
				"the commissioner does not see it":               {w.commissioner, linkwork.ENOTFOUND},
				"the community organisation does not see it":     {w.community, linkwork.ENOTFOUND},
			}
			for name, tt := range tests {
				t.Run(name, func(t *testing.T) {
					wantCode(t, gaps.LogGap(w.as(tt.who), want(linkwork.CategorySports, linkwork.GapCost)), tt.code)
				})
			}
		})
		t.Run("the coordinator logs for any case of the service", func(t *testing.T) {
			w.clock.Advance(time.Minute)
			if err := gaps.LogGap(w.as(w.coordinator), want(linkwork.CategoryCreative, linkwork.GapCost)); err != nil {
				t.Fatal(err)
			}
			w.clock.Advance(time.Minute)
			if err := gaps.LogGap(w.as(w.coordinator), want(linkwork.CategorySports, linkwork.GapFull)); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("the coordinator reads totals by category and area, newest first", func(t *testing.T) {
			s, err := gaps.SummariseGaps(w.as(w.coordinator), 2)
			if err != nil {
				t.Fatal(err)
			}
			if s.Total != 3 || len(s.ByCategory) != 2 || s.ByCategory[0] != (linkwork.GapCount{Key: "sports", Label: "Sports", Count: 2}) {
				t.Fatalf("by category %+v", s)
			}
			if len(s.ByArea) != 1 || s.ByArea[0].Key != "S2" || s.ByArea[0].Count != 3 {
				t.Fatalf("by area %+v", s.ByArea)
			}
			if len(s.Newest) != 2 || s.Newest[0].Missing != linkwork.GapFull || s.Newest[1].Category != linkwork.CategoryCreative {
				t.Fatalf("newest %+v", s.Newest)
			}
		})
		t.Run("nobody else reads the service's gaps", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.safeguarding, w.foreignCoord, w.commissioner, w.community, w.referrer, w.admin} {
				s, err := gaps.SummariseGaps(w.as(u), 10)
				if err != nil || s.Total != 0 || len(s.Newest) != 0 {
					t.Errorf("%s reads %+v, %v", u.Role, s, err)
				}
			}
		})
	})
}
