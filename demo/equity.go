package demo

import (
	"hash/fnv"
	"strings"
	"sync"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/imd"
)

// Equity in the demo: where its people live, as if the ONS postcode
// lookup were loaded (each postcode in a real 2011 LSOA of Leeds, the
// real city under Millbrook's districts, or of England for the national
// preset), skewed towards the most deprived areas as social prescribing
// referrals are; and the local population's shares the service entered,
// plausible figures for such a city. Only the LSOA codes and their
// deprivation are real: which postcode is in which area is made up.

// AreaSink is a Sink that also takes where the demo's postcodes are and
// the service's population shares. The store's bulk loader is one; a
// sink that is not is given neither.
type AreaSink interface {
	// PostcodeArea places a postcode in an LSOA, with its deprivation
	// decile, before the first person living there.
	PostcodeArea(postcode, lsoa string, decile int) error
	PopulationShares(p *linkwork.PopulationShares) error
}

// leedsLSOAs are the 2011 LSOA codes of Leeds.
const leedsFirst, leedsLast = "E01011264", "E01011745"

// referralDecileWeights are how much likelier a referral is to come from
// each decile's areas (1 the most deprived) than from the least deprived.
var referralDecileWeights = [10]float64{3.2, 2.3, 1.8, 1.5, 1.3, 1.2, 1.1, 1.05, 1, 1}

var (
	areasOnce sync.Once
	// areasByDecile are the demo's areas, by decile: Leeds's and
	// England's.
	cityAreas, nationAreas [10][]string
)

func loadAreas() {
	for _, a := range imd.Areas() {
		nationAreas[a.Decile-1] = append(nationAreas[a.Decile-1], a.LSOA)
		if a.LSOA >= leedsFirst && a.LSOA <= leedsLast {
			cityAreas[a.Decile-1] = append(cityAreas[a.Decile-1], a.LSOA)
		}
	}
}

// areaOf is the demo's LSOA of a postcode: the same every time, chosen by
// the postcode's hash so that the people's random streams are untouched.
func areaOf(postcode string, national bool) (string, int) {
	areasOnce.Do(loadAreas)
	areas := &cityAreas
	if national {
		areas = &nationAreas
	}
	h := fnv.New64a()
	h.Write([]byte(strings.ToUpper(postcode)))
	x := h.Sum64()
	total := 0.0
	for d := range referralDecileWeights {
		if len(areas[d]) > 0 {
			total += referralDecileWeights[d] * float64(len(areas[d]))
		}
	}
	pick := float64(x%1_000_003) / 1_000_003 * total
	for d := range referralDecileWeights {
		w := referralDecileWeights[d] * float64(len(areas[d]))
		if pick < w || d == 9 {
			list := areas[d]
			return list[(x>>20)%uint64(len(list))], d + 1
		}
		pick -= w
	}
	return "", 0
}

// placePerson places a person's postcode in its area, once a postcode,
// when the sink takes areas.
func (g *gen) placePerson(p *linkwork.Person) error {
	as, ok := g.sink.next.(AreaSink)
	if !ok || p.Postcode == "" {
		return nil
	}
	if g.placed == nil {
		g.placed = map[string]bool{}
	}
	pc, err := linkwork.ParsePostcode(p.Postcode)
	if err != nil || pc.Inward == "" {
		return nil
	}
	key := pc.String()
	if g.placed[key] {
		return nil
	}
	g.placed[key] = true
	lsoa, decile := areaOf(key, g.cfg.National)
	return as.PostcodeArea(key, lsoa, decile)
}

// DemoPopulation are the shares of the demo city's population the demo
// service entered: plausible figures for a large English city (census
// 2021 style), with more of its people in the most deprived areas.
func DemoPopulation(serviceID string) *linkwork.PopulationShares {
	return &linkwork.PopulationShares{ServiceOrgID: serviceID, Source: "Census 2021 and IMD 2019 (demo figures)", Shares: map[linkwork.EquityDimension]map[string]float64{
		linkwork.EquityEthnicity:   {"white": 79, "mixed": 3.3, "asian": 9.7, "black": 5.6, "other": 2.4},
		linkwork.EquityAge:         {"0-15": 19.4, "16-24": 13.3, "25-34": 14.6, "35-49": 18.4, "50-64": 17.5, "65-79": 12.4, "80+": 4.4},
		linkwork.EquityGender:      {"female": 51, "male": 48.5, "another": 0.5},
		linkwork.EquityDeprivation: {"1": 22, "2": 10, "3": 8.5, "4": 8, "5": 8.5, "6": 9, "7": 8.5, "8": 8.5, "9": 9, "10": 8},
	}}
}

// population gives the service's population shares to a sink that takes
// them.
func (g *gen) population() error {
	as, ok := g.sink.next.(AreaSink)
	if !ok {
		return nil
	}
	p := DemoPopulation(g.serviceID)
	p.UpdatedAt = g.clock.midnight.Add(-700*day + 11*time.Hour)
	p.UpdatedBy = g.coordinator.id
	return as.PopulationShares(p)
}
