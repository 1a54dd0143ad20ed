package app_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/identity"
)

// TestArchivedTeamFormerMembersAndLeavers (#16) pins who sees what of a
// team that was archived: its former members (in the team when it was
// archived) keep reading the space's posts, team-only ones included, and
// write nothing; the team's
// chat channel ends with the team (the channel is the current team's, so
// nobody reads or writes it once no one is a member); someone who left the
// team before the archive reads neither its team-only posts nor its
// channel, before or after it (its organisation-wide posts are everyone's).
func TestArchivedTeamFormerMembersAndLeavers(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	admin := srv.Login(t, "yvonne.kramer")
	const team, other, ch = "julianadorp", "den-helder-centrum", "t-julianadorp"
	var detail struct {
		Members []struct {
			UserID string `json:"userId"`
			Name   string `json:"name"`
		} `json:"members"`
	}
	if st := admin.JSON("GET", "/api/v1/teams/"+team, nil, &detail); st != 200 || len(detail.Members) < 2 {
		t.Fatalf("team: %d %+v", st, detail)
	}
	daan, leaver := srv.Login(t, "daan.visser"), srv.Login(t, "anouk.devries")
	leaverID := identity.UserID(srv.App.Config.Issuer(), "anouk.devries")
	if st, b := daan.Do("POST", "/api/v1/spaces/"+team+"/posts", map[string]any{"body": "Overdracht voor het hele team", "visibility": "team"}); st != 201 {
		t.Fatalf("post: %d %s", st, b)
	}
	ws := daan.DialWS(t)
	ws.Until("ready", nil)
	ws.Send(map[string]any{"type": "send", "id": "1", "ch": ch, "clientId": "arch1", "body": "Tot morgen allemaal"})
	ws.Until("ack", nil)

	// readsTeamPost: whether c sees the team-only post (a space's
	// organisation-wide posts are for everyone).
	readsTeamPost := func(c *apptest.Client) bool {
		t.Helper()
		st, b := c.Do("GET", "/api/v1/spaces/"+team+"/posts", nil)
		if st != 200 && st != 404 && st != 403 {
			t.Fatalf("posts: %d %s", st, b)
		}
		return st == 200 && strings.Contains(string(b), "Overdracht voor het hele team")
	}
	// chatRefusal: the error code of each chat frame on the team channel
	// ("" when it was answered).
	tries := 0
	chatRefusal := func(c *apptest.Client) []string {
		t.Helper()
		tries++
		w := c.DialWS(t)
		w.Until("ready", nil)
		var codes []string
		for i, f := range []map[string]any{
			{"type": "history", "ch": ch},
			{"type": "sync", "ch": ch, "after": 0},
			{"type": "send", "ch": ch, "clientId": fmt.Sprintf("late-%d", tries), "body": "Nog iets"},
		} {
			f["id"] = string(rune('a' + i))
			w.Send(f)
			var got map[string]any
			for got == nil || got["id"] != f["id"] {
				got = w.Next()
			}
			code, _ := got["code"].(string)
			if got["type"] != "error" {
				code = ""
			}
			codes = append(codes, code)
		}
		return codes
	}

	// The leaver: in the team for a while (reading its posts and channel),
	// then out of it.
	if st, b := admin.Do("PUT", "/api/v1/teams/"+team+"/members/"+leaverID, map[string]any{"teamRoles": []string{}}); st != 200 {
		t.Fatalf("add the leaver: %d %s", st, b)
	}
	if !readsTeamPost(leaver) {
		t.Fatal("a member does not see the team's post")
	}
	if codes := chatRefusal(leaver); codes[0] != "" || codes[1] != "" {
		t.Fatalf("a member on the team channel: %v", codes)
	}
	if st, b := admin.Do("DELETE", "/api/v1/teams/"+team+"/members/"+leaverID, nil); st != 204 && st != 200 {
		t.Fatalf("remove the leaver: %d %s", st, b)
	}
	if readsTeamPost(leaver) {
		t.Error("a leaver reads the team's team-only post")
	}
	if codes := chatRefusal(leaver); strings.Join(codes, ",") != "not_found,not_found,not_found" {
		t.Errorf("a leaver on the team channel: %v", codes)
	}

	// The archive (the members are moved first, as the rule asks).
	for _, m := range detail.Members {
		if st, b := admin.Do("PUT", "/api/v1/teams/"+other+"/members/"+m.UserID, map[string]any{"teamRoles": []string{}}); st != 200 {
			t.Fatalf("move %s: %d %s", m.Name, st, b)
		}
	}
	if st, b := admin.Do("PUT", "/api/v1/teams/"+team+"/archive", map[string]any{"archived": true}); st != 200 {
		t.Fatalf("archive: %d %s", st, b)
	}

	// A former member: the posts read-only; the chat channel is gone.
	if !readsTeamPost(daan) {
		t.Error("a former member does not read the archived team's team-only post")
	}
	if st, b := daan.Do("POST", "/api/v1/spaces/"+team+"/posts", map[string]any{"body": "Nog iets", "visibility": "team"}); st != 409 || !strings.Contains(string(b), "team_archived") {
		t.Errorf("a former member posts: %d %s", st, b)
	}
	if codes := chatRefusal(daan); strings.Join(codes, ",") != "not_found,not_found,not_found" {
		t.Errorf("a former member on the archived team's channel: %v", codes)
	}
	// The leaver still reads nothing: leaving came before the archive.
	if readsTeamPost(leaver) {
		t.Error("a leaver reads the archived team's team-only post")
	}
	if codes := chatRefusal(leaver); strings.Join(codes, ",") != "not_found,not_found,not_found" {
		t.Errorf("a leaver on the archived team's channel: %v", codes)
	}
}
