package knowledge

import (
	"context"
	"fmt"
	"slices"

	"github.com/plein/plein/server/privacy"
)

// Collections are the knowledge base's collections (for the privacy register).
var Collections = []string{headsColl, versionsColl, confirmColl, feedbackColl, answersColl, changesColl, filesBucket + ".*", textsBucket + ".*"}

// PersonalPlaces say where the knowledge base names a person: their
// confirmations ("gelezen en begrepen"), questions and answers, and the
// revisions and versions they wrote or reviewed. The names stored beside
// the ids are replaced on erasure. (Names inside the editors and versions
// lists of a revision keep their old value until the article is next
// published; the ids there still identify the person for an export.)
var PersonalPlaces = []privacy.Place{
	{Collection: confirmColl, Fields: []string{"userId"}},
	{Collection: feedbackColl, Fields: []string{"author.id"}, Names: map[string]string{"author.id": "author.name"}},
	{Collection: answersColl, Fields: []string{"author.id"}, Names: map[string]string{"author.id": "author.name"}},
	{Collection: headsColl, Fields: []string{"by.id", "createdBy.id", "editors.id"},
		Names: map[string]string{"by.id": "by.name", "createdBy.id": "createdBy.name"}},
	{Collection: versionsColl, Fields: []string{"info.author.id", "info.reviewer.id"},
		Names: map[string]string{"info.author.id": "info.author.name", "info.reviewer.id": "info.reviewer.name"}},
}

// Places are PersonalPlaces with the export's point lookups filled in
// where memory names the person's documents: their confirmations (memory
// holds each person's highest per article: "<article>:<major>:<user>" for
// majors 1 up to it), questions and answers (all in memory). The
// revisions and versions are still read by filter.
func (s *Service) Places() []privacy.Place {
	out := make([]privacy.Place, len(PersonalPlaces))
	copy(out, PersonalPlaces)
	for i := range out {
		switch out[i].Collection {
		case confirmColl:
			out[i].IDs = s.confirmationIDs
		case feedbackColl:
			out[i].IDs = s.feedbackIDs
		case answersColl:
			out[i].IDs = s.answerIDs
		}
	}
	return out
}

// memoryIDs syncs with the other instances (a confirmation or question
// just made there), then returns collect's ids, sorted, read under the
// lock.
func (s *Service) memoryIDs(ctx context.Context, collect func() []string) ([]string, error) {
	if err := s.Sync(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	ids := collect()
	s.mu.RUnlock()
	slices.Sort(ids)
	return ids, nil
}

func (s *Service) confirmationIDs(ctx context.Context, userID string) ([]string, error) {
	return s.memoryIDs(ctx, func() (ids []string) {
		for article, m := range s.confirms {
			if c := m[userID]; c != nil {
				for major := 1; major <= c.Major; major++ {
					ids = append(ids, fmt.Sprintf("%s:%d:%s", article, major, userID))
				}
			}
		}
		return ids
	})
}

func (s *Service) feedbackIDs(ctx context.Context, userID string) ([]string, error) {
	return s.memoryIDs(ctx, func() (ids []string) {
		for _, f := range s.feedback {
			if f.Author.ID == userID {
				ids = append(ids, f.ID)
			}
		}
		return ids
	})
}

func (s *Service) answerIDs(ctx context.Context, userID string) ([]string, error) {
	return s.memoryIDs(ctx, func() (ids []string) {
		for _, a := range s.answers {
			if a.Author.ID == userID {
				ids = append(ids, a.ID)
			}
		}
		return ids
	})
}
