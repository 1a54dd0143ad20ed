// Package blobtest builds the files that tests upload: archives that
// blob.Sniff takes for what they say they are.
package blobtest

import (
	"archive/zip"
	"bytes"
	"testing"
)

// ZipWith is a zip archive with an entry per name, each holding "<x/>".
func ZipWith(t testing.TB, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Docx is the smallest Word document (an OOXML package) blob.Sniff accepts.
func Docx(t testing.TB) []byte {
	t.Helper()
	return ZipWith(t, "[Content_Types].xml", "word/document.xml")
}
