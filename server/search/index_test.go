package search

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

func ids(r Result) []string {
	out := []string{}
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func build(docs ...Document) *Index {
	ix := NewIndex()
	for _, d := range docs {
		ix.Put(d)
	}
	return ix
}

func TestSearchQuality(t *testing.T) {
	cases := []struct {
		name      string
		docs      []Document
		q         Query
		want      []string // hit IDs in rank order
		wantTotal int      // when different from len(want)
	}{
		{
			name: "plural finds singular",
			docs: []Document{
				{ID: "a", Title: "Verzorging", Body: "Een wond moet schoon en droog blijven."},
				{ID: "b", Title: "Valpreventie", Body: "Let op losse kleden."},
			},
			q:    Query{Text: "wonden"},
			want: []string{"a"},
		},
		{
			name: "verbandmiddelen finds verbandmiddel",
			docs: []Document{
				{ID: "a", Body: "Kies het juiste verbandmiddel."},
				{ID: "b", Body: "Kies de juiste medicatie."},
			},
			q:    Query{Text: "verbandmiddelen"},
			want: []string{"a"},
		},
		{
			name: "client finds cliënt and client",
			docs: []Document{
				{ID: "a", Body: "De cliënt krijgt zorg thuis."},
				{ID: "b", Body: "De client krijgt zorg thuis."},
				{ID: "c", Body: "De mantelzorger krijgt zorg thuis."},
			},
			q:    Query{Text: "client"},
			want: []string{"a", "b"},
		},
		{
			name: "cliënt finds client and cliënt",
			docs: []Document{
				{ID: "a", Body: "De cliënt krijgt zorg thuis."},
				{ID: "b", Body: "De client krijgt zorg thuis."},
				{ID: "c", Body: "De mantelzorger krijgt zorg thuis."},
			},
			q:    Query{Text: "Cliënten"},
			want: []string{"a", "b"},
		},
		{
			name: "Hygiëne finds hygiene",
			docs: []Document{
				{ID: "a", Title: "Handhygiene", Body: "Over hygiene bij de cliënt."},
				{ID: "b", Body: "Over voeding."},
			},
			q:    Query{Text: "Hygiëne"},
			want: []string{"a"},
		},
		{
			name: "protocollen finds protocol",
			docs: []Document{
				{ID: "a", Body: "Volg het protocol voor katheteriseren."},
				{ID: "b", Body: "Volg de werkinstructie."},
			},
			q:    Query{Text: "protocollen"},
			want: []string{"a"},
		},
		{
			name: "prefix verb finds verbandmiddel",
			docs: []Document{
				{ID: "a", Body: "Het verbandmiddel wisselen."},
				{ID: "b", Body: "Het infuus wisselen."},
			},
			q:    Query{Text: "verb", Prefix: true},
			want: []string{"a"},
		},
		{
			name: "short word is not a prefix without Prefix",
			docs: []Document{
				{ID: "a", Body: "Het verbandmiddel wisselen."},
			},
			q:    Query{Text: "ver"},
			want: []string{},
		},
		{
			name: "short word is a prefix with Prefix",
			docs: []Document{
				{ID: "a", Body: "Het verbandmiddel wisselen."},
			},
			q:    Query{Text: "ver", Prefix: true},
			want: []string{"a"},
		},
		{
			name: "typed word ending in a space is complete",
			docs: []Document{
				{ID: "a", Body: "Het verbandmiddel wisselen."},
			},
			q:    Query{Text: "ver ", Prefix: true},
			want: []string{},
		},
		{
			name: "prefix on the folded word when the stem differs",
			docs: []Document{
				{ID: "a", Body: "Mogelijkheden voor scholing."},
				{ID: "b", Body: "Scholing."},
			},
			q:    Query{Text: "scholing mogelijkh", Prefix: true},
			want: []string{"a"},
		},
		{
			name: "wond finds wondzorg, title Wond first, compound last",
			docs: []Document{
				{ID: "compound", Title: "Huidzorg", Body: "Alles over wondzorg bij ouderen."},
				{ID: "body", Title: "Huidzorg", Body: "Bij een wond altijd de huisarts bellen."},
				{ID: "title", Title: "Wond", Body: "Bij twijfel de huisarts bellen."},
				{ID: "other", Title: "Huidzorg", Body: "Smeer de huid in."},
			},
			q:    Query{Text: "wond"},
			want: []string{"title", "body", "compound"},
		},
		{
			name: "zorg finds compounds ending on zorg, the word itself first",
			docs: []Document{
				{ID: "wond", Body: "Alles over wondzorg bij ouderen.", Time: day(3)},
				{ID: "thuis", Body: "De thuiszorg in de wijk.", Time: day(2)},
				{ID: "word", Body: "Goede zorg voor iedereen.", Time: day(1)},
				{ID: "other", Body: "Zorgvuldig werken.", Time: day(4)},
				{ID: "none", Body: "Het rooster van de week."},
			},
			q:    Query{Text: "zorg"},
			want: []string{"word", "other", "wond", "thuis"},
		},
		{
			name: "overdracht finds medicatieoverdracht, also while typing",
			docs: []Document{
				{ID: "a", Title: "Medicatieoverdracht", Body: "Bij ontslag uit het ziekenhuis."},
				{ID: "b", Title: "Rooster", Body: "Diensten ruilen."},
			},
			q:    Query{Text: "overdracht", Prefix: true},
			want: []string{"a"},
		},
		{
			name: "a short rest is not a compound: eten does not find weten or meten",
			docs: []Document{
				{ID: "weten", Body: "Goed om te weten."},
				{ID: "meten", Body: "Bloeddruk meten."},
				{ID: "eten", Body: "Samen eten."},
			},
			q:    Query{Text: "eten"},
			want: []string{"eten"},
		},
		{
			name: "title match outranks body match",
			docs: []Document{
				{ID: "body", Title: "Huidverzorging", Body: "Preventie van decubitus: wisselligging elke twee uur.", Time: day(2)},
				{ID: "title", Title: "Decubitus voorkomen", Body: "Wisselligging elke twee uur.", Time: day(1)},
			},
			q:    Query{Text: "decubitus"},
			want: []string{"title", "body"},
		},
		{
			name: "tags outrank body",
			docs: []Document{
				{ID: "body", Title: "Zorgplan", Body: "Bespreek valpreventie met de cliënt."},
				{ID: "tag", Title: "Zorgplan", Tags: []string{"valpreventie"}, Body: "Bespreek het met de cliënt."},
			},
			q:    Query{Text: "valpreventie"},
			want: []string{"tag", "body"},
		},
		{
			name: "exact title gets a bonus",
			docs: []Document{
				{ID: "long", Title: "Wondzorg bij diabetes", Body: "Tekst."},
				{ID: "exact", Title: "Wondzorg", Body: "Tekst over diabetes en meer tekst hier."},
			},
			q:    Query{Text: "wondzorg"},
			want: []string{"exact", "long"},
		},
		{
			name: "all words must match",
			docs: []Document{
				{ID: "both", Body: "Insuline injecteren bij diabetes."},
				{ID: "one", Body: "Insuline bewaren in de koelkast."},
			},
			q:    Query{Text: "insuline diabetes"},
			want: []string{"both"},
		},
		{
			name: "stop words alone find nothing",
			docs: []Document{
				{ID: "a", Body: "De cliënt en het zorgplan."},
			},
			q:    Query{Text: "de het"},
			want: []string{},
		},
		{
			name: "stop words alone find nothing with prefix",
			docs: []Document{
				{ID: "a", Body: "De cliënt en het zorgplan."},
			},
			q:    Query{Text: "de het", Prefix: true},
			want: []string{},
		},
		{
			name: "punctuation alone finds nothing",
			docs: []Document{
				{ID: "a", Body: "De cliënt."},
			},
			q:    Query{Text: "?!"},
			want: []string{},
		},
		{
			name: "stop words around a word are ignored",
			docs: []Document{
				{ID: "a", Body: "Het zorgplan van mevrouw."},
				{ID: "b", Body: "Het rooster van de week."},
			},
			q:    Query{Text: "het zorgplan van de"},
			want: []string{"a"},
		},
		{
			name: "Allow filters hits and Total",
			docs: []Document{
				{ID: "team1", Body: "Insuline toedienen.", Time: day(3)},
				{ID: "team2", Body: "Insuline toedienen.", Time: day(2)},
				{ID: "team3", Body: "Insuline toedienen.", Time: day(1)},
			},
			q:    Query{Text: "insuline", Allow: func(id string) bool { return id != "team2" }},
			want: []string{"team1", "team3"},
		},
		{
			name: "facets filter",
			docs: []Document{
				{ID: "a", Body: "Wond reinigen.", Facets: map[string]string{"category": "wondzorg", "kind": "article"}},
				{ID: "b", Body: "Wond reinigen.", Facets: map[string]string{"category": "wondzorg", "kind": "post"}},
				{ID: "c", Body: "Wond reinigen.", Facets: map[string]string{"category": "medicatie", "kind": "article"}},
				{ID: "d", Body: "Wond reinigen."},
			},
			q:    Query{Text: "wond", Facets: map[string]string{"category": "wondzorg", "kind": "article"}},
			want: []string{"a"},
		},
		{
			name: "empty facet value is no filter",
			docs: []Document{
				{ID: "a", Body: "Wond.", Facets: map[string]string{"kind": "article"}},
				{ID: "b", Body: "Wond."},
			},
			q:    Query{Text: "wond", Facets: map[string]string{"kind": ""}},
			want: []string{"a", "b"},
		},
		{
			name: "empty text browses by time",
			docs: []Document{
				{ID: "old", Body: "x", Time: day(1), Facets: map[string]string{"kind": "article"}},
				{ID: "new", Body: "y", Time: day(3), Facets: map[string]string{"kind": "article"}},
				{ID: "mid", Body: "z", Time: day(2), Facets: map[string]string{"kind": "article"}},
				{ID: "post", Body: "z", Time: day(4), Facets: map[string]string{"kind": "post"}},
			},
			q:    Query{Text: "  ", Facets: map[string]string{"kind": "article"}},
			want: []string{"new", "mid", "old"},
		},
		{
			name: "ties break by time then ID",
			docs: []Document{
				{ID: "b", Body: "Scholing.", Time: day(1)},
				{ID: "a", Body: "Scholing.", Time: day(1)},
				{ID: "c", Body: "Scholing.", Time: day(2)},
			},
			q:    Query{Text: "scholing"},
			want: []string{"c", "a", "b"},
		},
		{
			name: "hyphenated query finds joined and hyphenated words",
			docs: []Document{
				{ID: "a", Body: "Zelfsturende teams in de wijk."},
				{ID: "b", Body: "Zelf-sturende teams in de wijk."},
				{ID: "c", Body: "Zelf plannen, sturende coach."},
			},
			q:    Query{Text: "zelf-sturende"},
			want: []string{"a", "b"},
		},
		{
			name: "joined query finds hyphenated word",
			docs: []Document{
				{ID: "b", Body: "Zelf-sturende teams in de wijk."},
			},
			q:    Query{Text: "zelfsturend"},
			want: []string{"b"},
		},
		{
			name: "paging",
			docs: []Document{
				{ID: "1", Body: "Rooster.", Time: day(5)},
				{ID: "2", Body: "Rooster.", Time: day(4)},
				{ID: "3", Body: "Rooster.", Time: day(3)},
				{ID: "4", Body: "Rooster.", Time: day(2)},
				{ID: "5", Body: "Rooster.", Time: day(1)},
			},
			q:         Query{Text: "rooster", Limit: 2, Offset: 2},
			want:      []string{"3", "4"},
			wantTotal: 5,
		},
		{
			name: "offset past the end",
			docs: []Document{
				{ID: "1", Body: "Rooster."},
			},
			q:         Query{Text: "rooster", Offset: 5},
			want:      []string{},
			wantTotal: 1,
		},
		{
			name: "unknown word finds nothing",
			docs: []Document{
				{ID: "1", Body: "Rooster."},
			},
			q:    Query{Text: "rooster xyzzy"},
			want: []string{},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ix := build(c.docs...)
			r := ix.Search(c.q)
			if got := ids(r); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("hits %v, want %v (%+v)", got, c.want, r.Hits)
			}
			wantTotal := c.wantTotal
			if wantTotal == 0 {
				wantTotal = len(c.want)
			}
			if r.Total != wantTotal {
				t.Fatalf("total %d, want %d", r.Total, wantTotal)
			}
			for i := 1; i < len(r.Hits); i++ {
				if r.Hits[i].Score > r.Hits[i-1].Score {
					t.Fatalf("hits not sorted by score: %+v", r.Hits)
				}
			}
		})
	}
}

func TestExactOutranksPrefix(t *testing.T) {
	ix := build(
		Document{ID: "prefix", Body: "Verbandmiddel."},
		Document{ID: "exact", Body: "Verband."},
	)
	r := ix.Search(Query{Text: "verband", Prefix: true})
	if got := ids(r); !reflect.DeepEqual(got, []string{"exact", "prefix"}) {
		t.Fatalf("hits %v", r.Hits)
	}
}

func TestAllowCalledForCandidatesOnly(t *testing.T) {
	ix := NewIndex()
	for i := range 50 {
		body := "Rooster van de week."
		if i%5 == 0 {
			body = "Insuline toedienen."
		}
		ix.Put(Document{ID: fmt.Sprint(i), Body: body})
	}
	var asked []string
	r := ix.Search(Query{Text: "insuline", Limit: 3, Allow: func(id string) bool {
		asked = append(asked, id)
		return id != "0"
	}})
	if len(asked) != 10 {
		t.Fatalf("Allow called %d times, want 10 (the candidates)", len(asked))
	}
	if r.Total != 9 || len(r.Hits) != 3 {
		t.Fatalf("total %d hits %d", r.Total, len(r.Hits))
	}
	for _, h := range r.Hits {
		if h.ID == "0" {
			t.Fatal("disallowed hit returned")
		}
	}
}

func TestLimits(t *testing.T) {
	ix := NewIndex()
	for i := range 150 {
		ix.Put(Document{ID: fmt.Sprintf("%03d", i), Body: "Scholing.", Time: day(i)})
	}
	if r := ix.Search(Query{Text: "scholing"}); len(r.Hits) != 20 || r.Total != 150 || r.Hits[0].ID != "149" {
		t.Fatalf("default limit: %d hits, total %d, first %v", len(r.Hits), r.Total, r.Hits[0])
	}
	if r := ix.Search(Query{Text: "scholing", Limit: 1000}); len(r.Hits) != 100 {
		t.Fatalf("max limit: %d hits", len(r.Hits))
	}
	if r := ix.Search(Query{Text: "scholing", Limit: 5, Offset: -3}); len(r.Hits) != 5 || r.Hits[0].ID != "149" {
		t.Fatalf("negative offset: %+v", r.Hits)
	}
	if r := NewIndex().Search(Query{Text: "scholing"}); r.Total != 0 || r.Hits == nil {
		t.Fatalf("empty index: %+v", r)
	}
}

func TestPutReplacesAndDeleteRemoves(t *testing.T) {
	ix := build(
		Document{ID: "a", Title: "Insuline", Body: "Bewaren in de koelkast."},
		Document{ID: "b", Title: "Rooster", Body: "Planning."},
	)
	ix.Put(Document{ID: "a", Title: "Valpreventie", Body: "Losse kleden weghalen."})
	if ix.Len() != 2 {
		t.Fatalf("Len %d", ix.Len())
	}
	if r := ix.Search(Query{Text: "insuline"}); r.Total != 0 {
		t.Fatalf("old version still found: %+v", r)
	}
	if r := ix.Search(Query{Text: "valpreventie"}); !reflect.DeepEqual(ids(r), []string{"a"}) {
		t.Fatalf("new version not found: %+v", r)
	}
	ix.Delete("a")
	ix.Delete("missing")
	if ix.Len() != 1 {
		t.Fatalf("Len %d", ix.Len())
	}
	if r := ix.Search(Query{Text: "valpreventie"}); r.Total != 0 {
		t.Fatalf("deleted doc found: %+v", r)
	}
	if r := ix.Search(Query{}); !reflect.DeepEqual(ids(r), []string{"b"}) {
		t.Fatalf("browse after delete: %+v", r)
	}
	ix.Put(Document{Title: "no id"})
	if ix.Len() != 1 {
		t.Fatal("document without ID indexed")
	}
}

// After many replacements and deletions (which compact the index) the
// index answers exactly like one built from the surviving documents.
func TestCompactionKeepsResults(t *testing.T) {
	words := []string{"wond", "wondzorg", "insuline", "rooster", "scholing", "decubitus", "hygiene", "cliënt", "protocol", "verband", "verbandmiddel", "valpreventie"}
	rng := rand.New(rand.NewPCG(1, 2))
	doc := func(id string, i int) Document {
		body := ""
		for range 12 {
			body += words[rng.IntN(len(words))] + " "
		}
		return Document{ID: id, Title: words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))], Body: body, Time: day(i % 30),
			Facets: map[string]string{"kind": []string{"article", "post"}[i%2]}}
	}
	ix := NewIndex()
	final := map[string]Document{}
	for i := range 400 {
		id := fmt.Sprint(rng.IntN(150))
		if rng.IntN(4) == 0 {
			ix.Delete(id)
			delete(final, id)
			continue
		}
		d := doc(id, i)
		ix.Put(d)
		final[id] = d
	}
	ix.mu.RLock()
	dead, n := ix.dead, len(ix.docs)
	ix.mu.RUnlock()
	if n >= 400 || dead*4 >= n && dead >= 64 {
		t.Fatalf("no compaction happened: %d ordinals, %d dead", n, dead)
	}
	// Force a compaction to compare exact scores (document frequencies
	// count dead ordinals until then).
	ix.wmu.Lock()
	ix.compact()
	ix.wmu.Unlock()
	fresh := NewIndex()
	for _, d := range final {
		fresh.Put(d)
	}
	if ix.Len() != len(final) {
		t.Fatalf("Len %d, want %d", ix.Len(), len(final))
	}
	for _, q := range []Query{
		{Text: "wond"}, {Text: "verb", Prefix: true}, {Text: "insuline rooster"}, {Text: "", Limit: 100}, {Text: "zorg"}, {Text: "middel"},
		{Text: "client", Facets: map[string]string{"kind": "post"}, Limit: 100}, {Text: "hygiene protocol", Limit: 50},
	} {
		got, want := ix.Search(q), fresh.Search(q)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%+v:\n got %+v\nwant %+v", q, got, want)
		}
		if want.Total == 0 {
			t.Errorf("%+v: test query finds nothing", q)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	ix := NewIndex()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				id := fmt.Sprint((w*7 + i) % 100)
				switch i % 3 {
				case 0:
					ix.Put(Document{ID: id, Title: "Wondzorg", Body: "Wond reinigen en verbinden.", Time: day(i)})
				case 1:
					r := ix.Search(Query{Text: "wond verb", Prefix: true, Allow: func(string) bool { return true }})
					if r.Total > 100 {
						t.Errorf("total %d", r.Total)
					}
				default:
					ix.Delete(id)
				}
			}
		}()
	}
	wg.Wait()
	r := ix.Search(Query{Text: "wond", Limit: 100})
	if r.Total != ix.Len() {
		t.Fatalf("every document matches: total %d, len %d", r.Total, ix.Len())
	}
}

func TestPanickingAllowLeavesIndexUsable(t *testing.T) {
	ix := build(Document{ID: "a", Body: "Wond."}, Document{ID: "b", Body: "Rooster."})
	func() {
		defer func() { _ = recover() }()
		ix.Search(Query{Text: "wond", Allow: func(string) bool { panic("boom") }})
	}()
	for range 3 { // the pooled scratch may come back
		if r := ix.Search(Query{Text: "rooster"}); !reflect.DeepEqual(ids(r), []string{"b"}) || r.Total != 1 {
			t.Fatalf("after panic: %+v", r)
		}
	}
}

func TestAllowMayUseTheIndex(t *testing.T) {
	ix := build(Document{ID: "a", Body: "Wond."}, Document{ID: "b", Body: "Wond."})
	r := ix.Search(Query{Text: "wond", Allow: func(id string) bool {
		ix.Put(Document{ID: "c" + id, Body: "Rooster."}) // would deadlock under the lock
		return ix.Len() > 0
	}})
	if r.Total != 2 || ix.Len() != 4 {
		t.Fatalf("total %d len %d", r.Total, ix.Len())
	}
}
