package linkwork_test

import (
	"net/mail"
	"net/url"
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

// FuzzTextChecks: for any input, Problems.Text refuses it exactly when it
// holds a zero byte, is not UTF-8 or is too long; a web address that
// passes is http or https with a host; an email that passes is a bare
// address; nothing panics.
func FuzzTextChecks(f *testing.F) {
	for _, s := range []string{"", "Robin", "a\x00b", "\xff", "é", "https://example.org", "javascript:alert(1)", "name@example.org", "Name <n@example.org>", "https://\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var p linkwork.Problems
		ok := p.Text("f", s, 5)
		want := utf8.ValidString(s) && !strings.Contains(s, "\x00") && utf8.RuneCountInString(s) <= 5
		if ok != want || ok != (len(p) == 0) {
			t.Fatalf("Text(%q) = %v with %v, want %v", s, ok, p, want)
		}
		if linkwork.ValidWebURL(s) {
			u, err := url.Parse(s)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !linkwork.ValidText(s) {
				t.Fatalf("ValidWebURL(%q), which is not an http(s) address with a host", s)
			}
		}
		if linkwork.ValidEmail(s) {
			a, err := mail.ParseAddress(s)
			if err != nil || a.Address != s || !strings.Contains(s, "@") || !linkwork.ValidText(s) {
				t.Fatalf("ValidEmail(%q), which is not a bare address", s)
			}
		}
	})
}

// FuzzLinkRequest: for any address a link worker types, a request to
// send a group a link is refused naming its field, or is an email
// address that is bare or a number a text can go to (10 to 15 digits);
// nothing panics.
func FuzzLinkRequest(f *testing.F) {
	for _, s := range []string{"coach@boxing.example", "07700 900123", "+44 (0)7700-900123", "", " ", "0770", "07700 9OO123", "+", "０７７００９００１２３", "a\x00b"} {
		f.Add("email", s)
		f.Add("text", s)
	}
	f.Fuzz(func(t *testing.T, channel, to string) {
		r := linkwork.AnswerLinkRequest{Channel: linkwork.LinkChannel(channel), To: to}.Normalised()
		err := r.Validate()
		if err != nil {
			for _, fe := range linkwork.ErrorFields(err) {
				if fe.Field != "channel" && fe.Field != "to" {
					t.Fatalf("%q %q: a problem with %q", channel, to, fe.Field)
				}
			}
			return
		}
		switch r.Channel {
		case linkwork.LinkEmail:
			if !linkwork.ValidEmail(r.To) {
				t.Fatalf("an email to %q, which is not a bare address", r.To)
			}
		case linkwork.LinkText:
			digits := 0
			for _, c := range r.To {
				if c >= '0' && c <= '9' {
					digits++
				}
			}
			if digits < 10 || digits > 15 || !linkwork.ValidText(r.To) {
				t.Fatalf("a text to %q", r.To)
			}
		default:
			t.Fatalf("a link by %q", r.Channel)
		}
	})
}
