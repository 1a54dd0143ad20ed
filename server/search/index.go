package search

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// Field is a searchable part of a document.
type Field int

// The fields, in order of weight.
const (
	Title Field = iota
	Tags
	Body
	numFields
)

var (
	// fieldWeight multiplies a field's BM25 score.
	fieldWeight = [numFields]float32{Title: 5, Tags: 3, Body: 1}
	// fieldB is BM25's length normalisation per field.
	fieldB = [numFields]float32{Title: 0.5, Tags: 0.5, Body: 0.75}
)

const (
	k1 = 1.2
	// titleBonus multiplies the score of a document whose whole title is
	// the query (same analysed words in the same order).
	titleBonus = 1.5
)

// Document is what a domain puts in its index.
type Document struct {
	ID    string
	Title string
	Tags  []string
	// Body is plain text; PlainText strips markdown.
	Body string
	// Facets are exact-match filters, e.g. {"category": "wondzorg"}.
	Facets map[string]string
	// Time breaks ties (newer first) and orders browsing; zero is oldest.
	Time time.Time
}

// posting is one document's occurrence of a term: its ordinal and term
// frequency per field (saturated at 255).
type posting struct {
	doc uint32
	tf  [numFields]uint8
}

type facet struct{ key, value string }

type docInfo struct {
	id       string
	time     int64
	titleKey uint64
	facets   []facet // sorted by key
	alive    bool
}

// Index is an in-memory inverted index, safe for concurrent use.
//
// Documents get increasing ordinals, so posting lists stay sorted by
// appending. Replacing or deleting a document only marks its ordinal dead
// (O(1)); its postings stay, counted in document frequencies as Lucene
// counts deleted documents until a merge, until dead ordinals are a quarter
// of all, when everything is renumbered and rewritten in one pass. That
// pass builds new structures while searches go on and swaps them in.
//
// Locking: wmu serialises writers (Put, Delete, compaction); mu guards the
// structures against readers, held exclusively only while a writer changes
// them. A writer may therefore read the structures holding wmu alone.
type Index struct {
	wmu      sync.Mutex
	mu       sync.RWMutex
	docs     []docInfo
	flen     [][numFields]uint32 // field lengths in terms, by ordinal
	byID     map[string]uint32
	dead     int
	lenSum   [numFields]uint64 // over live documents
	dict     map[string]uint32
	terms    []string
	postings [][]posting
	sorted   []uint32 // term ids sorted by term, for prefix lookups
	rterms   []string // each term reversed, by term id
	rsorted  []uint32 // term ids sorted by reversed term, for suffix lookups
	unsorted []uint32 // term ids added since sorted and rsorted were last merged
	slot     []int32  // Put scratch: term id → index in the doc's postings + 1
	local    []posting
	touched  []uint32
	intern   map[string]string
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{
		byID:   map[string]uint32{},
		dict:   map[string]uint32{},
		intern: map[string]string{},
	}
}

// Len returns the number of documents.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.byID)
}

// analysed is a document's analysis, done before taking the write lock.
type analysed struct {
	terms    [numFields][]string
	titleKey uint64
}

var analysedPool = sync.Pool{New: func() any { return new(analysed) }}

func analyse(d *Document) *analysed {
	a := analysedPool.Get().(*analysed)
	a.titleKey = phraseKey(tokenize(d.Title, nil))
	a.terms[Title] = appendTerms(a.terms[Title][:0], d.Title)
	a.terms[Tags] = a.terms[Tags][:0]
	for _, tag := range d.Tags {
		a.terms[Tags] = appendTerms(a.terms[Tags], tag)
	}
	a.terms[Body] = appendTerms(a.terms[Body][:0], d.Body)
	return a
}

func (a *analysed) release() {
	for f := range a.terms {
		if cap(a.terms[f]) > 1<<16 {
			a.terms[f] = nil // do not keep a huge document's buffer
		}
		clear(a.terms[f])
	}
	analysedPool.Put(a)
}

// Put inserts d, or replaces the document with the same ID. A document
// without ID is ignored.
func (ix *Index) Put(d Document) {
	if d.ID == "" {
		return
	}
	a := analyse(&d)
	defer a.release()
	var t int64
	if !d.Time.IsZero() {
		t = d.Time.UnixNano()
	}

	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	ix.mu.Lock()
	if old, ok := ix.byID[d.ID]; ok {
		ix.kill(old)
	}
	ord := uint32(len(ix.docs))
	info := docInfo{id: strings.Clone(d.ID), time: t, titleKey: a.titleKey, alive: true}
	for k, v := range d.Facets {
		if v != "" {
			info.facets = append(info.facets, facet{ix.internStr(k), ix.internStr(v)})
		}
	}
	slices.SortFunc(info.facets, func(x, y facet) int { return strings.Compare(x.key, y.key) })

	local, touched := ix.local[:0], ix.touched[:0]
	var lens [numFields]uint32
	for f := range numFields {
		lens[f] = uint32(len(a.terms[f]))
		for _, term := range a.terms[f] {
			tid := ix.termID(term)
			s := ix.slot[tid]
			if s == 0 {
				local = append(local, posting{doc: ord})
				touched = append(touched, tid)
				s = int32(len(local))
				ix.slot[tid] = s
			}
			if p := &local[s-1]; p.tf[f] < 255 {
				p.tf[f]++
			}
		}
	}
	for i, tid := range touched {
		ix.postings[tid] = append(ix.postings[tid], local[i])
		ix.slot[tid] = 0
	}
	ix.local, ix.touched = local[:0], touched[:0]
	ix.docs = append(ix.docs, info)
	ix.flen = append(ix.flen, lens)
	ix.byID[info.id] = ord
	for f := range numFields {
		ix.lenSum[f] += uint64(lens[f])
	}
	ix.mu.Unlock()
	ix.maybeCompact()
}

// Delete removes the document with this ID, if any.
func (ix *Index) Delete(id string) {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	ix.mu.Lock()
	if ord, ok := ix.byID[id]; ok {
		ix.kill(ord)
	}
	ix.mu.Unlock()
	ix.maybeCompact()
}

// kill marks ord dead (mu held).
func (ix *Index) kill(ord uint32) {
	d := &ix.docs[ord]
	d.alive = false
	delete(ix.byID, d.id)
	for f := range numFields {
		ix.lenSum[f] -= uint64(ix.flen[ord][f])
	}
	ix.dead++
}

// maybeCompact compacts when dead ordinals are a quarter of all (wmu held).
func (ix *Index) maybeCompact() {
	if ix.dead >= 64 && ix.dead*4 >= len(ix.docs) {
		ix.compact()
	}
}

func (ix *Index) internStr(s string) string {
	if v, ok := ix.intern[s]; ok {
		return v
	}
	s = strings.Clone(s)
	ix.intern[s] = s
	return s
}

// termID returns the id of term, adding it to the dictionary if new (mu
// held).
func (ix *Index) termID(term string) uint32 {
	if tid, ok := ix.dict[term]; ok {
		return tid
	}
	tid := uint32(len(ix.terms))
	ix.dict[term] = tid
	ix.terms = append(ix.terms, term)
	ix.rterms = append(ix.rterms, reverse(term))
	ix.postings = append(ix.postings, nil)
	ix.slot = append(ix.slot, 0)
	ix.unsorted = append(ix.unsorted, tid)
	if len(ix.unsorted) >= 512 {
		ix.mergeSorted()
	}
	return tid
}

// mergeSorted folds the recently added terms into the sorted dictionary
// (mu held).
func (ix *Index) mergeSorted() {
	ix.rsorted = mergeTerms(ix.rterms, ix.rsorted, slices.Clone(ix.unsorted))
	ix.sorted = mergeTerms(ix.terms, ix.sorted, ix.unsorted)
	ix.unsorted = ix.unsorted[:0]
}

// reverse returns s with its runes in reverse order.
func reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

// mergeTerms sorts add (in place) and returns a new list of sorted and add
// merged, by term.
func mergeTerms(terms []string, sorted, add []uint32) []uint32 {
	cmp := func(a, b uint32) int { return strings.Compare(terms[a], terms[b]) }
	slices.SortFunc(add, cmp)
	merged := make([]uint32, 0, len(sorted)+len(add))
	i, j := 0, 0
	for i < len(sorted) && j < len(add) {
		if cmp(sorted[i], add[j]) <= 0 {
			merged = append(merged, sorted[i])
			i++
		} else {
			merged = append(merged, add[j])
			j++
		}
	}
	merged = append(merged, sorted[i:]...)
	return append(merged, add[j:]...)
}

// compact renumbers the live documents, rewrites the postings without dead
// ordinals and drops terms no live document has: O(all postings), built
// beside the current structures (wmu held, so nothing changes them) and
// swapped in under mu.
func (ix *Index) compact() {
	const gone = ^uint32(0)
	remap := make([]uint32, len(ix.docs))
	live := len(ix.docs) - ix.dead
	docs := make([]docInfo, 0, live)
	flen := make([][numFields]uint32, 0, live)
	byID := make(map[string]uint32, live)
	intern := map[string]string{}
	for ord := range ix.docs {
		d := ix.docs[ord]
		if !d.alive {
			remap[ord] = gone
			continue
		}
		remap[ord] = uint32(len(docs))
		byID[d.id] = uint32(len(docs))
		for _, f := range d.facets {
			intern[f.key], intern[f.value] = f.key, f.value
		}
		docs = append(docs, d)
		flen = append(flen, ix.flen[ord])
	}
	terms := make([]string, 0, len(ix.terms))
	rterms := make([]string, 0, len(ix.terms))
	postings := make([][]posting, 0, len(ix.terms))
	dict := make(map[string]uint32, len(ix.terms))
	for tid, pl := range ix.postings {
		n := 0
		for _, p := range pl {
			if remap[p.doc] != gone {
				n++
			}
		}
		if n == 0 {
			continue
		}
		npl := make([]posting, 0, n)
		for _, p := range pl {
			if r := remap[p.doc]; r != gone {
				p.doc = r
				npl = append(npl, p)
			}
		}
		dict[ix.terms[tid]] = uint32(len(terms))
		terms = append(terms, ix.terms[tid])
		rterms = append(rterms, ix.rterms[tid])
		postings = append(postings, npl)
	}
	all := make([]uint32, len(terms))
	for i := range all {
		all[i] = uint32(i)
	}
	rsorted := mergeTerms(rterms, nil, slices.Clone(all))
	sorted := mergeTerms(terms, nil, all)

	ix.mu.Lock()
	ix.docs, ix.flen, ix.byID, ix.intern = docs, flen, byID, intern
	ix.terms, ix.postings, ix.dict, ix.sorted = terms, postings, dict, sorted
	ix.rterms, ix.rsorted = rterms, rsorted
	ix.unsorted = nil
	ix.slot = make([]int32, len(terms))
	ix.dead = 0
	ix.mu.Unlock()
}
