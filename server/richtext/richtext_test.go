package richtext

import (
	"regexp"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	r := New()
	cases := []struct{ in, want string }{
		{"# Titel", "<h2>Titel</h2>"},
		{"#### Diep", "<h4>Diep</h4>"},
		{"| a | b |\n|---|:-:|\n| 1 | 2 |", `<td style="text-align:center">2</td>`},
		{"1. een\n2. twee", "<ol>"},
		{"- [x] klaar", `<input checked="" disabled="" type="checkbox"`},
		{"[link](https://example.org)", `<a href="https://example.org" rel="nofollow noreferrer noopener" target="_blank">link</a>`},
		{"**vet** en *schuin*", "<strong>vet</strong> en <em>schuin</em>"},
		{"![alt tekst](https://tracker.example/x.png)", "<p>alt tekst</p>"},
	}
	for _, c := range cases {
		if got := r.HTML(c.in); !strings.Contains(got, c.want) {
			t.Errorf("HTML(%q) = %q, want it to contain %q", c.in, got, c.want)
		}
	}
}

// eventAttr finds an on…= attribute inside a tag.
var eventAttr = regexp.MustCompile(`<[^>]*\son[a-z]+\s*=`)

func TestXSSNeutralised(t *testing.T) {
	r := New()
	for _, in := range []string{
		"<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>",
		"[klik](javascript:alert(1))",
		"[klik](JaVaScRiPt:alert(1))",
		"[klik](data:text/html;base64,PHNjcmlwdD4=)",
		"<a href=\"javascript:alert(1)\">x</a>",
		"<iframe src=https://evil.example></iframe>",
		"<svg onload=alert(1)>",
		"| a |\n|---|\n| <b onmouseover=alert(1)>x</b> |",
		"<style>body{display:none}</style>",
		"[x](https://example.org \"t\" onclick=alert(1))",
		"```\n</code><script>alert(1)</script>\n```",
	} {
		out := strings.ToLower(r.HTML(in))
		if eventAttr.MatchString(out) {
			t.Errorf("HTML(%q) = %q has an event handler attribute", in, out)
		}
		for _, bad := range []string{"<script", "href=\"javascript:", "<iframe", "<svg", "<img", "<style", "href=\"data:"} {
			if strings.Contains(out, bad) {
				t.Errorf("HTML(%q) = %q contains %q", in, out, bad)
			}
		}
	}
}

func FuzzHTML(f *testing.F) {
	for _, s := range []string{"# a", "| a |\n|---|\n| b |", "<script>x</script>", "[a](javascript:x)", "- [ ] t", "> > > q"} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, s string) {
		out := strings.ToLower(r.HTML(s))
		if strings.Contains(out, "<script") || strings.Contains(out, "href=\"javascript:") || eventAttr.MatchString(out) || strings.Contains(out, "<img") {
			t.Fatalf("unsafe output for %q: %q", s, out)
		}
	})
}
