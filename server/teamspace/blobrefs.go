package teamspace

import (
	"context"

	"github.com/plein/plein/server/photo"
)

// ClaimFiles lets the blob sweep remove the bytes (and extracted texts) of
// uploads that no post or document version names: an upload whose write
// to the log failed and whose clean-up failed or never ran (issue 16).
func (s *Service) ClaimFiles() {
	s.st.files.Claim(s.blobInUse)
	s.st.texts.Claim(s.blobInUse)
}

// blobInUse: a live post's attachment or a version of a live document names
// the file (or the original of the variant) id.
func (s *Service) blobInUse(ctx context.Context, id string) (bool, error) {
	id = photo.BaseID(id)
	used := false
	err := s.read(ctx, func(st *state) error {
		for _, p := range st.posts {
			for _, at := range p.Attachments {
				if at.BlobID == id {
					used = true
					return nil
				}
			}
		}
		for _, d := range st.docs {
			for _, v := range d.Versions {
				if v.BlobID == id {
					used = true
					return nil
				}
			}
		}
		return nil
	})
	return used, err
}
