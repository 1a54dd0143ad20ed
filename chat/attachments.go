package chat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/photo"
	"github.com/plein/plein/server/plaintext"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/blob"
)

// Attachments: photos, PDFs and Office files sent with a message. A file is
// uploaded first (POST /chat/channels/{id}/attachments), stored with its
// image variants (server/photo: orientation applied, EXIF/GPS stripped),
// and described by a document in chat_attachments keyed by its id. A send
// frame then names the ids; Append checks each belongs to the channel and
// to the sender, and copies the description into the message, so a message
// is delivered only after its files are stored.

const (
	attachmentsColl = "chat_attachments"
	filesBucket     = "chat_files"
	// MaxAttachmentBytes is the largest file, as for team documents.
	MaxAttachmentBytes = 10 << 20
	// MaxAttachments is the most files one message carries.
	MaxAttachments = 10
	// attachmentKinds: png, jpeg, gif, webp, pdf, docx, xlsx, pptx.
	attachmentKinds = blob.Images | blob.PDF | blob.Office
)

// Attachment describes a file of a message, as stored in the entry and
// sent in message frames.
type Attachment struct {
	ID          string `bson:"id" json:"id"`
	Name        string `bson:"name" json:"name"`
	ContentType string `bson:"ct" json:"contentType"`
	Size        int64  `bson:"size" json:"size"`
	// Width and Height of an image (0 otherwise).
	Width  int `bson:"w,omitempty" json:"width,omitempty"`
	Height int `bson:"h,omitempty" json:"height,omitempty"`
	// URL downloads the file; an image's variants are URL + "?w=<width>"
	// for each of Variants (narrowest first; none for small images).
	URL      string `bson:"url" json:"url"`
	Variants []int  `bson:"variants,omitempty" json:"variants,omitempty"`
}

// attachmentDoc is a stored file's description: which channel it was
// uploaded to, and by whom.
type attachmentDoc struct {
	ID         string    `bson:"_id"`
	Ch         string    `bson:"ch"`
	By         string    `bson:"by"`
	At         time.Time `bson:"at"`
	Attachment `bson:"a"`
	// Sent: a send named the file (SweepUnsentAttachments leaves it).
	Sent bool `bson:"sent,omitempty"`
	// SentWith is the client id of that send: a file belongs to one
	// message (deleting it erases the file), so only a retry of the same
	// send may name it again.
	SentWith string `bson:"sentWith,omitempty"`
}

type attachmentStore struct {
	docs  *mongo.Collection
	files *blob.Bucket
}

// EnableAttachments lets members send files, stored in st.
func (s *Service) EnableAttachments(st *store.Store) {
	s.att = &attachmentStore{docs: st.DB.Collection(attachmentsColl), files: blob.Open(st, filesBucket)}
}

func attachmentURL(ch, id string) string { return "/api/v1/chat/channels/" + ch + "/attachments/" + id }

// cleanFileName keeps the base name of a client's file name; names that
// are empty, too long or hold control or bidi characters are refused.
func cleanFileName(name string) (string, bool) {
	name = strings.TrimSpace(path.Base(strings.ReplaceAll(name, "\\", "/")))
	if name == "" || name == "." || name == ".." || name == "/" || utf8.RuneCountInString(name) > 200 || !plaintext.Line(name) ||
		strings.ContainsAny(name, "\u200e\u200f") {
		return "", false
	}
	return name, true
}

// AddAttachment stores a file a member uploads to a channel, ready to be
// named in a send. A file name that looks like client data is refused
// without acknowledge (identifiers.SuspectedError).
func (s *Service) AddAttachment(ctx context.Context, userID, chID, fileName string, data []byte, acknowledge bool) (*Attachment, error) {
	if s.att == nil {
		return nil, apperr.NotFound("not_found", "attachments are not enabled")
	}
	if !s.IsMember(userID, chID) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	name, ok := cleanFileName(fileName)
	if !ok {
		return nil, apperr.Invalid("file", "too_long", "the file needs a name of at most 200 characters, e.g. foto.jpg", apperr.Params{"max": 200})
	}
	if len(data) == 0 {
		return nil, apperr.Invalid("file", "file_empty", "the file is empty")
	}
	if len(data) > MaxAttachmentBytes {
		return nil, apperr.Invalid("file", "file_too_large", fmt.Sprintf("the file is larger than %d MB", MaxAttachmentBytes>>20),
			apperr.Params{"maxMb": MaxAttachmentBytes >> 20})
	}
	ct, ok := blob.Sniff(data, name, attachmentKinds)
	if !ok {
		return nil, apperr.Invalid("file", "file_type_refused", "this type of file is not accepted, or its contents do not match its name; use "+blob.Describe(attachmentKinds))
	}
	if err := identifiers.Check(acknowledge, identifiers.F("file", name)); err != nil {
		return nil, err
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	id := "ca-" + hex.EncodeToString(b)
	stored, err := photo.Put(ctx, s.att.files, id, name, ct, data)
	if err != nil {
		if ve := (*apperr.ValidationError)(nil); errors.As(err, &ve) {
			return nil, err
		}
		return nil, unavailable("store attachment", err)
	}
	at := Attachment{ID: id, Name: name, ContentType: stored.ContentType, Size: stored.Size, Width: stored.Width, Height: stored.Height,
		URL: attachmentURL(chID, id), Variants: stored.Widths}
	// The description last: bytes without one are never named (and a
	// failed write leaves nothing a send could use).
	doc := attachmentDoc{ID: id, Ch: chID, By: userID, At: s.now().UTC().Truncate(time.Millisecond), Attachment: at}
	if _, err := s.att.docs.InsertOne(ctx, doc); err != nil {
		_ = photo.Delete(context.WithoutCancel(ctx), s.att.files, id)
		return nil, unavailable("store attachment", err)
	}
	return &at, nil
}

// lookupAttachment returns an attachment's description, nil when unknown.
func (s *Service) lookupAttachment(ctx context.Context, id string) (*attachmentDoc, error) {
	if !strings.HasPrefix(id, "ca-") || len(id) != 35 {
		return nil, nil
	}
	var d attachmentDoc
	err := s.att.docs.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, unavailable("read attachment", err)
	}
	return &d, nil
}

// resolveAttachments checks that every id names a file the sender uploaded
// to this channel, and returns their descriptions. Any other id (unknown,
// from another channel, another person's) is refused with
// attachment_unknown: nothing is stored.
func (s *Service) resolveAttachments(ctx context.Context, userID, chID, clientID string, ids []string) ([]Attachment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if s.att == nil {
		return nil, apperr.Invalid("attachments", "attachment_unknown", "attachments are not enabled")
	}
	if len(ids) > MaxAttachments {
		return nil, apperr.Invalid("attachments", "too_many", fmt.Sprintf("at most %d files a message", MaxAttachments), apperr.Params{"max": MaxAttachments})
	}
	out := make([]Attachment, 0, len(ids))
	for i, id := range ids {
		if slices.Contains(ids[:i], id) {
			continue
		}
		d, err := s.lookupAttachment(ctx, id)
		if err != nil {
			return nil, err
		}
		if d == nil || d.Ch != chID || d.By != userID {
			return nil, apperr.Invalid("attachments", "attachment_unknown", "no such file in this channel; upload it first")
		}
		if d.Sent && d.SentWith != clientID {
			return nil, apperr.Invalid("attachments", "attachment_sent", "this file was sent with another message; upload it again")
		}
		out = append(out, d.Attachment)
	}
	// Mark them sent before the entry is stored, so the sweep of unsent
	// files never removes a file a message names. A file the sweep took in
	// the meantime is refused here.
	for _, at := range out {
		res, err := s.att.docs.UpdateOne(ctx, bson.D{{Key: "_id", Value: at.ID}}, bson.D{{Key: "$set", Value: bson.D{{Key: "sent", Value: true}, {Key: "sentWith", Value: clientID}}}})
		if err != nil {
			return nil, unavailable("mark attachment sent", err)
		}
		if res.MatchedCount == 0 {
			return nil, apperr.Invalid("attachments", "attachment_unknown", "no such file in this channel; upload it first")
		}
	}
	return out, nil
}

// UnsentAttachmentAge is how long an uploaded file may wait for the message
// that sends it before SweepUnsentAttachments removes it.
const UnsentAttachmentAge = 24 * time.Hour

// SweepUnsentAttachments removes files uploaded before `before` that no
// send ever named (the sender closed the page or removed the file). It
// runs in the background: its query is not by _id. Each description is
// removed only if still unsent (a send marks it first), then its bytes (if
// that fails, the bytes stay, unreachable: downloads need the description).
func (s *Service) SweepUnsentAttachments(ctx context.Context, before time.Time) (int, error) {
	if s.att == nil {
		return 0, nil
	}
	cur, err := s.att.docs.Find(ctx, bson.D{{Key: "sent", Value: bson.D{{Key: "$ne", Value: true}}}, {Key: "at", Value: bson.D{{Key: "$lt", Value: before}}}})
	if err != nil {
		return 0, unavailable("find unsent attachments", err)
	}
	var docs []attachmentDoc
	if err := cur.All(ctx, &docs); err != nil {
		return 0, unavailable("find unsent attachments", err)
	}
	n := 0
	for _, d := range docs {
		res, err := s.att.docs.DeleteOne(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: "sent", Value: bson.D{{Key: "$ne", Value: true}}}})
		if err != nil {
			return n, unavailable("remove unsent attachment", err)
		}
		if res.DeletedCount == 0 {
			continue // sent in the meantime
		}
		if err := photo.Delete(ctx, s.att.files, d.ID); err != nil {
			return n, unavailable("remove unsent attachment", err)
		}
		n++
	}
	return n, nil
}

// AttachmentContent opens a file of a channel (members only), or an
// image's variant of width w (0: the file itself), for streaming; the caller
// closes the reader.
func (s *Service) AttachmentContent(ctx context.Context, userID, chID, attID string, w int) (*Attachment, *blob.File, io.ReadSeekCloser, error) {
	if s.att == nil || !s.IsMember(userID, chID) {
		return nil, nil, nil, apperr.NotFound("not_found", "channel not found")
	}
	if err := photo.CheckWidth(w); err != nil {
		return nil, nil, nil, err
	}
	d, err := s.lookupAttachment(ctx, attID)
	if err != nil {
		return nil, nil, nil, err
	}
	if d == nil || d.Ch != chID {
		return nil, nil, nil, apperr.NotFound("not_found", "file not found")
	}
	f, body, err := photo.Open(ctx, s.att.files, attID, w)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, nil, nil, apperr.NotFound("not_found", "file not found")
	}
	if err != nil {
		return nil, nil, nil, unavailable("read attachment", err)
	}
	return &d.Attachment, f, body, nil
}

// dropAttachments erases the files of a deleted message: bytes first, then
// the description (a retry of the delete redoes what is left).
func (s *Service) dropAttachments(ctx context.Context, ats []Attachment) error {
	if s.att == nil {
		return nil
	}
	for _, at := range ats {
		if err := photo.Delete(ctx, s.att.files, at.ID); err != nil {
			return unavailable("delete attachment", err)
		}
		if _, err := s.att.docs.DeleteOne(ctx, bson.D{{Key: "_id", Value: at.ID}}); err != nil {
			return unavailable("delete attachment", err)
		}
	}
	return nil
}
