package knowledge

import (
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/privacy"
	"github.com/plein/plein/server/store"
)

// Collections are the knowledge base's collections (for the privacy register).
var Collections = []string{headsColl, headsColl + store.PersonIndexSuffix, versionsColl, confirmColl, feedbackColl, answersColl, changesColl, filesBucket + ".*", textsBucket + ".*"}

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

// RevisionIndex names, per person, the article revisions that name them
// (as author of the revision, creator of the article or editor): every
// revision is a whole copy of the article, so one edit names its creator
// and editors again. Each revision is added before it is stored; Backfill
// adds those stored before the index existed.
func RevisionIndex(db *mongo.Database) *store.PersonIndex { return store.NewPersonIndex(db, headsColl) }

// BackfillRevisions puts the revisions stored before the index existed
// into it (a migration; re-runnable).
func BackfillRevisions(ctx context.Context, st *store.Store) error {
	for _, p := range PersonalPlaces {
		if p.Collection == headsColl {
			return privacy.Backfill(ctx, st.DB, p, RevisionIndex(st.DB))
		}
	}
	return nil
}

// people are the people the revision names where PersonalPlaces looks.
func (h *Head) people() []string {
	out := []string{h.By.ID, h.CreatedBy.ID}
	for _, e := range h.Editors {
		out = append(out, e.ID)
	}
	return out
}

// Places are PersonalPlaces with the point lookups filled in, for the
// export and for erasure's updates by _id: the person's confirmations
// (memory holds each person's highest per article: "<article>:<major>:<user>"
// for majors 1 up to it), questions and answers (all in memory), the
// versions they wrote or reviewed (every article's head in memory lists
// its versions: "<article>:v0002.0001") and the revisions that name them
// (RevisionIndex).
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
		case versionsColl:
			out[i].IDs = s.versionIDs
		case headsColl:
			out[i].IDs = s.st.headPeople.IDs
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

func (s *Service) versionIDs(ctx context.Context, userID string) ([]string, error) {
	return s.memoryIDs(ctx, func() (ids []string) {
		for _, h := range s.heads {
			for _, v := range h.Versions {
				if v.Author.ID == userID || v.Reviewer.ID == userID {
					ids = append(ids, h.Article+":"+v.Version.key())
				}
			}
		}
		return ids
	})
}
