package search

import "testing"

func TestTyposFindTheNearestWord(t *testing.T) {
	ix := build(
		Document{ID: "insuline", Title: "Insuline toedienen met een pen", Body: "Controleer de bloedglucose voor het toedienen van insuline.", Time: day(1)},
		Document{ID: "decubitus", Title: "Decubitus voorkomen", Body: "Wisselligging en huidinspectie bij decubitus.", Time: day(2)},
		Document{ID: "insulinepomp", Title: "Insulinepomp", Body: "De pomp geeft continu insuline.", Time: day(3)},
		Document{ID: "geheim", Title: "Privé", Body: "Het woord pinguïnhok staat alleen hier.", Time: day(4)},
	)
	cases := []struct {
		text, corrected string
		first           string
	}{
		{"insulne", "insulin", "insuline"},                     // a letter left out
		{"decubitis", "decubitus", "decubitus"},                // a wrong letter
		{"decbuitus", "decubitus", "decubitus"},                // two letters swapped
		{"insuline toedeinen", "insuline toedien", "insuline"}, // the right word stays
	}
	for _, c := range cases {
		r := ix.Search(Query{Text: c.text})
		if r.Corrected != c.corrected || r.Total == 0 || r.Hits[0].ID != c.first {
			t.Errorf("%q: corrected %q, %d hits %v; want corrected %q, first %s", c.text, r.Corrected, r.Total, ids(r), c.corrected, c.first)
		}
	}
	// Words found as typed are not corrected; far-off words and short ones
	// find nothing.
	for text, total := range map[string]int{"insuline": 2, "pomp": 1, "xyzzyq": 0, "dcbts": 0, "isn": 0} {
		if r := ix.Search(Query{Text: text}); r.Total != total || r.Corrected != "" {
			t.Errorf("%q: %d hits, corrected %q; want %d, none", text, r.Total, r.Corrected, total)
		}
	}
	// A correction that only documents the caller may not see would match
	// is not named.
	r := ix.Search(Query{Text: "pinguinhak", Allow: func(id string) bool { return id != "geheim" }})
	if r.Total != 0 || r.Corrected != "" {
		t.Errorf("hidden document: %d hits, corrected %q; want nothing", r.Total, r.Corrected)
	}
	if r := ix.Search(Query{Text: "pinguinhak"}); r.Total != 1 || r.Corrected == "" {
		t.Errorf("visible document: %d hits, corrected %q; want it found", r.Total, r.Corrected)
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b    string
		k, want int
	}{
		{"insulne", "insuline", 2, 1},
		{"decubitis", "decubitus", 2, 1},
		{"decbuitus", "decubitus", 2, 1},
		{"abc", "abc", 1, 0},
		{"kat", "tak", 2, 2},
		{"wondzorg", "zorg", 2, 3}, // beyond k: k+1
		{"één", "een", 1, 0 + 2},   // runes: two substitutions, beyond k
	} {
		if got := editDistance(c.a, c.b, c.k); got != c.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", c.a, c.b, c.k, got, c.want)
		}
	}
}
