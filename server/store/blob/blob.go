// Package blob stores files (attachments, team documents) in the store, in
// the GridFS collection layout: a `<bucket>.files` document per file and its
// bytes in `<bucket>.chunks` documents with `files_id`, `n` and `data`.
//
// It differs from the driver's GridFSBucket in one way that matters on the
// embedded engine: chunk ids are deterministic ("<file id>:<n>"), so reading
// a file is a handful of `{_id}` point lookups. The driver's download queries
// chunks by `files_id`, which FerretDB's SQLite backend answers by scanning
// every chunk of every file in the bucket (see docs/architecture.md, "The
// store"). On MongoDB the collections remain readable by GridFS tools.
//
// With the embedded engine the bytes go to files in the data directory
// instead of chunks (store.FilesDir): FerretDB's SQLite backend spends about
// 30 ms per 255 KiB chunk read and slows further as the chunk collection
// grows (measured in bench_test.go). The `.files` document stays in the
// store either way, marked `disk: true`.
//
// Files are immutable: a new version of a document is a new file. A file's
// `.files` document is written after all its bytes, so a half-written file
// is never visible; Delete removes the `.files` document first.
package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

// ChunkSize is the size of a chunk, GridFS's default (255 KiB).
const ChunkSize = 255 * 1024

// File describes a stored file.
type File struct {
	ID          string    `bson:"_id" json:"id"`
	Filename    string    `bson:"filename" json:"name"`
	ContentType string    `bson:"contentType" json:"contentType"`
	Length      int64     `bson:"length" json:"size"`
	ChunkSize   int32     `bson:"chunkSize" json:"-"`
	UploadDate  time.Time `bson:"uploadDate" json:"uploadedAt"`
	SHA256      string    `bson:"sha256" json:"-"`
	Disk        bool      `bson:"disk,omitempty" json:"-"` // bytes in a file under the bucket's dir
}

type chunk struct {
	ID     string `bson:"_id"`
	FileID string `bson:"files_id"`
	N      int32  `bson:"n"`
	Data   []byte `bson:"data"`
	// At is when the chunk was written: Sweep leaves younger chunks of a
	// file without a `.files` document alone (an upload in progress).
	At time.Time `bson:"at,omitempty"`
}

// Bucket is one set of files.
type Bucket struct {
	name   string
	files  *mongo.Collection
	chunks *mongo.Collection
	dir    string                // bytes on disk here, when set
	owner  atomic.Pointer[Owner] // set by Claim
}

// NewBucket opens the bucket name in db, with bytes in chunks.
func NewBucket(db *mongo.Database, name string) *Bucket {
	return &Bucket{name: name, files: db.Collection(name + ".files"), chunks: db.Collection(name + ".chunks")}
}

// Open opens the bucket name in the store: bytes on disk for the embedded
// engine, in GridFS chunks otherwise.
func Open(st *store.Store, name string) *Bucket {
	b := NewBucket(st.DB, name)
	if st.FilesDir != "" {
		b.dir = filepath.Join(st.FilesDir, name)
	}
	register(st, b)
	return b
}

// diskName maps an id to a file name: letters, digits, '-', '_' and '.'
// stay, every other byte is escaped, so no id can leave the directory.
func (b *Bucket) diskName(id string) string {
	var sb strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || (c == '.' && i > 0) {
			sb.WriteByte(c)
		} else {
			fmt.Fprintf(&sb, "%%%02x", c)
		}
	}
	return filepath.Join(b.dir, sb.String())
}

func (b *Bucket) writeDisk(id string, data []byte) error {
	if err := os.MkdirAll(b.dir, 0o700); err != nil {
		return err
	}
	final := b.diskName(id)
	if _, err := os.Stat(final); err == nil {
		return apperr.Conflict("already_exists", "a file with this id exists")
	}
	tmp, err := os.CreateTemp(b.dir, ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), final)
}

func chunkID(fileID string, n int) string { return fmt.Sprintf("%s:%05d", fileID, n) }

// Put stores data as file id. An id that exists is a conflict.
func (b *Bucket) Put(ctx context.Context, id, filename, contentType string, data []byte) (*File, error) {
	if id == "" {
		return nil, errors.New("blob: empty id")
	}
	sum := sha256.Sum256(data)
	f := &File{ID: id, Filename: filename, ContentType: contentType, Length: int64(len(data)), ChunkSize: ChunkSize,
		UploadDate: time.Now().UTC().Truncate(time.Millisecond), SHA256: hex.EncodeToString(sum[:]), Disk: b.dir != ""}
	if err := b.notePending(ctx, id, f.UploadDate); err != nil {
		return nil, err
	}
	if b.dir != "" {
		if err := b.writeDisk(id, data); err != nil {
			if errors.Is(err, apperr.ErrConflict) {
				return nil, err
			}
			return nil, fmt.Errorf("store file bytes: %w", err)
		}
		return b.insertFile(ctx, f)
	}
	n := (len(data) + ChunkSize - 1) / ChunkSize
	docs := make([]any, 0, n)
	for i := 0; i < n; i++ {
		end := min((i+1)*ChunkSize, len(data))
		docs = append(docs, chunk{ID: chunkID(id, i), FileID: id, N: int32(i), Data: data[i*ChunkSize : end], At: f.UploadDate})
	}
	// Insert chunks in small batches: a 16 MiB message limit applies.
	for len(docs) > 0 {
		k := min(len(docs), 32)
		if _, err := b.chunks.InsertMany(ctx, docs[:k]); err != nil {
			if mongo.IsDuplicateKeyError(err) {
				return nil, apperr.Conflict("already_exists", "a file with this id exists")
			}
			return nil, fmt.Errorf("store chunks: %w", err)
		}
		docs = docs[k:]
	}
	return b.insertFile(ctx, f)
}

func (b *Bucket) insertFile(ctx context.Context, f *File) (*File, error) {
	if _, err := b.files.InsertOne(ctx, f); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return nil, apperr.Conflict("already_exists", "a file with this id exists")
		}
		return nil, fmt.Errorf("store file: %w", err)
	}
	return f, nil
}

// Stat returns a file's description.
func (b *Bucket) Stat(ctx context.Context, id string) (*File, error) {
	var f File
	if err := b.files.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&f); err != nil {
		if errors.Is(err, mongo.ErrNoDocuments) {
			return nil, apperr.NotFound("not_found", "file not found")
		}
		return nil, fmt.Errorf("read file: %w", err)
	}
	return &f, nil
}

// Get returns a file and its bytes, checked against the stored digest.
func (b *Bucket) Get(ctx context.Context, id string) (*File, []byte, error) {
	f, err := b.Stat(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	var data []byte
	if f.Disk {
		if b.dir == "" {
			return nil, nil, fmt.Errorf("file %s is on disk but this bucket has no directory", id)
		}
		if data, err = os.ReadFile(b.diskName(id)); err != nil {
			return nil, nil, fmt.Errorf("read file %s: %w", id, err)
		}
	} else {
		if data, err = b.readChunks(ctx, f); err != nil {
			return nil, nil, err
		}
	}
	sum := sha256.Sum256(data)
	if int64(len(data)) != f.Length || hex.EncodeToString(sum[:]) != f.SHA256 {
		return nil, nil, &DamagedError{ID: id, Reason: "length or digest mismatch"}
	}
	return f, data, nil
}

func (b *Bucket) readChunks(ctx context.Context, f *File) ([]byte, error) {
	id := f.ID
	var buf bytes.Buffer
	buf.Grow(int(f.Length))
	n := int((f.Length + int64(ChunkSize) - 1) / int64(ChunkSize))
	for i := 0; i < n; i++ {
		var c chunk
		if err := b.chunks.FindOne(ctx, bson.D{{Key: "_id", Value: chunkID(id, i)}}).Decode(&c); err != nil {
			return nil, fmt.Errorf("read chunk %d of %s: %w", i, id, err)
		}
		buf.Write(c.Data)
	}
	return buf.Bytes(), nil
}

// Delete removes a file. Removing a missing file is not an error.
func (b *Bucket) Delete(ctx context.Context, id string) error {
	f, err := b.Stat(ctx, id)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := b.files.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return fmt.Errorf("delete file: %w", err)
	}
	if f.Disk {
		if err := os.Remove(b.diskName(id)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("delete file bytes: %w", err)
		}
		return nil
	}
	// One delete by `_id` a chunk: an `$in` filter reads every chunk of
	// every file on the embedded store.
	n := int((f.Length + int64(ChunkSize) - 1) / int64(ChunkSize))
	for i := range n {
		if _, err := b.chunks.DeleteOne(ctx, bson.D{{Key: "_id", Value: chunkID(id, i)}}); err != nil {
			return fmt.Errorf("delete chunks: %w", err)
		}
	}
	return nil
}

// Open returns a file and a reader over its bytes, for streaming a download
// without holding the file in memory: an *os.File for bytes on disk, else a
// reader that loads one chunk at a time by `_id` point lookup. The reader
// seeks, so HTTP Range requests work. A read from start to end checks the
// SHA-256 as it goes and fails with a *DamagedError on the last read,
// before handing out the last bytes (see verifier); a short file or a
// missing chunk is a read error too. The caller closes the reader.
func (b *Bucket) Open(ctx context.Context, id string) (*File, io.ReadSeekCloser, error) {
	f, err := b.Stat(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if f.Disk {
		if b.dir == "" {
			return nil, nil, fmt.Errorf("file %s is on disk but this bucket has no directory", id)
		}
		fh, err := os.Open(b.diskName(id))
		if err != nil {
			return nil, nil, fmt.Errorf("read file %s: %w", id, err)
		}
		if st, err := fh.Stat(); err != nil || st.Size() != f.Length {
			fh.Close()
			return nil, nil, &DamagedError{ID: id, Reason: "length mismatch"}
		}
		return f, newVerifier(f, fh), nil
	}
	r := &chunkReader{ctx: ctx, b: b, f: f, cur: -1}
	// Load the first chunk now: a file whose bytes are gone fails here,
	// before an HTTP answer has begun, rather than halfway through.
	if f.Length > 0 {
		if err := r.load(0); err != nil {
			return nil, nil, err
		}
	}
	return f, newVerifier(f, r), nil
}

// chunkReader reads a chunked file one chunk at a time.
type chunkReader struct {
	ctx  context.Context
	b    *Bucket
	f    *File
	off  int64
	cur  int    // index of the chunk in data, -1 for none
	data []byte // chunk cur
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if r.off >= r.f.Length {
		return 0, io.EOF
	}
	n := int(r.off / ChunkSize)
	if err := r.load(n); err != nil {
		return 0, err
	}
	k := copy(p, r.data[r.off-int64(n)*ChunkSize:])
	r.off += int64(k)
	return k, nil
}

// load makes chunk n the current one, by a point lookup on its `_id`.
func (r *chunkReader) load(n int) error {
	if n == r.cur {
		return nil
	}
	var c chunk
	if err := r.b.chunks.FindOne(r.ctx, bson.D{{Key: "_id", Value: chunkID(r.f.ID, n)}}).Decode(&c); err != nil {
		return fmt.Errorf("read chunk %d of %s: %w", n, r.f.ID, err)
	}
	want := min(int64(ChunkSize), r.f.Length-int64(n)*ChunkSize)
	if int64(len(c.Data)) != want {
		return &DamagedError{ID: r.f.ID, Reason: fmt.Sprintf("chunk %d has %d bytes, want %d", n, len(c.Data), want)}
	}
	r.cur, r.data = n, c.Data
	return nil
}

func (r *chunkReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.f.Length
	default:
		return 0, errors.New("blob: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("blob: negative position")
	}
	r.off = offset
	return offset, nil
}

func (r *chunkReader) Close() error { r.data = nil; return nil }
