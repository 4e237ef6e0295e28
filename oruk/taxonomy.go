package oruk

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// The taxonomies linkwork publishes. A listing is filed under terms of four
// taxonomies, each attached to its service as an attribute (the way Open
// Referral UK attaches a term to a service):
//
//   - linkwork's activity categories (categories.csv), every listing at
//     least one;
//   - how to join it (drop in, self-refer, referral required, via a link
//     worker), one each;
//   - how welcoming it is: youth-friendly, and whether a link worker may
//     come along to the first session;
//   - the LGA Services List ("esdServiceType"), for the categories a term
//     of that list describes whole (lga_services.csv).
//
// Ids are UUID v5 in CategoryNamespace, so every deployment publishes the
// same ones.

// categories.csv lists linkwork's activity categories.
//
//go:embed categories.csv
var categoriesCSV []byte

// lga_services.csv maps terms of the LGA Services List to linkwork's
// categories.
//
//go:embed lga_services.csv
var lgaCSV []byte

// CategoryNamespace is the UUID namespace from which linkwork's taxonomy
// ids are made (UUID v5), so that they are the same in every deployment and
// a feed's ids stay stable: a taxonomy is "taxonomy:<name>", a category's
// term "category:<category>", another term "<taxonomy>:<key>", and the
// attribute linking a service to a term "attribute:<service id>:<term id>".
var CategoryNamespace = uuid.MustParse("be6bc890-2e63-4b00-b45c-109ff666c63d")

func v5(s string) string { return uuid.NewSHA1(CategoryNamespace, []byte(s)).String() }

// The taxonomies' names.
const (
	CategoryTaxonomyName = "linkwork activity categories"
	JoinTaxonomyName     = "linkwork how to join"
	WelcomeTaxonomyName  = "linkwork welcome"
	LGATaxonomyName      = "LGA Services List"
)

// LGAListURI is the LGA Services List; LGATermURIPrefix followed by a
// term's identifier is the term's URI.
const (
	LGAListURI       = "http://id.esd.org.uk/list/services"
	LGATermURIPrefix = "http://id.esd.org.uk/service/"
)

// The taxonomies' ids.
var (
	CategoryTaxonomyID = v5("taxonomy:activity_categories")
	JoinTaxonomyID     = v5("taxonomy:how_to_join")
	WelcomeTaxonomyID  = v5("taxonomy:welcome")
	LGATaxonomyID      = v5("taxonomy:lga_services")
)

// The terms of the welcome taxonomy.
const (
	WelcomeYouth = "youth_friendly"
	WelcomeBuddy = "buddy_welcome"
)

// Category is one of linkwork's activity categories as a taxonomy term.
type Category struct {
	Key   string // the category as linkwork stores it, e.g. "self_care"
	Label string // as people read it, e.g. "Self-care"
	Term  TaxonomyTerm
	// LGA is the term of the LGA Services List that every listing in the
	// category is published with, or nil when no single term of that list
	// describes the whole category (see lga_services.csv).
	LGA *TaxonomyTerm
}

// LGAService is a term of the LGA Services List and the linkwork category
// it matches.
type LGAService struct {
	ID       string // the list's identifier, e.g. "884"
	Label    string
	Category string
	// Published: listings in Category are published with this term.
	Published bool
}

// URI is the term's URI.
func (l LGAService) URI() string { return LGATermURIPrefix + l.ID }

// Term is the term as /oruk publishes it.
func (l LGAService) Term() TaxonomyTerm {
	return TaxonomyTerm{
		ID:          v5("lga_service:" + l.ID),
		Name:        l.Label,
		Description: "LGA Services List, service type " + l.ID + ": " + l.Label + ".",
		Taxonomy:    LGAListURI,
		TaxonomyID:  LGATaxonomyID,
		TermURI:     l.URI(),
		Term:        "esdServiceType:" + l.ID,
	}
}

type vocabulary struct {
	tax   Taxonomy // without its terms
	terms []TaxonomyTerm
}

var (
	categories  []Category
	lgaServices []LGAService
	vocabs      []vocabulary
)

func init() {
	var err error
	if categories, err = parseCategories(categoriesCSV); err != nil {
		panic("oruk: categories.csv: " + err.Error())
	}
	if lgaServices, err = parseLGA(lgaCSV, categories); err != nil {
		panic("oruk: lga_services.csv: " + err.Error())
	}
	for i, c := range categories {
		for _, l := range lgaServices {
			if l.Published && l.Category == c.Key {
				t := l.Term()
				categories[i].LGA = &t
			}
		}
	}
	vocabs = buildVocabularies()
}

func readCSV(b []byte, header ...string) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || !slices.Equal(rows[0], header) {
		return nil, fmt.Errorf("header is not %v", header)
	}
	return rows[1:], nil
}

func parseCategories(b []byte) ([]Category, error) {
	rows, err := readCSV(b, "category", "label", "term_id", "description")
	if err != nil {
		return nil, err
	}
	var out []Category
	for _, row := range rows {
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
		if want := v5("category:" + c.Key); c.Term.ID != want {
			return nil, fmt.Errorf("%s: term_id %s, want %s", c.Key, c.Term.ID, want)
		}
		out = append(out, c)
	}
	return out, nil
}

var lgaID = regexp.MustCompile(`^[1-9][0-9]*$`)

func parseLGA(b []byte, cats []Category) ([]LGAService, error) {
	rows, err := readCSV(b, "lga_id", "lga_label", "category", "publish")
	if err != nil {
		return nil, err
	}
	var out []LGAService
	seen := map[string]bool{}
	published := map[string]string{}
	for _, row := range rows {
		l := LGAService{ID: row[0], Label: row[1], Category: row[2]}
		switch {
		case !lgaID.MatchString(l.ID):
			return nil, fmt.Errorf("lga_id %q is not a number", l.ID)
		case seen[l.ID]:
			return nil, fmt.Errorf("lga_id %s twice", l.ID)
		case strings.TrimSpace(l.Label) == "":
			return nil, fmt.Errorf("%s: no label", l.ID)
		case !slices.ContainsFunc(cats, func(c Category) bool { return c.Key == l.Category }):
			return nil, fmt.Errorf("%s: %q is not a category", l.ID, l.Category)
		}
		seen[l.ID] = true
		switch row[3] {
		case "yes":
			if p, ok := published[l.Category]; ok {
				return nil, fmt.Errorf("%s: %s is already published as %s", l.ID, l.Category, p)
			}
			published[l.Category] = l.ID
			l.Published = true
		case "no":
		default:
			return nil, fmt.Errorf("%s: publish is %q, want yes or no", l.ID, row[3])
		}
		out = append(out, l)
	}
	return out, nil
}

// howToJoin are the ways to join a listing, as linkwork stores them, with
// their names and descriptions.
var howToJoin = []struct{ key, name, desc string }{
	{"drop_in", "Drop in", "Turn up: no need to book or be referred."},
	{"self_refer", "Contact them directly", "Get in touch with the activity directly to join."},
	{"referral_required", "Referral needed", "A professional must refer the person."},
	{"via_link_worker", "Through a link worker", "A link worker arranges the place."},
}

var welcome = []struct{ key, name, desc string }{
	{WelcomeYouth, "Youth-friendly", "Welcoming to young people, and run with them in mind."},
	{WelcomeBuddy, "Link worker can come along", "A link worker may go with the person to the first session."},
}

// keyed is a taxonomy of fixed terms, each term's id derived from prefix
// and its key, which is also its term.
func keyed(id, name, desc, prefix string, terms []struct{ key, name, desc string }) vocabulary {
	v := vocabulary{tax: Taxonomy{ID: id, Name: name, Description: desc, Version: "1"}}
	for _, t := range terms {
		v.terms = append(v.terms, TaxonomyTerm{
			ID: v5(prefix + t.key), Name: t.name, Description: t.desc,
			Taxonomy: name, TaxonomyID: id, Term: t.key,
		})
	}
	return v
}

func buildVocabularies() []vocabulary {
	cat := vocabulary{tax: Taxonomy{
		ID:          CategoryTaxonomyID,
		Name:        CategoryTaxonomyName,
		Description: "The kinds of community activity a link worker connects people to.",
		Version:     "1",
	}}
	for _, c := range categories {
		cat.terms = append(cat.terms, c.Term)
	}
	join := keyed(JoinTaxonomyID, JoinTaxonomyName, "How a person gets into an activity.", "how_to_join:", howToJoin)
	wel := keyed(WelcomeTaxonomyID, WelcomeTaxonomyName, "Who an activity welcomes, and how.", "welcome:", welcome)
	lga := vocabulary{tax: Taxonomy{
		ID:          LGATaxonomyID,
		Name:        LGATaxonomyName,
		Description: "Types of service, from the LGA Services List (LG Inform Plus; Open Government Licence). Only the terms linkwork's listings are published with are listed.",
		URI:         LGAListURI,
		Version:     "4",
	}}
	for _, l := range lgaServices {
		if l.Published {
			lga.terms = append(lga.terms, l.Term())
		}
	}
	return []vocabulary{cat, join, wel, lga}
}

// Categories lists linkwork's activity categories with their terms.
func Categories() []Category { return slices.Clone(categories) }

// LGAServices lists the terms of the LGA Services List linkwork knows, with
// the category each matches.
func LGAServices() []LGAService { return slices.Clone(lgaServices) }

// CategoryTerm returns the taxonomy term of a category ("sports").
func CategoryTerm(key string) (TaxonomyTerm, bool) {
	for _, c := range categories {
		if c.Key == key {
			return c.Term, true
		}
	}
	return TaxonomyTerm{}, false
}

func termIn(taxonomyID, key string) (TaxonomyTerm, bool) {
	for _, v := range vocabs {
		if v.tax.ID == taxonomyID {
			for _, t := range v.terms {
				if t.Term == key {
					return t, true
				}
			}
		}
	}
	return TaxonomyTerm{}, false
}

// JoinTerm returns the term of a way to join ("drop_in").
func JoinTerm(how string) (TaxonomyTerm, bool) { return termIn(JoinTaxonomyID, how) }

// WelcomeTerm returns the term WelcomeYouth or WelcomeBuddy.
func WelcomeTerm(key string) (TaxonomyTerm, bool) { return termIn(WelcomeTaxonomyID, key) }

func withTerms(v vocabulary) Taxonomy {
	t := v.tax
	t.TaxonomyTerms = slices.Clone(v.terms)
	return t
}

// CategoryTaxonomy is linkwork's taxonomy of activity categories with all
// its terms, as GET /taxonomies/{id} sends it.
func CategoryTaxonomy() Taxonomy { return withTerms(vocabs[0]) }

// Taxonomies lists every taxonomy linkwork publishes, each with its terms.
func Taxonomies() []Taxonomy {
	out := make([]Taxonomy, len(vocabs))
	for i, v := range vocabs {
		out[i] = withTerms(v)
	}
	return out
}

// FindTaxonomy returns the published taxonomy with the id, with its terms.
func FindTaxonomy(id string) (Taxonomy, bool) {
	for _, v := range vocabs {
		if strings.EqualFold(v.tax.ID, id) {
			return withTerms(v), true
		}
	}
	return Taxonomy{}, false
}

// Terms lists every published term, taxonomy by taxonomy.
func Terms() []TaxonomyTerm {
	var out []TaxonomyTerm
	for _, v := range vocabs {
		out = append(out, v.terms...)
	}
	return out
}

// FindTerm returns the published term with the id.
func FindTerm(id string) (TaxonomyTerm, bool) {
	for _, v := range vocabs {
		for _, t := range v.terms {
			if strings.EqualFold(t.ID, id) {
				return t, true
			}
		}
	}
	return TaxonomyTerm{}, false
}

// Meaning is what a term says of a listing filed under it: one of its
// fields is set.
type Meaning struct {
	Category  string // a linkwork category
	HowToJoin string // a way to join
	Welcome   string // WelcomeYouth or WelcomeBuddy
}

// MeaningOf returns what the published term with the id says of the
// listings filed under it.
func MeaningOf(termID string) (Meaning, bool) {
	t, ok := FindTerm(termID)
	if !ok {
		return Meaning{}, false
	}
	switch t.TaxonomyID {
	case CategoryTaxonomyID:
		for _, c := range categories {
			if c.Term.ID == t.ID {
				return Meaning{Category: c.Key}, true
			}
		}
	case JoinTaxonomyID:
		return Meaning{HowToJoin: t.Term}, true
	case WelcomeTaxonomyID:
		return Meaning{Welcome: t.Term}, true
	case LGATaxonomyID:
		for _, l := range lgaServices {
			if l.Published && l.Term().ID == t.ID {
				return Meaning{Category: l.Category}, true
			}
		}
	}
	return Meaning{}, false
}

var esdCURIE = regexp.MustCompile(`(?i)^esdServiceTypes?:([1-9][0-9]*)$`)

// LGACode returns the LGA Services List identifier a term from another
// directory's feed carries: in its URI (http://id.esd.org.uk/service/884),
// or as a CURIE (esdServiceType:884) in its term or name, or as a bare
// number in a term whose taxonomy is the LGA's list.
func LGACode(t TaxonomyTerm) (string, bool) {
	uri := strings.TrimSpace(t.TermURI)
	for _, p := range []string{LGATermURIPrefix, "https://id.esd.org.uk/service/"} {
		if code, ok := strings.CutPrefix(uri, p); ok && lgaID.MatchString(code) {
			return code, true
		}
	}
	for _, s := range []string{t.Term, t.Name, t.ID} {
		if m := esdCURIE.FindStringSubmatch(strings.TrimSpace(s)); m != nil {
			return m[1], true
		}
	}
	tax := strings.ToLower(t.Taxonomy)
	if strings.Contains(tax, "esd") || strings.Contains(tax, "lga") {
		if code := strings.TrimSpace(t.Term); lgaID.MatchString(code) {
			return code, true
		}
	}
	return "", false
}

// ImportedMeaning is what a term found in an imported feed says of its
// service: linkwork's own terms by id, and terms of the LGA Services List
// linkwork knows by their identifier.
func ImportedMeaning(t TaxonomyTerm) (Meaning, bool) {
	if m, ok := MeaningOf(t.ID); ok {
		return m, true
	}
	if code, ok := LGACode(t); ok {
		for _, l := range lgaServices {
			if l.ID == code {
				return Meaning{Category: l.Category}, true
			}
		}
	}
	return Meaning{}, false
}

// TermAttribute is the attribute that files the service serviceID under
// the term. Its id is derived from the service and the term, so it is
// stable.
func TermAttribute(serviceID string, term TaxonomyTerm) Attribute {
	return Attribute{
		ID:             v5("attribute:" + serviceID + ":" + term.ID),
		LinkID:         serviceID,
		TaxonomyTermID: term.ID,
		TaxonomyTerm:   &term,
	}
}

// CategoryAttribute is the attribute that files the service serviceID under
// a category.
func CategoryAttribute(serviceID, key string) (Attribute, bool) {
	term, ok := CategoryTerm(key)
	if !ok {
		return Attribute{}, false
	}
	return TermAttribute(serviceID, term), true
}
