package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"

	linkwork "github.com/linkwork/linkwork"
)

// caseworkForm is the casework part of the service settings form, as
// typed. A blank field means the default.
type caseworkForm struct {
	FirstContactDays, QuietWeeks, PlannedSessions, ReviewSessions, MaxGoals, FollowUpWeeks, CaseloadLimit, SignpostCheckDays, SupervisionDays string
}

func blankZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func caseworkFormOf(c linkwork.CaseworkSettings) caseworkForm {
	var reviews []string
	for _, n := range c.ReviewSessions {
		reviews = append(reviews, strconv.Itoa(n))
	}
	return caseworkForm{FirstContactDays: blankZero(c.FirstContactDays), QuietWeeks: blankZero(c.QuietWeeks), PlannedSessions: blankZero(c.PlannedSessions),
		ReviewSessions: strings.Join(reviews, ", "), MaxGoals: blankZero(c.MaxGoals), FollowUpWeeks: blankZero(c.FollowUpWeeks), CaseloadLimit: blankZero(c.CaseloadLimit), SignpostCheckDays: blankZero(c.SignpostCheckDays),
		SupervisionDays: blankZero(c.SupervisionDays)}
}

// parseCaseworkForm reads the casework fields of the settings form,
// adding a problem for each that is not a whole number (or, for the
// review sessions, whole numbers separated by commas). The ranges are the
// service layer's to check.
func parseCaseworkForm(r *http.Request, pr *linkwork.Problems) (caseworkForm, linkwork.CaseworkSettings) {
	f := caseworkForm{FirstContactDays: strings.TrimSpace(r.PostFormValue("first_contact_days")), QuietWeeks: strings.TrimSpace(r.PostFormValue("quiet_weeks")),
		PlannedSessions: strings.TrimSpace(r.PostFormValue("planned_sessions")), ReviewSessions: strings.TrimSpace(r.PostFormValue("review_sessions")),
		MaxGoals: strings.TrimSpace(r.PostFormValue("max_goals")), FollowUpWeeks: strings.TrimSpace(r.PostFormValue("follow_up_weeks")),
		CaseloadLimit: strings.TrimSpace(r.PostFormValue("caseload_limit")), SignpostCheckDays: strings.TrimSpace(r.PostFormValue("signpost_check_days")),
		SupervisionDays: strings.TrimSpace(r.PostFormValue("supervision_days"))}
	var c linkwork.CaseworkSettings
	for _, a := range []struct {
		name, v string
		dst     *int
	}{{"first_contact_days", f.FirstContactDays, &c.FirstContactDays}, {"quiet_weeks", f.QuietWeeks, &c.QuietWeeks},
		{"planned_sessions", f.PlannedSessions, &c.PlannedSessions}, {"max_goals", f.MaxGoals, &c.MaxGoals},
		{"follow_up_weeks", f.FollowUpWeeks, &c.FollowUpWeeks}, {"caseload_limit", f.CaseloadLimit, &c.CaseloadLimit},
		{"signpost_check_days", f.SignpostCheckDays, &c.SignpostCheckDays}, {"supervision_days", f.SupervisionDays, &c.SupervisionDays}} {
		if a.v == "" {
			continue
		}
		n, err := parseInt(a.v)
		if err != nil {
			pr.Add(a.name, "Enter a whole number, like 5, or leave it blank for the default")
			continue
		}
		*a.dst = n
	}
	for _, part := range strings.FieldsFunc(f.ReviewSessions, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		n, err := parseInt(part)
		if err != nil {
			pr.Add("review_sessions", "List the sessions after which a review is due as numbers, like 3, 6")
			c.ReviewSessions = nil
			break
		}
		c.ReviewSessions = append(c.ReviewSessions, n)
	}
	return f, c
}
