package main

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// operation is one kind of request in the mixed workload: a route as one
// kind of user uses it. Its name is the route's name in the report.
type operation struct {
	name   string
	weight int // thousandths of the mix: the weights of all operations add up to 1000
	write  bool
	// needs is the API route, as "METHOD /path" in the server's OpenAPI
	// description, that came with the feature this operation uses; a
	// server without it (an older linkwork) runs the workload without this
	// operation. Empty for what every linkwork has.
	needs string
	// missing says what the city lacks for this operation, or "" when it
	// has what the operation works on.
	missing func(w *world) string
	// next makes the request; false when there is nothing to do at this
	// moment (no referral awaiting a decision), and another operation is
	// chosen.
	next func(w *world, r *rand.Rand) (call, bool)
}

// operations returns the workload: 85% reads of the pages and API answers
// that people use most, 15% writes (new referrals, triage decisions and
// casework). Each operation's user is one who uses that route in a day's
// work. BENCHMARKS.md describes it (and a test keeps the two in step).
func operations() []operation {
	page := func(as *user, path string) call {
		return call{method: "GET", path: path, as: as, want: http.StatusOK}
	}
	api := func(as *user, path string) call {
		return call{method: "GET", path: path, as: as, api: true, want: http.StatusOK}
	}
	anyone := func(w *world, r *rand.Rand) *user {
		if r.IntN(2) == 0 {
			return nil // the directory and ORUK are public: half their readers are not signed in
		}
		return one(r, w.users)
	}
	need := func(what string, ok func(w *world) bool) func(w *world) string {
		return func(w *world) string {
			if ok(w) {
				return ""
			}
			return "the city has no " + what
		}
	}
	noRefs := need("referrals", func(w *world) bool { return len(w.referrals) > 0 })
	noCases := need("open cases", func(w *world) bool { return len(w.cases) > 0 && len(w.caseWorkers) > 0 })
	noListings := need("listings with a postcode", func(w *world) bool { return len(w.listings) > 0 && len(w.postcodes) > 0 && len(w.words) > 0 })

	return []operation{
		// Pages.
		{name: "home", weight: 50, next: func(w *world, r *rand.Rand) (call, bool) {
			return page(one(r, w.users), "/"), true
		}},
		{name: "triage", weight: 45, next: func(w *world, r *rand.Rand) (call, bool) {
			return page(one(r, w.staff), "/triage"), true
		}},
		{name: "referral", weight: 80, missing: noRefs, next: func(w *world, r *rand.Rand) (call, bool) {
			if r.IntN(10) < 3 && len(w.ownReferrals) > 0 {
				return page(w.referrer, "/referrals/"+one(r, w.ownReferrals)), true
			}
			return page(one(r, w.staff), "/referrals/"+one(r, w.referrals)), true
		}},
		{name: "waiting-list", weight: 35, next: func(w *world, r *rand.Rand) (call, bool) {
			return page(one(r, w.triagers), "/waiting-list"), true
		}},
		{name: "case", weight: 85, missing: noCases, next: func(w *world, r *rand.Rand) (call, bool) {
			if r.IntN(10) < 6 {
				lw := one(r, w.caseWorkers)
				return page(lw, "/cases/"+one(r, w.workerCases[lw])), true
			}
			return page(one(r, []*user{w.coordinator, w.safeguarder}), "/cases/"+one(r, w.cases)), true
		}},
		{name: "caseload", weight: 35, needs: "GET /caseload", next: func(w *world, r *rand.Rand) (call, bool) {
			return page(one(r, w.linkWorkers), "/caseload"), true
		}},
		{name: "referrals", weight: 45, next: func(w *world, r *rand.Rand) (call, bool) {
			as := one(r, append([]*user{w.referrer}, w.triagers...))
			return page(as, "/referrals?"+one(r, []string{"", "status=open", "status=accepted", "page=2"})), true
		}},
		{name: "notifications", weight: 20, next: func(w *world, r *rand.Rand) (call, bool) {
			return page(one(r, w.users), "/notifications"), true
		}},
		{name: "directory-search", weight: 80, missing: noListings, next: func(w *world, r *rand.Rand) (call, bool) {
			return page(anyone(w, r), "/directory?"+directoryQuery(w, r)), true
		}},
		{name: "listing", weight: 45, missing: noListings, next: func(w *world, r *rand.Rand) (call, bool) {
			return page(anyone(w, r), "/directory/"+one(r, w.listings)), true
		}},
		{name: "connections", weight: 20, next: func(w *world, r *rand.Rand) (call, bool) {
			return page(one(r, []*user{w.community, w.community, w.coordinator}), "/connections"), true
		}},
		{name: "team", weight: 10, needs: "GET /team", next: func(w *world, r *rand.Rand) (call, bool) {
			return page(w.coordinator, "/team"), true
		}},
		{name: "concerns", weight: 10, needs: "GET /concerns", next: func(w *world, r *rand.Rand) (call, bool) {
			return page(one(r, []*user{w.coordinator, w.safeguarder}), "/concerns"), true
		}},
		{name: "measures", weight: 10, needs: "GET /measures/summary", next: func(w *world, r *rand.Rand) (call, bool) {
			return page(one(r, []*user{w.coordinator, w.commissioner}), "/measures"), true
		}},
		{name: "reports", weight: 10, needs: "GET /reports/dashboard", next: func(w *world, r *rand.Rand) (call, bool) {
			return page(one(r, []*user{w.coordinator, w.commissioner}), "/reports"), true
		}},
		{name: "oruk-services", weight: 35, missing: noListings, next: func(w *world, r *rand.Rand) (call, bool) {
			return call{method: "GET", path: "/oruk/services?" + query("search", one(r, w.words), "page", strconv.Itoa(1+r.IntN(2))), want: http.StatusOK}, true
		}},
		{name: "oruk-locations", weight: 35, missing: noListings, next: func(w *world, r *rand.Rand) (call, bool) {
			q := query("postcode", one(r, w.postcodes), "proximity", one(r, []string{"2000", "5000", "10000"}))
			return call{method: "GET", path: "/oruk/service_at_locations?" + q, want: http.StatusOK}, true
		}},

		// API reads.
		{name: "api-referrals", weight: 40, next: func(w *world, r *rand.Rand) (call, bool) {
			if r.IntN(3) == 0 {
				return api(w.referrer, "/api/v1/referrals?limit=25&mine=true"), true
			}
			return api(one(r, w.triagers), "/api/v1/referrals?limit=25&"+one(r, []string{"status=received,triage", "status=accepted", "offset=25"})), true
		}},
		{name: "api-referral", weight: 40, missing: noRefs, next: func(w *world, r *rand.Rand) (call, bool) {
			return api(one(r, w.staff), "/api/v1/referrals/"+one(r, w.referrals)), true
		}},
		{name: "api-case", weight: 35, missing: noCases, next: func(w *world, r *rand.Rand) (call, bool) {
			lw := one(r, w.caseWorkers)
			return api(lw, "/api/v1/cases/"+one(r, w.workerCases[lw])), true
		}},
		{name: "api-caseload", weight: 30, needs: "GET /caseload", next: func(w *world, r *rand.Rand) (call, bool) {
			return api(one(r, w.linkWorkers), "/api/v1/caseload"), true
		}},
		{name: "api-directory", weight: 30, missing: noListings, next: func(w *world, r *rand.Rand) (call, bool) {
			return api(anyone(w, r), "/api/v1/assets?limit=20&"+directoryQuery(w, r)), true
		}},
		{name: "api-home", weight: 25, next: func(w *world, r *rand.Rand) (call, bool) {
			return api(one(r, w.users), "/api/v1/home"), true
		}},

		// Writes.
		{name: "api-referral-new", weight: 45, write: true, next: func(w *world, r *rand.Rand) (call, bool) {
			return call{method: "POST", path: "/api/v1/referrals", as: w.referrer, api: true, json: newReferral(w, r),
				want: http.StatusCreated, read: w.readReferral}, true
		}},
		{name: "api-decision", weight: 40, write: true, next: func(w *world, r *rand.Rand) (call, bool) {
			o, ok := w.takeOpen(r)
			if !ok {
				return call{}, false
			}
			return call{method: "POST", path: "/api/v1/referrals/" + o.id + "/decision", as: one(r, w.triagers), api: true,
				json: decision(o, r), want: http.StatusOK, read: w.readReferral}, true
		}},
		{name: "api-contact", weight: 35, write: true, needs: "POST /cases/{id}/contacts", missing: noCases, next: func(w *world, r *rand.Rand) (call, bool) {
			lw := one(r, w.caseWorkers)
			return call{method: "POST", path: "/api/v1/cases/" + one(r, w.workerCases[lw]) + "/contacts", as: lw, api: true,
				json: contact(r), want: http.StatusCreated}, true
		}},
		{name: "api-waiting-check", weight: 15, write: true, needs: "POST /cases/{id}/waiting-checks",
			missing: need("waiting cases", func(w *world) bool { return len(w.waiting) > 0 }),
			next: func(w *world, r *rand.Rand) (call, bool) {
				id, ok := w.oneWaiting(r)
				if !ok {
					return call{}, false
				}
				return call{method: "POST", path: "/api/v1/cases/" + id + "/waiting-checks", as: w.coordinator, api: true,
					json: waitingCheck(r), want: http.StatusCreated}, true
			}},
		{name: "api-goal-rating", weight: 15, write: true, needs: "POST /goals/{id}/ratings",
			missing: need("goals on the link workers' cases", func(w *world) bool { return len(w.goals) > 0 }),
			next: func(w *world, r *rand.Rand) (call, bool) {
				g := one(r, w.goals)
				return call{method: "POST", path: "/api/v1/goals/" + g.id + "/ratings", as: g.worker, api: true,
					json: map[string]any{"rating": r.IntN(linkwork.MaxRating + 1), "scale": g.scale}, want: http.StatusCreated}, true
			}},
	}
}

// directoryQuery is a search of the directory as people make them: words,
// often a filter, near a listing's postcode.
func directoryQuery(w *world, r *rand.Rand) string {
	kv := []string{"q", one(r, w.words), "postcode", one(r, w.postcodes), "radius_km", one(r, []string{"2", "5", "10"})}
	switch r.IntN(5) {
	case 0:
		kv = append(kv, "category", string(one(r, linkwork.Categories)))
	case 1:
		kv = append(kv, "free", "true")
	case 2:
		kv = append(kv, "youth_friendly", "true")
	case 3:
		kv = append(kv, "day", one(r, linkwork.Weekdays))
	}
	return query(kv...)
}

var (
	givenNames  = []string{"Aisha", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Harry", "Isla", "Jacob", "Kiran", "Lily", "Mohammed", "Niamh", "Oscar", "Priya", "Ruby", "Sam", "Tom", "Zara"}
	familyNames = []string{"Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones", "Khan", "Lewis", "Morgan", "Nowak", "Patel", "Roberts", "Smith", "Taylor", "Walker", "Young"}
	reasons     = []string{
		"Lonely since retiring and would like to meet people nearby.",
		"Low mood after a bereavement; keen to get out more.",
		"Recently moved to the area and knows nobody.",
		"Struggling with money worries and would like advice and company.",
		"Long-term back pain; wants gentle activity with others.",
	}
)

// newReferral is a GP's referral of a made-up adult, as the API takes it.
func newReferral(w *world, r *rand.Rand) map[string]any {
	dob := time.Now().AddDate(-(18 + r.IntN(60)), -r.IntN(12), -r.IntN(28)).Format(time.DateOnly)
	person := map[string]any{
		"given_name": one(r, givenNames), "family_name": one(r, familyNames), "date_of_birth": dob,
		"phone":   fmt.Sprintf("07700 900%03d", r.IntN(1000)),
		"contact": map[string]any{"channels": []string{"phone", "text"}, "safe_to_leave_message": true},
	}
	if len(w.postcodes) > 0 {
		person["postcode"] = one(r, w.postcodes)
	}
	ref := map[string]any{
		"service_org_id": w.serviceOrgID, "pathway": "gp", "mode": "referral",
		"reasons": one(r, reasons), "what_they_want": "Something to do in the week, with other people.",
		"person_aware": true, "consent_referral": true, "consent_sharing": true, "person": person,
	}
	if w.safetyQuestions {
		ref["safe_now"], ref["harm_thoughts"] = "yes", "no"
	}
	return ref
}

// decision is a triage decision on an open referral: a received referral
// mostly goes to triage; a referral in triage is mostly accepted or
// declined.
func decision(o openReferral, r *rand.Rand) map[string]any {
	var to linkwork.ReferralStatus
	n := r.IntN(100)
	switch o.status {
	case linkwork.ReferralReceived:
		to = pickStatus(n, 60, linkwork.ReferralTriage, 15, linkwork.ReferralAccepted, 15, linkwork.ReferralDeclined, 10, linkwork.ReferralDeferred)
	case linkwork.ReferralDeferred:
		to = pickStatus(n, 20, linkwork.ReferralTriage, 50, linkwork.ReferralAccepted, 30, linkwork.ReferralDeclined)
	default:
		to = pickStatus(n, 45, linkwork.ReferralAccepted, 35, linkwork.ReferralDeclined, 20, linkwork.ReferralDeferred)
	}
	d := map[string]any{"version": o.version, "to": to}
	switch to {
	case linkwork.ReferralDeclined:
		d["reason"] = "Their needs are clinical: better met by the community mental health team."
		d["onward_destination"] = "Community mental health team"
	case linkwork.ReferralDeferred:
		d["defer_until"] = time.Now().AddDate(0, 0, 14+r.IntN(45)).Format(time.DateOnly)
		d["reason"] = "In hospital for a few weeks; back to the queue when home."
	}
	return d
}

// pickStatus chooses among statuses by percentages: n in [0, 100) and
// pairs of a percentage and a status.
func pickStatus(n int, pairs ...any) linkwork.ReferralStatus {
	var last linkwork.ReferralStatus
	for i := 0; i+1 < len(pairs); i += 2 {
		last = pairs[i+1].(linkwork.ReferralStatus)
		if n < pairs[i].(int) {
			return last
		}
		n -= pairs[i].(int)
	}
	return last
}

// contact is what a link worker records on a case: an attempt to reach
// the person, a session that has happened, or a session booked ahead.
func contact(r *rand.Rand) map[string]any {
	now := time.Now().UTC()
	switch n := r.IntN(10); {
	case n < 4:
		return map[string]any{"at": now.Add(-2 * time.Hour).Format(time.RFC3339), "mode": "phone",
			"outcome": one(r, []string{"reached", "no_answer", "message_left"})}
	case n < 8:
		return map[string]any{"at": now.Add(-time.Hour).Format(time.RFC3339), "mode": "face_to_face", "location_type": "community_centre",
			"outcome": "attended", "minutes": 30 + r.IntN(31), "notes": "Talked through what matters to them and the groups nearby."}
	default:
		return map[string]any{"at": now.AddDate(0, 0, 7).Truncate(time.Hour).Format(time.RFC3339), "mode": "face_to_face", "location_type": "youth_hub",
			"outcome": "booked", "minutes": 60}
	}
}

// waitingCheck is a coordinator's check-in with someone on the waiting
// list.
func waitingCheck(r *rand.Rand) map[string]any {
	if r.IntN(10) < 3 {
		return map[string]any{"contacted": false, "changed": "No answer; will try again next week."}
	}
	return map[string]any{"contacted": true, "still_wants": "yes", "changed": "Still keen to start; nothing new.", "safe_now": "yes", "harm_thoughts": "no"}
}

// chooser picks an operation at random in proportion to its weight.
type chooser struct {
	cum []int // cum[i] is the sum of the weights of operations 0 to i
}

// newChooser returns a chooser over the weights; a weight of 0 is never
// chosen. At least one weight must be positive.
func newChooser(weights []int) chooser {
	c := chooser{cum: make([]int, len(weights))}
	sum := 0
	for i, wt := range weights {
		sum += max(wt, 0)
		c.cum[i] = sum
	}
	return c
}

// total is the sum of the weights.
func (c chooser) total() int { return c.cum[len(c.cum)-1] }

// at returns the operation that x, in [0, total), falls to: the first
// whose cumulative weight exceeds x.
func (c chooser) at(x int) int {
	return sort.Search(len(c.cum), func(i int) bool { return c.cum[i] > x })
}

// pick chooses an operation.
func (c chooser) pick(r *rand.Rand) int { return c.at(r.IntN(c.total())) }
