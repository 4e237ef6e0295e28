package linkwork

import (
	"regexp"
	"strings"
)

// Postcode is a UK postcode split into its outward code (the district, such
// as "SW1A") and inward code (such as "1AA"). Inward is empty for a postcode
// district on its own.
type Postcode struct {
	Outward string
	Inward  string
}

var (
	outwardRe = regexp.MustCompile(`^([A-Z]{1,2}[0-9][0-9A-Z]?)$`)
	fullRe    = regexp.MustCompile(`^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$`)
)

// ParsePostcode parses a full UK postcode ("s1 2hh", "SW1A1AA") or a
// postcode district ("S1"), ignoring case and spaces. It returns EINVALID
// with a message a user can act on.
func ParsePostcode(s string) (Postcode, error) {
	c := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if c == "" {
		return Postcode{}, Errorf(EINVALID, "Enter a postcode")
	}
	if m := fullRe.FindStringSubmatch(c); m != nil {
		return Postcode{Outward: m[1], Inward: m[2]}, nil
	}
	if m := outwardRe.FindStringSubmatch(c); m != nil {
		return Postcode{Outward: m[1]}, nil
	}
	return Postcode{}, Errorf(EINVALID, "Enter a real UK postcode, like S1 2HH")
}

// String returns the postcode in its usual form, "S1 2HH", or the district
// alone.
func (p Postcode) String() string {
	if p.Inward == "" {
		return p.Outward
	}
	return p.Outward + " " + p.Inward
}

// NormalisePostcode returns s in its usual form when it parses, and s
// trimmed otherwise.
func NormalisePostcode(s string) string {
	p, err := ParsePostcode(s)
	if err != nil {
		return strings.TrimSpace(s)
	}
	return p.String()
}
