package accesslog

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
)

// Collections are the access log's collections (for the privacy register).
var Collections = []string{dayPrefix + "*", legacyCollection}

// MaxExportEntries bounds the access-log part of one person's export, the
// newest first; an export that reaches it says so.
const MaxExportEntries = 10_000

// days lists the day collections, oldest first.
func (l *Log) days(ctx context.Context) ([]string, error) {
	names, err := l.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("%w: access log: %v", apperr.ErrUnavailable, err)
	}
	var out []string
	for _, n := range names {
		if d, ok := strings.CutPrefix(n, dayPrefix); ok && len(d) == 8 {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

// PersonalData is the access log's entries by the person (what they
// opened) and about them (who opened their data), newest first. It reads
// only the days whose day index (people.go) names the person, found by
// point lookups; days from before the index existed are read whole (rare:
// only for an export; they leave with the retention period).
func (l *Log) PersonalData(ctx context.Context, userID string) (any, error) {
	if err := l.Flush(ctx); err != nil { // this instance's entries first (batch.go)
		return nil, err
	}
	days, err := l.days(ctx)
	if err != nil {
		return nil, err
	}
	about := regexp.QuoteMeta("user:" + userID)
	filter := bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "userId", Value: userID}},
		bson.D{{Key: "subject", Value: bson.D{{Key: "$regex", Value: about}}}},
	}}}
	since, err := l.indexSince(ctx)
	if err != nil {
		return nil, err
	}
	by, of := []Entry{}, []Entry{}
	truncated := false
	for i := len(days) - 1; i >= 0 && !truncated; i-- {
		if day := strings.TrimPrefix(days[i], dayPrefix); since != "" && day >= since {
			named, err := l.namesOn(ctx, userID, day)
			if err != nil {
				return nil, err
			}
			if !named {
				continue // the day index says no entry names them: not read
			}
		}
		cur, err := l.db.Collection(days[i]).Find(ctx, filter)
		if err != nil {
			return nil, fmt.Errorf("%w: access log: %v", apperr.ErrUnavailable, err)
		}
		var got []Entry
		if err := cur.All(ctx, &got); err != nil {
			return nil, fmt.Errorf("%w: access log: %v", apperr.ErrUnavailable, err)
		}
		slices.SortFunc(got, func(a, b Entry) int { return strings.Compare(b.ID, a.ID) })
		for _, e := range got {
			if len(by)+len(of) >= MaxExportEntries {
				truncated = true
				break
			}
			if e.UserID == userID {
				by = append(by, e)
			} else {
				of = append(of, e)
			}
		}
	}
	return map[string]any{"byThem": by, "aboutThem": of, "truncated": truncated}, nil
}

// Sweep drops the day collections wholly before before (retention). A day
// is dropped only when its last moment is before the cut-off; dropping a
// collection another instance dropped already succeeds.
func (l *Log) Sweep(ctx context.Context, before time.Time) (int, error) {
	days, err := l.days(ctx)
	if err != nil {
		return 0, err
	}
	cut := dayPrefix + before.UTC().Format("20060102") // days named below it ended before the cut-off's day began
	n := 0
	for _, d := range days {
		if d >= cut {
			break
		}
		if err := l.dropMarks(ctx, strings.TrimPrefix(d, dayPrefix)); err != nil {
			return n, err
		}
		if err := l.db.Collection(d).Drop(ctx); err != nil {
			return n, fmt.Errorf("%w: drop %s: %v", apperr.ErrUnavailable, d, err)
		}
		n++
	}
	return n, nil
}
