package identity

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

const (
	usersColl    = "users"
	sessionsColl = "sessions"
	loginsColl   = "login_attempts"
)

// Indexes are the secondary indexes identity needs on MongoDB.
var Indexes = []store.Index{
	{Collection: sessionsColl, Keys: bson.D{{Key: "userId", Value: 1}}, Name: "sessions_user"},
	{Collection: sessionsColl, Keys: bson.D{{Key: "expiresAt", Value: 1}}, Name: "sessions_expiry"},
	{Collection: loginsColl, Keys: bson.D{{Key: "createdAt", Value: 1}}, Name: "logins_created"},
	{Collection: idpSessionsColl, Keys: bson.D{{Key: "at", Value: 1}}, Name: "idp_sessions_at"},
	{Collection: logoutJTIColl, Keys: bson.D{{Key: "at", Value: 1}}, Name: "logout_tokens_at"},
}

// Users keeps every user in memory (a 10,000-person organisation is a few
// megabytes), loaded at start and refreshed after each write and periodically,
// so lookups by id never touch the store.
type Users struct {
	coll *mongo.Collection

	// syncMu serialises Reload with Upsert, so a reload that read the store
	// before a write cannot replace the cache after it (a lost role change).
	syncMu sync.Mutex
	mu     sync.RWMutex
	byID   map[string]*User
}

// NewUsers loads all users.
func NewUsers(ctx context.Context, s *store.Store) (*Users, error) {
	u := &Users{coll: s.DB.Collection(usersColl), byID: map[string]*User{}}
	return u, u.Reload(ctx)
}

// Reload re-reads every user from the store.
func (u *Users) Reload(ctx context.Context) error {
	u.syncMu.Lock()
	defer u.syncMu.Unlock()
	cur, err := u.coll.Find(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("load users: %w", err)
	}
	var all []*User
	if err := cur.All(ctx, &all); err != nil {
		return fmt.Errorf("load users: %w", err)
	}
	m := make(map[string]*User, len(all))
	for _, x := range all {
		m[x.ID] = x
	}
	u.mu.Lock()
	u.byID = m
	u.mu.Unlock()
	return nil
}

// Get returns a copy of the user, or false.
func (u *Users) Get(id string) (User, bool) {
	u.mu.RLock()
	defer u.mu.RUnlock()
	x, ok := u.byID[id]
	if !ok {
		return User{}, false
	}
	return *x, true
}

// Fetch returns the user from the cache or, on a miss, from the store (a
// user provisioned on another instance since the last reload), caching it.
func (u *Users) Fetch(ctx context.Context, id string) (User, bool, error) {
	if x, ok := u.Get(id); ok {
		return x, true, nil
	}
	x, err := store.FindID[User](ctx, u.coll, id, "user")
	if x == nil || err != nil {
		return User{}, false, err
	}
	u.mu.Lock()
	u.byID[id] = x
	u.mu.Unlock()
	return *x, true, nil
}

// Refresh re-reads one user from the store into the cache (a change made
// on another instance, announced through the broker).
func (u *Users) Refresh(ctx context.Context, id string) error {
	u.syncMu.Lock()
	defer u.syncMu.Unlock()
	x, err := store.FindID[User](ctx, u.coll, id, "user")
	if x == nil || err != nil {
		return err
	}
	u.mu.Lock()
	u.byID[id] = x
	u.mu.Unlock()
	return nil
}

// All returns copies of every user.
func (u *Users) All() []User {
	u.mu.RLock()
	defer u.mu.RUnlock()
	out := make([]User, 0, len(u.byID))
	for _, x := range u.byID {
		out = append(out, *x)
	}
	return out
}

// Upsert stores the user (insert or full replace by id) and updates the cache.
func (u *Users) Upsert(ctx context.Context, x *User) error {
	u.syncMu.Lock()
	defer u.syncMu.Unlock()
	_, err := u.coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: x.ID}}, x, options.Replace().SetUpsert(true))
	if err != nil {
		return apperr.Unavailable("save user", err)
	}
	c := *x
	u.mu.Lock()
	u.byID[x.ID] = &c
	u.mu.Unlock()
	return nil
}

// InsertMissing inserts the users whose ids are not stored yet (seeding).
func (u *Users) InsertMissing(ctx context.Context, xs []*User) (int, error) {
	var docs []any
	for _, x := range xs {
		if _, ok := u.Get(x.ID); !ok {
			docs = append(docs, x)
		}
	}
	if err := store.InsertMissing(ctx, u.coll, docs); err != nil {
		return 0, fmt.Errorf("insert users: %w", err)
	}
	return len(docs), u.Reload(ctx)
}

// sessions is the server-side session store, with a read cache and
// batched touches in front of it (sessioncache.go).
type sessions struct {
	coll    *mongo.Collection
	logins  *mongo.Collection
	people  *store.PersonIndex // each person's sessions, for the export (privacy.go)
	cache   *sessionCache
	touches *touchBatch
	// load reads a session from the store (tests wrap it to count reads).
	load func(ctx context.Context, id string) (*Session, error)
}

func newSessions(db *mongo.Database) *sessions {
	s := &sessions{coll: db.Collection(sessionsColl), logins: db.Collection(loginsColl), people: SessionIndex(db), cache: newSessionCache(sessionCacheTTL)}
	s.load = s.read
	s.touches = &touchBatch{pending: map[string]time.Time{}, write: writeTouches(s.coll)}
	return s
}

// get returns the session, from the cache when it was read in the last
// few seconds.
func (s *sessions) get(ctx context.Context, id string) (*Session, error) {
	if x, ok := s.cache.get(id); ok {
		return x, nil
	}
	gen := s.cache.generation()
	x, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	s.cache.put(x, gen)
	return x, nil
}

func (s *sessions) read(ctx context.Context, id string) (*Session, error) {
	x, err := store.FindID[Session](ctx, s.coll, id, "session")
	if err == nil && x == nil {
		return nil, apperr.ErrUnauthenticated
	}
	return x, err
}

func (s *sessions) insert(ctx context.Context, x *Session) error {
	if err := s.people.Add(ctx, x.ID, x.UserID); err != nil { // the index first: no session unindexed
		return fmt.Errorf("%w: save session: %v", apperr.ErrUnavailable, err)
	}
	if _, err := s.coll.InsertOne(ctx, x); err != nil {
		return apperr.Unavailable("save session", err)
	}
	return nil
}

// touch moves the session's idle clock: written with the next batch.
func (s *sessions) touch(id string, at time.Time) {
	s.cache.seen(id, at)
	s.touches.add(id, at)
}

func (s *sessions) delete(ctx context.Context, id string) error {
	s.cache.forget("", id)
	_, err := s.coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	s.cache.forget("", id) // a read that raced with the delete
	return err
}

// purge removes expired sessions and stale login attempts, and the
// session index's months in which every session has expired (absolute).
// The embedded store has no TTL indexes, so the server calls this
// periodically.
func (s *sessions) purge(ctx context.Context, now time.Time, idle, absolute time.Duration) error {
	if err := s.people.DropBefore(ctx, now.Add(-absolute)); err != nil {
		return err
	}
	_, err := s.coll.DeleteMany(ctx, bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lt", Value: now}}}},
		bson.D{{Key: "lastSeenAt", Value: bson.D{{Key: "$lt", Value: now.Add(-idle)}}}},
	}}})
	if err != nil {
		return err
	}
	_, err = s.logins.DeleteMany(ctx, bson.D{{Key: "createdAt", Value: bson.D{{Key: "$lt", Value: now.Add(-loginAttemptTTL)}}}})
	return err
}

func (s *sessions) saveAttempt(ctx context.Context, a *loginAttempt) error {
	if _, err := s.logins.InsertOne(ctx, a); err != nil {
		return apperr.Unavailable("save login attempt", err)
	}
	return nil
}

// takeAttempt removes and returns the attempt: a state can be used once.
func (s *sessions) takeAttempt(ctx context.Context, state string) (*loginAttempt, error) {
	var a loginAttempt
	err := s.logins.FindOneAndDelete(ctx, bson.D{{Key: "_id", Value: state}}).Decode(&a)
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, apperr.Unavailable("read login attempt", err)
	}
	return &a, nil
}
