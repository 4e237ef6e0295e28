package outcomes

import (
	"math"
	"reflect"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func mustScore(t *testing.T, instr linkwork.Instrument, answers ...int) Result {
	t.Helper()
	r, err := Score(instr, answers)
	if err != nil {
		t.Fatalf("Score(%s, %v): %v", instr, answers, err)
	}
	return r
}

// wemwbs returns a WEMWBS response totalling total.
func wemwbs(t *testing.T, total int) Result {
	t.Helper()
	answers := repeat(1, 14)
	for left, i := total-14, 0; left > 0; i++ {
		add := min(left, 4)
		answers[i] += add
		left -= add
	}
	return mustScore(t, linkwork.InstrumentWEMWBS, answers...)
}

// swemwbs returns a SWEMWBS response with raw score raw.
func swemwbs(t *testing.T, raw int) Result {
	t.Helper()
	answers := repeat(1, 7)
	for left, i := raw-7, 0; left > 0; i++ {
		add := min(left, 4)
		answers[i] += add
		left -= add
	}
	return mustScore(t, linkwork.InstrumentSWEMWBS, answers...)
}

func TestDefaultThreshold(t *testing.T) {
	tests := []struct {
		instr linkwork.Instrument
		want  float64
		ok    bool
	}{
		{linkwork.InstrumentWEMWBS, 8, true},
		{linkwork.InstrumentSWEMWBS, 2.87, true},
		{linkwork.InstrumentONS4, 0, false},
		{linkwork.InstrumentGBO, 0, false},
		{linkwork.InstrumentUCLA3, 0, false},
		{"phq9", 0, false},
	}
	for _, tt := range tests {
		if got, ok := DefaultThreshold(tt.instr); got != tt.want || ok != tt.ok {
			t.Errorf("DefaultThreshold(%s) = %v, %v", tt.instr, got, ok)
		}
	}
}

func TestChangeTotals(t *testing.T) {
	tests := []struct {
		name          string
		instr         linkwork.Instrument
		before, after Result
		threshold     float64
		diff          float64
		dir           Direction
		usedThreshold float64
		hasThreshold  bool
		reliable      bool
	}{
		{"WEMWBS +8 default", linkwork.InstrumentWEMWBS, wemwbs(t, 40), wemwbs(t, 48), 0, 8, Improved, 8, true, true},
		{"WEMWBS +7 default", linkwork.InstrumentWEMWBS, wemwbs(t, 40), wemwbs(t, 47), 0, 7, Improved, 8, true, false},
		{"WEMWBS -8 default", linkwork.InstrumentWEMWBS, wemwbs(t, 48), wemwbs(t, 40), 0, -8, Worsened, 8, true, true},
		{"WEMWBS -7 default", linkwork.InstrumentWEMWBS, wemwbs(t, 47), wemwbs(t, 40), 0, -7, Worsened, 8, true, false},
		{"WEMWBS same", linkwork.InstrumentWEMWBS, wemwbs(t, 40), wemwbs(t, 40), 0, 0, Unchanged, 8, true, false},
		{"WEMWBS +3 threshold 3", linkwork.InstrumentWEMWBS, wemwbs(t, 40), wemwbs(t, 43), 3, 3, Improved, 3, true, true},
		{"WEMWBS +2 threshold 3", linkwork.InstrumentWEMWBS, wemwbs(t, 40), wemwbs(t, 42), 3, 2, Improved, 3, true, false},
		{"WEMWBS min to max", linkwork.InstrumentWEMWBS, wemwbs(t, 14), wemwbs(t, 70), 0, 56, Improved, 8, true, true},
		// 18.59 → 21.54 is 2.95; 18.59 → 20.73 is 2.14.
		{"SWEMWBS raw 20→24", linkwork.InstrumentSWEMWBS, swemwbs(t, 20), swemwbs(t, 24), 0, 2.95, Improved, 2.87, true, true},
		{"SWEMWBS raw 20→23", linkwork.InstrumentSWEMWBS, swemwbs(t, 20), swemwbs(t, 23), 0, 2.14, Improved, 2.87, true, false},
		{"SWEMWBS raw 35→33", linkwork.InstrumentSWEMWBS, swemwbs(t, 35), swemwbs(t, 33), 0, -4.3, Worsened, 2.87, true, true},
		{"SWEMWBS raw 7→8", linkwork.InstrumentSWEMWBS, swemwbs(t, 7), swemwbs(t, 8), 0, 2.51, Improved, 2.87, true, false},
		{"SWEMWBS raw 7→8 threshold 1", linkwork.InstrumentSWEMWBS, swemwbs(t, 7), swemwbs(t, 8), 1, 2.51, Improved, 1, true, true},
		{"UCLA3 down is better", linkwork.InstrumentUCLA3, mustScore(t, linkwork.InstrumentUCLA3, 3, 3, 2), mustScore(t, linkwork.InstrumentUCLA3, 1, 2, 1), 0, -4, Improved, 0, false, false},
		{"UCLA3 up is worse", linkwork.InstrumentUCLA3, mustScore(t, linkwork.InstrumentUCLA3, 1, 1, 1), mustScore(t, linkwork.InstrumentUCLA3, 2, 1, 1), 0, 1, Worsened, 0, false, false},
		{"UCLA3 threshold 2", linkwork.InstrumentUCLA3, mustScore(t, linkwork.InstrumentUCLA3, 3, 3, 2), mustScore(t, linkwork.InstrumentUCLA3, 2, 2, 2), 2, -2, Improved, 2, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Change(tt.instr, tt.before, tt.after, tt.threshold)
			if err != nil {
				t.Fatal(err)
			}
			if !c.HasTotal || c.Instrument != tt.instr {
				t.Errorf("HasTotal %v Instrument %q", c.HasTotal, c.Instrument)
			}
			if c.Difference != tt.diff || c.Direction != tt.dir {
				t.Errorf("Difference, Direction = %v, %q, want %v, %q", c.Difference, c.Direction, tt.diff, tt.dir)
			}
			if c.Threshold != tt.usedThreshold || c.HasThreshold != tt.hasThreshold || c.Reliable != tt.reliable {
				t.Errorf("Threshold %v (%v) Reliable %v, want %v (%v) %v", c.Threshold, c.HasThreshold, c.Reliable, tt.usedThreshold, tt.hasThreshold, tt.reliable)
			}
			if len(c.Items) != len(tt.after.Items) {
				t.Fatalf("%d items", len(c.Items))
			}
			for i, it := range c.Items {
				if it.Reliable {
					t.Errorf("item %d reliable for an instrument with a total", i)
				}
				if it.Difference != it.After-it.Before {
					t.Errorf("item %d = %+v", i, it)
				}
			}
		})
	}
}

// TestSWEMWBSThresholdEveryPair checks the 2.87 boundary over every pair of
// raw scores, against differences of the published table worked in cents.
func TestSWEMWBSThresholdEveryPair(t *testing.T) {
	for b := 7; b <= 35; b++ {
		for a := 7; a <= 35; a++ {
			c, err := Change(linkwork.InstrumentSWEMWBS, swemwbs(t, b), swemwbs(t, a), 0)
			if err != nil {
				t.Fatal(err)
			}
			cents := int(math.Round(published[a]*100)) - int(math.Round(published[b]*100))
			if c.Difference != float64(cents)/100 {
				t.Errorf("%d→%d: Difference %v, want %v", b, a, c.Difference, float64(cents)/100)
			}
			if want := cents >= 287 || cents <= -287; c.Reliable != want {
				t.Errorf("%d→%d: Reliable %v, want %v", b, a, c.Reliable, want)
			}
		}
	}
}

func TestChangeONS4(t *testing.T) {
	before := mustScore(t, linkwork.InstrumentONS4, 3, 5, 6, 8)
	after := mustScore(t, linkwork.InstrumentONS4, 6, 5, 4, 2)
	c, err := Change(linkwork.InstrumentONS4, before, after, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c.HasTotal || c.Difference != 0 || c.Direction != "" || c.Reliable || c.HasThreshold {
		t.Errorf("ONS4 change has a total: %+v", c)
	}
	want := []ItemChange{
		{Label: "Life satisfaction", Before: 3, After: 6, Difference: 3, Direction: Improved},
		{Label: "Worthwhile", Before: 5, After: 5, Difference: 0, Direction: Unchanged},
		{Label: "Happiness", Before: 6, After: 4, Difference: -2, Direction: Worsened},
		{Label: "Anxiety", Before: 8, After: 2, Difference: -6, Direction: Improved},
	}
	if !reflect.DeepEqual(c.Items, want) {
		t.Errorf("Items = %+v\nwant %+v", c.Items, want)
	}

	// Anxiety going up is worse; a threshold applies per item.
	c, err = Change(linkwork.InstrumentONS4, after, before, 2)
	if err != nil {
		t.Fatal(err)
	}
	dirs := []Direction{Worsened, Unchanged, Improved, Worsened}
	reliable := []bool{true, false, true, true}
	for i, it := range c.Items {
		if it.Direction != dirs[i] || it.Reliable != reliable[i] {
			t.Errorf("%s: %q reliable %v, want %q %v", it.Label, it.Direction, it.Reliable, dirs[i], reliable[i])
		}
	}
}

func TestChangeGBO(t *testing.T) {
	before := mustScore(t, linkwork.InstrumentGBO, 2, 5, 9)
	after := mustScore(t, linkwork.InstrumentGBO, 7, 5, 6)
	c, err := Change(linkwork.InstrumentGBO, before, after, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c.HasTotal || c.HasThreshold {
		t.Errorf("GBO change: %+v", c)
	}
	want := []ItemChange{
		{Label: "Goal 1", Before: 2, After: 7, Difference: 5, Direction: Improved},
		{Label: "Goal 2", Before: 5, After: 5, Difference: 0, Direction: Unchanged},
		{Label: "Goal 3", Before: 9, After: 6, Difference: -3, Direction: Worsened},
	}
	if !reflect.DeepEqual(c.Items, want) {
		t.Errorf("Items = %+v\nwant %+v", c.Items, want)
	}
	c, err = Change(linkwork.InstrumentGBO, before, after, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, wantReliable := range []bool{true, false, true} {
		if c.Items[i].Reliable != wantReliable {
			t.Errorf("goal %d reliable %v", i+1, c.Items[i].Reliable)
		}
	}
}

func TestChangeRescores(t *testing.T) {
	before := wemwbs(t, 40)
	after := wemwbs(t, 41)
	after.Total = 60 // does not match the answers
	c, err := Change(linkwork.InstrumentWEMWBS, before, after, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c.Difference != 1 || c.Reliable {
		t.Errorf("Change used the stored total: %+v", c)
	}
}

func TestChangeInvalid(t *testing.T) {
	gbo2 := mustScore(t, linkwork.InstrumentGBO, 1, 2)
	gbo3 := mustScore(t, linkwork.InstrumentGBO, 1, 2, 3)
	w := wemwbs(t, 40)
	bad := wemwbs(t, 40)
	bad.Items = append([]ItemResult(nil), bad.Items...)
	bad.Items[2].Answer = 9
	tests := []struct {
		name          string
		instr         linkwork.Instrument
		before, after Result
		threshold     float64
		fields        []string
	}{
		{"unknown instrument", "phq9", w, w, 0, []string{"instrument"}},
		{"negative threshold", linkwork.InstrumentWEMWBS, w, w, -1, []string{"threshold"}},
		{"NaN threshold", linkwork.InstrumentWEMWBS, w, w, math.NaN(), []string{"threshold"}},
		{"infinite threshold", linkwork.InstrumentWEMWBS, w, w, math.Inf(1), []string{"threshold"}},
		{"before other instrument", linkwork.InstrumentGBO, w, gbo2, 0, []string{"before"}},
		{"after other instrument", linkwork.InstrumentWEMWBS, w, gbo2, 0, []string{"after"}},
		{"empty results", linkwork.InstrumentWEMWBS, Result{}, Result{}, 0, []string{"before", "after"}},
		{"different goal counts", linkwork.InstrumentGBO, gbo3, gbo2, 0, []string{"after"}},
		{"answer out of range", linkwork.InstrumentWEMWBS, w, bad, 0, []string{"after.answers[2]"}},
		{"no answers", linkwork.InstrumentGBO, Result{Instrument: linkwork.InstrumentGBO}, gbo2, 0, []string{"before.answers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Change(tt.instr, tt.before, tt.after, tt.threshold)
			if linkwork.ErrorCode(err) != linkwork.EINVALID {
				t.Fatalf("err = %v", err)
			}
			var fields []string
			for _, f := range linkwork.ErrorFields(err) {
				fields = append(fields, f.Field)
				if f.Message == "" {
					t.Errorf("%s has no message", f.Field)
				}
			}
			if !reflect.DeepEqual(fields, tt.fields) {
				t.Errorf("fields = %q, want %q", fields, tt.fields)
			}
			if !reflect.DeepEqual(c, ChangeResult{}) {
				t.Errorf("result %+v with an error", c)
			}
		})
	}
}
