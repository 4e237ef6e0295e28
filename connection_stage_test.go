package linkwork_test

import (
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// hasProblem reports whether err names field ("" for no error at all).
func hasProblem(err error, field string) bool {
	if field == "" {
		return err == nil
	}
	for _, e := range linkwork.ErrorFields(err) {
		if e.Field == field {
			return true
		}
	}
	return false
}

func TestAPhasedHandOverGoesThroughItsStagesInOrderEachOnce(t *testing.T) {
	today := linkwork.Date{Year: 2026, Month: 3, Day: 10}
	yesterday := linkwork.Date{Year: 2026, Month: 3, Day: 9}
	phased := &linkwork.Connection{Level: linkwork.LevelPhased, Status: linkwork.ConnAttended}
	tests := []struct {
		name  string
		conn  *linkwork.Connection
		done  []linkwork.HandOverStage
		last  linkwork.Date
		stage linkwork.ConnectionStage
		field string
	}{
		{"the first stage is the whole session", phased, nil, linkwork.Date{}, linkwork.ConnectionStage{Stage: linkwork.StageWholeSession, On: today}, ""},
		{"then at the door", phased, []linkwork.HandOverStage{linkwork.StageWholeSession}, yesterday, linkwork.ConnectionStage{Stage: linkwork.StageAtTheDoor, On: today}, ""},
		{"then alone", phased, []linkwork.HandOverStage{linkwork.StageWholeSession, linkwork.StageAtTheDoor}, today, linkwork.ConnectionStage{Stage: linkwork.StageAlone, On: today}, ""},
		{"no stage is skipped", phased, nil, linkwork.Date{}, linkwork.ConnectionStage{Stage: linkwork.StageAtTheDoor, On: today}, "stage"},
		{"no stage is recorded twice", phased, []linkwork.HandOverStage{linkwork.StageWholeSession}, today, linkwork.ConnectionStage{Stage: linkwork.StageWholeSession, On: today}, "stage"},
		{"nothing after alone", phased, linkwork.HandOverStages, today, linkwork.ConnectionStage{Stage: linkwork.StageAlone, On: today}, "stage"},
		{"a stage is no earlier than the one before", phased, []linkwork.HandOverStage{linkwork.StageWholeSession}, today, linkwork.ConnectionStage{Stage: linkwork.StageAtTheDoor, On: yesterday}, "on"},
		{"a buddy connection has no stages", &linkwork.Connection{Level: linkwork.LevelBuddy, Status: linkwork.ConnAttended}, nil, linkwork.Date{}, linkwork.ConnectionStage{Stage: linkwork.StageWholeSession, On: today}, "stage"},
		{"a dropped connection has no more stages", &linkwork.Connection{Level: linkwork.LevelPhased, Status: linkwork.ConnDropped}, nil, linkwork.Date{}, linkwork.ConnectionStage{Stage: linkwork.StageWholeSession, On: today}, "stage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.conn.CheckStage(tt.done, tt.last, &tt.stage); !hasProblem(err, tt.field) {
				t.Fatalf("want a problem with %q, got %v", tt.field, err)
			}
		})
	}
}

func TestConnectionStageValidate(t *testing.T) {
	today := linkwork.Date{Year: 2026, Month: 3, Day: 10}
	tests := []struct {
		name  string
		stage linkwork.ConnectionStage
		field string
	}{
		{"a known stage today", linkwork.ConnectionStage{Stage: linkwork.StageAlone, On: today}, ""},
		{"an unknown stage is named", linkwork.ConnectionStage{Stage: "halfway", On: today}, "stage"},
		{"a stage needs a date", linkwork.ConnectionStage{Stage: linkwork.StageAlone}, "on"},
		{"a stage is not in the future", linkwork.ConnectionStage{Stage: linkwork.StageAlone, On: linkwork.Date{Year: 2026, Month: 3, Day: 11}}, "on"},
		{"a long note is named", linkwork.ConnectionStage{Stage: linkwork.StageAlone, On: today, Note: strings.Repeat("x", linkwork.MaxShortText+1)}, "note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.stage.Validate(today); !hasProblem(err, tt.field) {
				t.Fatalf("want a problem with %q, got %v", tt.field, err)
			}
		})
	}
}

func TestConnectionViewValidate(t *testing.T) {
	tests := []struct {
		name  string
		view  linkwork.ConnectionView
		field string
	}{
		{"liked it, and why", linkwork.ConnectionView{View: linkwork.ViewLikedIt, Why: "Friendly people"}, ""},
		{"an unknown view is named", linkwork.ConnectionView{View: "loved_it", Why: "x"}, "view"},
		{"a view needs why", linkwork.ConnectionView{View: linkwork.ViewNotForMe, Why: " "}, "why"},
		{"a long why is named", linkwork.ConnectionView{View: linkwork.ViewMixed, Why: strings.Repeat("x", linkwork.MaxText+1)}, "why"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.view.Validate(); !hasProblem(err, tt.field) {
				t.Fatalf("want a problem with %q, got %v", tt.field, err)
			}
		})
	}
}
