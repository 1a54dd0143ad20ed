package search

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// A Dutch-ish corpus: roots from home care, compounds of two roots and
// inflected forms, drawn with a Zipf distribution, with the function words
// of real Dutch text in between.
var benchRoots = strings.Fields(`
	wond zorg verband middel cliënt client team wijk verpleging verpleegkundige zorgplan medicatie
	insuline diabetes decubitus huid hygiëne hand infectie protocol instructie katheter sonde
	voeding vocht val preventie rooster planning dienst nacht avond ochtend weekend overdracht
	dossier rapportage evaluatie doel afspraak huisarts apotheek ziekenhuis opname ontslag thuis
	mantelzorg familie partner dochter zoon buurt gemeente indicatie uren budget declaratie
	kwaliteit veiligheid incident melding audit scholing training cursus module sessie coach
	leer traject reflectie volwassen sturing regie eigen kracht zelf gesprek overleg vergadering
	besluit rol taak planner verzuim ziekte herstel gezondheid pijn benauwdheid hart long nier
	bloed druk suiker meting controle check lijst formulier toestemming privacy gegevens
	tillift bed stoel rolstoel douche bad toilet incontinentie materiaal hulpmiddel levering
	telefoon bericht chat kanaal document bijlage foto beeld video uitleg stap handeling
	voorbehouden risicovolle bekwaam bevoegd injecteren katheteriseren sondevoeding stoma
	dementie delier depressie angst eenzaamheid palliatief terminaal levenseinde sedatie
	pijnbestrijding morfine pomp infuus naald spuit afval steriel schoon desinfectie alcohol
	handschoen schort mondmasker isolatie griep corona vaccinatie prik koorts temperatuur
	ademhaling saturatie zuurstof pols gewicht lengte ondervoeding slik drinken eten maaltijd
	wondbed necrose beslag granulatie exsudaat rand oedeem compressie kous zwachtel been voet
	enkel knie heup schouder arm rug zitten liggen draaien wisselligging matras kussen drukplek
	signaal observatie verandering achteruitgang verbetering resultaat cijfer score tevreden
	productiviteit uren klant werk medewerker collega leiding manager regio organisatie beleid
`)

var benchStop = strings.Fields("de het een en van in op te met voor bij is zijn aan of om als dat die dit er ook naar door over uit tot je u we niet wel wordt kan geen meer dan nog maar")

var benchSuffixes = []string{"", "", "", "en", "s", "e", "je", "jes", "ing", "er"}

type benchCorpus struct {
	vocab []string
	docs  []Document
}

var (
	corpusOnce sync.Once
	corpus     benchCorpus
)

func makeCorpus() benchCorpus {
	corpusOnce.Do(func() {
		rng := rand.New(rand.NewPCG(42, 7))
		seen := map[string]bool{}
		var vocab []string
		add := func(w string) {
			if !seen[w] {
				seen[w] = true
				vocab = append(vocab, w)
			}
		}
		for _, r := range benchRoots {
			add(r)
		}
		for len(vocab) < 4000 {
			a := benchRoots[rng.IntN(len(benchRoots))]
			switch rng.IntN(3) {
			case 0:
				add(a + benchSuffixes[rng.IntN(len(benchSuffixes))])
			default:
				b := benchRoots[rng.IntN(len(benchRoots))]
				add(a + b + benchSuffixes[rng.IntN(len(benchSuffixes))])
			}
		}
		rng.Shuffle(len(vocab), func(i, j int) { vocab[i], vocab[j] = vocab[j], vocab[i] })
		zipf := rand.NewZipf(rng, 1.07, 2, uint64(len(vocab)-1))
		word := func() string {
			if rng.IntN(100) < 35 {
				return benchStop[rng.IntN(len(benchStop))]
			}
			return vocab[zipf.Uint64()]
		}
		text := func(n int) string {
			var b strings.Builder
			for i := range n {
				if i > 0 {
					if rng.IntN(12) == 0 {
						b.WriteString(". ")
					} else {
						b.WriteByte(' ')
					}
				}
				b.WriteString(word())
			}
			return b.String()
		}
		docs := make([]Document, 10000)
		cats := []string{"wondzorg", "medicatie", "hygiene", "planning", "scholing", "kwaliteit"}
		for i := range docs {
			tags := make([]string, 1+rng.IntN(3))
			for j := range tags {
				tags[j] = vocab[zipf.Uint64()]
			}
			docs[i] = Document{
				ID:     fmt.Sprintf("art%05d", i),
				Title:  text(3 + rng.IntN(6)),
				Tags:   tags,
				Body:   text(300 + rng.IntN(200)),
				Facets: map[string]string{"category": cats[rng.IntN(len(cats))], "kind": "article"},
				Time:   t0.Add(-time.Duration(rng.Int64N(int64(365 * 24 * time.Hour)))),
			}
		}
		corpus = benchCorpus{vocab: vocab, docs: docs}
	})
	return corpus
}

var (
	benchIndexOnce sync.Once
	benchIndex     *Index
)

func buildBenchIndex() *Index {
	benchIndexOnce.Do(func() {
		c := makeCorpus()
		benchIndex = NewIndex()
		for _, d := range c.docs {
			benchIndex.Put(d)
		}
	})
	return benchIndex
}

// benchQueries draws 1–3 words of middling frequency (ranks 20–1500 of the
// Zipf-ordered vocabulary); with prefix the last word is cut to 3–6 letters.
func benchQueries(words int, prefix bool) []Query {
	c := makeCorpus()
	rng := rand.New(rand.NewPCG(uint64(words), 99))
	qs := make([]Query, 256)
	for i := range qs {
		ws := make([]string, words)
		for j := range ws {
			ws[j] = c.vocab[20+rng.IntN(1480)]
		}
		if prefix {
			last := []rune(ws[words-1])
			ws[words-1] = string(last[:min(len(last), 3+rng.IntN(4))])
		}
		qs[i] = Query{Text: strings.Join(ws, " "), Prefix: prefix, Allow: allowHalf}
	}
	return qs
}

// allowHalf rejects every document with an odd number.
func allowHalf(id string) bool { return id[len(id)-1]%2 == 0 }

func BenchmarkSearch10k(b *testing.B) {
	ix := buildBenchIndex()
	for _, words := range []int{1, 2, 3} {
		for _, prefix := range []bool{false, true} {
			qs := benchQueries(words, prefix)
			b.Run(fmt.Sprintf("words=%d/prefix=%v", words, prefix), func(b *testing.B) {
				b.ReportAllocs()
				hits := 0
				i := 0
				cpu := cpuSeconds(b)
				for b.Loop() {
					r := ix.Search(qs[i%len(qs)])
					hits += r.Total
					i++
				}
				b.ReportMetric((cpuSeconds(b)-cpu)*1e6/float64(b.N), "cpu-µs/op")
				b.ReportMetric(float64(hits)/float64(i), "matches/op")
			})
		}
	}
	for name, qs := range map[string][]Query{
		"two-letter-prefix": {{Text: "ve", Prefix: true, Allow: allowHalf}, {Text: "wo", Prefix: true, Allow: allowHalf}, {Text: "zo", Prefix: true, Allow: allowHalf}},
		"common-word":       {{Text: makeCorpus().vocab[0], Allow: allowHalf}},
		"browse-facet":      {{Facets: map[string]string{"category": "wondzorg"}, Allow: allowHalf}},
		// Nothing as typed: the dictionary is scanned for the nearest term.
		"typo": {{Text: typo(makeCorpus().vocab[7]), Allow: allowHalf}, {Text: typo(makeCorpus().vocab[300]), Allow: allowHalf}},
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			cpu := cpuSeconds(b)
			for b.Loop() {
				ix.Search(qs[i%len(qs)])
				i++
			}
			b.ReportMetric((cpuSeconds(b)-cpu)*1e6/float64(b.N), "cpu-µs/op")
		})
	}
}

func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// cpuSeconds returns the process's user+system CPU time (all threads, so
// it includes the garbage collector). The machine is shared: wall time
// alone overstates the cost.
func cpuSeconds(b *testing.B) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func BenchmarkBuild10k(b *testing.B) {
	c := makeCorpus()
	build := func() *Index {
		ix := NewIndex()
		for _, d := range c.docs {
			ix.Put(d)
		}
		return ix
	}
	before := heapInUse()
	ix := build()
	mem := heapInUse() - before
	runtime.KeepAlive(ix)
	ix = nil
	runtime.GC()

	b.ReportAllocs()
	cpu := cpuSeconds(b)
	for b.Loop() {
		build()
	}
	b.ReportMetric((cpuSeconds(b)-cpu)*1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(mem)/(1<<20), "index-MiB")
}

func BenchmarkPut(b *testing.B) {
	ix := buildBenchIndex()
	c := makeCorpus()
	b.ReportAllocs()
	i := 0
	cpu := cpuSeconds(b)
	for b.Loop() {
		ix.Put(c.docs[(i*7919)%len(c.docs)]) // replace (tombstone, compaction now and then)
		i++
	}
	b.ReportMetric((cpuSeconds(b)-cpu)*1e6/float64(b.N), "cpu-µs/op")
}

func BenchmarkMakeSnippet(b *testing.B) {
	c := makeCorpus()
	body := c.docs[1].Body
	q := c.vocab[30] + " " + c.vocab[200]
	b.ReportAllocs()
	cpu := cpuSeconds(b)
	for b.Loop() {
		MakeSnippet(body, q, 160)
	}
	b.ReportMetric((cpuSeconds(b)-cpu)*1e6/float64(b.N), "cpu-µs/op")
}

// typo swaps the word's second and third letters.
func typo(w string) string {
	r := []rune(w)
	if len(r) > 3 {
		r[1], r[2] = r[2], r[1]
	}
	return string(r)
}
