package chat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
)

// ClientFrame is every field a client frame may carry. Decoding is strict:
// unknown fields, trailing data and wrong types are refused.
type ClientFrame struct {
	Type     string `json:"type"`
	ID       string `json:"id,omitempty"`
	Ch       string `json:"ch,omitempty"`
	ClientID string `json:"clientId,omitempty"`
	Body     string `json:"body,omitempty"`
	Reply    int64  `json:"reply,omitempty"`
	Target   int64  `json:"target,omitempty"`
	Emoji    string `json:"emoji,omitempty"`
	On       *bool  `json:"on,omitempty"`
	After    int64  `json:"after,omitempty"`
	Before   int64  `json:"before,omitempty"`
	Limit    int    `json:"limit,omitempty"`
	Seq      int64  `json:"seq,omitempty"`
	Status   string `json:"status,omitempty"`
	// Attachments (send): ids of files uploaded to the channel.
	Attachments []string `json:"attachments,omitempty"`
	// AcknowledgeIdentifiers (send, edit): the writer saw the warning that
	// the body looks like client data and sends it anyway.
	AcknowledgeIdentifiers bool `json:"acknowledgeIdentifiers,omitempty"`
}

// FrameError is a refused client frame. Code is as in docs/protocol.md.
type FrameError struct {
	Code    apperr.Code
	Message string
}

func (e *FrameError) Error() string { return string(e.Code) + ": " + e.Message }

var frameTypes = map[string][]string{ // type → required fields
	"send":     {"ch", "clientId", "body"},
	"edit":     {"ch", "clientId", "target", "body"},
	"delete":   {"ch", "clientId", "target"},
	"react":    {"ch", "clientId", "target", "emoji", "on"},
	"sync":     {"ch"},
	"history":  {"ch"},
	"read":     {"ch", "seq"},
	"typing":   {"ch"},
	"receipts": {"ch"},
	"presence": {"status"},
	"ping":     {},
}

// DecodeFrame parses and checks one client frame.
func DecodeFrame(data []byte) (*ClientFrame, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f ClientFrame
	if err := dec.Decode(&f); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, &FrameError{"bad_frame", "field " + te.Field + " has the wrong type"}
		}
		if strings.HasPrefix(err.Error(), "json: unknown field") {
			return nil, &FrameError{"bad_frame", strings.TrimPrefix(err.Error(), "json: ")}
		}
		return nil, &FrameError{"bad_frame", "not a JSON object"}
	}
	// Only whitespace may follow the object (Decoder.More misses a stray "]" or "}").
	if _, err := dec.Token(); err != io.EOF {
		return nil, &FrameError{"bad_frame", "one JSON object per frame"}
	}
	if len(f.ID) > 64 {
		return nil, &FrameError{"bad_frame", "id: at most 64 characters"}
	}
	req, ok := frameTypes[f.Type]
	if !ok {
		return nil, &FrameError{"bad_frame", "unknown type"}
	}
	for _, r := range req {
		missing := false
		switch r {
		case "ch":
			missing = f.Ch == "" || len(f.Ch) > 80
		case "clientId":
			missing = f.ClientID == "" || len(f.ClientID) > 64
		case "body":
			missing = f.Body == "" && (f.Type != "send" || len(f.Attachments) == 0)
		case "target":
			missing = f.Target <= 0
		case "emoji":
			missing = f.Emoji == ""
		case "on":
			missing = f.On == nil
		case "seq":
			missing = f.Seq <= 0
		case "status":
			missing = f.Status != "online" && f.Status != "away"
		}
		if missing {
			return nil, &FrameError{"bad_frame", "missing or invalid field " + r}
		}
	}
	if len(f.Attachments) > MaxAttachments || slices.ContainsFunc(f.Attachments, func(id string) bool { return id == "" || len(id) > 64 }) {
		return nil, &FrameError{"bad_frame", fmt.Sprintf("attachments: at most %d ids of at most 64 characters", MaxAttachments)}
	}
	if f.After < 0 || f.Before < 0 || f.Limit < 0 || f.Reply < 0 {
		return nil, &FrameError{"bad_frame", "negative number"}
	}
	return &f, nil
}

// Server → client frames (docs/protocol.md, "Server → client"). Each kind is
// one Go type, and the server builds frames only through these: encode sets
// the type and marshals, so a frame's "type" always matches its Go type.
// TestProtocolDocMatchesFrames keeps docs/protocol.md in step with them.
// ServerFrame is any of them (only this package's types implement it).
type ServerFrame interface{ encode() []byte }

// ReadyFrame is the first frame after connecting.
type ReadyFrame struct {
	Type     string               `json:"type"`
	User     FrameUser            `json:"user"`
	Channels []Summary            `json:"channels"`
	Online   map[string]string    `json:"online"`   // partner → online/away
	LastSeen map[string]time.Time `json:"lastSeen"` // offline partner → last seen
	Instance string               `json:"instance"`
	Receipts bool                 `json:"receipts"` // false: read receipts are off
	Prefs    UserPrefs            `json:"prefs"`
}

// FrameUser is the connected user, in ReadyFrame.
type FrameUser struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (f ReadyFrame) encode() []byte { f.Type = "ready"; return mustJSON(f) }

// EntryFrame is a new entry in a channel the user is a member of.
type EntryFrame struct {
	Type  string `json:"type"`
	Entry *Entry `json:"entry"`
}

func (f EntryFrame) encode() []byte { f.Type = "entry"; return mustJSON(f) }

// AckFrame says a write is stored.
type AckFrame struct {
	Type      string `json:"type"`
	ID        string `json:"id"`
	ClientID  string `json:"clientId"`
	Ch        string `json:"ch"`
	Seq       int64  `json:"seq"`
	Duplicate bool   `json:"duplicate"`
}

func (f AckFrame) encode() []byte { f.Type = "ack"; return mustJSON(f) }

// EntriesFrame answers sync and history.
type EntriesFrame struct {
	Type    string   `json:"type"`
	ID      string   `json:"id"`
	Ch      string   `json:"ch"`
	Entries []*Entry `json:"entries"`
	More    bool     `json:"more"`
}

func (f EntriesFrame) encode() []byte { f.Type = "entries"; return mustJSON(f) }

// ReadFrame: the user read up to Seq on another device.
type ReadFrame struct {
	Type string `json:"type"`
	Ch   string `json:"ch"`
	Seq  int64  `json:"seq"`
}

func (f ReadFrame) encode() []byte { f.Type = "read"; return mustJSON(f) }

// TypingFrame: someone is typing.
type TypingFrame struct {
	Type string `json:"type"`
	Ch   string `json:"ch"`
	User string `json:"user"`
	Name string `json:"name"`
}

func (f TypingFrame) encode() []byte { f.Type = "typing"; return mustJSON(f) }

// PresenceFrame: a channel partner's presence changed. LastSeen only with
// offline, when known and not hidden.
type PresenceFrame struct {
	Type     string    `json:"type"`
	User     string    `json:"user"`
	Status   string    `json:"status"`
	LastSeen time.Time `json:"lastSeen,omitzero"`
}

func (f PresenceFrame) encode() []byte { f.Type = "presence"; return mustJSON(f) }

// PrefsFrame: the user changed their chat settings on another device.
type PrefsFrame struct {
	Type  string    `json:"type"`
	Prefs UserPrefs `json:"prefs"`
}

func (f PrefsFrame) encode() []byte { f.Type = "prefs"; return mustJSON(f) }

// ReceiptsFrame answers a receipts frame: every member's marker and name
// (none, and Off, when receipts are off for the channel).
type ReceiptsFrame struct {
	Type  string            `json:"type"`
	ID    string            `json:"id"`
	Ch    string            `json:"ch"`
	Reads map[string]int64  `json:"reads"`
	Names map[string]string `json:"names"`
	Off   bool              `json:"off"`
}

func (f ReceiptsFrame) encode() []byte { f.Type = "receipts"; return mustJSON(f) }

// ReceiptsMovedFrame is the batched push of the markers that moved in a
// channel: a receipts frame without id, names and off.
type ReceiptsMovedFrame struct {
	Type  string           `json:"type"`
	Ch    string           `json:"ch"`
	Reads map[string]int64 `json:"reads"`
}

func (f ReceiptsMovedFrame) encode() []byte { f.Type = "receipts"; return mustJSON(f) }

// ChannelFrame: the user joined or was added to a channel, or it changed.
type ChannelFrame struct {
	Type    string   `json:"type"`
	Channel *Summary `json:"channel"`
}

func (f ChannelFrame) encode() []byte { f.Type = "channel"; return mustJSON(f) }

// ChannelRemovedFrame: the user lost access to a channel.
type ChannelRemovedFrame struct {
	Type string `json:"type"`
	Ch   string `json:"ch"`
}

func (f ChannelRemovedFrame) encode() []byte { f.Type = "channel_removed"; return mustJSON(f) }

// NotifyFrame is a mention or direct message, for a system notification.
type NotifyFrame struct {
	Type    string `json:"type"`
	Kind    string `json:"kind"` // mention or dm
	Ch      string `json:"ch"`
	Seq     int64  `json:"seq"`
	By      string `json:"by"`
	ByName  string `json:"byName"`
	Excerpt string `json:"excerpt"`
}

func (f NotifyFrame) encode() []byte { f.Type = "notify"; return mustJSON(f) }

// ResyncFrame: this instance lost its broker link; sync the channel.
type ResyncFrame struct {
	Type string `json:"type"`
	Ch   string `json:"ch"`
}

func (f ResyncFrame) encode() []byte { f.Type = "resync"; return mustJSON(f) }

// PongFrame answers ping.
type PongFrame struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

func (f PongFrame) encode() []byte { f.Type = "pong"; return mustJSON(f) }

// ErrorFrame is a refused client frame. Errors only with code invalid,
// Findings only with identifier_suspected.
type ErrorFrame struct {
	Type     string                     `json:"type"`
	ID       string                     `json:"id"`
	Code     apperr.Code                `json:"code"`
	Message  string                     `json:"message"`
	ClientID string                     `json:"clientId"`
	Errors   []apperr.FieldError        `json:"errors,omitempty"`
	Findings []identifiers.FieldFinding `json:"findings,omitempty"`
}

func (f ErrorFrame) encode() []byte { f.Type = "error"; return mustJSON(f) }

// NotificationFrame is an item for the notification centre (as in
// GET /api/v1/notifications) with the user's unread count; server/notify
// delivers it through Hub.SendToUser.
type NotificationFrame struct {
	Type   string `json:"type"`
	Item   any    `json:"item"`
	Unread int    `json:"unread"`
}

func (f NotificationFrame) encode() []byte { f.Type = "notification"; return mustJSON(f) }
