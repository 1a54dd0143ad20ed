package dashboard

import (
	"context"

	"github.com/plein/plein/server/identity"
)

// ImportBatch commits a batch that a program built rather than a person
// uploaded: a migration from another system, or the demo figures
// (server/demo). It stores the batch exactly as ImportFile stores a checked
// file (all figure documents first, then the import record), without the
// file checks or the importer role, which are the caller's concern. With
// meta.ID set, a re-run after a failure half-way stores nothing twice: the
// figure ids follow from the import id, and figures already in effect make
// the batch unchanged.
func (s *Service) ImportBatch(ctx context.Context, a *identity.Actor, b *Batch, meta Import) (*CommitResult, error) {
	return s.commit(ctx, a, b, meta)
}
