package oruk

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"

	"github.com/google/uuid"
)

// categories.csv maps linkwork's activity categories to taxonomy terms:
// linkwork's own, and the LGA Community Services term where one has been
// verified.
//
//go:embed categories.csv
var categoriesCSV []byte

// CategoryNamespace is the UUID namespace from which linkwork's taxonomy
// ids are made (UUID v5), so that they are the same in every deployment and
// a feed's ids stay stable: the taxonomy is "taxonomy:activity_categories",
// a category's term "category:<category>", and the attribute linking a
// service to a term "attribute:<service id>:<term id>".
var CategoryNamespace = uuid.MustParse("be6bc890-2e63-4b00-b45c-109ff666c63d")

// CategoryTaxonomyName names linkwork's taxonomy of activity categories.
const CategoryTaxonomyName = "linkwork activity categories"

// CategoryTaxonomyID is the id of linkwork's taxonomy of activity categories.
var CategoryTaxonomyID = uuid.NewSHA1(CategoryNamespace, []byte("taxonomy:activity_categories")).String()

// LGATerm is a term of the LGA Community Services list, with where it was
// checked.
type LGATerm struct {
	ID     string // the list's own identifier
	Label  string
	URI    string
	Source string // where the term was verified
}

// Category is one of linkwork's activity categories as a taxonomy term.
type Category struct {
	Key   string // the category as linkwork stores it, e.g. "self_care"
	Label string // as people read it, e.g. "Self-care"
	Term  TaxonomyTerm
	// LGA is the matching LGA Community Services term, or nil when none has
	// been verified. (Today it is nil for every category: see
	// categories.csv.) ORUK term ids must be UUIDs, so to publish an LGA
	// term give it a UUID and carry the LGA's code in term_uri or term;
	// the UK profile removes taxonomy_term.code.
	LGA *LGATerm
}

var categories = mustParseCategories(categoriesCSV)

func mustParseCategories(b []byte) []Category {
	cs, err := parseCategories(b)
	if err != nil {
		panic("oruk: categories.csv: " + err.Error())
	}
	return cs
}

func parseCategories(b []byte) ([]Category, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	want := []string{"category", "label", "term_id", "description", "lga_term_id", "lga_term_label", "lga_term_uri", "lga_source"}
	if len(rows) == 0 || fmt.Sprint(rows[0]) != fmt.Sprint(want) {
		return nil, fmt.Errorf("header is not %v", want)
	}
	var out []Category
	for _, row := range rows[1:] {
		c := Category{
			Key:   row[0],
			Label: row[1],
			Term: TaxonomyTerm{
				ID:          row[2],
				Name:        row[1],
				Description: row[3],
				Taxonomy:    CategoryTaxonomyName,
				TaxonomyID:  CategoryTaxonomyID,
				Term:        row[1],
			},
		}
		if want := uuid.NewSHA1(CategoryNamespace, []byte("category:"+c.Key)).String(); c.Term.ID != want {
			return nil, fmt.Errorf("%s: term_id %s, want %s", c.Key, c.Term.ID, want)
		}
		lga := LGATerm{ID: row[4], Label: row[5], URI: row[6], Source: row[7]}
		switch {
		case lga == LGATerm{}:
		case lga.ID == "" || lga.Label == "" || lga.Source == "":
			return nil, fmt.Errorf("%s: an LGA term needs its id, label and source", c.Key)
		default:
			c.LGA = &lga
		}
		out = append(out, c)
	}
	return out, nil
}

// Categories lists linkwork's activity categories with their terms.
func Categories() []Category {
	out := make([]Category, len(categories))
	copy(out, categories)
	return out
}

// CategoryTerm returns the taxonomy term of a category ("sports").
func CategoryTerm(key string) (TaxonomyTerm, bool) {
	for _, c := range categories {
		if c.Key == key {
			return c.Term, true
		}
	}
	return TaxonomyTerm{}, false
}

// CategoryTaxonomy is linkwork's taxonomy of activity categories with all
// its terms, as GET /taxonomies/{id} sends it.
func CategoryTaxonomy() Taxonomy {
	t := Taxonomy{
		ID:          CategoryTaxonomyID,
		Name:        CategoryTaxonomyName,
		Description: "The kinds of community activity a link worker connects people to.",
		Version:     "1",
	}
	for _, c := range categories {
		t.TaxonomyTerms = append(t.TaxonomyTerms, c.Term)
	}
	return t
}

// CategoryAttribute is the attribute that files the service serviceID under
// a category: the way ORUK attaches a taxonomy term to a service. Its id is
// derived from the service and the term, so it is stable.
func CategoryAttribute(serviceID, key string) (Attribute, bool) {
	term, ok := CategoryTerm(key)
	if !ok {
		return Attribute{}, false
	}
	return Attribute{
		ID:             uuid.NewSHA1(CategoryNamespace, []byte("attribute:"+serviceID+":"+term.ID)).String(),
		LinkID:         serviceID,
		TaxonomyTermID: term.ID,
		TaxonomyTerm:   &term,
	}, true
}
