package sqlstore_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// The filters Open Referral UK defines: a minimum age of at least, a
// maximum age of at most (none when there is no upper limit), a session
// opening at or after and closing at or before (on a day, when given),
// and the listing of a service-at-location id.
func TestORUKFilters(t *testing.T) {
	eachDirectory(t, func(t *testing.T, w *world, d *directory) {
		sal := func(a *linkwork.Asset, i int) string { return oruk.ServiceAtLocationID(a.ID, a.Locations[i].ID) }
		tests := []struct {
			name string
			f    linkwork.AssetFilter
			want []*linkwork.Asset // as a set
		}{
			{"minimum age at least 13", linkwork.AssetFilter{MinAgeAtLeast: linkwork.Int(13)}, []*linkwork.Asset{d.pottery, d.counselling, d.walking}},
			{"minimum age at least 0: everything", linkwork.AssetFilter{MinAgeAtLeast: linkwork.Int(0)}, []*linkwork.Asset{d.boxing, d.football, d.pottery, d.counselling, d.walking}},
			{"maximum age at most 17", linkwork.AssetFilter{MaxAgeAtMost: linkwork.Int(17)}, []*linkwork.Asset{d.football}},
			{"maximum age at most 18; no upper limit is no match", linkwork.AssetFilter{MaxAgeAtMost: linkwork.Int(18)}, []*linkwork.Asset{d.boxing, d.football}},
			{"maximum age at most 0: nothing", linkwork.AssetFilter{MaxAgeAtMost: linkwork.Int(0)}, nil},
			{"both ages", linkwork.AssetFilter{MinAgeAtLeast: linkwork.Int(11), MaxAgeAtMost: linkwork.Int(25)}, []*linkwork.Asset{d.boxing, d.football, d.counselling}},
			{"opens at or after 18:00", linkwork.AssetFilter{OpensFrom: "18:00"}, []*linkwork.Asset{d.boxing, d.pottery}},
			{"closes at or before 18:30", linkwork.AssetFilter{ClosesBy: "18:30"}, []*linkwork.Asset{d.football, d.walking}},
			{"within 17:00 to 19:30", linkwork.AssetFilter{OpensFrom: "17:00", ClosesBy: "19:30"}, []*linkwork.Asset{d.boxing, d.football}},
			{"on Tuesdays within 16:00 to 19:30", linkwork.AssetFilter{Day: "TU", OpensFrom: "16:00", ClosesBy: "19:30"}, []*linkwork.Asset{d.boxing}},
			{"on Mondays from 16:00", linkwork.AssetFilter{Day: "MO", OpensFrom: "16:00"}, []*linkwork.Asset{d.counselling}},
			{"on Wednesdays by 11:30: the same session must do both", linkwork.AssetFilter{Day: "WE", ClosesBy: "11:30"}, nil},
			{"open at 18:15 and closing by 19:30", linkwork.AssetFilter{Time: "18:15", ClosesBy: "19:30"}, []*linkwork.Asset{d.boxing, d.football}},
			{"with text", linkwork.AssetFilter{Query: "football", MinAgeAtLeast: linkwork.Int(50)}, []*linkwork.Asset{d.walking}},
			{"near a point", linkwork.AssetFilter{Near: at(leeds), Radius: 5000, MaxAgeAtMost: linkwork.Int(17)}, []*linkwork.Asset{d.football}},
			{"a service at a location", linkwork.AssetFilter{ServiceAtLocationID: sal(d.walking, 1)}, []*linkwork.Asset{d.walking}},
			{"a service at a location, in capitals", linkwork.AssetFilter{ServiceAtLocationID: strings.ToUpper(sal(d.boxing, 0))}, []*linkwork.Asset{d.boxing}},
			{"a service at a location of an inactive listing", linkwork.AssetFilter{ServiceAtLocationID: sal(d.chess, 0)}, nil},
			{"a service at a location of an inactive listing, any status", linkwork.AssetFilter{AnyStatus: true, ServiceAtLocationID: sal(d.chess, 0)}, []*linkwork.Asset{d.chess}},
			{"a service at a location with text", linkwork.AssetFilter{Query: "football", ServiceAtLocationID: sal(d.walking, 0)}, []*linkwork.Asset{d.walking}},
			{"an unknown service at a location", linkwork.AssetFilter{ServiceAtLocationID: "00000000-0000-4000-8000-000000000000"}, nil},
		}
		eachWay(w, []searchWay{{false, 0}, {false, 1000}}, func(way searchWay) {
			few := way.few
			for _, tt := range tests {
				t.Run(fmt.Sprintf("%s/few=%d", tt.name, few), func(t *testing.T) {
					list, total, err := w.assets.FindAssets(t.Context(), tt.f)
					if err != nil {
						t.Fatal(err)
					}
					var got, want []string
					for _, m := range list {
						got = append(got, m.Asset.Name)
					}
					for _, a := range tt.want {
						want = append(want, a.Name)
					}
					slices.Sort(got)
					slices.Sort(want)
					if !slices.Equal(got, want) || total != len(want) {
						t.Errorf("got %q (total %d), want %q", got, total, want)
					}
				})
			}
		})
		for _, f := range []struct {
			field string
			f     linkwork.AssetFilter
		}{
			{"start_time", linkwork.AssetFilter{OpensFrom: "25:00"}},
			{"end_time", linkwork.AssetFilter{ClosesBy: "noon"}},
			{"minimum_age", linkwork.AssetFilter{MinAgeAtLeast: linkwork.Int(-1)}},
			{"maximum_age", linkwork.AssetFilter{MaxAgeAtMost: linkwork.Int(121)}},
		} {
			_, _, err := w.assets.FindAssets(t.Context(), f.f)
			wantField(t, err, f.field)
		}

		t.Run("the id follows the listing's locations", func(t *testing.T) {
			old := sal(d.boxing, 0)
			a, err := w.assets.FindAssetByID(t.Context(), d.boxing.ID)
			if err != nil {
				t.Fatal(err)
			}
			a.Locations = []linkwork.Location{place("New Hall", "S1 2HH", sheffieldS1)}
			if err := w.assets.UpdateAsset(w.as(w.coordinator), a); err != nil {
				t.Fatal(err)
			}
			for id, want := range map[string]int{old: 0, oruk.ServiceAtLocationID(a.ID, a.Locations[0].ID): 1} {
				_, total, err := w.assets.FindAssets(t.Context(), linkwork.AssetFilter{ServiceAtLocationID: id})
				if err != nil || total != want {
					t.Errorf("%s: %d found (%v), want %d", id, total, err, want)
				}
			}
		})
	})
}

// FindLocations pages through the found listings' locations, each
// listing's in turn; near a point, only its places within the radius.
func TestFindLocations(t *testing.T) {
	eachDirectory(t, func(t *testing.T, w *world, d *directory) {
		short := map[string]string{d.boxing.ID: "boxing", d.football.ID: "football", d.pottery.ID: "pottery", d.counselling.ID: "counselling", d.walking.ID: "walking", d.chess.ID: "chess"}
		tests := []struct {
			name  string
			f     linkwork.AssetFilter
			want  string // "listing/location index", in order
			total int
		}{
			{"everything, by name", linkwork.AssetFilter{}, "football/0 counselling/0 pottery/0 walking/0 walking/1 boxing/0", 6},
			{"a page starting inside a listing", linkwork.AssetFilter{Offset: 4, Limit: 2}, "walking/1 boxing/0", 6},
			{"a page that is a listing's", linkwork.AssetFilter{Offset: 3, Limit: 2}, "walking/0 walking/1", 6},
			{"past the end", linkwork.AssetFilter{Offset: 6}, "", 6},
			{"any status", linkwork.AssetFilter{AnyStatus: true, Limit: 2}, "chess/0 football/0", 7},
			{"filtered", linkwork.AssetFilter{MinAgeAtLeast: linkwork.Int(13), Day: "FR"}, "counselling/0 walking/0 walking/1", 3},
			{"online", linkwork.AssetFilter{Mode: linkwork.AttendOnline}, "counselling/0", 1},
			{"text, by name", linkwork.AssetFilter{Query: "football", Sort: linkwork.SortName}, "football/0 walking/0 walking/1", 3},
			{"text, a page inside a listing", linkwork.AssetFilter{Query: "football", Sort: linkwork.SortName, Offset: 2, Limit: 5}, "walking/1", 3},
			{"text, any status", linkwork.AssetFilter{AnyStatus: true, Query: "football", Sort: linkwork.SortName}, "chess/0 football/0 walking/0 walking/1", 4},
			{"near Leeds: only the places in the circle", linkwork.AssetFilter{Near: at(leeds), Radius: 5000}, "walking/1 football/0", 2},
			{"near Sheffield", linkwork.AssetFilter{Near: at(sheffield), Radius: 5000}, "pottery/0 boxing/0 walking/0", 3},
			{"near Sheffield, far enough for Leeds", linkwork.AssetFilter{Near: at(sheffield), Radius: 60000}, "pottery/0 boxing/0 walking/0 walking/1 football/0", 5},
			{"near Sheffield, a page inside a listing", linkwork.AssetFilter{Near: at(sheffield), Radius: 60000, Offset: 3, Limit: 1}, "walking/1", 5},
			{"near Sheffield, virtual places are not in the circle", linkwork.AssetFilter{Near: at(sheffield), Radius: 60000, MinAgeAtLeast: linkwork.Int(13)}, "pottery/0 walking/0 walking/1", 3},
			{"text near a point", linkwork.AssetFilter{Query: "football", Near: at(leeds), Radius: 5000, Sort: linkwork.SortDistance}, "walking/1 football/0", 2},
			{"nothing near London", linkwork.AssetFilter{Near: at(farFromBoth), Radius: 50000}, "", 0},
		}
		// In SQLite, a page by name walks the index of names when there
		// are many matches, and sorts them when there are few.
		eachWay(w, []searchWay{{false, 0}, {false, 1000}, {true, 0}}, func(way searchWay) {
			for _, tt := range tests {
				t.Run(fmt.Sprintf("%s/trigram=%v/few=%d", tt.name, way.trgm, way.few), func(t *testing.T) {
					list, total, err := w.assets.FindLocations(t.Context(), tt.f)
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, m := range list {
						got = append(got, fmt.Sprintf("%s/%d", short[m.Asset.ID], m.Location))
					}
					if strings.Join(got, " ") != tt.want || total != tt.total {
						t.Errorf("got %q (total %d), want %q (total %d)", strings.Join(got, " "), total, tt.want, tt.total)
					}
				})
			}
		})
		_, _, err := w.assets.FindLocations(t.Context(), linkwork.AssetFilter{Sort: linkwork.SortDistance})
		wantField(t, err, "sort")
	})
}

// Migration 0007 gives the locations already there their
// service-at-location ids, which new writes then keep.
func TestMigrationFillsServiceAtLocationIDs(t *testing.T) {
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db := openAtVersion(t, dialect, "before_oruk_scale", 6)
			const asset = "00000000-0000-4000-8000-0000000000a1"
			locs := []string{"00000000-0000-4000-8000-0000000000b1", "00000000-0000-4000-8000-0000000000b2"}
			for _, q := range []string{
				`INSERT INTO organisations (id, name, kind, created_at, updated_at) VALUES ('00000000-0000-4000-8000-000000000001', 'Northfield Boxing Club', 'vcs', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`,
				`INSERT INTO assets (id, org_id, name, description, status, how_to_join, capacity, free, online, in_person, created_at, updated_at)
				 VALUES ('` + asset + `', '00000000-0000-4000-8000-000000000001', 'Youth Boxing', 'Pads and skipping', 'active', 'drop_in', 'accepting',
				 TRUE, FALSE, TRUE, '2026-01-01 00:00:00', '2026-01-02 00:00:00')`,
				`INSERT INTO asset_locations (id, asset_id, position, type, name, lat, lon) VALUES ('` + locs[0] + `', '` + asset + `', 0, 'physical', 'Hall', 53.82, -1.578),
				 ('` + locs[1] + `', '` + asset + `', 1, 'virtual', 'Zoom', 0, 0)`,
			} {
				if err := db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			s := sqlstore.NewAssetService(db)
			for i, l := range locs {
				list, total, err := s.FindLocations(ctx, linkwork.AssetFilter{ServiceAtLocationID: oruk.ServiceAtLocationID(asset, l)})
				if err != nil {
					t.Fatal(err)
				}
				if total != 2 || len(list) != 2 || list[i].Asset.Locations[list[i].Location].ID != l {
					t.Errorf("location %d: total %d, %d found", i, total, len(list))
				}
			}
		})
	}
}

// Paging through services at locations, page 1 to the last, returns each
// matching listing x location pair exactly once, in order of the listing's
// name and id and then the location's position, whatever the filter, the
// page size and the way the page is found (walking the index of the order,
// or finding the listings by the filter and sorting them). Renaming a
// listing, or changing its locations, moves its pairs.
func TestFindLocationsPages(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := w.as(w.coordinator)
		names := []string{"Art club", "art club", "Zumba", "Art club", "Ärt club", "Book club", "Walking group", "Art club"}
		for i := range 40 {
			a := newAsset(w.vcs, names[i%len(names)])
			if i%5 == 0 {
				a.Status = linkwork.AssetInactive
			}
			a.MinAge, a.MaxAge = []int{0, 5, 11, 16}[i%4], []int{0, 12, 17, 25, 99}[i%5]
			if a.MaxAge != 0 && a.MaxAge < a.MinAge {
				a.MaxAge = 0
			}
			a.Schedules[0].OpensAt, a.Schedules[0].ClosesAt = []string{"09:00", "17:00", "18:30"}[i%3], "21:00"
			a.Locations = nil
			for j := range 1 + i%3 {
				if (i+j)%4 == 3 {
					a.Locations = append(a.Locations, linkwork.Location{Type: linkwork.LocationVirtual, Name: fmt.Sprintf("Zoom %d", j), URL: "https://example.org/join"})
				} else {
					a.Locations = append(a.Locations, place(fmt.Sprintf("Hall %d", j), "S1 2HH", sheffieldS1))
				}
			}
			if err := w.assets.CreateAsset(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		filters := []struct {
			name string
			f    linkwork.AssetFilter
		}{
			{"everything", linkwork.AssetFilter{AnyStatus: true}},
			{"active", linkwork.AssetFilter{}},
			{"maximum age and start time", linkwork.AssetFilter{AnyStatus: true, MaxAgeAtMost: linkwork.Int(17), OpensFrom: "17:00"}},
			{"minimum age", linkwork.AssetFilter{AnyStatus: true, MinAgeAtLeast: linkwork.Int(11)}},
			{"online", linkwork.AssetFilter{Mode: linkwork.AttendOnline}},
			{"nothing", linkwork.AssetFilter{MaxAgeAtMost: linkwork.Int(1)}},
		}
		check := func(t *testing.T) {
			for _, tt := range filters {
				// The pairs in order, from the listings in order.
				f := tt.f
				f.Sort, f.Limit = linkwork.SortName, 1000
				list, _, err := w.assets.FindAssets(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, m := range list {
					for _, l := range m.Asset.Locations {
						want = append(want, m.Asset.Name+"/"+m.Asset.ID+"/"+l.ID)
					}
				}
				eachWay(w, []searchWay{{false, 0}, {false, 1000}}, func(way searchWay) {
					few := way.few
					for _, size := range []int{1, 3, 7, 50} {
						var got []string
						for page := 0; ; page++ {
							f := tt.f
							f.Sort, f.Offset, f.Limit = linkwork.SortName, page*size, size
							list, total, err := w.assets.FindLocations(ctx, f)
							if err != nil {
								t.Fatal(err)
							}
							if total != len(want) {
								t.Fatalf("%s, few=%d, pages of %d: total %d, want %d", tt.name, few, size, total, len(want))
							}
							for _, m := range list {
								got = append(got, m.Asset.Name+"/"+m.Asset.ID+"/"+m.Asset.Locations[m.Location].ID)
							}
							if len(list) < size {
								break
							}
						}
						if !slices.Equal(got, want) {
							t.Errorf("%s, few=%d, pages of %d:\ngot  %q\nwant %q", tt.name, few, size, got, want)
						}
					}
					// Past the end, the page is empty and the total right.
					f := tt.f
					f.Sort, f.Offset, f.Limit = linkwork.SortName, len(want)+3, 5
					locs, total, err := w.assets.FindLocations(ctx, f)
					if err != nil || len(locs) != 0 || total != len(want) {
						t.Errorf("%s, few=%d, past the end: %d locations of %d (%v), want none of %d", tt.name, few, len(locs), total, err, len(want))
					}
					assets, total, err := w.assets.FindAssets(ctx, f)
					if err != nil || len(assets) != 0 || total != len(list) {
						t.Errorf("%s, few=%d, past the end: %d listings of %d (%v), want none of %d", tt.name, few, len(assets), total, err, len(list))
					}
				})
			}
		}
		check(t)
		// Renamed, a listing's locations move with it; given new
		// locations, the new ones are in its place.
		list, _, err := w.assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		a := list[0].Asset
		a.Name = "Yoga"
		if err := w.assets.UpdateAsset(ctx, a); err != nil {
			t.Fatal(err)
		}
		a.Locations = append(a.Locations, place("Annexe", "S2 4HT", sheffieldS2))
		a.Locations[0] = place("New hall", "S2 4HT", sheffieldS2)
		if err := w.assets.UpdateAsset(ctx, a); err != nil {
			t.Fatal(err)
		}
		check(t)
	})
}

// openAtVersion opens a fresh, empty database on the engine migrated only
// to version, to test what a later migration does to the data an older
// linkwork left. On PostgreSQL the database is given a schema of its own
// (named schema), as the test template already holds the latest tables.
func openAtVersion(t *testing.T, dialect, schema string, version int) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	dsn := sqltest.DSN(t, dialect)
	if dialect == "postgres" {
		db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatal(err)
		}
		db.Close()
		u, _ := url.Parse(dsn)
		q := u.Query()
		q.Set("search_path", schema+",public")
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.MigrateTo(ctx, version); err != nil {
		t.Fatal(err)
	}
	return db
}
