package dashboard

import "github.com/plein/plein/server/privacy"

// Collections are the dashboard's collections (for the privacy register).
var Collections = []string{figuresColl, importsColl, settingsColl}

// PersonalPlaces: the figure imports a person made (with their name
// stored beside them, replaced on erasure). Figures are per team and month,
// never per person.
var PersonalPlaces = []privacy.Place{
	{Collection: importsColl, Fields: []string{"by"}, Names: map[string]string{"by": "byName"}},
}
