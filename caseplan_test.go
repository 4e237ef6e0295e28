package linkwork_test

import (
	"strconv"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestReviewDue(t *testing.T) {
	points := []int{3, 6}
	held := func(sessions ...int) []*linkwork.Review {
		var out []*linkwork.Review
		for _, n := range sessions {
			out = append(out, &linkwork.Review{Sessions: n})
		}
		return out
	}
	for _, tt := range []struct {
		name     string
		attended int
		reviews  []*linkwork.Review
		want     int
	}{
		{"before the first point, none is due", 2, nil, 0},
		{"at the first point, it is due", 3, nil, 3},
		{"a review held there settles it", 4, held(3), 0},
		{"the next point brings the next", 6, held(3), 6},
		{"a late review at the next point settles both", 7, held(6), 0},
		{"past every point with none held, the last is due", 9, nil, 6},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := linkwork.ReviewDue(points, tt.attended, tt.reviews); got != tt.want {
				t.Fatalf("ReviewDue(%d) = %d, want %d", tt.attended, got, tt.want)
			}
		})
	}
}

func TestTheEmojiScaleKeepsTheNumbers(t *testing.T) {
	seen := map[string]bool{}
	for n := 0; n <= linkwork.MaxRating; n++ {
		e := linkwork.RatingEmoji(n)
		if e == "" || seen[e] {
			t.Fatalf("rating %d has emoji %q, empty or used twice", n, e)
		}
		seen[e] = true
		if w := linkwork.RatingWords(n); !strings.HasPrefix(w, strconv.Itoa(n)+", ") {
			t.Fatalf("rating %d in words is %q: it must start with its number", n, w)
		}
	}
	if linkwork.RatingEmoji(11) != "" || linkwork.RatingEmoji(-1) != "" {
		t.Fatal("a rating off the scale has a face")
	}
	today := linkwork.Date{Year: 2026, Month: 3, Day: 10}
	young := &linkwork.Person{DateOfBirth: linkwork.DateOf(today.Time().AddDate(-17, 0, 1))}
	adult := &linkwork.Person{DateOfBirth: linkwork.DateOf(today.Time().AddDate(-18, 0, 0))}
	if !linkwork.EmojiScaleFor(young, today) || linkwork.EmojiScaleFor(adult, today) || linkwork.EmojiScaleFor(&linkwork.Person{}, today) {
		t.Fatal("the emoji scale is offered to the wrong people")
	}
}

func TestTheMessageBackKeepsToConsent(t *testing.T) {
	o := &linkwork.CaseOutcome{Shared: false, Summary: "private words", Sessions: 4, Connections: []string{"Boxing club"}}
	if o.Text() != "" {
		t.Fatalf("without consent the message says %q", o.Text())
	}
	o.Shared = true
	o.Reason, o.Destination = linkwork.ClosedOnward, "CAMHS"
	o.Goals = []linkwork.GoalChange{{Text: "Sleep better", First: 2, Latest: 6, Rated: true}}
	got := o.Text()
	for _, want := range []string{"Sessions attended: 4", "Moved to another service (CAMHS)", "Boxing club", "Sleep better: 2 to 6", "private words"} {
		if !strings.Contains(got, want) {
			t.Errorf("the message does not say %q:\n%s", want, got)
		}
	}
}

func TestClosingAsksWhereTheyWent(t *testing.T) {
	for _, tt := range []struct {
		name  string
		cl    linkwork.CaseClosure
		field string
	}{
		{"no reason", linkwork.CaseClosure{}, "reason"},
		{"moved on, to nowhere", linkwork.CaseClosure{Reason: linkwork.ClosedOnward}, "destination"},
		{"not suitable, directed nowhere", linkwork.CaseClosure{Reason: linkwork.ClosedNotSuitable}, "destination"},
		{"a destination too long", linkwork.CaseClosure{Reason: linkwork.ClosedOnward, Destination: strings.Repeat("x", linkwork.MaxShortText+1)}, "destination"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cl.Validate()
			found := false
			for _, f := range linkwork.ErrorFields(err) {
				found = found || f.Field == tt.field
			}
			if !found {
				t.Fatalf("%v does not name %s", err, tt.field)
			}
		})
	}
	if err := (linkwork.CaseClosure{Reason: linkwork.ClosedOnward, Destination: "CAMHS"}).Validate(); err != nil {
		t.Fatal(err)
	}
}
