package privacy

import (
	"context"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

// Content types with a retention period.
const (
	KindChat          = "chat"
	KindPosts         = "posts"
	KindDocuments     = "documents"
	KindNotifications = "notifications"
	KindAccessLog     = "access_log"
	KindLoginAttempts = "login_attempts"
)

// Sweeper deletes (or redacts) one content type's items older than before.
// It runs in the background loop, never per request, and must be safe when
// two instances run it at once: each removal is idempotent, and an item
// another instance removed first counts as done.
type Sweeper interface {
	Sweep(ctx context.Context, before time.Time) (int, error)
}

// SweeperFunc adapts a function to Sweeper.
type SweeperFunc func(ctx context.Context, before time.Time) (int, error)

// Sweep calls f.
func (f SweeperFunc) Sweep(ctx context.Context, before time.Time) (int, error) { return f(ctx, before) }

// Rule is one content type's retention. Days 0 keeps the content.
type Rule struct {
	Kind    string  `json:"kind"`
	Days    int     `json:"days"`
	Sweeper Sweeper `json:"-"`
}

// Swept is what one sweep removed per content type.
type Swept map[string]int

// Sweep applies every rule once with the service's clock. Errors of one
// rule do not stop the others; the first is returned.
func (s *Service) Sweep(ctx context.Context) (Swept, error) {
	now := s.now().UTC()
	out := Swept{}
	var first error
	for _, r := range s.retention {
		if r.Days <= 0 || r.Sweeper == nil {
			continue
		}
		n, err := r.Sweeper.Sweep(ctx, now.AddDate(0, 0, -r.Days))
		out[r.Kind] = n
		if err != nil {
			s.log.Warn("retention sweep", "kind", r.Kind, "err", err)
			if first == nil {
				first = err
			}
		}
	}
	return out, first
}

// Retention lists the rules (administrators; the settings page shows them).
func (s *Service) Retention(actor *identity.Actor) ([]Rule, error) {
	if !actor.Has(identity.RoleBeheerder) {
		return nil, apperr.Forbidden("admin_only", "only administrators see the retention settings")
	}
	out := make([]Rule, len(s.retention))
	copy(out, s.retention)
	return out, nil
}
