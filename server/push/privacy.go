package push

import "context"

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

// Pseudonymise, at erasure, deletes the person's devices and settings: a
// departed person gets no more pushes. Idempotent.
func (s *Service) Pseudonymise(ctx context.Context, userID, _ string) error {
	return s.Forget(ctx, userID)
}
