package search

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func marked(s Snippet) []string {
	out := []string{}
	for _, m := range s.Marks {
		out = append(out, s.Text[m[0]:m[1]])
	}
	return out
}

func TestSnippetShortText(t *testing.T) {
	s := MakeSnippet("De cliënt heeft  een\nwond aan het been.", "wonden client", 160)
	if s.Text != "De cliënt heeft een wond aan het been." {
		t.Fatalf("text %q", s.Text)
	}
	if got := marked(s); !reflect.DeepEqual(got, []string{"cliënt", "wond"}) {
		t.Fatalf("marks %q", got)
	}
}

func TestSnippetWindowAroundBestMatch(t *testing.T) {
	filler := strings.Repeat("Lorem ipsum dolor sit amet consectetur. ", 20)
	text := filler + "Hier gaat het over insuline. " + filler +
		"Insuline bij diabetes: controleer de bloedsuiker voor het injecteren. " + filler
	s := MakeSnippet(text, "insuline diabetes", 160)
	if !strings.HasPrefix(s.Text, "…") || !strings.HasSuffix(s.Text, "…") {
		t.Fatalf("no ellipses: %q", s.Text)
	}
	if n := utf8.RuneCountInString(s.Text); n > 160 {
		t.Fatalf("%d runes", n)
	}
	// The window with both words wins over the earlier single mention.
	if got := marked(s); !reflect.DeepEqual(got, []string{"Insuline", "diabetes"}) {
		t.Fatalf("marks %q in %q", got, s.Text)
	}
	// Cut on word boundaries.
	inner := strings.TrimSuffix(strings.TrimPrefix(s.Text, "…"), "…")
	for _, w := range strings.Fields(inner) {
		if !strings.Contains(text, " "+w+" ") && !strings.Contains(text, " "+w) {
			t.Fatalf("cut inside a word: %q", w)
		}
	}
	if strings.HasPrefix(inner, " ") || strings.HasSuffix(inner, " ") {
		t.Fatalf("spaces at the cut: %q", s.Text)
	}
}

func TestSnippetNoMatchStartsAtBeginning(t *testing.T) {
	text := strings.Repeat("woord ", 100)
	s := MakeSnippet(text, "insuline", 50)
	if strings.HasPrefix(s.Text, "…") || !strings.HasSuffix(s.Text, "…") || len(s.Marks) != 0 {
		t.Fatalf("%+v", s)
	}
	if s.Marks == nil {
		t.Fatal("marks must be an empty list, not null")
	}
	if n := utf8.RuneCountInString(s.Text); n > 50 {
		t.Fatalf("%d runes", n)
	}
}

func TestSnippetHighlightsPrefixAndCompounds(t *testing.T) {
	s := MakeSnippet("Wondzorg en verbandmiddelen; zelf-sturende teams.", "wond zelfsturend verb", 0)
	if got := marked(s); !reflect.DeepEqual(got, []string{"Wondzorg", "verbandmiddelen", "zelf-sturende"}) {
		t.Fatalf("marks %q", got)
	}
	s = MakeSnippet("Thuiszorg en wondzorg, zorgvuldig; goed om te weten.", "zorg eten", 0)
	if got := marked(s); !reflect.DeepEqual(got, []string{"Thuiszorg", "wondzorg", "zorgvuldig"}) {
		t.Fatalf("marks %q", got)
	}
}

func TestSnippetLongWordIsCutHard(t *testing.T) {
	text := "a " + strings.Repeat("x", 60) + " insuline"
	s := MakeSnippet(text, "", 20)
	if n := utf8.RuneCountInString(s.Text); n != 20 || !strings.HasPrefix(s.Text, "a xxx") {
		t.Fatalf("%d runes: %q", n, s.Text)
	}
	// A match inside the long word is clipped to the window.
	s = MakeSnippet(text, strings.Repeat("x", 30), 20)
	if n := utf8.RuneCountInString(s.Text); n != 20 {
		t.Fatalf("%d runes: %q", n, s.Text)
	}
	if len(s.Marks) != 1 || strings.Trim(s.Text[s.Marks[0][0]:s.Marks[0][1]], "x") != "" || s.Marks[0][1]-s.Marks[0][0] < 15 {
		t.Fatalf("marks %v in %q", s.Marks, s.Text)
	}
}

func TestSnippetEmpty(t *testing.T) {
	s := MakeSnippet("", "wond", 160)
	if s.Text != "" || s.Marks == nil || len(s.Marks) != 0 {
		t.Fatalf("%+v", s)
	}
	s = MakeSnippet("   \n  ", "", 160)
	if s.Text != "" {
		t.Fatalf("%+v", s)
	}
}
