package web

import "testing"

// TestAGoalsChangeIsJudgedByTheReliableChangeThreshold: a goal's change
// on the case page is judged as the service's figures judge it, by the
// goal-based outcomes' 2.45 points either way.
func TestAGoalsChangeIsJudgedByTheReliableChangeThreshold(t *testing.T) {
	for _, tt := range []struct {
		name       string
		difference float64
		want       string
	}{
		{"three points up is a reliable improvement", 3, "reliable improvement"},
		{"exactly the threshold up counts", 2.45, "reliable improvement"},
		{"two points up is within the noise", 2, "no reliable change"},
		{"no change", 0, "no reliable change"},
		{"two points down is within the noise", -2, "no reliable change"},
		{"three points down is a reliable deterioration", -3, "reliable deterioration"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := goalVerdict(tt.difference); got != tt.want {
				t.Errorf("goalVerdict(%v) = %q, want %q", tt.difference, got, tt.want)
			}
		})
	}
}
