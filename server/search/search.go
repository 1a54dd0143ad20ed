package search

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Query is one search.
type Query struct {
	Text string
	// Prefix treats the last word as a prefix (search-as-you-type) unless
	// the text ends after it: "verb" finds "verbandmiddel".
	Prefix bool
	// Facets must all match exactly; an empty value is no filter.
	Facets map[string]string
	// Allow, when set, is asked about every matching document before the
	// top hits are chosen; Total counts allowed documents only. It is called
	// without the index's lock held.
	Allow func(id string) bool
	// Limit defaults to 20, at most 100.
	Limit  int
	Offset int
}

// Hit is one found document.
type Hit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

// Result is a page of hits; Total is the number of matching allowed
// documents.
type Result struct {
	Hits  []Hit `json:"hits"`
	Total int   `json:"total"`
	// Corrected is set when the text as typed found nothing and words close
	// to it did (fuzzy.go): the words searched instead, as index terms.
	Corrected string `json:"corrected,omitempty"`
}

const (
	defaultLimit = 20
	maxLimit     = 100
	// maxQueryBytes: longer query text is cut (callers should refuse it).
	maxQueryBytes = 1024
	// maxExpansions caps the dictionary terms one query word expands to
	// (the most frequent are kept).
	maxExpansions = 200
	// maxPrefixScan bounds the dictionary walk for one prefix.
	maxPrefixScan = 20000
	// prefixFactor scales a term the typed (last) word is a prefix of;
	// compoundFactor scales a term a complete word of 4+ letters is a
	// prefix of ("wond" → "wondzorg"). Exact terms count fully.
	prefixFactor   = 0.7
	compoundFactor = 0.4
	// minPrefix and minCompound are the shortest words that expand.
	minPrefix   = 2
	minCompound = 4
	// minHead is the shortest first part of a compound found by its last
	// part.
	minHead = 3
)

type expansion struct {
	tid    uint32
	factor float32
}

type candidate struct {
	id    string
	score float32
	time  int64
}

// scratch holds per-search buffers, sized by the number of ordinals.
type scratch struct {
	termScore []float32
	total     []float32
	mask      []uint8
	first     []uint32
	touched   []uint32
	exps      []expansion
	cands     []candidate
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func (s *scratch) size(n int) {
	if cap(s.total) < n {
		n2 := n + n/4
		s.termScore = make([]float32, n2)
		s.total = make([]float32, n2)
		s.mask = make([]uint8, n2)
	}
}

// Search finds the documents that contain every query word (exactly, by
// stem, or as a prefix of a longer term), ranks them by BM25 over the
// weighted fields and returns one page. Empty text lists the documents
// matching the facets, newest first. Text with no searchable words (only
// stop words or punctuation) finds nothing.
func (ix *Index) Search(q Query) Result {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	offset := max(q.Offset, 0)
	var facets []facet
	for k, v := range q.Facets {
		if v != "" {
			facets = append(facets, facet{k, v})
		}
	}

	text := q.Text
	if len(text) > maxQueryBytes {
		cut := maxQueryBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}

	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.cands = sc.cands[:0] // in case a panicking Allow left some behind
	corrected := ""
	if strings.TrimSpace(text) == "" {
		ix.browse(sc, facets)
	} else {
		qs := analyzeQuery(text, q.Prefix)
		if len(qs) == 0 {
			return Result{Hits: []Hit{}}
		}
		ix.match(sc, qs, phraseKey(tokenize(text, nil)), facets)
		if len(sc.cands) == 0 {
			if fixed, ok := ix.correct(qs); ok {
				ix.match(sc, fixed, 0, facets)
				if len(sc.cands) > 0 {
					corrected = words(fixed)
				}
			}
		}
	}

	cands := sc.cands
	if q.Allow != nil {
		n := 0
		for _, c := range cands {
			if q.Allow(c.id) {
				cands[n] = c
				n++
			}
		}
		cands = cands[:n]
	}
	if len(cands) == 0 {
		// Never name words from documents the caller may not see.
		corrected = ""
	}
	res := Result{Total: len(cands), Hits: []Hit{}, Corrected: corrected}
	if offset < len(cands) {
		top := topK(cands, offset+limit)
		for _, c := range top[offset:] {
			res.Hits = append(res.Hits, Hit{ID: c.id, Score: float64(c.score)})
		}
	}
	clear(sc.cands) // drop id references before pooling
	sc.cands = sc.cands[:0]
	return res
}

func facetsMatch(doc []facet, want []facet) bool {
	for _, w := range want {
		ok := false
		for _, f := range doc {
			if f.key == w.key {
				ok = f.value == w.value
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// browse collects every live document matching the facets, score 0.
func (ix *Index) browse(sc *scratch, facets []facet) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for i := range ix.docs {
		d := &ix.docs[i]
		if d.alive && facetsMatch(d.facets, facets) {
			sc.cands = append(sc.cands, candidate{id: d.id, time: d.time})
		}
	}
}

// expand returns the dictionary terms query word q matches, with their
// score factors.
func (ix *Index) expand(exps []expansion, q qterm) []expansion {
	if tid, ok := ix.dict[q.stem]; ok && len(ix.postings[tid]) > 0 {
		exps = append(exps, expansion{tid, 1})
	}
	prefixes, np, factor := queryPrefixes(q)
	pstart := len(exps)
	// The prefix ranges are disjoint, so no term is added twice.
	for _, p := range prefixes[:np] {
		exps = ix.prefixExpansions(exps, q, p, factor)
	}
	if utf8.RuneCountInString(q.stem) >= minCompound {
		exps = ix.compoundExpansions(exps, q)
	}
	if q.prefix {
		// A word being typed may already be past its stem: "mogelijkh" on
		// the way to "mogelijkheden" (stem "mogelijk").
		for _, t := range typedStems(q.stem) {
			tid, ok := ix.dict[t]
			if ok && !slices.ContainsFunc(exps[pstart:], func(e expansion) bool { return e.tid == tid }) {
				exps = ix.addExpansion(exps, q, tid, factor)
			}
		}
	}
	if pe := exps[pstart:]; len(pe) > maxExpansions {
		// Keep the most frequent expansions.
		slices.SortFunc(pe, func(a, b expansion) int {
			return len(ix.postings[b.tid]) - len(ix.postings[a.tid])
		})
		exps = exps[:pstart+maxExpansions]
	}
	return exps
}

// queryPrefixes are the prefixes a query word expands to (at most two,
// disjoint ranges) and the factor their terms score with: a word being typed
// expands by its stem and folded form, a whole word by its stem as the start
// of a compound.
func queryPrefixes(q qterm) (prefixes [2]string, n int, factor float32) {
	if q.prefix {
		if utf8.RuneCountInString(q.stem) >= minPrefix {
			prefixes[n] = q.stem
			n++
		}
		// The folded word too, when its range is not the stem's: the two
		// ranges are then disjoint, or the folded one replaces the stem's.
		if !strings.HasPrefix(q.folded, q.stem) && utf8.RuneCountInString(q.folded) >= minPrefix {
			if strings.HasPrefix(q.stem, q.folded) {
				n = 0
			}
			prefixes[n] = q.folded
			n++
		}
		return prefixes, n, prefixFactor
	}
	if utf8.RuneCountInString(q.stem) >= minCompound {
		prefixes[n] = q.stem
		n++
	}
	return prefixes, n, compoundFactor
}

// addExpansion adds a term that has postings and is not the word's own stem.
func (ix *Index) addExpansion(exps []expansion, q qterm, tid uint32, factor float32) []expansion {
	if len(ix.postings[tid]) > 0 && ix.terms[tid] != q.stem {
		exps = append(exps, expansion{tid, factor})
	}
	return exps
}

// prefixExpansions adds the terms that start with p (at most maxPrefixScan
// of the sorted ones, and every one not yet sorted).
func (ix *Index) prefixExpansions(exps []expansion, q qterm, p string, factor float32) []expansion {
	ix.startingWith(ix.sorted, ix.terms, p, func(tid uint32) { exps = ix.addExpansion(exps, q, tid, factor) })
	return exps
}

// compoundExpansions adds the Dutch compounds that end on the word: "zorg"
// finds "wondzorg", "overdracht" finds "medicatieoverdracht". The rest must
// be a word's worth (minHead letters), so "eten" does not find "weten".
// Terms that also start with the stem came in as prefixes.
func (ix *Index) compoundExpansions(exps []expansion, q qterm) []expansion {
	n := utf8.RuneCountInString(q.stem)
	ix.startingWith(ix.rsorted, ix.rterms, reverse(q.stem), func(tid uint32) {
		t := ix.terms[tid]
		if !strings.HasPrefix(t, q.stem) && utf8.RuneCountInString(t)-n >= minHead && len(ix.postings[tid]) > 0 {
			exps = append(exps, expansion{tid, compoundFactor})
		}
	})
	return exps
}

// startingWith calls f for each term whose key (keys[tid]: the term, or
// the term reversed) starts with p: at most maxPrefixScan of those in
// sorted (the term ids in the order of their keys), then every one not
// sorted yet.
func (ix *Index) startingWith(sorted []uint32, keys []string, p string, f func(tid uint32)) {
	i, _ := slices.BinarySearchFunc(sorted, p, func(tid uint32, p string) int {
		return strings.Compare(keys[tid], p)
	})
	for n := 0; i < len(sorted) && n < maxPrefixScan; i, n = i+1, n+1 {
		if !strings.HasPrefix(keys[sorted[i]], p) {
			break
		}
		f(sorted[i])
	}
	for _, tid := range ix.unsorted {
		if strings.HasPrefix(keys[tid], p) {
			f(tid)
		}
	}
}

// match scores the documents containing every query word into sc.cands.
func (ix *Index) match(sc *scratch, qs []qterm, titleKey uint64, facets []facet) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	plans := ix.plan(sc, qs)
	if plans == nil {
		return
	}
	n := len(ix.docs)
	sc.size(n)
	termScore, total, mask := sc.termScore, sc.total, sc.mask
	bm := ix.bm25()
	first := sc.first[:0]
	touched := sc.touched[:0]
	for i, pl := range plans {
		step := uint8(i)
		for _, e := range pl.exps {
			touched = ix.scoreExpansion(&bm, e, step, mask, termScore, touched)
		}
		for _, d := range touched {
			total[d] += termScore[d]
			termScore[d] = 0
			mask[d] = step + 1
		}
		if i == 0 {
			first = append(first, touched...)
		}
		if i < len(plans)-1 {
			touched = touched[:0]
		}
	}
	// touched now holds the documents that matched every word.
	for _, d := range touched {
		doc := &ix.docs[d]
		if !doc.alive || !facetsMatch(doc.facets, facets) {
			continue
		}
		s := total[d]
		if titleKey != 0 && doc.titleKey == titleKey {
			s *= titleBonus
		}
		sc.cands = append(sc.cands, candidate{id: doc.id, score: s, time: doc.time})
	}
	for _, d := range first {
		total[d] = 0
		mask[d] = 0
	}
	sc.first, sc.touched = first[:0], touched[:0]
}

// qplan is one query word's expansions and how many postings they have.
type qplan struct {
	exps   []expansion
	volume int
}

// plan expands every query word, rarest first (later words only visit its
// documents); nil when a word matches no term, which means no hits.
func (ix *Index) plan(sc *scratch, qs []qterm) []qplan {
	plans := make([]qplan, len(qs))
	sc.exps = sc.exps[:0]
	bounds := make([]int, len(qs)+1)
	for i, q := range qs {
		sc.exps = ix.expand(sc.exps, q)
		bounds[i+1] = len(sc.exps)
		if bounds[i+1] == bounds[i] {
			return nil
		}
	}
	for i := range qs {
		plans[i].exps = sc.exps[bounds[i]:bounds[i+1]]
		for _, e := range plans[i].exps {
			plans[i].volume += len(ix.postings[e.tid])
		}
	}
	slices.SortStableFunc(plans, func(a, b qplan) int { return a.volume - b.volume })
	return plans
}

// bm25Params are BM25F's per-field length normalisation for this index.
type bm25Params struct {
	n            float64 // documents, live or not
	normA, normB [numFields]float32
}

func (ix *Index) bm25() bm25Params {
	p := bm25Params{n: float64(len(ix.docs))}
	for f := range numFields {
		live := uint64(len(ix.byID))
		avg := float32(1)
		if live > 0 && ix.lenSum[f] > 0 {
			avg = float32(float64(ix.lenSum[f]) / float64(live))
		}
		p.normA[f] = k1 * (1 - fieldB[f])
		p.normB[f] = k1 * fieldB[f] / avg
	}
	return p
}

// scoreExpansion scores one expansion's postings among the documents that
// matched every earlier word (mask == step), keeping each document's best
// expansion of this word in termScore, and returns touched with the
// documents newly scored.
func (ix *Index) scoreExpansion(bm *bm25Params, e expansion, step uint8, mask []uint8, termScore []float32, touched []uint32) []uint32 {
	postings := ix.postings[e.tid]
	df := float64(len(postings))
	idf := float32(math.Log(1+(bm.n-df+0.5)/(df+0.5))) * e.factor
	var w [numFields]float32
	for f := range numFields {
		w[f] = fieldWeight[f] * idf * (k1 + 1)
	}
	flen := ix.flen
	for _, p := range postings {
		d := p.doc
		if mask[d] != step {
			continue
		}
		fl := &flen[d]
		var s float32
		for f := range numFields {
			if tf := float32(p.tf[f]); tf != 0 {
				s += w[f] * tf / (tf + bm.normA[f] + bm.normB[f]*float32(fl[f]))
			}
		}
		if s <= 0 {
			s = math.SmallestNonzeroFloat32 // keep 0 meaning "not touched"
		}
		old := termScore[d]
		if old == 0 {
			touched = append(touched, d)
		}
		if s > old {
			termScore[d] = s
		}
	}
	return touched
}

// better orders hits: score, then newer, then ID.
func better(a, b *candidate) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if a.time != b.time {
		return a.time > b.time
	}
	return a.id < b.id
}

func cmpCand(a, b candidate) int {
	if better(&a, &b) {
		return -1
	}
	if better(&b, &a) {
		return 1
	}
	return 0
}

// topK returns the best k candidates in order, reordering cands.
func topK(cands []candidate, k int) []candidate {
	if k >= len(cands) || k*8 >= len(cands) {
		slices.SortFunc(cands, cmpCand)
		return cands[:min(k, len(cands))]
	}
	// Min-heap (worst on top) of the best k in cands[:k].
	h := cands[:k]
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= k {
				return
			}
			w := l
			if r := l + 1; r < k && better(&h[l], &h[r]) {
				w = r
			}
			if !better(&h[i], &h[w]) {
				return
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
	for i := k/2 - 1; i >= 0; i-- {
		down(i)
	}
	for j := k; j < len(cands); j++ {
		if better(&cands[j], &h[0]) {
			h[0], cands[j] = cands[j], h[0]
			down(0)
		}
	}
	slices.SortFunc(h, cmpCand)
	return h
}

// maxTypedOverhang is how many letters a word being typed may run past a
// stem it will end on.
const maxTypedOverhang = 3

// typedStems returns the prefixes of a word being typed that may be the
// stem of the word it will become: shorter by 1 to maxTypedOverhang
// letters, at least minCompound letters long.
func typedStems(stem string) []string {
	var out []string
	n := len(stem)
	for cut := 1; cut <= maxTypedOverhang; cut++ {
		i := n - cut
		for i > 0 && !utf8.RuneStart(stem[i]) {
			i--
		}
		if i <= 0 || utf8.RuneCountInString(stem[:i]) < minCompound {
			break
		}
		if len(out) == 0 || out[len(out)-1] != stem[:i] {
			out = append(out, stem[:i])
		}
	}
	return out
}
