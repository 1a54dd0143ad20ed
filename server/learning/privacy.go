package learning

import "github.com/plein/plein/server/privacy"

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
