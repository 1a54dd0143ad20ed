package search

import (
	"reflect"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Cliënt":           "client",
		"HYGIËNE":          "hygiene",
		"façade":           "facade",
		"Straße":           "strasse",
		"Æsop":             "aesop",
		"ĳsbaan Ĳmuiden":   "ijsbaan ijmuiden",
		"ﬁets":             "fiets",
		"Øresund Łódź":     "oresund lodz",
		"clie\u0308nt":     "client", // decomposed diaeresis
		"café-crème, 10%":  "cafe-creme, 10%",
		"already folded":   "already folded",
		"İstanbul":         "istanbul",
		"naïef coöperatie": "naief cooperatie",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	s := "Zelf-sturende teams: auto's, cliënt's; zo'n COVID-19 test."
	got := Tokens(s)
	want := []Token{
		{"zelf", 0, 4}, {"sturende", 5, 13}, {"zelfsturende", 0, 13},
		{"teams", 14, 19},
		{"auto", 21, 25},
		{"client", 29, 36},
		{"zo", 40, 42}, {"n", 43, 44},
		{"covid", 45, 50}, {"19", 51, 53}, {"covid19", 45, 53},
		{"test", 54, 58},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Tokens:\n got %v\nwant %v", got, want)
	}
	for _, tk := range got {
		if Fold(strings.NewReplacer("-", "", "'s", "").Replace(s[tk.Start:tk.End])) != tk.Text {
			t.Errorf("token %q does not cover %q", tk.Text, s[tk.Start:tk.End])
		}
	}
}

func TestTokensOffsetsIntoOriginal(t *testing.T) {
	s := "De CLIËNT en de clie\u0308nt"
	toks := Tokens(s)
	var texts, orig []string
	for _, tk := range toks {
		texts = append(texts, tk.Text)
		orig = append(orig, s[tk.Start:tk.End])
	}
	if !reflect.DeepEqual(texts, []string{"de", "client", "en", "de", "client"}) {
		t.Fatalf("texts %q", texts)
	}
	if !reflect.DeepEqual(orig, []string{"De", "CLIËNT", "en", "de", "clie\u0308nt"}) {
		t.Fatalf("original slices %q", orig)
	}
}

func TestStem(t *testing.T) {
	same := [][]string{
		{"wond", "wonden", "wonde"},
		{"verbandmiddel", "verbandmiddelen"},
		{"protocol", "protocollen"},
		{"client", "clienten"},
		{"hygiene"},
		{"medewerker", "medewerkers"},
		{"bed", "bedden"},
	}
	for _, group := range same {
		want := Stem(group[0])
		for _, w := range group[1:] {
			if got := Stem(w); got != want {
				t.Errorf("Stem(%q) = %q, want %q (as %q)", w, got, want, group[0])
			}
		}
	}
	if Stem("protocollen") != "protocol" {
		t.Errorf("Stem(protocollen) = %q", Stem("protocollen"))
	}
	for _, w := range []string{"covid19", "2024", "a4tje"} {
		if Stem(w) != w {
			t.Errorf("Stem(%q) = %q, want unchanged", w, Stem(w))
		}
	}
	if Stem("") != "" {
		t.Error("Stem of empty")
	}
}

func TestTerms(t *testing.T) {
	got := Terms("De wonden van de cliënt worden met het Verbandmiddel verzorgd, zie protocollen.")
	want := []string{Stem("wonden"), "client", "verbandmiddel", Stem("verzorgd"), Stem("zie"), "protocol"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Terms = %q, want %q", got, want)
	}
	if got := Terms("de het een en van in op te met"); len(got) != 0 {
		t.Fatalf("stop words gave %q", got)
	}
	// Lone letters are dropped, lone digits kept; hyphenated words give the
	// parts and the joined word.
	if got := Terms("vitamine B 12 zelf-sturend"); !reflect.DeepEqual(got, []string{Stem("vitamine"), "12", "zelf", Stem("sturend"), Stem("zelfsturend")}) {
		t.Fatalf("Terms = %q", got)
	}
}

func TestAnalyzeQuery(t *testing.T) {
	qs := analyzeQuery("zelf-sturende wonden verb", true)
	if len(qs) != 3 || qs[0].stem != Stem("zelfsturende") || qs[1].stem != "wond" || qs[2].stem != "verb" {
		t.Fatalf("terms %+v", qs)
	}
	if qs[0].prefix || qs[1].prefix || !qs[2].prefix {
		t.Fatalf("prefix flags %+v", qs)
	}
	// A space after the last word means it is complete.
	if qs := analyzeQuery("wond verb ", true); qs[1].prefix {
		t.Fatalf("trailing space still prefix: %+v", qs)
	}
	// Duplicates merge; terms are capped.
	if qs := analyzeQuery("wond wonden Wonde", false); len(qs) != 1 {
		t.Fatalf("duplicates: %+v", qs)
	}
	if qs := analyzeQuery(strings.Repeat("woord1 woord2 woord3 woord4 woord5 woord6 ", 5), false); len(qs) != 6 {
		t.Fatalf("distinct: %d", len(qs))
	}
	var many []string
	for i := range 40 {
		many = append(many, "term"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	if qs := analyzeQuery(strings.Join(many, " "), false); len(qs) != maxQueryTerms {
		t.Fatalf("cap: %d", len(qs))
	}
}
