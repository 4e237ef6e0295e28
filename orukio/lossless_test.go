package orukio_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/orukio"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// keptStore is a store that keeps the documents feeds send.
func keptStore(db *sqlstore.DB) orukio.Store {
	st := csvStore(db)
	st.Docs = sqlstore.NewORUKDocumentService(db)
	return st
}

// profileField is a field of the UK profile's service, as its path from
// the service: "schedules[].dtstart", "organization.email".
type profileField struct {
	path   string
	schema map[string]any
}

// profileFields lists every field of the UK profile's service, nested
// objects and lists included, from the compiled schema
// (compiled/service.json, the profile's overlays applied to HSDS 3.0),
// and checks that it agrees with the overlays in profile/: a field an
// overlay removes is not in it, and the overlays' other fields are.
func profileFields(t *testing.T) (map[string]any, []profileField) {
	t.Helper()
	dir, err := oruk.FindSchemaDir()
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	readJSON(t, filepath.Join(dir, "compiled", "service.json"), &schema)
	var out []profileField
	names := map[string]bool{} // the last part of each path
	var walk func(o map[string]any, prefix string)
	walk = func(o map[string]any, prefix string) {
		props, _ := o["properties"].(map[string]any)
		for _, k := range sortedKeys(props) {
			p, _ := props[k].(map[string]any)
			out = append(out, profileField{prefix + k, p})
			names[k] = true
			switch p["type"] {
			case "object":
				walk(p, prefix+k+".")
			case "array":
				if it, ok := p["items"].(map[string]any); ok {
					walk(it, prefix+k+"[].")
				}
			}
		}
	}
	walk(schema, "")
	overlays, err := filepath.Glob(filepath.Join(dir, "..", "profile", "*.json"))
	if err != nil || len(overlays) == 0 {
		t.Fatalf("no profile overlays beside %s: %v", dir, err)
	}
	service := map[string]bool{}
	for _, f := range out {
		if !strings.Contains(f.path, ".") && !strings.Contains(f.path, "[]") {
			service[f.path] = true
		}
	}
	for _, f := range overlays {
		if filepath.Base(f) == "openapi.json" {
			continue
		}
		var ov struct {
			Properties map[string]any `json:"properties"`
		}
		readJSON(t, f, &ov)
		for k, v := range ov.Properties {
			if filepath.Base(f) == "service.json" && v == nil && service[k] {
				t.Errorf("the profile removes the service's %s, but the compiled schema has it", k)
			}
			if v != nil && !names[k] && reached(filepath.Base(f)) {
				t.Errorf("the profile's %s adds %s, which the compiled service does not reach", filepath.Base(f), k)
			}
		}
	}
	return schema, out
}

// reached says whether a service reaches the profile's object of this
// file: the others (metadata, programs, …) are not in the UK profile's
// service.
func reached(file string) bool {
	return slices.Contains([]string{"accessibility.json", "address.json", "attribute.json", "contact.json", "cost_option.json",
		"funding.json", "language.json", "location.json", "organization.json", "schedule.json", "service.json",
		"service_area.json", "service_at_location.json", "taxonomy_term.json"}, file)
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// fullService makes a service with every field of the profile given a
// value: the schema's example or first allowed value, a UUID of its own
// for each id, and a place linkwork can put on its map (a Leeds
// postcode and coordinates), so that both what linkwork models and what
// it does not are in it.
func fullService(schema map[string]any) any {
	overrides := map[string]any{
		"service_at_locations[].location.addresses[].postal_code":  "LS6 1AA",
		"service_at_locations[].location.addresses[].address_type": "physical",
		"service_at_locations[].location.latitude":                 json.Number("53.8186"),
		"service_at_locations[].location.longitude":                json.Number("-1.5639"),
		"minimum_age": json.Number("12"),
		"maximum_age": json.Number("100"),
	}
	// A service's organization_id names its organization.
	overrides["organization_id"] = oruk.DeriveID("every field", "organization.id")
	var value func(p map[string]any, path string) any
	value = func(p map[string]any, path string) any {
		if v, ok := overrides[path]; ok {
			return v
		}
		switch p["type"] {
		case "object":
			props, _ := p["properties"].(map[string]any)
			o := map[string]any{}
			for k, v := range props {
				prefix := path + "."
				if path == "" {
					prefix = ""
				}
				o[k] = value(v.(map[string]any), prefix+k)
			}
			return o
		case "array":
			it, _ := p["items"].(map[string]any)
			return []any{value(it, path+"[]")}
		}
		if p["format"] == "uuid" {
			return oruk.DeriveID("every field", path)
		}
		if e, ok := p["enum"].([]any); ok && len(e) > 0 {
			return e[0]
		}
		if p["type"] == "number" || p["type"] == "integer" {
			if x, ok := p["example"].(json.Number); ok {
				return x
			}
			return json.Number("2")
		}
		if x, ok := p["example"].(string); ok && x != "" {
			return x
		}
		switch {
		case p["format"] == "email":
			return "someone@example.org"
		case p["format"] == "uri":
			return "https://example.org/" + strings.NewReplacer("[]", "", ".", "/").Replace(path)
		}
		return "the " + path
	}
	return value(schema, "")
}

// at returns the values at a field's path in a decoded document: one per
// item of each list on the way.
func at(doc any, path string) []any {
	xs := []any{doc}
	for _, part := range strings.Split(path, ".") {
		list := strings.HasSuffix(part, "[]")
		part = strings.TrimSuffix(part, "[]")
		var next []any
		for _, x := range xs {
			m, ok := x.(map[string]any)
			if !ok {
				continue
			}
			v, ok := m[part]
			if !ok {
				continue
			}
			if list {
				l, _ := v.([]any)
				next = append(next, l...)
			} else {
				next = append(next, v)
			}
		}
		xs = next
	}
	return xs
}

// keeps says whether got holds what want does: the same values, a list
// perhaps with items linkwork adds after the feed's (its own categories
// beside the feed's taxonomy terms).
func keeps(got, want any) bool {
	switch w := want.(type) {
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) < len(w) {
			return false
		}
		for i := range w {
			if !keeps(g[i], w[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k := range w {
			if !keeps(g[k], w[k]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(got, want)
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// exported exports the store's services as a feed: an indented JSON list.
func exported(t *testing.T, st orukio.Store) []byte {
	t.Helper()
	services, err := orukio.Export(sysContext(t), st)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(services, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func importFeed(t *testing.T, st orukio.Store, feed []byte) orukio.Result {
	t.Helper()
	services, err := orukio.ReadServices(bytes.NewReader(feed))
	if err != nil {
		t.Fatal(err)
	}
	res, err := orukio.Import(sysContext(t), st, services, linkwork.CategoryWellbeing)
	if err != nil || len(res.Skipped) > 0 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	return res
}

// validateFeed checks each service of an exported feed against the
// profile's service schema.
func validateFeed(t *testing.T, feed []byte) {
	t.Helper()
	v, err := oruk.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	var list []json.RawMessage
	if err := json.Unmarshal(feed, &list); err != nil {
		t.Fatal(err)
	}
	for i, s := range list {
		if err := v.Validate(oruk.EndpointService, s); err != nil {
			t.Errorf("exported service %d: %v", i+1, err)
		}
	}
}

// Every field of the UK profile's service, found from the schemas, is
// published again after an import: a service with every field given a
// value is imported and exported, and each field's values are as the feed
// sent them. A field added to the schema is in the list, and fails here
// until it survives too.
func TestEveryProfileFieldSurvivesImportAndExport(t *testing.T) {
	schema, fields := profileFields(t)
	if len(fields) < 100 {
		t.Fatalf("only %d fields found in the schema", len(fields))
	}
	feed, err := json.Marshal(fullService(schema))
	if err != nil {
		t.Fatal(err)
	}
	v, err := oruk.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Validate(oruk.EndpointService, feed); err != nil {
		t.Fatalf("the service made from the schema is not valid: %v", err)
	}
	sent := decodeJSON(t, feed)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		service, _ := throughImport(t, db, feed)
		var lost []string
		for _, f := range fields {
			want := at(sent, f.path)
			if len(want) == 0 {
				t.Fatalf("the service made from the schema has no %s", f.path)
			}
			got := at(service, f.path)
			if len(got) < len(want) || !keeps(got[:len(want)], want) {
				lost = append(lost, fmt.Sprintf("%s: sent %v, exported %v", f.path, want, got))
			}
		}
		if len(lost) > 0 {
			t.Errorf("%d of %d fields were not exported as sent:\n%s", len(lost), len(fields), strings.Join(lost, "\n"))
		}
	})
}

// A feed exported, imported into another directory and exported again is
// the same feed, byte for byte: the profile's published examples, and a
// service with every field.
func TestExportImportExportIsTheSameFeed(t *testing.T) {
	schema, _ := profileFields(t)
	full, err := json.Marshal(fullService(schema))
	if err != nil {
		t.Fatal(err)
	}
	feeds := map[string][]byte{"every field": full}
	for _, name := range []string{"service_full.json", "organization_full.json", "service_at_location_full.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "oruk-examples", name))
		if err != nil {
			t.Fatal(err)
		}
		feeds[name] = b
	}
	for _, name := range sortedKeys(feeds) {
		t.Run(name, func(t *testing.T) {
			sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				first := keptStore(db)
				importFeed(t, first, feeds[name])
				one := exported(t, first)
				validateFeed(t, one)
				second := keptStore(sqltest.Open(t, db.Dialect(), sqlstore.Options{}))
				importFeed(t, second, one)
				two := exported(t, second)
				if !bytes.Equal(one, two) {
					t.Errorf("exported again, the feed differs:\n%s", lineDiff(string(one), string(two)))
				}
				// Importing the export over the first changes nothing.
				if res := importFeed(t, first, one); res.Unchanged != 1 {
					t.Errorf("the export imported over the directory it came from: %+v", res)
				}
			})
		})
	}
}

// lineDiff lists the lines that differ between a and b.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < max(len(al), len(bl)) && len(out) < 40; i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("%d: - %s\n%d: + %s", i+1, x, i+1, y))
		}
	}
	return strings.Join(out, "\n")
}

// What a curator changes in linkwork shows in the export, and the rest
// stays as the feed sent it: a new name, another category and a session's
// new opening time are published, with a new last_modified, while the
// fields linkwork does not model, the feed's ids and its own taxonomy
// terms are kept.
func TestALocalEditShowsWhileTheRestStays(t *testing.T) {
	schema, _ := profileFields(t)
	feed, err := json.Marshal(fullService(schema))
	if err != nil {
		t.Fatal(err)
	}
	sent := decodeJSON(t, feed)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := sysContext(t)
		st := keptStore(db)
		importFeed(t, st, feed)
		id := at(sent, "id")[0].(string)
		a, err := st.Assets.FindAssetByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Schedules) != 1 {
			t.Fatalf("imported with %d sessions", len(a.Schedules))
		}
		a.Name = "Counselling for young people"
		a.Categories = append(a.Categories, linkwork.CategoryCreative)
		a.Schedules[0].OpensAt = "09:30"
		if len(a.Locations) != 1 {
			t.Fatalf("imported with %d places", len(a.Locations))
		}
		a.Locations[0].Name = "Headingley Community Centre"
		if err := st.Assets.UpdateAsset(ctx, a); err != nil {
			t.Fatal(err)
		}
		out := exported(t, st)
		validateFeed(t, out)
		list, _ := decodeJSON(t, out).([]any)
		if len(list) != 1 {
			t.Fatalf("%d services exported", len(list))
		}
		got := list[0]
		one := func(doc any, path string) any {
			if xs := at(doc, path); len(xs) > 0 {
				return xs[0]
			}
			return nil
		}
		if n := one(got, "name"); n != "Counselling for young people" {
			t.Errorf("name %v: the curator's edit does not show", n)
		}
		if n := one(got, "service_at_locations[].location.name"); n != "Headingley Community Centre" {
			t.Errorf("the place's name %v: the curator's edit does not show", n)
		}
		if o := one(got, "schedules[].opens_at"); o != "09:30:00" {
			t.Errorf("opens_at %v: the curator's edit does not show", o)
		}
		if lm := one(got, "last_modified"); lm == one(sent, "last_modified") || lm == nil {
			t.Errorf("last_modified %v: still the feed's after an edit", lm)
		}
		creative, _ := oruk.CategoryTerm(string(linkwork.CategoryCreative))
		if !slices.Contains(at(got, "attributes[].taxonomy_term_id"), any(creative.ID)) {
			t.Errorf("the new category is not among the attributes %v", at(got, "attributes[].taxonomy_term_id"))
		}
		for _, path := range []string{
			"description", "fees", "accreditations", "alert", "assurer_email", "minimum_age",
			"funding[].id", "funding[].source", "languages[].id",
			"service_areas[].id", "service_areas[].extent", "service_areas[].uri",
			"service_at_locations[].id", "service_at_locations[].location.id", "service_at_locations[].location.description",
			"service_at_locations[].location.addresses[].id", "service_at_locations[].location.addresses[].region",
			"service_at_locations[].location.accessibility[].url", "service_at_locations[].location.external_identifier",
			"service_at_locations[].location.addresses[].attention", "service_at_locations[].location.attributes[].id",
			"cost_options[].id", "cost_options[].valid_from", "contacts[].id",
			"organization.id", "organization.description", "organization.email", "organization.organization_identifiers[].identifier",
			"attributes[].id", "attributes[].taxonomy_term.term_uri",
			// The session edited keeps the feed's id and what linkwork
			// does not hold of it.
			"schedules[].id", "schedules[].dtstart", "schedules[].interval", "schedules[].valid_from", "schedules[].notes", "schedules[].schedule_link",
		} {
			if w, g := at(sent, path), at(got, path); len(w) == 0 || len(g) < len(w) || !keeps(g[:len(w)], w) {
				t.Errorf("%s: sent %v, exported after the edit %v", path, w, g)
			}
		}
	})
}

// TestEditedSessionsKeepTheFeedsOwn: a feed's sessions, one of which
// linkwork cannot hold (no day given), are edited in linkwork; each
// session linkwork still holds keeps the feed's id and what linkwork does
// not hold of it, the one it cannot hold stays as sent, one removed is
// left out and one added comes after the feed's. (A session not edited is
// published as the feed wrote it: "10:00", not linkwork's "10:00:00".)
func TestEditedSessionsKeepTheFeedsOwn(t *testing.T) {
	schema, _ := profileFields(t)
	const (
		monday   = "11111111-1111-4111-8111-111111111111"
		byAppt   = "22222222-2222-4222-8222-222222222222"
		tuesdays = "33333333-3333-4333-8333-333333333333"
	)
	service := fullService(schema).(map[string]any)
	service["schedules"] = []any{
		map[string]any{"id": monday, "freq": "WEEKLY", "byday": "MO", "opens_at": "10:00", "closes_at": "12:00", "dtstart": "2026-01-05", "interval": json.Number("1")},
		map[string]any{"id": byAppt, "freq": "WEEKLY", "description": "By appointment", "dtstart": "2026-01-01"},
		map[string]any{"id": tuesdays, "freq": "MONTHLY", "byday": "1TU", "opens_at": "18:00", "closes_at": "19:30", "dtstart": "2026-02-03", "interval": json.Number("1")},
	}
	feed, err := json.Marshal(service)
	if err != nil {
		t.Fatal(err)
	}
	type session struct{ id, opens, dtstart string }
	for _, tc := range []struct {
		name string
		edit func(s []linkwork.Schedule) []linkwork.Schedule
		want []session
	}{
		{"an edited session keeps the feed's id and start", func(s []linkwork.Schedule) []linkwork.Schedule {
			s[1].OpensAt = "18:30"
			return s
		}, []session{{monday, "10:00", "2026-01-05"}, {byAppt, "", "2026-01-01"}, {tuesdays, "18:30:00", "2026-02-03"}}},
		{"a session removed is left out, the rest keep theirs", func(s []linkwork.Schedule) []linkwork.Schedule {
			return s[1:]
		}, []session{{byAppt, "", "2026-01-01"}, {tuesdays, "18:00", "2026-02-03"}}},
		{"a session added comes after the feed's", func(s []linkwork.Schedule) []linkwork.Schedule {
			return append(s, linkwork.Schedule{Freq: "WEEKLY", ByDay: "FR", OpensAt: "14:00", ClosesAt: "15:00"})
		}, []session{{monday, "10:00", "2026-01-05"}, {byAppt, "", "2026-01-01"}, {tuesdays, "18:00", "2026-02-03"}, {"", "14:00:00", ""}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				ctx := sysContext(t)
				st := keptStore(db)
				importFeed(t, st, feed)
				a, err := st.Assets.FindAssetByID(ctx, service["id"].(string))
				if err != nil {
					t.Fatal(err)
				}
				if len(a.Schedules) != 2 {
					t.Fatalf("imported with %d sessions, want the 2 linkwork can hold", len(a.Schedules))
				}
				a.Schedules = tc.edit(a.Schedules)
				if err := st.Assets.UpdateAsset(ctx, a); err != nil {
					t.Fatal(err)
				}
				out := exported(t, st)
				validateFeed(t, out)
				var got []struct {
					Schedules []struct {
						ID      string `json:"id"`
						OpensAt string `json:"opens_at"`
						DTStart string `json:"dtstart"`
					} `json:"schedules"`
				}
				if err := json.Unmarshal(out, &got); err != nil || len(got) != 1 {
					t.Fatalf("%d services: %v", len(got), err)
				}
				var sessions []session
				for _, s := range got[0].Schedules {
					sessions = append(sessions, session{s.ID, s.OpensAt, s.DTStart})
				}
				if len(sessions) == len(tc.want) && tc.want[len(tc.want)-1].id == "" {
					// The session added has an id of linkwork's making.
					sessions[len(sessions)-1].id = ""
				}
				if !slices.Equal(sessions, tc.want) {
					t.Errorf("published sessions %v, want %v", sessions, tc.want)
				}
			})
		})
	}
}

// TestHSDSFieldsAroundTheProfileSurvive: a feed may carry the HSDS 3.0
// fields the UK profile leaves out (its profile/*.json remove them): a
// service's phones and alternate_name, a location's transportation, an
// organization's legal_status, a session's until, a contact's email. Each
// is published again as it was sent, on a service, its organization,
// location, sessions, contacts and services at locations; lists of
// services carry none.
func TestHSDSFieldsAroundTheProfileSurvive(t *testing.T) {
	schema, _ := profileFields(t)
	dir, err := oruk.FindSchemaDir()
	if err != nil {
		t.Fatal(err)
	}
	service := fullService(schema).(map[string]any)
	first := func(list string) map[string]any { return service[list].([]any)[0].(map[string]any) }
	objects := map[string]map[string]any{
		"service.json":             service,
		"organization.json":        service["organization"].(map[string]any),
		"location.json":            first("service_at_locations")["location"].(map[string]any),
		"schedule.json":            first("schedules"),
		"contact.json":             first("contacts"),
		"service_at_location.json": first("service_at_locations"),
	}
	paths := map[string]string{"service.json": "", "organization.json": "organization.", "location.json": "service_at_locations[].location.",
		"schedule.json": "schedules[].", "contact.json": "contacts[].", "service_at_location.json": "service_at_locations[]."}
	var added []string
	for file, obj := range objects {
		var ov struct {
			Properties map[string]any `json:"properties"`
		}
		readJSON(t, filepath.Join(dir, "..", "profile", file), &ov)
		for name, v := range ov.Properties {
			if v != nil {
				continue // added or changed by the profile, not removed
			}
			switch name {
			case "phones", "contacts", "languages", "funding", "locations", "schedules", "attributes":
				obj[name] = []any{map[string]any{"id": oruk.DeriveID("around the profile", file, name), "description": "sent with the " + name}}
			default:
				obj[name] = "sent as " + name
			}
			added = append(added, paths[file]+name)
		}
	}
	if len(added) < 20 {
		t.Fatalf("only %d fields around the profile: %v", len(added), added)
	}
	feed, err := json.Marshal(service)
	if err != nil {
		t.Fatal(err)
	}
	sent := decodeJSON(t, feed)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		exportedService, out := throughImport(t, db, feed)
		var lost []string
		for _, path := range added {
			if want, got := at(sent, path), at(exportedService, path); len(want) == 0 || len(got) < len(want) || !keeps(got[:len(want)], want) {
				lost = append(lost, fmt.Sprintf("%s: sent %v, exported %v", path, want, got))
			}
		}
		if len(lost) > 0 {
			t.Errorf("%d of %d fields around the profile were not exported as sent:\n%s", len(lost), len(added), strings.Join(lost, "\n"))
		}
		item, err := json.Marshal(decodeService(t, out).ListItem())
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(item, []byte(`"alternate_name"`)) || bytes.Contains(item, []byte(`"phones"`)) {
			t.Errorf("a list's service carries fields around the profile: %s", item)
		}
	})
}

// decodeService reads the one service of an exported feed.
func decodeService(t *testing.T, feed []byte) oruk.Service {
	t.Helper()
	var list []oruk.Service
	if err := json.Unmarshal(feed, &list); err != nil || len(list) != 1 {
		t.Fatalf("%d services: %v", len(list), err)
	}
	return list[0]
}

// throughImport imports a feed of one service into db, keeping its
// document, and exports it again: the service exported, decoded, and the
// feed, which is checked against the profile.
func throughImport(t *testing.T, db *sqlstore.DB, feed []byte) (any, []byte) {
	t.Helper()
	st := keptStore(db)
	importFeed(t, st, feed)
	out := exported(t, st)
	validateFeed(t, out)
	list, _ := decodeJSON(t, out).([]any)
	if len(list) != 1 {
		t.Fatalf("%d services exported", len(list))
	}
	return list[0], out
}
