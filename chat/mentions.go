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
// a mention never notifies anyone twice. Place is the channel's name (empty
// for conversations). Message marks a message in a direct or group
// conversation: not stored in the notification centre (the chat list shows
// it unread), only pushed to devices; it has no text.
type Notice struct {
	Title, Text, Link, ActorID, ActorName, Place, Key string
	Message                                           bool
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
	where, place := c.Name, c.Name
	if c.Kind == KindDM || c.Kind == KindGroup {
		where, place = "een gesprek", ""
	}
	(*np).Notify(context.WithoutCancel(ctx), users, Notice{
		Title:   e.ByName + " noemde je in " + where,
		Text:    previewText(e.Body, s.dir.Person, mentionTextRunes),
		Link:    messageLink(c.ID, msgSeq, reply),
		ActorID: e.By, ActorName: e.ByName, Place: place,
		Key: "chat:" + e.Ch + ":" + strconv.FormatInt(msgSeq, 10),
	})
}

// messageLink is the app path that opens a message (in its thread).
func messageLink(ch string, seq, reply int64) string {
	if reply != 0 {
		return "/chat/" + ch + "/thread/" + strconv.FormatInt(reply, 10) + "?m=" + strconv.FormatInt(seq, 10)
	}
	return "/chat/" + ch + "?m=" + strconv.FormatInt(seq, 10)
}

// NotifyMessage tells the other members of a direct or group conversation
// of a new message (a Message notice: pushed to their devices, not stored),
// except those who muted it and those the message mentions (they get the
// mention). Call it once, for a newly stored message.
func (s *Service) NotifyMessage(ctx context.Context, e *Entry) {
	np := s.notifier.Load()
	if np == nil || e.Kind != EntryMsg || e.Deleted {
		return
	}
	c, ok := s.channel(e.Ch)
	if !ok || (c.Kind != KindDM && c.Kind != KindGroup) {
		return
	}
	skip := map[string]bool{e.By: true}
	for _, u := range s.MentionRecipients(e) {
		skip[u] = true
	}
	var users []string
	for _, u := range s.Members(e.Ch) {
		if !skip[u] && !s.Muted(u, e.Ch) {
			users = append(users, u)
		}
	}
	if len(users) == 0 {
		return
	}
	place := ""
	if c.Kind == KindGroup {
		place = c.Name
	}
	(*np).Notify(context.WithoutCancel(ctx), users, Notice{
		Title: "Nieuw bericht van " + e.ByName, Link: messageLink(c.ID, e.Seq, e.Reply),
		ActorID: e.By, ActorName: e.ByName, Place: place, Message: true,
	})
}
