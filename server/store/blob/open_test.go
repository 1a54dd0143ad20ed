package blob_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/store"
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

// A file whose bytes changed after the upload (same length, one byte
// flipped in a middle chunk or on disk): reading it whole fails on the last
// read, before the last bytes are handed out, with a DamagedError; a range
// elsewhere still reads; an intact file reads whole.
func TestOpenChecksTheDigest(t *testing.T) {
	for mode, disk := range map[string]bool{"chunks": false, "disk": true} {
		t.Run(mode, func(t *testing.T) {
			st := storetest.New(t)
			if disk {
				st.FilesDir = t.TempDir()
			}
			b := blob.Open(st, "files")
			ctx := context.Background()
			data := bytes.Repeat([]byte("abcdefgh"), (2*blob.ChunkSize+999)/8)
			for _, id := range []string{"ok", "bad"} {
				if _, err := b.Put(ctx, id, "x.bin", "application/octet-stream", data); err != nil {
					t.Fatal(err)
				}
			}
			corrupt(t, st, disk, "bad", blob.ChunkSize+5)

			_, r, err := b.Open(ctx, "ok")
			if err != nil {
				t.Fatal(err)
			}
			if all, err := io.ReadAll(r); err != nil || !bytes.Equal(all, data) {
				t.Fatalf("intact file: %v", err)
			}
			r.Close()

			_, r, err = b.Open(ctx, "bad")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			// As http.ServeContent does: learn the size, back to the start.
			if _, err := r.Seek(0, io.SeekEnd); err != nil {
				t.Fatal(err)
			}
			if _, err := r.Seek(0, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			var d *blob.DamagedError
			if !errors.As(err, &d) || d.ID != "bad" {
				t.Fatalf("damaged file read whole: err %v", err)
			}
			if len(got) >= len(data) {
				t.Fatalf("all %d bytes of a damaged file were handed out", len(got))
			}
			// A range that does not reach the end is not checked.
			if _, err := r.Seek(10, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			part := make([]byte, 100)
			if _, err := io.ReadFull(r, part); err != nil || !bytes.Equal(part, data[10:110]) {
				t.Fatalf("range: %v", err)
			}
		})
	}
}

// corrupt flips the byte at off of file id, in its chunk or on disk.
func corrupt(t *testing.T, st *store.Store, disk bool, id string, off int) {
	t.Helper()
	ctx := context.Background()
	if disk {
		path := filepath.Join(st.FilesDir, "files", id)
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		raw[off] ^= 0xff
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	chunks := st.DB.Collection("files.chunks")
	cid := fmt.Sprintf("%s:%05d", id, off/blob.ChunkSize)
	var c struct {
		Data []byte `bson:"data"`
	}
	if err := chunks.FindOne(ctx, bson.D{{Key: "_id", Value: cid}}).Decode(&c); err != nil {
		t.Fatal(err)
	}
	c.Data[off%blob.ChunkSize] ^= 0xff
	if _, err := chunks.UpdateOne(ctx, bson.D{{Key: "_id", Value: cid}}, bson.D{{Key: "$set", Value: bson.D{{Key: "data", Value: c.Data}}}}); err != nil {
		t.Fatal(err)
	}
}
