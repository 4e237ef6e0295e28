package orukio_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/orukio"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

func csvStore(db *sqlstore.DB) orukio.Store {
	return orukio.Store{Assets: sqlstore.NewAssetService(db), Orgs: sqlstore.NewOrganisationService(db), Atomically: db.Atomically}
}

func sysContext(t *testing.T) context.Context {
	return linkwork.NewContext(t.Context(), linkwork.SystemActor("test"))
}

func exportCSV(t *testing.T, ctx context.Context, st orukio.Store) string {
	t.Helper()
	var b bytes.Buffer
	if err := orukio.WriteCSV(ctx, st, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func importCSV(t *testing.T, ctx context.Context, st orukio.Store, file string) orukio.Result {
	t.Helper()
	rows, err := orukio.ReadCSV(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	res, err := orukio.ImportCSV(ctx, st, rows)
	if err != nil || len(res.Skipped) > 0 {
		t.Fatalf("%v %v", err, res.Skipped)
	}
	return res
}

var (
	park   = linkwork.Location{Type: linkwork.LocationPhysical, Name: "Park", Address1: "1 Park Road", City: "Leeds", StateProvince: "West Yorkshire", PostalCode: "LS6 2AA", Lat: 53.8165, Lon: -1.5741}
	hall   = linkwork.Location{Type: linkwork.LocationPhysical, Name: "Church hall, upstairs", Address1: "2 \"Old\" Lane", City: "Leeds", PostalCode: "LS1 4AP"}
	online = linkwork.Location{Type: linkwork.LocationVirtual, Name: "Zoom", URL: "https://example.org/join"}
	free   = linkwork.CostOption{Option: "Free", Amount: linkwork.Int(0)}
	fee    = linkwork.CostOption{Option: "Per session", Amount: linkwork.Int(250), AmountDescription: "£2.50; free for carers"}
	asked  = linkwork.CostOption{AmountDescription: "Pay what you can"}
)

// A round trip through the CSV keeps every place and every cost option:
// export, import into an empty directory and export again gives the same
// file, and importing it again changes nothing.
func TestCSVRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		places []linkwork.Location
		costs  []linkwork.CostOption
		at     []int // the place of each session, -1 for none
	}{
		{"online only, no cost", []linkwork.Location{online}, nil, nil},
		{"one place, free", []linkwork.Location{park}, []linkwork.CostOption{free}, []int{-1}},
		{"one place, a cost only described", []linkwork.Location{hall}, []linkwork.CostOption{asked}, nil},
		{"three places, two costs", []linkwork.Location{park, online, hall}, []linkwork.CostOption{free, fee}, []int{0, 2, -1}},
		{"three places, no cost", []linkwork.Location{hall, park, online}, nil, []int{1}},
		{"one place, two costs", []linkwork.Location{park}, []linkwork.CostOption{fee, asked}, []int{0}},
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := sysContext(t)
		st := csvStore(db)
		org := &linkwork.Organisation{Name: "Civic, Trust", Kind: linkwork.OrgVCS}
		if err := st.Orgs.CreateOrganisation(ctx, org); err != nil {
			t.Fatal(err)
		}
		for i, tt := range tests {
			a := &linkwork.Asset{Name: fmt.Sprintf("%d %s", i, tt.name), OrgID: org.ID, Description: "Line one\nline two",
				Categories: []linkwork.Category{linkwork.CategorySports, linkwork.CategorySocial}, Status: linkwork.AssetActive,
				HowToJoin: linkwork.JoinDropIn, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting}, MinAge: 11, MaxAge: 16 + i,
				Languages: []string{"English", "Urdu"}, YouthFriendly: i%2 == 0}
			for _, l := range tt.places {
				l.ID = ""
				a.Locations = append(a.Locations, l)
			}
			for _, c := range tt.costs {
				if c.Amount != nil {
					c.Amount = linkwork.Int(*c.Amount)
				}
				a.CostOptions = append(a.CostOptions, c)
			}
			if err := st.Assets.CreateAsset(ctx, a); err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			for j, at := range tt.at {
				s := linkwork.Schedule{Freq: "WEEKLY", ByDay: linkwork.Weekdays[j], OpensAt: "10:00", ClosesAt: "11:30"}
				if at >= 0 {
					s.LocationID = a.Locations[at].ID
				}
				a.Schedules = append(a.Schedules, s)
			}
			if len(tt.at) > 0 {
				if err := st.Assets.UpdateAsset(ctx, a); err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
			}
		}
		first := exportCSV(t, ctx, st)
		header := strings.SplitN(first, "\n", 2)[0]
		for _, c := range []string{"location_3_postcode", "location_3_url", "cost_2_pence", "cost_2_option"} {
			if !strings.Contains(header, c) {
				t.Errorf("the header has no %s: %s", c, header)
			}
		}
		if strings.Contains(header, "location_4") || strings.Contains(header, "cost_3") {
			t.Errorf("the header has more groups than the widest row needs: %s", header)
		}

		other := csvStore(sqltest.Open(t, db.Dialect(), sqlstore.Options{}))
		if res := importCSV(t, ctx, other, first); res.Created != len(tests) {
			t.Errorf("first import: %s", res)
		}
		if again := exportCSV(t, ctx, other); again != first {
			t.Errorf("the CSV changed on the round trip:\n%s\n---\n%s", first, again)
		}
		if res := importCSV(t, ctx, other, first); res.Created != 0 || res.Updated != 0 || res.Unchanged != len(tests) {
			t.Errorf("second import: %s", res)
		}
		// Imported back where it came from, it finds every listing and
		// keeps the ids of its places and costs: nothing changes.
		if res := importCSV(t, ctx, st, first); res.Created != 0 || res.Unchanged != len(tests) {
			t.Errorf("import into the original: %s", res)
		}
		if again := exportCSV(t, ctx, st); again != first {
			t.Errorf("the original changed:\n%s\n---\n%s", first, again)
		}

		// Every place and cost arrived as it was.
		for i, tt := range tests {
			list, _, err := other.Assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, Query: fmt.Sprint(i), Sort: linkwork.SortName, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var a *linkwork.Asset
			for _, m := range list {
				if strings.HasPrefix(m.Asset.Name, fmt.Sprintf("%d ", i)) {
					a = m.Asset
				}
			}
			if a == nil {
				t.Fatalf("%s: not imported", tt.name)
			}
			if len(a.Locations) != len(tt.places) || len(a.CostOptions) != len(tt.costs) {
				t.Fatalf("%s: %d places and %d costs, want %d and %d", tt.name, len(a.Locations), len(a.CostOptions), len(tt.places), len(tt.costs))
			}
			for j, l := range tt.places {
				got := a.Locations[j]
				if got.Type != l.Type || got.Name != l.Name || got.PostalCode != l.PostalCode || got.URL != l.URL || got.Address1 != l.Address1 {
					t.Errorf("%s: place %d is %+v, want %+v", tt.name, j+1, got, l)
				}
				if l.Lat != 0 && (got.Lat != l.Lat || got.Lon != l.Lon) {
					t.Errorf("%s: place %d is at %v,%v, want %v,%v", tt.name, j+1, got.Lat, got.Lon, l.Lat, l.Lon)
				}
			}
			for j, c := range tt.costs {
				got := a.CostOptions[j]
				if got.Option != c.Option || got.AmountDescription != c.AmountDescription || (got.Amount == nil) != (c.Amount == nil) || (c.Amount != nil && *got.Amount != *c.Amount) {
					t.Errorf("%s: cost %d is %+v, want %+v", tt.name, j+1, got, c)
				}
			}
			for j, at := range tt.at {
				if want := ""; at >= 0 && a.Schedules[j].LocationID != a.Locations[at].ID || at < 0 && a.Schedules[j].LocationID != want {
					t.Errorf("%s: session %d is at %q, want place %d", tt.name, j+1, a.Schedules[j].LocationID, at+1)
				}
			}
		}
	})
}

// Files in the earlier one-place layout still import, and importing one
// again updates rather than duplicates.
func TestCSVOldLayout(t *testing.T) {
	file := "id,name,categories,cost_pence,cost_description,location_name,address_1,city,county,postcode,online,online_url,schedules\n" +
		",Chess club,social,0,,Library,1 Main Street,Leeds,West Yorkshire,ls1 4ap,yes,https://example.org/chess,WEEKLY TU 18:00-20:00\n" +
		",Book club,social,,Bring a book,,,,,,yes,,\n"
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := sysContext(t)
		st := csvStore(db)
		if res := importCSV(t, ctx, st, file); res.Created != 2 {
			t.Fatalf("first import: %s", res)
		}
		if res := importCSV(t, ctx, st, file); res.Created != 0 || res.Unchanged != 2 {
			t.Errorf("second import: %s", res)
		}
		list, total, err := st.Assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, Limit: 10})
		if err != nil || total != 2 {
			t.Fatalf("%d listings: %v", total, err)
		}
		book, chess := list[0].Asset, list[1].Asset
		if len(chess.Locations) != 2 || chess.Locations[0].PostalCode != "LS1 4AP" || chess.Locations[0].Name != "Library" || chess.Locations[1].URL != "https://example.org/chess" {
			t.Errorf("chess club's places: %+v", chess.Locations)
		}
		if len(chess.CostOptions) != 1 || chess.CostOptions[0].Amount == nil || *chess.CostOptions[0].Amount != 0 {
			t.Errorf("chess club is free: %+v", chess.CostOptions)
		}
		if len(book.Locations) != 1 || book.Locations[0].Physical() || len(book.CostOptions) != 1 || book.CostOptions[0].AmountDescription != "Bring a book" {
			t.Errorf("book club: %+v %+v", book.Locations, book.CostOptions)
		}
		// Exported, it is in the numbered layout.
		out := exportCSV(t, ctx, st)
		if !strings.Contains(out, "location_2_url") || !strings.Contains(out, "physical,Library,1 Main Street,Leeds,West Yorkshire,LS1 4AP") {
			t.Errorf("export:\n%s", out)
		}
	})
}

// A file with a wrong row is refused whole when it is read, naming each
// wrong row's line and column, and no row is returned to be saved.
func TestCSVBadRows(t *testing.T) {
	header := "id,name,categories,location_1_type,location_1_postcode,location_1_url,location_2_type,location_2_postcode,location_2_latitude,location_2_longitude,cost_1_pence,cost_1_description,schedules\n"
	good := ",Good club,sports,,LS1 4AP,,,,,,,,\n"
	tests := []struct {
		name, row string
		says      []string
	}{
		{"a bad postcode in the second place", ",Club,sports,,LS1 4AP,,,NOWHERE,,,,,\n", []string{`line 3, column location_2_postcode: "NOWHERE" is not a UK postcode`}},
		{"no place at all", ",Club,sports,,,,,,,,,,\n", []string{"line 3, column location_1_postcode", "give the postcode"}},
		{"a place without a postcode", ",Club,sports,,LS1 4AP,,physical,,,,,,\n", []string{"line 3, column location_2_postcode", "give the postcode"}},
		{"an unknown type", ",Club,sports,,LS1 4AP,,boat,,,,,,\n", []string{"line 3, column location_2_type", `"boat"`}},
		{"an online place with a postcode", ",Club,sports,online,LS1 4AP,https://example.org,,,,,,,\n", []string{"line 3, column location_1_postcode", "online location has no address"}},
		{"an online place with a bad url", ",Club,sports,online,,example.org,,,,,,,\n", []string{"line 3, column location_1_url", "https://"}},
		{"half a point", ",Club,sports,,LS1 4AP,,,LS6 2AA,53.8,,,,\n", []string{"line 3, column location_2_latitude", "both"}},
		{"a point off the map", ",Club,sports,,LS1 4AP,,,LS6 2AA,53.8,200,,,\n", []string{"line 3, column location_2_longitude"}},
		{"a negative cost", ",Club,sports,,LS1 4AP,,,,,,-5,,\n", []string{"line 3, column cost_1_pence", `"-5"`}},
		{"a session at a place there is not", ",Club,sports,,LS1 4AP,,,,,,,,WEEKLY MO 10:00-11:00 @2\n", []string{"line 3, column schedules", "no location_2"}},
		{"a session that ends first", ",Club,sports,,LS1 4AP,,,,,,,,WEEKLY MO 11:00-10:00\n", []string{"line 3, column schedules", "end after it starts"}},
		{"two bad rows", ",Club,sports,,LS1 4AP,,,NOWHERE,,,,,\n,Club 2,sports,,,,,,,,x,,\n", []string{"line 3, column location_2_postcode", "line 4, column cost_1_pence"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := orukio.ReadCSV(strings.NewReader(header + good + tt.row))
			if err == nil {
				t.Fatalf("the file was accepted: %d rows", len(rows))
			}
			for _, s := range tt.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%q does not say %q", err, s)
				}
			}
			if rows != nil {
				t.Errorf("%d rows returned with the error", len(rows))
			}
		})
	}
}

// A file the store refuses a row of when it comes to save it (a postcode
// that is well formed but in no lookup) is saved whole or not at all: the
// good rows before and after the wrong one are not saved, the listing a
// good row would have changed is left as it was, and the error names
// each refused row's line and column.
func TestCSVImportIsAllOrNothing(t *testing.T) {
	header := "id,name,organisation,categories,location_1_postcode,location_2_type,location_2_postcode\n"
	good := ",Good club,Civic Trust,sports,LS1 4AP,,\n"
	renamed := ",Good club,Civic Trust,sports,LS6 2AA,,\n"
	tests := []struct {
		name, rows string
		says       []string
	}{
		{"a place in no lookup", renamed + ",Lost club,New Trust,sports,ZZ99 9ZZ,,\n" + ",Late club,New Trust,social,LS1 4AP,,\n",
			[]string{"line 3, column location_1_postcode: We cannot find the postcode ZZ99 9ZZ"}},
		{"a second place in no lookup, on two rows", ",Lost club,New Trust,sports,LS1 4AP,physical,ZZ99 9ZZ\n" + renamed + ",Lost too,,sports,ZZ98 9ZZ,,\n",
			[]string{"line 2, column location_2_postcode: We cannot find the postcode ZZ99 9ZZ", "line 4, column location_1_postcode: We cannot find the postcode ZZ98 9ZZ"}},
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := sysContext(t)
		st := csvStore(db)
		importCSV(t, ctx, st, header+good)
		before := exportCSV(t, ctx, st)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rows, err := orukio.ReadCSV(strings.NewReader(header + tt.rows))
				if err != nil {
					t.Fatalf("the file was refused when read: %v", err)
				}
				res, err := orukio.ImportCSV(ctx, st, rows)
				if err == nil {
					t.Fatalf("the file was imported: %s", res)
				}
				for _, s := range tt.says {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("%q does not say %q", err, s)
					}
				}
				if res.String() != (orukio.Result{}).String() {
					t.Errorf("a refused import reports %s", res)
				}
				if after := exportCSV(t, ctx, st); after != before {
					t.Errorf("the directory changed:\n%s\n---\n%s", before, after)
				}
				if list, _, err := st.Orgs.FindOrganisations(ctx, linkwork.OrganisationFilter{Query: "New Trust", Limit: 10}); err != nil || len(list) != 0 {
					t.Errorf("the refused file's organisation was kept: %d (%v)", len(list), err)
				}
			})
		}
	})
}

// The header may name columns in any order, groups may be left blank, and
// an unknown column is refused.
func TestCSVHeader(t *testing.T) {
	rows, err := orukio.ReadCSV(strings.NewReader("cost_2_pence,location_3_url,location_3_type,name,categories,location_1_postcode\n" +
		"0,https://example.org,online,Club,sports,\n"))
	if err != nil {
		t.Fatal(err)
	}
	a := rows[0].Asset
	if len(a.Locations) != 1 || a.Locations[0].Physical() || len(a.CostOptions) != 1 || *a.CostOptions[0].Amount != 0 {
		t.Errorf("%+v %+v", a.Locations, a.CostOptions)
	}
	for _, h := range []string{"location_1_colour", "location_x_postcode", "cost_1_postcode", "colour"} {
		if _, err := orukio.ReadCSV(strings.NewReader("name," + h + "\n")); err == nil || !strings.Contains(err.Error(), "line 1") || !strings.Contains(err.Error(), h) {
			t.Errorf("%s: %v", h, err)
		}
	}
	if got := strings.Join(orukio.CSVHeader(0, 2), ","); !strings.HasSuffix(got, "location_1_url,cost_1_option,cost_1_pence,cost_1_description,cost_2_option,cost_2_pence,cost_2_description") {
		t.Errorf("header: %s", got)
	}
}
