package blob

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/apperr"
)

// Owner reports whether a stored file is still named by the record that
// owns it (a post's attachment, a document version, an audit photo). It is
// asked only about files written at least a sweep's grace period ago.
type Owner func(ctx context.Context, id string) (bool, error)

// pending is the note Put leaves for each file written to a claimed bucket,
// in `<bucket>.pending`: the file's id and when. The collection holds the
// files of the last grace period only (SweepUnreferenced empties it), so
// reading it whole stays cheap on the embedded store while the buckets grow.
type pending struct {
	ID string    `bson:"_id"`
	At time.Time `bson:"at"`
}

// Claim makes the bucket keep a note of every file Put writes from now on,
// so that SweepUnreferenced can later ask owner whether the file is named
// by anything, and remove it when it is not: the bytes of an upload whose
// owning write failed (and whose clean-up failed too, or never ran because
// the process died). Call it once, before serving.
func (b *Bucket) Claim(owner Owner) {
	b.owner.Store(&owner)
}

func (b *Bucket) pendingColl() *mongo.Collection {
	return b.files.Database().Collection(b.name + ".pending")
}

// notePending records id before its bytes are written. A note that exists
// (a retried Put) is kept: its time is the earlier write.
func (b *Bucket) notePending(ctx context.Context, id string, at time.Time) error {
	if b.owner.Load() == nil {
		return nil
	}
	if _, err := b.pendingColl().InsertOne(ctx, pending{ID: id, At: at}); err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("note pending file: %w", err)
	}
	return nil
}

// SweepUnreferenced removes the files of a claimed bucket that were written
// more than minAge ago and that its owner no longer names, and drops the
// notes of those it names. Every step is idempotent (a delete by id, a
// note dropped last), so a run stopped half-way is finished by the next,
// and two instances sweeping at once are safe. It reads only the notes
// collection whole; the files are point lookups.
func (b *Bucket) SweepUnreferenced(ctx context.Context, minAge time.Duration) (Swept, error) {
	var s Swept
	op := b.owner.Load()
	if op == nil {
		return s, nil
	}
	owner := *op
	cutoff := time.Now().Add(-minAge)
	cur, err := b.pendingColl().Find(ctx, bson.D{})
	if err != nil {
		return s, fmt.Errorf("sweep %s: %w", b.pendingColl().Name(), err)
	}
	var notes []pending
	if err := cur.All(ctx, &notes); err != nil {
		return s, fmt.Errorf("sweep %s: %w", b.pendingColl().Name(), err)
	}
	var errs []error
	for _, n := range notes {
		if n.At.After(cutoff) {
			continue // perhaps its owning write is still under way
		}
		used, err := owner(ctx, n.ID)
		if err != nil {
			errs = append(errs, fmt.Errorf("sweep %s: owner of %s: %w", b.name, n.ID, err))
			continue
		}
		if !used {
			f, err := b.Stat(ctx, n.ID)
			if err == nil {
				err = b.Delete(ctx, n.ID)
			}
			if err != nil && !errors.Is(err, apperr.ErrNotFound) {
				errs = append(errs, err)
				continue
			}
			if err == nil {
				s.Files++
				s.Bytes += f.Length
			}
		}
		if _, err := b.pendingColl().DeleteOne(ctx, bson.D{{Key: "_id", Value: n.ID}}); err != nil {
			errs = append(errs, fmt.Errorf("sweep %s: %w", b.pendingColl().Name(), err))
		}
	}
	return s, errors.Join(errs...)
}
