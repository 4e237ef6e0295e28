package web

import (
	"net/url"
	"slices"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// FuzzReportFilterOf: the dashboard's query parameters never panic the
// parser; what it refuses is a bad request naming a parameter it reads;
// what it takes is a filter the dashboard takes.
func FuzzReportFilterOf(f *testing.F) {
	for _, q := range []string{"", "from=2026-01-01&to=2026-03-31&pathway=gp", "from=yesterday", "to=2026-02-30", "pathway=carrier_pigeon",
		"age_band=13-15&link_worker_id=x&referrer_org_id=y", "from=2010-01-01&to=2026-01-01", "from=2026-03-02&to=2026-03-01", "pathway=%00"} {
		f.Add(q)
	}
	today := linkwork.Date{Year: 2026, Month: 3, Day: 10}
	params := []string{"from", "to", "pathway", "age_band", "link_worker_id", "referrer_org_id"}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		filter, err := reportFilterOf(q, today)
		if err != nil {
			fields := linkwork.ErrorFields(err)
			if linkwork.ErrorCode(err) != linkwork.EMALFORMED || len(fields) == 0 {
				t.Fatalf("%q: %v (%s), want a bad request naming a parameter", raw, err, linkwork.ErrorCode(err))
			}
			for _, fe := range fields {
				if !slices.Contains(params, fe.Field) {
					t.Fatalf("%q: the error names %q, not a parameter", raw, fe.Field)
				}
			}
			return
		}
		if err := filter.Validate(today); err != nil {
			t.Fatalf("%q was taken as %+v, which the dashboard refuses: %v", raw, filter, err)
		}
	})
}
