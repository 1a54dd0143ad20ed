package knowledge

import "github.com/plein/plein/server/privacy"

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
