package audits

import "github.com/plein/plein/server/privacy"

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
