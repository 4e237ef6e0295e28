package outcomes_test

import (
	"fmt"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/outcomes"
)

func ExampleScore() {
	r, err := outcomes.Score(linkwork.InstrumentSWEMWBS, []int{3, 3, 3, 3, 3, 3, 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("raw %d, metric %.2f\n", r.Raw, r.Total)

	_, err = outcomes.Score(linkwork.InstrumentWEMWBS, []int{3, 3, 3, 6, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3})
	for _, f := range linkwork.ErrorFields(err) {
		fmt.Printf("%s: %s\n", f.Field, f.Message)
	}
	// Output:
	// raw 21, metric 19.25
	// answers[3]: Answer 4 must be a whole number from 1 to 5
}

func ExampleChange() {
	before, _ := outcomes.Score(linkwork.InstrumentONS4, []int{4, 6, 5, 8})
	after, _ := outcomes.Score(linkwork.InstrumentONS4, []int{7, 6, 7, 3})
	c, _ := outcomes.Change(linkwork.InstrumentONS4, before, after, 0)
	for _, it := range c.Items {
		fmt.Printf("%s: %d → %d, %s\n", it.Label, it.Before, it.After, it.Direction)
	}
	// Output:
	// Life satisfaction: 4 → 7, improved
	// Worthwhile: 6 → 6, unchanged
	// Happiness: 5 → 7, improved
	// Anxiety: 8 → 3, improved
}
