package knowledge

import "slices"

// RenameInMemory gives a person a new name in the article heads this
// instance holds (authors, editors, reviewers), after the store was changed
// (an erasure's pseudonym), and in the questions and answers it holds: without it the old name showed until a restart.
// Call it on every instance (server/app does, over the broker). Heads are
// replaced, never changed in place: readers may hold the old one.
func (s *Service) RenameInMemory(userID, name string) {
	fix := func(p *PersonRef) bool {
		if p.ID == userID && p.Name != name {
			p.Name = name
			return true
		}
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, h := range s.heads {
		c := *h
		c.Editors = slices.Clone(h.Editors)
		c.Versions = slices.Clone(h.Versions)
		changed := fix(&c.By)
		changed = fix(&c.CreatedBy) || changed
		for i := range c.Editors {
			changed = fix(&c.Editors[i]) || changed
		}
		for i := range c.Versions {
			changed = fix(&c.Versions[i].Author) || changed
			changed = fix(&c.Versions[i].Reviewer) || changed
		}
		if changed {
			s.heads[id] = &c
		}
	}
	for id, f := range s.feedback {
		if c := *f; fix(&c.Author) {
			s.feedback[id] = &c
		}
	}
	for id, a := range s.answers {
		if c := *a; fix(&c.Author) {
			s.answers[id] = &c
		}
	}
}
