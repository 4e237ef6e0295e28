package orukio_test

import (
	"bytes"
	"io"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/orukio"
)

// demoServices are the directory of the demo preset's city as ORUK
// services.
func demoServices(b *testing.B) []oruk.Service {
	b.Helper()
	cfg, err := demo.Preset("demo")
	if err != nil {
		b.Fatal(err)
	}
	cfg.Now = made
	sink := &demoSink{orgs: map[string]*linkwork.Organisation{}}
	if _, err := demo.Generate(cfg, sink); err != nil {
		b.Fatal(err)
	}
	var out []oruk.Service
	for _, a := range sink.assets {
		out = append(out, orukio.Service(a, sink.orgs[a.OrgID]))
	}
	return out
}

// BenchmarkWriteTabular writes the demo city's directory as a package,
// as the download does.
func BenchmarkWriteTabular(b *testing.B) {
	services := demoServices(b)
	for b.Loop() {
		if err := orukio.WriteTabular(io.Discard, orukio.Package{Services: services}, made); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(services)), "services")
}

// BenchmarkReadTabular reads the demo city's directory from a package,
// as an upload is read before it is imported.
func BenchmarkReadTabular(b *testing.B) {
	var z bytes.Buffer
	if err := orukio.WriteTabular(&z, orukio.Package{Services: demoServices(b)}, made); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := orukio.ReadTabularZip(bytes.NewReader(z.Bytes()), int64(z.Len())); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(z.Len()), "zip-bytes")
}
