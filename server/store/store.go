// Package store connects to the document store: MongoDB when MONGODB_URI is
// set, otherwise an embedded FerretDB (SQLite files in the data dir) reached
// over the same wire protocol with the same driver. It also runs the numbered
// migrations and creates the indexes the domains declare.
//
// Read docs/architecture.md ("The store") before adding queries: on the
// embedded engine only {_id: …} finds are pushed down, everything else scans.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"

	"github.com/plein/plein/server/apperr"
)

// Store is an open connection to the database.
type Store struct {
	Client   *mongo.Client
	DB       *mongo.Database
	Embedded bool
	// FilesDir, set for the embedded engine, is where file bytes live
	// (server/store/blob): large documents are slow in FerretDB's SQLite
	// backend, and the embedded store is on this machine's disk anyway.
	FilesDir string
	// Scans counts the commands that read a whole collection on the
	// embedded engine (scans.go).
	Scans *Scans

	stopEmbedded func()
	embedded     *Embedded // set when Open started the engine
	closeOnce    sync.Once
}

// Options select the engine.
type Options struct {
	URI      string // empty: embedded FerretDB
	Database string
	DataDir  string // embedded only
	Logger   *slog.Logger
}

// Embedded runs FerretDB with the SQLite handler, its files under dir, listening
// on a unix socket inside dir (or on loopback TCP when tcpAddr is set, which
// `plein store` uses to share one embedded store between instances on one machine).
type Embedded struct {
	URI       string
	f         *ferretdb.FerretDB
	sqliteDir string
	run       chan struct{}
	follow    chan struct{}
	// passes gets a value (dropped when full) after each follower pass, so
	// tests wait for a pass instead of for time.
	passes chan struct{}
	cancel context.CancelFunc
	// stopFollow ends the _id-index follower alone (tests that measure
	// without the index use it).
	stopFollow context.CancelFunc
}

// Synchronous is SQLite's durability setting for the embedded store's
// commits (docs/operations.md, "Durability of the embedded store"). The
// journal is always WAL.
type Synchronous string

const (
	// SyncFull (the default) fsyncs the WAL at every commit: a write the
	// store confirmed survives a power cut.
	SyncFull Synchronous = "full"
	// SyncNormal fsyncs the WAL only at checkpoints: a power cut (not a
	// crash of the process) can lose the last commits, never corrupt.
	SyncNormal Synchronous = "normal"
)

// EmbeddedOption changes how StartEmbedded opens the store.
type EmbeddedOption func(*embeddedConfig)

type embeddedConfig struct{ sync Synchronous }

// WithSynchronous sets the durability of commits (SyncFull by default).
func WithSynchronous(s Synchronous) EmbeddedOption {
	return func(c *embeddedConfig) { c.sync = s }
}

// sqliteQuery is the query of FerretDB's SQLite URL: the pragmas it
// applies to every connection (it adds its own busy timeout, WAL and
// auto_vacuum defaults after them).
func (c embeddedConfig) sqliteQuery() string {
	if c.sync != SyncNormal {
		c.sync = SyncFull
	}
	return url.Values{"_pragma": {"synchronous(" + string(c.sync) + ")"}}.Encode()
}

// StartEmbedded starts FerretDB. Stop it with Close.
func StartEmbedded(dir, tcpAddr string, logger *slog.Logger, opts ...EmbeddedOption) (*Embedded, error) {
	var cfg embeddedConfig
	for _, o := range opts {
		o(&cfg)
	}
	sqliteDir := filepath.Join(dir, "sqlite")
	if err := os.MkdirAll(sqliteDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	if logger == nil {
		logger = slog.Default()
	}
	// FerretDB logs every connection at info level; keep only its warnings.
	fl := slog.New(logger.Handler().WithGroup("ferretdb"))
	fl = slog.New(levelFilter{fl.Handler(), slog.LevelWarn})

	lc := ferretdb.ListenerConfig{TCP: tcpAddr}
	sock := filepath.Join(dir, "ferretdb.sock")
	if tcpAddr == "" {
		if len(sock) < 100 {
			_ = os.Remove(sock) // a stale socket from a crash would block the listener
			lc.Unix = sock
		} else {
			lc.TCP = "127.0.0.1:0" // socket paths are limited to ~104 bytes
		}
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  lc,
		Logger:    fl,
		Handler:   "sqlite",
		SQLiteURL: (&url.URL{Scheme: "file", Path: sqliteDir + "/", RawQuery: cfg.sqliteQuery()}).String(),
	})
	if err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Embedded{f: f, sqliteDir: sqliteDir, run: make(chan struct{}), follow: make(chan struct{}), passes: make(chan struct{}, 1), cancel: cancel}
	// Tables from an earlier run get their _id index before anyone queries
	// them; new ones are followed (idindex.go says why).
	if _, err := e.IndexIDs(ctx); err != nil {
		logger.Warn("index _id of existing collections", "err", err)
	}
	go func() {
		defer close(e.run)
		_ = f.Run(ctx)
	}()
	fctx, stopFollow := context.WithCancel(ctx)
	e.stopFollow = stopFollow
	go func() {
		defer close(e.follow)
		e.followIDs(fctx, logger)
	}()
	if lc.Unix != "" {
		e.URI = "mongodb://" + url.PathEscape(sock) + "/"
	} else {
		e.URI = f.MongoDBURI()
	}
	return e, nil
}

// Close stops the embedded engine and waits for it.
func (e *Embedded) Close() {
	e.stopFollow()
	<-e.follow
	e.cancel()
	<-e.run
}

// Open connects (starting the embedded engine when needed) and pings.
func Open(ctx context.Context, o Options) (*Store, error) {
	if o.Database == "" {
		o.Database = "plein"
	}
	s := &Store{Scans: newScans()}
	uri := o.URI
	copts := options.Client().SetMonitor(s.Scans.monitor())
	if uri == "" {
		e, err := StartEmbedded(o.DataDir, "", o.Logger)
		if err != nil {
			return nil, err
		}
		s.Embedded = true
		s.FilesDir = filepath.Join(o.DataDir, "blobs")
		s.stopEmbedded = e.Close
		s.embedded = e
		uri = e.URI
		// FerretDB has no sessions with transaction numbers: no retryable writes.
		copts.SetRetryWrites(false)
	} else {
		// Anything a user was told is saved must survive a failover.
		copts.SetWriteConcern(writeconcern.Majority())
	}
	copts.ApplyURI(uri).
		SetAppName("plein").
		SetServerSelectionTimeout(10 * time.Second).
		SetTimeout(15 * time.Second)
	client, err := mongo.Connect(copts)
	if err != nil {
		s.closeEmbedded()
		return nil, fmt.Errorf("connect store: %w", err)
	}
	s.Client = client
	s.DB = client.Database(o.Database)
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := client.Ping(pctx, readpref.Primary()); err != nil {
		s.Close(context.Background())
		return nil, fmt.Errorf("store did not answer: %w", err)
	}
	return s, nil
}

// Ping checks the store answers (readiness).
func (s *Store) Ping(ctx context.Context) error {
	return s.Client.Ping(ctx, readpref.Primary())
}

// Close disconnects and stops the embedded engine.
func (s *Store) Close(ctx context.Context) {
	s.closeOnce.Do(func() {
		if s.Client != nil {
			_ = s.Client.Disconnect(ctx)
		}
		s.closeEmbedded()
	})
}

func (s *Store) closeEmbedded() {
	if s.stopEmbedded != nil {
		s.stopEmbedded()
	}
}

// IsDuplicateKey reports a unique-index violation.
func IsDuplicateKey(err error) bool { return mongo.IsDuplicateKeyError(err) }

// ErrStale: a versioned document changed since it was read (ReplaceVersion).
var ErrStale = errors.New("document changed since it was read")

// ReplaceVersion writes doc, the document id at version v, if the stored
// one is still at version v-1 (or there is none and v is 1): optimistic
// concurrency for a small per-person document, by _id and a "v" field. A
// writer that lost the race gets ErrStale, re-reads and tries again.
func ReplaceVersion(ctx context.Context, c *mongo.Collection, id string, v int64, doc any) error {
	_, err := c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "v", Value: v - 1}}, doc, options.Replace().SetUpsert(true))
	if IsDuplicateKey(err) {
		return ErrStale
	}
	return err
}

// IsNotFound reports a FindOne without result.
func IsNotFound(err error) bool { return errors.Is(err, mongo.ErrNoDocuments) }

// FindAll reads the documents of c that match filter (bson.D{} for all;
// on the embedded store a scan): apperr.Unavailable("load "+what) when the
// store does not answer.
func FindAll[T any](ctx context.Context, c *mongo.Collection, filter any, what string, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := c.Find(ctx, filter, opts...)
	if err != nil {
		return nil, apperr.Unavailable("load "+what, err)
	}
	var out []T
	if err := cur.All(ctx, &out); err != nil {
		return nil, apperr.Unavailable("load "+what, err)
	}
	return out, nil
}

// FindID reads the document of c with this _id (the one find the embedded
// store pushes down): nil when there is none, apperr.Unavailable("read
// "+what) when the store does not answer.
func FindID[T any](ctx context.Context, c *mongo.Collection, id, what string) (*T, error) {
	var v T
	err := c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&v)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, apperr.Unavailable("read "+what, err)
	}
	return &v, nil
}

// Index is a secondary index a domain needs. On the embedded engine indexes
// are accepted (and unique ones enforced) but not used for finds; only the
// _id index that idindex.go adds is.
type Index struct {
	Collection string
	Keys       bson.D
	Unique     bool
	Name       string
}

// EnsureIndexes creates the indexes (idempotent).
func (s *Store) EnsureIndexes(ctx context.Context, idx []Index) error {
	for _, ix := range idx {
		m := mongo.IndexModel{Keys: ix.Keys, Options: options.Index().SetName(ix.Name)}
		if ix.Unique {
			m.Options.SetUnique(true)
		}
		if _, err := s.DB.Collection(ix.Collection).Indexes().CreateOne(ctx, m); err != nil {
			return fmt.Errorf("index %s.%s: %w", ix.Collection, ix.Name, err)
		}
	}
	if s.embedded != nil {
		// The collections just created get their _id index now, not on the
		// follower's next pass.
		if _, err := s.embedded.IndexIDs(ctx); err != nil {
			return fmt.Errorf("index _id: %w", err)
		}
	}
	return nil
}

type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (h levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}
func (h levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{h.Handler.WithAttrs(a), h.min}
}
func (h levelFilter) WithGroup(n string) slog.Handler {
	return levelFilter{h.Handler.WithGroup(n), h.min}
}
