package app_test

import (
	"slices"
	"testing"

	"github.com/plein/plein/server/app/apptest"
)

type teamProfileView struct {
	Description string   `json:"description"`
	WorkingArea []string `json:"workingArea"`
	Contact     struct {
		Phone string `json:"phone"`
		Email string `json:"email"`
	} `json:"contact"`
	Revision int `json:"revision"`
}

// TestTeamProfileOneTruth: a team's description, working area and contact
// are the same on GET /teams/:id, GET /teams and GET /spaces/:id, whether
// the team edits them (PUT /spaces/:id/profile) or an administrator does
// (PATCH /teams/:id, which becomes a revision in the profile's history).
func TestTeamProfileOneTruth(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anouk, yvonne := srv.Login(t, "anouk.devries"), srv.Login(t, "yvonne.kramer")
	const team = "julianadorp"

	same := func(step string, wantDesc string, wantArea []string, wantPhone string) {
		t.Helper()
		var org, space teamProfileView
		if st := anouk.JSON("GET", "/api/v1/teams/"+team, nil, &org); st != 200 {
			t.Fatalf("%s: GET team %d", step, st)
		}
		if st := anouk.JSON("GET", "/api/v1/spaces/"+team, nil, &space); st != 200 {
			t.Fatalf("%s: GET space %d", step, st)
		}
		var list struct {
			Items []struct {
				ID          string   `json:"id"`
				WorkingArea []string `json:"workingArea"`
			} `json:"items"`
		}
		anouk.JSON("GET", "/api/v1/teams", nil, &list)
		var listArea []string
		for _, it := range list.Items {
			if it.ID == team {
				listArea = it.WorkingArea
			}
		}
		if org.Description != space.Description || !slices.Equal(org.WorkingArea, space.WorkingArea) || org.Contact != space.Contact || !slices.Equal(listArea, space.WorkingArea) {
			t.Fatalf("%s: two truths:\n org   %+v\n space %+v\n list area %v", step, org, space, listArea)
		}
		if wantDesc != "" && (space.Description != wantDesc || !slices.Equal(space.WorkingArea, wantArea) || space.Contact.Phone != wantPhone) {
			t.Fatalf("%s: profile %+v, want %q %v %q", step, space, wantDesc, wantArea, wantPhone)
		}
	}
	same("start", "", nil, "")

	// The team itself edits its profile in its space: org shows the same.
	var space teamProfileView
	anouk.JSON("GET", "/api/v1/spaces/"+team, nil, &space)
	daan := srv.Login(t, "daan.visser") // a member of Julianadorp
	if st := daan.JSON("PUT", "/api/v1/spaces/"+team+"/profile", map[string]any{"description": "Wij zijn de wijk.",
		"workingArea": []string{"1787", "Julianadorp"}, "contact": map[string]string{"phone": "0223 555 0101", "email": "julianadorp@example.nl"},
		"revision": space.Revision}, &space); st != 200 {
		t.Fatalf("team edits profile: %d", st)
	}
	same("after the team's edit", "Wij zijn de wijk.", []string{"1787", "Julianadorp"}, "0223 555 0101")

	// An administrator changes the description through org: a new revision,
	// the working area and contact stay as the team set them.
	if st, b := yvonne.Do("PATCH", "/api/v1/teams/"+team, map[string]any{"description": "Door beheer aangepast."}); st != 200 {
		t.Fatalf("admin patch: %d %s", st, b)
	}
	same("after the administrator's edit", "Door beheer aangepast.", []string{"1787", "Julianadorp"}, "0223 555 0101")
	var hist struct {
		Items []struct {
			Revision int `json:"revision"`
		} `json:"items"`
	}
	anouk.JSON("GET", "/api/v1/spaces/"+team+"/profile/history", nil, &hist)
	if len(hist.Items) == 0 || hist.Items[0].Revision != space.Revision+1 {
		t.Fatalf("history after admin edit: %+v (team's revision %d)", hist.Items, space.Revision)
	}
	// Renaming alone makes no revision.
	if st, b := yvonne.Do("PATCH", "/api/v1/teams/"+team, map[string]any{"name": "Julianadorp"}); st != 200 {
		t.Fatalf("rename: %d %s", st, b)
	}
	anouk.JSON("GET", "/api/v1/spaces/"+team+"/profile/history", nil, &hist)
	if hist.Items[0].Revision != space.Revision+1 {
		t.Fatalf("a rename made a revision: %+v", hist.Items[0])
	}
	// A bad contact through org is refused with the field named.
	if st, _ := yvonne.Do("PATCH", "/api/v1/teams/"+team, map[string]any{"contact": map[string]string{"phone": "bel me", "email": ""}}); st != 400 && st != 422 {
		t.Fatalf("bad phone through org: %d", st)
	}
}
