// Package changelog is the administrators' change log: every change made
// through the administration (regions, teams, memberships and taakrollen,
// people's roles, activation and sessions) with who made it, when, and the
// fields before and after.
//
// The access log (server/accesslog) says that someone's data was touched,
// for NEN 7513; this log says what the organisation looked like before and
// after, for the administrators who run it. Both are written for one
// administrative change.
//
// Entries are append-only: inserted once under a numbered string _id,
// never updated or deleted by the application; a page is read newest first
// as point lookups.
package changelog

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store"
)

// Collections of the change log: the entries, and the counter that numbers them.
const (
	Collection        = "admin_changes"
	CounterCollection = "admin_changes_seq"
	counterID         = "head"
	idDigits          = 12
)

// Entry is one recorded change.
type Entry struct {
	ID          string         `bson:"_id" json:"id"` // the sequence number, zero-padded: "000000000042"
	At          time.Time      `bson:"at" json:"at"`
	ActorID     string         `bson:"actorId" json:"actorId"`
	ActorName   string         `bson:"actorName" json:"actorName"`
	Action      string         `bson:"action" json:"action"`
	Subject     string         `bson:"subject" json:"subject"`
	SubjectName string         `bson:"subjectName" json:"subjectName"`
	Before      map[string]any `bson:"before,omitempty" json:"before,omitempty"`
	After       map[string]any `bson:"after,omitempty" json:"after,omitempty"`
}

// Log stores entries. Each entry is stored under the next free number: the
// insert of a unique _id decides (two instances racing for one number: one
// insert fails as a duplicate and takes the next), and a counter document
// remembers the highest number so far. A page is therefore a known range of
// ids read as point lookups: the only finds the embedded store answers
// without reading the whole collection (docs/architecture.md, "The store").
type Log struct {
	entries, counter *mongo.Collection
	people           *store.PersonIndex // the entries naming each person (privacy.go)
	now              func() time.Time
	mu               sync.Mutex // one append at a time on this instance
}

// New returns the log.
func New(s *store.Store) *Log {
	return &Log{entries: s.DB.Collection(Collection), counter: s.DB.Collection(CounterCollection), people: PeopleIndex(s.DB), now: time.Now}
}

func idOf(n int64) string { return fmt.Sprintf("%0*d", idDigits, n) }

var idRE = regexp.MustCompile(`^[0-9]{12}$`)

// ValidID reports whether s has the shape of an entry id.
func ValidID(s string) bool { return idRE.MatchString(s) }

// RecordChange appends c, made by a (identity.ChangeRecorder).
func (l *Log) RecordChange(ctx context.Context, a *identity.Actor, c identity.Change) error {
	e := Entry{At: l.now().UTC(), Action: c.Action, Subject: c.Subject, SubjectName: c.SubjectName, Before: c.Before, After: c.After}
	if a != nil {
		e.ActorID, e.ActorName = a.UserID, a.Name
	}
	return l.Append(ctx, e)
}

type counterDoc struct {
	ID string `bson:"_id"`
	N  int64  `bson:"n"`
}

// maxTries bounds the numbers one append tries when other instances take
// them first.
const maxTries = 50

// Append stores e under the next free number.
func (l *Log) Append(ctx context.Context, e Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, err := l.head(ctx)
	if err != nil {
		return err
	}
	e.At = e.At.UTC()
	for tries := 0; ; tries++ {
		n++
		e.ID = idOf(n)
		// The person index first: an entry is never stored unindexed (an
		// index id whose insert then lost names another entry, which the
		// export leaves out: privacy.Place).
		if err := l.people.Add(ctx, e.ID, e.people()...); err != nil {
			return fmt.Errorf("%w: change log: %v", apperr.ErrUnavailable, err)
		}
		_, err := l.entries.InsertOne(ctx, e)
		if err == nil {
			break
		}
		if !store.IsDuplicateKey(err) || tries == maxTries {
			return apperr.Unavailable("change log", err)
		}
	}
	// The counter only speeds up finding the head (head probes past it), so
	// a failure to move it loses nothing.
	_, _ = l.counter.UpdateOne(ctx, bson.D{{Key: "_id", Value: counterID}}, bson.D{{Key: "$max", Value: bson.D{{Key: "n", Value: n}}}},
		options.UpdateOne().SetUpsert(true))
	return nil
}

// head is the highest number stored: the counter, then point lookups past
// it for entries whose counter update was lost or has not happened yet.
func (l *Log) head(ctx context.Context) (int64, error) {
	var c counterDoc
	err := l.counter.FindOne(ctx, bson.D{{Key: "_id", Value: counterID}}).Decode(&c)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return 0, apperr.Unavailable("change log counter", err)
	}
	n := c.N
	for {
		err := l.entries.FindOne(ctx, bson.D{{Key: "_id", Value: idOf(n + 1)}}).Err()
		if errors.Is(err, mongo.ErrNoDocuments) {
			return n, nil
		}
		if err != nil {
			return 0, apperr.Unavailable("change log", err)
		}
		n++
	}
}

// Page is entries newest first; Next is the Before of the next page ("" at the end).
type Page struct {
	Items []Entry `json:"items"`
	Next  string  `json:"next"`
}

// List returns up to limit entries numbered below before ("" for the
// newest), newest first, each read by its _id. The ids are made here from
// numbers, never from client JSON.
func (l *Log) List(ctx context.Context, before string, limit int) (*Page, error) {
	var top int64
	if before != "" {
		n, err := strconv.ParseInt(before, 10, 64)
		if err != nil {
			return nil, apperr.Invalid("before", "invalid", "use the next value of the previous page")
		}
		top = n - 1
	} else {
		n, err := l.head(ctx)
		if err != nil {
			return nil, err
		}
		top = n
	}
	p := &Page{Items: []Entry{}}
	for n := top; n >= 1; n-- {
		var e Entry
		err := l.entries.FindOne(ctx, bson.D{{Key: "_id", Value: idOf(n)}}).Decode(&e)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue // an entry that is not there (numbers are not reused)
		}
		if err != nil {
			return nil, apperr.Unavailable("change log", err)
		}
		if len(p.Items) == limit {
			p.Next = p.Items[limit-1].ID
			break
		}
		p.Items = append(p.Items, e)
	}
	return p, nil
}
