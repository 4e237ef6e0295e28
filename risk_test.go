package linkwork_test

import (
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// found returns the words FindRiskPhrases marks in text, as written.
func found(text string, phrases []string) []string {
	var out []string
	for _, s := range linkwork.FindRiskPhrases(text, phrases) {
		out = append(out, text[s.Start:s.End])
	}
	return out
}

func TestRiskPhrasesAreFoundHoweverTheyAreWritten(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"the words the review saw", "I've been thinking about ending my life and I've hurt myself this week", []string{"ending my life", "hurt myself"}},
		{"capitals", "SELF HARM", []string{"SELF HARM"}},
		{"a hyphen", "History of self-harm", []string{"self-harm"}},
		{"run together", "i selfharm sometimes", []string{"selfharm"}},
		{"a curly apostrophe", "I don’t feel safe with him", []string{"don’t feel safe"}},
		{"no apostrophe at all", "i dont want to be here anymore", []string{"dont want to be here"}},
		{"punctuation between the words", "I want to... end. it. all", []string{"end. it. all"}},
		{"across a line break", "want to\ndie", []string{"want to\ndie"}},
		{"at the very start and end", "Suicidal", []string{"Suicidal"}},
		{"after punctuation", "(overdose)", []string{"overdose"}},
		{"the longer of two phrases that start together", "I am not safe at home", []string{"not safe at home"}},
		{"two in one text", "Took an overdose. Was abused.", []string{"overdose", "abused"}},
		{"in another script's letters too", "Ölüm wish i was dead ünü", []string{"wish i was dead"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := found(tt.text, linkwork.DefaultRiskPhrases); !slices.Equal(got, tt.want) {
				t.Fatalf("FindRiskPhrases(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestRiskPhrasesDoNotRaiseFalseAlarms(t *testing.T) {
	for _, text := range []string{
		"She is harmless and kind",            // harm inside a word
		"Therapist at school suggested this",  // rapist inside a word
		"Loves grapes and football",           // rape inside a word
		"Killing time after school",           // kill, not kill myself
		"He hurt his knee playing football",   // hurt, not hurt myself
		"Cut my hair short last week",         // cut, not cut myself
		"The refugee centre runs a choir",     // refuge inside a word
		"Safe to leave a message",             // safe, not not safe
		"It hit me that I have no friends",    // an idiom, not violence
		"Wants a club that feels safe for me", // safe, not unsafe
		"",
	} {
		if got := found(text, linkwork.DefaultRiskPhrases); len(got) > 0 {
			t.Errorf("%q raised %q", text, got)
		}
	}
}

func TestAServicesOwnPhrasesAreScreenedToo(t *testing.T) {
	s := linkwork.DefaultServiceSettings("svc")
	s.ExtraRiskPhrases = []string{"county lines", "Going Missing"}
	phrases := s.RiskPhrases()
	if got := found("worried about county-lines and going missing", phrases); !slices.Equal(got, []string{"county-lines", "going missing"}) {
		t.Fatalf("found %q", got)
	}
	if len(linkwork.DefaultRiskPhrases) == len(phrases) {
		t.Fatal("the service's phrases were not added")
	}
}

func TestRiskPhrasesSettingsAreChecked(t *testing.T) {
	tests := []struct {
		name    string
		phrases []string
		ok      bool
	}{
		{"blank lines are dropped", []string{"  ", "county lines", ""}, true},
		{"punctuation alone matches nothing", []string{"!!!"}, false},
		{"too long a phrase", []string{strings.Repeat("a", linkwork.MaxRiskPhraseLength+1)}, false},
		{"too many phrases", slices.Repeat([]string{"x"}, linkwork.MaxRiskPhrases+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := linkwork.DefaultServiceSettings("svc")
			s.ExtraRiskPhrases = tt.phrases
			err := s.Validate()
			named := slices.ContainsFunc(linkwork.ErrorFields(err), func(f linkwork.FieldError) bool { return f.Field == "risk_phrases" })
			if named == tt.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestScreenRiskReadsTheAnswersAndEveryFreeTextField(t *testing.T) {
	base := func() (*linkwork.Referral, *linkwork.Person) {
		return &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, Reasons: "Lonely since moving"},
			&linkwork.Person{GivenName: "Ash"}
	}
	tests := []struct {
		name   string
		edit   func(*linkwork.Referral, *linkwork.Person)
		fields []string
	}{
		{"nothing to flag", func(*linkwork.Referral, *linkwork.Person) {}, nil},
		{"not safe now", func(r *linkwork.Referral, _ *linkwork.Person) { r.SafeNow = linkwork.AnswerNo }, []string{"safe_now"}},
		{"not sure they are safe", func(r *linkwork.Referral, _ *linkwork.Person) { r.SafeNow = linkwork.AnswerNotSure }, []string{"safe_now"}},
		{"thoughts of harm", func(r *linkwork.Referral, _ *linkwork.Person) { r.HarmThoughts = linkwork.AnswerYes }, []string{"harm_thoughts"}},
		{"not sure about thoughts of harm", func(r *linkwork.Referral, _ *linkwork.Person) { r.HarmThoughts = linkwork.AnswerNotSure }, []string{"harm_thoughts"}},
		{"what they want", func(r *linkwork.Referral, _ *linkwork.Person) { r.WhatTheyWant = "To stop wanting to die" }, []string{"what_they_want"}},
		{"access needs", func(_ *linkwork.Referral, p *linkwork.Person) {
			p.AccessibilityNeeds = "Scars from self harm; long sleeves"
		}, []string{"person.accessibility_needs"}},
		{"a parent's involvement", func(_ *linkwork.Referral, p *linkwork.Person) {
			p.Guardians = []linkwork.Guardian{{Name: "Dad", Involvement: "Not to be told: domestic violence"}}
		}, []string{"person.guardians"}},
		{"the known risks", func(r *linkwork.Referral, _ *linkwork.Person) { r.Risks = "overdose" }, []string{"risks"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, p := base()
			tt.edit(r, p)
			var fields []string
			for _, m := range linkwork.ScreenRisk(r, p, linkwork.DefaultRiskPhrases) {
				fields = append(fields, m.Field)
			}
			if !slices.Equal(fields, tt.fields) {
				t.Fatalf("ScreenRisk fields %v, want %v", fields, tt.fields)
			}
		})
	}
}

func TestNoOneWhoDisclosedARiskIsToldToWaitDays(t *testing.T) {
	flagged := &linkwork.Referral{Risk: linkwork.RiskFlag{State: linkwork.RiskReviewToday}}
	if got := linkwork.PublicWhatNext(flagged); strings.Contains(got, "days") || !strings.Contains(got, "today") {
		t.Fatalf("a flagged referral is told %q", got)
	}
	if got := linkwork.PublicWhatNext(&linkwork.Referral{}); !strings.Contains(got, "working days") {
		t.Fatalf("an ordinary referral is told %q", got)
	}
}
