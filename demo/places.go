package demo

import (
	"math"
	"strconv"
	"strings"

	"github.com/linkwork/linkwork/ukpostcode"
)

// CityName is the name of the fictional city the demo and small presets
// build.
const CityName = "Millbrook"

// CityCentre is the postcode district at the heart of Millbrook. Every
// district of the city is within 12 km of it, and the demo directory always
// holds free football for under-18s within 5 km of it.
const CityCentre = "LS1"

// millbrook is the fictional city: the real postcode districts it sits on
// (LS1 to LS19 and LS26 to LS28, every Leeds district within 12 km of LS1
// with more than a hundred postcodes) and the invented neighbourhood names
// it gives them. Only the districts and their centroids are real.
var millbrook = []struct{ outcode, area string }{
	{"LS1", "Millbrook City Centre"},
	{"LS2", "Kirkgate"},
	{"LS3", "Canal Wharf"},
	{"LS4", "Hollin Park"},
	{"LS5", "Ashby Moor"},
	{"LS6", "Northfield"},
	{"LS7", "Chapel Fold"},
	{"LS8", "Oak Royd"},
	{"LS9", "Eastgate"},
	{"LS10", "Southbank"},
	{"LS11", "Beckside"},
	{"LS12", "Westbrook"},
	{"LS13", "Fernley"},
	{"LS14", "Thornhill Park"},
	{"LS15", "Cross Bridge"},
	{"LS16", "Highcliffe"},
	{"LS17", "Moorside"},
	{"LS18", "Greystone"},
	{"LS19", "Yarrow Bank"},
	{"LS26", "Wharfe Meadows"},
	{"LS27", "Brackenfield"},
	{"LS28", "Stanmoor"},
}

// place is a postcode district the generator puts people and activities
// in, with the neighbourhood and town names it uses there.
type place struct {
	outcode  string
	area     string // a neighbourhood name, for venues and organisations
	town     string
	lat, lon float64
	weight   float64 // how many postcodes: where people live
	near     []int32 // the nearest other places, closest first
}

// world is the map the generator works on: the districts of Millbrook, or
// every district in Great Britain (with Millbrook's among them).
type world struct {
	places    []place
	byOutcode map[string]int32
	byPop     weighted[int32]
}

// newCity returns Millbrook.
func newCity() (*world, error) {
	w := &world{}
	for _, m := range millbrook {
		d, ok := ukpostcode.Lookup(m.outcode)
		if !ok {
			return nil, errorf("Millbrook district %s is not in ukpostcode", m.outcode)
		}
		w.places = append(w.places, place{outcode: d.Outcode, area: m.area, town: CityName, lat: d.Lat, lon: d.Lon, weight: float64(d.Postcodes)})
	}
	if err := w.finish(); err != nil {
		return nil, err
	}
	return w, nil
}

// newNation returns every Great Britain district with at least 20 unit
// postcodes (smaller ones are mostly PO boxes and large users), each named
// after its post town, with invented neighbourhood names.
func newNation() (*world, error) {
	w := &world{}
	inCity := make(map[string]string, len(millbrook))
	for _, m := range millbrook {
		inCity[m.outcode] = m.area
	}
	for _, d := range ukpostcode.Districts() {
		if d.Postcodes < 20 {
			continue
		}
		n := len(w.places)
		p := place{outcode: d.Outcode, lat: d.Lat, lon: d.Lon, weight: float64(d.Postcodes)}
		if area, ok := inCity[d.Outcode]; ok {
			p.area, p.town = area, CityName
		} else {
			p.area = neighbourhoods[(n*7919)%len(neighbourhoods)]
			p.town = postTowns[postArea(d.Outcode)]
			if p.town == "" {
				p.town = postArea(d.Outcode)
			}
		}
		w.places = append(w.places, p)
	}
	if err := w.finish(); err != nil {
		return nil, err
	}
	return w, nil
}

// finish indexes the places, weights them by population, finds each one's
// neighbours and checks that Millbrook is on the map.
func (w *world) finish() error {
	w.byOutcode = make(map[string]int32, len(w.places))
	for i, p := range w.places {
		w.byOutcode[p.outcode] = int32(i)
	}
	for _, m := range millbrook {
		if _, ok := w.byOutcode[m.outcode]; !ok {
			return errorf("Millbrook district %s is not on the map", m.outcode)
		}
	}
	idx := make([]int32, len(w.places))
	weights := make([]float64, len(w.places))
	for i, p := range w.places {
		idx[i] = int32(i)
		weights[i] = p.weight
	}
	w.byPop = newWeighted(idx, weights)

	const k = 8
	type cand struct {
		i int32
		d float64
	}
	best := make([]cand, 0, k+1)
	for i := range w.places {
		p := &w.places[i]
		cosLat := math.Cos(p.lat * math.Pi / 180)
		best = best[:0]
		for j := range w.places {
			if i == j {
				continue
			}
			q := &w.places[j]
			dy := q.lat - p.lat
			dx := (q.lon - p.lon) * cosLat
			d := dx*dx + dy*dy
			if len(best) == k && d >= best[k-1].d {
				continue
			}
			// Insert in order.
			pos := len(best)
			for pos > 0 && best[pos-1].d > d {
				pos--
			}
			best = append(best, cand{})
			copy(best[pos+1:], best[pos:])
			best[pos] = cand{int32(j), d}
			if len(best) > k {
				best = best[:k]
			}
		}
		p.near = make([]int32, len(best))
		for n, c := range best {
			p.near[n] = c.i
		}
	}
	return nil
}

// at returns the place with the outcode, which must be on the map.
func (w *world) at(outcode string) int32 {
	i, ok := w.byOutcode[outcode]
	if !ok {
		panic("demo: " + outcode + " is not on the map")
	}
	return i
}

// nearby returns the place itself or, less often, one of its neighbours.
func (w *world) nearby(g *rng, i int32, stayShare float64) int32 {
	p := &w.places[i]
	if len(p.near) == 0 || g.chance(stayShare) {
		return i
	}
	return p.near[g.intn(min(len(p.near), 6))]
}

// postArea returns the letters of an outward code: "SW" for "SW1A".
func postArea(outcode string) string {
	i := 0
	for i < len(outcode) && (outcode[i] < '0' || outcode[i] > '9') {
		i++
	}
	return outcode[:i]
}

// inwardLetters are the letters used in the last two places of a postcode
// (C, I, K, M, O and V never are).
const inwardLetters = "ABDEFGHJLNPQRSTUWXYZ"

// postcode returns a plausible full postcode in the place: its district
// and an invented inward code such as "4HT".
func (p *place) postcode(g *rng) string {
	b := make([]byte, 0, 8)
	b = append(b, p.outcode...)
	b = append(b, ' ', byte('1'+g.intn(9)), inwardLetters[g.intn(len(inwardLetters))], inwardLetters[g.intn(len(inwardLetters))])
	return string(b)
}

// jitter returns a point within about 1.2 km of the place's centroid,
// rounded to five decimal places (about a metre).
func (p *place) jitter(g *rng) (lat, lon float64) {
	r := 1200 * math.Sqrt(g.float())
	θ := 2 * math.Pi * g.float()
	lat = p.lat + r*math.Cos(θ)/111195
	lon = p.lon + r*math.Sin(θ)/(111195*math.Cos(p.lat*math.Pi/180))
	return math.Round(lat*1e5) / 1e5, math.Round(lon*1e5) / 1e5
}

// streetAddress returns a house number and street, "14 Station Road".
func streetAddress(g *rng) string {
	return strconv.Itoa(g.between(1, 180)) + " " + pick(g, streets)
}

// fullAddress returns "14 Station Road, Northfield, Millbrook".
func (p *place) fullAddress(g *rng) string {
	if p.area == p.town || strings.HasPrefix(p.area, p.town) {
		return streetAddress(g) + ", " + p.town
	}
	return streetAddress(g) + ", " + p.area + ", " + p.town
}

// Telephone numbers come from the ranges Ofcom keeps for drama and
// examples: they never ring a real person.
const (
	leedsDrama  = "0113 496 0" // 0113 496 0000 to 0999
	otherDrama  = "01632 960"  // 01632 960000 to 960999, no real area
	mobileDrama = "07700 900"  // 07700 900000 to 900999
)

func threeDigits(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}

// landline returns a fictional landline number for the place: Millbrook
// uses the Leeds drama range.
func (p *place) landline(g *rng) string {
	if p.town == CityName {
		return leedsDrama + threeDigits(g.intn(1000))
	}
	return otherDrama + threeDigits(g.intn(1000))
}

// mobile returns a fictional mobile number.
func mobile(g *rng) string { return mobileDrama + threeDigits(g.intn(1000)) }

// slug turns a name into a lower-case domain or mailbox part:
// "Northfield Boxing Club" → "northfield-boxing-club".
func slug(s string) string {
	b := make([]byte, 0, len(s))
	dash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b = append(b, c)
			dash = false
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
			dash = false
		case c == '\'':
			// "Men's" → "mens"
		default:
			if !dash && len(b) > 0 {
				b = append(b, '-')
				dash = true
			}
		}
	}
	return strings.TrimRight(string(b), "-")
}

var streets = []string{
	"Station Road", "Church Lane", "Victoria Street", "High Street", "Park Road", "Mill Lane",
	"Albert Road", "Queen's Road", "Chapel Street", "Moor Lane", "Green Lane", "School Lane",
	"Westfield Road", "Beech Grove", "Oak Avenue", "Elm Street", "Cliff Road", "Wharf Street",
	"Canal Road", "Brook Street", "North Street", "South Parade", "King Street", "Water Lane",
	"Cemetery Road", "Town Street", "Back Lane", "Hill Top Road", "Ash Grove", "Marsh Lane",
	"Hyde Park Road", "Mount Pleasant", "Springfield Avenue", "Holly Bank", "Rose Terrace",
	"Kirkstall Road", "Meanwood Road", "Harehills Lane", "Cardigan Road", "Manor Drive",
	"Woodhouse Street", "Bridge Street", "Market Street", "Grange Avenue", "Fairfield Close",
	"Thornhill Drive", "Bank Street", "Brunswick Terrace", "Hawthorn Road", "Lime Tree Avenue",
	"Sycamore Close", "Willow Crescent", "Larch Drive", "Poplar Way", "Cherry Tree Walk",
	"Bold Street", "Bright Street", "Union Street", "Regent Street", "Stanley Road",
}

// neighbourhoods are invented place names for the national preset's
// venues and organisations.
var neighbourhoods = []string{
	"Northfield", "Southgate", "Westbrook", "Eastfield", "Riverside", "Hillside", "Oakwood Vale",
	"Ashgrove", "Beckside", "Brookfield", "Castleton Green", "Chapel End", "Church Hill",
	"Clayfield", "Cliffe Park", "Cross Green", "Dale End", "Elmfield", "Fairholme", "Fernley",
	"Forge Lane", "Greenbank", "Hawthorn Hill", "Heathfield", "Highcliffe", "Hollin Park",
	"Kingsmead", "Kirkgate", "Larchfield", "Lower Moor", "Meadowside", "Millfield", "Moorside",
	"Netherton Green", "New Bridge", "Old Town", "Parkside", "Queensbury Vale", "Redhill",
	"Rosedale", "St Anne's", "Sandfield", "Stanmoor", "Stonebridge", "Sunnybank", "Thornhill",
	"Upper Green", "Valley Road", "Waterside", "Wellfield", "Whitecroft", "Willowbank",
	"Woodlands", "Yarrow Bank", "Brackenfield", "Canal Wharf", "Eastgate", "Greystone",
	"Marsh End", "Orchard Park",
}

// postTowns names the main post town of each postcode area in Great
// Britain.
var postTowns = map[string]string{
	"AB": "Aberdeen", "AL": "St Albans", "B": "Birmingham", "BA": "Bath", "BB": "Blackburn",
	"BD": "Bradford", "BH": "Bournemouth", "BL": "Bolton", "BN": "Brighton", "BR": "Bromley",
	"BS": "Bristol", "CA": "Carlisle", "CB": "Cambridge", "CF": "Cardiff", "CH": "Chester",
	"CM": "Chelmsford", "CO": "Colchester", "CR": "Croydon", "CT": "Canterbury", "CV": "Coventry",
	"CW": "Crewe", "DA": "Dartford", "DD": "Dundee", "DE": "Derby", "DG": "Dumfries",
	"DH": "Durham", "DL": "Darlington", "DN": "Doncaster", "DT": "Dorchester", "DY": "Dudley",
	"E": "London", "EC": "London", "EH": "Edinburgh", "EN": "Enfield", "EX": "Exeter",
	"FK": "Falkirk", "FY": "Blackpool", "G": "Glasgow", "GL": "Gloucester", "GU": "Guildford",
	"HA": "Harrow", "HD": "Huddersfield", "HG": "Harrogate", "HP": "Hemel Hempstead",
	"HR": "Hereford", "HS": "Outer Hebrides", "HU": "Hull", "HX": "Halifax", "IG": "Ilford",
	"IP": "Ipswich", "IV": "Inverness", "KA": "Kilmarnock", "KT": "Kingston upon Thames",
	"KW": "Kirkwall", "KY": "Kirkcaldy", "L": "Liverpool", "LA": "Lancaster",
	"LD": "Llandrindod Wells", "LE": "Leicester", "LL": "Llandudno", "LN": "Lincoln",
	"LS": "Leeds", "LU": "Luton", "M": "Manchester", "ME": "Rochester", "MK": "Milton Keynes",
	"ML": "Motherwell", "N": "London", "NE": "Newcastle upon Tyne", "NG": "Nottingham",
	"NN": "Northampton", "NP": "Newport", "NR": "Norwich", "NW": "London", "OL": "Oldham",
	"OX": "Oxford", "PA": "Paisley", "PE": "Peterborough", "PH": "Perth", "PL": "Plymouth",
	"PO": "Portsmouth", "PR": "Preston", "RG": "Reading", "RH": "Redhill", "RM": "Romford",
	"S": "Sheffield", "SA": "Swansea", "SE": "London", "SG": "Stevenage", "SK": "Stockport",
	"SL": "Slough", "SM": "Sutton", "SN": "Swindon", "SO": "Southampton", "SP": "Salisbury",
	"SR": "Sunderland", "SS": "Southend-on-Sea", "ST": "Stoke-on-Trent", "SW": "London",
	"SY": "Shrewsbury", "TA": "Taunton", "TD": "Galashiels", "TF": "Telford", "TN": "Tonbridge",
	"TQ": "Torquay", "TR": "Truro", "TS": "Middlesbrough", "TW": "Twickenham", "UB": "Southall",
	"W": "London", "WA": "Warrington", "WC": "London", "WD": "Watford", "WF": "Wakefield",
	"WN": "Wigan", "WR": "Worcester", "WS": "Walsall", "WV": "Wolverhampton", "YO": "York",
	"ZE": "Lerwick",
}
