package audits

import (
	"context"
	"slices"

	"github.com/plein/plein/server/privacy"
)

// Collections are the audits' collections (for the privacy register).
var Collections = []string{templatesColl, roundsColl, auditsColl, actionsColl, correctionsColl, auditorsColl, metaColl, changesColl, photoBucket + ".*"}

// PersonalPlaces say where audits name a person: as auditor (assigned or
// registered), as the author of corrections, and as owner, closer or
// confirmer of improvement actions.
var PersonalPlaces = []privacy.Place{
	{Collection: templatesColl, Fields: []string{"createdBy"}},
	{Collection: roundsColl, Fields: []string{"createdBy", "assignments.auditorId"}},
	{Collection: auditsColl, Fields: []string{"auditorId"}},
	{Collection: correctionsColl, Fields: []string{"by"}},
	{Collection: actionsColl, Fields: []string{"ownerUserId", "closedBy", "confirmedBy", "createdBy"}},
	{Collection: auditorsColl, Fields: []string{"_id"}},
}

// Places are PersonalPlaces with the export's point lookups: memory holds
// every template, round, audit, correction, action and auditor (Service),
// so it names the person's documents in each collection by _id, after
// catching up with the other instances' writes. No collection is read
// whole.
func (s *Service) Places() []privacy.Place {
	return privacy.WithIDs(PersonalPlaces, func(ctx context.Context, coll, userID string) ([]string, error) {
		if err := s.changes.CatchUp(ctx); err != nil {
			return nil, err
		}
		s.mu.RLock()
		defer s.mu.RUnlock()
		return s.personalIDs(coll, userID), nil
	})
}

// personalIDs are the _ids of the documents in coll that name the person
// where PersonalPlaces looks. Callers hold s.mu.
func (s *Service) personalIDs(coll, userID string) []string {
	var ids []string
	switch coll {
	case templatesColl:
		for _, t := range s.tpl {
			if t.CreatedBy == userID {
				ids = append(ids, t.ID)
			}
		}
	case roundsColl:
		for _, r := range s.rounds {
			if r.CreatedBy == userID || slices.ContainsFunc(r.Assignments, func(a Assignment) bool { return a.AuditorID == userID }) {
				ids = append(ids, r.ID)
			}
		}
	case auditsColl:
		for _, a := range s.audits {
			if a.AuditorID == userID {
				ids = append(ids, a.ID)
			}
		}
	case correctionsColl:
		for _, cs := range s.corr {
			for _, c := range cs {
				if c.By == userID {
					ids = append(ids, c.ID)
				}
			}
		}
	case actionsColl:
		for _, a := range s.actions {
			if a.OwnerUserID == userID || a.ClosedBy == userID || a.ConfirmedBy == userID || a.CreatedBy == userID {
				ids = append(ids, a.ID)
			}
		}
	case auditorsColl:
		if _, ok := s.auditors[userID]; ok {
			ids = append(ids, userID)
		}
	}
	return ids
}
