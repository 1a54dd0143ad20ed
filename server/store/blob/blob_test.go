package blob_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store/blob"
	"github.com/plein/plein/server/store/blob/blobtest"
	"github.com/plein/plein/server/store/storetest"
)

// Both ways of keeping the bytes: GridFS chunks (MongoDB) and files on
// disk (the embedded engine).
func buckets(t *testing.T) map[string]*blob.Bucket {
	st := storetest.New(t)
	disk := storetest.New(t)
	disk.FilesDir = t.TempDir()
	return map[string]*blob.Bucket{"chunks": blob.Open(st, "files"), "disk": blob.Open(disk, "files")}
}

func TestPutGetDelete(t *testing.T) {
	for mode, b := range buckets(t) {
		t.Run(mode, func(t *testing.T) { testPutGetDelete(t, b, mode) })
	}
}

func testPutGetDelete(t *testing.T, b *blob.Bucket, mode string) {
	ctx := context.Background()
	// Three chunks: the last one partial.
	data := bytes.Repeat([]byte("0123456789"), (2*blob.ChunkSize+1234)/10)
	f, err := b.Put(ctx, "f1", "verslag.pdf", "application/pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if f.Length != int64(len(data)) {
		t.Fatalf("length %d, want %d", f.Length, len(data))
	}
	got, gotData, err := b.Get(ctx, "f1")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotData, data) || got.Filename != "verslag.pdf" || got.SHA256 != f.SHA256 {
		t.Fatalf("read back differs: %+v", got)
	}
	if _, err := b.Put(ctx, "f1", "x.txt", "text/plain", []byte("x")); !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("second put with the same id: %v, want conflict", err)
	}
	// The conflicting put must not have damaged the first file.
	if _, d, err := b.Get(ctx, "f1"); err != nil || !bytes.Equal(d, data) {
		t.Fatalf("file damaged by refused put: %v", err)
	}
	if err := b.Delete(ctx, "f1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Get(ctx, "f1"); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("after delete: %v, want not found", err)
	}
	if err := b.Delete(ctx, "missing"); err != nil {
		t.Fatalf("deleting a missing file: %v", err)
	}
}

func TestEmptyFileAndOddIDs(t *testing.T) {
	for mode, b := range buckets(t) {
		t.Run(mode, func(t *testing.T) {
			ctx := context.Background()
			if _, err := b.Put(ctx, "e", "leeg.txt", "text/plain", nil); err != nil {
				t.Fatal(err)
			}
			if _, d, err := b.Get(ctx, "e"); err != nil || len(d) != 0 {
				t.Fatalf("empty file: %v %d", err, len(d))
			}
			// Ids that look like paths stay inside the bucket.
			for _, id := range []string{"../../etc/passwd", "a/b", ".hidden", "art:f01"} {
				if _, err := b.Put(ctx, id, "x.txt", "text/plain", []byte(id)); err != nil {
					t.Fatalf("%q: %v", id, err)
				}
				if _, d, err := b.Get(ctx, id); err != nil || string(d) != id {
					t.Fatalf("%q: %v %q", id, err, d)
				}
			}
		})
	}
}

func TestChunksGone(t *testing.T) {
	st := storetest.New(t)
	b := blob.Open(st, "files")
	ctx := context.Background()
	if _, err := b.Put(ctx, "x", "x.txt", "text/plain", bytes.Repeat([]byte("a"), 3*blob.ChunkSize)); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	n, err := st.DB.Collection("files.chunks").CountDocuments(ctx, map[string]any{})
	if err != nil || n != 0 {
		t.Fatalf("chunks left after delete: %d (%v)", n, err)
	}
}

func TestSniff(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	pdf := []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj")
	docx := blobtest.Docx(t)
	docm := blobtest.ZipWith(t, "[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")
	all := blob.Images | blob.PDF | blob.Office | blob.Text
	cases := []struct {
		name    string
		data    []byte
		file    string
		allowed blob.Kind
		want    string // "" = refused
	}{
		{"png", png, "foto.PNG", all, "image/png"},
		{"pdf", pdf, "protocol.pdf", all, "application/pdf"},
		{"docx", docx, "brief.docx", all, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"macro office refused", docm, "brief.docx", all, ""},
		{"docx named xlsx refused", docx, "brief.xlsx", all, ""},
		{"plain zip refused", blobtest.ZipWith(t, "a.txt"), "a.docx", all, ""},
		{"png named pdf refused", png, "protocol.pdf", all, ""},
		{"pdf not allowed", pdf, "protocol.pdf", blob.Images, ""},
		{"empty refused", nil, "leeg.txt", all, ""},
		{"text", []byte("regel één\n"), "notities.txt", all, "text/plain; charset=utf-8"},
		{"csv", []byte("a;b\n1;2\n"), "lijst.csv", all, "text/csv; charset=utf-8"},
		{"binary as txt refused", []byte("a\x00b"), "x.txt", all, ""},
		{"invalid utf8 refused", []byte{0xff, 0xfe, 'a'}, "x.txt", all, ""},
		{"html refused", []byte("<html><script>alert(1)</script>"), "x.html", all, ""},
		{"svg refused", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "x.svg", all, ""},
		{"exe refused", []byte("MZ\x90\x00"), "x.pdf", all, ""},
		{"text when not allowed", []byte("hallo"), "x.txt", blob.PDF, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := blob.Sniff(c.data, c.file, c.allowed)
			if got != c.want || ok != (c.want != "") {
				t.Fatalf("Sniff = %q, %v; want %q", got, ok, c.want)
			}
		})
	}
}

func FuzzSniff(f *testing.F) {
	f.Add([]byte("%PDF-1.4"), "a.pdf")
	f.Add([]byte("PK\x03\x04garbage"), "a.docx")
	f.Add([]byte("\x89PNG\r\n\x1a\n"), "a.png")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		ct, ok := blob.Sniff(data, name, blob.Images|blob.PDF|blob.Office|blob.Text)
		if ok == (ct == "") {
			t.Fatalf("inconsistent result %q %v", ct, ok)
		}
		if ok && len(data) == 0 {
			t.Fatal("empty file accepted")
		}
	})
}
