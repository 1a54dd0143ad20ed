package push

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/notify"
	"github.com/plein/plein/server/store"
)

// The outbox: a push waiting to be sent is a document, so a restart loses
// none (docs/architecture.md, "Web Push").
//
//   - push_outbox "<unix nanos, 19 digits>-<random>": one push to one
//     person: what its message is built from (the kind, the actor's first
//     name, the place, the link, an event reminder's start time; never a
//     notification's title or text),
//     written in batches by one committer before it is queued, deleted by
//     _id once sent (or given up on).
//   - push_outbox_claims "<push id>@<window>": who sends a push another
//     process left behind. An insert, so exactly one process claims it in a
//     window (5 minutes); should that one die too, the next window's
//     claim is free. The claimer checks the push is still waiting after
//     claiming (a process that read it earlier may have sent it); claims
//     are swept after a day.
//
// Every instance sweeps the outbox every minute (a scan of a small
// collection: pushes waiting, normally none) and sends what has waited
// longer than outboxStale: its owner died or was stopped. A push older than
// the push TTL is dropped unsent. A push may so be sent twice in a rare
// case (an owner still working through a queue longer than outboxStale, or
// dying between the send and the delete); the device then shows it once,
// as the second replaces the first (same tag).
const (
	outboxColl       = "push_outbox"
	outboxClaimsColl = "push_outbox_claims"
	outboxStale      = 5 * time.Minute
	outboxWindow     = 5 * time.Minute
	outboxSweep      = time.Minute
	outboxBatch      = 500
)

// outDoc is one waiting push.
type outDoc struct {
	ID    string `bson:"_id"`
	User  string `bson:"u"`
	Kind  string `bson:"k"`
	Actor string `bson:"a,omitempty"` // first name only
	Place string `bson:"p,omitempty"`
	Link  string `bson:"l,omitempty"`
	// Subject is the notification's PushSubject when it may be shown
	// (pushSubject): an event reminder's start time.
	Subject string    `bson:"s,omitempty"`
	At      time.Time `bson:"at"`
}

type claimOut struct {
	ID string    `bson:"_id"`
	At time.Time `bson:"at"`
}

// notification is what messageFor needs of the waiting push.
func (d *outDoc) notification() notify.Notification {
	n := notify.Notification{Kind: d.Kind, Link: d.Link, Place: d.Place, PushSubject: d.Subject}
	if d.Actor != "" {
		n.Actor = &notify.PersonRef{Name: d.Actor}
	}
	return n
}

func newOutDoc(user string, n notify.Notification, at time.Time) outDoc {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	d := outDoc{ID: fmt.Sprintf("%019d-%s", at.UnixNano(), hex.EncodeToString(b)), User: user, Kind: n.Kind,
		Place: n.Place, Link: n.Link, Subject: pushSubject(n), At: at}
	if n.Actor != nil {
		d.Actor = firstName(n.Actor.Name)
	}
	return d
}

type outbox struct{ docs, claims *mongo.Collection }

func newOutbox(s *store.Store) *outbox {
	return &outbox{docs: s.DB.Collection(outboxColl), claims: s.DB.Collection(outboxClaimsColl)}
}

// write stores a batch (a duplicate is a retry of a write that landed).
func (o *outbox) write(ctx context.Context, jobs []job) error {
	docs := make([]any, len(jobs))
	for i := range jobs {
		docs[i] = &jobs[i].doc
	}
	_, err := o.docs.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	if err != nil && errors.As(err, &bwe) && bwe.WriteConcernError == nil {
		for _, we := range bwe.WriteErrors {
			if !mongo.IsDuplicateKeyError(we) {
				return err
			}
		}
		return nil
	}
	return err
}

// done deletes a sent push (by _id). Its claim stays until the daily
// sweep, so nobody claims the push again in the same window.
func (o *outbox) done(ctx context.Context, j job) error {
	_, err := o.docs.DeleteOne(ctx, byID(j.doc.ID))
	return err
}

// waiting reports whether a push is still in the outbox (a point lookup).
func (o *outbox) waiting(ctx context.Context, id string) (bool, error) {
	err := o.docs.FindOne(ctx, byID(id)).Err()
	if store.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// all reads the waiting pushes (a small collection; see above).
func (o *outbox) all(ctx context.Context) ([]outDoc, error) {
	cur, err := o.docs.Find(store.Rare(ctx), bson.D{})
	if err != nil {
		return nil, err
	}
	var out []outDoc
	err = cur.All(ctx, &out)
	return out, err
}

// forget deletes the person's waiting pushes (erasure): a delete by the
// person, a scan of the small outbox on the embedded store.
func (o *outbox) forget(ctx context.Context, user string) error {
	_, err := o.docs.DeleteMany(ctx, bson.D{{Key: "u", Value: user}})
	return err
}

// claim takes a left-behind push for this window; false when another
// process has it.
func (o *outbox) claim(ctx context.Context, id string, now time.Time) (string, bool, error) {
	cid := fmt.Sprintf("%s@%d", id, now.Unix()/int64(outboxWindow/time.Second))
	_, err := o.claims.InsertOne(ctx, &claimOut{ID: cid, At: now})
	if store.IsDuplicateKey(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return cid, true, nil
}

// sweepClaims drops claims older than a day (their push is long gone: a
// process died between deleting the push and its claim).
func (o *outbox) sweepClaims(ctx context.Context, before time.Time) error {
	cur, err := o.claims.Find(store.Rare(ctx), bson.D{})
	if err != nil {
		return err
	}
	var cs []claimOut
	if err := cur.All(ctx, &cs); err != nil {
		return err
	}
	for _, c := range cs {
		if c.At.Before(before) {
			if _, err := o.claims.DeleteOne(ctx, byID(c.ID)); err != nil {
				return err
			}
		}
	}
	return nil
}

// committer writes forwarded pushes to the outbox, a batch at a time, and
// queues them for the senders. At Close it writes what is still pending.
func (s *Service) committer() {
	defer s.wg.Done()
	for {
		select {
		case <-s.stop:
			s.commit(false)
			return
		case <-s.wake:
			for s.commit(true) {
			}
		}
	}
}

// commit writes up to outboxBatch pending pushes and, with queue, hands
// them to the senders; false when none were pending or Close began.
func (s *Service) commit(queue bool) bool {
	s.mu.Lock()
	n := min(len(s.pending), outboxBatch)
	batch := s.pending[:n:n]
	s.pending = s.pending[n:]
	s.mu.Unlock()
	if n == 0 {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	err := s.out.write(ctx, batch)
	cancel()
	if err != nil {
		// Still sent, from memory: only a restart before that would lose them.
		s.log.Warn("push: outbox not written", "pushes", n, "err", err)
	}
	if !queue {
		return false
	}
	for _, j := range batch {
		select {
		case s.queue <- j: // never full: at most Options.Queue are busy
		case <-s.stop:
			return false // in the outbox: the next start sends them
		}
	}
	return true
}

// sweeper sends pushes other processes left behind, every outboxSweep.
func (s *Service) sweeper() {
	defer s.wg.Done()
	if !s.Enabled() {
		return
	}
	t := time.NewTicker(outboxSweep)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			if _, err := s.Recover(ctx); err != nil {
				s.log.Warn("push: left-behind pushes not read", "err", err)
			}
			cancel()
		}
	}
}

// Recover queues the pushes in the outbox that have waited longer than
// outboxStale and that no other process has claimed in this window (their
// owner died or was stopped), and drops those older than the push TTL. It
// runs at start and every minute; it returns how many it queued.
func (s *Service) Recover(ctx context.Context) (int, error) {
	docs, err := s.out.all(ctx)
	if err != nil {
		return 0, err
	}
	now, n := s.o.Now().UTC(), 0
	for _, d := range docs {
		s.mu.Lock()
		skip := s.closed || s.inflight[d.ID]
		s.mu.Unlock()
		age := now.Sub(d.At)
		switch {
		case skip || age < outboxStale:
			continue
		case age > s.o.TTL:
			if err := s.out.done(ctx, job{doc: d}); err != nil {
				return n, err
			}
			continue
		}
		cid, ok, err := s.out.claim(ctx, d.ID, now)
		if err != nil {
			return n, err
		}
		if ok { // sent meanwhile by the process that read it before us?
			ok, err = s.out.waiting(ctx, d.ID)
			if err != nil {
				return n, err
			}
		}
		if !ok || !s.take(job{doc: d, claim: cid}) {
			continue
		}
		n++
	}
	return n, s.out.sweepClaims(ctx, now.Add(-24*time.Hour))
}

// take queues a recovered push unless the queue is full or closing.
func (s *Service) take(j job) bool {
	s.mu.Lock()
	if s.closed || s.busy >= s.o.Queue || s.inflight[j.doc.ID] {
		s.mu.Unlock()
		return false
	}
	s.addBusyLocked()
	s.inflight[j.doc.ID] = true
	s.mu.Unlock()
	s.queue <- j
	return true
}
