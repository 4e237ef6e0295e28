package linkwork_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// FuzzParseAuditAnchor: any file either reads as checkpoints that write
// back as lines reading as the same, or is an EINVALID error naming a
// line; nothing panics.
func FuzzParseAuditAnchor(f *testing.F) {
	good := linkwork.AuditCheckpoint{Seq: 42, Hash: strings.Repeat("ab", 32), At: time.Date(2026, 3, 10, 9, 30, 0, 123456000, time.UTC), MAC: strings.Repeat("0f", 32)}
	for _, s := range []string{good.Line(), good.Line() + "\n\n" + good.Line(), "", "{}", `{"seq":1}`, good.Line()[:40], "not json\n", `{"seq":-1,"hash":"","at":"x","mac":""}`,
		strings.Replace(good.Line(), `"seq":42`, `"seq":42,"extra":1`, 1), good.Line() + good.Line()[:len(good.Line())-1] + " {}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := linkwork.ParseAuditAnchor(strings.NewReader(s))
		if err != nil {
			fs := linkwork.ErrorFields(err)
			if linkwork.ErrorCode(err) != linkwork.EINVALID || len(fs) != 1 || !strings.HasPrefix(fs[0].Field, "line ") {
				t.Fatalf("%q: %v does not name a line", s, err)
			}
			return
		}
		var b strings.Builder
		for _, c := range cs {
			b.WriteString(c.Line())
		}
		again, err := linkwork.ParseAuditAnchor(strings.NewReader(b.String()))
		if err != nil || !reflect.DeepEqual(cs, again) {
			t.Fatalf("%q read as %+v, written as %q, read again as %+v (%v)", s, cs, b.String(), again, err)
		}
	})
}
