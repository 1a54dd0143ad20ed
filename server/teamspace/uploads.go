package teamspace

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/photo"
	"github.com/plein/plein/server/store"
)

// A new post and its files are one outcome (issue 14 §7): the composer
// first stages each file (StageUpload: checked, stored, not visible to
// anyone), then creates the post naming the staged files. CreatePost checks
// every named file before it writes, and writes the post with its files in
// one entry, so a refused file refuses the post and a published post has
// all its files. A file staged but never published is removed by
// SweepStagedUploads after StagedUploadAge (or at once by DeleteUpload).
//
// The writes, in order: the bytes (photo.Put), the staging record, the
// post's entry (the commit point), the staging record's removal. A failure
// after the bytes leaves a staged file that the sweep removes; a failure
// after the entry leaves a record the sweep drops while keeping the bytes
// (the state knows they were published). Re-sending the same create after a
// failure is safe: a file is published with one post only
// (attachment_sent).

const (
	uploadsColl = "teamspace_uploads" // staged files: _id = the upload id (= the blob id)
	// StagedUploadAge is how long a staged file waits for its post before
	// SweepStagedUploads removes it.
	StagedUploadAge = 24 * time.Hour
)

var uploadIDRE = regexp.MustCompile(`^att-[0-9a-f]{32}$`)

// uploadDoc is a staged file.
type uploadDoc struct {
	ID    string        `bson:"_id"`
	Space string        `bson:"space"`
	By    string        `bson:"by"`
	At    time.Time     `bson:"at"`
	File  AttachmentDoc `bson:"file"`
}

// StagedUpload is a staged file as the client sees it: ID goes into the
// post's attachments.
type StagedUpload struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	Image       bool   `json:"image"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
}

// StageUpload checks and stores a file for a post that is yet to be
// written (the space's members, who may post). A file name that looks like
// client data is refused (identifiers.Check, field "file") unless
// acknowledgeIdentifiers: the name is shown with the post to everyone who
// may see it, as a document's name is.
func (s *Service) StageUpload(ctx context.Context, a *identity.Actor, spaceID string, up Upload, acknowledgeIdentifiers bool) (*StagedUpload, error) {
	if err := s.mayPost(ctx, a, spaceID); err != nil {
		return nil, err
	}
	name, ct, err := checkUpload(up)
	if err != nil {
		return nil, err
	}
	if err := identifiers.Check(acknowledgeIdentifiers, identifiers.F("file", name)); err != nil {
		return nil, err
	}
	id := newBlobID("att-")
	f, err := photo.Put(ctx, s.st.files, id, name, ct, up.Data)
	if err != nil {
		return nil, storeErr(err)
	}
	doc := uploadDoc{ID: id, Space: spaceID, By: a.UserID, At: s.now().UTC().Truncate(time.Millisecond),
		File: AttachmentDoc{BlobID: id, Name: name, ContentType: f.ContentType, Size: f.Size, Width: f.Width, Height: f.Height}}
	if _, err := s.st.uploads().InsertOne(ctx, doc); err != nil {
		s.dropBlob(ctx, id)
		return nil, apperr.Unavailable("stage file", err)
	}
	return &StagedUpload{ID: id, Name: name, ContentType: f.ContentType, Size: f.Size, Image: strings.HasPrefix(f.ContentType, "image/"),
		Width: f.Width, Height: f.Height}, nil
}

// mayPost refuses whoever may not post in the space.
func (s *Service) mayPost(ctx context.Context, a *identity.Actor, spaceID string) error {
	if err := requireActor(a); err != nil {
		return err
	}
	return s.read(ctx, func(st *state) error {
		sp, err := s.mustSpace(st, spaceID)
		if err != nil {
			return err
		}
		if !s.isMember(st, a.UserID, sp) {
			return apperr.Forbidden("members_only", "only the space's members post here")
		}
		if sp.archived {
			return errArchived()
		}
		return nil
	})
}

// DeleteUpload removes a staged file of the actor's that no post
// published (the composer gives up on a post). Unknown, another's or
// published: 404.
func (s *Service) DeleteUpload(ctx context.Context, a *identity.Actor, spaceID, id string) error {
	if err := requireActor(a); err != nil {
		return err
	}
	d, err := s.stagedUpload(ctx, id)
	if err != nil {
		return err
	}
	claimed := false
	_ = s.read(ctx, func(st *state) error { claimed = d != nil && st.claimed[d.ID]; return nil })
	if d == nil || d.Space != spaceID || d.By != a.UserID || claimed {
		return apperr.NotFound("not_found", "no such staged file")
	}
	return s.unstage(ctx, d.ID, true)
}

// unstage removes a staging record, and its bytes when drop: bytes first,
// so a failure half-way leaves a record that the sweep finishes.
func (s *Service) unstage(ctx context.Context, id string, drop bool) error {
	if drop {
		if err := photo.Delete(ctx, s.st.files, id); err != nil {
			return apperr.Unavailable("remove staged file", err)
		}
	}
	if _, err := s.st.uploads().DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return apperr.Unavailable("remove staged file", err)
	}
	return nil
}

func (s *Service) stagedUpload(ctx context.Context, id string) (*uploadDoc, error) {
	if !uploadIDRE.MatchString(id) {
		return nil, nil
	}
	return store.FindID[uploadDoc](ctx, s.st.uploads(), id, "staged file")
}

// resolveUploads reads the staged files a new post names: each the actor's,
// staged in this space. Whether one was published already is checked in
// the write (claimUploads), where the state is current.
func (s *Service) resolveUploads(ctx context.Context, a *identity.Actor, spaceID string, ids []string) ([]AttachmentDoc, error) {
	out := make([]AttachmentDoc, 0, len(ids))
	for i, id := range ids {
		d, err := s.stagedUpload(ctx, id)
		if err != nil {
			return nil, err
		}
		if d == nil || d.Space != spaceID || d.By != a.UserID {
			return nil, apperr.Invalid(fmt.Sprintf("attachments[%d]", i), "attachment_unknown", "no such file staged in this space; upload it first")
		}
		out = append(out, d.File)
	}
	return out, nil
}

// claimUploads names a new post's files (entry seq) and refuses files
// another post published.
func claimUploads(st *state, seq int64, files []AttachmentDoc) ([]AttachmentDoc, error) {
	out := slices.Clone(files)
	for i := range out {
		if st.claimed[out[i].BlobID] {
			return nil, apperr.Invalid(fmt.Sprintf("attachments[%d]", i), "attachment_sent", "this file was published with another post; upload it again")
		}
		out[i].ID = attachmentID(seq, i)
	}
	return out, nil
}

// attachmentID names the i-th file published with the post of entry seq:
// f<seq>, then f<seq>-2, f<seq>-3, … (an attachment added later by its own
// entry is f<its seq>).
func attachmentID(seq int64, i int) string {
	if i == 0 {
		return refID('f', seq)
	}
	return fmt.Sprintf("%s-%d", refID('f', seq), i+1)
}

// doneStaging drops the staging records of a published post's files. A
// failure is logged: the sweep drops the record later and keeps the bytes.
func (s *Service) doneStaging(ctx context.Context, files []AttachmentDoc) {
	for _, f := range files {
		if err := s.unstage(context.WithoutCancel(ctx), f.BlobID, false); err != nil {
			s.log.WarnContext(ctx, "drop staging record", "blob", f.BlobID, "err", err)
		}
	}
}

// SweepStagedUploads removes files staged before before and never
// published (their bytes and record), and the left-over records of
// published ones (bytes kept). It returns how many files it removed. Every
// instance may run it: each step is idempotent.
func (s *Service) SweepStagedUploads(ctx context.Context, before time.Time) (int, error) {
	docs, err := store.FindAll[uploadDoc](ctx, s.st.uploads(), bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: before}}}}, "staged files")
	if err != nil {
		return 0, err
	}
	s.freshen(ctx)
	n := 0
	for _, d := range docs {
		s.mu.RLock()
		published := s.cur.claimed[d.ID]
		s.mu.RUnlock()
		if err := s.unstage(ctx, d.ID, !published); err != nil {
			return n, err
		}
		if !published {
			n++
		}
	}
	return n, nil
}
