package linkwork

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// The evaluation export: a person-level dataset a service gives a
// researcher under a data-sharing agreement. It names nobody: each person
// is a pseudonym that stays the same in every export to one recipient
// and differs between recipients; there are no names, contact details or
// free text; dates are months, ages are bands, postcodes are districts.
// The columns and their codes are listed in EvaluationColumns, which is
// the data dictionary that goes with every export.

// EvaluationRequest is what a coordinator gives to export the dataset:
// the data-sharing agreement it is made under, who receives it and why.
type EvaluationRequest struct {
	// Agreement is the data-sharing agreement's reference.
	Agreement string
	// Recipient is who receives the dataset (an evaluator, a
	// university team). Each recipient has pseudonyms of its own.
	Recipient string
	// Purpose is what the dataset is for.
	Purpose string
}

// Validate reports every missing or overlong field as EINVALID.
func (r EvaluationRequest) Validate() error {
	var p Problems
	if strings.TrimSpace(r.Agreement) == "" {
		p.Add("agreement", "Enter the reference of the data-sharing agreement the export is made under")
	}
	if strings.TrimSpace(r.Recipient) == "" {
		p.Add("recipient", "Enter who receives the export")
	}
	if strings.TrimSpace(r.Purpose) == "" {
		p.Add("purpose", "Say what the export is for")
	}
	p.Text("agreement", r.Agreement, MaxShortText)
	p.Text("recipient", r.Recipient, MaxShortText)
	p.Text("purpose", r.Purpose, MaxText)
	return p.Err()
}

// RecipientKey is the recipient as its pseudonyms are keyed by: letter
// case and runs of spaces do not make a different recipient.
func (r EvaluationRequest) RecipientKey() string {
	return strings.ToLower(strings.Join(strings.Fields(r.Recipient), " "))
}

// EvaluationCode is one code a column may hold and what it means.
type EvaluationCode struct {
	Code, Meaning string
}

// EvaluationColumn is one column of the dataset, as the data dictionary
// describes it.
type EvaluationColumn struct {
	Name string
	// Type is "pseudonym", "month" (YYYY-MM), "code", "text code"
	// (an outward postcode), "integer" or "number".
	Type        string
	Description string
	// Codes are the values a code column holds; blank, when it may be,
	// is listed with its meaning.
	Codes []EvaluationCode
}

// EvaluationExport is one export: the dataset's header and rows (cells
// as written to the CSV), made at a time under a request.
type EvaluationExport struct {
	Request EvaluationRequest
	Made    time.Time
	Header  []string
	Rows    [][]string
}

// EvaluationExportService makes the dataset, and the PRSB report under
// the same rules.
type EvaluationExportService interface {
	PRSBExportService
	// EvaluationExport returns the dataset of the services the actor
	// may export (their own service, for a coordinator), recording in
	// the audit trail who exported it, when, under which agreement, for
	// whom and why. EFORBIDDEN for anyone else; EINVALID, naming the
	// field, for a request missing its agreement, recipient or purpose.
	EvaluationExport(ctx context.Context, r EvaluationRequest) (*EvaluationExport, error)
}

// Pseudonym is the person's pseudonym for a recipient: the first 20 hex
// digits (80 bits) of the HMAC-SHA256 of the person's id keyed by key
// (see PseudonymKey). Without the key nobody can tell whose it is.
func Pseudonym(key []byte, personID string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(personID))
	return hex.EncodeToString(m.Sum(nil))[:20]
}

// PseudonymKey is the key of a recipient's pseudonyms: the HMAC-SHA256,
// keyed by the server's secret, of the recipient (RecipientKey). Two
// recipients' pseudonyms of one person differ, so that their datasets
// cannot be joined without the service.
func PseudonymKey(secret []byte, recipient string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("linkwork evaluation export pseudonyms\x00" + recipient))
	return m.Sum(nil)
}

// MonthOf is a time's month in the UK, YYYY-MM; "" for the zero time.
func MonthOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(ukLocation).Format("2006-01")
}

// EvaluationAgeBand is a band of ages in the dataset: finer than the
// triage bands for adults, so that an evaluation can compare age groups
// across the whole of life.
type EvaluationAgeBand struct {
	Code     string
	Min, Max int // inclusive; Max 0 means no upper bound
}

// EvaluationAgeBands are the dataset's age bands, youngest first.
var EvaluationAgeBands = []EvaluationAgeBand{
	{"0-12", 0, 12}, {"13-15", 13, 15}, {"16-17", 16, 17}, {"18-25", 18, 25}, {"26-34", 26, 34},
	{"35-44", 35, 44}, {"45-54", 45, 54}, {"55-64", 55, 64}, {"65-74", 65, 74}, {"75-84", 75, 84}, {"85+", 85, 0},
}

// EvaluationAgeBandOn is the band of someone born on dob on a day; "" when
// the date of birth is not known.
func EvaluationAgeBandOn(dob, on Date) string {
	if dob.IsZero() {
		return ""
	}
	age := dob.AgeOn(on)
	for _, b := range EvaluationAgeBands {
		if age >= b.Min && (b.Max == 0 || age <= b.Max) {
			return b.Code
		}
	}
	return ""
}

// GenderCode codes the gender a person gave, which is recorded in their
// own words: "female", "male", "non_binary", "not_stated" (they preferred
// not to say), "other" (anything else: the words themselves never leave
// the service), or "" when nothing is recorded.
func GenderCode(s string) string {
	w := strings.ToLower(strings.Join(strings.Fields(strings.NewReplacer("-", " ", "_", " ").Replace(s)), " "))
	switch w {
	case "":
		return ""
	case "female", "woman", "girl", "f":
		return "female"
	case "male", "man", "boy", "m":
		return "male"
	case "non binary", "nonbinary", "enby":
		return "non_binary"
	case "prefer not to say", "not stated", "not known", "rather not say":
		return "not_stated"
	}
	return "other"
}

// ethnicCategories are the NHS Data Dictionary's ethnic category codes
// (2001 census groups) and the words of the 2021 census categories each
// is recognised by, most specific first.
var ethnicCategories = []struct {
	code, meaning string
	match         []string
}{
	{"A", "White: British", []string{"white: english", "white british", "white: british", "english, welsh"}},
	{"B", "White: Irish", []string{"white: irish", "white irish"}},
	{"C", "White: any other White background (including Gypsy or Irish Traveller, Roma)", []string{"gypsy", "traveller", "roma", "other white", "white: other"}},
	{"D", "Mixed: White and Black Caribbean", []string{"white and black caribbean"}},
	{"E", "Mixed: White and Black African", []string{"white and black african"}},
	{"F", "Mixed: White and Asian", []string{"white and asian"}},
	{"G", "Mixed: any other mixed background", []string{"mixed"}},
	{"H", "Asian or Asian British: Indian", []string{"indian"}},
	{"J", "Asian or Asian British: Pakistani", []string{"pakistani"}},
	{"K", "Asian or Asian British: Bangladeshi", []string{"bangladeshi"}},
	{"R", "Other ethnic groups: Chinese", []string{"chinese"}},
	{"L", "Asian or Asian British: any other Asian background", []string{"asian"}},
	{"M", "Black or Black British: Caribbean", []string{"caribbean"}},
	{"N", "Black or Black British: African", []string{"african"}},
	{"P", "Black or Black British: any other Black background", []string{"black"}},
	{"S", "Other ethnic groups: any other ethnic group (including Arab)", []string{"arab", "other ethnic"}},
	{"Z", "Not stated (the person preferred not to say)", []string{"prefer not", "not stated"}},
}

// EthnicCategoryCode codes the ethnicity recorded for a person, in their
// own words or a census category, as an NHS ethnic category code; "99"
// (not known) when nothing is recorded or the words match no category.
func EthnicCategoryCode(s string) string {
	w := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if w == "" {
		return "99"
	}
	if w == "white" {
		return "C"
	}
	// The category after a census group's name ("Black, Black British,
	// Caribbean or African: African") says the most; then the whole.
	try := []string{w}
	if i := strings.LastIndex(w, ":"); i >= 0 {
		try = []string{strings.TrimSpace(w[i+1:]), w}
	}
	for _, t := range try {
		for _, c := range ethnicCategories {
			for _, m := range c.match {
				if strings.Contains(t, m) {
					return c.code
				}
			}
		}
	}
	if strings.HasPrefix(w, "white") {
		return "C"
	}
	return "99"
}

// EvaluationInstruments are the instruments the dataset carries a first
// and a latest score of: those with a total (not ONS4's separate items,
// nor goal-based outcomes, which are each a person's own goals).
var EvaluationInstruments = []Instrument{InstrumentWEMWBS, InstrumentSWEMWBS, InstrumentUCLA3}

// EvaluationColumns is the data dictionary: every column of the dataset
// in order, its type and its codes.
func EvaluationColumns() []EvaluationColumn {
	codesOf := exportCodes
	pathways, modes, kinds, statuses, caseStatuses, reasons := pathwayCodes(), modeCodes(), referrerKindCodes(), referralStatusCodes(), caseStatusCodes(), closureReasonCodes()
	month := func(name, what, blank string) EvaluationColumn {
		return EvaluationColumn{Name: name, Type: "month", Description: what + " (YYYY-MM, UK time); blank: " + blank}
	}
	count := func(name, what string) EvaluationColumn {
		return EvaluationColumn{Name: name, Type: "integer", Description: what + "; 0 for a referral with no episode of support"}
	}
	cols := []EvaluationColumn{
		{Name: "person", Type: "pseudonym", Description: "The person, as 20 hexadecimal digits: the same in every export to this recipient, different for another recipient. A person referred more than once has a row for each referral under the same pseudonym."},
		month("referral_month", "The month the referral was received", "never"),
		ageBandColumn("The person's age when referred, in years"),
		genderColumn(),
		ethnicCategoryColumn(),
		postcodeDistrictColumn(),
		{Name: "pathway", Type: "code", Description: "Who the referral came through", Codes: codesOf("", pathways...)},
		{Name: "mode", Type: "code", Description: "How the person came to the service", Codes: codesOf("", modes...)},
		{Name: "referrer_kind", Type: "code", Description: "The kind of organisation that referred (never its name)", Codes: codesOf("No referring organisation (the person, their family or the hub)", kinds...)},
		{Name: "referral_status", Type: "code", Description: "What happened to the referral, as it stands", Codes: codesOf("", statuses...)},
		month("decision_month", "The month the referral was accepted, declined or withdrawn", "not decided yet"),
		{Name: "case_status", Type: "code", Description: "The episode of support the referral opened, as it stands", Codes: codesOf("No episode of support (the referral was not accepted)", caseStatuses...)},
		month("case_opened_month", "The month the episode of support opened", "no episode"),
		month("case_closed_month", "The month the episode of support closed", "not closed, or no episode"),
		{Name: "closure_reason", Type: "code", Description: "Why the episode of support closed", Codes: codesOf("Not closed, or no episode", reasons...)},
		count("sessions_attended", "Sessions with the link worker the person attended"),
		count("sessions_did_not_attend", "Sessions the person did not attend, without cancelling"),
		count("connections_signpost", "Activities the person was given the details of (signposted)"),
		count("connections_refer", "Activities the link worker referred the person to"),
		count("connections_buddy", "Activities the person was taken to by a buddy"),
		count("connections_phased", "Activities the person was handed over to in phases"),
		count("connections_attended", "Activities, of any level, the person went to at least once"),
		count("connections_still_going", "Activities the person is still going to"),
	}
	for _, in := range EvaluationInstruments {
		name := string(in)
		cols = append(cols,
			EvaluationColumn{Name: name + "_first", Type: "number", Description: in.Label() + ": the episode's first score (the metric score for SWEMWBS); blank: not measured"},
			EvaluationColumn{Name: name + "_latest", Type: "number", Description: in.Label() + ": the episode's latest score, when later than the first; blank: measured once or not at all"},
		)
	}
	return cols
}

// exportCodes lists a code column's codes from code, meaning pairs,
// with the meaning of a blank cell last when a blank may appear.
func exportCodes(blank string, pairs ...string) []EvaluationCode {
	var out []EvaluationCode
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, EvaluationCode{pairs[i], pairs[i+1]})
	}
	if blank != "" {
		out = append(out, EvaluationCode{"", blank})
	}
	return out
}

// The code lists the exports share, as code, meaning pairs.

func pathwayCodes() (out []string) {
	for _, p := range Pathways {
		out = append(out, string(p), p.Label())
	}
	return out
}

func modeCodes() []string {
	return []string{string(ModeReferral), "Referred by someone else", string(ModeSignposting), "Signposted (given details, no referral)", string(ModeSelfReferral), "Referred themself"}
}

func referrerKindCodes() (out []string) {
	for _, k := range OrgKinds {
		out = append(out, string(k), k.Label())
	}
	return out
}

func referralStatusCodes() (out []string) {
	for _, s := range ReferralStatuses {
		out = append(out, string(s), s.Label())
	}
	return out
}

func caseStatusCodes() (out []string) {
	for _, s := range []CaseStatus{CaseWaiting, CaseActive, CaseEnding, CaseClosed} {
		out = append(out, string(s), s.Label())
	}
	return out
}

func closureReasonCodes() (out []string) {
	for _, r := range ClosureReasons {
		out = append(out, string(r), r.Label())
	}
	return out
}

// The columns that describe a person, coded and coarsened the same way
// in every export: an age band, gender and ethnic category coded from
// what was recorded, and a postcode district.

func ageBandColumn(when string) EvaluationColumn {
	var bands []string
	for _, b := range EvaluationAgeBands {
		label := b.Code + " years"
		if b.Max == 0 {
			label = b.Code[:len(b.Code)-1] + " years and over"
		}
		bands = append(bands, b.Code, label)
	}
	return EvaluationColumn{Name: "age_band", Type: "code", Description: when, Codes: exportCodes("Date of birth not known", bands...)}
}

func genderColumn() EvaluationColumn {
	return EvaluationColumn{Name: "gender", Type: "code", Description: "The gender the person gave, coded from their own words", Codes: exportCodes("Not recorded",
		"female", "Female", "male", "Male", "non_binary", "Non-binary", "not_stated", "Preferred not to say", "other", "Another gender, in the person's own words (not exported)")}
}

func ethnicCategoryColumn() EvaluationColumn {
	var ethnic []string
	for _, c := range ethnicCategories {
		ethnic = append(ethnic, c.code, c.meaning)
	}
	ethnic = append(ethnic, "99", "Not known (not recorded, or recorded in words that match no category)")
	return EvaluationColumn{Name: "ethnic_category", Type: "code", Description: "The person's ethnicity as an NHS Data Dictionary ethnic category code, coded from the ethnicity recorded", Codes: exportCodes("", ethnic...)}
}

func postcodeDistrictColumn() EvaluationColumn {
	return EvaluationColumn{Name: "postcode_district", Type: "text code", Description: "The district (outward code, such as S2) of the person's postcode as it is now; blank: no valid postcode recorded"}
}

// EvaluationNotes are the data dictionary's notes on the dataset as a
// whole.
var EvaluationNotes = []string{
	"One row for each referral to the service, in no meaningful order. Rows are not suppressed for small numbers: this is person-level data, shared under a data-sharing agreement that governs its use, and counts made from it must be suppressed by the recipient before publication (the service suppresses counts under 5).",
	"There are no names, dates of birth, addresses, contact details, free text, or identifiers used inside the service. Dates are months; ages are bands at the referral; postcodes are districts.",
	"People whose latest answer about their anonymised data being used in evaluation was no are left out; people with no answer recorded are included under the agreement.",
	"Pseudonyms are keyed by a secret of the server (its audit key when it has one, kept outside the database) and the recipient's name as typed, ignoring letter case and spaces: spell the recipient the same way each time to keep their pseudonyms stable. Giving the server an audit key, or a new one, changes every recipient's pseudonyms.",
	"Scores are an episode's first and latest on each measure; where several were recorded at one time, their mean.",
}
