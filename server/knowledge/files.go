package knowledge

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/photo"
	"github.com/plein/plein/server/store/blob"
)

// attachmentKinds are the files an article may carry.
const attachmentKinds = blob.Images | blob.PDF | blob.Office | blob.Text

// cleanFileName keeps a file name safe to show and to send in a header.
func cleanFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' || r == '/' || r == '\\' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	for len(name) > 120 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}

// Attach adds a file to the working copy. Nothing is stored when it is refused.
func (s *Service) Attach(ctx context.Context, a *identity.Actor, id, fileName string, data []byte) (*Attachment, error) {
	prev, err := s.editorHead(ctx, a, id)
	if err != nil {
		return nil, err
	}
	name := cleanFileName(fileName)
	switch {
	case name == "" || name == ".":
		return nil, apperr.Invalid("file", "invalid", "the file has no name")
	case len(data) == 0:
		return nil, apperr.Invalid("file", "file_empty", "the file is empty")
	case len(data) > maxAttachment:
		return nil, apperr.Invalid("file", "file_too_large", fmt.Sprintf("the file is larger than %d MB", maxAttachment>>20), apperr.Params{"maxMb": maxAttachment >> 20})
	}
	ct, ok := blob.Sniff(data, name, attachmentKinds)
	if !ok {
		return nil, apperr.Invalid("file", "file_type_refused", "this kind of file is not accepted (or its name does not match its contents); use "+blob.Describe(attachmentKinds))
	}
	n, err := s.draftChange(prev, a, "attach")
	if err != nil {
		return nil, err
	}
	if len(prev.Draft.Attachments) >= maxAttachments {
		return nil, apperr.Invalid("file", "too_many", fmt.Sprintf("an article has at most %d attachments", maxAttachments), apperr.Params{"max": maxAttachments})
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	att := Attachment{ID: "f" + hex.EncodeToString(b), Name: name, ContentType: ct}
	// Images are oriented and stripped of EXIF/GPS metadata, with variants.
	stored, err := photo.Put(ctx, s.st.files, id+":"+att.ID, name, ct, data)
	if err != nil {
		return nil, err
	}
	att.Size, data = stored.Size, stored.Data
	s.st.texts.Save(ctx, id+":"+att.ID, name, ct, data) // before the draft names the attachment
	n.Draft.Attachments = append(slices.Clone(prev.Draft.Attachments), att)
	if err := s.commitHead(ctx, prev, n); err != nil {
		// The bytes stay unreferenced; harmless, and never shown.
		return nil, err
	}
	return &att, nil
}

// Detach removes a file from the working copy; published versions keep it.
func (s *Service) Detach(ctx context.Context, a *identity.Actor, id, attID string) error {
	prev, err := s.editorHead(ctx, a, id)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(prev.Draft.Attachments, func(x Attachment) bool { return x.ID == attID })
	if i < 0 {
		return apperr.NotFound("not_found", "attachment not found")
	}
	n, err := s.draftChange(prev, a, "detach")
	if err != nil {
		return err
	}
	n.Draft.Attachments = slices.Delete(slices.Clone(prev.Draft.Attachments), i, i+1)
	return s.commitHead(ctx, prev, n)
}

// File opens an attachment's bytes for streaming: readers get those of the
// published version, editors also those of the working copy. The caller
// closes the reader.
func (s *Service) File(ctx context.Context, a *identity.Actor, id, attID string) (*Attachment, *blob.File, io.ReadSeekCloser, error) {
	v := s.viewerOf(a)
	s.mu.RLock()
	h, err := s.lookup(v, id)
	var att *Attachment
	if err == nil {
		lists := [][]Attachment{}
		if h.Published != nil && (v.editor || h.visiblePublished()) {
			lists = append(lists, h.Published.Attachments)
		}
		if v.editor {
			lists = append(lists, h.Draft.Attachments)
		}
		for _, l := range lists {
			if i := slices.IndexFunc(l, func(x Attachment) bool { return x.ID == attID }); i >= 0 {
				cp := l[i]
				att = &cp
				break
			}
		}
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, nil, nil, err
	}
	if att == nil {
		return nil, nil, nil, apperr.NotFound("not_found", "attachment not found")
	}
	f, body, err := s.st.files.Open(ctx, id+":"+att.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	return att, f, body, nil
}
