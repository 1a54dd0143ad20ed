package dashboard

import (
	"context"
	"slices"

	"github.com/plein/plein/server/privacy"
)

// Collections are the dashboard's collections (for the privacy register).
var Collections = []string{figuresColl, importsColl, settingsColl}

// PersonalPlaces: the figure imports a person made (with their name
// stored beside them, replaced on erasure). Figures are per team and month,
// never per person.
var PersonalPlaces = []privacy.Place{
	{Collection: importsColl, Fields: []string{"by"}, Names: map[string]string{"by": "byName"}},
}

// Places are PersonalPlaces with the point lookups: every stored import is
// committed and held in memory (another instance's within a second, by the
// app's change log), so memory names the person's imports by _id, for the
// export and erasure's updates.
func (s *Service) Places() []privacy.Place {
	out := slices.Clone(PersonalPlaces)
	out[0].IDs = func(_ context.Context, userID string) ([]string, error) {
		var ids []string
		for id, im := range s.current().imports {
			if im.By == userID {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		return ids, nil
	}
	return out
}
