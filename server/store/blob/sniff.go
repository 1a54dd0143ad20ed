package blob

import (
	"archive/zip"
	"bytes"
	"path"
	"strings"
	"unicode/utf8"
)

// Kind is a set of accepted file kinds.
type Kind uint

// File kinds. Office means the OOXML formats (docx, xlsx, pptx); the old
// binary formats and macro-enabled files are refused.
const (
	Images Kind = 1 << iota // png, jpeg, gif, webp
	PDF
	Office
	Text // txt, csv, md: valid UTF-8 without NUL bytes
)

type kindInfo struct {
	kind Kind
	ext  []string
	ct   string
}

var kinds = []struct {
	name string
	kindInfo
	match func([]byte) bool
}{
	{"png", kindInfo{Images, []string{".png"}, "image/png"}, prefix("\x89PNG\r\n\x1a\n")},
	{"jpeg", kindInfo{Images, []string{".jpg", ".jpeg"}, "image/jpeg"}, prefix("\xff\xd8\xff")},
	{"gif", kindInfo{Images, []string{".gif"}, "image/gif"}, func(b []byte) bool {
		return bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a"))
	}},
	{"webp", kindInfo{Images, []string{".webp"}, "image/webp"}, func(b []byte) bool {
		return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP"
	}},
	{"pdf", kindInfo{PDF, []string{".pdf"}, "application/pdf"}, prefix("%PDF-")},
	{"docx", kindInfo{Office, []string{".docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}, ooxml("word/")},
	{"xlsx", kindInfo{Office, []string{".xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, ooxml("xl/")},
	{"pptx", kindInfo{Office, []string{".pptx"}, "application/vnd.openxmlformats-officedocument.presentationml.presentation"}, ooxml("ppt/")},
}

var textTypes = map[string]string{".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".md": "text/markdown; charset=utf-8"}

func prefix(p string) func([]byte) bool {
	return func(b []byte) bool { return bytes.HasPrefix(b, []byte(p)) }
}

// ooxml recognises an Office Open XML package by its content-types part and
// a part under dir; macro-enabled packages (vbaProject.bin) are refused.
func ooxml(dir string) func([]byte) bool {
	return func(b []byte) bool {
		if !bytes.HasPrefix(b, []byte("PK\x03\x04")) {
			return false
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return false
		}
		var types, part bool
		for _, f := range zr.File {
			switch {
			case f.Name == "[Content_Types].xml":
				types = true
			case strings.HasSuffix(strings.ToLower(f.Name), "vbaproject.bin"):
				return false
			case strings.HasPrefix(f.Name, dir):
				part = true
			}
		}
		return types && part
	}
}

// Sniff decides a file's content type from its bytes, among the allowed
// kinds, and checks that the file name's extension agrees (a PNG named
// report.pdf is refused: it would open in the wrong program). It never
// trusts a client's declared content type. ok is false when the file is
// empty, of a kind not allowed, or its name does not match its contents.
func Sniff(data []byte, filename string, allowed Kind) (contentType string, ok bool) {
	if len(data) == 0 {
		return "", false
	}
	ext := strings.ToLower(path.Ext(filename))
	for _, k := range kinds {
		if !k.match(data) {
			continue
		}
		if allowed&k.kind == 0 {
			return "", false
		}
		for _, e := range k.ext {
			if e == ext {
				return k.ct, true
			}
		}
		return "", false
	}
	if allowed&Text != 0 {
		if ct, known := textTypes[ext]; known && utf8.Valid(data) && bytes.IndexByte(data, 0) < 0 {
			return ct, true
		}
	}
	return "", false
}

// Inline reports whether a content type may be shown in the browser (images
// and PDF, always served with a sandboxing Content-Security-Policy); other
// files are downloads.
func Inline(contentType string) bool {
	return strings.HasPrefix(contentType, "image/") || contentType == "application/pdf"
}

// Describe names the accepted kinds for an error message, in Dutch-neutral
// file extensions ("pdf, png, jpg").
func Describe(allowed Kind) string {
	var out []string
	for _, k := range kinds {
		if allowed&k.kind != 0 {
			out = append(out, k.ext[0][1:])
		}
	}
	if allowed&Text != 0 {
		out = append(out, "txt", "csv")
	}
	return strings.Join(out, ", ")
}
