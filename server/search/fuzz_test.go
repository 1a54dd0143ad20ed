package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// boundaries returns the offsets at which decoding s rune by rune stops
// (for invalid UTF-8 every bad byte is a rune of its own).
func boundaries(s string) map[int]bool {
	b := map[int]bool{len(s): true}
	for i := 0; i < len(s); {
		b[i] = true
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return b
}

func FuzzAnalyze(f *testing.F) {
	for _, seed := range []struct {
		text, query string
		n           int
	}{
		{"De cliënt heeft een wond.", "wonden client", 160},
		{"Zelf-sturende teams; auto's, cliënt's, zo'n COVID-19", "zelf-sturend covid", 20},
		{"clie\u0308nt ĳs Straße ﬁets ½ ŉ", "cliënt", 5},
		{"a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-a-b-c", "abc", 10},
		{"\xff\xfe wond \xc3", "wond", 1},
		{"# Kop\n\n[link](http://x) **vet** | tabel |\n```\ncode\n```", "kop", 0},
		{"   \t\n", "", -1},
		{strings.Repeat("verbandmiddel ", 40), "verb", 30},
	} {
		f.Add(seed.text, seed.query, seed.n)
	}
	f.Fuzz(func(t *testing.T, text, query string, n int) {
		n %= 1000
		bounds := boundaries(text)
		for _, tk := range Tokens(text) {
			if tk.Start < 0 || tk.End > len(text) || tk.Start >= tk.End {
				t.Fatalf("token %+v out of bounds (len %d)", tk, len(text))
			}
			if !bounds[tk.Start] || !bounds[tk.End] {
				t.Fatalf("token %+v not on rune boundaries of %q", tk, text)
			}
			if tk.Text == "" || !utf8.ValidString(tk.Text) {
				t.Fatalf("token text %q", tk.Text)
			}
			for _, r := range tk.Text {
				if !isWordStart(r) {
					t.Fatalf("token %q has non-word rune %q", tk.Text, r)
				}
			}
		}
		for _, term := range Terms(text) {
			if term == "" || len(term) > maxTermBytes {
				t.Fatalf("term %q", term)
			}
		}
		s := MakeSnippet(text, query, n)
		if !utf8.ValidString(s.Text) {
			t.Fatalf("snippet not valid UTF-8: %q", s.Text)
		}
		limit := n
		if limit <= 0 {
			limit = defaultSnippetRunes
		}
		if strings.HasPrefix(s.Text, " ") || strings.HasSuffix(s.Text, " ") || strings.Contains(s.Text, "  ") ||
			strings.ContainsFunc(s.Text, func(r rune) bool { return isBlank(r) && r != ' ' }) {
			t.Fatalf("snippet whitespace not collapsed: %q", s.Text)
		}
		limit = max(limit, minSnippetRunes)
		if c := utf8.RuneCountInString(s.Text); c > limit {
			t.Fatalf("snippet of %d runes for max %d: %q", c, limit, s.Text)
		}
		last := 0
		sb := boundaries(s.Text)
		for _, m := range s.Marks {
			if m[0] < last || m[0] >= m[1] || m[1] > len(s.Text) || !sb[m[0]] || !sb[m[1]] {
				t.Fatalf("mark %v in %q (marks %v)", m, s.Text, s.Marks)
			}
			last = m[1]
		}
		_ = PlainText(text)
		_ = Fold(text)
	})
}
