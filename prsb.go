package linkwork

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The PRSB report: what a social prescribing service sends to NHS England
// in the shape of the PRSB Social Prescribing Information Standard (v1.1),
// in its four parts: demographics, needs and concerns, support offered
// and outcomes, a table each, person by person.
//
// It is made under the same rules as the evaluation export and with the
// same machinery: a request naming the data-sharing agreement, recipient
// and purpose (EvaluationRequest); pseudonyms keyed for the recipient
// (Pseudonym, PseudonymKey); no names, contact details or free text;
// months for dates, bands for ages, districts for postcodes; the same
// codes (GenderCode, EthnicCategoryCode) and the people who said no to
// evaluation left out. PRSBParts is its data dictionary: every column,
// its type, its codes, and the section and element of the standard it
// answers.
//
// It follows the standard's four parts as far as what linkwork records
// allows; it is not a certified conformance to the standard, whose full
// model has many elements (names, NHS number, free-text narrative) that an
// export under these rules must leave out.

// PRSBColumn is one column of a part of the report: the dictionary's
// column and where in the PRSB standard it belongs.
type PRSBColumn struct {
	EvaluationColumn
	// Section and Element are the standard's section and the element of
	// it the column answers, as this service reads the standard.
	Section, Element string
}

// PRSBPart is one of the report's four parts, as the dictionary describes
// it.
type PRSBPart struct {
	// Name is the part's name as its file is named ("demographics").
	Name string
	// Title is the part as people read it.
	Title string
	// Rows says what a row of the part is.
	Rows    string
	Columns []PRSBColumn
}

// PRSBTable is one part of a report: its header (the dictionary's column
// names) and its rows of cells.
type PRSBTable struct {
	Part   string
	Header []string
	Rows   [][]string
}

// PRSBExport is one report, made at a time under a request.
type PRSBExport struct {
	Request EvaluationRequest
	Made    time.Time
	// Tables are the four parts, in PRSBParts' order.
	Tables []PRSBTable
}

// PRSBExportService makes the report.
type PRSBExportService interface {
	// PRSBExport returns the report of the services the actor may export
	// (their own service, for a coordinator), recording in the audit
	// trail who made it, when, under which agreement, for whom and why.
	// EFORBIDDEN for anyone who may not export the evaluation dataset;
	// EINVALID, naming the field, for a request missing its agreement,
	// recipient or purpose.
	PRSBExport(ctx context.Context, r EvaluationRequest) (*PRSBExport, error)
}

// PRSBReferral is what the service records of one referral, as the store
// reads it for the report: the report codes and coarsens it (PRSBReport).
type PRSBReferral struct {
	PersonID, ReferralID string
	Received, Decided    time.Time
	// DateOfBirth, Gender, Ethnicity and Postcode are the person's, as
	// recorded.
	DateOfBirth                 Date
	Gender, Ethnicity, Postcode string
	Pathway                     Pathway
	Mode                        ReferralMode
	ReferrerKind                OrgKind
	Status                      ReferralStatus
	SafeNow, HarmThoughts       Answer
	Concerns                    map[ConcernCategory]int
	Episode                     *PRSBEpisode // nil when the referral opened no episode of support
}

// PRSBEpisode is what the service records of an episode of support.
type PRSBEpisode struct {
	Status         CaseStatus
	Opened, Closed time.Time
	ClosureReason  ClosureReason
	Needs          []NeedDomain
	// Sessions are the sessions the person attended, by how they took
	// place; DidNotAttend those they missed without cancelling.
	Sessions     map[ContactMode]int
	DidNotAttend int
	// Levels and Categories count the activities the person was
	// connected to by the level of support and by the activity's
	// categories (an activity may be in several).
	Levels                    map[ConnectionLevel]int
	Categories                map[Category]int
	Attended, StillGoing      int
	FundsApproved, FundsPence int
	Scores                    []PRSBScore
}

// PRSBScore is an episode's first and latest score on one measure.
type PRSBScore struct {
	Measure         string // one of PRSBMeasures' codes
	FirstAt, LastAt time.Time
	First, Last     float64
}

// MeasureCompletion is one completion of an instrument on an episode, as
// PRSBItemScores reads it.
type MeasureCompletion struct {
	At      time.Time
	Answers []*int
}

// PRSBSessionModes are the ways a session may take place that the report
// counts sessions by.
var PRSBSessionModes = SessionModes

// ons4Measures are the report's codes of the four ONS4 items, in the
// instrument's order.
var ons4Measures = []struct{ code, meaning string }{
	{"ons4_life_satisfaction", "ONS4 life satisfaction (0-10, higher is better)"},
	{"ons4_worthwhile", "ONS4 things done in life are worthwhile (0-10, higher is better)"},
	{"ons4_happiness", "ONS4 happiness yesterday (0-10, higher is better)"},
	{"ons4_anxiety", "ONS4 anxiety yesterday (0-10, lower is better)"},
}

// PRSBMeasures are the outcome measures the report carries, by code: the
// instruments with a total (EvaluationInstruments), the mean of a
// person's goal-based outcome ratings, and each ONS4 item on its own
// (ONS4 is never summed).
func PRSBMeasures() []EvaluationCode {
	var out []EvaluationCode
	for _, in := range EvaluationInstruments {
		meaning := in.Label() + " total score"
		if in == InstrumentSWEMWBS {
			meaning = "SWEMWBS metric score"
		}
		out = append(out, EvaluationCode{string(in), meaning})
	}
	out = append(out, EvaluationCode{"gbo_mean", "Goal-based outcomes: the mean of the ratings (0-10) of the person's goals at one time"})
	for _, m := range ons4Measures {
		out = append(out, EvaluationCode{m.code, m.meaning})
	}
	return out
}

// PRSBItemScores are the first and latest scores of an episode on an
// instrument without a total, from its completions: each ONS4 item
// answered, and the mean of the goal-based outcome ratings. Where several
// completions share the first or latest time, their mean. Other
// instruments give none.
func PRSBItemScores(in Instrument, completions []MeasureCompletion) []PRSBScore {
	if len(completions) == 0 || (in != InstrumentONS4 && in != InstrumentGBO) {
		return nil
	}
	first, last := completions[0].At, completions[0].At
	for _, c := range completions {
		if c.At.Before(first) {
			first = c.At
		}
		if c.At.After(last) {
			last = c.At
		}
	}
	// mean is the mean of the values item i (or, for GBO, every item)
	// took at a time; false when none was answered.
	mean := func(at time.Time, item int) (float64, bool) {
		var sum float64
		var n int
		for _, c := range completions {
			if !c.At.Equal(at) {
				continue
			}
			for j, a := range c.Answers {
				if a != nil && (item < 0 || j == item) {
					sum += float64(*a)
					n++
				}
			}
		}
		if n == 0 {
			return 0, false
		}
		return sum / float64(n), true
	}
	score := func(code string, item int) []PRSBScore {
		f, ok := mean(first, item)
		if !ok {
			return nil
		}
		s := PRSBScore{Measure: code, FirstAt: first, First: f, LastAt: first, Last: f}
		if l, ok := mean(last, item); ok {
			s.LastAt, s.Last = last, l
		}
		return []PRSBScore{s}
	}
	if in == InstrumentGBO {
		return score("gbo_mean", -1)
	}
	var out []PRSBScore
	for i, m := range ons4Measures {
		out = append(out, score(m.code, i)...)
	}
	return out
}

// PRSBParts is the report's data dictionary: its four parts, each with
// every column in order, its type, its codes and the element of the
// standard it answers.
func PRSBParts() []PRSBPart {
	const (
		demographics = "Person demographics"
		referral     = "Referral details"
		matters      = "What matters to me (needs)"
		safety       = "Risks and safeguarding"
		activities   = "Social prescribing activities"
		outcomes     = "Outcome measures"
		ending       = "End of social prescribing"
	)
	col := func(section, element string, c EvaluationColumn) PRSBColumn {
		return PRSBColumn{EvaluationColumn: c, Section: section, Element: element}
	}
	month := func(name, what, blank string) EvaluationColumn {
		return EvaluationColumn{Name: name, Type: "month", Description: what + " (YYYY-MM, UK time); blank: " + blank}
	}
	count := func(name, what string) EvaluationColumn {
		return EvaluationColumn{Name: name, Type: "integer", Description: what}
	}
	person := col(demographics, "Person identifier (pseudonymised)", EvaluationColumn{Name: "person", Type: "pseudonym",
		Description: "The person, as 20 hexadecimal digits: the same in every part, and in every export to this recipient (the evaluation dataset's too); different for another recipient"})
	ref := col(referral, "Referral identifier (pseudonymised)", EvaluationColumn{Name: "referral", Type: "pseudonym",
		Description: "The referral, as 20 hexadecimal digits, joining its rows across the needs and concerns, support offered and outcomes parts; the same in every export to this recipient"})
	answers := []string{string(AnswerYes), AnswerYes.Label(), string(AnswerNo), AnswerNo.Label(), string(AnswerNotSure), AnswerNotSure.Label()}

	demo := PRSBPart{Name: "demographics", Title: "Demographics", Rows: "One row for each person referred.", Columns: []PRSBColumn{
		person,
		col(demographics, "Date of birth (as an age band)", ageBandColumn("The person's age on the day of the export, in years")),
		col(demographics, "Gender", genderColumn()),
		col(demographics, "Ethnicity", ethnicCategoryColumn()),
		col(demographics, "Address (postcode district only)", postcodeDistrictColumn()),
		col(referral, "Referral date (of the first referral)", month("first_referral_month", "The month of the person's first referral to the service", "never")),
		col(referral, "Number of referrals", count("referrals", "The referrals of the person to the service")),
	}}

	needs := PRSBPart{Name: "needs_and_concerns", Title: "Needs and concerns", Rows: "One row for each referral.", Columns: []PRSBColumn{
		person, ref,
		col(referral, "Referral date", month("referral_month", "The month the referral was received", "never")),
		col(referral, "Referral source", EvaluationColumn{Name: "pathway", Type: "code", Description: "Who the referral came through", Codes: exportCodes("", pathwayCodes()...)}),
		col(referral, "Referral type", EvaluationColumn{Name: "mode", Type: "code", Description: "How the person came to the service", Codes: exportCodes("", modeCodes()...)}),
		col(referral, "Referrer organisation type", EvaluationColumn{Name: "referrer_kind", Type: "code", Description: "The kind of organisation that referred (never its name)",
			Codes: exportCodes("No referring organisation (the person, their family or the hub)", referrerKindCodes()...)}),
		col(referral, "Referral status", EvaluationColumn{Name: "referral_status", Type: "code", Description: "What happened to the referral, as it stands", Codes: exportCodes("", referralStatusCodes()...)}),
		col(referral, "Referral outcome date", month("decision_month", "The month the referral was accepted, declined or withdrawn", "not decided yet")),
		col(safety, "Is the person safe now", EvaluationColumn{Name: "safe_now", Type: "code", Description: "The referral's answer to \"is the person safe right now?\"", Codes: exportCodes("Not asked", answers...)}),
		col(safety, "Thoughts of self-harm or suicide", EvaluationColumn{Name: "harm_thoughts", Type: "code", Description: "The referral's answer to \"have they thought about harming themselves or ending their life?\"", Codes: exportCodes("Not asked", answers...)}),
	}}
	for _, d := range NeedDomains {
		needs.Columns = append(needs.Columns, col(matters, "Needs identified: "+d.Label(), EvaluationColumn{Name: "need_" + string(d), Type: "code",
			Description: "Whether the person and their link worker recorded a need about " + strings.ToLower(d.Label()) + " (the person's own words are not exported)",
			Codes:       exportCodes("No episode of support", "1", "Need recorded", "0", "Not recorded")}))
	}
	for _, c := range ConcernCategories {
		needs.Columns = append(needs.Columns, col(safety, "Safeguarding concerns: "+c.Label(), count("concerns_"+string(c), "Safeguarding concerns raised about the person on this referral, of this kind (what was said is not exported)")))
	}

	support := PRSBPart{Name: "support_offered", Title: "Support offered", Rows: "One row for each episode of support (a referral that was accepted).", Columns: []PRSBColumn{
		person, ref,
		col(activities, "Social prescribing status", EvaluationColumn{Name: "case_status", Type: "code", Description: "The episode of support, as it stands", Codes: exportCodes("", caseStatusCodes()...)}),
		col(activities, "Start date", month("case_opened_month", "The month the episode of support opened", "never")),
		col(ending, "End date", month("case_closed_month", "The month the episode of support closed", "not closed")),
		col(ending, "Reason for ending", EvaluationColumn{Name: "closure_reason", Type: "code", Description: "Why the episode of support closed", Codes: exportCodes("Not closed", closureReasonCodes()...)}),
	}}
	for _, m := range PRSBSessionModes {
		support.Columns = append(support.Columns, col(activities, "Link worker contacts: "+m.Label(), count("sessions_"+string(m), "Sessions with the link worker the person attended, "+strings.ToLower(m.Label()))))
	}
	support.Columns = append(support.Columns, col(activities, "Link worker contacts: did not attend", count("sessions_did_not_attend", "Sessions the person did not attend, without cancelling")))
	for _, l := range []ConnectionLevel{LevelSignpost, LevelRefer, LevelBuddy, LevelPhased} {
		support.Columns = append(support.Columns, col(activities, "Activities connected to: level of support", count("connections_"+string(l), "Activities connected to at this level of support: "+strings.ToLower(l.Label()))))
	}
	for _, c := range Categories {
		support.Columns = append(support.Columns, col(activities, "Activities connected to: type of activity", count("activities_"+string(c), "Activities connected to that are "+strings.ToLower(c.Label())+" (an activity of several types counts in each)")))
	}
	support.Columns = append(support.Columns,
		col(activities, "Activities attended", count("connections_attended", "Activities, of any level, the person went to at least once")),
		col(activities, "Activities continuing", count("connections_still_going", "Activities the person is still going to")),
		col(activities, "Funding for activities", count("funds_approved", "Requests for money towards an activity (fees, travel, kit) that were approved")),
		col(activities, "Funding for activities", EvaluationColumn{Name: "funds_approved_pounds", Type: "number", Description: "The money approved towards activities, in pounds"}),
	)

	out := PRSBPart{Name: "outcomes", Title: "Outcomes", Rows: "One row for each measure taken in an episode of support.", Columns: []PRSBColumn{
		person, ref,
		col(outcomes, "Outcome measure", EvaluationColumn{Name: "measure", Type: "code", Description: "The measure", Codes: PRSBMeasures()}),
		col(outcomes, "Outcome measure date (first)", month("first_month", "The month of the episode's first score on the measure", "never")),
		col(outcomes, "Outcome measure score (first)", EvaluationColumn{Name: "first_score", Type: "number", Description: "The episode's first score on the measure"}),
		col(outcomes, "Outcome measure date (latest)", month("latest_month", "The month of the episode's latest score, when later than the first", "measured once")),
		col(outcomes, "Outcome measure score (latest)", EvaluationColumn{Name: "latest_score", Type: "number", Description: "The episode's latest score, when later than the first; blank: measured once"}),
	}}
	return []PRSBPart{demo, needs, support, out}
}

// PRSBNotes are the data dictionary's notes on the report as a whole.
var PRSBNotes = []string{
	"The report follows the four parts of the PRSB Social Prescribing Information Standard (v1.1) that NHS England asks services to send: demographics, needs and concerns, support offered and outcomes. Each column names the section and element of the standard it answers, as this service reads the standard; it is not a certified conformance, and elements that would identify a person or hold free text are left out.",
	"Rows are person-level and not suppressed for small numbers: the report is shared under a data-sharing agreement that governs its use, and counts made from it must be suppressed by the recipient before publication (the service suppresses counts under 5).",
	"There are no names, dates of birth, addresses, contact details, free text, or identifiers used inside the service. Dates are months; ages are bands; postcodes are districts. Needs, concerns and activities are codes and counts: the words recorded with them stay in the service.",
	"People whose latest answer about their anonymised data being used in evaluation was no are left out; people with no answer recorded are included under the agreement.",
	"Pseudonyms are keyed by a secret of the server and the recipient's name as typed, ignoring letter case and spaces, as in the evaluation dataset: a person has the same pseudonym in both when they go to the same recipient.",
	"Scores are an episode's first and latest on each measure; where several were recorded at one time, their mean.",
}

// PRSBReport makes the report's four tables from the referrals, coded
// and coarsened as PRSBParts describes: people and referrals by their
// pseudonyms under key, ages on the day on. Rows are ordered by
// pseudonym, so that their order tells nothing.
func PRSBReport(key []byte, on Date, referrals []PRSBReferral) []PRSBTable {
	parts := PRSBParts()
	tables := make([]PRSBTable, len(parts))
	for i, p := range parts {
		tables[i].Part = p.Name
		for _, c := range p.Columns {
			tables[i].Header = append(tables[i].Header, c.Name)
		}
	}
	itoa := strconv.Itoa
	type personRow struct {
		latest PRSBReferral
		first  time.Time
		n      int
	}
	people := map[string]*personRow{}
	for _, r := range referrals {
		p := people[r.PersonID]
		if p == nil {
			p = &personRow{latest: r, first: r.Received}
			people[r.PersonID] = p
		}
		p.n++
		if r.Received.Before(p.first) {
			p.first = r.Received
		}
		if r.Received.After(p.latest.Received) {
			p.latest = r
		}
		who, ref := Pseudonym(key, r.PersonID), Pseudonym(key, r.ReferralID)

		row := []string{who, ref, MonthOf(r.Received), string(r.Pathway), string(r.Mode), string(r.ReferrerKind), string(r.Status), MonthOf(r.Decided),
			string(r.SafeNow), string(r.HarmThoughts)}
		for _, d := range NeedDomains {
			cell := ""
			if r.Episode != nil {
				cell = "0"
				for _, n := range r.Episode.Needs {
					if n == d {
						cell = "1"
					}
				}
			}
			row = append(row, cell)
		}
		for _, c := range ConcernCategories {
			row = append(row, itoa(r.Concerns[c]))
		}
		tables[1].Rows = append(tables[1].Rows, row)

		e := r.Episode
		if e == nil {
			continue
		}
		row = []string{who, ref, string(e.Status), MonthOf(e.Opened), MonthOf(e.Closed), string(e.ClosureReason)}
		for _, m := range PRSBSessionModes {
			row = append(row, itoa(e.Sessions[m]))
		}
		row = append(row, itoa(e.DidNotAttend))
		for _, l := range []ConnectionLevel{LevelSignpost, LevelRefer, LevelBuddy, LevelPhased} {
			row = append(row, itoa(e.Levels[l]))
		}
		for _, c := range Categories {
			row = append(row, itoa(e.Categories[c]))
		}
		row = append(row, itoa(e.Attended), itoa(e.StillGoing), itoa(e.FundsApproved), strconv.FormatFloat(float64(e.FundsPence)/100, 'f', 2, 64))
		tables[2].Rows = append(tables[2].Rows, row)

		for _, s := range e.Scores {
			row := []string{who, ref, s.Measure, MonthOf(s.FirstAt), ScoreCell(s.First), "", ""}
			if s.LastAt.After(s.FirstAt) {
				row[5], row[6] = MonthOf(s.LastAt), ScoreCell(s.Last)
			}
			tables[3].Rows = append(tables[3].Rows, row)
		}
	}
	for id, p := range people {
		r := p.latest
		tables[0].Rows = append(tables[0].Rows, []string{Pseudonym(key, id), EvaluationAgeBandOn(r.DateOfBirth, on), GenderCode(r.Gender),
			EthnicCategoryCode(r.Ethnicity), PostcodeDistrict(r.Postcode), MonthOf(p.first), itoa(p.n)})
	}
	for _, t := range tables {
		slices.SortFunc(t.Rows, slices.Compare[[]string])
	}
	return tables
}

// ScoreCell writes a score to two decimal places at most, as the exports
// write scores.
func ScoreCell(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}
