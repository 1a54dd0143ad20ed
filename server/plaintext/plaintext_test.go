package plaintext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLineAndText(t *testing.T) {
	tests := []struct {
		in         string
		line, text bool
	}{
		{"Den Helder-Centrum", true, true},
		{"Fatima El Amrani \u200fفاطمة\u200e", true, true},
		{"cliënt • wondzorg ✓ 😀", true, true},
		{"", true, true},
		{"two\nlines", false, true},
		{"tab\there", false, true},
		{"crlf\r\n", false, true},
		{"nul\x00", false, false},
		{"bell\x07", false, false},
		{"del\x7f", false, false},
		{"c1\u0085", false, false},
		{"invoice\u202egpj.exe", false, true},
		{"isolate\u2066x\u2069", false, true},
		{"embed\u202ax\u202c", false, true},
		{"bad \xff utf8", false, false},
	}
	for _, tc := range tests {
		if got := Line(tc.in); got != tc.line {
			t.Errorf("Line(%q) = %v, want %v", tc.in, got, tc.line)
		}
		if got := Text(tc.in); got != tc.text {
			t.Errorf("Text(%q) = %v, want %v", tc.in, got, tc.text)
		}
	}
}

// FuzzLine: whatever Line accepts, Text accepts too, and it is valid UTF-8
// with no line break and no bidi override.
func FuzzLine(f *testing.F) {
	for _, s := range []string{"Zwaag", "a\u202eb", "x\ny", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !Line(s) {
			return
		}
		if !Text(s) || !utf8.ValidString(s) || strings.ContainsAny(s, "\n\r\t\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
			t.Fatalf("Line accepted %q", s)
		}
	})
}
