// Package accesslog records access to personal data as NEN 7513 asks: who
// (user and session), when, what action, whose data, on whose behalf, from
// where. Entries are append-only: the application has no code path that
// edits or deletes one; the retention sweep (privacy.go) drops whole days
// past the retention period, which is at least five years (NEN 7513).
//
// The log is kept in one collection per UTC day, "access_log_YYYYMMDD". A
// review covers at most 31 days, so it reads at most 32 bounded collections
// however long the log grows: on the embedded store, where any filter but
// {_id} reads the whole collection, one big collection would make every
// review slower with every day of history. (On MongoDB the _id range inside
// a day uses the _id index.) Retention can drop whole days.
package accesslog

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

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store"
)

// Entry is one access record.
type Entry struct {
	ID         string    `bson:"_id"` // time-ordered: RFC3339Nano + random suffix
	At         time.Time `bson:"at"`
	UserID     string    `bson:"userId"`
	Session    string    `bson:"session"` // first 12 hex chars of the session hash
	OnBehalfOf string    `bson:"onBehalfOf,omitempty"`
	Action     string    `bson:"action"`  // read, search, export, change, delete, print, copy
	Subject    string    `bson:"subject"` // whose data, e.g. "team:julianadorp members", "user:u…"
	Route      string    `bson:"route"`
	RequestID  string    `bson:"requestId"`
	IP         string    `bson:"ip"`
}

const (
	// dayPrefix + "YYYYMMDD" is one UTC day's collection.
	dayPrefix = "access_log_"
	// legacyCollection held the whole log before migration 2 (MigrateToDays).
	legacyCollection = "access_log"
)

// Log writes entries to one collection per day.
type Log struct {
	db      *mongo.Database
	now     func() time.Time
	marks   dayMarks                             // the day index (people.go)
	buf     buffer                               // entries recorded, not yet written (batch.go)
	every   time.Duration                        // FlushEvery; tests change it
	store   func(context.Context, []Entry) error // write; tests make it fail
	onFlush func(n int, err error)               // tests: after each write of the buffer
}

// New returns the log.
func New(s *store.Store) *Log {
	l := &Log{db: s.DB, now: time.Now, every: FlushEvery}
	l.store = l.write
	return l
}

// dayOf is the collection that holds entries of t's UTC day.
func (l *Log) dayOf(t time.Time) *mongo.Collection {
	return l.db.Collection(dayPrefix + t.UTC().Format("20060102"))
}

// Record appends an entry for the request's actor to the write buffer
// (batch.go): it is stored within FlushEvery, together with the other
// entries of that moment. It fails closed: while the store refuses the
// buffer's writes, or the buffer is full, it returns ErrUnavailable and the
// caller must not serve the data.
func (l *Log) Record(ctx context.Context, action, subject string) error {
	a := identity.ActorFrom(ctx)
	r := httpapi.RequestFrom(ctx)
	e := Entry{Action: action, Subject: subject, Route: r.Route, RequestID: r.ID, IP: r.IP}
	if a != nil {
		e.UserID = a.UserID
		if len(a.SessionID) >= 12 {
			e.Session = a.SessionID[:12]
		}
	}
	return l.enqueue(ctx, e)
}

// prepare masks e's subject and gives it its time-ordered id.
func prepare(e *Entry) {
	// A search's text is recorded in the subject: a BSN, date of birth or
	// address typed into a search box is masked, never logged.
	e.Subject = identifiers.Mask(e.Subject)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	e.At = e.At.UTC()
	e.ID = idAt(e.At) + "-" + hex.EncodeToString(b)
}

// Append stores e at once (not through the buffer), filling its id.
func (l *Log) Append(ctx context.Context, e Entry) error {
	prepare(&e)
	return l.write(ctx, []Entry{e})
}

// write stores entries, the day index first (no entry without it). Safe
// to repeat after a failure half-way: the day index is insert-once and
// entries already stored are skipped as duplicates of their id.
func (l *Log) write(ctx context.Context, es []Entry) error {
	for i := range es {
		if err := l.mark(ctx, es[i]); err != nil {
			return err
		}
	}
	for start := 0; start < len(es); {
		end := start + 1 // a run of entries of one day: one InsertMany
		for end < len(es) && sameDay(es[end].At, es[start].At) {
			end++
		}
		docs := make([]any, 0, end-start)
		for i := start; i < end; i++ {
			docs = append(docs, es[i])
		}
		_, err := l.dayOf(es[start].At).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		if err != nil && !onlyDuplicates(err) {
			return apperr.Unavailable("access log", err)
		}
		start = end
	}
	return nil
}

func sameDay(a, b time.Time) bool {
	return a.UTC().Truncate(24 * time.Hour).Equal(b.UTC().Truncate(24 * time.Hour))
}

// MigrateToDays moves the entries of the single legacy collection into the
// day collections, then drops it. Safe to re-run after a failure half-way:
// entries keep their ids, copies already made are skipped as duplicates,
// and the legacy collection is dropped only after everything is copied.
func MigrateToDays(ctx context.Context, s *store.Store) error {
	legacy := s.DB.Collection(legacyCollection)
	cur, err := legacy.Find(ctx, bson.D{})
	if err != nil {
		return err
	}
	defer cur.Close(ctx)
	l := New(s)
	batch := map[string][]Entry{}
	n := 0
	flush := func() error {
		for day, es := range batch {
			docs := make([]any, len(es))
			for i := range es {
				docs[i] = es[i]
			}
			_, err := l.db.Collection(day).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
			if err != nil && !onlyDuplicates(err) {
				return fmt.Errorf("copy access log entries to %s: %w", day, err)
			}
		}
		clear(batch)
		n = 0
		return nil
	}
	for cur.Next(ctx) {
		var e Entry
		if err := cur.Decode(&e); err != nil {
			return err
		}
		day := l.dayOf(e.At).Name()
		batch[day] = append(batch[day], e)
		if n++; n == 1000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	return legacy.Drop(ctx)
}

// onlyDuplicates: every failed insert of a bulk write hit an existing _id.
func onlyDuplicates(err error) bool {
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil || len(bwe.WriteErrors) == 0 {
		return false
	}
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 {
			return false
		}
	}
	return true
}
