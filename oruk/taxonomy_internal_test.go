package oruk

import (
	"strings"
	"testing"
)

func TestParseCategoriesRejectsBadRows(t *testing.T) {
	const header = "category,label,term_id,description,lga_term_id,lga_term_label,lga_term_uri,lga_source\n"
	const sports = "sports,Sports,9f3484ee-23c1-5ae4-b5ef-5a7f07dd9829,Sport.,"
	cases := map[string]string{
		"wrong header":            "category,label\nsports,Sports\n",
		"term id not derived":     header + "sports,Sports,26e5cb15-968c-5d45-9f05-1b1504a29894,Sport.,,,,\n",
		"LGA term without source": header + sports + "123,Sport,,\n",
		"LGA term without label":  header + sports + "123,,,somewhere\n",
	}
	for name, doc := range cases {
		if _, err := parseCategories([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	cs, err := parseCategories([]byte(header + sports + ",,,\n"))
	if err != nil || len(cs) != 1 || cs[0].LGA != nil {
		t.Errorf("a row without an LGA term: %+v, %v", cs, err)
	}
	if _, err := parseCategories([]byte(strings.Repeat("#\n", 3) + header)); err != nil {
		t.Errorf("comments: %v", err)
	}
}
