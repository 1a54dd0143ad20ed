package teamspace

// displayName resolves a mention for display: any known person, active or
// not, under their current name, so a mention of an erased person shows
// the pseudonym (docs/security.md, "Names inside messages"). Notifications
// resolve with lookup (active people only).
func (s *Service) displayName(id string) (string, bool) {
	u, ok := s.people.Get(id)
	if !ok {
		return "", false
	}
	return u.Name, true
}

// ForgetRendered drops the rendered bodies this instance holds, after a
// person's name changed (an erasure): the next read renders the mentions
// with the new name. Call it on every instance (server/app does, over the
// broker).
func (s *Service) ForgetRendered() {
	s.html.mu.Lock()
	defer s.html.mu.Unlock()
	s.html.ll.Init()
	clear(s.html.items)
}
