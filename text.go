package linkwork

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"
)

// The longest text linkwork stores, in characters. Every Validate holds
// each text field to one of these (the field's doc comment or Validate
// says which), and names the field and the limit when it is longer. The
// API's openapi.json gives each as the field's maxLength.
const (
	// MaxIDLength bounds an id sent in: a UUID is 36 characters.
	MaxIDLength = 100
	// MaxNameLength bounds a person's first, last and preferred names,
	// a parent or carer's name, the name of whoever refers on the public
	// form, and an API token's name.
	MaxNameLength = 100
	// MaxShortText bounds a line of text: the names of users,
	// organisations, listings and places; job titles, relationships,
	// phone numbers, pronouns, codes; a goal; a criterion of the
	// streetlight screen.
	MaxShortText = 200
	// MaxAddressLength bounds an address written out in full.
	MaxAddressLength = 500
	// MaxEmailLength bounds an email address (RFC 5321's limit).
	MaxEmailLength = 254
	// MaxURLLength bounds a web address.
	MaxURLLength = 2048
	// MaxAdviceLength bounds a service's crisis advice and contact
	// details, which every public form shows.
	MaxAdviceLength = 2000
	// MaxReportNote bounds a link worker's note that a listing is out of
	// date.
	MaxReportNote = 2000
	// MaxText bounds free text: a referral's reasons, what the person
	// wants and risks; notes; descriptions; a decision's reason.
	MaxText = 5000
)

// ValidText reports whether s is text linkwork can store: UTF-8 with no
// NUL (zero) byte. PostgreSQL refuses anything else, so every door and
// the store check it.
func ValidText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// BadTextMessage is the problem reported for text that is not ValidText.
const BadTextMessage = "This holds a character that cannot be stored (a zero byte, or bytes that are not UTF-8): remove it"

// TooLongMessage is the problem reported for text longer than max
// characters: "Keep this to 5,000 characters or fewer".
func TooLongMessage(max int) string {
	return "Keep this to " + thousands(max) + " characters or fewer"
}

// Text records a problem with field when s is not ValidText or is longer
// than max characters, and reports whether s was fine.
func (p *Problems) Text(field, s string, max int) bool {
	if !ValidText(s) {
		p.Add(field, BadTextMessage)
		return false
	}
	if n := utf8.RuneCountInString(s); n > max {
		p.Addf(field, "%s: it has %s", TooLongMessage(max), thousands(n))
		return false
	}
	return true
}

// WebURL records a problem with field unless s is empty or an absolute
// http or https address with a host, of at most MaxURLLength characters.
func (p *Problems) WebURL(field, s string) {
	if s == "" || !p.Text(field, s, MaxURLLength) {
		return
	}
	if !ValidWebURL(s) {
		p.Add(field, "Enter a web address starting https://, like https://example.org")
	}
}

// ValidWebURL reports whether s is an absolute http or https address
// with a host, such as https://example.org/join: never javascript:,
// data: or a path alone.
func ValidWebURL(s string) bool {
	if !ValidText(s) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	return u.Scheme == "http" || u.Scheme == "https"
}

// Email records a problem with field unless s is empty or a bare email
// address, name@example.org, of at most MaxEmailLength characters.
func (p *Problems) Email(field, s string) {
	if s == "" || !p.Text(field, s, MaxEmailLength) {
		return
	}
	if !ValidEmail(s) {
		p.Add(field, "Enter an email address like name@example.org")
	}
}

// ValidEmail reports whether s is a bare email address, name@example.org:
// not "Name <name@example.org>", and not a list.
func ValidEmail(s string) bool {
	if !ValidText(s) {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == "" && strings.Contains(s, "@")
}

// thousands writes n (0 or more) with commas between thousands: 5,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
