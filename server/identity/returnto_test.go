package identity_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/plein/plein/server/identity"
)

func TestSafeReturnTo(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// Local absolute paths are kept.
		{"/", "/"},
		{"/teams/x?y=1", "/teams/x?y=1"},
		{"/teams/x#notes", "/teams/x#notes"},
		{"/" + strings.Repeat("a", 511), "/" + strings.Repeat("a", 511)},
		// Everything else becomes the site root.
		{"", "/"},
		{"teams/x", "/"},
		{"https://x", "/"},
		{"http://evil.example/teams", "/"},
		{"//x", "/"},
		{"//evil.example/teams", "/"},
		{"/\\x", "/"},
		{"\\x", "/"},
		{"\\\\evil.example", "/"},
		{"/teams\\..\\x", "/"},
		{"/%0d%0aSet-Cookie", "/"},
		{"/teams/%0aX: y", "/"},
		{"/teams\r\nSet-Cookie: a=b", "/"},
		{"/teams\x00", "/"},
		{"/\t/evil.example", "/"},
		{"/teams\x7f", "/"},
		{"javascript:alert(1)", "/"},
		{"/" + strings.Repeat("a", 512), "/"},
	}
	for _, tc := range tests {
		if got := identity.SafeReturnTo(tc.in); got != tc.want {
			t.Errorf("SafeReturnTo(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzSafeReturnTo(f *testing.F) {
	for _, s := range []string{
		"/", "/teams/x?y=1", "", "https://x", "//x", "/\\x", "\\x", "/%0d%0aSet-Cookie",
		"javascript:alert(1)", "/a/../b", "/@evil.example", "/%2F%2Fevil.example", "/?next=//x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := identity.SafeReturnTo(in)
		if got == "/" {
			return
		}
		if got != in {
			t.Fatalf("SafeReturnTo(%q) = %q: neither the input nor /", in, got)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") {
			t.Fatalf("SafeReturnTo(%q) = %q is not a local path", in, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" {
			t.Fatalf("SafeReturnTo(%q) = %q parses to %#v, %v", in, got, u, err)
		}
	})
}
