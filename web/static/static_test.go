package static_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/linkwork/linkwork/web/static"
)

const immutable = "public, max-age=31536000, immutable"

// required are the files the layout template relies on.
var required = []string{
	"govuk-frontend/govuk-frontend.min.css",
	"govuk-frontend/govuk-frontend.min.js",
	"linkwork.css",
	"linkwork.js",
}

func do(t *testing.T, method, target string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	static.Handler().ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func fileBytes(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("files/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func etagOf(t *testing.T, name string) string {
	t.Helper()
	res := do(t, http.MethodGet, static.Path(name), nil)
	et := res.Header.Get("ETag")
	if et == "" {
		t.Fatalf("%s: no ETag", name)
	}
	return et
}

func TestServe(t *testing.T) {
	css := static.Path("linkwork.css")
	cssETag := etagOf(t, "linkwork.css")
	wrongHash := "/static/linkwork.00000000.css"
	if wrongHash == css {
		wrongHash = "/static/linkwork.11111111.css"
	}
	// The hash of a different file, applied to this name.
	jsHash := strings.Split(path.Base(static.Path("linkwork.js")), ".")[1]
	otherHash := "/static/linkwork." + jsHash + ".css"
	cssHash := strings.Split(path.Base(css), ".")[1]
	upperHash := "/static/linkwork." + strings.ToUpper(cssHash) + ".css"
	if upperHash == css { // all digits: nothing to upper-case
		upperHash = wrongHash
	}

	tests := []struct {
		name        string
		method      string
		target      string
		header      map[string]string
		status      int
		contentType string
		cache       string
		file        string // expected body, when status is 200
	}{
		{"hashed css", "GET", css, nil, 200, "text/css; charset=utf-8", immutable, "linkwork.css"},
		{"hashed js", "GET", static.Path("linkwork.js"), nil, 200, "text/javascript; charset=utf-8", immutable, "linkwork.js"},
		{"hashed nested css", "GET", static.Path("govuk-frontend/govuk-frontend.min.css"), nil, 200, "text/css; charset=utf-8", immutable, "govuk-frontend/govuk-frontend.min.css"},
		{"hashed nested js", "GET", static.Path("govuk-frontend/govuk-frontend.min.js"), nil, 200, "text/javascript; charset=utf-8", immutable, "govuk-frontend/govuk-frontend.min.js"},
		{"plain css", "GET", "/static/linkwork.css", nil, 200, "text/css; charset=utf-8", "no-cache", "linkwork.css"},
		{"plain nested js", "GET", "/static/govuk-frontend/govuk-frontend.min.js", nil, 200, "text/javascript; charset=utf-8", "no-cache", "govuk-frontend/govuk-frontend.min.js"},
		{"HEAD hashed", "HEAD", css, nil, 200, "text/css; charset=utf-8", immutable, ""},
		{"HEAD plain", "HEAD", "/static/linkwork.js", nil, 200, "text/javascript; charset=utf-8", "no-cache", ""},

		{"if-none-match hashed", "GET", css, map[string]string{"If-None-Match": cssETag}, 304, "", immutable, ""},
		{"if-none-match plain", "GET", "/static/linkwork.css", map[string]string{"If-None-Match": cssETag}, 304, "", "no-cache", ""},
		{"if-none-match weak", "GET", css, map[string]string{"If-None-Match": "W/" + cssETag}, 304, "", immutable, ""},
		{"if-none-match list", "GET", css, map[string]string{"If-None-Match": `"nope", ` + cssETag}, 304, "", immutable, ""},
		{"if-none-match star", "GET", css, map[string]string{"If-None-Match": "*"}, 304, "", immutable, ""},
		{"if-none-match HEAD", "HEAD", css, map[string]string{"If-None-Match": cssETag}, 304, "", immutable, ""},
		{"if-none-match stale", "GET", css, map[string]string{"If-None-Match": `"0000000000000000"`}, 200, "text/css; charset=utf-8", immutable, "linkwork.css"},

		{"wrong hash", "GET", wrongHash, nil, 404, "", "", ""},
		{"another file's hash", "GET", otherHash, nil, 404, "", "", ""},
		{"upper-case hash", "GET", upperHash, nil, 404, "", "", ""},
		{"short hash", "GET", "/static/linkwork." + jsHash[:7] + ".css", nil, 404, "", "", ""},
		{"hash without ext", "GET", strings.TrimSuffix(css, ".css"), nil, 404, "", "", ""},

		{"unknown", "GET", "/static/nope.css", nil, 404, "", "", ""},
		{"unknown hashed", "GET", "/static/nope.3f2a9c1b.css", nil, 404, "", "", ""},
		{"prefix only", "GET", "/static/", nil, 404, "", "", ""},
		{"prefix without slash", "GET", "/static", nil, 404, "", "", ""},
		{"directory", "GET", "/static/govuk-frontend/", nil, 404, "", "", ""},
		{"directory no slash", "GET", "/static/govuk-frontend", nil, 404, "", "", ""},
		{"embed root", "GET", "/static/files/linkwork.css", nil, 404, "", "", ""},
		{"trailing slash", "GET", "/static/linkwork.css/", nil, 404, "", "", ""},
		{"htmx is not vendored", "GET", "/static/htmx/htmx.min.js", nil, 404, "", "", ""},
		{"licence txt not served", "GET", "/static/govuk-frontend/LICENSE.txt", nil, 404, "", "", ""},
		{"outside prefix", "GET", "/linkwork.css", nil, 404, "", "", ""},
		{"other prefix", "GET", "/assets/linkwork.css", nil, 404, "", "", ""},

		{"traversal up", "GET", "/static/../static.go", nil, 404, "", "", ""},
		{"traversal up twice", "GET", "/static/../../go.mod", nil, 404, "", "", ""},
		{"traversal inside", "GET", "/static/govuk-frontend/../linkwork.css", nil, 404, "", "", ""},
		{"traversal encoded", "GET", "/static/%2e%2e/static.go", nil, 404, "", "", ""},
		{"traversal encoded slash", "GET", "/static/..%2fstatic.go", nil, 404, "", "", ""},
		{"traversal backslash", "GET", `/static/..\static.go`, nil, 404, "", "", ""},
		{"dot segment", "GET", "/static/./linkwork.css", nil, 404, "", "", ""},
		{"double slash", "GET", "/static//linkwork.css", nil, 404, "", "", ""},
		{"nul byte", "GET", "/static/linkwork.css%00", nil, 404, "", "", ""},

		{"POST", "POST", css, nil, 405, "", "", ""},
		{"PUT", "PUT", "/static/linkwork.css", nil, 405, "", "", ""},
		{"DELETE", "DELETE", css, nil, 405, "", "", ""},
		{"OPTIONS", "OPTIONS", css, nil, 405, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := do(t, tc.method, tc.target, tc.header)
			got := body(t, res)
			if res.StatusCode != tc.status {
				t.Fatalf("%s %s: status %d, want %d", tc.method, tc.target, res.StatusCode, tc.status)
			}
			if v := res.Header.Get("X-Content-Type-Options"); v != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", v)
			}
			if tc.status == 405 {
				if a := res.Header.Get("Allow"); a != "GET, HEAD" {
					t.Errorf("Allow = %q", a)
				}
			}
			if tc.status != 200 && tc.status != 304 {
				if cc := res.Header.Get("Cache-Control"); cc != "" {
					t.Errorf("error response has Cache-Control %q", cc)
				}
				return
			}
			if cc := res.Header.Get("Cache-Control"); cc != tc.cache {
				t.Errorf("Cache-Control = %q, want %q", cc, tc.cache)
			}
			if res.Header.Get("ETag") == "" {
				t.Error("no ETag")
			}
			if tc.status == 304 {
				if got != "" {
					t.Errorf("304 with a body of %d bytes", len(got))
				}
				return
			}
			if ct := res.Header.Get("Content-Type"); ct != tc.contentType {
				t.Errorf("Content-Type = %q, want %q", ct, tc.contentType)
			}
			if tc.method == "HEAD" {
				if got != "" {
					t.Errorf("HEAD with a body of %d bytes", len(got))
				}
				return
			}
			if want := fileBytes(t, tc.file); got != want {
				t.Errorf("body is %d bytes, want the %d bytes of %s", len(got), len(want), tc.file)
			}
		})
	}
}

func TestPath(t *testing.T) {
	hashRE := regexp.MustCompile(`^[0-9a-f]{8}$`)
	for _, name := range static.Files() {
		t.Run(name, func(t *testing.T) {
			sum := sha256.Sum256([]byte(fileBytes(t, name)))
			hash := hex.EncodeToString(sum[:])[:8]
			ext := path.Ext(name)
			want := "/static/" + strings.TrimSuffix(name, ext) + "." + hash + ext
			got := static.Path(name)
			if got != want {
				t.Fatalf("Path(%q) = %q, want %q", name, got, want)
			}
			if !hashRE.MatchString(hash) {
				t.Fatalf("bad hash %q", hash)
			}
			// Both forms of every listed file are served.
			for _, target := range []string{got, "/static/" + name} {
				if res := do(t, "GET", target, nil); res.StatusCode != 200 {
					t.Errorf("GET %s: %d", target, res.StatusCode)
				}
			}
		})
	}
	if got := static.Path("govuk-frontend/govuk-frontend.min.css"); !regexp.MustCompile(
		`^/static/govuk-frontend/govuk-frontend\.min\.[0-9a-f]{8}\.css$`).MatchString(got) {
		t.Errorf("nested Path = %q", got)
	}
}

func TestPathPanicsOnUnknownName(t *testing.T) {
	for _, name := range []string{
		"",
		"nope.css",
		"/linkwork.css",
		"static/linkwork.css",
		"files/linkwork.css",
		"htmx/htmx.min.js", // no page uses htmx: it is not shipped
		"govuk-frontend/LICENSE.txt",
		"govuk-frontend",
		strings.TrimPrefix(static.Path("linkwork.css"), "/static/"), // already hashed
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Path(%q) did not panic", name)
				}
			}()
			_ = static.Path(name)
		})
	}
}

func TestFiles(t *testing.T) {
	files := static.Files()
	for _, name := range required {
		if !slices.Contains(files, name) {
			t.Errorf("Files() lacks %s", name)
		}
	}
	if !slices.IsSorted(files) {
		t.Errorf("Files() is not sorted: %v", files)
	}
	files[0] = "changed"
	if static.Files()[0] == "changed" {
		t.Error("Files() returns its internal slice")
	}
}

// TestUnbranded guards the decisions recorded in README.md: no GDS Transport,
// no @font-face, no crest, and no font files.
func TestUnbranded(t *testing.T) {
	for _, name := range static.Files() {
		switch path.Ext(name) {
		case ".woff", ".woff2", ".ttf", ".otf", ".eot":
			t.Errorf("font file %s is vendored", name)
		case ".css":
			css := fileBytes(t, name)
			for _, bad := range []string{"@font-face", "GDS Transport", "govuk-crest", "url(/assets/"} {
				if strings.Contains(css, bad) {
					t.Errorf("%s contains %q", name, bad)
				}
			}
		}
	}
	css := fileBytes(t, "govuk-frontend/govuk-frontend.min.css")
	if !strings.Contains(css, "font-family:system-ui,") {
		t.Error("govuk-frontend.min.css does not use the system font stack")
	}
	if !strings.Contains(css, `--govuk-frontend-version:"6.6.0"`) {
		t.Error("govuk-frontend.min.css is not version 6.6.0")
	}
}

// TestSize keeps the vendored assets small.
func TestSize(t *testing.T) {
	const limit = 400 << 10
	total := 0
	for _, name := range static.Files() {
		total += len(fileBytes(t, name))
	}
	if total > limit {
		t.Errorf("served files total %d bytes, over %d", total, limit)
	}
}

var (
	urlRE     = regexp.MustCompile(`url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)`)
	importRE  = regexp.MustCompile(`@import\s+(?:"([^"]*)"|'([^']*)')`)
	commentRE = regexp.MustCompile(`(?s)/\*.*?\*/`)
)

// cssRefs returns the URLs a stylesheet refers to with url(...) or @import,
// skipping data: URIs and same-document fragments.
func cssRefs(css string) []string {
	css = commentRE.ReplaceAllString(css, "")
	var refs []string
	for _, re := range []*regexp.Regexp{urlRE, importRE} {
		for _, m := range re.FindAllStringSubmatch(css, -1) {
			ref := strings.Join(m[1:], "")
			if ref == "" || strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") {
				continue
			}
			refs = append(refs, ref)
		}
	}
	return refs
}

// resolve resolves ref against the URL path base, as a browser would, and
// returns the path part, or "" if ref leaves this origin.
func resolve(t *testing.T, base, ref string) string {
	t.Helper()
	b, err := url.Parse("https://linkwork.test" + base)
	if err != nil {
		t.Fatal(err)
	}
	r, err := url.Parse(ref)
	if err != nil {
		t.Fatalf("bad reference %q: %v", ref, err)
	}
	u := b.ResolveReference(r)
	if u.Host != "linkwork.test" {
		return ""
	}
	return u.EscapedPath()
}

func TestCSSRefParser(t *testing.T) {
	css := `/* url(commented.png) */ a{background:url(../assets/images/a.png)} b{src:url("/static/x.woff2") format("woff2"),url( 'y.woff' )}
c{background:url(data:image/png;base64,AAAA)} d{mask:url(#m)} @import "z.css";`
	want := []string{"../assets/images/a.png", "/static/x.woff2", "y.woff", "z.css"}
	if got := cssRefs(css); !slices.Equal(got, want) {
		t.Errorf("cssRefs = %q, want %q", got, want)
	}
	base := "/static/govuk-frontend/govuk-frontend.min.3f2a9c1b.css"
	for ref, want := range map[string]string{
		"assets/images/a.png":    "/static/govuk-frontend/assets/images/a.png",
		"../linkwork.css":        "/static/linkwork.css",
		"/static/x.woff2?v=1#ab": "/static/x.woff2",
		"https://example.org/a":  "",
	} {
		if got := resolve(t, base, ref); got != want {
			t.Errorf("resolve(%q) = %q, want %q", ref, got, want)
		}
	}
}

// TestCSSReferencesResolve fetches every stylesheet at its hashed URL, as the
// layout links it, and checks that each url(...) in it resolves to a file the
// handler serves.
func TestCSSReferencesResolve(t *testing.T) {
	for _, name := range static.Files() {
		if path.Ext(name) != ".css" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			base := static.Path(name)
			css := body(t, do(t, "GET", base, nil))
			refs := cssRefs(css)
			t.Logf("%s: %d references", name, len(refs))
			for _, ref := range refs {
				p := resolve(t, base, ref)
				if p == "" {
					t.Errorf("%s refers off-site to %q", name, ref)
					continue
				}
				if res := do(t, "GET", p, nil); res.StatusCode != 200 {
					t.Errorf("%s: url(%s) resolves to %s, which is %d", name, ref, p, res.StatusCode)
				}
			}
		})
	}
}

var jsImportRE = regexp.MustCompile(`(?m)^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]`)

// TestJSModuleImportsResolve checks that linkwork.js's imports resolve, from
// both its hashed and its plain URL, to served JavaScript that exports what
// it imports.
func TestJSModuleImportsResolve(t *testing.T) {
	js := fileBytes(t, "linkwork.js")
	matches := jsImportRE.FindAllStringSubmatch(js, -1)
	if len(matches) == 0 {
		t.Fatal("linkwork.js imports nothing; expected govuk-frontend")
	}
	for _, m := range matches {
		spec := m[1] + m[2]
		if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
			t.Errorf("import %q is not relative (bare specifiers need an import map, which our CSP forbids inline)", spec)
			continue
		}
		for _, base := range []string{static.Path("linkwork.js"), "/static/linkwork.js"} {
			p := resolve(t, base, spec)
			res := do(t, "GET", p, nil)
			got := body(t, res)
			if res.StatusCode != 200 {
				t.Errorf("import %q from %s resolves to %s, which is %d", spec, base, p, res.StatusCode)
				continue
			}
			if ct := res.Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
				t.Errorf("%s served as %q", p, ct)
			}
			if strings.Contains(m[0], "initAll") && !regexp.MustCompile(`export\{[^}]*\binitAll\b`).MatchString(got) {
				t.Errorf("%s does not export initAll", p)
			}
		}
	}
}
