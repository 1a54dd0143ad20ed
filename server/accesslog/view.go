package accesslog

import (
	"context"
	"regexp"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
)

// Actions are the recorded kinds of access.
var Actions = []string{"read", "search", "export", "change", "delete", "print", "copy"}

// Query selects entries for review: a period (at most MaxSpan), optionally
// one user, one action, one subject; newest first, paged by Before.
type Query struct {
	From, To time.Time // [From, To)
	UserID   string
	Action   string
	Subject  string
	Before   string // an entry id: only older entries
	Limit    int
}

// MaxSpan bounds a query's period, so a review reads a bounded part of the log.
const MaxSpan = 31 * 24 * time.Hour

// Page is a page of entries, newest first; Next is the Before of the next page.
type Page struct {
	Items []Entry
	Next  string
}

var (
	idRE   = regexp.MustCompile(`^\d{8}T\d{6}\.\d{9}Z-[0-9a-f]{8}$`)
	userRE = regexp.MustCompile(`^u[0-9a-f]{24}$`)
)

func idAt(t time.Time) string { return t.UTC().Format("20060102T150405.000000000Z") }

// List returns entries matching q, newest first. The filter is built here
// from checked values, never from client JSON. It reads the day collections
// from the newest day of the period back, each with the period as an _id
// range (ids start with the time), and stops when the page is full.
func (l *Log) List(ctx context.Context, q Query) (*Page, error) {
	if err := l.Flush(ctx); err != nil { // this instance's entries first (batch.go)
		return nil, err
	}
	upper := idAt(q.To)
	if q.Before != "" && q.Before < upper {
		upper = q.Before
	}
	filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$gte", Value: idAt(q.From)}, {Key: "$lt", Value: upper}}}}
	if q.UserID != "" {
		filter = append(filter, bson.E{Key: "userId", Value: q.UserID})
	}
	if q.Action != "" {
		filter = append(filter, bson.E{Key: "action", Value: q.Action})
	}
	if q.Subject != "" {
		filter = append(filter, bson.E{Key: "subject", Value: q.Subject})
	}
	var items []Entry
	first := q.From.UTC().Truncate(24 * time.Hour)
	for day := q.To.UTC().Add(-time.Nanosecond).Truncate(24 * time.Hour); !day.Before(first) && len(items) <= q.Limit; day = day.Add(-24 * time.Hour) {
		if idAt(day) >= upper {
			continue // the whole day is after the page's upper bound
		}
		cur, err := l.dayOf(day).Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(q.Limit+1-len(items))))
		if err != nil {
			return nil, apperr.Unavailable("access log", err)
		}
		var got []Entry
		if err := cur.All(ctx, &got); err != nil {
			return nil, apperr.Unavailable("access log", err)
		}
		items = append(items, got...)
	}
	p := &Page{Items: items}
	if len(items) > q.Limit {
		p.Items = items[:q.Limit]
		p.Next = p.Items[q.Limit-1].ID
	}
	return p, nil
}
