package learning

import (
	"context"
	"slices"

	"github.com/plein/plein/server/privacy"
)

// Collections are the learning programme's collections (for the privacy register).
var Collections = []string{programmesColl, cohortsColl, trajectoriesColl, sessionsColl, reflectionsColl, scansColl, answersColl, metaColl, changesColl}

// PersonalPlaces say where the learning programme names a person: as
// designer or coach, as invitee or attendee of a session, as the author of
// a reflection or its reply, as respondent or observer of a scan, and their
// own scan answers.
var PersonalPlaces = []privacy.Place{
	{Collection: programmesColl, Fields: []string{"createdBy"}},
	{Collection: cohortsColl, Fields: []string{"createdBy"}},
	{Collection: trajectoriesColl, Fields: []string{"coachId"}},
	{Collection: sessionsColl, Fields: []string{"coachId", "invitees", "attendance.{user}"}},
	{Collection: reflectionsColl, Fields: []string{"authorId", "replyBy"}},
	{Collection: scansColl, Fields: []string{"respondents", "observedBy"}},
	{Collection: answersColl, Fields: []string{"_id=*:{user}"}},
	{Collection: metaColl, Fields: []string{"designers"}},
}

// Places are PersonalPlaces with the export's point lookups: memory holds
// the whole learning state (Service), so it names the person's documents
// in each collection by _id, and their scan answers are "<scan>:<user>"
// for the scans in memory. The collections are not read whole.
func (s *Service) Places() []privacy.Place {
	return privacy.WithIDs(PersonalPlaces, func(_ context.Context, coll, userID string) ([]string, error) {
		var ids []string
		_ = s.read(func(st *state) error {
			ids = st.personalIDs(coll, userID)
			return nil
		})
		return ids, nil
	})
}

// personalIDs are the _ids of the documents in coll that name the person
// where PersonalPlaces looks.
func (st *state) personalIDs(coll, userID string) []string {
	var ids []string
	switch coll {
	case programmesColl:
		for _, vs := range st.programmes {
			for _, p := range vs {
				if p.CreatedBy == userID {
					ids = append(ids, p.DocID)
				}
			}
		}
	case cohortsColl:
		for _, c := range st.cohorts {
			if c.CreatedBy == userID {
				ids = append(ids, c.ID)
			}
		}
	case trajectoriesColl:
		for _, t := range st.trajs {
			if t.CoachID == userID {
				ids = append(ids, t.ID)
			}
		}
	case sessionsColl:
		for _, x := range st.sessions {
			_, attended := x.Attendance[userID]
			if x.CoachID == userID || slices.Contains(x.Invitees, userID) || attended {
				ids = append(ids, x.ID)
			}
		}
	case reflectionsColl:
		for _, r := range st.reflections {
			if r.AuthorID == userID || r.ReplyBy == userID {
				ids = append(ids, r.ID)
			}
		}
	case scansColl:
		for _, x := range st.scans {
			if slices.Contains(x.Respondents, userID) || x.ObservedBy == userID {
				ids = append(ids, x.ID)
			}
		}
	case answersColl:
		for _, x := range st.scans {
			ids = append(ids, x.ID+":"+userID)
		}
	case metaColl:
		if slices.Contains(st.settings.Designers, userID) {
			ids = append(ids, settingsID)
		}
	}
	return ids
}
