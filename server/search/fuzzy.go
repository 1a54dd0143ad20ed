package search

import (
	"strings"
	"unicode/utf8"
)

// Typo tolerance: a query that finds nothing is tried once more with each
// word that matches no term replaced by the nearest term of the index's
// dictionary ("insulne" → insulin, "decubitis" → decubitus): at most one
// edit away for words of 4–5 letters, two for longer ones (an edit is an
// insertion, deletion, substitution or swap of two neighbouring letters).
// Ties go to the more frequent term. Result.Corrected then names the words
// searched, so the caller can say "bedoelde je …" and highlight them. The
// scan of the dictionary runs only for queries that found nothing.

const (
	minFuzzy     = 4 // shorter words are not corrected
	longFuzzy    = 6 // from this length two edits are allowed
	maxFuzzyScan = 200000
)

// correct returns the query words with those that match nothing replaced
// by their nearest term, and whether any was replaced (mu not held).
func (ix *Index) correct(qs []qterm) ([]qterm, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]qterm, len(qs))
	changed := false
	for i, q := range qs {
		out[i] = q
		if len(ix.expand(nil, q)) > 0 {
			continue
		}
		if t, ok := ix.nearest(q); ok {
			out[i] = qterm{stem: t, folded: t}
			changed = true
		}
	}
	return out, changed
}

// nearest finds the live term closest to the word (mu held).
func (ix *Index) nearest(q qterm) (string, bool) {
	n := utf8.RuneCountInString(q.folded)
	if n < minFuzzy {
		return "", false
	}
	k := 1
	if n >= longFuzzy {
		k = 2
	}
	best, bestD, bestF := "", k+1, 0
	for tid, t := range ix.terms {
		if tid >= maxFuzzyScan {
			break
		}
		f := len(ix.postings[tid])
		if f == 0 || abs(len(t)-len(q.stem)) > k && abs(len(t)-len(q.folded)) > k {
			continue
		}
		d := min(editDistance(q.folded, t, k), editDistance(q.stem, t, k))
		if d > k {
			continue
		}
		if d < bestD || d == bestD && (f > bestF || f == bestF && t < best) {
			best, bestD, bestF = t, d, f
		}
	}
	return best, best != ""
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// editDistance is the optimal string alignment distance of a and b (runes),
// or k+1 once it must exceed k.
func editDistance(a, b string, k int) int {
	if a == b {
		return 0
	}
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > k {
		return k + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > k {
			return k + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], k+1)
}

// words joins the query words as searched.
func words(qs []qterm) string {
	var b strings.Builder
	for i, q := range qs {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(q.folded)
	}
	return b.String()
}
