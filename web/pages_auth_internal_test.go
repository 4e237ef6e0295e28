package web

import (
	"net/url"
	"strings"
	"testing"
)

func TestSignInGoesOnlyToPagesOnThisSite(t *testing.T) {
	for _, tt := range []struct {
		name, next, want string
	}{
		{"a page on this site", "/referrals", "/referrals"},
		{"a page with a query", "/referrals?mine=true&status=accepted", "/referrals?mine=true&status=accepted"},
		{"an escaped query is kept as it was", "/directory?q=caf%C3%A9+club", "/directory?q=caf%C3%A9+club"},
		{"a trailing slash is kept", "/oruk/", "/oruk/"},
		{"an escaped slash inside a segment is kept", "/directory/a%2Fb", "/directory/a%2Fb"},
		{"dot segments are cleaned", "/directory/../referrals/./new", "/referrals/new"},
		{"a fragment is dropped", "/cases#contacts", "/cases"},
		{"nothing goes home", "", "/"},
		{"another site goes home", "https://evil.example/", "/"},
		{"a scheme-relative address goes home", "//evil.example", "/"},
		{"a relative path goes home", "evil.example", "/"},
		{"a javascript address goes home", "javascript:alert(1)", "/"},
		{"a TAB between the slashes goes home", "/\t/evil.example", "/"},
		{"a TAB escaped in the path goes home", "/%09/evil.example", "/"},
		{"CR and LF go home", "/\r\n/evil.example", "/"},
		{"a NUL goes home", "/\x00/evil.example", "/"},
		{"a backslash after the slash goes home", "/\\evil.example", "/"},
		{"a backslash anywhere goes home", "/referrals\\..\\..\\evil", "/"},
		{"an escaped backslash goes home", "/%5Cevil.example", "/"},
		{"an escaped backslash after a slash goes home", "/%5C%5Cevil.example", "/"},
		{"escaped slashes at the start go home", "/%2F%2Fevil.example", "/"},
		{"one escaped slash at the start goes home", "/%2Fevil.example", "/"},
		{"an @ after the slash is only a path", "/@evil.example", "/@evil.example"},
		{"dots that climb to a second slash are cleaned", "/a/..//evil.example", "/evil.example"},
		{"a bad escape goes home", "/%zz", "/"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := safeNext(tt.next); got != tt.want {
				t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
			}
		})
	}
}

// FuzzSafeNext checks that wherever a sign-in link says to go, a browser
// following the answer stays on this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/referrals?mine=true", "/\t/evil.example", "/%09/evil.example", "/\\evil", "/%5Cevil", "/%2F%2Fevil",
		"//evil", "https://evil.example", "/a/..//b", "/oruk/", "/x%2Fy", "/ /evil", "/\u00a0/evil"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://linkwork.example/login")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || hasUnsafeURLChar(got) {
			t.Fatalf("safeNext(%q) = %q", next, got)
		}
		// What a browser does with a Location: drop TAB, CR and LF, read
		// backslashes as slashes, resolve against the page.
		loc := strings.NewReplacer("\t", "", "\r", "", "\n", "", "\\", "/").Replace(got)
		u, err := url.Parse(loc)
		if err != nil {
			t.Fatalf("safeNext(%q) = %q, which does not parse: %v", next, got, err)
		}
		if to := base.ResolveReference(u); to.Host != base.Host || to.Scheme != base.Scheme {
			t.Fatalf("safeNext(%q) = %q leads to %s", next, got, to)
		}
		if again := safeNext(got); again != got {
			t.Fatalf("safeNext is not stable: %q -> %q -> %q", next, got, again)
		}
	})
}
