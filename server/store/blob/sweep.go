package blob

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

// SweepAge is how old left-over bytes must be before Sweep removes them: far
// longer than any upload takes, so an upload in progress is never touched.
const SweepAge = time.Hour

// opened holds the buckets opened on each store, for SweepAll.
var opened struct {
	sync.Mutex
	by map[*store.Store][]*Bucket
}

func register(st *store.Store, b *Bucket) {
	opened.Lock()
	defer opened.Unlock()
	if opened.by == nil {
		opened.by = map[*store.Store][]*Bucket{}
	}
	for _, x := range opened.by[st] {
		if x.files.Name() == b.files.Name() {
			return
		}
	}
	opened.by[st] = append(opened.by[st], b)
}

// Swept is what a sweep removed.
type Swept struct {
	Files int   // left-over files or chunk sets
	Bytes int64 // their size, where known
	// Unreferenced: complete files that their owner no longer names
	// (SweepUnreferenced), counted in Files and Bytes too.
	Unreferenced int
}

// SweepAll sweeps every bucket opened on st: left-over bytes (Sweep) and,
// in claimed buckets, complete files nothing names (SweepUnreferenced).
func SweepAll(ctx context.Context, st *store.Store, minAge time.Duration) (Swept, error) {
	opened.Lock()
	buckets := append([]*Bucket(nil), opened.by[st]...)
	opened.Unlock()
	var total Swept
	var errs []error
	for _, b := range buckets {
		s, err := b.Sweep(ctx, minAge)
		total.Files += s.Files
		total.Bytes += s.Bytes
		errs = append(errs, err)
		u, err := b.SweepUnreferenced(ctx, minAge)
		total.Files += u.Files
		total.Bytes += u.Bytes
		total.Unreferenced += u.Files
		errs = append(errs, err)
	}
	return total, errors.Join(errs...)
}

// Sweep removes the bytes that a crash or a lost store connection during an
// upload left behind, once they are older than minAge: on disk, an
// unfinished temporary file, or a file no `.files` document describes; in
// GridFS chunks, the chunks of a file with no `.files` document. (Put writes
// the `.files` document last, so bytes without one were never visible.) It
// runs in the background: the chunk query is not by `_id`.
func (b *Bucket) Sweep(ctx context.Context, minAge time.Duration) (Swept, error) {
	if b.dir != "" {
		return b.sweepDisk(ctx, minAge)
	}
	return b.sweepChunks(ctx, minAge)
}

func (b *Bucket) sweepDisk(ctx context.Context, minAge time.Duration) (Swept, error) {
	var s Swept
	entries, err := os.ReadDir(b.dir)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("sweep %s: %w", b.dir, err)
	}
	cutoff := time.Now().Add(-minAge)
	for _, e := range entries {
		if ctx.Err() != nil {
			return s, ctx.Err()
		}
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || info.ModTime().After(cutoff) {
			continue
		}
		if !strings.HasPrefix(e.Name(), ".upload-") {
			id, err := url.PathUnescape(e.Name())
			if err != nil {
				continue
			}
			if _, err := b.Stat(ctx, id); !errors.Is(err, apperr.ErrNotFound) {
				if err != nil {
					return s, err
				}
				continue // described: a stored file
			}
		}
		if err := os.Remove(filepath.Join(b.dir, e.Name())); err == nil {
			s.Files++
			s.Bytes += info.Size()
		}
	}
	return s, nil
}

func (b *Bucket) sweepChunks(ctx context.Context, minAge time.Duration) (Swept, error) {
	var s Swept
	cur, err := b.chunks.Find(ctx, bson.D{{Key: "n", Value: 0}},
		options.Find().SetProjection(bson.D{{Key: "files_id", Value: 1}, {Key: "at", Value: 1}}))
	if err != nil {
		return s, fmt.Errorf("sweep %s: %w", b.chunks.Name(), err)
	}
	var first []chunk
	if err := cur.All(ctx, &first); err != nil {
		return s, fmt.Errorf("sweep %s: %w", b.chunks.Name(), err)
	}
	cutoff := time.Now().Add(-minAge)
	for _, c := range first {
		if !c.At.IsZero() && c.At.After(cutoff) {
			continue // perhaps an upload in progress
		}
		if _, err := b.Stat(ctx, c.FileID); !errors.Is(err, apperr.ErrNotFound) {
			if err != nil {
				return s, err
			}
			continue
		}
		res, err := b.chunks.DeleteMany(ctx, bson.D{{Key: "files_id", Value: c.FileID}})
		if err != nil {
			return s, fmt.Errorf("sweep %s: %w", b.chunks.Name(), err)
		}
		s.Files++
		s.Bytes += res.DeletedCount * ChunkSize // at most
	}
	return s, nil
}
