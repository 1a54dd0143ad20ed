package org

import "github.com/plein/plein/server/privacy"

// Collections are the organisation's collections (for the privacy register).
var Collections = []string{regionsColl, teamsColl, membershipsColl}

// PersonalPlaces: a person's team memberships and team roles.
var PersonalPlaces = []privacy.Place{
	{Collection: membershipsColl, Fields: []string{"userId"}},
}
