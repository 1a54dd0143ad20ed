package chat

import (
	"context"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store"
)

// prefsColl holds one small document per user who ever muted or pinned a
// conversation or hid their presence: "<user>" → {muted, pinned, hidePresence}.
// Written on user actions only, with $set/$unset on one channel's field, so
// changes made on two devices at once to different conversations both stay.
const prefsColl = "chat_prefs"

// UserPrefs are a user's chat settings, kept for every device.
type UserPrefs struct {
	Muted        map[string]bool  `bson:"muted,omitempty" json:"-"`
	Pinned       map[string]int64 `bson:"pinned,omitempty" json:"-"` // channel → pinned at (unix ms): the order of pins
	HidePresence bool             `bson:"hidePresence,omitempty" json:"hidePresence"`
}

type prefsDoc struct {
	ID        string `bson:"_id"`
	UserPrefs `bson:",inline"`
}

// ChannelPrefsInput changes one conversation's settings for the user.
type ChannelPrefsInput struct {
	Muted  *bool `json:"muted"`
	Pinned *bool `json:"pinned"`
}

// PrefsInput changes the user's own chat settings.
type PrefsInput struct {
	HidePresence *bool `json:"hidePresence"`
}

// prefsCache is every user's settings in memory (a small collection: read
// whole at start and on every channel reload; one point lookup after a
// change announced by another instance).
type prefsCache struct {
	mu sync.RWMutex
	m  map[string]UserPrefs
}

func (p *prefsCache) get(user string) UserPrefs {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.m[user]
}

func (p *prefsCache) put(user string, up UserPrefs) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m[user] = up
}

func (s *Store) loadPrefs(ctx context.Context) (map[string]UserPrefs, error) {
	cur, err := s.prefs.Find(ctx, bson.D{})
	if err != nil {
		return nil, unavailable("read chat settings", err)
	}
	defer cur.Close(ctx)
	out := map[string]UserPrefs{}
	for cur.Next(ctx) {
		var d prefsDoc
		if err := cur.Decode(&d); err != nil {
			return nil, unavailable("read chat settings", err)
		}
		out[d.ID] = d.UserPrefs
	}
	if err := cur.Err(); err != nil {
		return nil, unavailable("read chat settings", err)
	}
	return out, nil
}

func (s *Store) userPrefs(ctx context.Context, user string) (UserPrefs, error) {
	var d prefsDoc
	err := s.prefs.FindOne(ctx, bson.D{{Key: "_id", Value: user}}).Decode(&d)
	if store.IsNotFound(err) {
		return UserPrefs{}, nil
	}
	if err != nil {
		return UserPrefs{}, unavailable("read chat settings", err)
	}
	return d.UserPrefs, nil
}

// updatePrefs applies set and unset to the user's document (upsert). Field
// paths are built from channel ids the service resolved, never from client
// JSON keys.
func (s *Store) updatePrefs(ctx context.Context, user string, set, unset bson.D) error {
	upd := bson.D{}
	if len(set) > 0 {
		upd = append(upd, bson.E{Key: "$set", Value: set})
	}
	if len(unset) > 0 {
		upd = append(upd, bson.E{Key: "$unset", Value: unset})
	}
	if len(upd) == 0 {
		return nil
	}
	if _, err := s.prefs.UpdateOne(ctx, bson.D{{Key: "_id", Value: user}}, upd, options.UpdateOne().SetUpsert(true)); err != nil {
		return unavailable("store chat settings", err)
	}
	return nil
}

// ReloadPrefs re-reads every user's chat settings.
func (s *Service) ReloadPrefs(ctx context.Context) error {
	m, err := s.st.loadPrefs(ctx)
	if err != nil {
		return err
	}
	s.prefs.mu.Lock()
	s.prefs.m = m
	s.prefs.mu.Unlock()
	return nil
}

// RefreshPrefs re-reads one user's settings (another instance changed them).
func (s *Service) RefreshPrefs(ctx context.Context, user string) error {
	up, err := s.st.userPrefs(ctx, user)
	if err != nil {
		return err
	}
	s.prefs.put(user, up)
	return nil
}

// Prefs returns the user's own chat settings.
func (s *Service) Prefs(userID string) UserPrefs { return s.prefs.get(userID) }

// PresenceHidden reports whether the user hides their presence from others.
func (s *Service) PresenceHidden(userID string) bool { return s.prefs.get(userID).HidePresence }

// Muted reports whether the user muted the channel.
func (s *Service) Muted(userID, chID string) bool { return s.prefs.get(userID).Muted[chID] }

// SetChannelPrefs mutes/unmutes or pins/unpins a conversation for the user.
// Only a member can change a conversation's settings (not_found otherwise).
func (s *Service) SetChannelPrefs(ctx context.Context, userID, chID string, in ChannelPrefsInput) error {
	c, ok := s.channel(chID)
	if !ok || !s.isMember(userID, c) {
		return apperr.NotFound("not_found", "channel not found")
	}
	if in.Muted == nil && in.Pinned == nil {
		return apperr.Invalid("(body)", "required", "give muted or pinned")
	}
	var set, unset bson.D
	if in.Muted != nil {
		if *in.Muted {
			set = append(set, bson.E{Key: "muted." + c.ID, Value: true})
		} else {
			unset = append(unset, bson.E{Key: "muted." + c.ID, Value: ""})
		}
	}
	if in.Pinned != nil {
		if *in.Pinned {
			if _, already := s.prefs.get(userID).Pinned[c.ID]; !already {
				set = append(set, bson.E{Key: "pinned." + c.ID, Value: s.now().UnixMilli()})
			}
		} else {
			unset = append(unset, bson.E{Key: "pinned." + c.ID, Value: ""})
		}
	}
	if err := s.st.updatePrefs(ctx, userID, set, unset); err != nil {
		return err
	}
	return s.RefreshPrefs(ctx, userID)
}

// SetPrefs changes the user's own chat settings.
func (s *Service) SetPrefs(ctx context.Context, userID string, in PrefsInput) (UserPrefs, error) {
	if in.HidePresence == nil {
		return UserPrefs{}, apperr.Invalid("hidePresence", "required", "is required")
	}
	var set, unset bson.D
	if *in.HidePresence {
		set = bson.D{{Key: "hidePresence", Value: true}}
	} else {
		unset = bson.D{{Key: "hidePresence", Value: ""}}
	}
	if err := s.st.updatePrefs(ctx, userID, set, unset); err != nil {
		return UserPrefs{}, err
	}
	if err := s.RefreshPrefs(ctx, userID); err != nil {
		return UserPrefs{}, err
	}
	return s.Prefs(userID), nil
}

// PrefsChanged tells every instance that the user's chat settings changed:
// they re-read them (presence is announced again, since hiding it must take
// effect everywhere), and the user's other devices get the new settings.
func (h *Hub) PrefsChanged(ctx context.Context, user string, f ServerFrame) {
	if err := h.br.Publish(ctx, topicPrefs, []byte(user)); err != nil {
		h.prefsChanged(user)
	}
	if f != nil {
		h.SendToUser(ctx, user, f)
	}
}

func (h *Hub) prefsChanged(user string) {
	ctx, cancel := contextTimeout(5 * time.Second)
	defer cancel()
	if err := h.svc.RefreshPrefs(ctx, user); err != nil {
		h.log.Warn("refresh chat settings", "user", user, "err", err)
	}
	h.mu.RLock()
	_, here := h.byUser[user]
	h.mu.RUnlock()
	if here {
		h.publishPresence(nil)
	}
}
