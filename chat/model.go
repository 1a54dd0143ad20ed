// Package chat is Plein's real-time chat engine: channels (one per team,
// open and closed cross-team channels, direct and group conversations), an
// append-only per-channel log of entries with strictly increasing sequence
// numbers, websocket connections, and fan-out between server instances
// through a broker. docs/protocol.md describes the wire protocol.
//
// The store is the truth. An entry is stored before it is published; the
// broker (memory or Redis pub/sub) is at-most-once, so clients detect gaps by
// sequence number and fetch them (sync), and every instance re-probes the
// store for a channel's last sequence when asked to sync.
package chat

import (
	"fmt"
	"time"
)

// Kind is a channel's kind.
type Kind string

const (
	KindTeam   Kind = "team"   // one per team; members are the team's members
	KindOpen   Kind = "open"   // anyone may join
	KindClosed Kind = "closed" // by invitation
	KindDM     Kind = "dm"     // two people
	KindGroup  Kind = "group"  // a small group conversation
)

// Channel is a stored channel. Team channels are not stored: they follow the
// organisation (id "t-<team id>").
type Channel struct {
	ID        string    `bson:"_id"`
	Kind      Kind      `bson:"kind"`
	Name      string    `bson:"name"`
	Topic     string    `bson:"topic"`
	Members   []string  `bson:"members"`
	CreatedBy string    `bson:"createdBy"`
	CreatedAt time.Time `bson:"createdAt"`
	TeamID    string    `bson:"-"`
	// V is the channel's member-list version: 0 is the list stored with the
	// channel, each change after it is a document in chat_channel_versions
	// (store.go). An older snapshot (lower V) never replaces a newer one in
	// memory.
	V int64 `bson:"-"`
}

// Entry kinds.
const (
	EntryMsg     = "msg"
	EntryEdit    = "edit"
	EntryDelete  = "delete"
	EntryReact   = "react"
	EntryUnreact = "unreact"
)

// Entry is one item of a channel's log: a message or an amendment to one.
type Entry struct {
	ID           string    `bson:"_id" json:"-"`
	Ch           string    `bson:"ch" json:"ch"`
	Seq          int64     `bson:"seq" json:"seq"`
	Kind         string    `bson:"kind" json:"kind"`
	By           string    `bson:"by" json:"by"`
	ByName       string    `bson:"byName" json:"byName"`
	ClientID     string    `bson:"cid" json:"clientId"`
	At           time.Time `bson:"at" json:"at"`
	Body         string    `bson:"body,omitempty" json:"body,omitempty"`
	HTML         string    `bson:"html,omitempty" json:"html,omitempty"`
	Mentions     []string  `bson:"mentions,omitempty" json:"mentions,omitempty"`
	MentionsTeam bool      `bson:"mentionsTeam,omitempty" json:"mentionsTeam,omitempty"`
	Reply        int64     `bson:"reply,omitempty" json:"reply,omitempty"`
	Target       int64     `bson:"target,omitempty" json:"target,omitempty"`
	Emoji        string    `bson:"emoji,omitempty" json:"emoji,omitempty"`
	// Deleted marks a message whose text was removed (the trace stays).
	Deleted bool `bson:"deleted,omitempty" json:"deleted,omitempty"`
	// Preview is the one-line masked text of a live msg or edit for the
	// chat list (not stored: made once when the entry is written).
	Preview string `bson:"-" json:"preview,omitempty"`
	// Attachments are the message's files (attachments.go).
	Attachments []Attachment `bson:"att,omitempty" json:"attachments,omitempty"`
}

// redacted returns a copy of a deleted message without its content.
func (e *Entry) redacted() *Entry {
	c := *e
	c.Body, c.HTML, c.Mentions, c.MentionsTeam, c.Deleted, c.Preview, c.Attachments = "", "", nil, false, true, "", nil
	return &c
}

// EntryID is the store key of an entry: the channel and the zero-padded
// sequence, so that an entry is a point lookup on every engine.
func EntryID(ch string, seq int64) string { return fmt.Sprintf("%s:%012d", ch, seq) }

// TeamChannelID is the id of a team's channel.
func TeamChannelID(teamID string) string { return "t-" + teamID }

// Emojis are the reactions a message can get.
var Emojis = []string{"👍", "❤️", "😊", "🙏", "✅", "😮"}
