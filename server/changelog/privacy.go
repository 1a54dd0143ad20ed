package changelog

import "github.com/plein/plein/server/privacy"

// Collections are the change log's collections (for the privacy register).
var Collections = []string{Collection, CounterCollection}

// PersonalPlaces: the changes a person made (their name stored beside, replaced
// on erasure) and the changes made to them (subject "… user:<id>"; the
// subject name written then stays as it was).
var PersonalPlaces = []privacy.Place{
	{Collection: Collection, Fields: []string{"actorId", "subject=*:{user}"}, Names: map[string]string{"actorId": "actorName"}},
}
