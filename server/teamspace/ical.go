package teamspace

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

// The personal calendar feed: GET /ical/<token>.ics, without a session.
// The token is the credential: "<user id>_<64 hex characters>". Only the
// user's current token works (a reset replaces it), and what the feed shows
// is decided at every request from the user's memberships at that moment.

var feedTokenRE = regexp.MustCompile(`^(u[0-9a-f]{24})_([0-9a-f]{64})$`)

func newFeedToken(userID string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return userID + "_" + hex.EncodeToString(b)
}

// FeedToken returns the actor's calendar feed token, making one the first time.
func (s *Service) FeedToken(ctx context.Context, a *identity.Actor) (string, error) {
	if err := requireActor(a); err != nil {
		return "", err
	}
	f, err := s.st.feed(ctx, a.UserID)
	if err != nil {
		return "", err
	}
	if f == nil {
		if f, err = s.st.createFeed(ctx, &feedDoc{UserID: a.UserID, Token: newFeedToken(a.UserID)}); err != nil {
			return "", err
		}
	}
	return f.Token, nil
}

// ResetFeedToken replaces the actor's token: the old feed URL stops working.
func (s *Service) ResetFeedToken(ctx context.Context, a *identity.Actor) (string, error) {
	if err := requireActor(a); err != nil {
		return "", err
	}
	f := &feedDoc{UserID: a.UserID, Token: newFeedToken(a.UserID)}
	if err := s.st.replaceFeed(ctx, f); err != nil {
		return "", err
	}
	return f.Token, nil
}

// feedUser checks a token and returns its (active) user.
func (s *Service) feedUser(ctx context.Context, token string) (string, error) {
	m := feedTokenRE.FindStringSubmatch(token)
	if m == nil {
		return "", apperr.NotFound("not_found", "no such calendar")
	}
	f, err := s.st.feed(ctx, m[1])
	if err != nil {
		return "", err
	}
	if f == nil || subtle.ConstantTimeCompare([]byte(f.Token), []byte(token)) != 1 {
		return "", apperr.NotFound("not_found", "no such calendar")
	}
	if u, ok := s.people.Get(m[1]); !ok || !u.Active {
		return "", apperr.NotFound("not_found", "no such calendar")
	}
	return m[1], nil
}

// Calendar renders the token's user's feed: the events of the spaces they
// are a member of now (all events of their teams, and of their communities,
// whose events are organisation-wide), from 90 days ago on. With spaceID,
// only that space's events (a team's own calendar): the user must be a
// member now, or there is no such calendar.
func (s *Service) Calendar(ctx context.Context, token, baseURL, spaceID string) ([]byte, error) {
	userID, err := s.feedUser(ctx, token)
	if err != nil {
		return nil, err
	}
	if len(spaceID) > 200 {
		return nil, apperr.NotFound("not_found", "no such calendar")
	}
	s.freshen(ctx)
	since := s.now().Add(-90 * 24 * time.Hour)
	items, name, err := s.calendarItems(userID, spaceID, since)
	if err != nil {
		return nil, err
	}
	sort.Slice(items, func(i, j int) bool { return items[i].ev.Start.Before(items[j].ev.Start) })
	if len(items) > 2000 {
		items = items[:2000]
	}
	return writeCalendar(name, items, baseURL), nil
}

// calendarItem is an event in a calendar feed, with its space's name.
type calendarItem struct {
	ev    EventDoc
	space string
}

// calendarItems are the events of the spaces the user is a member of (or of
// the one space asked for) that end after since, and the feed's name.
func (s *Service) calendarItems(userID, spaceID string, since time.Time) ([]calendarItem, string, error) {
	var items []calendarItem
	s.mu.RLock()
	st := s.cur
	var spaces []spaceRef
	for _, id := range s.org.TeamIDsOf(userID) {
		if sp, ok := s.spaceOf(st, id); ok {
			spaces = append(spaces, sp)
		}
	}
	for id, c := range st.communities {
		if _, ok := c.members[userID]; ok {
			spaces = append(spaces, spaceRef{id: id, kind: KindCommunity, name: c.Name})
		}
	}
	name := "Plein – mijn ruimtes"
	if spaceID != "" {
		spaces = slices.DeleteFunc(spaces, func(sp spaceRef) bool { return sp.id != spaceID })
		if len(spaces) == 0 {
			s.mu.RUnlock()
			return nil, "", apperr.NotFound("not_found", "no such calendar")
		}
		name = "Plein – " + spaces[0].name
	}
	for _, sp := range spaces {
		// Re-check as for any read: membership now, and the event's visibility.
		member := s.isMember(st, userID, sp)
		if !member {
			continue
		}
		if sd := st.peek(sp.id); sd != nil {
			for _, ev := range sd.events {
				if seesVisibility(member, ev.Visibility) && ev.End.After(since) {
					items = append(items, calendarItem{*ev, sp.name})
				}
			}
		}
		if sp.kind == KindTeam {
			for _, x := range s.extraFor(sp.id, since, since.AddDate(2, 0, 0)) {
				items = append(items, calendarItem{EventDoc{ID: x.ID, SpaceID: sp.id, Title: x.Title, Start: x.Start, End: x.End, Location: x.Location,
					Description: x.Description, Visibility: VisibilityTeam, CreatedAt: x.CreatedAt}, sp.name})
			}
		}
	}
	s.mu.RUnlock()
	return items, name, nil
}

// writeCalendar writes the feed as iCalendar (RFC 5545).
func writeCalendar(name string, items []calendarItem, baseURL string) []byte {
	var w icalWriter
	w.prop("BEGIN", "VCALENDAR")
	w.prop("VERSION", "2.0")
	w.prop("PRODID", "-//Plein//Ruimtes//NL")
	w.prop("CALSCALE", "GREGORIAN")
	w.prop("METHOD", "PUBLISH")
	w.prop("X-WR-CALNAME", escapeText(name))
	w.prop("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
	w.prop("X-PUBLISHED-TTL", "PT1H")
	for _, it := range items {
		ev := it.ev
		w.prop("BEGIN", "VEVENT")
		w.prop("UID", ev.ID+"@plein")
		w.prop("DTSTAMP", icalTime(ev.CreatedAt))
		if ev.AllDay {
			w.prop("DTSTART;VALUE=DATE", ev.Start.Format("20060102"))
			w.prop("DTEND;VALUE=DATE", ev.End.AddDate(0, 0, 1).Format("20060102")) // exclusive
		} else {
			w.prop("DTSTART", icalTime(ev.Start))
			w.prop("DTEND", icalTime(ev.End))
		}
		w.prop("SUMMARY", escapeText(ev.Title+" · "+it.space))
		if ev.Location != "" {
			w.prop("LOCATION", escapeText(ev.Location))
		}
		if ev.Description != "" {
			w.prop("DESCRIPTION", escapeText(ev.Description))
		}
		if ev.Visibility == VisibilityTeam {
			w.prop("CLASS", "PRIVATE")
		}
		if baseURL != "" {
			w.prop("URL", strings.TrimRight(baseURL, "/")+SpaceLink(ev.SpaceID, "agenda/"+ev.ID))
		}
		w.prop("END", "VEVENT")
	}
	w.prop("END", "VCALENDAR")
	return w.b.Bytes()
}

func icalTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icalWriter writes content lines as RFC 5545 asks: CRLF line ends and
// lines folded at 75 octets (a fold is CRLF and one space), never inside a
// UTF-8 sequence.
type icalWriter struct{ b bytes.Buffer }

func (w *icalWriter) prop(name, value string) { w.line(name + ":" + value) }

func (w *icalWriter) line(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.b.WriteString(s[:cut])
		w.b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	w.b.WriteString(s)
	w.b.WriteString("\r\n")
}

// escapeText escapes a TEXT value: backslash, semicolon, comma and line
// breaks; other control characters are dropped.
func escapeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == ';':
			b.WriteString(`\;`)
		case c == ',':
			b.WriteString(`\,`)
		case c == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case c == '\n':
			b.WriteString(`\n`)
		case c < 0x20 || c == 0x7f:
			if c == '\t' {
				b.WriteByte(' ')
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
