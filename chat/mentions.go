package chat

import (
	"context"
	"slices"
	"strconv"
)

// Notifier delivers notifications to the notification centre (the app
// wires server/notify in). Notify must not fail the caller: the message is
// stored by then.
type Notifier interface {
	Notify(ctx context.Context, userIDs []string, n Notice)
}

// Notice is a mention for the notification centre. Key makes it at most
// once per user ("chat:<ch>:<seq>"), so a retried send or an edit that adds
// a mention never notifies anyone twice.
type Notice struct {
	Title, Text, Link, ActorID, ActorName, Key string
}

// SetNotifier sets the notifier (nil: none).
func (s *Service) SetNotifier(n Notifier) {
	if n == nil {
		s.notifier.Store(nil)
		return
	}
	s.notifier.Store(&n)
}

// mentionTextRunes is the longest excerpt in a mention notification.
const mentionTextRunes = 140

// MentionRecipients lists who a stored message or edit notifies: members
// named in it, and for @team every other member who has not muted the
// channel. The author is never notified; non-members never are.
func (s *Service) MentionRecipients(e *Entry) []string {
	if (e.Kind != EntryMsg && e.Kind != EntryEdit) || e.Deleted || (len(e.Mentions) == 0 && !e.MentionsTeam) {
		return nil
	}
	c, ok := s.channel(e.Ch)
	if !ok {
		return nil
	}
	var out []string
	seen := map[string]bool{e.By: true}
	for _, u := range e.Mentions {
		if !seen[u] && s.isMember(u, c) {
			seen[u] = true
			out = append(out, u)
		}
	}
	if e.MentionsTeam {
		for _, u := range s.Members(e.Ch) {
			if !seen[u] && !s.Muted(u, e.Ch) {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	slices.Sort(out)
	return out
}

// NotifyMentions puts a mention in the notification centre of everyone a
// stored message (or an edit of one) mentions, with a link to the message
// and a masked one-line excerpt. It is safe to call again for the same
// entry (after a retry or a crash half-way): the notice's key makes it at
// most once per person and message.
func (s *Service) NotifyMentions(ctx context.Context, e *Entry) {
	np := s.notifier.Load()
	if np == nil {
		return
	}
	users := s.MentionRecipients(e)
	if len(users) == 0 {
		return
	}
	c, ok := s.channel(e.Ch)
	if !ok {
		return
	}
	msgSeq, reply := e.Seq, e.Reply
	if e.Kind == EntryEdit {
		msgSeq = e.Target
		if root, err := s.entryAt(ctx, s.state(e.Ch), e.Ch, e.Target); err == nil && root != nil {
			reply = root.Reply
		}
	}
	where := c.Name
	if c.Kind == KindDM || c.Kind == KindGroup {
		where = "een gesprek"
	}
	link := "/chat/" + c.ID + "?m=" + strconv.FormatInt(msgSeq, 10)
	if reply != 0 {
		link = "/chat/" + c.ID + "/thread/" + strconv.FormatInt(reply, 10) + "?m=" + strconv.FormatInt(msgSeq, 10)
	}
	(*np).Notify(context.WithoutCancel(ctx), users, Notice{
		Title:   e.ByName + " noemde je in " + where,
		Text:    previewText(e.Body, s.dir.Person, mentionTextRunes),
		Link:    link,
		ActorID: e.By, ActorName: e.ByName,
		Key: "chat:" + e.Ch + ":" + strconv.FormatInt(msgSeq, 10),
	})
}
