package identity

import (
	"context"
	"maps"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Sessions on the hot path (issue 10 §5). Every request and every
// websocket connect resolves its session; a reconnect storm of thousands of
// clients used to make one store read per connect and, for a session not
// seen for a minute, one update. Now:
//
//   - Reads go through an in-process cache with a short TTL (sessionCacheTTL).
//     What may change under it is invalidated: this instance forgets a session
//     it deletes (logout, back-channel logout, expiry) at once, and the app
//     carries ForgetSessions to every other instance through the broker (and
//     clears the whole cache when the broker reconnects, since news may have
//     been lost). The TTL bounds what a lost message can cost. Roles,
//     activation and "end all sessions" live on the user, which is read from
//     the user directory (kept current through the broker) on every request,
//     so the cache never holds them.
//   - "Touch" writes (the idle clock) are batched: a session is marked seen
//     in memory (at most once a minute, touchEvery) and the app writes the
//     marks together every TouchFlushEvery (FlushTouches): one update per
//     session per flush, in one round trip, however often it connected.

const sessionCacheTTL = 5 * time.Second

// TouchFlushEvery is how often the app writes the sessions seen (FlushTouches).
const TouchFlushEvery = 10 * time.Second

// sessionCache holds sessions read from the store for ttl.
type sessionCache struct {
	mu  sync.Mutex
	ttl time.Duration
	m   map[string]cachedSession
	// gen moves on every invalidation: a read from the store that started
	// before one is not cached (it may hold the session just ended).
	gen    uint64
	pruned int // size after the last pruning
}

type cachedSession struct {
	s  Session
	at time.Time // when it was read (monotonic)
}

func newSessionCache(ttl time.Duration) *sessionCache {
	return &sessionCache{ttl: ttl, m: map[string]cachedSession{}}
}

func (c *sessionCache) get(id string) (*Session, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || time.Since(e.at) >= c.ttl {
		return nil, false
	}
	s := e.s
	return &s, true
}

func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put caches s, read from the store when the generation was gen.
func (c *sessionCache) put(s *Session, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || c.ttl <= 0 {
		return
	}
	c.m[s.ID] = cachedSession{s: *s, at: time.Now()}
	if len(c.m) > 2*c.pruned+64 {
		maps.DeleteFunc(c.m, func(_ string, e cachedSession) bool { return time.Since(e.at) >= c.ttl })
		c.pruned = len(c.m)
	}
}

// seen moves a cached session's idle clock (its touch is pending).
func (c *sessionCache) seen(id string, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[id]; ok {
		e.s.LastSeenAt = at
		c.m[id] = e
	}
}

// forget drops the session id, or every session of userID when id is
// empty, or everything when both are.
func (c *sessionCache) forget(userID, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	switch {
	case id != "":
		delete(c.m, id)
	case userID != "":
		maps.DeleteFunc(c.m, func(_ string, e cachedSession) bool { return e.s.UserID == userID })
	default:
		clear(c.m)
	}
}

// touchBatch collects sessions seen and writes their idle clocks together.
type touchBatch struct {
	mu      sync.Mutex
	pending map[string]time.Time
	write   func(ctx context.Context, seen map[string]time.Time) error
}

// add marks a session seen at `at`, written at the next flush.
func (t *touchBatch) add(id string, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if at.After(t.pending[id]) {
		t.pending[id] = at
	}
}

// flush writes the pending marks.
func (t *touchBatch) flush(ctx context.Context) error {
	t.mu.Lock()
	seen := t.pending
	t.pending = map[string]time.Time{}
	t.mu.Unlock()
	if len(seen) == 0 {
		return nil
	}
	return t.write(ctx, seen)
}

// writeTouches sets lastSeenAt of every session in seen with one unordered
// bulk write: one round trip; each update is by _id.
func writeTouches(coll *mongo.Collection) func(context.Context, map[string]time.Time) error {
	return func(ctx context.Context, seen map[string]time.Time) error {
		models := make([]mongo.WriteModel, 0, len(seen))
		for id, at := range seen {
			models = append(models, mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: id}}).
				SetUpdate(bson.D{{Key: "$set", Value: bson.D{{Key: "lastSeenAt", Value: at}}}}))
		}
		_, err := coll.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
		return err
	}
}

// ForgetSessions drops a session (or, with sessionID empty, all of the
// user's sessions) from this instance's cache. The app calls it when
// another instance ended them (a broker message).
func (s *Service) ForgetSessions(userID, sessionID string) {
	if userID == "" && sessionID == "" {
		return
	}
	s.sessions.cache.forget(userID, sessionID)
}

// ForgetAllSessions empties this instance's session cache (after a broker
// outage, when an end of session may have been missed).
func (s *Service) ForgetAllSessions() { s.sessions.cache.forget("", "") }

// SetSessionCacheTTL changes how long a session read is reused (tests).
func (s *Service) SetSessionCacheTTL(d time.Duration) {
	c := s.sessions.cache
	c.mu.Lock()
	c.ttl = d
	c.mu.Unlock()
	c.forget("", "")
}

// FlushTouches writes the sessions seen since the last flush (the app calls
// it every TouchFlushEvery and at shutdown). What fails to be written is
// dropped: an idle clock is then one flush behind, and the session's next
// request marks it again.
func (s *Service) FlushTouches(ctx context.Context) error { return s.sessions.touches.flush(ctx) }
