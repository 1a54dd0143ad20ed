package search

import (
	"strings"
	"testing"
)

func TestPlainText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"# Wondzorg\n\nTekst", "Wondzorg\n\nTekst"},
		{"### Kop ###", "Kop"},
		{"#hashtag blijft", "#hashtag blijft"},
		{"**vet** en *schuin* en __ook__ en _dit_ en ~~weg~~", "vet en schuin en ook en dit en weg"},
		{"snake_case_naam blijft", "snake_case_naam blijft"},
		{"Zie [het protocol](https://example.org/p?(x)) nu", "Zie het protocol nu"},
		{"![foto van wond](wond.png)", "foto van wond"},
		{"[ref link][1] en [los]", "ref link en los"},
		{"[1]: https://example.org", ""},
		{"> citaat\n> > dubbel", "citaat\ndubbel"},
		{"- punt een\n* punt twee\n+ drie\n12. genummerd\n- [x] taak", "punt een\npunt twee\ndrie\ngenummerd\ntaak"},
		{"```go\nfmt.Println(\"hi\")\n```\nna", "fmt.Println(\"hi\")\nna"},
		{"~~~\ncode\n~~~", "code"},
		{"| Kolom | Twee |\n|---|:---:|\n| a | b |", "  Kolom   Twee  \n  a   b  "},
		{"---\n***\ntekst", "tekst"},
		{"`code` inline", "code inline"},
		{"tekst<br/>meer <span class=\"x\">in</span>", "tekst meer  in "},
		{"a < b en c > d", "a < b en c > d"},
		{"<https://example.org/x>", "https://example.org/x"},
		{"\\*geen nadruk\\*", "*geen nadruk*"},
		{"voetnoot[^1] hier", "voetnoot hier"},
	}
	for _, c := range cases {
		if got := PlainText(c.in); got != c.want {
			t.Errorf("PlainText(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestPlainTextIsLinearOnBrackets(t *testing.T) {
	// Unmatched brackets must not make the scan quadratic.
	in := strings.Repeat("[", 200000) + strings.Repeat("<", 200000)
	if got := PlainText(in); len(got) != len(in) {
		t.Fatalf("len %d", len(got))
	}
}
