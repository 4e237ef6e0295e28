// Package static embeds and serves LinkWork's front-end assets: the vendored
// GOV.UK Frontend (built unbranded), plus the app's own linkwork.css
// and linkwork.js. See README.md for versions, licences and how to re-vendor.
//
// Every file is served under Prefix twice: at a content-hashed URL returned by
// Path, cached for a year as immutable, and at its plain name with no-cache,
// for references that cannot carry a hash (a relative import in a JS module,
// a url() in a stylesheet). Mount the handler without stripping the prefix:
//
//	mux.Handle(static.Prefix, static.Handler())
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
)

// Prefix is the URL path under which Handler serves files.
const Prefix = "/static/"

//go:embed files
var embedded embed.FS

// contentTypes lists the extensions that are served, and their types. Files
// with other extensions (the LICENSE files) are embedded but not served.
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".jpg":   "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".woff2": "font/woff2",
	".woff":  "font/woff",
}

const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
	hashLen         = 8 // hex characters of SHA-256 in a hashed name
)

type file struct {
	name        string // plain name relative to files/, e.g. "linkwork.css"
	hashed      string // e.g. "linkwork.3f2a9c1b.css"
	etag        string // quoted strong ETag
	contentType string
	data        []byte
}

var (
	byName   = map[string]*file{} // plain name -> file
	byHashed = map[string]*file{} // hashed name -> file
	names    []string             // sorted plain names
)

func init() {
	err := fs.WalkDir(embedded, "files", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ct, ok := contentTypes[path.Ext(p)]
		if !ok {
			return nil
		}
		data, err := embedded.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		hexsum := hex.EncodeToString(sum[:])
		name := strings.TrimPrefix(p, "files/")
		f := &file{
			name:        name,
			hashed:      hashedName(name, hexsum[:hashLen]),
			etag:        `"` + hexsum[:16] + `"`,
			contentType: ct,
			data:        data,
		}
		byName[name] = f
		byHashed[f.hashed] = f
		names = append(names, name)
		return nil
	})
	if err != nil {
		panic("static: reading embedded files: " + err.Error())
	}
	for h := range byHashed {
		if _, clash := byName[h]; clash {
			panic("static: hashed name " + h + " is also a plain file name")
		}
	}
	slices.Sort(names)
}

// hashedName inserts hash before the final extension of name's last element:
// "a/b.min.css" -> "a/b.min.HASH.css".
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// Path returns the content-hashed URL path of the named file, for example
// "/static/linkwork.3f2a9c1b.css" for "linkwork.css". The name is relative to
// the files directory, as listed by Files. Path panics if there is no such
// servable file: that is a programming error, and a template calling Path with
// a bad name fails to execute.
func Path(name string) string {
	f, ok := byName[name]
	if !ok {
		panic("static: no such file: " + name)
	}
	return Prefix + f.hashed
}

// Files returns the plain names of all servable files, sorted.
func Files() []string {
	return slices.Clone(names)
}

// Handler serves GET and HEAD requests for Prefix + a name from Files (with
// Cache-Control: no-cache) or Prefix + its hashed form from Path (cached for a
// year, immutable). Anything else under the prefix is 404; other methods are
// 405. Responses carry an ETag and honour If-None-Match.
func Handler() http.Handler {
	return http.HandlerFunc(serve)
}

func serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	f, cache := lookup(r.URL.Path)
	if f == nil {
		http.NotFound(w, r)
		return
	}
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", cache)
	h.Set("ETag", f.etag)
	// ServeContent answers If-None-Match with 304, HEAD without a body, and
	// Range requests. A zero modtime sends no Last-Modified.
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(f.data))
}

// lookup resolves a request path to a file and the Cache-Control to send.
func lookup(urlPath string) (*file, string) {
	name, ok := strings.CutPrefix(urlPath, Prefix)
	if !ok || name == "" || strings.Contains(name, "..") || strings.Contains(name, "//") ||
		strings.ContainsAny(name, "\\\x00") || strings.HasSuffix(name, "/") {
		return nil, ""
	}
	if f, ok := byName[name]; ok {
		return f, cacheRevalidate
	}
	if f, ok := byHashed[name]; ok {
		return f, cacheImmutable
	}
	return nil, ""
}
