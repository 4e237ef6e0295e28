package oruk_test

import (
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

// No LGA Community Services term has been verified (the list is not
// available offline), so none is claimed. A row that gains one must say
// where it was checked; parseCategories enforces that.
func TestNoUnverifiedLGATerms(t *testing.T) {
	for _, c := range oruk.Categories() {
		if c.LGA != nil && c.LGA.Source == "" {
			t.Errorf("%s: LGA term %+v without a source", c.Key, *c.LGA)
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
