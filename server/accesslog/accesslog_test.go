package accesslog

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/store/storetest"
)

// A search's text is part of the subject; a BSN, date of birth or address
// typed into a search box is stored masked.
func TestSearchTextIsMasked(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	l := New(st)
	at := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	for _, q := range []string{"123456782", "bsn 123.456.782 jansen", "geb. 12-03-1950", "Kerkstraat 12"} {
		if err := l.Append(ctx, Entry{At: at, UserID: "u1", Action: "search", Subject: "global:post q=" + strconv.Quote(q)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Append(ctx, Entry{At: at, UserID: "u1", Action: "search", Subject: "global:post q=\"wondzorg 2026\""}); err != nil {
		t.Fatal(err)
	}
	cur, err := st.DB.Collection(dayPrefix+"20261120").Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var es []Entry
	if err := cur.All(ctx, &es); err != nil {
		t.Fatal(err)
	}
	if len(es) != 5 {
		t.Fatalf("%d entries", len(es))
	}
	var all []string
	for _, e := range es {
		all = append(all, e.Subject)
	}
	joined := strings.Join(all, "\n")
	for _, leak := range []string{"123456782", "123.456.782", "12-03-1950", "Kerkstraat 12"} {
		if strings.Contains(joined, leak) {
			t.Errorf("the log holds %q:\n%s", leak, joined)
		}
	}
	for _, keep := range []string{"jansen", "•••••••••", "wondzorg 2026"} {
		if !strings.Contains(joined, keep) {
			t.Errorf("the log lost %q:\n%s", keep, joined)
		}
	}
}
