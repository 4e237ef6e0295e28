package sqlstore

import "testing"

func TestRoughStemAndRelevance(t *testing.T) {
	for in, want := range map[string]string{"swimming": "swim", "swim": "swim", "classes": "class", "class": "class", "groups": "group",
		"running": "run", "runners": "run", "parties": "party", "walked": "walk", "football": "football", "art": "art", "arts": "art"} {
		if got := roughStem(in); got != want {
			t.Errorf("roughStem(%q) = %q, want %q", in, got, want)
		}
	}
	group := func(prefix bool, words ...string) spelling {
		g := spelling{words: words, prefix: prefix}
		for _, w := range words {
			g.stems = append(g.stems, roughStem(w))
		}
		return g
	}
	for _, tt := range []struct {
		groups         []spelling
		name, keywords string
		want           float64
	}{
		{[]spelling{group(false, "football")}, "Walking Football", "Sports Social", 10},
		{[]spelling{group(false, "social")}, "Walking Football", "Sports Social", 4},
		{[]spelling{group(false, "tea")}, "Walking Football", "Sports Social", 1},
		{[]spelling{group(false, "swimming")}, "Quiet Swim at Hollin Park", "", 10},
		{[]spelling{group(true, "foot")}, "Walking Football", "", 10},
		{[]spelling{group(false, "foot")}, "Walking Football", "", 1},
		{[]spelling{group(false, "fotball", "football")}, "WALKING FOOTBALL", "", 10},
		{[]spelling{group(false, "youth"), group(true, "club")}, "Youth Club (Tuesdays)", "Social", 20},
		{[]spelling{group(false, "youth"), group(true, "club")}, "Games Night", "Youth club", 8},
	} {
		if got := relevance(tt.groups, tt.name, tt.keywords); got != tt.want {
			t.Errorf("relevance(%v, %q, %q) = %v, want %v", tt.groups, tt.name, tt.keywords, got, tt.want)
		}
	}
}
