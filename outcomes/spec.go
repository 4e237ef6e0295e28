package outcomes

import (
	"strconv"

	linkwork "github.com/linkwork/linkwork"
)

// Instrument describes how an outcome measure is answered and scored.
type Instrument struct {
	// ID is the instrument's identifier in the linkwork domain.
	ID linkwork.Instrument
	// Name is the instrument's name for display.
	Name string
	// MinItems and MaxItems bound the number of answers. They are equal for
	// every instrument except GBO, which takes one to three goals.
	MinItems, MaxItems int
	// MinAnswer and MaxAnswer bound each answer, inclusive.
	MinAnswer, MaxAnswer int
	// AnswerLabels names each answer from MinAnswer upwards, where the
	// labels may be shipped; nil otherwise.
	AnswerLabels []string
	// HasTotal reports whether the answers combine into one score. ONS4 items
	// are never summed and GBO goals are rated separately.
	HasTotal bool
	// MinTotal and MaxTotal bound the total score when HasTotal.
	MinTotal, MaxTotal float64
	// LowerIsBetter reports whether a lower total is the better outcome
	// (UCLA3 loneliness).
	LowerIsBetter bool
	// MissingAllowed reports that an item may be left unanswered and the
	// others still reported, because each item stands alone and nothing is
	// summed (ONS4, whose questions ONS analyses one by one). Every other
	// instrument needs every answer.
	MissingAllowed bool
	// LicensedWording reports that the item wording is licensed by its owner,
	// so it is not shipped: Item.Text is empty and the service enters it.
	LicensedWording bool
	// Items describes each item in order; it has MaxItems entries.
	Items []Item
}

// Item describes one item of an instrument.
type Item struct {
	// Label is a short neutral label: the construct where the wording may be
	// shipped ("Anxiety"), "Item 3" where it is licensed, and "Goal 2" for a
	// GBO goal.
	Label string
	// Text is the published question where its licence allows it to be
	// shipped, and empty otherwise.
	Text string
	// LowerIsBetter reports whether a lower answer is the better outcome
	// (ONS4 anxiety, the UCLA3 items).
	LowerIsBetter bool
}

// Instruments lists every instrument this package scores, in display order.
func Instruments() []linkwork.Instrument {
	return []linkwork.Instrument{
		linkwork.InstrumentONS4,
		linkwork.InstrumentWEMWBS,
		linkwork.InstrumentSWEMWBS,
		linkwork.InstrumentGBO,
		linkwork.InstrumentUCLA3,
	}
}

// Spec describes the instrument instr, and reports false for an instrument
// this package does not know. The result is a copy the caller may change.
func Spec(instr linkwork.Instrument) (Instrument, bool) {
	s, ok := specs[instr]
	if !ok {
		return Instrument{}, false
	}
	s.AnswerLabels = append([]string(nil), s.AnswerLabels...)
	s.Items = append([]Item(nil), s.Items...)
	return s, true
}

var specs = map[linkwork.Instrument]Instrument{
	linkwork.InstrumentONS4: {
		ID:             linkwork.InstrumentONS4,
		Name:           "ONS personal wellbeing (ONS4)",
		MinItems:       4,
		MaxItems:       4,
		MinAnswer:      0,
		MaxAnswer:      10,
		MissingAllowed: true,
		Items: []Item{
			{Label: "Life satisfaction", Text: "Overall, how satisfied are you with your life nowadays?"},
			{Label: "Worthwhile", Text: "Overall, to what extent do you feel that the things you do in your life are worthwhile?"},
			{Label: "Happiness", Text: "Overall, how happy did you feel yesterday?"},
			{Label: "Anxiety", Text: "On a scale where 0 is 'not at all anxious' and 10 is 'completely anxious', overall, how anxious did you feel yesterday?", LowerIsBetter: true},
		},
	},
	linkwork.InstrumentWEMWBS: {
		ID:              linkwork.InstrumentWEMWBS,
		Name:            "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)",
		MinItems:        14,
		MaxItems:        14,
		MinAnswer:       1,
		MaxAnswer:       5,
		HasTotal:        true,
		MinTotal:        14,
		MaxTotal:        70,
		LicensedWording: true,
		Items:           numberedItems("Item", 14),
	},
	linkwork.InstrumentSWEMWBS: {
		ID:              linkwork.InstrumentSWEMWBS,
		Name:            "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
		MinItems:        7,
		MaxItems:        7,
		MinAnswer:       1,
		MaxAnswer:       5,
		HasTotal:        true,
		MinTotal:        7,
		MaxTotal:        35,
		LicensedWording: true,
		Items:           numberedItems("Item", 7),
	},
	linkwork.InstrumentGBO: {
		ID:        linkwork.InstrumentGBO,
		Name:      "Goal Based Outcomes (GBO)",
		MinItems:  1,
		MaxItems:  3,
		MinAnswer: 0,
		MaxAnswer: 10,
		Items:     numberedItems("Goal", 3),
	},
	linkwork.InstrumentUCLA3: {
		ID:            linkwork.InstrumentUCLA3,
		Name:          "UCLA 3-item loneliness scale",
		MinItems:      3,
		MaxItems:      3,
		MinAnswer:     1,
		MaxAnswer:     3,
		AnswerLabels:  []string{"Hardly ever", "Some of the time", "Often"},
		HasTotal:      true,
		MinTotal:      3,
		MaxTotal:      9,
		LowerIsBetter: true,
		Items: []Item{
			{Label: "Lack of companionship", Text: "How often do you feel that you lack companionship?", LowerIsBetter: true},
			{Label: "Left out", Text: "How often do you feel left out?", LowerIsBetter: true},
			{Label: "Isolated", Text: "How often do you feel isolated from others?", LowerIsBetter: true},
		},
	},
}

func numberedItems(prefix string, n int) []Item {
	items := make([]Item, n)
	for i := range items {
		items[i] = Item{Label: prefix + " " + strconv.Itoa(i+1)}
	}
	return items
}
