package store

// Why this file exists
//
// FerretDB 1.24's SQLite backend stores each collection as a table with one
// JSON column, _ferretdb_sjson, and pushes exactly one kind of filter down to
// SQLite: {_id: <value>}, as
//
//	WHERE _ferretdb_sjson->'$._id' = ?
//
// (internal/backends/sqlite/metadata.IDColumn; updates and deletes by _id
// use the same expression). The unique index FerretDB creates for _id is on
// a different expression, _ferretdb_sjson->"_id". SQLite uses an expression
// index only for the identical expression, so out of the box every _id
// lookup scans the table: 190–430 ms for FindOne at 50,000 documents.
//
// The fix is one more index per collection table on the exact expression
// the queries use, created through a second SQLite connection to the same
// database file. FerretDB keeps its own index list in its metadata, so it
// never sees, drops or reports this index; dropping the collection drops the
// table and the index with it. A duplicate _id now trips two unique indexes;
// FerretDB maps either by SQLite's error code to the usual duplicate-key
// error. TestIDIndexIsUsed reads the query plan (and FerretDB's own source
// line) so an upgrade cannot silently undo this. FerretDB v1 is no longer
// developed, so the pinned internals will not move under us.
//
// Tables appear in two ways: the migrations and EnsureIndexes create
// collections explicitly (IndexIDs runs right after), and FerretDB creates a
// table lazily on the first insert into an undeclared collection. The
// embedded engine therefore also follows its files every idIndexEvery and
// indexes any table that lacks the index.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses; registers "sqlite"
)

const (
	// ferretIDExpr is the expression FerretDB filters _id with.
	ferretIDExpr = `_ferretdb_sjson->'$._id'`
	// ferretCollections lists a database's collections and their tables.
	ferretCollections = "_ferretdb_collections"
	// idIndexSuffix names our index: "<table>_id_path".
	idIndexSuffix = "_id_path"
	// idIndexEvery bounds how long a lazily created table scans by _id.
	idIndexEvery = 2 * time.Second
)

// IndexIDs gives every collection table in every database of the embedded
// engine the index on the exact _id expression FerretDB queries. It is
// idempotent and cheap when nothing is missing (two small reads a database).
func (e *Embedded) IndexIDs(ctx context.Context) (created int, err error) {
	return indexIDs(ctx, e.sqliteDir)
}

// followIDs runs IndexIDs every idIndexEvery until ctx ends.
func (e *Embedded) followIDs(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(idIndexEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := e.IndexIDs(ctx); err != nil && ctx.Err() == nil {
				log.Warn("index _id of new collections", "err", err)
			} else if n > 0 {
				log.Debug("indexed _id of new collections", "tables", n)
			}
			select {
			case e.passes <- struct{}{}:
			default:
			}
		}
	}
}

func indexIDs(ctx context.Context, dir string) (int, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
	if err != nil {
		return 0, err
	}
	total := 0
	var errs []error
	for _, f := range files {
		n, err := indexIDsIn(ctx, f)
		total += n
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, fmt.Errorf("%s: %w", filepath.Base(f), err))
		}
	}
	return total, errors.Join(errs...)
}

// openSQLite opens an existing database file (mode=rw never creates one: a
// database dropped since the directory was listed stays dropped) with the
// same busy timeout FerretDB uses, so the two connections wait for each
// other instead of failing.
func openSQLite(file string) (*sql.DB, error) {
	if _, err := os.Stat(file); err != nil {
		return nil, err
	}
	u := url.URL{Scheme: "file", Path: file, RawQuery: "mode=rw&_pragma=busy_timeout(10000)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

func indexIDsIn(ctx context.Context, file string) (int, error) {
	db, err := openSQLite(file)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var hasMeta int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, ferretCollections).Scan(&hasMeta); err != nil {
		return 0, err
	}
	if hasMeta == 0 {
		return 0, nil // a database FerretDB has not set up yet
	}
	tables, err := strings1(ctx, db, `SELECT table_name FROM `+ferretCollections)
	if err != nil {
		return 0, err
	}
	have, err := strings1(ctx, db, `SELECT name FROM sqlite_master WHERE type = 'index'`)
	if err != nil {
		return 0, err
	}
	exists := make(map[string]bool, len(have))
	for _, n := range have {
		exists[n] = true
	}
	created := 0
	for _, t := range tables {
		name := t + idIndexSuffix
		if exists[name] {
			continue
		}
		q := fmt.Sprintf(`CREATE UNIQUE INDEX IF NOT EXISTS %q ON %q (%s)`, name, t, ferretIDExpr)
		if _, err := db.ExecContext(ctx, q); err != nil {
			if strings.Contains(err.Error(), "no such table") {
				continue // dropped since we listed it
			}
			return created, fmt.Errorf("index %s: %w", t, err)
		}
		created++
	}
	return created, nil
}

func strings1(ctx context.Context, db *sql.DB, q string) ([]string, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
