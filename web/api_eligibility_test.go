package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// pageEligibility reads the eligibility a referral's page shows: the
// summary, and each rule's tag and reason in order. shown is false when
// the page has none.
func pageEligibility(t *testing.T, body string) (shown, eligible bool, checks []string) {
	t.Helper()
	list := regexp.MustCompile(`(?s)<ul class="govuk-list" data-testid="eligibility">(.*?)</ul>`).FindStringSubmatch(body)
	if list == nil {
		return false, false, nil
	}
	tags := map[string]string{"Meets": "meets", "Check": "unknown", "Does not meet": "does_not_meet"}
	for _, m := range regexp.MustCompile(`<li><strong class="govuk-tag[^"]*">([^<]+)</strong> (.*?)</li>`).FindAllStringSubmatch(list[1], -1) {
		checks = append(checks, tags[m[1]]+": "+html.UnescapeString(m[2]))
	}
	return true, strings.Contains(body, "Within the service's criteria"), checks
}

// TestAReferralsEligibilityIsWhatItsPageShows: GET /api/v1/referrals/{id}
// carries the eligibility the referral's page shows its reader, rule by
// rule, and none where the page shows none (to the referrer).
func TestAReferralsEligibilityIsWhatItsPageShows(t *testing.T) {
	f := sqliteFixture(t)
	a := &apiTester{f: f, doc: loadOpenAPI(t)}
	list := a.send(t, apiCase{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/referrals?limit=50"})
	if list.status != http.StatusOK || len(listItems(list.v)) == 0 {
		t.Fatalf("the referrer's referrals: %d %s", list.status, list.body)
	}
	// A referral outside the service's criteria (too young for it) and
	// one of the referrer's own from the demo city.
	young := apiReferralBody(f.users[linkwork.RoleCoordinator].OrgID, "gp", "referral", "Tiny", map[string]any{"date_of_birth": "2020-01-01", "guardians": nil})
	made := a.send(t, apiCase{role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/referrals", body: young})
	if made.status != http.StatusCreated {
		t.Fatalf("make a referral: %d %s", made.status, made.body)
	}
	ids := []string{jsonStr(made.v, "id"), jsonStr(listItems(list.v)[0], "id")}
	tests := []struct {
		name  string
		role  linkwork.Role
		shown bool
	}{
		{"a link worker sees the same eligibility in both", linkwork.RoleLinkWorker, true},
		{"a coordinator sees the same eligibility in both", linkwork.RoleCoordinator, true},
		{"the safeguarding lead sees the same eligibility in both", linkwork.RoleSafeguarding, true},
		{"the referrer sees eligibility in neither", linkwork.RoleReferrer, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, id := range ids {
				ans := a.send(t, apiCase{role: tt.role, method: "GET", path: "/api/v1/referrals/" + id})
				if ans.status != http.StatusOK {
					t.Fatalf("GET referral %s: %d %s", id, ans.status, ans.body)
				}
				var got struct {
					Eligibility *struct {
						Eligible bool `json:"eligible"`
						Checks   []struct{ Rule, Result, Reason string }
					} `json:"eligibility"`
				}
				if err := json.Unmarshal([]byte(ans.body), &got); err != nil {
					t.Fatal(err)
				}
				status, body, _ := f.do(f.clients[tt.role], "GET", "/referrals/"+id, "", "", nil)
				if status != http.StatusOK {
					t.Fatalf("the referral's page: %d", status)
				}
				shown, eligible, checks := pageEligibility(t, body)
				if shown != tt.shown || (got.Eligibility != nil) != tt.shown {
					t.Fatalf("referral %s: page shows eligibility %v, API %v; want %v", id, shown, got.Eligibility != nil, tt.shown)
				}
				if !shown {
					continue
				}
				var apiChecks []string
				for _, c := range got.Eligibility.Checks {
					apiChecks = append(apiChecks, c.Result+": "+c.Reason)
				}
				if got.Eligibility.Eligible != eligible || !slices.Equal(apiChecks, checks) || len(checks) == 0 {
					t.Errorf("referral %s: API says eligible %v %q; the page %v %q", id, got.Eligibility.Eligible, apiChecks, eligible, checks)
				}
			}
		})
	}
	t.Run("a referral outside the criteria says so in both", func(t *testing.T) {
		_, body, _ := f.do(f.clients[linkwork.RoleLinkWorker], "GET", "/referrals/"+ids[0], "", "", nil)
		if _, eligible, checks := pageEligibility(t, body); eligible || !slices.ContainsFunc(checks, func(c string) bool { return strings.HasPrefix(c, "does_not_meet: Aged") }) {
			t.Errorf("a child of six is within the criteria: %q", checks)
		}
	})
}
