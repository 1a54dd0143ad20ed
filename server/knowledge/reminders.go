package knowledge

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/plein/plein/server/identity"
)

// ReviewDueKind is the notification kind of a review reminder.
const ReviewDueKind = "review_due"

// RemindOverdue tells the people who last wrote or approved each published
// article past its review date that it is due: a "due action" in their
// notification centre. Each article and review date is announced once:
// once per process here, and once per person across instances and restarts
// through the notification's dedup key ("review_due:<article>:<date>").
// Only people who still edit the knowledge base are told.
func (s *Service) RemindOverdue(ctx context.Context) int {
	if s.notify == nil {
		return 0
	}
	today := s.today()
	type due struct {
		key, title, date, article string
		users                     []string
	}
	var out []due
	s.mu.RLock()
	for _, h := range s.heads {
		if !h.visiblePublished() || h.Published.ReviewDue == "" || h.Published.ReviewDue >= today || len(h.Versions) == 0 {
			continue
		}
		key := fmt.Sprintf("%s:%s:%s", ReviewDueKind, h.Article, h.Published.ReviewDue)
		if s.reminded[key] {
			continue
		}
		last := h.Versions[len(h.Versions)-1]
		var users []string
		for _, p := range []PersonRef{last.Author, last.Reviewer} {
			if p.ID != "" && !slices.Contains(users, p.ID) && s.isActiveEditor(p.ID) {
				users = append(users, p.ID)
			}
		}
		if len(users) > 0 {
			out = append(out, due{key: key, title: h.Published.Title, date: h.Published.ReviewDue, article: h.Article, users: users})
		}
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	for _, d := range out {
		s.notify(ctx, d.users, ReviewDueKind, d.title,
			fmt.Sprintf("De herzieningsdatum (%s) is verstreken. Controleer of het artikel nog klopt en leg een nieuwe datum vast.", dutchDate(d.date)),
			"/kennisbank/"+d.article, d.key)
		s.mu.Lock()
		s.reminded[d.key] = true
		s.mu.Unlock()
	}
	return len(out)
}

func (s *Service) isActiveEditor(userID string) bool {
	u, ok := s.people.Get(userID)
	if !ok || !u.Active {
		return false
	}
	roles := u.Roles()
	return slices.Contains(roles, identity.RoleOndersteunendeDienst) || slices.Contains(roles, identity.RoleBeheerder)
}

// dutchDate writes 2026-03-31 as 31-03-2026.
func dutchDate(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return t.Format("02-01-2006")
}
