package web_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/web"
)

// testClock is a clock a test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var startedRE = regexp.MustCompile(`name="started" value="([^"]+)"`)

var summaryItemRE = regexp.MustCompile(`<li><a href="#([^"]+)">([^<]+)</a></li>`)

// errorSummary lists a page's error summary as "field: message", for
// failure messages.
func errorSummary(body string) string {
	var out []string
	for _, m := range summaryItemRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1]+": "+html.UnescapeString(m[2]))
	}
	return strings.Join(out, "; ")
}

// summaryFollowsThePage checks that each error summary link goes to a
// field on the page, and that they are listed in the order the page asks.
func summaryFollowsThePage(t *testing.T, body string) {
	t.Helper()
	start := strings.Index(body, "govuk-error-summary__list")
	if start < 0 {
		t.Fatal("the page has no error summary")
	}
	last, lastField := -1, ""
	for _, m := range summaryItemRE.FindAllStringSubmatch(body, -1) {
		i := strings.Index(body[start:], `id="`+m[1]+`"`)
		switch {
		case i < 0:
			t.Errorf("the error %q links to #%s, which is not on the page", html.UnescapeString(m[2]), m[1])
		case i < last:
			t.Errorf("the error summary lists %s after %s, but the page asks for it first", m[1], lastField)
		default:
			last, lastField = i, m[1]
		}
	}
}

// publicForm is what a young person would send from the public form.
func publicForm(started string) url.Values {
	dob := linkwork.DateOf(time.Now().AddDate(-15, -2, 0))
	return url.Values{
		"started": {started}, "website": {""},
		"person.given_name": {"Robyn"}, "person.family_name": {"Achterberg"},
		"person.date_of_birth-day": {strconv.Itoa(dob.Day)}, "person.date_of_birth-month": {strconv.Itoa(int(dob.Month))}, "person.date_of_birth-year": {strconv.Itoa(dob.Year)},
		"person.postcode": {"LS7 3AB"}, "person.phone": {"07700 900111"}, "person.contact.channels": {"text"},
		"reasons":          {"Feeling low since moving school & nobody to talk to <really>."},
		"consent_referral": {"yes"},
		"safe_now":         {"yes"}, "harm_thoughts": {"no"},
	}
}

// countSelfReferrals counts the service's self-referrals for a family name.
func countSelfReferrals(t *testing.T, f *fixture, family string) int {
	t.Helper()
	ctx := linkwork.NewContext(context.Background(), f.users[linkwork.RoleCoordinator].Actor())
	list, _, err := f.services.Referrals.FindReferrals(ctx, linkwork.ReferralFilter{Pathway: linkwork.PathwaySelf, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range list {
		if strings.Contains(r.PersonName, family) {
			n++
		}
	}
	return n
}

func TestThePublicFormKeepsOutBotsWithoutLosingAPersonsAnswers(t *testing.T) {
	f := sqliteFixture(t)
	clk := &testClock{t: time.Now()}
	srv, err := web.New(web.Config{LoginPerMinute: 1000, Logger: quietLogger(), Now: clk.now, PublicReferralsPerHour: 2}, f.services)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c := ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	get := func() string {
		resp, err := c.Get(ts.URL + "/refer/young-person")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		m := startedRE.FindStringSubmatch(string(b))
		if m == nil {
			t.Fatal("the form has no started field")
		}
		return m[1]
	}
	post := func(v url.Values) (int, string, string) {
		resp, err := c.PostForm(ts.URL+"/refer/young-person", v)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b), resp.Header.Get("Location")
	}
	keeps := func(t *testing.T, body string, v url.Values) {
		t.Helper()
		for _, k := range []string{"person.given_name", "person.family_name", "person.postcode", "person.phone", "person.date_of_birth-year"} {
			if !strings.Contains(body, `value="`+html.EscapeString(v.Get(k))+`"`) {
				t.Errorf("the form came back without %s = %q", k, v.Get(k))
			}
		}
		if !strings.Contains(body, html.EscapeString(v.Get("reasons"))) {
			t.Error("the form came back without the reasons typed")
		}
	}

	t.Run("a filled-in hidden field looks sent but keeps nothing", func(t *testing.T) {
		v := publicForm(get())
		clk.add(time.Minute)
		v.Set("website", "http://spam.example")
		v.Set("person.family_name", "Botfield")
		status, _, loc := post(v)
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/refer/sent") {
			t.Fatalf("status %d to %q", status, loc)
		}
		if n := countSelfReferrals(t, f, "Botfield"); n != 0 {
			t.Fatalf("a bot's referral was stored (%d)", n)
		}
	})
	t.Run("too quick comes back filled in to check", func(t *testing.T) {
		v := publicForm(get())
		status, body, _ := post(v)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", status)
		}
		for _, want := range []string{"Your form has not been sent yet", "too quickly for us to be sure a person sent it", "Your answers are still here", "press Send again"} {
			if !strings.Contains(body, want) {
				t.Errorf("a form sent too quickly is not told plainly what happened: no %q in %s", want, errorSummary(body))
			}
		}
		keeps(t, body, v)
		if n := countSelfReferrals(t, f, "Achterberg"); n != 0 {
			t.Fatalf("stored %d", n)
		}
	})
	t.Run("a phone call asked for with only an email given is refused at the question", func(t *testing.T) {
		v := publicForm(get())
		clk.add(time.Minute)
		v.Del("person.phone")
		v.Set("person.email", "robyn@example.org")
		v.Set("person.contact.channels", "phone")
		status, body, _ := post(v)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#person.contact.channels"`) ||
			!strings.Contains(body, "To be contacted by phone call, give your phone number") {
			t.Fatalf("status %d: %s", status, errorSummary(body))
		}
		summaryFollowsThePage(t, body)
	})
	t.Run("problems are named and nothing typed is lost", func(t *testing.T) {
		v := publicForm(get())
		clk.add(time.Minute)
		v.Del("consent_referral")
		v.Set("person.date_of_birth-month", "13")
		status, body, _ := post(v)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", status)
		}
		for _, want := range []string{`href="#consent_referral"`, `href="#person.date_of_birth"`, "must be a real date"} {
			if !strings.Contains(body, want) {
				t.Errorf("the errors do not include %s", want)
			}
		}
		summaryFollowsThePage(t, body)
		keeps(t, body, v)
	})
	t.Run("a person's form is stored and they get a reference", func(t *testing.T) {
		v := publicForm(get())
		clk.add(time.Minute)
		status, body, loc := post(v)
		if status != http.StatusSeeOther || !regexp.MustCompile(`ref=LW-[0-9A-F]{8}`).MatchString(loc) {
			t.Fatalf("status %d to %q: %s", status, loc, errorSummary(body))
		}
		if n := countSelfReferrals(t, f, "Achterberg"); n != 1 {
			t.Fatalf("stored %d, want 1", n)
		}
	})
	t.Run("the hourly limit keeps the answers", func(t *testing.T) {
		v := publicForm(get())
		clk.add(time.Minute)
		v.Set("person.family_name", "Limitsson")
		if status, body, _ := post(v); status != http.StatusSeeOther {
			t.Fatalf("second referral: %d: %s", status, errorSummary(body))
		}
		v = publicForm(get())
		clk.add(time.Minute)
		v.Set("person.family_name", "Thirdtry")
		status, body, _ := post(v)
		if status != http.StatusTooManyRequests || !strings.Contains(body, "try again in an hour") {
			t.Fatalf("third referral in the hour: %d", status)
		}
		keeps(t, body, v)
		if n := countSelfReferrals(t, f, "Thirdtry"); n != 0 {
			t.Fatalf("stored %d over the limit", n)
		}
	})
}

func TestReferralFormsFollowThePathway(t *testing.T) {
	f := sqliteFixture(t)
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
	schools, _, err := f.services.Organisations.FindOrganisations(sys, linkwork.OrganisationFilter{Kind: linkwork.OrgSchool, Limit: 1})
	if err != nil || len(schools) == 0 {
		t.Fatal("no school", err)
	}
	teacher := &linkwork.User{Name: "Mr Tom Baines", Email: "t.baines@school.example", Role: linkwork.RoleReferrer, OrgID: schools[0].ID}
	if err := f.services.Users.CreateUser(sys, teacher, "a-long-school-password"); err != nil {
		t.Fatal(err)
	}
	school := f.signIn(teacher.Email, "a-long-school-password")
	gp := f.clients[linkwork.RoleReferrer]
	staff := f.clients[linkwork.RoleLinkWorker]
	dob := linkwork.DateOf(time.Now().AddDate(-16, 0, 0))
	base := func(extra url.Values) string {
		v := url.Values{"mode": {"referral"}, "person.given_name": {"Ezra"}, "person.family_name": {"Quill"},
			"person.date_of_birth-day": {strconv.Itoa(dob.Day)}, "person.date_of_birth-month": {strconv.Itoa(int(dob.Month))}, "person.date_of_birth-year": {strconv.Itoa(dob.Year)},
			"reasons": {"Withdrawn in class."}, "person_aware": {"yes"}, "consent_referral": {"yes"}, "safe_now": {"yes"}, "harm_thoughts": {"no"}}
		for k, vs := range extra {
			v[k] = vs
		}
		return v.Encode()
	}
	for _, tt := range []struct {
		name    string
		client  *http.Client
		page    []string // what the form asks
		extra   url.Values
		pathway linkwork.Pathway
		check   func(t *testing.T, r *linkwork.Referral)
	}{
		{"a GP practice refers for its own patient", gp, []string{"Is this a referral or signposting?"}, url.Values{"pathway": {"school"}}, linkwork.PathwayGP,
			func(t *testing.T, r *linkwork.Referral) {
				if r.GPPracticeOrgID != f.users[linkwork.RoleReferrer].OrgID {
					t.Errorf("the GP practice is %q, want the referring practice", r.GPPracticeOrgID)
				}
			}},
		{"a school gives the year group and a named contact", school, []string{"Year group", "Head of Year 10", schools[0].Name}, url.Values{"year_group": {"Year 11"}, "referrer_role": {"Pastoral lead"}}, linkwork.PathwaySchool,
			func(t *testing.T, r *linkwork.Referral) {
				if r.YearGroup != "Year 11" || r.ReferrerRole != "Pastoral lead" || r.ReferrerOrgID != schools[0].ID {
					t.Errorf("school referral %+v", r)
				}
			}},
		{"staff record a walk-in", staff, []string{"Where did this referral come from?", "They came to us themselves"}, url.Values{"pathway": {"hub"}, "mode": {"self_referral"}}, linkwork.PathwayHub,
			func(t *testing.T, r *linkwork.Referral) {
				if r.Mode != linkwork.ModeSelfReferral {
					t.Errorf("mode %s", r.Mode)
				}
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := f.do(tt.client, "GET", "/referrals/new", "", "", nil)
			if status != http.StatusOK {
				t.Fatalf("form: %d", status)
			}
			for _, want := range tt.page {
				if !strings.Contains(body, html.EscapeString(want)) {
					t.Errorf("the form does not show %q", want)
				}
			}
			status, body, hdr := f.do(tt.client, "POST", "/referrals/new", "application/x-www-form-urlencoded", base(tt.extra), nil)
			if status != http.StatusSeeOther {
				t.Fatalf("send: %d: %s", status, errorSummary(body))
			}
			id := strings.TrimPrefix(strings.Split(hdr.Get("Location"), "?")[0], "/referrals/")
			r, err := f.services.Referrals.FindReferralByID(sys, id)
			if err != nil {
				t.Fatal(err)
			}
			if r.Pathway != tt.pathway {
				t.Errorf("pathway %s, want %s", r.Pathway, tt.pathway)
			}
			tt.check(t, r)
		})
	}
	t.Run("a referrer who does not say whether the person knows is asked to, at the question", func(t *testing.T) {
		status, body, _ := f.do(gp, "POST", "/referrals/new", "application/x-www-form-urlencoded", base(url.Values{"person_aware": {""}}), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#person_aware"`) ||
			!strings.Contains(body, "Say whether the person knows about this referral and agrees to it") {
			t.Fatalf("status %d: %s", status, errorSummary(body))
		}
	})
	t.Run("staff recording a walk-in need not say whether the person knows", func(t *testing.T) {
		status, body, _ := f.do(staff, "POST", "/referrals/new", "application/x-www-form-urlencoded",
			base(url.Values{"pathway": {"hub"}, "mode": {"self_referral"}, "person_aware": {""}, "person.given_name": {"Unasked"}}), nil)
		if status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", status, errorSummary(body))
		}
	})
	t.Run("a form with problems names each and keeps what was typed", func(t *testing.T) {
		v := url.Values{"mode": {"referral"}, "person.given_name": {"Ezra"}, "person.postcode": {"not a postcode"}, "person.date_of_birth-day": {"31"},
			"person.date_of_birth-month": {"2"}, "person.date_of_birth-year": {"2012"}, "what_they_want": {"Football"}}
		status, body, _ := f.do(gp, "POST", "/referrals/new", "application/x-www-form-urlencoded", v.Encode(), nil)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", status)
		}
		for _, want := range []string{`href="#reasons"`, `href="#consent_referral"`, `href="#person_aware"`, `href="#person.postcode"`, `href="#person.date_of_birth"`, `value="not a postcode"`, "Football"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page does not include %s", want)
			}
		}
		summaryFollowsThePage(t, body)
		if strings.Contains(body, "Say which organisation is referring") {
			t.Error("a referrer is asked which organisation is referring, which their account already says")
		}
	})
	t.Run("a parent or carer without a name is named at the name box", func(t *testing.T) {
		status, body, _ := f.do(gp, "POST", "/referrals/new", "application/x-www-form-urlencoded", base(url.Values{"guardian.phone": {"07700 900123"}}), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#guardian.name"`) || !strings.Contains(body, `id="guardian.name-error"`) || !strings.Contains(body, `value="07700 900123"`) {
			t.Fatalf("status %d: %s", status, errorSummary(body))
		}
	})
	t.Run("text past its limit, and an email that is not one, are named where the form asks", func(t *testing.T) {
		long := strings.Repeat("é", linkwork.MaxText+1)
		status, body, _ := f.do(gp, "POST", "/referrals/new", "application/x-www-form-urlencoded",
			base(url.Values{"reasons": {long}, "person.email": {"ring me"}}), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#reasons"`) || !strings.Contains(body, "5,000 characters") ||
			!strings.Contains(body, `href="#person.email"`) || !strings.Contains(body, `value="ring me"`) {
			t.Fatalf("status %d: %s", status, errorSummary(body))
		}
	})
}

func TestTriageDecisionsAndSettingsFromThePages(t *testing.T) {
	f := sqliteFixture(t)
	lw := f.clients[linkwork.RoleLinkWorker]
	coord := f.clients[linkwork.RoleCoordinator]
	ctx := linkwork.NewContext(context.Background(), f.users[linkwork.RoleReferrer].Actor())
	ref := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: f.users[linkwork.RoleCoordinator].OrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "Lonely.", PersonAware: new(true), ConsentReferral: true}
	if err := f.services.Referrals.CreateReferral(ctx, ref, &linkwork.Person{GivenName: "Ida", FamilyName: "Brenninkmeyer", DateOfBirth: linkwork.DateOf(time.Now().AddDate(-70, 0, 0))}); err != nil {
		t.Fatal(err)
	}
	form := func(v url.Values) string { return v.Encode() }
	t.Run("the referral page shows eligibility and each link worker's caseload", func(t *testing.T) {
		status, body, _ := f.do(lw, "GET", "/referrals/"+ref.ID, "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, `data-testid="eligibility"`) || !strings.Contains(body, "active)") {
			t.Fatalf("status %d; eligibility or caseloads missing", status)
		}
		// Ida is 70, within the demo service's ages (11 and over); Max,
		// 8, is not, and each page says so before it lists each rule.
		if !strings.Contains(body, "Within the service's criteria") {
			t.Error("the page does not sum up that Ida's referral is within the criteria")
		}
		young := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: ref.ServiceOrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "Anxious.", PersonAware: new(true), ConsentReferral: true}
		if err := f.services.Referrals.CreateReferral(ctx, young, &linkwork.Person{GivenName: "Max", FamilyName: "Younger", DateOfBirth: linkwork.DateOf(time.Now().AddDate(-8, 0, 0))}); err != nil {
			t.Fatal(err)
		}
		if _, body, _ := f.do(lw, "GET", "/referrals/"+young.ID, "", "", nil); !strings.Contains(body, "Outside the service's criteria") {
			t.Error("the page does not sum up that Max's referral is outside the criteria")
		}
	})
	t.Run("a person's referrals are listed by person", func(t *testing.T) {
		status, body, _ := f.do(lw, "GET", "/referrals?person="+ref.PersonID, "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, `data-testid="result-count">1 referral<`) || !strings.Contains(body, "Brenninkmeyer") {
			t.Fatalf("status %d; the list is not the person's one referral", status)
		}
	})
	t.Run("declining without a destination is refused with the reason kept", func(t *testing.T) {
		status, body, _ := f.do(lw, "POST", "/referrals/"+ref.ID+"/decision", "application/x-www-form-urlencoded", form(url.Values{"version": {"1"}, "to": {"declined"}, "reason": {"Needs a memory clinic first"}}), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#onward_destination"`) || !strings.Contains(body, "Needs a memory clinic first") {
			t.Fatalf("status %d", status)
		}
	})
	t.Run("a stale version is a conflict, not a lost decision", func(t *testing.T) {
		status, body, _ := f.do(lw, "POST", "/referrals/"+ref.ID+"/decision", "application/x-www-form-urlencoded", form(url.Values{"version": {"7"}, "to": {"triage"}}), nil)
		if status != http.StatusConflict || !strings.Contains(body, "Someone else changed this referral") {
			t.Fatalf("status %d", status)
		}
	})
	t.Run("declining with a destination is recorded", func(t *testing.T) {
		status, _, hdr := f.do(lw, "POST", "/referrals/"+ref.ID+"/decision", "application/x-www-form-urlencoded",
			form(url.Values{"version": {"1"}, "to": {"declined"}, "reason": {"Needs a memory clinic first"}, "onward_destination": {"other"}, "onward_other": {"Millbrook memory clinic"}}), nil)
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=declined") {
			t.Fatalf("status %d", status)
		}
		r, err := f.services.Referrals.FindReferralByID(ctx, ref.ID)
		if err != nil || r.Status != linkwork.ReferralDeclined || r.OnwardDestination != "Millbrook memory clinic" {
			t.Fatalf("%+v %v", r, err)
		}
	})
	t.Run("settings with problems name the field", func(t *testing.T) {
		status, body, _ := f.do(coord, "POST", "/admin/service", "application/x-www-form-urlencoded",
			form(url.Values{"version": {"1"}, "min_age": {"twelve"}, "max_age": {"9"}, "areas": {"LS, 99"}, "red": {"x"}, "amber": {"y"}, "green": {"z"}, "crisis_advice": {"Call 999"}}), nil)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", status)
		}
		for _, want := range []string{`href="#min_age"`, `href="#areas"`, `value="twelve"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page does not include %s", want)
			}
		}
	})
	t.Run("settings are saved and shown to referrers", func(t *testing.T) {
		_, page, _ := f.do(coord, "GET", "/admin/service", "", "", nil)
		m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no version on the settings form")
		}
		status, _, _ := f.do(coord, "POST", "/admin/service", "application/x-www-form-urlencoded",
			form(url.Values{"version": {m[1]}, "min_age": {"13"}, "max_age": {"25"}, "areas": {"LS"}, "red": {"Danger now"}, "amber": {"Talk first"}, "green": {"Lonely or low"}, "crisis_advice": {"Ring 999 now."}}), nil)
		if status != http.StatusSeeOther {
			t.Fatalf("status %d", status)
		}
		status, guide, _ := f.do(nil, "GET", "/streetlight", "", "", nil)
		if status != http.StatusOK || !strings.Contains(guide, "Talk first") || !strings.Contains(guide, "13 to 25") || !strings.Contains(guide, "Ring 999 now.") {
			t.Fatalf("the guide does not show the new settings (%d)", status)
		}
		status, _, _ = f.do(coord, "POST", "/admin/service", "application/x-www-form-urlencoded",
			form(url.Values{"version": {m[1]}, "red": {"a"}, "amber": {"b"}, "green": {"c"}, "crisis_advice": {"d"}}), nil)
		if status != http.StatusConflict {
			t.Fatalf("saving over newer settings: %d, want 409", status)
		}
	})
}

// A triager settles a possible duplicate from the referral page: the form
// refuses an answer it cannot read, naming what is missing, and "same
// person" moves the referral to the record already held.
func TestResolvingADuplicateFromThePage(t *testing.T) {
	f := sqliteFixture(t)
	coord := f.clients[linkwork.RoleCoordinator]
	ctx := linkwork.NewContext(context.Background(), f.users[linkwork.RoleReferrer].Actor())
	dob := linkwork.DateOf(time.Now().AddDate(-15, -2, 0))
	var refs []*linkwork.Referral
	for _, given := range []string{"Rowan", "rowan"} {
		r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: f.users[linkwork.RoleCoordinator].OrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "Low mood.", PersonAware: new(true), ConsentReferral: true}
		if err := f.services.Referrals.CreateReferral(ctx, r, &linkwork.Person{GivenName: given, FamilyName: "Quillfeather", DateOfBirth: dob}); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, r)
	}
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
	flagged, err := f.services.Referrals.FindReferralByID(sys, refs[1].ID)
	if err != nil || flagged.PossibleDuplicateOf != refs[0].PersonID {
		t.Fatalf("the second referral is not flagged as the first's person: %q, %v", flagged.PossibleDuplicateOf, err)
	}
	path := "/referrals/" + flagged.ID + "/duplicate"
	if _, body, _ := f.do(coord, "GET", "/referrals/"+flagged.ID, "", "", nil); !strings.Contains(body, `data-testid="duplicate-same"`) {
		t.Fatal("the referral page offers no way to settle the duplicate")
	}
	for _, c := range []struct {
		name  string
		form  url.Values
		field string
	}{
		{"no answer", url.Values{"version": {strconv.Itoa(flagged.Version)}}, "same"},
		{"an answer it cannot read", url.Values{"version": {strconv.Itoa(flagged.Version)}, "same": {"maybe"}}, "same"},
		{"no version", url.Values{"same": {"yes"}}, "version"},
	} {
		status, body, _ := f.do(coord, "POST", path, "application/x-www-form-urlencoded", c.form.Encode(), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#`+c.field+`"`) {
			t.Errorf("%s: %d, without an error naming %s", c.name, status, c.field)
		}
	}
	if got, _ := f.services.Referrals.FindReferralByID(sys, flagged.ID); got.PossibleDuplicateOf == "" || got.Version != flagged.Version {
		t.Fatal("a refused answer changed the referral")
	}
	status, _, hdr := f.do(coord, "POST", path, "application/x-www-form-urlencoded", url.Values{"version": {strconv.Itoa(flagged.Version)}, "same": {"yes"}}.Encode(), nil)
	if status != http.StatusSeeOther || hdr.Get("Location") != "/referrals/"+flagged.ID+"?done=same" {
		t.Fatalf("same person: %d to %q", status, hdr.Get("Location"))
	}
	if got, _ := f.services.Referrals.FindReferralByID(sys, flagged.ID); got.PersonID != refs[0].PersonID || got.PossibleDuplicateOf != "" {
		t.Fatalf("after: person %s, flag %q", got.PersonID, got.PossibleDuplicateOf)
	}
}

func TestAPublicFormShownByOneServerIsTimedByAnother(t *testing.T) {
	f := sqliteFixture(t)
	clk := &testClock{t: time.Now()}
	key := []byte("the key every server on the database shares")
	open := func(key []byte) *httptest.Server {
		srv, err := web.New(web.Config{LoginPerMinute: 1000, Logger: quietLogger(), Now: clk.now, FormKey: key}, f.services)
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)
		return ts
	}
	shows, sharing, apart := open(key), open(key), open(nil)
	started := func() string {
		resp, err := http.Get(shows.URL + "/refer/young-person")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		m := startedRE.FindStringSubmatch(string(b))
		if m == nil {
			t.Fatal("the form has no started field")
		}
		return m[1]
	}
	post := func(ts *httptest.Server, v url.Values) (int, string) {
		c := ts.Client()
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := c.PostForm(ts.URL+"/refer/young-person", v)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	t.Run("too quick, sent to a server sharing the key, comes back to check", func(t *testing.T) {
		v := publicForm(started())
		v.Set("person.family_name", "Quickshare")
		if status, body := post(sharing, v); status != http.StatusUnprocessableEntity || !strings.Contains(body, "Your form has not been sent yet") {
			t.Fatalf("status %d: %s", status, errorSummary(body))
		}
		if n := countSelfReferrals(t, f, "Quickshare"); n != 0 {
			t.Fatalf("stored %d", n)
		}
	})
	t.Run("a server with another key cannot tell, and does not hold it against the sender", func(t *testing.T) {
		v := publicForm(started())
		v.Set("person.family_name", "Quickapart")
		if status, body := post(apart, v); status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", status, errorSummary(body))
		}
	})
	t.Run("in a person's time, a server sharing the key takes it", func(t *testing.T) {
		v := publicForm(started())
		clk.add(time.Minute)
		v.Set("person.family_name", "Slowshare")
		if status, body := post(sharing, v); status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", status, errorSummary(body))
		}
		if n := countSelfReferrals(t, f, "Slowshare"); n != 1 {
			t.Fatalf("stored %d, want 1", n)
		}
	})
	t.Run("a short key is refused", func(t *testing.T) {
		if _, err := web.New(web.Config{Logger: quietLogger(), FormKey: []byte("short")}, f.services); err == nil || !strings.Contains(err.Error(), "at least 32") {
			t.Fatalf("err %v", err)
		}
	})
}

// TestWhereAServiceWorksReadsAsAPlace: the area a service covers is a
// town people know, not postcode letters ("who live in LS").
func TestWhereAServiceWorksReadsAsAPlace(t *testing.T) {
	f := sqliteFixture(t)
	for _, tt := range []struct {
		client *http.Client
		path   string
		want   string
	}{
		{nil, "/refer", "who live in Leeds (LS)"},
		{f.clients[linkwork.RoleReferrer], "/referrals/new", "living in Leeds (LS)"},
	} {
		status, body, _ := f.do(tt.client, "GET", tt.path, "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, tt.want) {
			t.Errorf("%s: status %d; want %q", tt.path, status, tt.want)
		}
	}
}

// TestListingsDueACheckShowOnlyToThoseWhoCheckThem: the home's "listings
// due a check" is for those the policy lets check any listing; a GP, a
// link worker or a commissioner has nothing to do about it.
func TestListingsDueACheckShowOnlyToThoseWhoCheckThem(t *testing.T) {
	f := sqliteFixture(t)
	for role, want := range map[linkwork.Role]bool{
		linkwork.RoleReferrer: false, linkwork.RoleLinkWorker: false, linkwork.RoleCommissioner: false,
		linkwork.RoleCommunity: false, linkwork.RoleCoordinator: true,
	} {
		status, body, _ := f.do(f.clients[role], "GET", "/", "", "", nil)
		if status != http.StatusOK {
			t.Fatalf("%s home: %d", role, status)
		}
		if got := strings.Contains(body, `data-testid="stat-stale-assets"`); got != want {
			t.Errorf("%s's home shows listings due a check: %v, want %v", role, got, want)
		}
	}
}

// TestTheAccessibilityStatementIsLinkedFromEveryPage: the statement, in
// the GOV.UK pattern, is one footer link away wherever a person is, and
// says why GOV.UK Frontend's aria-expanded on conditional-reveal radios is
// kept.
func TestTheAccessibilityStatementIsLinkedFromEveryPage(t *testing.T) {
	f := sqliteFixture(t)
	for _, tt := range []struct {
		client *http.Client
		path   string
	}{{nil, "/login"}, {nil, "/directory"}, {f.clients[linkwork.RoleCoordinator], "/"}} {
		if _, body, _ := f.do(tt.client, "GET", tt.path, "", "", nil); !strings.Contains(body, `href="/accessibility" data-testid="accessibility-link"`) {
			t.Errorf("%s has no link to the accessibility statement", tt.path)
		}
	}
	status, body, _ := f.do(nil, "GET", "/accessibility", "", "", nil)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{"Accessibility statement for linkwork", "WCAG", "2.2", "Feedback and contact information", "Enforcement procedure",
		"Compliance status", "aria-expanded", "We keep it", "Preparation of this accessibility statement"} {
		if !strings.Contains(body, want) {
			t.Errorf("the statement does not say %q", want)
		}
	}
}

var optionRE = regexp.MustCompile(`<option value="([^"]*)"`)

// TestTheOnwardDestinationIsEasyToFind: declining a referral offers the
// usual destinations first, then directory listings grouped by category
// with no two alike, and a search that works without JavaScript.
func TestTheOnwardDestinationIsEasyToFind(t *testing.T) {
	f := sqliteFixture(t)
	coord := f.users[linkwork.RoleCoordinator]
	queue, _, err := f.services.Triage.TriageQueue(linkwork.NewContext(context.Background(), coord.Actor()), linkwork.TriageFilter{Limit: 1})
	if err != nil || len(queue) == 0 {
		t.Fatalf("no referral in the triage queue (%v)", err)
	}
	// Two listings of one name, first by name: one at a place, one online.
	first, _, err := f.services.Assets.FindAssets(context.Background(), linkwork.AssetFilter{Category: linkwork.CategoryWellbeing, Sort: linkwork.SortName, Limit: 1})
	if err != nil || len(first) == 0 {
		t.Fatalf("no wellbeing listing (%v)", err)
	}
	for _, places := range [][]linkwork.Location{
		{{Type: linkwork.LocationVirtual, URL: "https://example.org/quiet"}, {Type: linkwork.LocationPhysical, Name: "Old Library", Address1: "1 Park Road", City: "Millbrook", PostalCode: "LS7 6SX", Lat: 53.82, Lon: -1.53}},
		{{Type: linkwork.LocationVirtual, URL: "https://example.org/quiet"}},
	} {
		a := *first[0].Asset
		a.ID, a.Version, a.Name, a.Categories, a.Locations, a.Schedules = "", 0, "A Quiet Hour", []linkwork.Category{linkwork.CategoryWellbeing}, places, nil
		a.Contacts, a.CostOptions = nil, linkwork.FreeOfCharge()
		if err := f.services.Assets.CreateAsset(linkwork.NewContext(context.Background(), coord.Actor()), &a); err != nil {
			t.Fatal(err)
		}
	}
	path := "/referrals/" + queue[0].ID
	onward := func(body string) []string {
		t.Helper()
		start := strings.Index(body, `id="onward_destination"`)
		end := strings.Index(body[start:], "</select>")
		if start < 0 || end < 0 {
			t.Fatal("no onward destination list")
		}
		var vals []string
		for _, m := range optionRE.FindAllStringSubmatch(body[start:start+end], -1) {
			vals = append(vals, html.UnescapeString(m[1]))
		}
		return vals
	}
	status, body, _ := f.do(f.clients[linkwork.RoleCoordinator], "GET", path, "", "", nil)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	vals := onward(body)
	if len(vals) < 10 || vals[1] != "CAMHS (child and adolescent mental health services)" {
		t.Fatalf("the usual destinations do not come first: %v", vals[:min(len(vals), 5)])
	}
	seen := map[string]bool{}
	for _, v := range vals {
		if seen[v] {
			t.Errorf("%q is offered twice: no one can tell which is which", v)
		}
		seen[v] = true
	}
	if !strings.Contains(body, `<optgroup label="From the directory: Wellbeing support">`) && !strings.Contains(body, `<optgroup label="From the directory: `) {
		t.Error("the directory's listings are not grouped")
	}
	// fromListings is what the form offers after the usual destinations
	// for the listings a search finds, worked out from the whole listings:
	// grouped by first category in order of first appearance, two of a
	// name told apart by their first place and postcode district.
	fromListings := func(filter linkwork.AssetFilter) []string {
		t.Helper()
		found, _, err := f.services.Assets.FindAssets(context.Background(), filter)
		if err != nil || len(found) == 0 {
			t.Fatalf("%+v finds nothing (%v)", filter, err)
		}
		names := map[string]int{}
		for _, m := range found {
			names[m.Asset.Name]++
		}
		var order []linkwork.Category
		groups := map[linkwork.Category][]string{}
		for _, m := range found {
			label, c := m.Asset.Name, linkwork.Category("")
			if names[label] > 1 {
				if pl := m.Asset.Place(); pl != nil {
					district, _, _ := strings.Cut(pl.PostalCode, " ")
					label += " (" + strings.TrimSpace(pl.Name+" "+district) + ")"
				} else {
					label += " (online)"
				}
			}
			if len(m.Asset.Categories) > 0 {
				c = m.Asset.Categories[0]
			}
			if _, ok := groups[c]; !ok {
				order = append(order, c)
			}
			groups[c] = append(groups[c], label)
		}
		var out []string
		for _, c := range order {
			out = append(out, groups[c]...)
		}
		return out
	}
	// listed is the options between the usual destinations (the last of
	// which is another service) and somewhere else.
	listed := func(vals []string) []string {
		t.Helper()
		last := slices.Index(vals, "Another social prescribing service nearer to them")
		if last < 0 || vals[len(vals)-1] != "other" {
			t.Fatalf("not the usual destinations, the listings and somewhere else: %v", vals)
		}
		return vals[last+1 : len(vals)-1]
	}
	if got, want := listed(vals), fromListings(linkwork.AssetFilter{Category: linkwork.CategoryWellbeing, Sort: linkwork.SortName, Limit: 100}); !slices.Equal(got, want) {
		t.Errorf("the form offers\n%q\nnot the first wellbeing listings as their details name them\n%q", got, want)
	}
	if !seen["A Quiet Hour (Old Library LS7)"] || !seen["A Quiet Hour (online)"] {
		t.Errorf("two listings of one name are not told apart by place: %q", listed(vals)[:3])
	}
	if !strings.Contains(body, `<form method="get" action="/referrals/`+queue[0].ID+`#decision"`) || !strings.Contains(body, `name="onward_q"`) {
		t.Fatal("no search for a listing that works without JavaScript")
	}

	all, _, err := f.services.Assets.FindAssets(context.Background(), linkwork.AssetFilter{Category: linkwork.CategorySports, Limit: 1})
	if err != nil || len(all) == 0 {
		t.Fatal("no sports listing", err)
	}
	want := all[0].Asset.Name
	status, body, _ = f.do(f.clients[linkwork.RoleCoordinator], "GET", path+"?"+url.Values{"onward_q": {want}}.Encode(), "", "", nil)
	if status != http.StatusOK {
		t.Fatalf("search: status %d", status)
	}
	found := false
	for _, v := range onward(body) {
		found = found || strings.HasPrefix(v, want)
	}
	if !found {
		t.Errorf("searching for %q does not offer it", want)
	}
	if got, want := listed(onward(body)), fromListings(linkwork.AssetFilter{Query: want, Limit: 100}); !slices.Equal(got, want) {
		t.Errorf("the search offers\n%q\nnot what it finds as their details name them\n%q", got, want)
	}
	if !strings.Contains(body, `id="to-declined" name="to" type="radio" value="declined" data-aria-controls="when-declined" checked`) {
		t.Error("after a search, the decline's choices are not open")
	}
}

// TestTheAuditTrailLinksToTheRecordsItsReaderMayOpen: a safeguarding lead
// follows an event to the referral it is about; an administrator, who
// may not open referrals, sees the id without a link.
func TestTheAuditTrailLinksToTheRecordsItsReaderMayOpen(t *testing.T) {
	f := sqliteFixture(t)
	lead := f.users[linkwork.RoleSafeguarding]
	queue, _, err := f.services.Triage.TriageQueue(linkwork.NewContext(context.Background(), lead.Actor()), linkwork.TriageFilter{Limit: 1})
	if err != nil || len(queue) == 0 {
		t.Fatalf("no referral for the safeguarding lead (%v)", err)
	}
	id := queue[0].ID
	if status, _, _ := f.do(f.clients[linkwork.RoleSafeguarding], "GET", "/referrals/"+id, "", "", nil); status != http.StatusOK {
		t.Fatalf("read the referral: %d", status)
	}
	for role, link := range map[linkwork.Role]bool{linkwork.RoleSafeguarding: true, linkwork.RoleAdmin: false} {
		status, body, _ := f.do(f.clients[role], "GET", "/admin/audit?record="+id, "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, id) {
			t.Fatalf("%s: status %d, or the event is not shown", role, status)
		}
		if got := strings.Contains(body, `<a class="govuk-link" href="/referrals/`+id+`">`); got != link {
			t.Errorf("%s: the referral is linked %v, want %v", role, got, link)
		}
	}
}

// TestTheAuditTrailShowsNamesWhereItsReaderMaySeeThem: the audit page
// names the person a referral is about, in place of its id, for a
// safeguarding lead of the service, and the lead who read it for an
// administrator, who sees users but no person's name.
func TestTheAuditTrailShowsNamesWhereItsReaderMaySeeThem(t *testing.T) {
	f := sqliteFixture(t)
	lead := f.users[linkwork.RoleSafeguarding]
	queue, _, err := f.services.Triage.TriageQueue(linkwork.NewContext(context.Background(), lead.Actor()), linkwork.TriageFilter{Limit: 1})
	if err != nil || len(queue) == 0 || queue[0].PersonName == "" {
		t.Fatalf("no named referral for the safeguarding lead (%v)", err)
	}
	r := queue[0]
	if status, _, _ := f.do(f.clients[linkwork.RoleSafeguarding], "GET", "/referrals/"+r.ID, "", "", nil); status != http.StatusOK {
		t.Fatalf("read the referral: %d", status)
	}
	for _, tt := range []struct {
		role               linkwork.Role
		person, id, reader bool
	}{
		{linkwork.RoleSafeguarding, true, false, true},
		{linkwork.RoleAdmin, false, true, true},
	} {
		t.Run(string(tt.role), func(t *testing.T) {
			status, body, _ := f.do(f.clients[tt.role], "GET", "/admin/audit?record="+r.ID, "", "", nil)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			cells := body[strings.Index(body, `data-testid="audit-events"`):]
			if got := strings.Contains(cells, html.EscapeString(r.PersonName)); got != tt.person {
				t.Errorf("shows the person's name %v, want %v", got, tt.person)
			}
			if got := strings.Contains(cells, r.ID+"</"); got != tt.id {
				t.Errorf("shows the referral's id %v, want %v", got, tt.id)
			}
			if got := strings.Contains(cells, `data-label="Who">`+html.EscapeString(lead.Name)+" "); got != tt.reader {
				t.Errorf("names the lead who read it %v, want %v", got, tt.reader)
			}
		})
	}
}

// TestTheAreasAListingServesReadAsPlaces: a listing's page, which anyone
// can read, names the areas it serves as places ("Leeds (LS6)"), not as
// the postcode letters a teenager would not know.
func TestTheAreasAListingServesReadAsPlaces(t *testing.T) {
	f := sqliteFixture(t)
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
	found, _, err := f.services.Assets.FindAssets(sys, linkwork.AssetFilter{Limit: 1})
	if err != nil || len(found) == 0 {
		t.Fatalf("no listing: %v", err)
	}
	a := found[0].Asset
	a.ServiceAreas = []string{"LS6", "Headingley"}
	if err := f.services.Assets.UpdateAsset(sys, a); err != nil {
		t.Fatal(err)
	}
	status, body, _ := f.do(nil, "GET", "/directory/"+a.ID, "", "", nil)
	if status != http.StatusOK {
		t.Fatalf("the listing's page: status %d", status)
	}
	if !strings.Contains(body, `data-testid="areas">Leeds (LS6), Headingley</dd>`) {
		i := strings.Index(body, `data-testid="areas"`)
		t.Errorf("the areas served do not read as places; the page says:\n%s", body[max(i, 0):min(max(i, 0)+120, len(body))])
	}
}
