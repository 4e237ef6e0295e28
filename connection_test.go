package linkwork_test

import (
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestConnectionMoveValidate(t *testing.T) {
	tests := []struct {
		name  string
		move  linkwork.ConnectionMove
		field string
	}{
		{"a move to contacted needs nothing more", linkwork.ConnectionMove{Version: 1, To: linkwork.ConnContacted}, ""},
		{"an unknown status is named", linkwork.ConnectionMove{Version: 1, To: "lost"}, "to"},
		{"no move back to a suggestion", linkwork.ConnectionMove{Version: 1, To: linkwork.ConnSuggested}, "to"},
		{"a decline needs a reason", linkwork.ConnectionMove{Version: 1, To: linkwork.ConnDeclined}, "reason"},
		{"a decline's reason is a known code", linkwork.ConnectionMove{Version: 1, To: linkwork.ConnDeclined, Reason: "busy"}, "reason"},
		{"a decline because it is full", linkwork.ConnectionMove{Version: 1, To: linkwork.ConnDeclined, Reason: "full"}, ""},
		{"a drop needs a reason", linkwork.ConnectionMove{Version: 1, To: linkwork.ConnDropped, Reason: "  "}, "reason"},
		{"a drop's reason is in words", linkwork.ConnectionMove{Version: 1, To: linkwork.ConnDropped, Reason: "Moved away"}, ""},
		{"an acceptance has no reason", linkwork.ConnectionMove{Version: 1, To: linkwork.ConnAccepted, Reason: "full"}, "reason"},
		{"a long reason is named", linkwork.ConnectionMove{Version: 1, To: linkwork.ConnDropped, Reason: strings.Repeat("x", linkwork.MaxShortText+1)}, "reason"},
		{"a move without the version read is named", linkwork.ConnectionMove{To: linkwork.ConnContacted}, "version"},
		{"a long note is named", linkwork.ConnectionMove{Version: 1, To: linkwork.ConnContacted, Note: strings.Repeat("x", linkwork.MaxText+1)}, "note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.move.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			for _, e := range linkwork.ErrorFields(err) {
				if e.Field == tt.field {
					return
				}
			}
			t.Fatalf("want a problem with %s, got %v", tt.field, err)
		})
	}
}

func TestOnlyTheOrganisationsAnswersAreItsToMake(t *testing.T) {
	for s, want := range map[linkwork.ConnectionStatus]bool{
		linkwork.ConnContacted: false, linkwork.ConnSuggested: false,
		linkwork.ConnAccepted: true, linkwork.ConnDeclined: true, linkwork.ConnAttended: true, linkwork.ConnContinuing: true, linkwork.ConnDropped: true,
	} {
		if got := s.Answers(); got != want {
			t.Errorf("%s: Answers() = %v, want %v", s, got, want)
		}
	}
}

// TestConnectionStatusesAndLevelsReadAsWords: no page shows a stored code
// ("declined_by_asset", "buddy") where a word people use belongs.
func TestConnectionStatusesAndLevelsReadAsWords(t *testing.T) {
	words := func(t *testing.T, code, label string) {
		t.Helper()
		if label == "" || label == code || strings.Contains(label, "_") || strings.ToUpper(label[:1]) != label[:1] {
			t.Errorf("%q reads as %q, not as words", code, label)
		}
	}
	for _, s := range linkwork.ConnectionStatuses {
		words(t, string(s), s.Label())
	}
	for _, l := range []linkwork.ConnectionLevel{linkwork.LevelSignpost, linkwork.LevelRefer, linkwork.LevelBuddy, linkwork.LevelPhased} {
		words(t, string(l), l.Label())
	}
	m := linkwork.ConnectionMove{To: linkwork.ConnDeclined, Reason: string(linkwork.DeclineFull)}
	if got := m.ReasonLabel(); got != "No places" {
		t.Errorf("a decline for want of places reads %q", got)
	}
	m = linkwork.ConnectionMove{To: linkwork.ConnDropped, Reason: "moved away"}
	if got := m.ReasonLabel(); got != "moved away" {
		t.Errorf("a drop's own words read %q", got)
	}
}
