// Package outcomes scores the standard outcome measures a social prescribing
// service records: ONS4 personal wellbeing, WEMWBS and SWEMWBS mental
// wellbeing, Goal Based Outcomes (GBO) and the UCLA 3-item loneliness scale.
// Every function is pure: it takes answers and returns a score, bands and
// change, and stores nothing.
//
// # Sources
//
// The rules follow the project standards ("Outcome measures" in
// shared/standards/README.md), which take them from:
//
//   - ONS4: Office for National Statistics, personal wellbeing questions and
//     thresholds (personal well-being user guidance). Four items, each 0-10,
//     reported item by item and never summed. Life satisfaction, worthwhile
//     and happiness: 0-4 low, 5-6 medium, 7-8 high, 9-10 very high. Anxiety:
//     0-1 very low, 2-3 low, 4-5 medium, 6-10 high; lower is better.
//   - WEMWBS: Tennant et al. 2007, Warwick Medical School. Fourteen items,
//     1-5, summed to 14-70. The reliable change threshold 2.77 × SEM, with SEM
//     2.4-3.1, is about 7-9 points (Maheswaran, Weich, Powell and
//     Stewart-Brown, Health and Quality of Life Outcomes, 2012); the default
//     here is 8 ([DefaultWEMWBSThreshold]).
//   - SWEMWBS: Stewart-Brown et al. 2009. Seven items, 1-5, raw sum 7-35,
//     converted to a metric score with the raw-to-metric table published by
//     Warwick Medical School; the metric score is the one reported. The
//     reliable change threshold 2.77 × SEM = 2.87 metric points (Shah et al.,
//     Health and Quality of Life Outcomes, 2018) is the default
//     ([DefaultSWEMWBSThreshold]); the minimal important change is 1-3 points.
//   - GBO: Law and Jacob, Goals and Goal Based Outcomes (CORC). One to three
//     goals in the person's own words, each rated 0-10 for progress; change
//     per goal is the later rating minus the first. Young people may rate on
//     an emoji scale mapped onto the same 0-10 ([EmojiToRating]).
//   - UCLA 3-item loneliness: Hughes et al. 2004, as recommended by ONS for
//     measuring loneliness. Three items, 1 hardly ever, 2 some of the time,
//     3 often, summed to 3-9; 6-9 is commonly grouped as lonely.
//
// # Item wording
//
// WEMWBS and SWEMWBS are free to use, but their item wording is licensed by
// Warwick Medical School, which asks services to register. This package ships
// their scoring only: their items are labelled "Item 1" to "Item 14" (or
// "Item 7") and [Item.Text] is empty, and a service enters the licensed item
// wording in its own settings. The ONS4 questions are published by ONS under
// the Open Government Licence and the UCLA 3-item questions are widely
// published, so their wording is shipped in [Item.Text]. GBO goals are written
// by the person, so their items are labelled "Goal 1" to "Goal 3".
package outcomes
