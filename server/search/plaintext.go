package search

import (
	"strings"

	"github.com/plein/plein/server/plaintext"
)

// PlainText strips markdown syntax cheaply for indexing and snippets:
// headings, block quotes, list markers, emphasis and code marks, fences
// (their content stays), horizontal rules, table pipes and separator rows,
// link and image syntax ([text](url) → text, ![alt](url) → alt), reference
// definitions and HTML tags. It is not a markdown parser; the output is
// only ever used as text.
func PlainText(md string) string {
	var b strings.Builder
	b.Grow(len(md))
	fence := ""
	for line := range strings.Lines(md) {
		line = strings.TrimRight(line, "\r\n")
		trimmed := strings.TrimLeft(line, " \t")
		if f := fenceMarker(trimmed); f != "" {
			switch {
			case fence == "":
				fence = f
				continue
			case strings.HasPrefix(f, fence) && strings.TrimSpace(trimmed[len(f):]) == "":
				fence = ""
				continue
			}
		}
		if fence != "" {
			b.WriteString(line)
			b.WriteByte('\n')
			continue
		}
		if isRule(trimmed) || isTableSeparator(trimmed) || isReferenceDef(trimmed) {
			continue
		}
		trimmed = stripBlockMarkers(trimmed)
		inline(&b, trimmed)
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n")
}

// fenceMarker returns the ``` or ~~~ run opening a line, or "".
func fenceMarker(s string) string {
	if len(s) < 3 || (s[0] != '`' && s[0] != '~') {
		return ""
	}
	n := 0
	for n < len(s) && s[n] == s[0] {
		n++
	}
	if n < 3 {
		return ""
	}
	return s[:n]
}

// isRule: ---, ***, ___ (three or more, spaces allowed).
func isRule(s string) bool {
	if s == "" {
		return false
	}
	var c byte
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t':
		case '-', '*', '_':
			if c != 0 && s[i] != c {
				return false
			}
			c = s[i]
			n++
		default:
			return false
		}
	}
	return n >= 3
}

// isTableSeparator: | --- | :---: |
func isTableSeparator(s string) bool {
	if !strings.Contains(s, "-") || !strings.ContainsAny(s, "|") {
		return false
	}
	return strings.Trim(s, "|-: \t") == ""
}

// isReferenceDef: [label]: url
func isReferenceDef(s string) bool {
	if !strings.HasPrefix(s, "[") || strings.HasPrefix(s, "[^") {
		return false
	}
	i := strings.Index(s, "]:")
	return i > 1 && !strings.Contains(s[:i], "]")
}

// stripBlockMarkers removes block quote markers, a heading's #s and a list
// item's marker at the start of a line.
func stripBlockMarkers(s string) string {
	for {
		t := strings.TrimLeft(s, " \t")
		switch {
		case strings.HasPrefix(t, ">"):
			s = t[1:]
			continue
		case strings.HasPrefix(t, "#"):
			n := 0
			for n < len(t) && t[n] == '#' {
				n++
			}
			if n <= 6 && (n == len(t) || t[n] == ' ' || t[n] == '\t') {
				t = strings.TrimRight(strings.TrimLeft(t[n:], " \t"), " \t")
				// closing #s
				if u := strings.TrimRight(t, "#"); u != t && (u == "" || strings.HasSuffix(u, " ")) {
					t = strings.TrimRight(u, " ")
				}
				return t
			}
		case len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && (t[1] == ' ' || t[1] == '\t'):
			t = strings.TrimLeft(t[2:], " \t")
			// task list box
			if len(t) >= 3 && t[0] == '[' && t[2] == ']' && (t[1] == ' ' || t[1] == 'x' || t[1] == 'X') {
				t = strings.TrimLeft(t[3:], " \t")
			}
			return t
		default:
			n := 0
			for n < len(t) && n < 9 && '0' <= t[n] && t[n] <= '9' {
				n++
			}
			if n > 0 && n+1 < len(t) && (t[n] == '.' || t[n] == ')') && (t[n+1] == ' ' || t[n+1] == '\t') {
				return strings.TrimLeft(t[n+2:], " \t")
			}
		}
		return t
	}
}

// maxLinkBytes bounds the search for a closing bracket, so that a text of
// unmatched brackets stays linear.
const maxLinkBytes = 1024

// closing returns the index of the bracket closing the one at s[open],
// counting nesting, or -1.
func closing(s string, open int, o, c byte) int {
	depth := 0
	for i := open; i < len(s) && i-open < maxLinkBytes; i++ {
		switch s[i] {
		case '\\':
			i++
		case o:
			depth++
		case c:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// inline writes s without inline markdown syntax.
func inline(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '\\':
			if i+1 < len(s) && strings.IndexByte("\\`*_{}[]()#+-.!|<>~", s[i+1]) >= 0 {
				b.WriteByte(s[i+1])
				i += 2
				continue
			}
		case '*', '`':
			i++
			continue
		case '~':
			if i+1 < len(s) && s[i+1] == '~' {
				i += 2
				continue
			}
		case '_':
			if !(plaintext.WordBefore(s, i) && plaintext.WordAt(s, i+1)) {
				i++
				continue
			}
		case '|':
			b.WriteByte(' ')
			i++
			continue
		case '!', '[':
			if next, ok := inlineLink(b, s, i); ok {
				i = next
				continue
			}
		case '<':
			if next, ok := autolinkOrTag(b, s, i); ok {
				i = next
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
}

// inlineLink writes the text of a link or image starting at s[i] ('[' or
// "!["), without its target, and returns where it ends; ok is false when
// s[i] starts none.
func inlineLink(b *strings.Builder, s string, i int) (next int, ok bool) {
	at := i
	if s[i] == '!' {
		if i+1 >= len(s) || s[i+1] != '[' {
			return 0, false
		}
		at = i + 1
	}
	end := closing(s, at, '[', ']')
	if end < 0 {
		return 0, false
	}
	text := s[at+1 : end]
	next = end + 1
	switch {
	case next < len(s) && s[next] == '(':
		if e := closing(s, next, '(', ')'); e >= 0 {
			next = e + 1
		} else {
			next = end + 1
		}
	case next < len(s) && s[next] == '[':
		if e := closing(s, next, '[', ']'); e >= 0 {
			next = e + 1
		}
	}
	if !strings.HasPrefix(text, "^") { // not a footnote reference
		inline(b, text)
	}
	return next, true
}

// autolinkOrTag writes an autolink's address, or a space for an HTML tag,
// starting at s[i] ('<'), and returns where it ends; ok is false when s[i]
// starts neither.
func autolinkOrTag(b *strings.Builder, s string, i int) (next int, ok bool) {
	e := strings.IndexByte(s[i:min(len(s), i+maxLinkBytes)], '>')
	if e <= 0 {
		return 0, false
	}
	inner := s[i+1 : i+e]
	switch {
	case strings.Contains(inner, "://") || strings.HasPrefix(inner, "mailto:"):
		if !strings.ContainsAny(inner, " \t<") {
			b.WriteString(strings.TrimPrefix(inner, "mailto:"))
			return i + e + 1, true
		}
	case isTag(inner):
		b.WriteByte(' ')
		return i + e + 1, true
	}
	return 0, false
}

// isTag: "p", "/div", "br/", "span class=x", "!-- comment --".
func isTag(inner string) bool {
	inner = strings.TrimPrefix(inner, "/")
	if strings.HasPrefix(inner, "!--") {
		return true
	}
	if inner == "" || !('a' <= inner[0]|0x20 && inner[0]|0x20 <= 'z') {
		return false
	}
	for i := 1; i < len(inner); i++ {
		c := inner[i]
		if c == ' ' || c == '/' || c == '\t' {
			return true
		}
		if !('a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
