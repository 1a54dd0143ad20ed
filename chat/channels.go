package chat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/plaintext"
)

// CreateChannel creates an open or closed channel with the creator as member.
// A name or topic with likely client identifiers is refused
// (*identifiers.SuspectedError) unless acknowledge is set.
func (s *Service) CreateChannel(ctx context.Context, userID string, kind Kind, name, topic string, acknowledge bool) (*Channel, error) {
	var v apperr.Validator
	name, topic = strings.TrimSpace(name), strings.TrimSpace(topic)
	v.Check(kind == KindOpen || kind == KindClosed, "kind", "invalid_choice", "open or closed")
	n := utf8.RuneCountInString(name)
	v.Check(n >= 2 && n <= maxName && plaintext.Line(name), "name", "length", "2–80 characters", apperr.Params{"min": 2, "max": 80})
	v.Check(utf8.RuneCountInString(topic) <= 300 && plaintext.Line(topic), "topic", "too_long", "at most 300 characters", apperr.Params{"max": 300})
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := identifiers.Check(acknowledge, identifiers.F("name", name), identifiers.F("topic", topic)); err != nil {
		return nil, err
	}
	c := &Channel{ID: "c-" + randomID(), Kind: kind, Name: name, Topic: topic, Members: []string{userID}, CreatedBy: userID, CreatedAt: s.now().UTC()}
	if err := s.st.insertChannel(ctx, c); err != nil {
		return nil, err
	}
	s.putChannel(c)
	return c, nil
}

// Browse lists open channels.
func (s *Service) Browse(userID string) []BrowseItem {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []BrowseItem{}
	for _, c := range s.channels {
		if c.Kind == KindOpen {
			out = append(out, BrowseItem{ID: c.ID, Name: c.Name, Topic: c.Topic, MemberCount: len(c.Members), Joined: slices.Contains(c.Members, userID)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out
}

// BrowseItem is an open channel in the list to join.
type BrowseItem struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Topic       string `json:"topic,omitempty"`
	MemberCount int    `json:"memberCount"`
	Joined      bool   `json:"joined"`
}

// Join adds the user to an open channel.
func (s *Service) Join(ctx context.Context, userID, chID string) (*Channel, error) {
	c, ok := s.channel(chID)
	if !ok || (c.Kind != KindOpen && !s.isMember(userID, c)) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	if c.Kind == KindTeam || slices.Contains(c.Members, userID) {
		return c, nil
	}
	return s.changeMembers(ctx, userID, c, func(m []string) ([]string, error) {
		if slices.Contains(m, userID) {
			return m, nil
		}
		return append(m, userID), nil
	})
}

// Leave removes the user from a channel (not a team channel: leave the team).
func (s *Service) Leave(ctx context.Context, userID, chID string) (*Channel, error) {
	c, ok := s.channel(chID)
	if !ok || !s.isMember(userID, c) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	if c.Kind == KindTeam || c.Kind == KindDM {
		return nil, apperr.Invalid("channel", "not_allowed", "team channels and direct messages cannot be left")
	}
	return s.changeMembers(ctx, userID, c, func(m []string) ([]string, error) {
		return slices.DeleteFunc(m, func(x string) bool { return x == userID }), nil
	})
}

// Invite adds another person to a closed channel or group conversation.
func (s *Service) Invite(ctx context.Context, userID, chID, other string) (*Channel, error) {
	c, ok := s.channel(chID)
	if !ok || !s.isMember(userID, c) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	if c.Kind != KindClosed && c.Kind != KindGroup && c.Kind != KindOpen {
		return nil, apperr.Invalid("channel", "not_allowed", "only closed, open and group channels take invitations")
	}
	if _, ok := s.dir.Person(other); !ok {
		return nil, apperr.Invalid("userId", "unknown", "unknown person")
	}
	if slices.Contains(c.Members, other) {
		return c, nil
	}
	if c.Kind == KindGroup && len(c.Members) >= maxGroup+1 {
		return nil, apperr.Invalid("userId", "too_many", fmt.Sprintf("a group conversation has at most %d people", maxGroup+1), apperr.Params{"max": maxGroup + 1})
	}
	return s.changeMembers(ctx, userID, c, func(m []string) ([]string, error) {
		if slices.Contains(m, other) {
			return m, nil
		}
		if c.Kind == KindGroup && len(m) >= maxGroup+1 {
			return nil, apperr.Invalid("userId", "too_many", fmt.Sprintf("a group conversation has at most %d people", maxGroup+1), apperr.Params{"max": maxGroup + 1})
		}
		return append(m, other), nil
	})
}

// OpenDM finds or creates the conversation between the user and others: a
// direct message for one other person, a group conversation for 2–8.
func (s *Service) OpenDM(ctx context.Context, userID string, others []string) (*Channel, error) {
	var v apperr.Validator
	set := []string{userID}
	for i, o := range others {
		if _, ok := s.dir.Person(o); !ok {
			v.Add(fmt.Sprintf("userIds[%d]", i), "unknown", "unknown person")
			continue
		}
		if !slices.Contains(set, o) {
			set = append(set, o)
		}
	}
	if len(set) < 2 {
		v.Add("userIds", "required", "name at least one other person")
	}
	if len(set) > maxGroup+1 {
		v.Add("userIds", "too_many", fmt.Sprintf("at most %d other people", maxGroup), apperr.Params{"max": maxGroup})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	kind := KindDM
	if len(set) > 2 {
		kind = KindGroup
	}
	sorted := slices.Clone(set)
	sort.Strings(sorted)
	h := sha256.Sum256([]byte(strings.Join(sorted, ",")))
	id := "d-" + hex.EncodeToString(h[:10])
	if kind == KindGroup {
		id = "g-" + randomID()
	} else if c, ok := s.channel(id); ok {
		return c, nil
	}
	c := &Channel{ID: id, Kind: kind, Members: set, CreatedBy: userID, CreatedAt: s.now().UTC()}
	if err := s.st.insertChannel(ctx, c); err != nil {
		if errors.Is(err, apperr.ErrConflict) { // created concurrently elsewhere
			if _, err := s.ReloadChannels(ctx); err != nil {
				return nil, err
			}
			if c, ok := s.channel(id); ok {
				return c, nil
			}
		}
		return nil, err
	}
	s.putChannel(c)
	return c, nil
}

// changeMembers commits change(the newest member list) as the channel's
// next version. When another instance committed that version first, it
// reads the newer list and applies change to it again, so simultaneous
// changes on any number of instances all land, in some order.
func (s *Service) changeMembers(ctx context.Context, by string, c *Channel, change func([]string) ([]string, error)) (*Channel, error) {
	for range 50 {
		latest, err := s.st.latestMembers(ctx, c)
		if err != nil {
			return nil, err
		}
		next, err := change(slices.Clone(latest.Members))
		if err != nil {
			return nil, err
		}
		if slices.Equal(next, latest.Members) {
			s.putChannel(latest)
			return latest, nil
		}
		mv := &memberVersion{Ch: c.ID, V: latest.V + 1, Members: next, By: by, At: s.now().UTC()}
		switch err := s.st.insertVersion(ctx, mv); {
		case err == nil:
			out := *latest
			out.Members, out.V = next, mv.V
			s.putChannel(&out)
			return &out, nil
		case errors.Is(err, errTaken):
			c = latest // someone else changed it: read theirs and try again
		default:
			return nil, err
		}
	}
	return nil, fmt.Errorf("%w: channel %s: too many simultaneous membership changes", apperr.ErrUnavailable, c.ID)
}

// putChannel puts a channel in memory unless memory already holds a newer
// version of it (a reload's snapshot can be older than a change made since).
func (s *Service) putChannel(c *Channel) {
	cp := *c
	cp.Members = slices.Clone(c.Members)
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.channels[c.ID]; ok {
		if old.V > c.V {
			return
		}
		for _, m := range old.Members {
			delete(s.byMember[m], c.ID)
		}
	}
	s.channels[c.ID] = &cp
	indexMembers(s.byMember, &cp)
}

func indexMembers(idx map[string]map[string]bool, c *Channel) {
	for _, m := range c.Members {
		if idx[m] == nil {
			idx[m] = map[string]bool{}
		}
		idx[m][c.ID] = true
	}
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
