// Package accesslog records access to personal data as NEN 7513 asks: who
// (user and session), when, what action, whose data, on whose behalf, from
// where. Entries are append-only: the application has no code path that
// edits or deletes them.
package accesslog

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/gin-gonic/gin"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store"
)

// Entry is one access record.
type Entry struct {
	ID         string    `bson:"_id"` // time-ordered: RFC3339Nano + random suffix
	At         time.Time `bson:"at"`
	UserID     string    `bson:"userId"`
	Session    string    `bson:"session"` // first 12 hex chars of the session hash
	OnBehalfOf string    `bson:"onBehalfOf,omitempty"`
	Action     string    `bson:"action"`  // read, search, export, change, delete, print, copy
	Subject    string    `bson:"subject"` // whose data, e.g. "team:julianadorp members", "user:u…"
	Route      string    `bson:"route"`
	RequestID  string    `bson:"requestId"`
	IP         string    `bson:"ip"`
}

// Log writes entries to the access_log collection.
type Log struct {
	coll *mongo.Collection
	now  func() time.Time
}

// New returns the log.
func New(s *store.Store) *Log { return &Log{coll: s.DB.Collection("access_log"), now: time.Now} }

// Record appends an entry for the request's actor. It fails closed: when the
// entry cannot be stored, the caller must not serve the data.
func (l *Log) Record(c *gin.Context, action, subject string) error {
	a := identity.ActorFrom(c.Request.Context())
	e := Entry{At: l.now().UTC(), Action: action, Subject: subject, Route: c.FullPath(),
		RequestID: httpapi.RequestID(c), IP: c.ClientIP()}
	if a != nil {
		e.UserID = a.UserID
		if len(a.SessionID) >= 12 {
			e.Session = a.SessionID[:12]
		}
	}
	return l.Append(c.Request.Context(), e)
}

// Append stores e, filling its id.
func (l *Log) Append(ctx context.Context, e Entry) error {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	e.ID = e.At.Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(b)
	if _, err := l.coll.InsertOne(ctx, e); err != nil {
		return fmt.Errorf("%w: access log: %v", apperr.ErrUnavailable, err)
	}
	return nil
}
