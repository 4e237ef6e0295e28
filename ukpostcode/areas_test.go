package ukpostcode

import "testing"

// TestPlaceNameReadsAPostcodeAreaAsATown: "who live in LS" is jargon to a
// teenager; "Leeds (LS)" is a place.
func TestPlaceNameReadsAPostcodeAreaAsATown(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"LS", "Leeds (LS)"},
		{"ls9", "Leeds (LS9)"},
		{" LS 6 ", "Leeds (LS6)"},
		{"M14", "Manchester (M14)"},
		{"SW1A", "South West London (SW1A)"},
		{"ZZ9", "ZZ9"},
		{"", ""},
	} {
		if got := PlaceName(tt.in); got != tt.want {
			t.Errorf("PlaceName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEveryDistrictsAreaHasAName: no district we can place reads as bare
// letters.
func TestEveryDistrictsAreaHasAName(t *testing.T) {
	missing := map[string]bool{}
	for _, d := range Districts() {
		area, _, _ := splitOutcode(d.Outcode)
		if _, ok := areaNames[area]; !ok {
			missing[area] = true
		}
	}
	if len(missing) > 0 {
		t.Errorf("postcode areas with no name: %v", missing)
	}
}

func TestAreaName(t *testing.T) {
	for code, want := range map[string]string{"LS": "Leeds", "ls": "Leeds", " S ": "Sheffield", "ZZ": "", "": ""} {
		if got := AreaName(code); got != want {
			t.Errorf("AreaName(%q) = %q, want %q", code, got, want)
		}
	}
}
