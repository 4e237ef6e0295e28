package linkwork

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Social prescribing is not for crisis. Every door where someone writes
// about a person screens what they wrote, so that a disclosed risk is seen
// the same day and never waits in a queue: two plain questions asked on
// every referral form, and a list of phrases looked for in every free-text
// field.

// Answer is the answer to a yes-or-no screening question, where "not sure"
// is an honest answer too.
type Answer string

// The answers.
const (
	AnswerYes     Answer = "yes"
	AnswerNo      Answer = "no"
	AnswerNotSure Answer = "not_sure"
)

// Answers lists the answers in the order forms show them.
var Answers = []Answer{AnswerYes, AnswerNo, AnswerNotSure}

// Valid reports whether a is a known answer.
func (a Answer) Valid() bool { return a == AnswerYes || a == AnswerNo || a == AnswerNotSure }

// Label is the answer as people read it.
func (a Answer) Label() string {
	switch a {
	case AnswerYes:
		return "Yes"
	case AnswerNo:
		return "No"
	case AnswerNotSure:
		return "Not sure"
	}
	return "Not answered"
}

// RiskState says where a referral's risk screen stands.
type RiskState string

// The risk states. A referral whose screen found anything is flagged
// RiskReviewToday until a triager records a decision on the flag: that it
// was a risk and what was done, or that it was not and why.
const (
	RiskNone        RiskState = ""
	RiskReviewToday RiskState = "review_today"
	RiskActedOn     RiskState = "acted_on"
	RiskNotARisk    RiskState = "not_a_risk"
)

// Valid reports whether s is a known state.
func (s RiskState) Valid() bool {
	return s == RiskNone || s == RiskReviewToday || s == RiskActedOn || s == RiskNotARisk
}

// Label is the state as people read it.
func (s RiskState) Label() string {
	switch s {
	case RiskReviewToday:
		return "Possible risk: review today"
	case RiskActedOn:
		return "Possible risk: acted on"
	case RiskNotARisk:
		return "Possible risk: reviewed, not a risk"
	}
	return "No risk disclosed"
}

// RiskMatch is one thing that flagged a referral: an answer to a screening
// question (Field "safe_now" or "harm_thoughts", Text the answer's label),
// or words in a free-text field (Field the field's name, such as "reasons"
// or "person.contact.notes", and Text the words as they were written).
type RiskMatch struct {
	Field string
	Text  string
}

// RiskFlag is a referral's risk screen and the triager's decision on it.
type RiskFlag struct {
	State   RiskState
	Matched []RiskMatch
	// Note says what was done about the risk, or why it is not one.
	Note      string
	DecidedBy string
	DecidedAt time.Time
	// DecidedByName is who decided, filled when the referral is read.
	DecidedByName string
}

// MaxRiskPhrases bounds how many phrases a service may add to the
// defaults, and MaxRiskPhraseLength each one's length.
const (
	MaxRiskPhrases      = 200
	MaxRiskPhraseLength = 100
)

// DefaultRiskPhrases are looked for in every referral. A service adds its
// own in its settings (the words young people in its area use). Matching
// ignores case, punctuation and apostrophes, and is by whole words: "self
// harm" finds "Self-harm", "ive hurt myself" finds "I've hurt myself", and
// "abuse" does not find "abused" (so each form is listed).
var DefaultRiskPhrases = []string{
	// Suicide.
	"suicide", "suicidal", "kill myself", "killing myself", "kill herself", "kill himself", "kill themselves",
	"end my life", "ending my life", "end their life", "end her life", "end his life", "take my own life", "taking my own life",
	"take my life", "end it all", "want to die", "wants to die", "wanted to die", "wanting to die", "wanna die", "wish i was dead", "wish i were dead", "better off dead",
	"better off without me", "no reason to live", "nothing to live for", "dont want to be here", "dont want to be alive",
	"dont want to live", "not want to live",
	// Self-harm.
	"self harm", "selfharm", "self harming", "self harmed", "harm myself", "harming myself", "harmed myself",
	"hurt myself", "hurting myself", "cut myself", "cutting myself", "cuts herself", "cuts himself", "cutting herself",
	"cutting himself", "burn myself", "burning myself",
	// Overdose.
	"overdose", "overdosed", "overdosing", "took too many pills", "taken too many pills",
	// Abuse and danger at home.
	"abuse", "abused", "abusing", "abusive", "not safe at home", "unsafe at home", "dont feel safe", "do not feel safe",
	"not safe", "scared to go home", "afraid to go home", "hits me", "hitting me", "touches me", "touching me",
	"raped", "rape", "sexual assault", "sexually assaulted", "groomed", "grooming", "domestic violence", "refuge",
	"threatened to kill", "kicked me out",
}

// RiskPhrases is every phrase a service screens for: the defaults and its
// own.
func (s *ServiceSettings) RiskPhrases() []string {
	return append(slices.Clone(DefaultRiskPhrases), s.ExtraRiskPhrases...)
}

// ScreenRisk screens a new referral and its person: an answer that the
// person may not be safe now (no, or not sure) or may have thought of
// harming themselves or ending their life (yes, or not sure), and every
// phrase of phrases found in any free-text field. An empty result is no
// risk disclosed.
func ScreenRisk(r *Referral, p *Person, phrases []string) []RiskMatch {
	var out []RiskMatch
	if r.SafeNow == AnswerNo || r.SafeNow == AnswerNotSure {
		out = append(out, RiskMatch{Field: "safe_now", Text: "Safe now: " + r.SafeNow.Label()})
	}
	if r.HarmThoughts == AnswerYes || r.HarmThoughts == AnswerNotSure {
		out = append(out, RiskMatch{Field: "harm_thoughts", Text: "Thoughts of self-harm or ending their life: " + r.HarmThoughts.Label()})
	}
	fields := []struct{ name, text string }{
		{"reasons", r.Reasons}, {"what_they_want", r.WhatTheyWant}, {"risks", r.Risks},
	}
	if p != nil {
		fields = append(fields, []struct{ name, text string }{
			{"person.contact.notes", p.Contact.Notes}, {"person.accessibility_needs", p.AccessibilityNeeds},
			{"person.school_or_work", p.SchoolOrWork}, {"person.address", p.Address},
		}...)
		for _, g := range p.Guardians {
			fields = append(fields, struct{ name, text string }{"person.guardians", g.Involvement})
		}
	}
	for _, f := range fields {
		for _, sp := range FindRiskPhrases(f.text, phrases) {
			m := RiskMatch{Field: f.name, Text: f.text[sp.Start:sp.End]}
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// Span is a part of a text, by byte offsets: text[Start:End].
type Span struct{ Start, End int }

// FindRiskPhrases returns where the phrases occur in text, in order and
// without overlaps (the longer match first where two start together).
// Case, punctuation and apostrophes are ignored and phrases match whole
// words, so spans can be shown highlighted in the text as written.
func FindRiskPhrases(text string, phrases []string) []Span {
	norm, at := foldForMatch(text)
	if strings.TrimSpace(norm) == "" {
		return nil
	}
	padded := " " + norm + " "
	var found []Span
	for _, ph := range phrases {
		np, _ := foldForMatch(ph)
		np = strings.Join(strings.Fields(np), " ")
		if np == "" {
			continue
		}
		needle := " " + np + " "
		for from := 0; ; {
			i := strings.Index(padded[from:], needle)
			if i < 0 {
				break
			}
			start := from + i // the space before the phrase, in padded; the phrase's first byte in norm
			end := start + len(np)
			found = append(found, Span{Start: at[start], End: at[end-1] + runeLen(text, at[end-1])})
			from = start + 1
		}
	}
	slices.SortFunc(found, func(a, b Span) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	var out []Span
	for _, s := range found {
		if len(out) > 0 && s.Start < out[len(out)-1].End {
			continue
		}
		out = append(out, s)
	}
	return out
}

func runeLen(s string, i int) int {
	_, n := utf8.DecodeRuneInString(s[i:])
	return n
}

// foldForMatch lowers text and turns every run of characters that are not
// letters or digits into one space, dropping apostrophes altogether. at[i]
// is the byte offset in text of the character that gave byte i of the
// result (for a space, the character it replaced).
func foldForMatch(text string) (string, []int) {
	var b strings.Builder
	at := make([]int, 0, len(text))
	space := true // at the start, as after a space: no leading space
	for i, r := range text {
		switch {
		case r == '\'' || r == '\u2019' || r == '\u2018' || r == '`' || r == '\u02bc':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			lr := unicode.ToLower(r)
			n, _ := b.WriteRune(lr)
			for range n {
				at = append(at, i)
			}
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				at = append(at, i)
				space = true
			}
		}
	}
	return b.String(), at
}

// PublicWhatNext says what happens next to someone who sent a referral on
// the public form. Someone whose form disclosed a possible risk is never
// told to wait days: it is read today, and the crisis numbers come first.
func PublicWhatNext(r *Referral) string {
	if r.Risk.State == RiskReviewToday {
		return "What you wrote tells us someone may not be safe, so your form has been marked for the team to read today. " +
			"If anyone is in danger now, do not wait for us: call 999, or use the other crisis numbers here."
	}
	return "A link worker will read the form within a few working days and get in touch the way you asked. " +
		"If there is a waiting list, they will tell you how long it is likely to be."
}

// RiskReview is a triager's decision on a flagged referral.
type RiskReview struct {
	// Outcome is RiskActedOn or RiskNotARisk.
	Outcome RiskState
	// Note says what was done (acted on) or why it is not a risk.
	Note string
}

// Validate reports every problem with the review as EINVALID.
func (v RiskReview) Validate(current RiskState) error {
	var p Problems
	if current != RiskReviewToday {
		p.Add("risk_outcome", "This referral has no possible risk waiting for review")
	}
	switch v.Outcome {
	case RiskActedOn:
		if strings.TrimSpace(v.Note) == "" {
			p.Add("risk_note", "Say what was done about the risk")
		}
	case RiskNotARisk:
		if strings.TrimSpace(v.Note) == "" {
			p.Add("risk_note", "Say why this is not a risk")
		}
	default:
		p.Add("risk_outcome", "Choose whether the possible risk was acted on or is not a risk")
	}
	p.Text("risk_note", v.Note, MaxText)
	return p.Err()
}

// validateRiskPhrases checks a service's own risk phrases.
func validateRiskPhrases(p *Problems, phrases []string) {
	if len(phrases) > MaxRiskPhrases {
		p.Addf("risk_phrases", "Give at most %d risk phrases of your own", MaxRiskPhrases)
	}
	for _, ph := range phrases {
		if !p.Text("risk_phrases", ph, MaxRiskPhraseLength) {
			return
		}
		if norm, _ := foldForMatch(ph); strings.TrimSpace(norm) == "" {
			p.Addf("risk_phrases", "%q has no letters or numbers to look for", ph)
			return
		}
	}
}
