package linkwork_test

import (
	"net/url"
	"slices"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestDecideHarvest(t *testing.T) {
	seen := &linkwork.FeedSource{Hash: "h1", HarvestedVersion: 3}
	gone := &linkwork.FeedSource{Hash: "h1", HarvestedVersion: 3, Gone: true}
	for _, tt := range []struct {
		name    string
		trust   linkwork.FeedTrust
		src     *linkwork.FeedSource
		hash    string
		version int
		matched bool
		want    linkwork.HarvestStep
	}{
		{"a new service from a trusted feed is published", linkwork.FeedTrusted, nil, "h1", 0, false, linkwork.StepCreate},
		{"a new service from a feed needing review waits", linkwork.FeedNeedsReview, nil, "h1", 0, false, linkwork.StepReview},
		{"a new service matching a listing is linked, whatever the trust", linkwork.FeedNeedsReview, nil, "h1", 0, true, linkwork.StepLink},
		{"the same service again changes nothing", linkwork.FeedTrusted, seen, "h1", 3, false, linkwork.StepNothing},
		{"the same service over a local correction changes nothing", linkwork.FeedTrusted, seen, "h1", 4, false, linkwork.StepNothing},
		{"a changed service from a trusted feed updates", linkwork.FeedTrusted, seen, "h2", 3, false, linkwork.StepUpdate},
		{"a changed service from a feed needing review waits", linkwork.FeedNeedsReview, seen, "h2", 3, false, linkwork.StepReview},
		{"a change over a local correction is a conflict", linkwork.FeedTrusted, seen, "h2", 4, false, linkwork.StepConflict},
		{"a change over a local correction is a conflict from any feed", linkwork.FeedNeedsReview, seen, "h2", 4, false, linkwork.StepConflict},
		{"a vanished service from a trusted feed is retired", linkwork.FeedTrusted, seen, "", 3, false, linkwork.StepRetire},
		{"a vanished service from a feed needing review waits", linkwork.FeedNeedsReview, seen, "", 3, false, linkwork.StepReview},
		{"a service gone already is left alone", linkwork.FeedTrusted, gone, "", 3, false, linkwork.StepNothing},
		{"a service back in the feed is updated", linkwork.FeedTrusted, gone, "h1", 3, false, linkwork.StepUpdate},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := linkwork.DecideHarvest(tt.trust, tt.src, tt.hash, tt.version, tt.matched); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFeedCategoriesFor(t *testing.T) {
	f := &linkwork.Feed{DefaultCategory: linkwork.CategorySocial, Categories: []linkwork.FeedCategory{{Term: "walk", Category: linkwork.CategorySports}, {Term: "Art", Category: linkwork.CategoryCreative}}}
	for _, tt := range []struct {
		name  string
		has   []linkwork.Category
		terms []string
		want  []linkwork.Category
	}{
		{"no term of the map and none of its own: the default", nil, []string{"x"}, []linkwork.Category{linkwork.CategorySocial}},
		{"a mapped term, ignoring case", nil, []string{"WALK"}, []linkwork.Category{linkwork.CategorySports}},
		{"its own categories and mapped terms, each once", []linkwork.Category{linkwork.CategoryCreative}, []string{"art", "walk"}, []linkwork.Category{linkwork.CategoryCreative, linkwork.CategorySports}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.CategoriesFor(tt.has, tt.terms); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFeedValidateNamesEveryField(t *testing.T) {
	f := linkwork.Feed{URL: "gopher://x", EveryHours: 9999, DefaultCategory: "nope", Trust: "maybe",
		Categories: []linkwork.FeedCategory{{Term: "a", Category: linkwork.CategorySports}, {Term: "A", Category: "nope"}}}
	err := f.Validate()
	var got []string
	for _, e := range linkwork.ErrorFields(err) {
		got = append(got, e.Field)
	}
	want := []string{"name", "url", "every_hours", "default_category", "trust", "categories[1].term", "categories[1].category"}
	if !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	n := (linkwork.Feed{Name: " Leeds ", URL: " https://example.org/oruk ", Categories: []linkwork.FeedCategory{{}}}).Normalised()
	if n.Name != "Leeds" || n.URL != "https://example.org/oruk" || n.Trust != linkwork.FeedNeedsReview || len(n.Categories) != 0 {
		t.Errorf("normalised %+v", n)
	}
}

// FuzzValidFeedURL: an address the check passes is an absolute http or
// https URL with a host and no credentials; nothing panics.
func FuzzValidFeedURL(f *testing.F) {
	for _, s := range []string{"https://example.org/oruk", "http://127.0.0.1:8080/", "file:///etc/passwd", "https://u:p@x.org", "javascript:alert(1)", "//x.org", "", "https://x.org/#a", "HTTPS://X.ORG"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if linkwork.ValidFeedURL(s) != "" {
			return
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			t.Errorf("%q passed: %v", s, err)
		}
	})
}
