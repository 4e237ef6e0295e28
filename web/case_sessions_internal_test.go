package web

import "testing"

func TestParseClockReadsTheWaysPeopleWriteTimes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		h, m int
		ok   bool
	}{
		{"14:30", 14, 30, true}, {"2:30pm", 14, 30, true}, {"2pm", 14, 0, true}, {"12pm", 12, 0, true}, {"12am", 0, 0, true},
		{"9.15", 9, 15, true}, {" 9:05 AM ", 9, 5, true}, {"0:00", 0, 0, true},
		{"25:00", 0, 0, false}, {"14", 0, 0, false}, {"13pm", 0, 0, false}, {"2:5", 0, 0, false}, {"", 0, 0, false}, {"noon", 0, 0, false}, {"9:60", 0, 0, false},
	} {
		h, m, ok := parseClock(tc.in)
		if ok != tc.ok || ok && (h != tc.h || m != tc.m) {
			t.Errorf("parseClock(%q) = %d, %d, %v", tc.in, h, m, ok)
		}
	}
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"14:30", "2:30pm", "12am", "9.15", "-1:00", "+1:00pm"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, m, ok := parseClock(s)
		if ok && (h < 0 || h > 23 || m < 0 || m > 59) {
			t.Fatalf("parseClock(%q) = %d:%d", s, h, m)
		}
	})
}
