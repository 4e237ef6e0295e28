package imd

import "testing"

// TestLookupFindsTheIndexOfAnArea checks rows of the file against the
// published index: the first and a Leeds area, and a code it does not hold.
func TestLookupFindsTheIndexOfAnArea(t *testing.T) {
	for _, c := range []struct {
		code         string
		rank, decile int
		ok           bool
	}{
		{"E01000001", 29199, 9, true},
		{" e01000002 ", 30379, 10, true},
		{"W01000001", 0, 0, false},
		{"", 0, 0, false},
	} {
		a, ok := Lookup(c.code)
		if ok != c.ok || a.Rank != c.rank || a.Decile != c.decile {
			t.Errorf("Lookup(%q) = %+v, %v; want rank %d decile %d, %v", c.code, a, ok, c.rank, c.decile, c.ok)
		}
	}
}

// TestEveryDecileHoldsATenthOfTheAreas: the deciles split England's
// 32,844 areas into ten near-equal parts.
func TestEveryDecileHoldsATenthOfTheAreas(t *testing.T) {
	all := Areas()
	if len(all) != 32844 {
		t.Fatalf("%d areas, want 32844", len(all))
	}
	n := map[int]int{}
	for _, a := range all {
		n[a.Decile]++
	}
	for d := 1; d <= 10; d++ {
		if n[d] < 3280 || n[d] > 3290 {
			t.Errorf("decile %d holds %d areas", d, n[d])
		}
	}
}
