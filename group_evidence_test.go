package linkwork_test

import (
	"reflect"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestAGroupsSmallNumbersAreSuppressed(t *testing.T) {
	small, withheld := linkwork.GroupFigure{Hidden: linkwork.Small}, linkwork.GroupFigure{Hidden: linkwork.Withheld}
	n := func(v int) linkwork.GroupFigure { return linkwork.GroupFigure{N: v} }
	tests := map[string]struct {
		counts []int // a breakdown's connected counts
		want   []linkwork.GroupFigure
	}{
		"counts of 5 or more are shown, and 0":                        {[]int{0, 5, 12}, []linkwork.GroupFigure{n(0), n(5), n(12)}},
		"a lone small count takes the next smallest with it":          {[]int{3, 9, 6}, []linkwork.GroupFigure{small, n(9), withheld}},
		"two small counts hide each other":                            {[]int{1, 4, 20}, []linkwork.GroupFigure{small, small, n(20)}},
		"a lone small count beside zeros has nothing to take with it": {[]int{0, 2, 0}, []linkwork.GroupFigure{n(0), small, n(0)}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var rows []linkwork.GroupEvidenceRow
			for _, c := range tt.counts {
				rows = append(rows, linkwork.GroupRowOf("", "", linkwork.GroupCounts{Connected: c}))
			}
			linkwork.WithholdSecondary(rows)
			var got []linkwork.GroupFigure
			for _, r := range rows {
				got = append(got, r.Connected)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	views, said := linkwork.GroupViewsOf(map[linkwork.PersonView]int{linkwork.ViewLikedIt: 11, linkwork.ViewNotForMe: 2, linkwork.ViewMixed: 6})
	if want := []linkwork.GroupView{{View: linkwork.ViewLikedIt, People: n(11)}, {View: linkwork.ViewNotForMe, People: small}, {View: linkwork.ViewMixed, People: withheld}}; !reflect.DeepEqual(views, want) || said != n(19) {
		t.Errorf("views %+v said %+v", views, said)
	}
	if w := small.Words(); w != "fewer than 5" {
		t.Errorf("a small figure reads %q", w)
	}
	if w := n(7).Words(); w != "7" {
		t.Errorf("a figure reads %q", w)
	}
}
