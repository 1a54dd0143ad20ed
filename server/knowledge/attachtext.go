package knowledge

import (
	"context"
)

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
		text, err := s.st.texts.Load(ctx, id) // "": an image, a scan, or uploaded before texts were kept
		if err != nil {
			failed = true // try again at the next call
			if ctx.Err() == nil {
				s.log.WarnContext(ctx, "read attachment text", "blob", id, "err", err)
			}
			continue
		}
		got[id] = text
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
