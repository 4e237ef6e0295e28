package ukpostcode

import (
	"math"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     string
		lat, lon float64
		ok       bool
	}{
		{"Sheffield city centre", "S1", "S1", 53.38060, -1.46950, true},
		{"Westminster", "SW1A", "SW1A", 51.50197, -0.13386, true},
		{"Manchester Rusholme", "M14", "M14", 53.44682, -2.22504, true},
		{"lower case", "sw1a", "SW1A", 51.50197, -0.13386, true},
		{"spaces ignored", " M 14 ", "M14", 53.44682, -2.22504, true},
		{"leeds", "ls6", "LS6", 53.81846, -1.56617, true},
		{"unknown district", "ZZ99", "", 0, 0, false},
		{"Northern Ireland is not included", "BT1", "", 0, 0, false},
		{"empty", "", "", 0, 0, false},
		{"full postcode is not an outcode", "S1 2HH", "", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := Lookup(tt.in)
			if ok != tt.ok {
				t.Fatalf("Lookup(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if !ok {
				return
			}
			if d.Outcode != tt.want || d.Lat != tt.lat || d.Lon != tt.lon || d.Postcodes <= 0 {
				t.Errorf("Lookup(%q) = %+v, want %s at %v,%v", tt.in, d, tt.want, tt.lat, tt.lon)
			}
		})
	}
}

func TestLookupPostcode(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"S1 2HH", "S1", true},
		{"sw1a1aa", "SW1A", true},
		{"M14 4PX", "M14", true},
		{"LS6", "LS6", true},
		{"ZZ9 9ZZ", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		d, ok := LookupPostcode(tt.in)
		if ok != tt.ok || d.Outcode != tt.want {
			t.Errorf("LookupPostcode(%q) = %q, %v; want %q, %v", tt.in, d.Outcode, ok, tt.want, tt.ok)
		}
	}
}

func TestDistricts(t *testing.T) {
	ds := Districts()
	if len(ds) != 2995 {
		t.Fatalf("got %d districts, want 2995 (the rows of districts.csv)", len(ds))
	}
	seen := map[string]bool{}
	for i, d := range ds {
		if seen[d.Outcode] {
			t.Errorf("duplicate district %s", d.Outcode)
		}
		seen[d.Outcode] = true
		if i > 0 && !Less(ds[i-1].Outcode, d.Outcode) {
			t.Errorf("districts out of order: %s before %s", ds[i-1].Outcode, d.Outcode)
		}
		// Great Britain, roughly: Scilly to Shetland, Lowestoft to the Hebrides.
		if d.Lat < 49.8 || d.Lat > 61 || d.Lon < -8.7 || d.Lon > 1.8 {
			t.Errorf("%s at %v,%v is outside Great Britain", d.Outcode, d.Lat, d.Lon)
		}
		if strings.HasPrefix(d.Outcode, "BT") {
			t.Errorf("Northern Ireland district %s must not be included", d.Outcode)
		}
	}
	// The caller owns the copy.
	ds[0].Outcode = "CHANGED"
	if Districts()[0].Outcode == "CHANGED" {
		t.Error("Districts returned the package's own slice")
	}
}

func TestLess(t *testing.T) {
	ordered := []string{"M1", "M2", "M14", "S1", "S2", "S10", "SW1A", "SW1E", "SW2", "W1", "WC1A"}
	for i := 1; i < len(ordered); i++ {
		if !Less(ordered[i-1], ordered[i]) {
			t.Errorf("Less(%s, %s) = false", ordered[i-1], ordered[i])
		}
		if Less(ordered[i], ordered[i-1]) {
			t.Errorf("Less(%s, %s) = true", ordered[i], ordered[i-1])
		}
	}
}

func TestDistance(t *testing.T) {
	s1, _ := Lookup("S1")
	sw1a, _ := Lookup("SW1A")
	if got := Distance(s1.Lat, s1.Lon, sw1a.Lat, sw1a.Lon); got < 220e3 || got > 240e3 {
		t.Errorf("S1 to SW1A = %.0f m, want about 230 km", got)
	}
	if got := Distance(sw1a.Lat, sw1a.Lon, s1.Lat, s1.Lon); math.Abs(got-Distance(s1.Lat, s1.Lon, sw1a.Lat, sw1a.Lon)) > 1e-6 {
		t.Error("distance is not symmetric")
	}
	if got := Distance(53.4, -1.5, 53.4, -1.5); got != 0 {
		t.Errorf("distance to itself = %v, want 0", got)
	}
	// One degree of latitude is about 111.2 km.
	if got := Distance(53, -1.5, 54, -1.5); math.Abs(got-111195) > 100 {
		t.Errorf("one degree of latitude = %.0f m, want about 111195", got)
	}
	// Antipodes: half the circumference.
	if got := Distance(0, 0, 0, 180); math.Abs(got-math.Pi*EarthRadius) > 1 {
		t.Errorf("antipodes = %.0f m, want %.0f", got, math.Pi*EarthRadius)
	}
}

func TestAttribution(t *testing.T) {
	for _, want := range []string{"OS data", "Royal Mail", "Office for National Statistics", "Open Government Licence v.3.0"} {
		if !strings.Contains(Attribution, want) {
			t.Errorf("Attribution lacks %q", want)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	Lookup("S1")
	for b.Loop() {
		Lookup("sw1a")
	}
}
