// Package plaintext is the one place that says what user-typed plain text
// may contain: Line for names, titles and other one-line values, Text for
// descriptions, notes and bodies. Markdown rendering and sanitising live in
// server/richtext and server/richtext/short; this validates input and says where a
// word or number begins and ends (WordBefore, WordAt).
package plaintext

import (
	"unicode"
	"unicode/utf8"
)

// Line reports whether s may be a name, title or other one-line value:
// valid UTF-8, no control characters (so no newline or tab either), and no
// bidirectional embedding, override or isolate characters (U+202A–U+202E,
// U+2066–U+2069), which would let a name reorder the text shown after it
// ("Trojan Source"-style spoofing in lists, mentions and notifications).
// Left-to-right and right-to-left marks (U+200E, U+200F) are allowed: mixed
// Arabic and Dutch names need them and they reorder nothing around them.
func Line(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || isBidiControl(r) {
			return false
		}
	}
	return true
}

// Text reports whether s may be multi-line text: valid UTF-8 and no control
// characters other than newline, carriage return and tab.
func Text(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
	}
	return true
}

func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// WordBefore reports whether the rune that ends s[:i] is a letter or digit:
// a match starting at i is inside a word or number, not at its start.
func WordBefore(s string, i int) bool {
	if i <= 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// WordAt reports whether the rune at s[i:] is a letter or digit: a match
// ending at i runs on into a word or number.
func WordAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
