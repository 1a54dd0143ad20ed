package audits

import (
	"context"
	"slices"
	"strings"

	"github.com/plein/plein/server/photo"
)

// ClaimFiles lets the blob sweep remove photos that no audit names: a photo
// stored whose audit write then failed (issue 16).
func (s *Service) ClaimFiles() { s.st.photos.Claim(s.photoInUse) }

// photoInUse: the audit of "<audit>/<photo>" lists the photo.
func (s *Service) photoInUse(_ context.Context, id string) (bool, error) {
	auditID, photoID, ok := strings.Cut(photo.BaseID(id), "/")
	if !ok {
		return false, nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	au := s.audits[auditID]
	return au != nil && slices.ContainsFunc(au.Photos, func(p Photo) bool { return p.ID == photoID }), nil
}
