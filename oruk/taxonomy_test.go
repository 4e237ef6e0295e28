package oruk_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
)

// The table covers exactly linkwork's categories, with the same labels.
func TestCategoriesAreLinkworksCategories(t *testing.T) {
	cs := oruk.Categories()
	if len(cs) != len(linkwork.Categories) {
		t.Fatalf("%d categories in categories.csv, %d in linkwork", len(cs), len(linkwork.Categories))
	}
	for i, c := range cs {
		want := linkwork.Categories[i]
		if c.Key != string(want) {
			t.Errorf("row %d is %q, want %q", i, c.Key, want)
		}
		if c.Label != want.Label() {
			t.Errorf("%s: label %q, want %q", c.Key, c.Label, want.Label())
		}
	}
}

// Ids are UUID v5 in CategoryNamespace, so every deployment publishes the
// same ones.
func TestCategoryIDsAreStable(t *testing.T) {
	ns := oruk.CategoryNamespace
	if want := uuid.NewSHA1(ns, []byte("taxonomy:activity_categories")).String(); oruk.CategoryTaxonomyID != want {
		t.Errorf("taxonomy id %s, want %s", oruk.CategoryTaxonomyID, want)
	}
	seen := map[string]bool{}
	for _, c := range oruk.Categories() {
		if want := uuid.NewSHA1(ns, []byte("category:"+c.Key)).String(); c.Term.ID != want {
			t.Errorf("%s: term id %s, want %s", c.Key, c.Term.ID, want)
		}
		if seen[c.Term.ID] {
			t.Errorf("%s: duplicate term id", c.Key)
		}
		seen[c.Term.ID] = true
		if c.Term.TaxonomyID != oruk.CategoryTaxonomyID || c.Term.Taxonomy != oruk.CategoryTaxonomyName {
			t.Errorf("%s: term not in the category taxonomy: %+v", c.Key, c.Term)
		}
	}
	a1, _ := oruk.CategoryAttribute(clubSvcID, "sports")
	a2, _ := oruk.CategoryAttribute(clubSvcID, "sports")
	a3, _ := oruk.CategoryAttribute(clubOrgID, "sports")
	if a1.ID != a2.ID || a1.ID == a3.ID {
		t.Errorf("attribute ids not stable per service and term: %s %s %s", a1.ID, a2.ID, a3.ID)
	}
	if a1.LinkID != clubSvcID || a1.TaxonomyTermID != a1.TaxonomyTerm.ID {
		t.Errorf("attribute does not link the service to its term: %+v", a1)
	}
	if _, ok := oruk.CategoryAttribute(clubSvcID, "knitting"); ok {
		t.Error("an attribute for a category that does not exist")
	}
}

// The LGA terms are the list's own: a number and the list's label, each
// mapped to one of linkwork's categories, published at most once per
// category. The two published ones are checked by hand against the
// list (see LGA_ATTRIBUTION.md), so a slip in the table shows here.
func TestLGATermsMapToCategories(t *testing.T) {
	ls := oruk.LGAServices()
	if len(ls) < 20 {
		t.Fatalf("%d LGA terms", len(ls))
	}
	published := map[string]string{}
	for _, l := range ls {
		if !linkwork.Category(l.Category).Valid() {
			t.Errorf("%s: category %q", l.ID, l.Category)
		}
		if l.URI() != "http://id.esd.org.uk/service/"+l.ID {
			t.Errorf("%s: uri %s", l.ID, l.URI())
		}
		if l.Published {
			published[l.Category] = l.ID + " " + l.Label
		}
	}
	want := map[string]string{"creative": "884 Arts development", "sports": "641 Sports club directory"}
	if fmt.Sprint(published) != fmt.Sprint(want) {
		t.Errorf("published %v, want %v", published, want)
	}
	for _, c := range oruk.Categories() {
		switch w, ok := want[c.Key]; {
		case ok && (c.LGA == nil || c.LGA.TermURI != "http://id.esd.org.uk/service/"+strings.Fields(w)[0]):
			t.Errorf("%s: LGA term %+v, want %s", c.Key, c.LGA, w)
		case !ok && c.LGA != nil:
			t.Errorf("%s: LGA term %+v, want none", c.Key, c.LGA)
		}
	}
}

// Every published taxonomy and term validates, ids are unique across all
// of them, and each term says what it means of a listing.
func TestPublishedTaxonomies(t *testing.T) {
	v := validator(t)
	ids := map[string]string{}
	taxes := oruk.Taxonomies()
	if len(taxes) != 4 {
		t.Fatalf("%d taxonomies", len(taxes))
	}
	for _, tax := range taxes {
		if err := v.ValidateValue(oruk.EndpointTaxonomy, tax); err != nil {
			t.Errorf("%s: %v", tax.Name, err)
		}
		if prev, dup := ids[tax.ID]; dup {
			t.Errorf("%s: id %s already %s", tax.Name, tax.ID, prev)
		}
		ids[tax.ID] = tax.Name
		if got, ok := oruk.FindTaxonomy(strings.ToUpper(tax.ID)); !ok || len(got.TaxonomyTerms) != len(tax.TaxonomyTerms) {
			t.Errorf("FindTaxonomy(%s): %v", tax.ID, ok)
		}
		for _, term := range tax.TaxonomyTerms {
			if err := v.ValidateValue(oruk.EndpointTaxonomyTerm, term); err != nil {
				t.Errorf("%s: %v", term.Name, err)
			}
			if prev, dup := ids[term.ID]; dup {
				t.Errorf("%s: id %s already %s", term.Name, term.ID, prev)
			}
			ids[term.ID] = term.Name
			if term.TaxonomyID != tax.ID {
				t.Errorf("%s: in taxonomy %s, listed in %s", term.Name, term.TaxonomyID, tax.ID)
			}
			m, ok := oruk.MeaningOf(term.ID)
			n := 0
			for _, f := range []string{m.Category, m.HowToJoin, m.Welcome} {
				if f != "" {
					n++
				}
			}
			if !ok || n != 1 {
				t.Errorf("%s: meaning %+v, %v", term.Name, m, ok)
			}
		}
	}
	if len(oruk.Terms()) != len(ids)-len(taxes) {
		t.Errorf("Terms() has %d, the taxonomies %d", len(oruk.Terms()), len(ids)-len(taxes))
	}
	for _, h := range linkwork.HowToJoins {
		if term, ok := oruk.JoinTerm(string(h)); !ok || term.Name != h.Label() {
			t.Errorf("how to join %s: %+v %v (label %q)", h, term, ok, h.Label())
		}
	}
	if _, ok := oruk.MeaningOf(uuid.NewString()); ok {
		t.Error("an unknown term has a meaning")
	}
}

// Terms in other directories' feeds carry an LGA code in several ways;
// each is read, and a number alone means nothing unless its taxonomy is
// the LGA's.
func TestImportedMeaningReadsLGACodes(t *testing.T) {
	sports, _ := oruk.CategoryTerm("sports")
	yes, _ := oruk.WelcomeTerm(oruk.WelcomeYouth)
	cases := []struct {
		name string
		term oruk.TaxonomyTerm
		want oruk.Meaning
		ok   bool
	}{
		{"linkwork's own category", oruk.TaxonomyTerm{ID: sports.ID}, oruk.Meaning{Category: "sports"}, true},
		{"linkwork's own welcome", oruk.TaxonomyTerm{ID: yes.ID}, oruk.Meaning{Welcome: oruk.WelcomeYouth}, true},
		{"uri", oruk.TaxonomyTerm{ID: uuid.NewString(), TermURI: "http://id.esd.org.uk/service/163"}, oruk.Meaning{Category: "wellbeing_support"}, true},
		{"https uri", oruk.TaxonomyTerm{ID: uuid.NewString(), TermURI: "https://id.esd.org.uk/service/1113"}, oruk.Meaning{Category: "vocational_educational"}, true},
		{"curie in term", oruk.TaxonomyTerm{ID: uuid.NewString(), Term: "esdServiceType:884"}, oruk.Meaning{Category: "creative"}, true},
		{"plural curie as id", oruk.TaxonomyTerm{ID: "esdServiceTypes:641"}, oruk.Meaning{Category: "sports"}, true},
		{"number in the LGA taxonomy", oruk.TaxonomyTerm{ID: uuid.NewString(), Term: "642", Taxonomy: "esdServiceTypes"}, oruk.Meaning{Category: "social"}, true},
		{"number in another taxonomy", oruk.TaxonomyTerm{ID: uuid.NewString(), Term: "642", Taxonomy: "Bristol service types"}, oruk.Meaning{}, false},
		{"a code linkwork does not map", oruk.TaxonomyTerm{ID: uuid.NewString(), TermURI: "http://id.esd.org.uk/service/1512"}, oruk.Meaning{}, false},
		{"another list's uri", oruk.TaxonomyTerm{ID: uuid.NewString(), TermURI: "http://id.esd.org.uk/need/69"}, oruk.Meaning{}, false},
	}
	for _, c := range cases {
		got, ok := oruk.ImportedMeaning(c.term)
		if ok != c.ok || got != c.want {
			t.Errorf("%s: %+v %v, want %+v %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestCategoryTaxonomyValidates(t *testing.T) {
	v := validator(t)
	tax := oruk.CategoryTaxonomy()
	if len(tax.TaxonomyTerms) != len(linkwork.Categories) {
		t.Errorf("%d terms", len(tax.TaxonomyTerms))
	}
	if err := v.ValidateValue(oruk.EndpointTaxonomy, tax); err != nil {
		t.Error(err)
	}
	for _, term := range tax.TaxonomyTerms {
		if err := v.ValidateValue(oruk.EndpointTaxonomyTerm, term); err != nil {
			t.Error(err)
		}
	}
}
