// Package imd knows how deprived every small area of England is: the
// English Index of Multiple Deprivation 2019 (MHCLG) for each 2011
// Lower-layer Super Output Area (LSOA), as a rank (1 is the most
// deprived of 32,844) and a decile (1 is the most deprived tenth).
//
// The table is embedded (lsoa.csv) and parsed once, on first use. It
// covers England only and uses 2011 LSOA codes; see ATTRIBUTION.md for
// the source and licence, and show Attribution wherever the data is used.
package imd

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
)

// Attribution is the notice the Open Government Licence requires wherever
// the index is used or shown.
const Attribution = "Contains public sector information licensed under the Open Government Licence v3.0 (English Indices of Deprivation 2019, MHCLG)."

// Area is one LSOA's place in the index.
type Area struct {
	LSOA   string
	Rank   int
	Decile int
}

//go:embed lsoa.csv
var lsoaCSV string

var (
	once  sync.Once
	areas map[string]Area
	order []Area
)

func load() {
	areas = make(map[string]Area, 33000)
	lines := strings.Split(strings.TrimSpace(lsoaCSV), "\n")
	for _, line := range lines[1:] {
		f := strings.Split(strings.TrimSpace(line), ",")
		if len(f) != 3 {
			panic("imd: malformed row " + line)
		}
		rank, err1 := strconv.Atoi(f[1])
		decile, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil || decile < 1 || decile > 10 {
			panic("imd: malformed row " + line)
		}
		a := Area{LSOA: f[0], Rank: rank, Decile: decile}
		areas[a.LSOA] = a
		order = append(order, a)
	}
}

// Lookup returns the index of an LSOA by its 2011 code ("E01011264"), and
// false for a code it does not hold (a Welsh or Scottish area, a 2021
// code that changed, or no code).
func Lookup(lsoa string) (Area, bool) {
	once.Do(load)
	a, ok := areas[strings.ToUpper(strings.TrimSpace(lsoa))]
	return a, ok
}

// Decile is the decile of an LSOA, 1 (most deprived) to 10; 0 when the
// code is not in the index.
func Decile(lsoa string) int {
	a, _ := Lookup(lsoa)
	return a.Decile
}

// Areas are every LSOA in the index, in code order.
func Areas() []Area {
	once.Do(load)
	return order
}
