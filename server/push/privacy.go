package push

import (
	"context"

	"github.com/plein/plein/server/store"
)

// Collections are the collections push keeps (for the privacy register).
var Collections = []string{usersColl, claimsColl, outboxColl, outboxClaimsColl}

// PersonalData is a person's push devices (label and date: the endpoint and
// keys are the device's, not theirs to read) and settings, for an export.
func (s *Service) PersonalData(ctx context.Context, userID string) (any, error) {
	l, err := s.Devices(ctx, userID)
	if err != nil {
		return nil, err
	}
	st, err := s.Settings(ctx, userID)
	if err != nil {
		return nil, err
	}
	return map[string]any{"devices": l.Items, "settings": st}, nil
}

// Pseudonymise, at erasure, deletes the person's devices and settings, and
// the pushes waiting for them: those still in this process's memory and
// those in the outbox (whose documents name the person and an actor), so
// none waits until an instance sends it or drops it a TTL later. The
// devices go first: a push written after the outbox is cleared (by another
// instance, from its memory) finds no device and is deleted when its
// sender takes it. Idempotent: erasure re-runs it after a failure.
func (s *Service) Pseudonymise(ctx context.Context, userID, _ string) error {
	if err := s.Forget(ctx, userID); err != nil {
		return err
	}
	s.dropPending(userID)
	if err := s.out.forget(store.Rare(ctx), userID); err != nil {
		return unavailable("delete waiting pushes", err)
	}
	return nil
}

// dropPending drops the person's pushes that the committer has not written
// yet.
func (s *Service) dropPending(user string) {
	s.mu.Lock()
	var dropped []string
	kept := make([]job, 0, len(s.pending))
	for _, j := range s.pending {
		if j.doc.User == user {
			dropped = append(dropped, j.doc.ID)
		} else {
			kept = append(kept, j)
		}
	}
	s.pending = kept
	s.mu.Unlock()
	for _, id := range dropped {
		s.done(id)
	}
}
