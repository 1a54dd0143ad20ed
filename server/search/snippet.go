package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Snippet is a short plain-text excerpt with the byte ranges [start, end)
// of the matched words in Text. Callers render Text as text and wrap the
// ranges in <mark>; never as HTML.
type Snippet struct {
	Text  string   `json:"text"`
	Marks [][2]int `json:"marks"`
}

const (
	defaultSnippetRunes = 160
	minSnippetRunes     = 10
	// snippetScanBytes bounds how much of a long text is searched for the
	// best window.
	snippetScanBytes = 256 << 10
	ellipsis         = "…"
)

type span struct {
	start, end int // byte offsets into the text
	term       int // index of the query word it matched
}

// matches reports whether the folded text token t matches query word q
// as the index would: same stem, a prefix of the typed word, or a compound
// starting or ending with a word of 4+ letters.
func tokenMatches(folded []byte, stem string, q *qterm) bool {
	if stem == q.stem {
		return true
	}
	if n := utf8.RuneCountInString(q.stem); n >= minCompound && strings.HasSuffix(stem, q.stem) && utf8.RuneCountInString(stem)-n >= minHead {
		return true // a compound ending on the word
	}
	if q.prefix {
		if utf8.RuneCountInString(q.stem) >= minPrefix && strings.HasPrefix(stem, q.stem) {
			return true
		}
		if utf8.RuneCountInString(q.folded) >= minPrefix && strings.HasPrefix(string(folded), q.folded) {
			return true
		}
		return len(stem) < len(q.stem) && len(q.stem)-len(stem) <= 4*maxTypedOverhang &&
			slices.Contains(typedStems(q.stem), stem)
	}
	return utf8.RuneCountInString(q.stem) >= minCompound && strings.HasPrefix(stem, q.stem)
}

// findMatches returns the merged spans of tokens in text matching qs,
// sorted by start.
func findMatches(text string, qs []qterm) []span {
	if len(qs) == 0 {
		return nil
	}
	// A token can only match a word it starts like, unless it may be a
	// compound ending on the word.
	var firsts [256]bool
	for _, q := range qs {
		firsts[q.stem[0]] = true
		firsts[q.folded[0]] = true
		if utf8.RuneCountInString(q.stem) >= minCompound {
			firsts = [256]bool{}
			for i := range firsts {
				firsts[i] = true
			}
			break
		}
	}
	var spans []span
	sc := scannerPool.Get().(*scanner)
	sc.scan(text, func(folded []byte, start, end int, _ uint8) {
		if !firsts[folded[0]] {
			return
		}
		st := termOf(folded)
		if st == "" {
			return
		}
		for j := range qs {
			if tokenMatches(folded, st, &qs[j]) {
				spans = append(spans, span{start, end, j})
				return
			}
		}
	})
	scannerPool.Put(sc)
	slices.SortStableFunc(spans, func(a, b span) int { return a.start - b.start })
	// Merge overlaps (a joined word covers its parts).
	out := spans[:0]
	for _, s := range spans {
		if n := len(out); n > 0 && s.start < out[n-1].end {
			out[n-1].end = max(out[n-1].end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}

// MakeSnippet cuts a window of at most maxRunes runes (160 when ≤ 0, at
// least 10) from text around the part that matches the most distinct query
// words (the first such part), on word boundaries, with "…" where text was
// cut and whitespace collapsed, and returns it with the byte ranges of the
// matched words in it. Without a match the window is the start of the
// text. Query words match as in Search, the last one as a prefix.
func MakeSnippet(text, query string, maxRunes int) Snippet {
	if maxRunes <= 0 {
		maxRunes = defaultSnippetRunes
	}
	maxRunes = max(maxRunes, minSnippetRunes)
	scan := text
	if len(scan) > snippetScanBytes {
		cut := snippetScanBytes
		for cut > 0 && !utf8.RuneStart(scan[cut]) {
			cut--
		}
		scan = scan[:cut]
	}
	spans := findMatches(scan, analyzeQuery(query, true))
	anchor := bestAnchor(text, spans, maxRunes)
	start := snippetStart(text, spans, anchor, maxRunes)
	budget := maxRunes
	cutStart := start > 0 && strings.TrimFunc(text[:start], isBlank) != ""
	if cutStart {
		budget--
	}
	end := snippetEnd(text, spans, anchor, start, budget)
	cutEnd := strings.TrimFunc(text[end:], isBlank) != ""
	return copyWindow(text, spans, start, end, cutStart, cutEnd)
}

// bestAnchor is the span the snippet is built around (-1 for none).
func bestAnchor(text string, spans []span, maxRunes int) int {
	// Rune position of every span start, to compare distances.
	runePos := make([]int, len(spans))
	{
		pos, at := 0, 0
		for i, s := range spans {
			pos += utf8.RuneCountInString(text[at:s.start])
			at = s.start
			runePos[i] = pos
		}
	}
	anchor := -1
	if len(spans) > 0 {
		// Slide over the spans: the window starting at span i and reaching
		// two thirds of the snippet with the most distinct words wins.
		reach := max(maxRunes*2/3, 1)
		counts := make([]int, maxQueryTerms)
		distinct, best, r := 0, 0, 0
		for i := range spans {
			for r < len(spans) && runePos[r] < runePos[i]+reach {
				if counts[spans[r].term] == 0 {
					distinct++
				}
				counts[spans[r].term]++
				r++
			}
			if distinct > best {
				best, anchor = distinct, i
			}
			counts[spans[i].term]--
			if counts[spans[i].term] == 0 {
				distinct--
			}
		}
	}
	return anchor
}

// snippetStart is where the snippet starts: up to a fifth of the window
// before the anchor, at a word, past leading whitespace.
func snippetStart(text string, spans []span, anchor, maxRunes int) int {
	start := 0
	if anchor >= 0 {
		a := spans[anchor].start
		// Up to a fifth of the window as context before the match, starting
		// at a word.
		start = a
		for n := 0; n < maxRunes/5 && start > 0; n++ {
			_, sz := utf8.DecodeLastRuneInString(text[:start])
			start -= sz
		}
		for start < a {
			prev, _ := utf8.DecodeLastRuneInString(text[:start])
			if start == 0 || isBlank(prev) {
				break
			}
			_, sz := utf8.DecodeRuneInString(text[start:])
			start += sz
		}
	}
	// Skip leading whitespace.
	for start < len(text) {
		r, sz := utf8.DecodeRuneInString(text[start:])
		if !isBlank(r) {
			break
		}
		start += sz
	}
	return start
}

// snippetEnd is where the snippet ends: the budget in runes, back to the
// last space if mid-word, before trailing whitespace.
func snippetEnd(text string, spans []span, anchor, start, budget int) int {
	// End: the budget in runes, then back to the last space if mid-word.
	end, n := start, 0
	for end < len(text) && n < budget {
		_, sz := utf8.DecodeRuneInString(text[end:])
		end += sz
		n++
	}
	if end < len(text) {
		// Leave room for the trailing ellipsis.
		_, sz := utf8.DecodeLastRuneInString(text[:end])
		if end-sz > start {
			end -= sz
		}
		if r, _ := utf8.DecodeRuneInString(text[end:]); !isBlank(r) {
			minEnd := start
			if anchor >= 0 {
				minEnd = spans[anchor].end
			}
			// Back to the last space, unless that gives up more than half
			// the window (one very long word): then cut it.
			for e, n := end, 0; e > minEnd && n < budget/2; n++ {
				r, sz := utf8.DecodeLastRuneInString(text[:e])
				if isBlank(r) {
					end = e - sz
					break
				}
				e -= sz
			}
		}
	}
	for end > start {
		r, sz := utf8.DecodeLastRuneInString(text[:end])
		if !isBlank(r) {
			break
		}
		end -= sz
	}
	return end
}

// copyWindow copies text[start:end], collapsing whitespace and replacing
// invalid UTF-8, with ellipses where it was cut, and maps the spans' offsets.
func copyWindow(text string, spans []span, start, end int, cutStart, cutEnd bool) Snippet {
	var b strings.Builder
	b.Grow(end - start + 2*len(ellipsis))
	if cutStart {
		b.WriteString(ellipsis)
	}
	marks := [][2]int{}
	si := 0
	for si < len(spans) && spans[si].end <= start {
		si++
	}
	markStart := -1
	space, wrote := false, false
	for i := start; i < end; {
		r, sz := utf8.DecodeRuneInString(text[i:])
		if isBlank(r) {
			space = true
			i += sz
			continue
		}
		if space && wrote {
			b.WriteByte(' ')
		}
		space, wrote = false, true
		if markStart < 0 && si < len(spans) && i >= spans[si].start {
			markStart = b.Len()
		}
		b.WriteRune(r) // U+FFFD for invalid bytes
		i += sz
		if markStart >= 0 && (i >= spans[si].end || i >= end) {
			marks = append(marks, [2]int{markStart, b.Len()})
			markStart = -1
			si++
		}
	}
	if cutEnd {
		b.WriteString(ellipsis)
	}
	return Snippet{Text: b.String(), Marks: marks}
}

// isBlank: whitespace and control characters, shown as one space.
func isBlank(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }
