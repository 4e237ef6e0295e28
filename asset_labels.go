package linkwork

import (
	"fmt"
	"strings"
)

// Label says what a cost option costs: its description as the provider
// wrote it, or else the amount ("£2.00", "Free"), after whom it is for:
// "Per session: £2 a session", "Under-16s: Free", "Free".
func (c CostOption) Label() string {
	what := c.AmountDescription
	if what == "" && c.Amount != nil {
		what = "Free"
		if *c.Amount > 0 {
			what = fmt.Sprintf("£%d.%02d", *c.Amount/100, *c.Amount%100)
		}
	}
	switch {
	case c.Option == "":
		return what
	case what == "" || strings.Contains(strings.ToLower(c.Option), strings.ToLower(what)):
		return c.Option
	}
	return c.Option + ": " + what
}

// Label says when a session runs: "Tuesdays 18:00–19:30", "Mondays and
// Wednesdays 10:00–11:00", with its note.
func (sc Schedule) Label() string {
	var days []string
	for _, d := range strings.Split(sc.ByDay, ",") {
		code := strings.TrimLeft(d, "-0123456789")
		name := WeekdayName(code)
		if name == "" {
			continue
		}
		if code != d {
			name = ordinalWord(strings.TrimSuffix(d, code)) + " " + name + " of the month"
		} else if sc.Freq != "MONTHLY" {
			name += "s"
		}
		days = append(days, name)
	}
	out := strings.Join(days, ", ")
	if i := strings.LastIndex(out, ", "); i >= 0 {
		out = out[:i] + " and " + out[i+2:]
	}
	if sc.OpensAt != "" {
		out += " " + sc.OpensAt + "–" + sc.ClosesAt
	}
	if sc.Note != "" {
		out += " (" + sc.Note + ")"
	}
	return strings.TrimSpace(out)
}

// ordinalWord is an RRULE day's position in words: "1" is "First", "-1"
// "Last".
func ordinalWord(n string) string {
	switch n {
	case "1":
		return "First"
	case "2":
		return "Second"
	case "3":
		return "Third"
	case "4":
		return "Fourth"
	case "5":
		return "Fifth"
	case "-1":
		return "Last"
	}
	return n
}

// Label is a place's address on one line: "St Mary's Community Centre,
// 14 Station Road, Leeds LS6 2AB"; an online location is "Online".
func (l *Location) Label() string {
	if !l.Physical() {
		return "Online"
	}
	var parts []string
	for _, s := range []string{l.Name, l.Address1} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	if town := strings.TrimSpace(strings.TrimSpace(l.City) + " " + strings.TrimSpace(l.PostalCode)); town != "" {
		parts = append(parts, town)
	}
	return strings.Join(parts, ", ")
}
