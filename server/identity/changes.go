package identity

import "context"

// Change is one administrative change as the admin change log keeps it:
// what was done (Action, e.g. "user.roles"), to what (Subject, e.g.
// "user:u…", and its name as shown then) and the fields before and after.
// Before is empty for a creation, After for a removal.
type Change struct {
	Action      string
	Subject     string
	SubjectName string
	Before      map[string]any
	After       map[string]any
}

// ChangeRecorder appends administrative changes to the change log
// (server/changelog implements it). Services record a change after the
// write it describes: when recording fails the request fails, and running
// it again (every change here is idempotent) records it then.
type ChangeRecorder interface {
	RecordChange(ctx context.Context, a *Actor, c Change) error
}

// SetChangeLog names where administrative changes are recorded (nil: nowhere).
func (s *Service) SetChangeLog(c ChangeRecorder) { s.changes = c }

func (s *Service) recordChange(ctx context.Context, a *Actor, c Change) error {
	if s.changes == nil {
		return nil
	}
	return s.changes.RecordChange(ctx, a, c)
}

// roleList is a role list as the change log shows it (never null).
func roleList(rs []Role) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, string(r))
	}
	return out
}
