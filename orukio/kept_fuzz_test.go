package orukio_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/orukio"
)

// Published reads kept documents back from the store, which hold what a
// feed sent: whatever they hold, it publishes a service under the
// listing's id, with the listing's name when the name was changed in
// linkwork, and never fails.
func FuzzPublished(f *testing.F) {
	example, err := os.ReadFile(filepath.Join("testdata", "oruk-examples", "service_full.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example, []byte(`{"name":"Community Counselling"}`))
	f.Add(example, example)
	f.Add([]byte(`{"id":1,"name":{"x":[]},"attributes":"no"}`), []byte(`{"attributes":[1,{"taxonomy_term":7}]}`))
	f.Add([]byte(`[]`), []byte(`null`))
	f.Add([]byte(`{"organization":{"name":"A"}}`), []byte(`{"organization":"B"}`))
	f.Fuzz(func(t *testing.T, received, baseline []byte) {
		a := &linkwork.Asset{
			ID: "ac148810-d857-441c-9679-408f346de14b", Name: "Renamed in linkwork", Status: linkwork.AssetActive,
			Categories: []linkwork.Category{linkwork.CategoryWellbeing}, HowToJoin: linkwork.JoinSelfRefer,
			ServiceAreas: []string{"LS6"},
		}
		s := orukio.Published(a, nil, &linkwork.ORUKDocument{AssetID: a.ID, Received: received, Baseline: baseline})
		if s.ID != a.ID {
			t.Fatalf("published under id %q", s.ID)
		}
		var b map[string]any
		if json.Unmarshal(baseline, &b) == nil && b != nil && b["name"] != a.Name && s.Name != a.Name {
			t.Fatalf("the name changed in linkwork is published as %q", s.Name)
		}
		if _, err := json.Marshal(s); err != nil {
			t.Fatal(err)
		}
		// Unchanged since the import: the same, whatever was received.
		own, err := json.Marshal(orukio.Service(a, nil))
		if err != nil {
			t.Fatal(err)
		}
		quick := orukio.Published(a, nil, &linkwork.ORUKDocument{AssetID: a.ID, Received: received, Baseline: own})
		if quick.ID != a.ID {
			t.Fatalf("unchanged, published under id %q", quick.ID)
		}
		// A baseline the same but for a space takes the way field by
		// field, which must come to the same.
		slow := orukio.Published(a, nil, &linkwork.ORUKDocument{AssetID: a.ID, Received: received, Baseline: append(own, ' ')})
		if !reflect.DeepEqual(quick, slow) && json.Valid(received) && bytes.HasPrefix(bytes.TrimSpace(received), []byte("{")) {
			q, _ := json.Marshal(quick)
			w, _ := json.Marshal(slow)
			t.Fatalf("unchanged, published\n%s\nfield by field\n%s", q, w)
		}
	})
}
