package chat

import (
	"cmp"
	"context"
	"html"
	"regexp"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Collections are the collections chat keeps (for the privacy register).
var Collections = []string{channelsColl, entriesColl, sendsColl, sendsDoneColl, readsColl, versionsColl}

// MessageData is one message as an export shows it: a message a person
// wrote (their personal data export) or any message of a conversation they
// export (ExportConversation, which also names the author, the thread a
// reply belongs to, an edit and the files).
type MessageData struct {
	Channel string    `json:"channel"`
	Seq     int64     `json:"seq"`
	At      time.Time `json:"at"`
	By      string    `json:"by,omitempty"`
	ByName  string    `json:"byName,omitempty"`
	Reply   int64     `json:"reply,omitempty"`
	Body    string    `json:"body"`
	Files   []string  `json:"files,omitempty"`
	Edited  bool      `json:"edited,omitempty"`
	Deleted bool      `json:"deleted,omitempty"`
}

// MessageRef names one entry (a message, mostly): its channel and sequence number.
type MessageRef struct {
	Ch  string
	Seq int64
}

// AuthorIndex lists entries by person from memory; ok is false while it is
// still loading (the whole log is then read, as before). server/app keeps
// it, fed from the same stored and live entries as search.
type AuthorIndex interface {
	// By lists the entries userID wrote (messages, edits, reactions, any kind).
	By(userID string) (refs []MessageRef, ok bool)
	// Mentioning lists the messages and edits that mention userID.
	Mentioning(userID string) (refs []MessageRef, ok bool)
}

// SetAuthorIndex gives PersonalData and Pseudonymise the index.
func (s *Service) SetAuthorIndex(x AuthorIndex) { s.authors.Store(&x) }

// PersonalData is what chat holds about a person: the channels they are a
// member of, their read markers and the messages they wrote. The messages
// come from the author index (SetAuthorIndex) by point lookups on their
// ids; only while it loads (just after a start) is the log read whole.
func (s *Service) PersonalData(ctx context.Context, userID string) (any, error) {
	es, err := s.authoredBy(ctx, userID)
	if err != nil {
		return nil, err
	}
	msgs := make([]MessageData, 0, len(es))
	for _, e := range es {
		msgs = append(msgs, MessageData{Channel: e.Ch, Seq: e.Seq, At: e.At, Body: e.Body, Deleted: e.Deleted})
	}
	reads, err := s.st.readsOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	channels := s.ChannelsOf(userID)
	if channels == nil {
		channels = []string{}
	}
	return map[string]any{"channels": channels, "readMarkers": reads, "messages": msgs}, nil
}

// authoredBy returns the messages userID wrote, oldest first per channel.
func (s *Service) authoredBy(ctx context.Context, userID string) ([]Entry, error) {
	if refs, ok := s.indexed(userID, false); ok {
		out := make([]Entry, 0, len(refs))
		for _, r := range refs {
			e, err := s.st.entry(ctx, r.Ch, r.Seq)
			if err != nil {
				return nil, err
			}
			if e != nil && e.By == userID && e.Kind == EntryMsg {
				out = append(out, *e)
			}
		}
		return out, nil
	}
	cur, err := s.st.entries.Find(ctx, bson.D{{Key: "by", Value: userID}, {Key: "kind", Value: EntryMsg}})
	if err != nil {
		return nil, unavailable("export messages", err)
	}
	var es []Entry
	if err := cur.All(ctx, &es); err != nil {
		return nil, unavailable("export messages", err)
	}
	return es, nil
}

// Pseudonymise replaces the author name stored with each of the person's
// entries, in the store and in this instance's windows and search index.
// The other instances are told to RenameInWindows (server/app wires it over
// the broker). Idempotent.
func (s *Service) Pseudonymise(ctx context.Context, userID, pseudonym string) error {
	set := bson.D{{Key: "$set", Value: bson.D{{Key: "byName", Value: pseudonym}}}}
	if refs, ok := s.indexed(userID, false); ok {
		// One update by id an entry: no read of the whole log.
		for _, r := range refs {
			if _, err := s.st.entries.UpdateOne(ctx, bson.D{{Key: "_id", Value: EntryID(r.Ch, r.Seq)}}, set); err != nil {
				return unavailable("pseudonymise entries", err)
			}
		}
	} else if _, err := s.st.entries.UpdateMany(ctx, bson.D{{Key: "by", Value: userID}}, set); err != nil {
		return unavailable("pseudonymise entries", err)
	}
	if err := s.renameMentions(ctx, userID, pseudonym); err != nil {
		return err
	}
	s.RenameInWindows(userID, pseudonym)
	return nil
}

// indexed lists refs from the author index (By or Mentioning), sorted; ok
// false when there is none or it is still loading.
func (s *Service) indexed(userID string, mentioning bool) ([]MessageRef, bool) {
	x := s.authors.Load()
	if x == nil {
		return nil, false
	}
	refs, ok := (*x).By(userID)
	if mentioning {
		refs, ok = (*x).Mentioning(userID)
	}
	slices.SortFunc(refs, func(a, b MessageRef) int { return cmp.Or(cmp.Compare(a.Ch, b.Ch), cmp.Compare(a.Seq, b.Seq)) })
	return refs, ok
}

// mentionRE matches the rendered mention of one person (short.Renderer's
// output): the span keeps its id, the name after "@" follows the person.
func mentionRE(userID string) *regexp.Regexp {
	return regexp.MustCompile(`<span class="mention" data-user="` + regexp.QuoteMeta(userID) + `">@[^<]*</span>`)
}

// mentionSpan is the rendered mention of userID under name.
func mentionSpan(userID, name string) string {
	return `<span class="mention" data-user="` + userID + `">@` + html.EscapeString(name) + `</span>`
}

// renameMentions rewrites, in the stored HTML of every message and edit
// that mentions userID, the mention's name to pseudonym: the text people
// wrote stays, the mention follows the person (docs/security.md, "Names
// inside messages"). Entries come from the author index by id, or while
// it loads from a filter on the mentions. Idempotent.
func (s *Service) renameMentions(ctx context.Context, userID, pseudonym string) error {
	re, span := mentionRE(userID), mentionSpan(userID, pseudonym)
	var es []Entry
	if refs, ok := s.indexed(userID, true); ok {
		for _, r := range refs {
			e, err := s.st.entry(ctx, r.Ch, r.Seq)
			if err != nil {
				return err
			}
			if e != nil {
				es = append(es, *e)
			}
		}
	} else {
		cur, err := s.st.entries.Find(ctx, bson.D{{Key: "mentions", Value: userID}})
		if err != nil {
			return unavailable("find mentions", err)
		}
		if err := cur.All(ctx, &es); err != nil {
			return unavailable("find mentions", err)
		}
	}
	for _, e := range es {
		h := re.ReplaceAllLiteralString(e.HTML, span)
		if h == e.HTML {
			continue
		}
		if _, err := s.st.entries.UpdateOne(ctx, bson.D{{Key: "_id", Value: e.ID}}, bson.D{{Key: "$set", Value: bson.D{{Key: "html", Value: h}}}}); err != nil {
			return unavailable("rename mentions", err)
		}
	}
	return nil
}

// RenameInWindows replaces the author name on the person's entries, and
// the name in rendered mentions of them, that this instance holds in memory (the recent windows) and in its search
// index, after the store was changed.
func (s *Service) RenameInWindows(userID, pseudonym string) {
	re, span := mentionRE(userID), mentionSpan(userID, pseudonym)
	var renamed []*Entry
	s.mu.RLock()
	states := make([]*chanState, 0, len(s.states))
	for _, st := range s.states {
		states = append(states, st)
	}
	s.mu.RUnlock()
	for _, st := range states {
		st.mu.Lock()
		for seq, e := range st.window {
			byThem := e.By == userID && e.ByName != pseudonym
			h := e.HTML
			if slices.Contains(e.Mentions, userID) {
				h = re.ReplaceAllLiteralString(h, span)
			}
			if byThem || h != e.HTML {
				c := *e
				c.HTML = h
				if byThem {
					c.ByName = pseudonym
				}
				st.window[seq] = &c
				renamed = append(renamed, &c)
			}
		}
		st.mu.Unlock()
	}
	if f := s.onEntry.Load(); f != nil {
		for _, e := range renamed {
			if e.Kind == EntryMsg {
				(*f)(e)
			}
		}
	}
}

// SweepMessages redacts messages written before before (retention): their
// text goes, the trace stays, so sequences, replies and unread counts hold.
// Each redaction is an update by _id that a second instance may repeat
// harmlessly. The filter reads the whole log on the embedded store; it runs
// in the background sweep, never per request.
func (s *Service) SweepMessages(ctx context.Context, before time.Time) (int, error) {
	cur, err := s.st.entries.Find(ctx, bson.D{{Key: "kind", Value: EntryMsg}, {Key: "deleted", Value: bson.D{{Key: "$ne", Value: true}}},
		{Key: "at", Value: bson.D{{Key: "$lt", Value: before}}}})
	if err != nil {
		return 0, unavailable("sweep messages", err)
	}
	defer cur.Close(ctx)
	n := 0
	for cur.Next(ctx) { // one entry at a time: the first sweep may meet years of messages
		var e Entry
		if err := cur.Decode(&e); err != nil {
			return n, unavailable("sweep messages", err)
		}
		if err := s.st.redact(ctx, e.Ch, e.Seq); err != nil {
			return n, err
		}
		n++
		st := s.state(e.Ch)
		st.mu.Lock()
		if w := st.window[e.Seq]; w != nil && !w.Deleted {
			st.window[e.Seq] = w.redacted()
		}
		st.mu.Unlock()
		if f := s.onEntry.Load(); f != nil {
			(*f)(&Entry{Ch: e.Ch, Kind: EntryDelete, Target: e.Seq, At: e.At})
		}
	}
	if err := cur.Err(); err != nil {
		return n, unavailable("sweep messages", err)
	}
	return n, nil
}
