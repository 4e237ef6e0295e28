package web

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/ukpostcode"
	"github.com/linkwork/linkwork/web/static"
	_ "time/tzdata" // Europe/London on hosts without zone data
)

//go:embed templates
var templateFS embed.FS

// Layout is what every page shares: the title, the signed-in user and the
// navigation for their role. Each page struct embeds it.
type Layout struct {
	Title   string
	User    *linkwork.User
	Nav     []NavItem
	Path    string
	Notice  string                // a success message, shown once
	Errors  []linkwork.FieldError // problems with a submitted form
	Message string                // the error summary's title
}

// NavItem is one link of the service navigation.
type NavItem struct {
	Label  string
	Href   string
	Active bool
}

func (l *Layout) layout() *Layout { return l }

// FieldError returns the message for a field, for the form templates.
func (l *Layout) FieldError(field string) string {
	for _, e := range l.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// page is any page struct.
type page interface{ layout() *Layout }

// pages holds one parsed template set per page.
type pages struct {
	byName map[string]*template.Template
}

var funcs = template.FuncMap{
	"static": static.Path,
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(ukTime).Format("2 January 2006")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(ukTime).Format("2 Jan 2006 15:04")
	},
	"day": func(d linkwork.Date) string {
		if d.IsZero() {
			return ""
		}
		return d.Time().Format("2 January 2006")
	},
	"ageOn": func(d linkwork.Date, now time.Time) string {
		if d.IsZero() {
			return ""
		}
		return fmt.Sprint(d.AgeOn(linkwork.DateOf(now.In(ukTime))))
	},
	"lower":    strings.ToLower,
	"declined": declinedWords,
	"evidenceTable": func(id, caption, column string, rows []linkwork.GroupEvidenceRow) evidenceTable {
		return evidenceTable{TestID: id, Caption: caption, Column: column, Rows: rows}
	},
	"riskMarked": riskMarked,
	"riskField":  riskField,
	"statusTag": func(s linkwork.ReferralStatus) string {
		switch s {
		case linkwork.ReferralAccepted:
			return "govuk-tag--green"
		case linkwork.ReferralDeclined, linkwork.ReferralWithdrawn:
			return "govuk-tag--grey"
		case linkwork.ReferralDeferred:
			return "govuk-tag--yellow"
		case linkwork.ReferralTriage:
			return "govuk-tag--light-blue"
		}
		return "govuk-tag--blue"
	},
	"lightTag": func(s linkwork.Streetlight) string {
		switch s {
		case linkwork.StreetlightRed:
			return "govuk-tag--red"
		case linkwork.StreetlightAmber:
			return "govuk-tag--orange"
		case linkwork.StreetlightGreen:
			return "govuk-tag--green"
		}
		return "govuk-tag--grey"
	},
	"words":           func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"place":           ukpostcode.PlaceName, // "LS" as "Leeds (LS)"
	"places":          placeNames,
	"auditHref":       auditRecordHref,
	"hasPrefix":       strings.HasPrefix,
	"distance":        distanceLabel,
	"checked":         checkedLabel,
	"cost":            costLabel,
	"schedule":        scheduleLabel,
	"ages":            agesLabel,
	"join":            func(xs []string) string { return strings.Join(xs, ", ") },
	"pence":           func(p int) string { return fmt.Sprintf("£%d.%02d", p/100, p%100) },
	"pounds":          linkwork.Pounds,
	"fundTag":         fundTag,
	"trainingTag":     trainingTag,
	"add":             func(a, b int) int { return a + b },
	"field":           newField,
	"ageBand":         linkwork.AgeBandLabel,
	"compactField":    func(f fieldData) fieldData { return f.Compact() },
	"measureLinkDays": func() int { return linkwork.MeasureLinkDays },
	"ref":             func(r *linkwork.Referral) string { return r.Reference() },
	"wait":            linkwork.WaitLabel,
	"weeks": func(d time.Duration) string {
		days := int(d.Hours() / 24)
		switch {
		case days < 1:
			return "today"
		case days < 14:
			return fmt.Sprintf("%d day%s", days, map[bool]string{true: "", false: "s"}[days == 1])
		}
		return fmt.Sprintf("%d weeks", days/7)
	},
}

func loadPages() (*pages, error) {
	layout, err := fs.ReadFile(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	fields, err := fs.ReadFile(templateFS, "templates/fields.html")
	if err != nil {
		return nil, err
	}
	// Parts are sections that pages share or that a page is built from
	// (the case page's areas): each defines templates every page can use.
	var parts []string
	partEntries, err := fs.ReadDir(templateFS, "templates/parts")
	if err != nil {
		return nil, err
	}
	for _, e := range partEntries {
		b, err := fs.ReadFile(templateFS, "templates/parts/"+e.Name())
		if err != nil {
			return nil, err
		}
		parts = append(parts, string(b))
	}
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".html")
		if e.IsDir() || name == "layout" || name == "fields" {
			continue
		}
		body, err := fs.ReadFile(templateFS, "templates/"+e.Name())
		if err != nil {
			return nil, err
		}
		t, err := template.New("layout").Funcs(funcs).Parse(string(layout))
		if err != nil {
			return nil, fmt.Errorf("layout: %w", err)
		}
		if _, err := t.Parse(string(fields)); err != nil {
			return nil, fmt.Errorf("fields: %w", err)
		}
		for i, part := range parts {
			if _, err := t.Parse(part); err != nil {
				return nil, fmt.Errorf("part %s: %w", partEntries[i].Name(), err)
			}
		}
		if _, err := t.Parse(string(body)); err != nil {
			return nil, fmt.Errorf("template %s: %w", e.Name(), err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// render writes a page with the layout filled in for the request.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t := s.pages.byName[name]
	if t == nil {
		s.cfg.Logger.Error("no such template", "name", name)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	l := p.layout()
	l.User = currentUser(r)
	l.Path = r.URL.Path
	l.Nav = navFor(l.User, r.URL.Path)
	if len(l.Errors) > 0 && l.Message == "" {
		l.Message = "There is a problem"
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		s.cfg.Logger.Error("render", "template", name, "err", err)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	if len(l.Errors) > 1 && orderErrors(l.Errors, buf.Bytes()) {
		// The error summary lists the problems in the order a person
		// meets the fields on the page.
		buf.Reset()
		if err := t.Execute(&buf, p); err != nil {
			s.cfg.Logger.Error("render", "template", name, "err", err)
			http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// navFor returns the navigation for a user's role.
func navFor(u *linkwork.User, path string) []NavItem {
	var items []NavItem
	add := func(label, href string) {
		base, _, _ := strings.Cut(href, "?")
		active := path == base || (base != "/" && strings.HasPrefix(path, base+"/") && !strings.HasPrefix(path, "/referrals/new"))
		if base == "/referrals/new" {
			active = path == base
		}
		if base == "/directory" && strings.HasPrefix(path, "/directory/curate") {
			active = false
		}
		items = append(items, NavItem{Label: label, Href: href, Active: active})
	}
	if u == nil {
		add("Find activities", "/directory")
		add("Ask for support", "/refer")
		return items
	}
	add("Home", "/")
	switch u.Role {
	case linkwork.RoleReferrer:
		add("My referrals", "/referrals?mine=true")
		add("Make a referral", "/referrals/new")
		add("Our referrals over time", "/reports/referrers")
	case linkwork.RoleLinkWorker:
		add("Triage", "/triage")
		add("Referrals", "/referrals")
		add("My caseload", "/caseload")
		add("Connections", "/connections")
		add("Supervision", "/supervision")
	case linkwork.RoleCoordinator:
		add("Triage", "/triage")
		add("Referrals", "/referrals")
		add("Cases", "/cases")
		add("Concerns", "/concerns")
		add("Connections", "/connections")
	case linkwork.RoleSafeguarding:
		add("Concerns", "/concerns")
		add("Referrals", "/referrals")
		add("Cases", "/cases")
		add("Supervision", "/supervision")
		add("Audit trail", "/admin/audit")
	case linkwork.RoleCommunity:
		add("People referred to us", "/connections")
		add("Our listings", "/directory/curate")
		add("Evidence pack", "/reports/groups")
	case linkwork.RoleCommissioner:
		add("Dashboard", "/reports")
		add("Outcomes", "/measures")
	case linkwork.RoleAdmin:
		add("Users", "/admin/users")
		add("Organisations", "/admin/organisations")
		add("Settings", "/admin/service")
		add("Audit trail", "/admin/audit")
	}
	add("Directory", "/directory")
	switch u.Role {
	case linkwork.RoleReferrer, linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding:
		// Referrers hear about their referrals; link workers about cases
		// handed to them and groups' answers; coordinators about
		// deferrals coming back; safeguarding leads about risks.
		add("Messages", "/notifications")
	}
	if u.Role == linkwork.RoleCoordinator {
		// The pages a coordinator opens now and then, grouped under More
		// so that the navigation stays one line on a laptop.
		add("More", "/more")
		for _, m := range moreFor(u.Role) {
			base, _, _ := strings.Cut(m.Href, "?")
			if path == base || strings.HasPrefix(path, base+"/") {
				items[len(items)-1].Active = true
			}
		}
	}
	return items
}

// moreLink is one of the pages under a coordinator's More.
type moreLink struct {
	Label, Href, Hint string
	cap               auth.Capability
}

// moreOnly are the pages under More for one role alone: pages another
// role reaches from its own navigation.
var moreOnly = map[string]linkwork.Role{"/reports/referrers": linkwork.RoleCoordinator, "/reports/groups": linkwork.RoleCoordinator}

// moreLinks are the pages under More, each shown to a role the policy
// lets open it.
var moreLinks = []moreLink{
	{"Caseloads", "/caseloads", "Who each link worker supports, and who is waiting", auth.AllocateCases},
	{"Curate the directory", "/directory/curate", "Listings past their check date, due a check, or reported out of date", auth.CurateListings},
	{"Gaps", "/gaps", "What people wanted that the directory could not offer", auth.ReadGaps},
	{"Funds", "/funds", "Money to help people take part, and requests for it", auth.ReadFunds},
	{"Outcomes", "/measures", "How people's wellbeing and loneliness changed, for the service", auth.ReadOutcomeSummary},
	{"Reports", "/reports", "The dashboard: referrals by month, pathway and mode, the funnel from referral to closing, where people left and how long they waited", auth.ReadReports},
	{"Referrers", "/reports/referrers", "Each referrer's referrals month by month, what became of them, and who has gone quiet", auth.ReadReferrerFlow},
	{"Evidence packs", "/reports/groups", "For each community group: people connected, who went and who are still going, to support its funding", auth.ReadGroupEvidence},
	{"Evaluation export", "/exports/evaluation", "A pseudonymous dataset of the people the service supported, for an evaluator, with its data dictionary", auth.ExportEvaluation},
	{"PRSB report", "/exports/prsb", "What NHS England asks for, in the four parts of the PRSB social prescribing standard, pseudonymous, with its data dictionary", auth.ExportEvaluation},
	{"Team's load", "/team", "Each link worker's cases, overdue work, open concerns, supervision and training due", auth.ReadTeam},
	{"Supervision", "/supervision", "Supervision you gave or had, and notes marked to discuss", auth.ReadSupervision},
	{"Training", "/training", "Courses the team has done, and what is due for renewal", auth.ReadTraining},
	{"Users", "/admin/users", "The service's users", auth.ReadUsers},
	{"Settings", "/admin/service", "Who the service is for, its screening words and its checks", auth.ConfigureService},
	{"Neighbours' feeds", "/feeds", "Other organisations' Open Referral UK feeds harvested into the directory, and their changes to review", auth.ReadFeeds},
}

// moreFor returns the pages under More that the role may open.
func moreFor(role linkwork.Role) []moreLink {
	var out []moreLink
	for _, m := range moreLinks {
		if only, ok := moreOnly[m.Href]; auth.Allows(role, m.cap) && (!ok || only == role) {
			out = append(out, m)
		}
	}
	return out
}

var ukTime = func() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}()

// errorPage shows an error.
type errorPage struct {
	Layout
	Status  int
	Message string
}

// riskMarked shows text with the words that flagged its referral as a
// possible risk marked, where the screen found them in this field.
func riskMarked(field, text string, f linkwork.RiskFlag) template.HTML {
	var spans []linkwork.Span
	for _, m := range f.Matched {
		if m.Field != field || m.Text == "" {
			continue
		}
		for from := 0; ; {
			i := strings.Index(text[from:], m.Text)
			if i < 0 {
				break
			}
			spans = append(spans, linkwork.Span{Start: from + i, End: from + i + len(m.Text)})
			from += i + len(m.Text)
		}
	}
	slices.SortFunc(spans, func(a, b linkwork.Span) int { return a.Start - b.Start })
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		if sp.Start < at {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[at:sp.Start]))
		b.WriteString(`<mark class="lw-mark">`)
		b.WriteString(template.HTMLEscapeString(text[sp.Start:sp.End]))
		b.WriteString(`</mark>`)
		at = sp.End
	}
	b.WriteString(template.HTMLEscapeString(text[at:]))
	return template.HTML(b.String())
}

// riskField names the part of a referral a risk was found in.
func riskField(field string) string {
	switch field {
	case "safe_now":
		return "Safe right now"
	case "harm_thoughts":
		return "Thoughts of harming themselves or ending their life"
	case "reasons":
		return "Why now"
	case "what_they_want":
		return "What they want"
	case "risks":
		return "Known risks"
	case "person.contact.notes":
		return "Notes on contacting them"
	case "person.accessibility_needs":
		return "Access needs"
	case "person.school_or_work":
		return "School or work"
	case "person.address":
		return "Address"
	case "person.guardians":
		return "Parent or carer"
	}
	return field
}

// orderErrors sorts a form's problems into the order their fields appear
// in the page (by each field's id, after the error summary), problems with
// no field on the page last; it reports whether the order changed.
func orderErrors(errs []linkwork.FieldError, page []byte) bool {
	start := bytes.Index(page, []byte(`govuk-error-summary__list`))
	if start < 0 {
		start = 0
	}
	at := func(field string) int {
		if i := bytes.Index(page[start:], []byte(`id="`+html.EscapeString(field)+`"`)); i >= 0 {
			return i
		}
		return len(page)
	}
	pos := make(map[string]int, len(errs))
	for _, e := range errs {
		pos[e.Field] = at(e.Field)
	}
	if slices.IsSortedFunc(errs, func(a, b linkwork.FieldError) int { return pos[a.Field] - pos[b.Field] }) {
		return false
	}
	slices.SortStableFunc(errs, func(a, b linkwork.FieldError) int { return pos[a.Field] - pos[b.Field] })
	return true
}

// placeNames reads a list of postcode areas and place names as places:
// "LS6, Headingley" as "Leeds (LS6), Headingley".
func placeNames(xs []string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = ukpostcode.PlaceName(x)
	}
	return strings.Join(out, ", ")
}
