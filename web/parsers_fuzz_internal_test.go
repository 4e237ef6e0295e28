package web

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzParsePounds: parsePounds never panics; what it takes is written
// only in digits and a point (after a £), is never negative, and reads
// back the same once poundsLabel has written it.
func FuzzParsePounds(f *testing.F) {
	for _, p := range []int{0, 5, 250, 1000, 99999, 100000000} {
		f.Add(poundsLabel(&p))
	}
	for _, s := range []string{"£2.5", " 3 ", ".5", "", "2.555", "-1", "1e3", "+2", "2.+1", "92233720368547758", "£"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := parsePounds(s)
		if !ok {
			return
		}
		if strings.Trim(strings.TrimPrefix(strings.TrimSpace(s), "£"), "0123456789.") != "" {
			t.Fatalf("%q was read as %d pence", s, p)
		}
		if p < 0 {
			t.Fatalf("%q was read as %d pence", s, p)
		}
		if again, ok := parsePounds(poundsLabel(&p)); !ok || again != p {
			t.Fatalf("%q is %d pence, written %q, read back as %d (%v)", s, p, poundsLabel(&p), again, ok)
		}
	})
}

// FuzzParseDateParts: parseDateParts never panics; a date it refuses is
// named by what it is; one it takes is a real date with a four-digit
// year, written only in digits, that reads back the same.
func FuzzParseDateParts(f *testing.F) {
	for _, d := range [][3]string{{"27", "3", "2011"}, {"", "", ""}, {"31", "2", "2020"}, {"29", "2", "2024"}, {"1", "", "2000"},
		{"1", "1", "+999"}, {"1", "1", "-001"}, {"01", "01", "0000"}, {"x", "1", "2000"}} {
		f.Add(d[0], d[1], d[2])
	}
	f.Fuzz(func(t *testing.T, day, month, year string) {
		d, msg := parseDateParts([]string{day, month, year}, "Date of birth")
		if msg != "" {
			if !strings.HasPrefix(msg, "Date of birth ") || !d.IsZero() {
				t.Fatalf("%q %q %q: %q with %v", day, month, year, msg, d)
			}
			return
		}
		if day == "" && month == "" && year == "" {
			if !d.IsZero() {
				t.Fatalf("a blank date is %v", d)
			}
			return
		}
		if strings.Trim(day+month+year, "0123456789") != "" || len(year) != 4 {
			t.Fatalf("%q %q %q was taken as %v", day, month, year, d)
		}
		tm := d.Time()
		again, msg := parseDateParts([]string{strconv.Itoa(tm.Day()), strconv.Itoa(int(tm.Month())), strconv.Itoa(tm.Year())}, "Date of birth")
		if msg != "" || again != d {
			t.Fatalf("%q %q %q is %v, which reads back as %v (%q)", day, month, year, d, again, msg)
		}
	})
}
