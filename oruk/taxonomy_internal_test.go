package oruk

import (
	"strings"
	"testing"
)

func TestParseCategoriesRejectsBadRows(t *testing.T) {
	const header = "category,label,term_id,description\n"
	cases := map[string]string{
		"wrong header":        "category,label\nsports,Sports\n",
		"term id not derived": header + "sports,Sports,26e5cb15-968c-5d45-9f05-1b1504a29894,Sport.\n",
	}
	for name, doc := range cases {
		if _, err := parseCategories([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	cs, err := parseCategories([]byte(strings.Repeat("#\n", 3) + header + "sports,Sports,9f3484ee-23c1-5ae4-b5ef-5a7f07dd9829,Sport.\n"))
	if err != nil || len(cs) != 1 || cs[0].Key != "sports" {
		t.Errorf("a good row after comments: %+v, %v", cs, err)
	}
}

// A row of lga_services.csv must name a real category and say plainly
// whether it is published, and a category is published as one term at
// most: a mistake in the table stops the program at start, not a feed.
func TestParseLGARejectsBadRows(t *testing.T) {
	cats, err := parseCategories(categoriesCSV)
	if err != nil {
		t.Fatal(err)
	}
	const header = "lga_id,lga_label,category,publish\n"
	cases := []struct {
		name, doc string
		ok        bool
	}{
		{"good", header + "884,Arts development,creative,yes\n163,Counselling,wellbeing_support,no\n", true},
		{"wrong header", "id,label\n884,Arts development\n", false},
		{"id not a number", header + "esd884,Arts development,creative,yes\n", false},
		{"id zero-padded", header + "0884,Arts development,creative,yes\n", false},
		{"id twice", header + "884,Arts development,creative,no\n884,Arts,creative,no\n", false},
		{"no label", header + "884, ,creative,no\n", false},
		{"unknown category", header + "884,Arts development,knitting,no\n", false},
		{"publish not yes or no", header + "884,Arts development,creative,y\n", false},
		{"two published for one category", header + "884,Arts development,creative,yes\n838,Arts organisations and events,creative,yes\n", false},
	}
	for _, c := range cases {
		got, err := parseLGA([]byte(c.doc), cats)
		if (err == nil) != c.ok {
			t.Errorf("%s: err %v, want ok %v", c.name, err, c.ok)
		}
		if c.ok && (len(got) != 2 || !got[0].Published || got[1].Published || got[1].Category != "wellbeing_support") {
			t.Errorf("%s: %+v", c.name, got)
		}
	}
}
