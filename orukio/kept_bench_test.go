package orukio_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/orukio"
)

// BenchmarkPublished measures what publishing an imported listing costs
// over linkwork's own mapping: the profile's full example service kept,
// the listing unchanged since, and with its name changed in linkwork, so
// that the merge goes field by field.
func BenchmarkPublished(b *testing.B) {
	example, err := os.ReadFile(filepath.Join("testdata", "oruk-examples", "service_full.json"))
	if err != nil {
		b.Fatal(err)
	}
	services, err := orukio.ReadServices(bytesReader(example))
	if err != nil {
		b.Fatal(err)
	}
	imp, err := orukio.FromService(services[0], linkwork.CategoryWellbeing)
	if err != nil {
		b.Fatal(err)
	}
	a := imp.Asset
	baseline := mustMarshal(b, orukio.Service(a, nil))
	same := &linkwork.ORUKDocument{AssetID: a.ID, Received: mustMarshal(b, services[0]), Baseline: baseline}
	renamed := *a
	renamed.Name = "Renamed in linkwork"
	b.Run("own", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			orukio.Service(a, nil)
		}
	})
	b.Run("kept unchanged", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			orukio.Published(a, nil, same)
		}
	})
	b.Run("kept renamed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			orukio.Published(&renamed, nil, same)
		}
	})
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

func mustMarshal(b *testing.B, x any) []byte {
	b.Helper()
	out, err := json.Marshal(x)
	if err != nil {
		b.Fatal(err)
	}
	return out
}
