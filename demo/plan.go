package demo

import (
	"hash/fnv"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// goalRatings gives a demo goal its ratings: how close the person felt
// at the first session, and, when the goal has had time, a later
// re-rating that is higher for an achieved goal. They come from the
// goal's id, not the generator's random stream, so that adding them
// changes nothing else in the city.
func goalRatings(gl *linkwork.Goal, at, now time.Time, young bool) []linkwork.GoalRating {
	h := fnv.New32a()
	h.Write([]byte(gl.ID))
	x := h.Sum32()
	scale := linkwork.ScaleNumbers
	if young {
		scale = linkwork.ScaleEmoji
	}
	first := int(x%4) + 1 // 1 to 4
	out := []linkwork.GoalRating{{ID: gl.ID[:8] + "-r1-" + gl.ID[len(gl.ID)-12:], GoalID: gl.ID, CaseID: gl.CaseID, Rating: first, Scale: scale, At: at}}
	later := at.Add(21 * 24 * time.Hour)
	if later.After(now) {
		return out
	}
	gain := int(x>>8%4) + 1 // 1 to 4
	if gl.Achieved {
		gain += 3
	}
	out = append(out, linkwork.GoalRating{ID: gl.ID[:8] + "-r2-" + gl.ID[len(gl.ID)-12:], GoalID: gl.ID, CaseID: gl.CaseID, Rating: min(first+gain, linkwork.MaxRating), Scale: scale, At: later})
	return out
}

// closureDestinations is where the person went, by the closing note that
// says so: closing onward asks which service.
var closureDestinations = map[string]string{
	"Referred to talking therapies, with consent; will keep going to their group.":                   "NHS Talking Therapies",
	"Moved to CAMHS after a review with the safeguarding lead.":                                      "CAMHS",
	"Needs were beyond social prescribing; directed to the GP and the community mental health team.": "GP and community mental health team",
	"Disclosure during session; referred to CAMHS single point of access and safeguarding informed.": "CAMHS single point of access",
}
