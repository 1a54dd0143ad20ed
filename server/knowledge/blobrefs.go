package knowledge

import (
	"context"
	"slices"
	"strings"

	"github.com/plein/plein/server/photo"
)

// ClaimFiles lets the blob sweep remove attachments (and their extracted
// texts) that no article names: an upload whose head write failed, or a
// file detached from the working copy before it was ever published
// (issue 16).
func (s *Service) ClaimFiles() {
	s.st.files.Claim(s.fileInUse)
	s.st.texts.Claim(s.fileInUse)
}

// fileInUse: "<article>:<attachment>" is in the article's working copy, its
// published content, or a stored version (point lookups by version id).
func (s *Service) fileInUse(ctx context.Context, id string) (bool, error) {
	base := photo.BaseID(id)
	i := strings.LastIndexByte(base, ':')
	if i < 0 {
		return false, nil
	}
	article, attID := base[:i], base[i+1:]
	named := func(c *Content) bool {
		return c != nil && slices.ContainsFunc(c.Attachments, func(a Attachment) bool { return a.ID == attID })
	}
	s.mu.RLock()
	h := s.heads[article]
	var versions []VersionInfo
	used := h != nil && (named(&h.Draft) || named(h.Published))
	if h != nil {
		versions = slices.Clone(h.Versions)
	}
	s.mu.RUnlock()
	if used || h == nil {
		// No head: a deleted article's files go with it (or it is being
		// created on another instance: the sweep's grace covers that).
		return used, nil
	}
	for _, v := range versions {
		sv, err := findByID[storedVersion](ctx, s.st.versions, article+":"+v.Version.key())
		if err != nil {
			return false, err
		}
		if sv != nil && named(&sv.Content) {
			return true, nil
		}
	}
	return false, nil
}
