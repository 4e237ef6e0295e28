package linkwork_test

import (
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestABreakdownHidesWhatWouldGiveAwayASmallCount(t *testing.T) {
	S, W, H := linkwork.Shown, linkwork.Withheld, linkwork.Small
	tests := []struct {
		name   string
		counts []int
		total  linkwork.Figure
		want   []linkwork.Hidden
	}{
		{"nothing small hides nothing", []int{10, 7, 5}, linkwork.Figure{N: 22}, []linkwork.Hidden{S, S, S}},
		{"one small count takes the next smallest with it", []int{10, 7, 3}, linkwork.Figure{N: 20}, []linkwork.Hidden{S, W, H}},
		{"two small counts adding up to under five take the next smallest", []int{10, 7, 1, 1}, linkwork.Figure{N: 19}, []linkwork.Hidden{S, W, H, H}},
		{"two small counts adding up to five or more are enough", []int{10, 7, 3, 2}, linkwork.Figure{N: 22}, []linkwork.Hidden{S, S, H, H}},
		{"a lone small count in a breakdown of one is hidden", []int{3}, linkwork.Figure{N: 3}, []linkwork.Hidden{H}},
		{"with the total hidden, only the small ones are", []int{6, 2}, linkwork.Figure{Hidden: H}, []linkwork.Hidden{S, H}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := make([]linkwork.CountRow, len(tt.counts))
			for i, n := range tt.counts {
				rows[i].Count.N = n
			}
			linkwork.SuppressRows(rows, tt.total)
			for i, r := range rows {
				if r.Count.Hidden != tt.want[i] || r.Count.Hidden != S && r.Count.N != 0 || r.Count.Hidden == S && r.Count.N != tt.counts[i] {
					t.Errorf("row %d (%d): %+v, want %v", i, tt.counts[i], r.Count, tt.want[i])
				}
			}
		})
	}
}

func TestAReportFiltersPeriod(t *testing.T) {
	today := linkwork.Date{Year: 2026, Month: 3, Day: 10}
	tests := []struct {
		name     string
		f        linkwork.ReportFilter
		from, to linkwork.Date
		months   int
	}{
		{"no period is the twelve months up to today", linkwork.ReportFilter{}, linkwork.Date{Year: 2025, Month: 4, Day: 1}, today, 12},
		{"a start alone runs to today", linkwork.ReportFilter{From: linkwork.Date{Year: 2026, Month: 1, Day: 15}}, linkwork.Date{Year: 2026, Month: 1, Day: 15}, today, 3},
		{"an end alone starts eleven months before its month", linkwork.ReportFilter{To: linkwork.Date{Year: 2025, Month: 12, Day: 31}}, linkwork.Date{Year: 2025, Month: 1, Day: 1}, linkwork.Date{Year: 2025, Month: 12, Day: 31}, 12},
		{"a start after today alone ends on it", linkwork.ReportFilter{From: linkwork.Date{Year: 2026, Month: 5, Day: 1}}, linkwork.Date{Year: 2026, Month: 5, Day: 1}, linkwork.Date{Year: 2026, Month: 5, Day: 1}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := tt.f.Period(today)
			if from != tt.from || to != tt.to || len(linkwork.MonthsOf(from, to)) != tt.months {
				t.Errorf("period %v to %v (%d months), want %v to %v (%d)", from, to, len(linkwork.MonthsOf(from, to)), tt.from, tt.to, tt.months)
			}
		})
	}
}
