package org

import (
	"context"

	"github.com/plein/plein/server/identity"
)

// SetChangeLog names where administrative changes to the organisation are
// recorded (nil: nowhere). A change is recorded after its write; a removal
// is recorded before it, so that running a failed removal again (the
// membership still there) records it again rather than never.
func (s *Service) SetChangeLog(c identity.ChangeRecorder) {
	s.mu.Lock()
	s.changes = c
	s.mu.Unlock()
}

func (s *Service) recordChange(ctx context.Context, a *identity.Actor, c identity.Change) error {
	s.mu.RLock()
	rec := s.changes
	s.mu.RUnlock()
	if rec == nil {
		return nil
	}
	return rec.RecordChange(ctx, a, c)
}

func regionFields(r *Region) map[string]any { return map[string]any{"name": r.Name} }

func teamFields(t *Team, p TeamProfile) map[string]any {
	return map[string]any{
		"name": t.Name, "regionId": t.RegionID, "description": p.Description,
		"workingArea": nonNil(p.WorkingArea), "phone": p.Contact.Phone, "email": p.Contact.Email,
	}
}

func (s *Service) personName(userID string) string {
	if u, ok := s.people.Get(userID); ok {
		return u.Name
	}
	return userID
}
