package knowledge

import (
	"context"
	"errors"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/doctext"
)

// storeAttachmentText extracts an attachment's text for search and stores
// it beside its bytes (same id), before the attachment is referenced, so
// that every instance can read it. Files without text store nothing.
func (s *Service) storeAttachmentText(ctx context.Context, blobID, name, ct string, data []byte) {
	text, err := doctext.Extract(ctx, ct, data, doctext.DefaultLimits)
	if err != nil {
		s.log.InfoContext(ctx, "attachment text not (fully) extracted", "blob", blobID, "type", ct, "err", err)
	}
	if text == "" {
		return
	}
	if _, err := s.st.texts.Put(ctx, blobID, name+".txt", "text/plain; charset=utf-8", []byte(text)); err != nil {
		s.log.WarnContext(ctx, "store attachment text", "blob", blobID, "err", err)
	}
}

// LoadAttachmentTexts reads the texts of published attachments not read
// yet and indexes their articles with them, so that a word inside an
// attached protocol finds the article. Cheap when nothing is pending (a
// flag); Run calls it every tick, tests call it directly. Returns how many
// texts it read.
func (s *Service) LoadAttachmentTexts(ctx context.Context) int {
	s.mu.RLock()
	if !s.attPending {
		s.mu.RUnlock()
		return 0
	}
	var want []string
	for _, h := range s.heads {
		if !h.visiblePublished() {
			continue
		}
		for _, a := range h.Published.Attachments {
			if _, ok := s.attText[h.Article+":"+a.ID]; !ok {
				want = append(want, h.Article+":"+a.ID)
			}
		}
	}
	s.mu.RUnlock()

	got := map[string]string{}
	failed := false
	for _, id := range want {
		_, data, err := s.st.texts.Get(ctx, id)
		switch {
		case errors.Is(err, apperr.ErrNotFound):
			got[id] = "" // no text (an image, a scan, or uploaded before texts were kept)
		case err != nil:
			failed = true // try again at the next call
			if ctx.Err() == nil {
				s.log.WarnContext(ctx, "read attachment text", "blob", id, "err", err)
			}
		default:
			got[id] = string(data)
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for id, text := range got {
		s.attText[id] = text
	}
	// Reindex the articles whose texts came in; whatever is still missing
	// (a failed read, or a version published meanwhile) keeps it pending.
	s.attPending = failed
	for _, h := range s.heads {
		if !h.visiblePublished() {
			continue
		}
		reindex := false
		for _, a := range h.Published.Attachments {
			key := h.Article + ":" + a.ID
			if _, ok := got[key]; ok {
				reindex = true
			} else if _, ok := s.attText[key]; !ok {
				s.attPending = true
			}
		}
		if reindex {
			s.indexLocked(h)
		}
	}
	return len(got)
}
