package blob

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/store/storetest"
)

// TestSweepDisk: what a crash during an upload leaves on disk (a temporary
// file, or bytes whose `.files` document was never written) is removed once
// older than the sweep age; stored files and younger left-overs stay.
func TestSweepDisk(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	st.FilesDir = t.TempDir()
	b := Open(st, "files")
	data := bytes.Repeat([]byte("x"), 1000)
	if _, err := b.Put(ctx, "kept/1", "a.pdf", "application/pdf", data); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour)
	leave := func(path string, age time.Time) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, age, age); err != nil {
			t.Fatal(err)
		}
	}
	leave(b.diskName("orphan/1"), old)                     // bytes, no .files document
	leave(filepath.Join(b.dir, ".upload-123"), old)        // an unfinished write
	leave(b.diskName("young"), time.Now())                 // perhaps an upload in progress
	leave(filepath.Join(b.dir, ".upload-456"), time.Now()) // idem
	if err := os.Chtimes(b.diskName("kept/1"), old, old); err != nil {
		t.Fatal(err)
	}

	got, err := SweepAll(ctx, st, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got.Files != 2 || got.Bytes != 2000 {
		t.Fatalf("swept %+v, want 2 files of 1000 bytes", got)
	}
	for _, gone := range []string{b.diskName("orphan/1"), filepath.Join(b.dir, ".upload-123")} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) {
			t.Errorf("%s is still there", gone)
		}
	}
	for _, kept := range []string{b.diskName("young"), filepath.Join(b.dir, ".upload-456")} {
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("%s was removed: %v", kept, err)
		}
	}
	if _, d, err := b.Get(ctx, "kept/1"); err != nil || !bytes.Equal(d, data) {
		t.Fatalf("a stored file was touched: %v", err)
	}
}

// TestSweepChunks: chunks of a file whose `.files` document was never
// written are removed once older than the sweep age.
func TestSweepChunks(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	b := Open(st, "files")
	data := bytes.Repeat([]byte("y"), 2*ChunkSize+10)
	if _, err := b.Put(ctx, "kept", "a.pdf", "application/pdf", data); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Millisecond)
	for _, c := range []chunk{
		{ID: chunkID("orphan", 0), FileID: "orphan", N: 0, Data: []byte("a"), At: old},
		{ID: chunkID("orphan", 1), FileID: "orphan", N: 1, Data: []byte("b"), At: old},
		{ID: chunkID("young", 0), FileID: "young", N: 0, Data: []byte("c"), At: time.Now().UTC()},
	} {
		if _, err := b.chunks.InsertOne(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := b.Sweep(ctx, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got.Files != 1 {
		t.Fatalf("swept %+v, want the orphan's chunks", got)
	}
	for id, want := range map[string]int64{"orphan": 0, "young": 1, "kept": 3} {
		n, err := b.chunks.CountDocuments(ctx, bson.D{{Key: "files_id", Value: id}})
		if err != nil || n != want {
			t.Errorf("chunks of %s: %d (%v), want %d", id, n, err, want)
		}
	}
	if _, d, err := b.Get(ctx, "kept"); err != nil || !bytes.Equal(d, data) {
		t.Fatalf("a stored file was touched: %v", err)
	}
}
