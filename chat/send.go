package chat

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/plaintext"
)

// Input is a write from a member.
type Input struct {
	Ch       string
	ClientID string
	Kind     string
	Body     string
	Reply    int64
	Target   int64
	Emoji    string
	// Attachments are ids of files the sender uploaded to the channel
	// (send only; attachments.go).
	Attachments []string
	// AcknowledgeIdentifiers lets a body with likely client identifiers
	// through (the writer was warned); without it Append refuses such a
	// body with *identifiers.SuspectedError.
	AcknowledgeIdentifiers bool
}

// AppendResult tells the writer what was stored.
type AppendResult struct {
	Entry     *Entry
	Duplicate bool
}

// Append validates and stores a write as the channel's next entry. A retry
// with the same client id returns the stored entry's sequence (Duplicate).
func (s *Service) Append(ctx context.Context, userID string, in Input) (*AppendResult, error) {
	c, ok := s.channel(in.Ch)
	if !ok || !s.isMember(userID, c) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	if in.ClientID == "" || len(in.ClientID) > 64 || !plaintext.Line(in.ClientID) {
		return nil, apperr.Invalid("clientId", "length", "1–64 printable characters", apperr.Params{"min": 1, "max": 64})
	}
	key := userID + ":" + in.ClientID
	if seq, ok := s.recentSend(key); ok {
		return &AppendResult{Entry: &Entry{Ch: in.Ch, Seq: seq}, Duplicate: true}, nil
	}
	// A retry from another instance or after a restart is recognised by the
	// claim below (its insert fails on the existing key): no read here, since
	// a lookup that misses costs a scan on the embedded store.
	name, _ := s.dir.Person(userID)
	e := &Entry{Ch: in.Ch, Kind: in.Kind, By: userID, ByName: name, ClientID: in.ClientID, At: s.now().UTC()}
	st := s.state(in.Ch)
	if err := s.ensureWindow(ctx, in.Ch, st); err != nil {
		return nil, err
	}
	var deletedFiles []Attachment
	switch in.Kind {
	case EntryMsg:
		ats, err := s.resolveAttachments(ctx, userID, in.Ch, in.ClientID, in.Attachments)
		if err != nil {
			return nil, err
		}
		e.Attachments = ats
		if len(ats) == 0 || strings.TrimSpace(in.Body) != "" { // a file may go without text
			if err := s.setBody(e, in.Body); err != nil {
				return nil, err
			}
		}
		if err := identifiers.Check(in.AcknowledgeIdentifiers, identifiers.F("body", e.Body)); err != nil {
			return nil, err
		}
		if in.Reply != 0 {
			root, err := s.entryAt(ctx, st, in.Ch, in.Reply)
			if err != nil {
				return nil, err
			}
			if root == nil || root.Kind != EntryMsg {
				return nil, apperr.Invalid("reply", "unknown", "no such message")
			}
			if root.Reply != 0 {
				in.Reply = root.Reply // a reply to a reply joins the same thread
			}
			e.Reply = in.Reply
		}
	case EntryEdit, EntryDelete, EntryReact, EntryUnreact:
		target, err := s.entryAt(ctx, st, in.Ch, in.Target)
		if err != nil {
			return nil, err
		}
		if target == nil || target.Kind != EntryMsg {
			return nil, apperr.Invalid("target", "unknown", "no such message")
		}
		e.Target = in.Target
		if in.Kind == EntryDelete {
			deletedFiles = target.Attachments
		}
		switch in.Kind {
		case EntryEdit, EntryDelete:
			if target.By != userID {
				return nil, apperr.Forbidden("not_author", "only the author can change a message")
			}
			if in.Kind == EntryEdit {
				if err := s.setBody(e, in.Body); err != nil {
					return nil, err
				}
				if err := identifiers.Check(in.AcknowledgeIdentifiers, identifiers.F("body", e.Body)); err != nil {
					return nil, err
				}
			}
		default:
			if !slices.Contains(Emojis, in.Emoji) {
				return nil, apperr.Invalid("emoji", "invalid_choice", "use one of "+strings.Join(Emojis, " "))
			}
			e.Emoji = in.Emoji
		}
	default:
		return nil, apperr.Invalid("type", "unknown", "unknown entry kind")
	}
	if in.Kind == EntryDelete {
		// Remove the files and text first: if this fails nothing is stored,
		// and a retry redoes it (files before text: the text names them).
		if err := s.dropAttachments(ctx, deletedFiles); err != nil {
			return nil, err
		}
		if err := s.st.redact(ctx, in.Ch, in.Target); err != nil {
			return nil, err
		}
	}
	// The committer claims the clientId, then stores the entry, with the
	// sends that arrive meanwhile (commit.go): an attempt still under way (a
	// retry on another instance after a disconnect, a slow first try) must
	// not let a second attempt store the message again.
	at := s.now().UTC().Truncate(time.Millisecond) // as the store keeps it
	return s.commit(ctx, &pendingSend{e: e, key: key, at: at})
}

// staleClaim is how old a claim on a clientId must be before another
// attempt takes it over: longer than an append can take (its context ends
// after 15 s), with room for clock differences between instances.
const staleClaim = 30 * time.Second

// claimTaken decides what happens to a send whose clientId was claimed
// already. It returns the duplicate when an earlier attempt stored it,
// ErrUnavailable (the client retries with the same clientId) while one is
// under way, and nil, nil when it took over a stale claim for this attempt.
func (s *Service) claimTaken(ctx context.Context, p *pendingSend) (*AppendResult, error) {
	rec, err := s.st.sentBefore(ctx, p.e.By, p.e.ClientID)
	if err == nil && rec == nil {
		err = unavailable("read send record", errors.New("vanished"))
	}
	if err != nil {
		return nil, err
	}
	if rec.Seq == 0 {
		// Claimed by another attempt: did it store the entry (then fail
		// or die before it answered)?
		e, err := s.findSend(ctx, rec, p.e.By, p.e.ClientID)
		if err != nil {
			return nil, err
		}
		switch {
		case e != nil:
			rec.Ch, rec.Seq = e.Ch, e.Seq
		case p.at.Sub(rec.At) < staleClaim:
			return nil, fmt.Errorf("%w: this message is being stored; retry", apperr.ErrUnavailable)
		default:
			ok, err := s.st.takeOverSend(ctx, rec, p.from, p.at)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, fmt.Errorf("%w: this message is being stored; retry", apperr.ErrUnavailable)
			}
			return nil, nil
		}
	}
	return &AppendResult{Entry: &Entry{Ch: rec.Ch, Seq: rec.Seq}, Duplicate: true}, nil
}

// findSend looks for the entry of a claimed send in its channel's log: if
// it was stored, it is above the claim's From.
func (s *Service) findSend(ctx context.Context, rec *sendRecord, userID, clientID string) (*Entry, error) {
	st := s.state(rec.Ch)
	if err := s.ensureWindow(ctx, rec.Ch, st); err != nil {
		return nil, err
	}
	st.mu.Lock()
	known := st.last
	st.mu.Unlock()
	last, err := s.st.lastSeq(ctx, rec.Ch, max(known, rec.From))
	if err != nil {
		return nil, err
	}
	for seq := rec.From + 1; seq <= last; seq++ {
		e, err := s.entryAt(ctx, st, rec.Ch, seq)
		if err != nil {
			return nil, err
		}
		if e != nil && e.By == userID && e.ClientID == clientID {
			return e, nil
		}
	}
	return nil, nil
}

// EntryAt is the entry at seq of a channel the user is a member of (nil
// when there is none).
func (s *Service) EntryAt(ctx context.Context, userID, chID string, seq int64) (*Entry, error) {
	if !s.IsMember(userID, chID) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	return s.entryAt(ctx, s.state(chID), chID, seq)
}

func (s *Service) entryAt(ctx context.Context, st *chanState, ch string, seq int64) (*Entry, error) {
	if seq <= 0 {
		return nil, nil
	}
	st.mu.Lock()
	e := st.window[seq]
	st.mu.Unlock()
	if e != nil {
		return e, nil
	}
	return s.st.entry(ctx, ch, seq)
}

func (s *Service) setBody(e *Entry, body string) error {
	body = strings.TrimSpace(strings.ToValidUTF8(body, "\uFFFD"))
	if body == "" {
		return apperr.Invalid("body", "required", "a message cannot be empty")
	}
	if utf8.RuneCountInString(body) > maxBody {
		return apperr.Invalid("body", "too_long", fmt.Sprintf("at most %d characters", maxBody), apperr.Params{"max": maxBody})
	}
	r := s.md.Render(body, s.dir.Person)
	e.Body, e.HTML, e.Mentions, e.MentionsTeam = body, r.HTML, r.Mentions, r.MentionsTeam
	e.Preview = previewText(body, s.dir.Person, previewRunes)
	return nil
}
