// Package doctext pulls the plain text out of stored files so that search
// can find documents by their contents: text files, PDF and the Office Open
// XML formats (docx, pptx, xlsx).
//
// Files come from users, so extraction is defensive: the work is bounded
// (pages, decompressed bytes, characters of output, a deadline), a parser
// panic on a malformed file is recovered, and a file that cannot be read
// yields no text rather than an error. Extraction never decides whether a
// file is accepted; blob.Sniff does that.
package doctext

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// Limits bound one extraction.
type Limits struct {
	MaxChars int           // characters of text returned
	MaxPages int           // PDF pages read
	MaxPart  int64         // decompressed bytes read of one Office part
	Timeout  time.Duration // wall time
}

// DefaultLimits suit indexing: enough text to find a document by what it is
// about, bounded so one upload cannot occupy a core or fill memory.
var DefaultLimits = Limits{MaxChars: 32_000, MaxPages: 200, MaxPart: 8 << 20, Timeout: 5 * time.Second}

// ErrTimeout is returned when extraction did not finish in time.
var ErrTimeout = errors.New("doctext: extraction timed out")

// Extract returns the plain text of data of the given (sniffed) content
// type, normalised to single spaces and newlines, or "" for a type without
// text (images) or a file it cannot read. The error tells why no text was
// found (for the log); the text is usable whenever it is non-empty.
func Extract(ctx context.Context, contentType string, data []byte, lim Limits) (string, error) {
	if lim.Timeout <= 0 {
		lim.Timeout = DefaultLimits.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	type result struct {
		text string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r = result{"", fmt.Errorf("doctext: malformed file: %v", p)}
			}
			done <- r
		}()
		r.text, r.err = extract(ctx, contentType, data, lim)
	}()
	select {
	case r := <-done:
		return r.text, r.err
	case <-ctx.Done():
		// The parsers check ctx between pages and parts; one stuck inside a
		// page finishes on its own, bounded by the page limits.
		return "", ErrTimeout
	}
}

func extract(ctx context.Context, contentType string, data []byte, lim Limits) (string, error) {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	w := newWriter(lim.MaxChars)
	var err error
	switch {
	case strings.HasPrefix(mt, "text/"):
		w.write(strings.ToValidUTF8(string(data), " "))
	case mt == "application/pdf":
		err = pdfText(ctx, data, lim, w)
	case mt == "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
		err = ooxmlText(ctx, data, lim, w, func(n string) bool { return n == "word/document.xml" }, "t", "p")
	case mt == "application/vnd.openxmlformats-officedocument.presentationml.presentation":
		err = ooxmlText(ctx, data, lim, w, func(n string) bool {
			return strings.HasPrefix(n, "ppt/slides/slide") && strings.HasSuffix(n, ".xml")
		}, "t", "p")
	case mt == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		err = ooxmlText(ctx, data, lim, w, func(n string) bool { return n == "xl/sharedStrings.xml" }, "t", "si")
	default:
		return "", nil
	}
	return w.String(), err
}

// writer collects text up to a number of characters, folding runs of
// spaces and of blank lines.
type writer struct {
	b       strings.Builder
	left    int
	space   bool // a space is pending
	newline bool // a newline is pending
}

func newWriter(max int) *writer {
	if max <= 0 {
		max = DefaultLimits.MaxChars
	}
	return &writer{left: max}
}

func (w *writer) full() bool { return w.left <= 0 }

func (w *writer) write(s string) {
	for _, r := range s {
		if w.left <= 0 {
			return
		}
		switch {
		case r == '\n' || r == '\r' || r == '\f' || r == '\v' || r == 0x2028 || r == 0x2029:
			w.newline = true
		case unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError:
			w.space = true
		default:
			if w.b.Len() > 0 && (w.newline || w.space) {
				if w.left < 2 {
					w.left = 0
					return
				}
				if w.newline {
					w.b.WriteByte('\n')
					w.left--
				} else if w.space {
					w.b.WriteByte(' ')
					w.left--
				}
			}
			w.space, w.newline = false, false
			w.b.WriteRune(r)
			w.left--
		}
	}
}

func (w *writer) String() string { return w.b.String() }

// pdfText reads the text of each page in order, each page guarded on its
// own: a broken page is skipped, the others still count.
func pdfText(ctx context.Context, data []byte, lim Limits, w *writer) error {
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("doctext: pdf: %w", err)
	}
	n := r.NumPage()
	if lim.MaxPages > 0 && n > lim.MaxPages {
		n = lim.MaxPages
	}
	fonts := map[string]*pdf.Font{}
	var firstErr error
	for i := 1; i <= n && !w.full(); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		text, err := pageText(r, i, fonts)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("doctext: pdf page %d: %w", i, err)
			}
			continue
		}
		w.write(text)
		w.newline = true
	}
	return firstErr
}

func pageText(r *pdf.Reader, i int, fonts map[string]*pdf.Font) (text string, err error) {
	defer func() {
		if p := recover(); p != nil {
			text, err = "", fmt.Errorf("%v", p)
		}
	}()
	p := r.Page(i)
	if p.V.IsNull() {
		return "", nil
	}
	for _, name := range p.Fonts() {
		if _, ok := fonts[name]; !ok {
			f := p.Font(name)
			fonts[name] = &f
		}
	}
	return p.GetPlainText(fonts)
}

// ooxmlText reads the text elements (local name textEl) of the parts of an
// Office Open XML package that match, in part order (slide2 before
// slide10), with a line break after each paragraph (local name paraEl).
func ooxmlText(ctx context.Context, data []byte, lim Limits, w *writer, want func(string) bool, textEl, paraEl string) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("doctext: office: %w", err)
	}
	var parts []*zip.File
	for _, f := range zr.File {
		if want(f.Name) {
			parts = append(parts, f)
		}
	}
	sort.Slice(parts, func(i, j int) bool { return naturalLess(parts[i].Name, parts[j].Name) })
	for _, f := range parts {
		if w.full() {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("doctext: office part %s: %w", f.Name, err)
		}
		err = xmlText(io.LimitReader(rc, lim.MaxPart), w, textEl, paraEl)
		rc.Close()
		if err != nil {
			return fmt.Errorf("doctext: office part %s: %w", f.Name, err)
		}
		w.newline = true
	}
	return nil
}

func xmlText(r io.Reader, w *writer, textEl, paraEl string) error {
	d := xml.NewDecoder(r)
	d.Strict = false
	in := 0
	for !w.full() {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == textEl {
				in++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case textEl:
				if in > 0 {
					in--
				}
			case paraEl:
				w.newline = true
			}
		case xml.CharData:
			if in > 0 {
				w.write(string(t))
			}
		}
	}
	return nil
}

// naturalLess orders "slide2.xml" before "slide10.xml".
func naturalLess(a, b string) bool {
	na, nb := trailingNumber(a), trailingNumber(b)
	if na >= 0 && nb >= 0 && strings.TrimRight(strings.TrimSuffix(a, path.Ext(a)), "0123456789") == strings.TrimRight(strings.TrimSuffix(b, path.Ext(b)), "0123456789") {
		return na < nb
	}
	return a < b
}

func trailingNumber(name string) int {
	base := strings.TrimSuffix(name, path.Ext(name))
	i := len(base)
	for i > 0 && base[i-1] >= '0' && base[i-1] <= '9' {
		i--
	}
	n, err := strconv.Atoi(base[i:])
	if err != nil {
		return -1
	}
	return n
}
