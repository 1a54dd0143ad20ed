package chat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/plein/plein/server/apperr"
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
