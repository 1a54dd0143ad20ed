package teamspace

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
)

// latestProfiles holds each space's newest profile revision for readers
// outside this package (org.TeamProfiles). It has its own lock, a leaf that
// is never held while calling out, so org may ask it while this service
// holds its state lock and is itself calling org.
type latestProfiles struct {
	mu   sync.RWMutex
	byID map[string]*ProfileRevisionDoc
}

func newLatestProfiles() *latestProfiles {
	return &latestProfiles{byID: map[string]*ProfileRevisionDoc{}}
}

func (l *latestProfiles) note(r *ProfileRevisionDoc) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if cur := l.byID[r.SpaceID]; cur == nil || cur.Revision < r.Revision {
		l.byID[r.SpaceID] = r
	}
}

func (l *latestProfiles) get(id string) (*ProfileRevisionDoc, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	r, ok := l.byID[id]
	return r, ok
}

// TeamProfile returns a team's latest profile revision (org.TeamProfiles).
func (s *Service) TeamProfile(teamID string) (org.TeamProfile, bool) {
	r, ok := s.latest.get(teamID)
	if !ok || IsCommunityID(teamID) {
		return org.TeamProfile{}, false
	}
	return org.TeamProfile{Description: r.Description, WorkingArea: slices.Clone(r.WorkingArea),
		Contact: r.Contact, UpdatedAt: r.At}, true
}

// SetTeamProfile saves p as the team's next profile revision
// (org.TeamProfiles: an administrator's PATCH /teams/:id). It starts from
// the revision in effect, so it does not conflict with itself; an edit that
// lands in between is retried once.
func (s *Service) SetTeamProfile(ctx context.Context, a *identity.Actor, teamID string, p org.TeamProfile) error {
	for try := 0; ; try++ {
		sp, err := s.GetSpace(ctx, a, teamID)
		if err != nil {
			return err
		}
		rev := sp.Revision
		_, err = s.UpdateProfile(ctx, a, teamID, ProfileInput{Description: p.Description, WorkingArea: nonNil(slices.Clone(p.WorkingArea)),
			Contact: p.Contact, Revision: &rev,
			AcknowledgeIdentifiers: p.AcknowledgeIdentifiers})
		if errors.Is(err, apperr.ErrConflict) && try == 0 {
			continue
		}
		return err
	}
}
