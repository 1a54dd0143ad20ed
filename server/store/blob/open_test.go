package blob_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/store/blob"
	"github.com/plein/plein/server/store/storetest"
)

func TestOpenStreams(t *testing.T) {
	for mode, b := range buckets(t) {
		t.Run(mode, func(t *testing.T) {
			ctx := context.Background()
			data := make([]byte, 3*blob.ChunkSize+777)
			for i := range data {
				data[i] = byte(i * 7 / 3)
			}
			if _, err := b.Put(ctx, "s1", "x.bin", "application/octet-stream", data); err != nil {
				t.Fatal(err)
			}
			f, r, err := b.Open(ctx, "s1")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if f.Length != int64(len(data)) {
				t.Fatalf("length %d", f.Length)
			}
			all, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(all, data) {
				t.Fatalf("read all: %v, equal %v", err, bytes.Equal(all, data))
			}
			// Seek to the middle of chunk 1 and read across into chunk 3.
			off := int64(blob.ChunkSize + blob.ChunkSize/2)
			if pos, err := r.Seek(off, io.SeekStart); err != nil || pos != off {
				t.Fatalf("seek: %d %v", pos, err)
			}
			buf := make([]byte, 3*blob.ChunkSize/2+500) // ends in the last chunk
			if _, err := io.ReadFull(r, buf); err != nil || !bytes.Equal(buf, data[off:off+int64(len(buf))]) {
				t.Fatalf("read across chunks: %v", err)
			}
			// From the end, as http.ServeContent does for a suffix range.
			if pos, err := r.Seek(-100, io.SeekEnd); err != nil || pos != int64(len(data)-100) {
				t.Fatalf("seek end: %d %v", pos, err)
			}
			tail, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(tail, data[len(data)-100:]) {
				t.Fatalf("tail: %v", err)
			}
			if n, err := r.Read(buf); n != 0 || err != io.EOF {
				t.Fatalf("read at end: %d %v", n, err)
			}
		})
	}
}

func TestOpenMissingChunk(t *testing.T) {
	st := storetest.New(t)
	b := blob.Open(st, "files")
	ctx := context.Background()
	data := bytes.Repeat([]byte("ab"), blob.ChunkSize+10) // three chunks
	if _, err := b.Put(ctx, "m", "x.bin", "application/octet-stream", data); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB.Collection("files.chunks").DeleteOne(ctx, bson.D{{Key: "_id", Value: "m:00001"}}); err != nil {
		t.Fatal(err)
	}
	_, r, err := b.Open(ctx, "m")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	if err == nil {
		t.Fatal("reading a file with a missing chunk succeeded")
	}
	if len(got) != blob.ChunkSize {
		t.Fatalf("read %d bytes before the error, want the first chunk", len(got))
	}
	// Without its first chunk, the file fails to open at all.
	if _, err := st.DB.Collection("files.chunks").DeleteOne(ctx, bson.D{{Key: "_id", Value: "m:00000"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Open(ctx, "m"); err == nil {
		t.Fatal("opening a file without its first chunk succeeded")
	}
}

func TestOpenMissingFile(t *testing.T) {
	for mode, b := range buckets(t) {
		if _, _, err := b.Open(context.Background(), "nope"); err == nil {
			t.Fatalf("%s: open of a missing file succeeded", mode)
		}
	}
}

// BenchmarkDownload5MiB: bytes allocated per download of a 5 MiB file, all
// in memory (Get) against streamed (Open + io.Copy), in both layouts.
func BenchmarkDownload5MiB(b *testing.B) {
	for _, disk := range []bool{false, true} {
		mode := "chunks"
		if disk {
			mode = "disk"
		}
		st := storetest.New(b)
		if disk {
			st.FilesDir = b.TempDir()
		}
		bk := blob.Open(st, "files")
		ctx := context.Background()
		if _, err := bk.Put(ctx, "big", "x.pdf", "application/pdf", make([]byte, 5<<20)); err != nil {
			b.Fatal(err)
		}
		b.Run(mode+"/Get", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, data, err := bk.Get(ctx, "big")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(mode+"/Open", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, r, err := bk.Open(ctx, "big")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, r); err != nil {
					b.Fatal(err)
				}
				r.Close()
			}
		})
	}
}
