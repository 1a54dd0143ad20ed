package app_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/plein/plein/server/app/apptest"
)

// TestTeamArchive (#14 §7): an administrator archives a team that stopped.
// Members without another team must be moved first (409); then the team
// leaves lists, pickers and search, its space is read-only to its former
// members, the change log records it, and unarchiving restores it.
func TestTeamArchive(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	admin, anouk := srv.Login(t, "yvonne.kramer"), srv.Login(t, "anouk.devries")
	const team, other = "julianadorp", "den-helder-centrum"
	var detail struct {
		Members []struct {
			UserID string `json:"userId"`
			Name   string `json:"name"`
		} `json:"members"`
		ArchivedAt string `json:"archivedAt"`
	}
	if st := admin.JSON("GET", "/api/v1/teams/"+team, nil, &detail); st != 200 || len(detail.Members) == 0 {
		t.Fatalf("team: %d %+v", st, detail)
	}
	var former string
	for _, m := range detail.Members {
		if m.Name == "Daan Visser" {
			former = m.UserID
		}
	}
	member := srv.Login(t, "daan.visser")
	if st, b := member.Do("POST", "/api/v1/spaces/"+team+"/posts", map[string]any{"body": "Onze laatste teamafspraak", "visibility": "team"}); st != 201 {
		t.Fatalf("post: %d %s", st, b)
	}
	archive := func(c *apptest.Client, body any) (int, string) {
		t.Helper()
		st, b := c.Do("PUT", "/api/v1/teams/"+team+"/archive", body)
		var p struct {
			Code string `json:"code"`
		}
		_ = json.Unmarshal(b, &p)
		return st, p.Code
	}
	listed := func(c *apptest.Client, path string) bool {
		t.Helper()
		var l struct {
			Items []struct {
				ID       string `json:"id"`
				Archived bool   `json:"archived"`
			} `json:"items"`
		}
		if st := c.JSON("GET", path, nil, &l); st != 200 {
			t.Fatalf("GET %s: %d", path, st)
		}
		return slices.ContainsFunc(l.Items, func(x struct {
			ID       string `json:"id"`
			Archived bool   `json:"archived"`
		}) bool {
			return x.ID == team
		})
	}

	// Refused: not an administrator; bad input; members without another team.
	if st, code := archive(anouk, map[string]any{"archived": true}); st != 403 || code != "admin_only" {
		t.Fatalf("care worker: %d %s", st, code)
	}
	for _, body := range []any{map[string]any{}, map[string]any{"archived": "ja"}, map[string]any{"archived": true, "reden": "x"}} {
		if st, _ := archive(admin, body); st != 422 {
			t.Fatalf("%v: %d", body, st)
		}
	}
	if st, _ := admin.Do("GET", "/api/v1/teams?archived=misschien", nil); st != 422 {
		t.Fatalf("bad archived filter: %d", st)
	}
	if st, code := archive(admin, map[string]any{"archived": true}); st != 409 || code != "team_has_members" {
		t.Fatalf("with members: %d %s", st, code)
	}
	if !listed(anouk, "/api/v1/teams") {
		t.Fatal("a refused archive changed the team")
	}

	// Move the members first, then archive.
	for _, m := range detail.Members {
		if st, b := admin.Do("PUT", "/api/v1/teams/"+other+"/members/"+m.UserID, map[string]any{"teamRoles": []string{}}); st != 200 {
			t.Fatalf("move %s: %d %s", m.UserID, st, b)
		}
	}
	if st, code := archive(admin, map[string]any{"archived": true}); st != 200 {
		t.Fatalf("archive: %d %s", st, code)
	}
	if st, _ := archive(admin, map[string]any{"archived": true}); st != 200 { // re-running is harmless
		t.Fatalf("archive again: %d", st)
	}
	if listed(anouk, "/api/v1/teams") || listed(anouk, "/api/v1/teams?region=") || !listed(admin, "/api/v1/teams?archived=true") {
		t.Fatal("archived team still in the list, or missing from the administrators' list")
	}
	if st, _ := anouk.Do("GET", "/api/v1/teams?archived=true", nil); st != 403 {
		t.Fatalf("care worker lists archived teams: %d", st)
	}
	var spaces struct {
		Teams []struct {
			ID string `json:"id"`
		} `json:"teams"`
	}
	member.JSON("GET", "/api/v1/spaces", nil, &spaces)
	if slices.ContainsFunc(spaces.Teams, func(x struct {
		ID string `json:"id"`
	}) bool {
		return x.ID == team
	}) {
		t.Fatal("archived team still among the spaces")
	}
	_, b := anouk.Do("GET", "/api/v1/search?types=team&q=julianadorp", nil)
	if strings.Contains(string(b), `"id":"`+team+`"`) {
		t.Fatalf("archived team found by search: %s", b)
	}

	// History stays: the former member reads the space, but writes nothing.
	var space struct {
		Archived bool `json:"archived"`
		CanPost  bool `json:"canPost"`
	}
	if st := member.JSON("GET", "/api/v1/spaces/"+team, nil, &space); st != 200 || !space.Archived || space.CanPost {
		t.Fatalf("space: %d %+v", st, space)
	}
	st, b := member.Do("GET", "/api/v1/spaces/"+team+"/posts", nil)
	if st != 200 || !strings.Contains(string(b), "Onze laatste teamafspraak") {
		t.Fatalf("former member reads posts: %d %s", st, b)
	}
	st, b = member.Do("POST", "/api/v1/spaces/"+team+"/posts", map[string]any{"body": "Nog iets", "visibility": "team"})
	if st != 409 || !strings.Contains(string(b), "team_archived") {
		t.Fatalf("post in archived space: %d %s", st, b)
	}
	if st, _ := admin.Do("PUT", "/api/v1/teams/"+team+"/members/"+former, map[string]any{"teamRoles": []string{}}); st != 409 {
		t.Fatalf("member added to an archived team: %d", st)
	}
	var changes struct {
		Items []struct {
			Action  string `json:"action"`
			Subject string `json:"subject"`
		} `json:"items"`
	}
	admin.JSON("GET", "/api/v1/admin/changes", nil, &changes)
	n := 0
	for _, c := range changes.Items {
		if c.Action == "team.archive" && c.Subject == "team:"+team {
			n++
		}
	}
	if n == 0 {
		t.Fatalf("change log: %+v", changes.Items)
	}

	// Unarchive: back in the lists, writable by new members.
	if st, _ := archive(admin, map[string]any{"archived": false}); st != 200 {
		t.Fatalf("unarchive: %d", st)
	}
	if !listed(anouk, "/api/v1/teams") {
		t.Fatal("restored team not listed")
	}
	if st, _ := admin.Do("PUT", "/api/v1/teams/"+team+"/members/"+former, map[string]any{"teamRoles": []string{}}); st != 200 {
		t.Fatalf("member added to a restored team: %d", st)
	}
	if st, b := member.Do("POST", "/api/v1/spaces/"+team+"/posts", map[string]any{"body": "We zijn terug", "visibility": "team"}); st != 201 {
		t.Fatalf("post after restore: %d %s", st, b)
	}
}
