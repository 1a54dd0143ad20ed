package chat

import (
	"context"

	"github.com/plein/plein/server/photo"
)

// ClaimFiles lets the blob sweep remove uploaded bytes that no attachment
// description names: a file stored whose description write then failed,
// and whose clean-up failed or never ran (issue 16). Files described but
// never sent go by SweepUnsentAttachments.
func (s *Service) ClaimFiles() {
	if s.att != nil {
		s.att.files.Claim(s.attachmentInUse)
	}
}

func (s *Service) attachmentInUse(ctx context.Context, id string) (bool, error) {
	d, err := s.lookupAttachment(ctx, photo.BaseID(id))
	return d != nil, err
}
