package doctext

import (
	"archive/zip"
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

func extractOK(t *testing.T, ct string, data []byte) string {
	t.Helper()
	text, err := Extract(context.Background(), ct, data, DefaultLimits)
	if err != nil {
		t.Fatalf("Extract(%s): %v", ct, err)
	}
	return text
}

func TestPDFText(t *testing.T) {
	data := SimplePDF("Werkinstructie wondzorg", []string{
		"Reinig de wond met fysiologisch zout (NaCl 0,9%).",
		"Gebruik steriele gaasjes; beoordeel de wondranden.",
		"Cliënt en mantelzorger krijgen uitleg – altijd.",
	})
	got := extractOK(t, "application/pdf", data)
	for _, want := range []string{"Werkinstructie wondzorg", "fysiologisch zout (NaCl 0,9%)", "steriele gaasjes", "Cliënt en mantelzorger", "uitleg – altijd"} {
		if !strings.Contains(got, want) {
			t.Errorf("pdf text lacks %q:\n%s", want, got)
		}
	}
}

func TestPDFManyPagesInOrderAndBounded(t *testing.T) {
	var lines []string
	for i := 0; i < 500; i++ {
		lines = append(lines, "regel "+strings.Repeat("x", i%7)+" nummer "+strconv.Itoa(i))
	}
	data := SimplePDF("Lang", lines)
	got := extractOK(t, "application/pdf", data)
	if i, j := strings.Index(got, "nummer 10\n"), strings.Index(got, "nummer 400\n"); i < 0 || j < 0 || i > j {
		t.Fatalf("pages not in order or missing (10 at %d, 400 at %d)", i, j)
	}
	short, err := Extract(context.Background(), "application/pdf", data, Limits{MaxChars: 100, MaxPages: 2})
	if err != nil || len([]rune(short)) > 100 || !strings.HasPrefix(short, "Lang") {
		t.Fatalf("limited extraction = %q, %v", short, err)
	}
	twoPages, _ := Extract(context.Background(), "application/pdf", data, Limits{MaxChars: 1 << 20, MaxPages: 2})
	if strings.Contains(twoPages, "nummer 100\n") || !strings.Contains(twoPages, "nummer 95") {
		t.Fatalf("MaxPages 2 read the wrong pages: %d chars", len(twoPages))
	}
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const (
	docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	pptxType = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

func TestOfficeText(t *testing.T) {
	docx := zipOf(t, map[string]string{
		"[Content_Types].xml": `<Types/>`,
		"word/document.xml": `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			`<w:p><w:r><w:t>Notulen </w:t></w:r><w:r><w:t>teamoverleg</w:t></w:r></w:p>` +
			`<w:p><w:r><w:instrText>HYPERLINK "x"</w:instrText><w:t xml:space="preserve">Afspraak: insuline &amp; medicatie</w:t></w:r></w:p></w:body></w:document>`,
	})
	got := extractOK(t, docxType, docx)
	if got != "Notulen teamoverleg\nAfspraak: insuline & medicatie" {
		t.Errorf("docx text = %q", got)
	}
	slide := func(s string) string {
		return `<p:sld xmlns:p="p" xmlns:a="a"><p:txBody><a:p><a:r><a:t>` + s + `</a:t></a:r></a:p></p:txBody></p:sld>`
	}
	pptx := zipOf(t, map[string]string{"ppt/slides/slide10.xml": slide("tien"), "ppt/slides/slide2.xml": slide("twee"), "ppt/slides/slide1.xml": slide("een")})
	if got := extractOK(t, pptxType, pptx); got != "een\ntwee\ntien" {
		t.Errorf("pptx text = %q", got)
	}
	xlsx := zipOf(t, map[string]string{"xl/sharedStrings.xml": `<sst xmlns="x"><si><t>Cliëntnummer</t></si><si><r><t>Datum</t></r><r><t> bezoek</t></r></si></sst>`})
	if got := extractOK(t, xlsxType, xlsx); got != "Cliëntnummer\nDatum bezoek" {
		t.Errorf("xlsx text = %q", got)
	}
}

func TestTextAndOtherTypes(t *testing.T) {
	if got := extractOK(t, "text/markdown; charset=utf-8", []byte("# Kop\n\n\n\tWerk   afspraken\r\nregel")); got != "# Kop\nWerk afspraken\nregel" {
		t.Errorf("text = %q", got)
	}
	if got := extractOK(t, "text/plain", []byte("ok\xffdan")); got != "ok dan" {
		t.Errorf("invalid UTF-8 = %q", got)
	}
	if got := extractOK(t, "image/png", []byte("\x89PNG\r\n\x1a\n....")); got != "" {
		t.Errorf("image gave text %q", got)
	}
}

func TestBrokenFilesGiveNoTextAndNoPanic(t *testing.T) {
	pdf := SimplePDF("x", []string{"y"})
	cases := []struct{ ct, data string }{
		{"application/pdf", "%PDF-1.4 not really"},
		{"application/pdf", string(pdf[:len(pdf)/2])},
		{"application/pdf", strings.Replace(string(pdf), "/Count 1", "/Count 99999999999", 1)},
		{docxType, "PK\x03\x04 broken zip"},
		{docxType, string(zipOf(t, map[string]string{"word/document.xml": "<w:t>open"}))},
	}
	for _, c := range cases {
		text, _ := Extract(context.Background(), c.ct, []byte(c.data), Limits{MaxChars: 1000, MaxPages: 50, MaxPart: 1 << 20, Timeout: 10 * time.Second})
		if strings.Contains(text, "\x00") {
			t.Errorf("%s: NUL in %q", c.ct, text)
		}
	}
}

func TestZipBombIsBounded(t *testing.T) {
	big := "<w:p><w:t>" + strings.Repeat("a ", 4<<20) + "</w:t></w:p>"
	docx := zipOf(t, map[string]string{"word/document.xml": big})
	text, _ := Extract(context.Background(), docxType, docx, Limits{MaxChars: 500, MaxPart: 1 << 20})
	if n := len([]rune(text)); n == 0 || n > 500 {
		t.Fatalf("extracted %d characters, want 1..500", n)
	}
}

func TestTimeout(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Extract(ctx, "application/pdf", SimplePDF("x", []string{"y"}), DefaultLimits); err == nil {
		t.Fatal("a cancelled context still extracted")
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("application/pdf", SimplePDF("Protocol", []string{"wond (zout)", "é ë"}))
	f.Add(docxType, []byte("PK\x03\x04"))
	f.Add("text/plain", []byte("hallo\x00wereld"))
	f.Fuzz(func(t *testing.T, ct string, data []byte) {
		text, _ := Extract(context.Background(), ct, data, Limits{MaxChars: 2000, MaxPages: 20, MaxPart: 1 << 20, Timeout: 5 * time.Second})
		if len([]rune(text)) > 2000 {
			t.Fatalf("%d characters past the limit", len([]rune(text)))
		}
		if strings.ContainsAny(text, "\x00\r\t") {
			t.Fatalf("control characters in %q", text)
		}
	})
}
