package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestMeasureSettings chooses the service's measures by age band on the
// settings page and through their API: SWEMWBS chosen for under 13 is
// then offered to an 11-year-old, with the service's wording, and a
// mistake is named on the field of its band and measure.
func TestMeasureSettings(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		coord := f.clients[linkwork.RoleCoordinator]
		lw := f.clients[linkwork.RoleLinkWorker]
		service := f.users[linkwork.RoleCoordinator].OrgID
		child := f.caseAged(t, "Measuresettings", 11)
		if _, page, _ := f.do(lw, "GET", "/cases/"+child+"/measures/new", "", "", nil); strings.Contains(page, "instrument=swemwbs") {
			t.Fatal("SWEMWBS is offered to an 11-year-old by default")
		}
		_, page, _ := f.do(coord, "GET", "/admin/service", "", "", nil)
		if !strings.Contains(page, `name="measures.under-13.swemwbs"`) || !strings.Contains(page, `name="wording.swemwbs"`) {
			t.Fatal("the settings page has no measures fields")
		}
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]
		fields := url.Values{"version": {version}, "red": {"Danger now"}, "amber": {"Talk first"}, "green": {"Lonely"}, "crisis_advice": {"Ring 999."}}
		form := func(extra url.Values) (int, string) {
			v := url.Values{}
			for k, x := range fields {
				v[k] = x
			}
			for k, x := range extra {
				v[k] = x
			}
			status, body, _ := f.do(coord, "POST", "/admin/service", "application/x-www-form-urlencoded", v.Encode(), nil)
			return status, body
		}
		for _, tt := range []struct {
			name  string
			extra url.Values
			field string
		}{
			{"mandated without saying when", url.Values{"measures.under-13.gbo": {"mandated"}}, "measures.under-13.gbo"},
			{"wording with a question missing", url.Values{"wording.swemwbs": {"One\nTwo\nThree"}}, "wording.swemwbs"},
		} {
			if status, body := form(tt.extra); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#`+tt.field) {
				t.Errorf("%s: status %d; want 422 naming %s", tt.name, status, tt.field)
			}
		}
		wording := "Question one\nQuestion two\nQuestion three\nQuestion four\nQuestion five\nQuestion six\nQuestion seven"
		if status, body := form(url.Values{"measures.under-13.swemwbs": {"baseline", "end", "mandated"}, "measures.under-13.gbo": {"baseline"}, "wording.swemwbs": {wording}}); status != http.StatusSeeOther {
			t.Fatalf("saving the measures: status %d\n%s", status, body)
		}
		st, err := f.services.Triage.ServiceSettings(context.Background(), service)
		if u, ok := st.Measures.Use("under-13", linkwork.InstrumentSWEMWBS); err != nil || !ok || !u.Mandated || len(u.Timepoints) != 2 {
			t.Fatalf("saved %+v (%v)", st.Measures, err)
		}
		_, page, _ = f.do(lw, "GET", "/cases/"+child+"/measures/new", "", "", nil)
		if !strings.Contains(page, "instrument=swemwbs") || strings.Contains(page, "instrument=wemwbs") {
			t.Error("an 11-year-old is not offered exactly what the service chose for under 13")
		}
		_, page, _ = f.do(lw, "GET", "/cases/"+child+"/measures/new?instrument=swemwbs", "", "", nil)
		if !strings.Contains(page, "7. Question seven") || strings.Contains(page, `data-testid="licensed"`) {
			t.Error("the SWEMWBS form does not show the service's wording")
		}

		// The API: not public, keeps the rest of the settings, names a
		// mistake by its place.
		a := &apiTester{f: f, doc: doc}
		got := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/services/" + service + "/measures"})
		if got.status != http.StatusOK || len(got.v["uses"].([]any)) != 2 || len(got.v["wording"].(map[string]any)["swemwbs"].([]any)) != 7 {
			t.Fatalf("GET measures: %d %s", got.status, got.body)
		}
		if pub := a.send(t, apiCase{method: "GET", path: "/api/v1/services/" + service}); strings.Contains(pub.body, "Question seven") {
			t.Fatal("the public settings show the service's licensed wording")
		}
		put := func(b map[string]any) apiAnswer {
			raw, _ := json.Marshal(b)
			return a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "PUT", path: "/api/v1/services/" + service + "/measures", body: string(raw)})
		}
		bad := put(map[string]any{"version": got.v["version"], "wording": map[string]any{}, "uses": []any{
			map[string]any{"age_band": "13-15", "instrument": "gbo", "timepoints": []string{"baseline"}},
			map[string]any{"age_band": "13-15", "instrument": "gbo", "timepoints": []string{"end"}}}})
		if bad.status != http.StatusUnprocessableEntity || !slices.Contains(apiErrorFields(bad.v), "uses[1].instrument") {
			t.Fatalf("PUT an instrument twice in a band: %d %s", bad.status, bad.body)
		}
		ans := put(map[string]any{"version": got.v["version"], "wording": map[string]any{}, "uses": []any{
			map[string]any{"age_band": "13-15", "instrument": "swemwbs", "timepoints": []string{"baseline", "end"}, "mandated": true}}})
		if ans.status != http.StatusOK || len(ans.v["uses"].([]any)) != 1 || len(ans.v["wording"].(map[string]any)) != 0 {
			t.Fatalf("PUT measures: %d %s", ans.status, ans.body)
		}
		st, _ = f.services.Triage.ServiceSettings(context.Background(), service)
		if st.CrisisAdvice != "Ring 999." {
			t.Errorf("saving the measures changed the rest of the settings: %+v", st)
		}
	})
}
