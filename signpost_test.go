package linkwork_test

import (
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

func TestActivityDetailsSayWhatAPersonNeedsToGo(t *testing.T) {
	a := &linkwork.Asset{
		Name: "Woodhouse Moor Walk", Description: "A gentle hour's walk, then tea.",
		Phone: "0113 496 0000", Email: "walks@example.org", HowToJoin: linkwork.JoinDropIn,
		Schedules:   []linkwork.Schedule{{Freq: "WEEKLY", ByDay: "TU", OpensAt: "10:00", ClosesAt: "11:00"}},
		Locations:   []linkwork.Location{{Type: linkwork.LocationPhysical, Name: "The Bandstand", Address1: "Woodhouse Moor", City: "Leeds", PostalCode: "LS6 2AB"}, {Type: linkwork.LocationVirtual, URL: "https://example.org/join"}},
		CostOptions: linkwork.FreeOfCharge(),
	}
	subject, body := linkwork.ActivityDetails(a, "Ada", "Sam Patel", "Leeds Link")
	if subject != "Details of Woodhouse Moor Walk" {
		t.Errorf("subject %q", subject)
	}
	for _, want := range []string{
		"Hello Ada,", "from Sam Patel at Leeds Link", "A gentle hour's walk", "Tuesdays 10:00–11:00",
		"The Bandstand, Woodhouse Moor, Leeds LS6 2AB", "Online: https://example.org/join", "- Free",
		"How to join: Drop in", "Phone 0113 496 0000 · Email walks@example.org", "I'll ask you how it went.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the details do not say %q:\n%s", want, body)
		}
	}
	_, bare := linkwork.ActivityDetails(&linkwork.Asset{Name: "Chess club"}, "", "", "")
	if bare != "Here are the details of Chess club." {
		t.Errorf("a listing with nothing more: %q", bare)
	}
}

func TestConnectionDetailsRules(t *testing.T) {
	for _, tt := range []struct {
		name string
		way  linkwork.DetailsWay
		ok   bool
	}{
		{"sent is a way", linkwork.DetailsSent, true},
		{"handed is a way", linkwork.DetailsHanded, true},
		{"no way is refused", "", false},
		{"an unknown way is refused", "fax", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := (&linkwork.ConnectionDetails{Way: tt.way}).Validate()
			if (err == nil) != tt.ok || (err != nil && linkwork.ErrorFields(err)[0].Field != "way") {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
	for _, tt := range []struct {
		name   string
		c      linkwork.Connection
		give   bool
		awaits bool
	}{
		{"a suggested signpost awaits follow-through", linkwork.Connection{Level: linkwork.LevelSignpost, Status: linkwork.ConnSuggested}, true, true},
		{"a signpost they went to does not", linkwork.Connection{Level: linkwork.LevelSignpost, Status: linkwork.ConnAttended}, true, false},
		{"a buddied activity is followed by going with them", linkwork.Connection{Level: linkwork.LevelBuddy, Status: linkwork.ConnSuggested}, true, false},
		{"a dropped connection takes no details", linkwork.Connection{Level: linkwork.LevelSignpost, Status: linkwork.ConnDropped}, false, false},
		{"a declined connection takes no details", linkwork.Connection{Level: linkwork.LevelRefer, Status: linkwork.ConnDeclined}, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.CheckDetails() == nil; got != tt.give {
				t.Errorf("CheckDetails allows: %v, want %v", got, tt.give)
			}
			if got := tt.c.AwaitsFollowThrough(); got != tt.awaits {
				t.Errorf("AwaitsFollowThrough: %v, want %v", got, tt.awaits)
			}
		})
	}
}

func TestCaseloadAssessesSignpostsBySettings(t *testing.T) {
	now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name     string
		settings linkwork.CaseworkSettings
		ago      time.Duration
		want     bool
	}{
		{"no details given: nothing to ask", linkwork.CaseworkSettings{}, 0, false},
		{"13 days by the default 14: not yet", linkwork.CaseworkSettings{}, 13 * 24 * time.Hour, false},
		{"14 days by the default: ask", linkwork.CaseworkSettings{}, 14 * 24 * time.Hour, true},
		{"7 days where the service asks after 7: ask", linkwork.CaseworkSettings{SignpostCheckDays: 7}, 7 * 24 * time.Hour, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			it := &linkwork.CaseloadItem{Case: &linkwork.Case{Status: linkwork.CaseActive}, FirstContactMade: true}
			if tt.ago > 0 {
				it.SignpostedAt = now.Add(-tt.ago)
			}
			it.Assess(tt.settings, now, linkwork.DateOf(now))
			if got := len(it.Overdue) == 1 && it.Overdue[0] == linkwork.OverdueSignpost; got != tt.want {
				t.Fatalf("overdue %v, want signpost: %v", it.Overdue, tt.want)
			}
		})
	}
}
