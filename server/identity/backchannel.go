package identity

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

// OpenID Connect Back-Channel Logout 1.0: the identity provider POSTs a
// signed logout token to /auth/backchannel-logout when a person's session
// there ends (sign-out elsewhere, an administrator revoking it, an account
// disabled). Plein ends the matching sessions on every instance at once and
// closes their websockets.
//
// The token names the provider's session (sid), the person (sub), or both.
// With a sid, the sessions that login created end; with only a sub, every
// session of that person issued before the token does (SessionsFrom moves
// to the end of the second of the token's iat, so a replay cannot end a
// later login).

const (
	idpSessionsColl = "idp_sessions"  // provider session id → Plein sessions
	logoutJTIColl   = "logout_tokens" // jti of every logout token acted on

	backchannelEvent = "http://schemas.openid.net/event/backchannel-logout"
	// logoutTokenMaxAge bounds how old (by iat) a logout token may be, so a
	// captured token cannot be played back later; clocks may differ a minute.
	logoutTokenMaxAge = 10 * time.Minute
	logoutClockSkew   = time.Minute
)

// LogoutTokenError is a logout token the relying party refuses; the handler
// answers 400 with error=invalid_request (section 2.8).
type LogoutTokenError struct{ Reason string }

func (e *LogoutTokenError) Error() string { return "logout token refused: " + e.Reason }

// idpSession maps one of the provider's sessions to the Plein sessions its
// logins created. Keyed by a hash of issuer and sid: a string _id lookup.
type idpSession struct {
	ID       string    `bson:"_id"`
	UserID   string    `bson:"userId"`
	Sessions []string  `bson:"sessions"`
	At       time.Time `bson:"at"`
}

func idpSessionKey(issuer, sid string) string { return hashToken(issuer + "\x00" + sid) }

// rememberIDPSession records that session id belongs to the provider's
// session sid (from the ID token), so a back-channel logout can find it.
func (s *sessions) rememberIDPSession(ctx context.Context, issuer, sid, userID, sessionID string, now time.Time) error {
	_, err := s.coll.Database().Collection(idpSessionsColl).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: idpSessionKey(issuer, sid)}},
		bson.D{
			{Key: "$set", Value: bson.D{{Key: "userId", Value: userID}, {Key: "at", Value: now}}},
			{Key: "$addToSet", Value: bson.D{{Key: "sessions", Value: sessionID}}},
		}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return apperr.Unavailable("save provider session", err)
	}
	return nil
}

// purgeBackchannel forgets provider sessions older than the absolute session
// lifetime and logout token ids older than any token we would still accept.
func (s *sessions) purgeBackchannel(ctx context.Context, now time.Time, absolute time.Duration) error {
	db := s.coll.Database()
	if _, err := db.Collection(idpSessionsColl).DeleteMany(ctx, bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: now.Add(-absolute)}}}}); err != nil {
		return err
	}
	_, err := db.Collection(logoutJTIColl).DeleteMany(ctx, bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: now.Add(-2 * logoutTokenMaxAge)}}}})
	return err
}

// logoutClaims are the claims of a logout token that Plein reads.
type logoutClaims struct {
	Sid    string                     `json:"sid"`
	JTI    string                     `json:"jti"`
	Nonce  *string                    `json:"nonce"`
	Events map[string]json.RawMessage `json:"events"`
}

// BackchannelLogout validates a logout token (section 2.6 of the
// specification) and ends the sessions it names. It is safe to run twice
// for the same token: a retry after a failure half-way finishes the work,
// and a token already acted on is refused as a replay.
func (s *Service) BackchannelLogout(ctx context.Context, raw string) error {
	if raw == "" || len(raw) > 16<<10 {
		return &LogoutTokenError{"missing or oversized logout_token"}
	}
	p, err := s.oidcProvider(ctx)
	if err != nil {
		return err
	}
	octx := oidc.ClientContext(ctx, s.cfg.HTTPClient)
	// Signature (the provider's published keys), issuer, audience and
	// expiry, as for an ID token.
	tok, err := p.Verifier(&oidc.Config{ClientID: s.cfg.ClientID, Now: s.cfg.Now}).Verify(octx, raw)
	if err != nil {
		return &LogoutTokenError{"invalid: " + err.Error()}
	}
	var c logoutClaims
	if err := tok.Claims(&c); err != nil {
		return &LogoutTokenError{"unreadable claims"}
	}
	now := s.cfg.Now().UTC()
	switch {
	case c.Nonce != nil:
		return &LogoutTokenError{"a logout token must not carry a nonce"}
	case c.Events == nil || c.Events[backchannelEvent] == nil:
		return &LogoutTokenError{"events claim lacks the back-channel logout event"}
	case tok.Subject == "" && c.Sid == "":
		return &LogoutTokenError{"neither sub nor sid"}
	case c.JTI == "":
		return &LogoutTokenError{"no jti"}
	case tok.IssuedAt.IsZero() || now.Sub(tok.IssuedAt) > logoutTokenMaxAge || tok.IssuedAt.Sub(now) > logoutClockSkew:
		return &LogoutTokenError{"iat missing, too old or in the future"}
	}
	var ev map[string]any
	if err := json.Unmarshal(c.Events[backchannelEvent], &ev); err != nil {
		return &LogoutTokenError{"the back-channel logout event is not a JSON object"}
	}
	db := s.sessions.coll.Database()
	jtiKey := hashToken(tok.Issuer + "\x00" + c.JTI)
	if err := db.Collection(logoutJTIColl).FindOne(ctx, bson.D{{Key: "_id", Value: jtiKey}}).Err(); err == nil {
		return &LogoutTokenError{"replayed"}
	} else if !store.IsNotFound(err) {
		return apperr.Unavailable("read logout token ids", err)
	}

	if c.Sid != "" {
		if err := s.endIDPSession(ctx, tok.Issuer, c.Sid, tok.Subject); err != nil {
			return err
		}
	} else if err := s.endSessionsBefore(ctx, UserID(tok.Issuer, tok.Subject), tok.IssuedAt.UTC().Add(time.Second)); err != nil {
		return err
	}
	// Recorded last: a failure above leaves the token usable for the
	// provider's retry.
	_, err = db.Collection(logoutJTIColl).InsertOne(ctx, bson.D{{Key: "_id", Value: jtiKey}, {Key: "at", Value: now}})
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return apperr.Unavailable("record logout token", err)
	}
	s.cfg.Logger.InfoContext(ctx, "back-channel logout", "sid", c.Sid != "", "sub", tok.Subject != "")
	return nil
}

// endIDPSession ends the Plein sessions created by logins in the provider's
// session sid. When the token also names a subject, it must be the person
// those sessions belong to.
func (s *Service) endIDPSession(ctx context.Context, issuer, sid, sub string) error {
	coll := s.sessions.coll.Database().Collection(idpSessionsColl)
	key := idpSessionKey(issuer, sid)
	m, err := store.FindID[idpSession](ctx, coll, key, "provider session")
	if m == nil || err != nil {
		return err // none: no session of ours came from it (or it ended already)
	}
	if sub != "" && subtle.ConstantTimeCompare([]byte(m.UserID), []byte(UserID(issuer, sub))) != 1 {
		return &LogoutTokenError{"sid and sub name different people"}
	}
	for _, id := range m.Sessions {
		if err := s.sessions.delete(ctx, id); err != nil {
			return apperr.Unavailable("end session", err)
		}
		if s.onEnd != nil {
			s.onEnd(m.UserID, id)
		}
	}
	if _, err := coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}}); err != nil {
		return apperr.Unavailable("forget provider session", err)
	}
	return nil
}

// endSessionsBefore ends every session of a person created before t, on
// every instance. Unknown people are no error: nothing to end.
func (s *Service) endSessionsBefore(ctx context.Context, userID string, t time.Time) error {
	u, ok := s.users.Get(userID)
	if !ok {
		return nil
	}
	if !u.SessionsFrom.Before(t) {
		return nil // an earlier or equal cut-off is already in force
	}
	u.SessionsFrom = t
	if err := s.users.Upsert(ctx, &u); err != nil {
		return err
	}
	s.userChanged(ctx, userID, true)
	return nil
}

// IsLogoutTokenError reports whether err refuses the token itself (400), as
// opposed to a store or provider failure (503, which the provider retries).
func IsLogoutTokenError(err error) bool {
	var e *LogoutTokenError
	return errors.As(err, &e)
}
