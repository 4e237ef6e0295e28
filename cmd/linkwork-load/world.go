package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// extraLinkWorkers is how many link workers beyond the demo's own sign in
// when the city has them. With the seven demo accounts that makes ten
// sign-ins, the server's allowance from one address at once (see
// loginLimits in web/limits.go).
const extraLinkWorkers = 3

// samplePages and samplePage: lists of records are sampled a page at a
// time from pages spread over the whole list, so that a big city is
// sampled from its old records as well as its new.
const (
	samplePages = 4
	samplePage  = 100
)

// goalCases is how many of each link worker's cases are looked at for
// goals to rate.
const goalCases = 20

// world is what the workload works on: the users signed in and the
// records found through the API when the run starts, so that the same
// workload runs on a city of any size. The pools of open referrals and
// waiting cases change as the workload decides and accepts referrals.
type world struct {
	users       []*user // every account signed in
	referrer    *user
	linkWorkers []*user
	coordinator *user
	safeguarder *user
	community   *user
	// commissioner reads the figures of the service it funds.
	commissioner *user
	staff        []*user // the coordinator, the safeguarding lead and the link workers
	triagers     []*user // the coordinator and the link workers

	serviceOrgID string
	referrals    []string           // referrals to the service
	ownReferrals []string           // referrals from the referrer's organisation
	cases        []string           // open cases of the service
	workerCases  map[*user][]string // each link worker's own open cases
	caseWorkers  []*user            // the link workers with open cases
	goals        []goalRef          // goals still being worked on, on the link workers' cases
	listings     []string
	postcodes    []string // where the directory's listings meet
	words        []string // words from listings' names, to search for
	// safetyQuestions: the server's referrals ask whether the person is
	// safe now (servers from before that refuse the fields).
	safetyQuestions bool

	mu      sync.Mutex
	open    []openReferral // referrals awaiting a decision
	waiting []string       // cases on the waiting list
}

// openReferral is a referral awaiting a decision, as last read.
type openReferral struct {
	id      string
	version int
	status  linkwork.ReferralStatus
}

// goalRef is a goal a link worker may rate.
type goalRef struct {
	worker *user
	id     string
	scale  string
}

// list is a page of a list from the API.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

type referralItem struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Version  int    `json:"version"`
	CaseID   string `json:"case_id"`
	RiskFlag *struct {
		State string `json:"state"`
	} `json:"risk_flag"`
}

// needsRiskReview reports whether the referral disclosed a possible risk
// that must be acted on before it is decided.
func (r referralItem) needsRiskReview() bool {
	return r.RiskFlag != nil && linkwork.RiskState(r.RiskFlag.State) == linkwork.RiskReviewToday
}

type caseItem struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Version int    `json:"version"`
}

type assetItem struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Locations []struct {
		PostalCode string `json:"postal_code"`
	} `json:"locations"`
}

type userItem struct {
	Email string `json:"email"`
}

type goalItem struct {
	ID       string `json:"id"`
	Achieved bool   `json:"achieved"`
	Ratings  []struct {
		Scale string `json:"scale"`
	} `json:"ratings"`
}

// signInAll signs in the demo accounts of every role and up to
// extraLinkWorkers more link workers.
func signInAll(ctx context.Context, c *client, password string) (*world, error) {
	w := &world{workerCases: map[*user][]string{}}
	for _, l := range demo.Logins {
		u, err := c.signIn(ctx, l.Email, password)
		if err != nil {
			return nil, err
		}
		w.users = append(w.users, u)
		switch l.Role {
		case linkwork.RoleReferrer:
			w.referrer = u
		case linkwork.RoleLinkWorker:
			w.linkWorkers = append(w.linkWorkers, u)
		case linkwork.RoleCoordinator:
			w.coordinator = u
		case linkwork.RoleSafeguarding:
			w.safeguarder = u
		case linkwork.RoleCommunity:
			w.community = u
		case linkwork.RoleCommissioner:
			w.commissioner = u
		}
	}
	if w.referrer == nil || w.coordinator == nil || w.safeguarder == nil || w.community == nil || w.commissioner == nil || len(w.linkWorkers) == 0 {
		return nil, fmt.Errorf("the demo accounts lack a role the workload needs")
	}
	var workers list[userItem]
	if err := c.getJSON(ctx, w.coordinator, "/api/v1/users?role=link_worker&limit=100", &workers); err != nil {
		return nil, err
	}
	n := 0
	for _, it := range workers.Items {
		if n == extraLinkWorkers {
			break
		}
		if it.Email == w.linkWorkers[0].Email {
			continue
		}
		u, err := c.signIn(ctx, it.Email, password)
		if err != nil {
			return nil, err
		}
		w.users = append(w.users, u)
		w.linkWorkers = append(w.linkWorkers, u)
		n++
	}
	w.triagers = append([]*user{w.coordinator}, w.linkWorkers...)
	w.staff = append([]*user{w.coordinator, w.safeguarder}, w.linkWorkers...)
	return w, nil
}

// spread fetches up to samplePages pages of samplePage items of an API
// list, the first at its start and the others spread over its length.
func spread[T any](ctx context.Context, c *client, as *user, path string) ([]T, error) {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	page := func(offset int) (list[T], error) {
		var l list[T]
		err := c.getJSON(ctx, as, fmt.Sprintf("%s%slimit=%d&offset=%d", path, sep, samplePage, offset), &l)
		return l, err
	}
	first, err := page(0)
	if err != nil {
		return nil, err
	}
	items := first.Items
	if first.Total <= samplePage {
		return items, nil
	}
	for i := 1; i < samplePages; i++ {
		offset := max(first.Total*i/samplePages, samplePage*i)
		if offset >= first.Total {
			break
		}
		l, err := page(offset)
		if err != nil {
			return nil, err
		}
		items = append(items, l.Items...)
	}
	return items, nil
}

// discover finds the records the workload works on. goals says whether
// to look for goals to rate (the server may not have them).
func (w *world) discover(ctx context.Context, c *client, goals bool) error {
	w.serviceOrgID = w.coordinator.OrgID
	refs, err := spread[referralItem](ctx, c, w.coordinator, "/api/v1/referrals")
	if err != nil {
		return err
	}
	w.referrals = ids(refs, func(r referralItem) string { return r.ID })
	own, err := spread[referralItem](ctx, c, w.referrer, "/api/v1/referrals")
	if err != nil {
		return err
	}
	w.ownReferrals = ids(own, func(r referralItem) string { return r.ID })
	open, err := spread[referralItem](ctx, c, w.coordinator, "/api/v1/referrals?status=received,triage,deferred")
	if err != nil {
		return err
	}
	for _, r := range open {
		if r.needsRiskReview() {
			continue // a risk to act on first: not for the workload to decide
		}
		w.open = append(w.open, openReferral{id: r.ID, version: r.Version, status: linkwork.ReferralStatus(r.Status)})
	}
	cases, err := spread[caseItem](ctx, c, w.coordinator, "/api/v1/cases?status=active,ending")
	if err != nil {
		return err
	}
	w.cases = ids(cases, func(k caseItem) string { return k.ID })
	waiting, err := spread[caseItem](ctx, c, w.coordinator, "/api/v1/cases?status=waiting")
	if err != nil {
		return err
	}
	w.waiting = ids(waiting, func(k caseItem) string { return k.ID })
	for _, lw := range w.linkWorkers {
		own, err := spread[caseItem](ctx, c, lw, "/api/v1/cases?status=active,ending")
		if err != nil {
			return err
		}
		if len(own) == 0 {
			continue
		}
		w.workerCases[lw] = ids(own, func(k caseItem) string { return k.ID })
		w.caseWorkers = append(w.caseWorkers, lw)
		if !goals {
			continue
		}
		mine := w.workerCases[lw]
		for _, id := range mine[:min(len(mine), goalCases)] {
			var gs list[goalItem]
			if err := c.getJSON(ctx, lw, "/api/v1/cases/"+id+"/goals", &gs); err != nil {
				return err
			}
			for _, g := range gs.Items {
				if g.Achieved {
					continue
				}
				scale := "numbers"
				if n := len(g.Ratings); n > 0 && g.Ratings[n-1].Scale != "" {
					scale = g.Ratings[n-1].Scale
				}
				w.goals = append(w.goals, goalRef{worker: lw, id: g.ID, scale: scale})
			}
		}
	}
	assets, err := spread[assetItem](ctx, c, nil, "/api/v1/assets")
	if err != nil {
		return err
	}
	words := map[string]bool{}
	postcodes := map[string]bool{}
	for _, a := range assets {
		w.listings = append(w.listings, a.ID)
		for _, l := range a.Locations {
			if l.PostalCode != "" {
				postcodes[l.PostalCode] = true
			}
		}
		for _, word := range strings.FieldsFunc(strings.ToLower(a.Name), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(word) >= 4 && !stopWords[word] {
				words[word] = true
			}
		}
	}
	w.postcodes = sortedKeys(postcodes)
	w.words = sortedKeys(words)
	return nil
}

// stopWords are words of listings' names too common to search for.
var stopWords = map[string]bool{"with": true, "from": true, "your": true, "club": true, "group": true, "millbrook": true}

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, 0, len(items))
	seen := map[string]bool{}
	for _, it := range items {
		if k := id(it); k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// one returns a random element of xs, which must not be empty.
func one[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// takeOpen takes a random referral awaiting a decision out of the pool,
// so that no two requests decide it at once; false when there is none.
func (w *world) takeOpen(r *rand.Rand) (openReferral, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.open) == 0 {
		return openReferral{}, false
	}
	i := r.IntN(len(w.open))
	o := w.open[i]
	w.open[i] = w.open[len(w.open)-1]
	w.open = w.open[:len(w.open)-1]
	return o, true
}

// putOpen returns a referral still awaiting a decision to the pool.
func (w *world) putOpen(o openReferral) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.open = append(w.open, o)
}

// addWaiting adds a case to the waiting list's pool.
func (w *world) addWaiting(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.waiting = append(w.waiting, id)
}

// oneWaiting returns a random waiting case; false when there is none.
func (w *world) oneWaiting(r *rand.Rand) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.waiting) == 0 {
		return "", false
	}
	return one(r, w.waiting), true
}

// readReferral takes the referral a decision or a new referral answered
// with, and keeps it in the pool while it still awaits a decision; an
// accepted referral's waiting case joins the waiting list's pool.
func (w *world) readReferral(body []byte) error {
	var r referralItem
	if err := json.Unmarshal(body, &r); err != nil {
		return err
	}
	if r.ID == "" || r.Version < 1 {
		return fmt.Errorf("no referral id and version")
	}
	st := linkwork.ReferralStatus(r.Status)
	switch {
	case st.Open() && r.needsRiskReview():
		// Not for the workload to decide: see discover.
	case st.Open():
		w.putOpen(openReferral{id: r.ID, version: r.Version, status: st})
	case st == linkwork.ReferralAccepted && r.CaseID != "":
		w.addWaiting(r.CaseID)
	}
	return nil
}

// query encodes parameters in a stable order.
func query(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}
