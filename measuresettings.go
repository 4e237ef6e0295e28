package linkwork

import (
	"fmt"
	"slices"
	"strings"
)

// A service's outcome measures: which instruments it uses for which age
// band, at which points of the journey, which of them its commissioners
// mandate, and, for an instrument whose wording is licensed (WEMWBS and
// SWEMWBS), the wording the service holds a licence for.

// BandOf is the key of the person's age band (AgeBands) on the day, and
// false when their date of birth is not known.
func BandOf(p *Person, today Date) (string, bool) {
	if p == nil || p.DateOfBirth.IsZero() {
		return "", false
	}
	return AgeBandOf(p.DateOfBirth.AgeOn(today)).Key, true
}

// bandLabel is the band's label in lower case, as a sentence says it.
func bandLabel(key string) string {
	b, _ := FindAgeBand(key)
	return strings.ToLower(b.Label)
}

// WordedItems is how many items the service words for an instrument
// whose wording is licensed (WEMWBS 14, SWEMWBS 7), and 0 for one whose
// wording linkwork ships or, for goals, the person's own goals.
func (i Instrument) WordedItems() int {
	switch i {
	case InstrumentWEMWBS:
		return 14
	case InstrumentSWEMWBS:
		return 7
	}
	return 0
}

// MeasureUse is one instrument a service uses for one age band (the key
// of one of AgeBands): at which timepoints, and whether it is mandated
// (then it shows as due).
type MeasureUse struct {
	Band       string
	Instrument Instrument
	Timepoints []Timepoint
	Mandated   bool
}

// MeasureSettings are a service's choice of outcome measures. A band with
// no uses follows the instruments' own ages (Instrument.MinAge) and
// mandates nothing; a band with uses offers exactly those instruments.
type MeasureSettings struct {
	Uses []MeasureUse
	// Wording is the service's own wording of a licensed instrument's
	// items, one text an item, in item order.
	Wording map[Instrument][]string
}

// MaxWordingLength bounds the wording of one item.
const MaxWordingLength = 500

// chose reports whether the service chose any instrument for the band.
func (m MeasureSettings) chose(b string) bool {
	for _, u := range m.Uses {
		if u.Band == b {
			return true
		}
	}
	return false
}

// Use is the service's use of the instrument for the band, and false when
// it has none.
func (m MeasureSettings) Use(b string, i Instrument) (MeasureUse, bool) {
	for _, u := range m.Uses {
		if u.Band == b && u.Instrument == i {
			return u, true
		}
	}
	return MeasureUse{}, false
}

// Offers reports whether the instrument may be taken with someone of the
// age given: it is the service's choice for their band, or, where the
// service chose none for the band, the instrument suits the age.
func (m MeasureSettings) Offers(i Instrument, age int) bool {
	if !i.Valid() {
		return false
	}
	b := AgeBandOf(age).Key
	if m.chose(b) {
		_, ok := m.Use(b, i)
		return ok
	}
	return i.SuitableFor(age)
}

// InstrumentsFor lists the instruments offered to the person on the day,
// in the order offered. Without a date of birth every instrument is
// offered: the link worker knows the person's age.
func (m MeasureSettings) InstrumentsFor(p *Person, today Date) []Instrument {
	var out []Instrument
	for _, i := range Instruments {
		if p == nil || p.DateOfBirth.IsZero() || m.Offers(i, p.DateOfBirth.AgeOn(today)) {
			out = append(out, i)
		}
	}
	return out
}

// NotOffered is the message refusing an instrument not offered to someone
// aged age.
func (m MeasureSettings) NotOffered(i Instrument, age int) string {
	if b := AgeBandOf(age).Key; m.chose(b) {
		return fmt.Sprintf("Your service does not use %s for people aged %s: they are %d", i.Label(), bandLabel(b), age)
	}
	return fmt.Sprintf("%s is for people aged %d or over: they are %d", i.Label(), i.MinAge(), age)
}

// ItemWording is the service's wording of the instrument's items, nil
// when it has none.
func (m MeasureSettings) ItemWording(i Instrument) []string { return m.Wording[i] }

// Normalised returns a copy with each wording trimmed and blank lines
// dropped, and each use's timepoints in journey order, each once.
func (m MeasureSettings) Normalised() MeasureSettings {
	out := MeasureSettings{}
	for _, u := range m.Uses {
		var tps []Timepoint
		for _, t := range Timepoints {
			if slices.Contains(u.Timepoints, t) {
				tps = append(tps, t)
			}
		}
		for _, t := range u.Timepoints {
			if !t.Valid() {
				tps = append(tps, t) // kept for validate to name
			}
		}
		u.Timepoints = tps
		out.Uses = append(out.Uses, u)
	}
	for i, lines := range m.Wording {
		var kept []string
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				kept = append(kept, l)
			}
		}
		if len(kept) > 0 {
			if out.Wording == nil {
				out.Wording = map[Instrument][]string{}
			}
			out.Wording[i] = kept
		}
	}
	return out
}

// validate adds every problem with the measure settings to p: each use a
// known band, instrument and timepoints, at least one timepoint, no
// instrument twice in a band; each wording for a licensed instrument,
// with one text for each of its items.
func (m MeasureSettings) validate(p *Problems) {
	seen := map[string]bool{}
	for n, u := range m.Uses {
		field := fmt.Sprintf("uses[%d]", n)
		if _, ok := FindAgeBand(u.Band); !ok {
			p.Add(field+".age_band", "Choose one of the age bands: under-13, 13-15, 16-17, 18-25 or 26-plus")
			continue
		}
		if !u.Instrument.Valid() {
			p.Add(field+".instrument", "Choose one of the outcome measures")
			continue
		}
		key := u.Band + "/" + string(u.Instrument)
		if seen[key] {
			p.Addf(field+".instrument", "%s is chosen twice for %s", u.Instrument.Label(), bandLabel(u.Band))
		}
		seen[key] = true
		if len(u.Timepoints) == 0 {
			p.Addf(field+".timepoints", "Choose when %s is taken for %s: the start, reviews, the end or a follow-up", u.Instrument.Label(), bandLabel(u.Band))
		}
		for _, t := range u.Timepoints {
			if !t.Valid() {
				p.Add(field+".timepoints", "Choose when it is taken: the start, reviews, the end or a follow-up")
				break
			}
		}
	}
	for _, i := range Instruments {
		lines, ok := m.Wording[i]
		if !ok {
			continue
		}
		field := "wording." + string(i)
		n := i.WordedItems()
		if n == 0 {
			p.Addf(field, "%s's wording is shipped with linkwork: only a licensed measure's wording is entered", i.Label())
			continue
		}
		if len(lines) != n {
			p.Addf(field, "Enter %s's %d questions, one a line: there are %d", i.Label(), n, len(lines))
			continue
		}
		for _, l := range lines {
			if !p.Text(field, l, MaxWordingLength) {
				break
			}
		}
	}
	for i := range m.Wording {
		if !i.Valid() {
			p.Add("wording", "Enter wording only for one of the outcome measures")
			break
		}
	}
}

// Validate reports every problem with the settings as EINVALID.
func (m MeasureSettings) Validate() error {
	var p Problems
	m.validate(&p)
	return p.Err()
}

// MeasureDue is a mandated measure due on a case: the instrument, and
// the point of the journey it is due for.
type MeasureDue struct {
	Instrument Instrument
	Timepoint  Timepoint
}

// Label says the measure due in words: "SWEMWBS at the start".
func (d MeasureDue) Label() string {
	switch d.Timepoint {
	case TimepointBaseline:
		return d.Instrument.Label() + " at the start"
	case TimepointReview:
		return d.Instrument.Label() + " at the review"
	case TimepointEnd:
		return d.Instrument.Label() + " at the end"
	case TimepointFollowUp:
		return d.Instrument.Label() + " at the follow-up"
	}
	return d.Instrument.Label()
}

// MeasureKey is an instrument at a timepoint.
type MeasureKey struct {
	Instrument Instrument
	Timepoint  Timepoint
}

// MeasuresTaken counts a case's responses by instrument and timepoint.
type MeasuresTaken map[MeasureKey]int

// MeasuresDue lists the measures due on case c, whose person is in the age
// band given ("" when their age is not known: nothing is due), who has
// attended sessions sessions, with the responses taken so far, on the
// day: each instrument the service mandates for the band, at each of its
// timepoints that has come and has no response yet. The start is due
// while the case is open; a review once the sessions reach each of the
// service's review points (reviews, as CaseworkSettings.Reviews), one
// response for each point reached; the end while the case is ending; the
// follow-up once a closed case's follow-up date has come.
func (m MeasureSettings) MeasuresDue(band string, c *Case, sessions int, reviews []int, taken MeasuresTaken, today Date) []MeasureDue {
	if band == "" || c == nil {
		return nil
	}
	open := c.Status == CaseActive || c.Status == CaseEnding
	reached := 0
	for _, p := range reviews {
		if sessions >= p {
			reached++
		}
	}
	var out []MeasureDue
	for _, i := range Instruments {
		u, ok := m.Use(band, i)
		if !ok || !u.Mandated {
			continue
		}
		for _, t := range u.Timepoints {
			n := taken[MeasureKey{i, t}]
			due := false
			switch t {
			case TimepointBaseline:
				due = open && n == 0
			case TimepointReview:
				due = open && n < reached
			case TimepointEnd:
				due = c.Status == CaseEnding && n == 0
			case TimepointFollowUp:
				due = c.Status == CaseClosed && !c.FollowUpOn.IsZero() && !today.Before(c.FollowUpOn) && n == 0
			}
			if due {
				out = append(out, MeasureDue{Instrument: i, Timepoint: t})
			}
		}
	}
	return out
}

// TakenOf counts responses by instrument and timepoint.
func TakenOf(list []*MeasureResponse) MeasuresTaken {
	out := MeasuresTaken{}
	for _, m := range list {
		out[MeasureKey{m.Instrument, m.Timepoint}]++
	}
	return out
}

// AnyMandated reports whether the service mandates any measure: without
// one, nothing is ever due.
func (m MeasureSettings) AnyMandated() bool {
	for _, u := range m.Uses {
		if u.Mandated {
			return true
		}
	}
	return false
}

// Answerable reports whether the person can answer the instrument on
// their own, through a link: its questions are shipped, or the service
// entered its licensed wording. Goals are rated with the link worker.
func (m MeasureSettings) Answerable(i Instrument) bool {
	if i == InstrumentGBO || !i.Valid() {
		return false
	}
	return i.WordedItems() == 0 || len(m.Wording[i]) == i.WordedItems()
}
