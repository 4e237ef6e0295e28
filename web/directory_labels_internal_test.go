package web

import (
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

func TestDirectoryLabels(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ got, want string }{
		{distanceLabel(12), "0 m"},
		{distanceLabel(612), "600 m"},
		{distanceLabel(990), "1.0 km"},
		{distanceLabel(9960), "10 km"},
		{distanceLabel(1000), "1.0 km"},
		{distanceLabel(4449), "4.4 km"},
		{distanceLabel(14600), "15 km"},
		{checkedLabel(time.Time{}, now), "Never checked"},
		{checkedLabel(now.Add(-time.Hour), now), "Checked today"},
		{checkedLabel(now.AddDate(0, 0, -1), now), "Checked yesterday"},
		{checkedLabel(now.AddDate(0, 0, -6), now), "Checked 6 days ago"},
		{checkedLabel(now.AddDate(0, 0, -21), now), "Checked 3 weeks ago"},
		{checkedLabel(now.AddDate(0, 0, -95), now), "Checked 3 months ago"},
		{checkedLabel(now.AddDate(0, -11, 0), now), "Checked 11 months ago"},
		{checkedLabel(now.AddDate(-3, 0, 0), now), "Checked 3 years ago"},
		{costLabel(linkwork.FreeOfCharge()[0]), "Free"},
		{costLabel(linkwork.CostOption{Option: "Per session", Amount: linkwork.Int(350)}), "Per session: £3.50"},
		{costLabel(linkwork.CostOption{Option: "Per session", Amount: linkwork.Int(200), AmountDescription: "£2 a session"}), "Per session: £2 a session"},
		{costLabel(linkwork.CostOption{Option: "Under-16s", Amount: linkwork.Int(0)}), "Under-16s: Free"},
		{costLabel(linkwork.CostOption{Option: "Free for students", Amount: linkwork.Int(0)}), "Free for students"},
		{costLabel(linkwork.CostOption{AmountDescription: "Costs vary by outing"}), "Costs vary by outing"},
		{scheduleLabel(linkwork.Schedule{Freq: "WEEKLY", ByDay: "TU", OpensAt: "18:00", ClosesAt: "19:30"}), "Tuesdays 18:00–19:30"},
		{scheduleLabel(linkwork.Schedule{Freq: "WEEKLY", ByDay: "MO,WE,FR", OpensAt: "10:00", ClosesAt: "11:00"}), "Mondays, Wednesdays and Fridays 10:00–11:00"},
		{scheduleLabel(linkwork.Schedule{Freq: "MONTHLY", ByDay: "1SA", OpensAt: "10:00", ClosesAt: "12:00", Note: "not in August"}), "First Saturday of the month 10:00–12:00 (not in August)"},
		{scheduleLabel(linkwork.Schedule{Freq: "MONTHLY", ByDay: "TH", OpensAt: "18:00", ClosesAt: "20:00", Note: "First Thursday of the month"}), "Thursday 18:00–20:00 (First Thursday of the month)"},
		{agesLabel(0, 0), "All ages"},
		{agesLabel(11, 17), "Ages 11 to 17"},
		{agesLabel(50, 0), "Ages 50 and over"},
		{agesLabel(0, 25), "Up to age 25"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
