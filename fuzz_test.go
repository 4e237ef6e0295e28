package linkwork_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	linkwork "github.com/linkwork/linkwork"
)

// FuzzParsePostcode: any input either parses to a postcode that prints and
// parses back to itself, or is an EINVALID error; nothing panics.
func FuzzParsePostcode(f *testing.F) {
	for _, s := range []string{"S1 2HH", "sw1a1aa", "LS6", "", " ", "ZZ99 9ZZ", "S1 2H", "ÅÄÖ", "s\x001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := linkwork.ParsePostcode(s)
		if err != nil {
			if linkwork.ErrorCode(err) != linkwork.EINVALID || linkwork.ErrorMessage(err) == "" {
				t.Fatalf("error %v is not a clear EINVALID", err)
			}
			return
		}
		again, err := linkwork.ParsePostcode(p.String())
		if err != nil || again != p {
			t.Fatalf("%q parsed to %q, which parses to %q (%v)", s, p, again, err)
		}
		if p.String() != strings.ToUpper(p.String()) || !utf8.ValidString(p.String()) {
			t.Fatalf("%q printed as %q", s, p)
		}
	})
}

// FuzzParseDate: any input is a date that round-trips, or EINVALID.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2009-04-30", "2009-02-30", "30/04/2009", "", "0000-01-01", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := linkwork.ParseDate(s)
		if err != nil {
			if linkwork.ErrorCode(err) != linkwork.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("%q parsed to %s", s, d)
		}
	})
}
