package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// ferretQueryExpr is, literally, how FerretDB 1.24 filters _id
// (TestFerretDBQueriesThisExpression reads it in FerretDB's source). The
// plan test uses this, not the index's own constant, so a wrong index
// expression fails it.
const ferretQueryExpr = `_ferretdb_sjson->'$._id'`

// embeddedForTest starts an engine of its own (the follower and the files
// are what is under test) and a store on one database in it.
func embeddedForTest(t testing.TB) (*Embedded, *Store) {
	t.Helper()
	e, err := StartEmbedded(t.TempDir(), "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), Options{URI: e.URI, Database: "idx"})
	if err != nil {
		e.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()); e.Close() })
	return e, s
}

// tableOf returns the SQLite file and table FerretDB keeps a collection in.
func tableOf(t testing.TB, e *Embedded, dbName, coll string) (*sql.DB, string) {
	t.Helper()
	db, err := openSQLite(filepath.Join(e.sqliteDir, dbName+".sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var table string
	if err := db.QueryRow(`SELECT table_name FROM `+ferretCollections+` WHERE name = ?`, coll).Scan(&table); err != nil {
		t.Fatalf("table of %s: %v", coll, err)
	}
	return db, table
}

// fill copies the collection's one document n times with ids doc000000…,
// straight in SQLite (inserting 100,000 documents through FerretDB takes
// half a minute; the rows are the same).
func fill(t testing.TB, db *sql.DB, table string, n int) {
	t.Helper()
	q := fmt.Sprintf(`WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM c WHERE i < %d)
		INSERT INTO %q (_ferretdb_sjson) SELECT json_set(tmpl, '$._id', printf('doc%%06d', i), '$.n', i)
		FROM c, (SELECT _ferretdb_sjson AS tmpl FROM %q LIMIT 1)`, n-1, table, table)
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

func queryPlan(t testing.TB, db *sql.DB, q string, args ...any) string {
	t.Helper()
	rows, err := db.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}

// TestIDIndexIsUsed: at 100,000 documents, the statements FerretDB issues for
// a find, an update and a delete by _id search the index instead of
// scanning, and FindOne, UpdateOne, DeleteOne and the duplicate-key error
// still work through it. (10,000 under -race; see raceEnabled.)
func TestIDIndexIsUsed(t *testing.T) {
	rows := 100_000
	if raceEnabled {
		rows = 10_000
	}
	e, s := embeddedForTest(t)
	ctx := context.Background()
	coll := s.DB.Collection("things")
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "seed"}, {Key: "n", Value: -1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.IndexIDs(ctx); err != nil {
		t.Fatal(err)
	}
	db, table := tableOf(t, e, "idx", "things")
	fill(t, db, table, rows)

	want := "USING INDEX " + table + idIndexSuffix
	for _, q := range []string{
		fmt.Sprintf(`SELECT _ferretdb_sjson FROM %q WHERE %s = ?`, table, ferretQueryExpr),
		fmt.Sprintf(`UPDATE %q SET _ferretdb_sjson = ? WHERE %s = ?`, table, ferretQueryExpr),
		fmt.Sprintf(`DELETE FROM %q WHERE %s = ?`, table, ferretQueryExpr),
	} {
		args := []any{`"doc005000"`}
		if strings.HasPrefix(q, "UPDATE") {
			args = []any{"{}", `"doc005000"`}
		}
		if plan := queryPlan(t, db, q, args...); !strings.Contains(plan, want) || strings.Contains(plan, "SCAN") {
			t.Errorf("%s\nplan: %s\nwant a search %s", q, plan, want)
		}
	}

	var got struct {
		N int `bson:"n"`
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "doc005000"}}).Decode(&got); err != nil || got.N != 5000 {
		t.Fatalf("FindOne: %v %+v", err, got)
	}
	if r, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("doc%06d", rows-1)}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: 7}}}}); err != nil || r.ModifiedCount != 1 {
		t.Fatalf("UpdateOne: %v %+v", err, r)
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("doc%06d", rows-1)}}).Decode(&got); err != nil || got.N != 7 {
		t.Fatalf("after UpdateOne: %v %+v", err, got)
	}
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "doc000001"}}); !IsDuplicateKey(err) {
		t.Fatalf("duplicate _id: want a duplicate-key error, got %v", err)
	}
	if _, err := coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: "doc000002"}}); err != nil {
		t.Fatal(err)
	}
	if !IsNotFound(coll.FindOne(ctx, bson.D{{Key: "_id", Value: "doc000002"}}).Err()) {
		t.Fatal("deleted document still found")
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "doc000003"}}).Err(); err != nil {
		t.Fatalf("its neighbour: %v", err)
	}
}

// TestFerretDBQueriesThisExpression ties the index to the FerretDB in
// go.mod: its SQLite backend must still filter _id with ferretIDExpr. If an
// upgrade changes the expression, this fails instead of every _id lookup
// silently scanning again.
func TestFerretDBQueriesThisExpression(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/FerretDB/FerretDB").Output()
	if err != nil {
		t.Fatalf("locate FerretDB's source: %v", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "internal/backends/sqlite/metadata/metadata.go"))
	if err != nil {
		t.Fatal(err)
	}
	line := `IDColumn = DefaultColumn + "->'$._id'"`
	if !strings.Contains(string(src), line) || ferretIDExpr != ferretQueryExpr || !strings.Contains(string(src), `DefaultColumn = backends.ReservedPrefix + "sjson"`) {
		t.Fatalf("FerretDB no longer filters _id with %s: re-check idindex.go against its metadata.IDColumn", ferretIDExpr)
	}
}

// TestNewCollectionsAreFollowed: a collection FerretDB creates lazily (first
// insert) gets the index from the follower, and declared ones from
// EnsureIndexes at once.
func TestNewCollectionsAreFollowed(t *testing.T) {
	e, s := embeddedForTest(t)
	ctx := context.Background()
	s.embedded = e // as if Open had started the engine
	if err := s.EnsureIndexes(ctx, []Index{{Collection: "declared", Keys: bson.D{{Key: "k", Value: 1}}, Name: "k"}}); err != nil {
		t.Fatal(err)
	}
	hasIndex := func(coll string) bool {
		db, table := tableOf(t, e, "idx", coll)
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?`, table+idIndexSuffix).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	if !hasIndex("declared") {
		t.Fatal("EnsureIndexes left a declared collection without the _id index")
	}
	if _, err := s.DB.Collection("lazy").InsertOne(ctx, bson.D{{Key: "_id", Value: "x"}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * idIndexEvery)
	for !hasIndex("lazy") {
		select {
		case <-e.passes: // the follower made a pass: look again
		case <-deadline:
			t.Fatalf("the follower did not index a lazily created collection within %s", 10*idIndexEvery)
		}
	}
	// Idempotent: nothing left to create.
	if n, err := e.IndexIDs(ctx); err != nil || n != 0 {
		t.Fatalf("second pass created %d (%v)", n, err)
	}
}

// BenchmarkIDLookup50k: FindOne and UpdateOne by _id at 50,000 documents,
// with the index and (scan) without it, on the embedded engine.
func BenchmarkIDLookup50k(b *testing.B) {
	for _, indexed := range []bool{true, false} {
		name := "indexed"
		if !indexed {
			name = "scan"
		}
		b.Run(name, func(b *testing.B) {
			e, s := embeddedForTest(b)
			ctx := context.Background()
			coll := s.DB.Collection("things")
			if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "seed"}, {Key: "n", Value: -1}}); err != nil {
				b.Fatal(err)
			}
			if _, err := e.IndexIDs(ctx); err != nil {
				b.Fatal(err)
			}
			db, table := tableOf(b, e, "idx", "things")
			fill(b, db, table, 50_000)
			if !indexed {
				// Stop the follower from putting it back, then drop it.
				e.stopFollow()
				<-e.follow
				if _, err := db.Exec(fmt.Sprintf(`DROP INDEX %q`, table+idIndexSuffix)); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("FindOne", func(b *testing.B) {
				i := 0
				for b.Loop() {
					id := fmt.Sprintf("doc%06d", (i*7919)%50_000)
					if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Err(); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
			b.Run("UpdateOne", func(b *testing.B) {
				i := 0
				for b.Loop() {
					id := fmt.Sprintf("doc%06d", (i*7919)%50_000)
					if _, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: i}}}}); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		})
	}
}
