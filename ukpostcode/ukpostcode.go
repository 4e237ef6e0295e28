// Package ukpostcode knows where every Great Britain postcode district is:
// the mean latitude and longitude of the unit postcodes in each outward code
// ("S1", "SW1A", "M14"), from the ONS National Statistics Postcode Lookup.
// It lets the directory answer "near me" from a postcode district without a
// full postcode file.
//
// The table is embedded (districts.csv) and parsed once, on first use.
// Northern Ireland, the Channel Islands and the Isle of Man are not included;
// see ATTRIBUTION.md for the source and licence, and show Attribution
// wherever the data is used.
package ukpostcode

import (
	_ "embed"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Attribution is the notice the Open Government Licence requires wherever
// the district centroids are used or shown.
const Attribution = "Contains OS data © Crown copyright and database right 2025. " +
	"Contains Royal Mail data © Royal Mail copyright and database right 2025. " +
	"Source: Office for National Statistics licensed under the Open Government Licence v.3.0."

// District is one postcode district: its outward code, the mean position of
// its unit postcodes (WGS84 degrees) and how many unit postcodes were
// averaged.
type District struct {
	Outcode   string
	Lat, Lon  float64
	Postcodes int
}

//go:embed districts.csv
var districtsCSV string

var (
	loadOnce  sync.Once
	districts []District       // in postcode order
	byOutcode map[string]int32 // outcode → index in districts
)

func load() {
	lines := strings.Split(strings.TrimSpace(districtsCSV), "\n")
	districts = make([]District, 0, len(lines))
	byOutcode = make(map[string]int32, len(lines))
	for i, line := range lines {
		if i == 0 {
			continue // the header
		}
		d, ok := parseRow(strings.TrimRight(line, "\r"))
		if !ok {
			panic("ukpostcode: embedded districts.csv has a bad row " + strconv.Itoa(i+1) + ": " + line)
		}
		districts = append(districts, d)
	}
	sort.Slice(districts, func(i, j int) bool { return Less(districts[i].Outcode, districts[j].Outcode) })
	for i, d := range districts {
		byOutcode[d.Outcode] = int32(i)
	}
}

func parseRow(line string) (District, bool) {
	f := strings.Split(line, ",")
	if len(f) != 4 || f[0] == "" {
		return District{}, false
	}
	lat, err1 := strconv.ParseFloat(f[1], 64)
	lon, err2 := strconv.ParseFloat(f[2], 64)
	n, err3 := strconv.Atoi(f[3])
	if err1 != nil || err2 != nil || err3 != nil {
		return District{}, false
	}
	return District{Outcode: f[0], Lat: lat, Lon: lon, Postcodes: n}, true
}

// Lookup returns the district with the outward code, ignoring case and
// spaces ("sw1a", " S1 "), and false when there is no such district.
func Lookup(outcode string) (District, bool) {
	loadOnce.Do(load)
	i, ok := byOutcode[normalise(outcode)]
	if !ok {
		return District{}, false
	}
	return districts[i], true
}

// LookupPostcode returns the district of a full postcode ("S1 2HH",
// "sw1a1aa") or of a district on its own, ignoring case and spaces, and false
// when the district is unknown.
func LookupPostcode(postcode string) (District, bool) {
	c := normalise(postcode)
	if d, ok := Lookup(c); ok {
		return d, true
	}
	// A full postcode is the outward code and a three-character inward code.
	if len(c) >= 5 {
		return Lookup(c[:len(c)-3])
	}
	return District{}, false
}

func normalise(s string) string {
	if strings.ContainsAny(s, " \t") {
		s = strings.Join(strings.Fields(s), "")
	}
	return strings.ToUpper(s)
}

// Districts returns every district in postcode order: by area letters, then
// district number, then any trailing letter (S1, S2, …, S10; SW1A before
// SW1E before SW2). The slice is a copy the caller may change.
func Districts() []District {
	loadOnce.Do(load)
	return append([]District(nil), districts...)
}

// Less reports whether outward code a comes before b in postcode order (see
// Districts). Both are expected in upper case.
func Less(a, b string) bool {
	aa, an, as := splitOutcode(a)
	ba, bn, bs := splitOutcode(b)
	if aa != ba {
		return aa < ba
	}
	if an != bn {
		return an < bn
	}
	return as < bs
}

// splitOutcode splits "SW1A" into "SW", 1, "A".
func splitOutcode(s string) (area string, num int, suffix string) {
	i := 0
	for i < len(s) && (s[i] < '0' || s[i] > '9') {
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		num = num*10 + int(s[j]-'0')
		j++
	}
	return s[:i], num, s[j:]
}

// EarthRadius is the mean radius of the Earth in metres (IUGG), used by
// Distance.
const EarthRadius = 6371008.8

// Distance returns the great-circle distance in metres between two points
// given in degrees, by the haversine formula.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	φ1, φ2 := lat1*rad, lat2*rad
	dφ := (lat2 - lat1) * rad
	dλ := (lon2 - lon1) * rad
	s1, s2 := math.Sin(dφ/2), math.Sin(dλ/2)
	h := s1*s1 + math.Cos(φ1)*math.Cos(φ2)*s2*s2
	return 2 * EarthRadius * math.Asin(math.Sqrt(math.Min(1, h)))
}
