package accesslog

import (
	"context"
	"regexp"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

// The day index: for every person and UTC day on which the log has an
// entry by them or about them, one document "<user>:<yyyymmdd>" in
// peopleColl, written (insert-once) before the entry. A person's export
// then reads only the days that name them, found by point lookups, instead
// of every day kept (five years). "_since" holds the first day the index is
// complete (the day after it was first written); older days are read as
// before.
const (
	peopleColl = dayPrefix + "people"
	sinceID    = "_since"
)

// subjectUser finds the people an entry's subject is about ("user:<id> …").
var subjectUser = regexp.MustCompile(`user:([A-Za-z0-9_-]{1,64})`)

// dayMarks remembers the marks this instance wrote today, so a person's
// second entry of the day costs no extra write.
type dayMarks struct {
	mu    sync.Mutex
	day   string
	done  map[string]bool
	since bool // the "_since" document is known to exist
}

// mark writes the day-index documents for e's people.
func (l *Log) mark(ctx context.Context, e Entry) error {
	day := e.At.UTC().Format("20060102")
	people := []string{}
	if e.UserID != "" {
		people = append(people, e.UserID)
	}
	for _, m := range subjectUser.FindAllStringSubmatch(e.Subject, -1) {
		people = append(people, m[1])
	}
	// Decide under the lock, write without it: Record is on request paths.
	l.marks.mu.Lock()
	needSince := !l.marks.since
	if l.marks.day != day {
		l.marks.day, l.marks.done = day, map[string]bool{}
	}
	var todo []string
	for _, p := range people {
		if !l.marks.done[p+":"+day] {
			todo = append(todo, p+":"+day)
		}
	}
	l.marks.mu.Unlock()
	if needSince {
		next := e.At.UTC().AddDate(0, 0, 1).Format("20060102")
		if err := insertOnce(ctx, l.db.Collection(peopleColl), bson.D{{Key: "_id", Value: sinceID}, {Key: "day", Value: next}}); err != nil {
			return err
		}
	}
	for _, key := range todo {
		if err := insertOnce(ctx, l.db.Collection(peopleColl), bson.D{{Key: "_id", Value: key}}); err != nil {
			return err
		}
	}
	l.marks.mu.Lock()
	l.marks.since = true
	if l.marks.day == day {
		for _, key := range todo {
			l.marks.done[key] = true
		}
	}
	l.marks.mu.Unlock()
	return nil
}

func insertOnce(ctx context.Context, c *mongo.Collection, doc bson.D) error {
	if _, err := c.InsertOne(ctx, doc); err != nil && !mongo.IsDuplicateKeyError(err) {
		return apperr.Unavailable("access log day index", err)
	}
	return nil
}

// indexSince is the first day ("yyyymmdd") from which the day index is
// complete, "" when it was never written.
func (l *Log) indexSince(ctx context.Context) (string, error) {
	var d struct {
		Day string `bson:"day"`
	}
	err := l.db.Collection(peopleColl).FindOne(ctx, bson.D{{Key: "_id", Value: sinceID}}).Decode(&d)
	if store.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", apperr.Unavailable("access log day index", err)
	}
	return d.Day, nil
}

// namesOn reports whether the day index says the log names userID on day.
func (l *Log) namesOn(ctx context.Context, userID, day string) (bool, error) {
	err := l.db.Collection(peopleColl).FindOne(ctx, bson.D{{Key: "_id", Value: userID + ":" + day}}).Err()
	if store.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, apperr.Unavailable("access log day index", err)
	}
	return true, nil
}

// dropMarks removes the day index of a day the retention sweep dropped. It
// reads the index whole (a filter on the id's end): background only, once
// for each dropped day.
func (l *Log) dropMarks(ctx context.Context, day string) error {
	if _, err := l.db.Collection(peopleColl).DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$regex", Value: ":" + day + "$"}}}}); err != nil {
		return apperr.Unavailable("access log day index", err)
	}
	return nil
}
