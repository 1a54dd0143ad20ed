package app_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

type changeEntry struct {
	ID          string         `json:"id"`
	ActorID     string         `json:"actorId"`
	ActorName   string         `json:"actorName"`
	Action      string         `json:"action"`
	Subject     string         `json:"subject"`
	SubjectName string         `json:"subjectName"`
	Before      map[string]any `json:"before"`
	After       map[string]any `json:"after"`
}

type changePage struct {
	Items []changeEntry `json:"items"`
	Next  string        `json:"next"`
}

// TestAdminChangeLog: every administrative change is recorded with who,
// what and the fields before and after; only administrators read the log;
// refused and invalid writes record nothing.
func TestAdminChangeLog(t *testing.T) {
	t.Parallel()
	e := startAPI(t)
	daan, johan, anouk := e.id["daan.visser"], e.id["johan.mulder"], e.id["anouk.devries"]
	ok := func(method, path string, body any, status int) {
		t.Helper()
		if r := e.call(t, e.admin, method, path, body); r.status != status {
			t.Fatalf("%s %s: %d %.300s", method, path, r.status, r.body)
		}
	}
	changes := func(t *testing.T, query string) changePage {
		t.Helper()
		var p changePage
		e.get(t, e.admin, "/api/v1/admin/changes"+query, &p)
		return p
	}
	if p := changes(t, ""); len(p.Items) != 0 {
		t.Fatalf("the seed recorded changes: %+v", p.Items)
	}

	ok("POST", "/api/v1/regions", map[string]any{"id": "kop-van-noord", "name": "Kop van Noord"}, 201)
	ok("PATCH", "/api/v1/regions/kop-van-noord", map[string]any{"name": "Kop van Noord-Holland"}, 200)
	ok("POST", "/api/v1/teams", newTeamBody("kop-oost"), 201)
	ok("PATCH", "/api/v1/teams/kop-oost", map[string]any{"regionId": "kop-van-noord", "workingArea": []string{"1759"}}, 200)
	ok("PUT", "/api/v1/teams/kop-oost/members/"+daan, map[string]any{"teamRoles": []string{}}, 200)
	ok("PUT", "/api/v1/teams/kop-oost/members/"+daan, map[string]any{"teamRoles": []string{"planning"}}, 200)
	ok("DELETE", "/api/v1/teams/den-helder-centrum/members/"+anouk, nil, 204)
	// Johan's regiomanager role comes from the identity provider's groups:
	// granting beheerder assigns it; leaving regiomanager out denies the claim.
	ok("PUT", "/api/v1/users/"+johan+"/roles", map[string]any{"roles": []string{"regiomanager", "beheerder"}}, 200)
	ok("PUT", "/api/v1/users/"+johan+"/roles", map[string]any{"roles": []string{}}, 200)
	ok("PUT", "/api/v1/users/"+daan+"/active", map[string]any{"active": false}, 200)
	ok("PUT", "/api/v1/users/"+daan+"/active", map[string]any{"active": true}, 200)
	ok("POST", "/api/v1/users/"+daan+"/sessions/end", nil, 204)

	want := []struct {
		action, subject string
		before, after   map[string]any
	}{
		{"user.sessions_end", "user:" + daan, nil, nil},
		{"user.active", "user:" + daan, map[string]any{"active": false}, map[string]any{"active": true}},
		{"user.active", "user:" + daan, map[string]any{"active": true}, map[string]any{"active": false}},
		{"user.roles", "user:" + johan, map[string]any{"roles": []any{"regiomanager", "beheerder"}}, map[string]any{"roles": []any{}}},
		{"user.roles", "user:" + johan, map[string]any{"roles": []any{"regiomanager"}}, map[string]any{"roles": []any{"regiomanager", "beheerder"}}},
		{"member.remove", "team:den-helder-centrum user:" + anouk, map[string]any{"teamRoles": []any{"planning"}}, nil},
		{"member.set", "team:kop-oost user:" + daan, map[string]any{"teamRoles": []any{}}, map[string]any{"teamRoles": []any{"planning"}}},
		{"member.set", "team:kop-oost user:" + daan, nil, map[string]any{"teamRoles": []any{}}},
		{"team.update", "team:kop-oost", nil, nil}, // checked below
		{"team.create", "team:kop-oost", nil, nil},
		{"region.update", "region:kop-van-noord", map[string]any{"name": "Kop van Noord"}, map[string]any{"name": "Kop van Noord-Holland"}},
		{"region.create", "region:kop-van-noord", nil, map[string]any{"name": "Kop van Noord"}},
	}
	got := changes(t, "").Items
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Action != w.action || g.Subject != w.subject || g.ActorID != e.id[adminSub] || g.ActorName == "" || g.SubjectName == "" {
			t.Errorf("entry %d: %+v, want %s on %s by the administrator", i, g, w.action, w.subject)
		}
		if w.action == "team.update" || w.action == "team.create" {
			continue
		}
		if !reflect.DeepEqual(g.Before, w.before) || !reflect.DeepEqual(g.After, w.after) {
			t.Errorf("entry %d (%s): before %v after %v, want %v → %v", i, g.Action, g.Before, g.After, w.before, w.after)
		}
		if i > 0 && got[i-1].ID <= g.ID {
			t.Errorf("not newest first: %s then %s", got[i-1].ID, g.ID)
		}
	}
	upd := got[8]
	if upd.Before["regionId"] != "hollands-kroon" || upd.After["regionId"] != "kop-van-noord" ||
		!reflect.DeepEqual(upd.After["workingArea"], []any{"1759"}) || upd.Before["name"] != upd.After["name"] {
		t.Errorf("team.update before %v after %v", upd.Before, upd.After)
	}
	if got[9].Before != nil || got[9].After["name"] == nil {
		t.Errorf("team.create before %v after %v", got[9].Before, got[9].After)
	}
	var u struct {
		DeniedRoles []string `json:"deniedRoles"`
		Teams       []struct {
			ID        string   `json:"id"`
			TeamRoles []string `json:"teamRoles"`
		} `json:"teams"`
	}
	e.get(t, e.admin, "/api/v1/users/"+johan, &u)
	if !slices.Equal(u.DeniedRoles, []string{"regiomanager"}) {
		t.Errorf("johan's denied roles %v, want [regiomanager]", u.DeniedRoles)
	}
	e.get(t, e.admin, "/api/v1/users/"+daan, &u)
	if !slices.ContainsFunc(u.Teams, func(t struct {
		ID        string   `json:"id"`
		TeamRoles []string `json:"teamRoles"`
	}) bool {
		return t.ID == "kop-oost" && slices.Equal(t.TeamRoles, []string{"planning"})
	}) {
		t.Errorf("daan's teams %+v, want kop-oost with planning", u.Teams)
	}

	t.Run("pages", func(t *testing.T) {
		p1 := changes(t, "?limit=5")
		if len(p1.Items) != 5 || p1.Next != p1.Items[4].ID {
			t.Fatalf("first page %d items, next %q", len(p1.Items), p1.Next)
		}
		p2 := changes(t, "?limit=5&before="+p1.Next)
		p3 := changes(t, "?limit=5&before="+p2.Next)
		if len(p2.Items) != 5 || len(p3.Items) != 2 || p3.Next != "" {
			t.Fatalf("pages of %d and %d, last next %q", len(p2.Items), len(p3.Items), p3.Next)
		}
		var ids []string
		for _, p := range []changePage{p1, p2, p3} {
			for _, it := range p.Items {
				ids = append(ids, it.ID)
			}
		}
		for i := range got {
			if ids[i] != got[i].ID {
				t.Fatalf("paged ids differ at %d", i)
			}
		}
	})

	t.Run("reading the log is access-logged", func(t *testing.T) {
		rid := "changes-read-1"
		if r := e.call(t, e.admin, "GET", "/api/v1/admin/changes", nil, "X-Request-ID", rid); r.status != 200 || r.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("%d %q", r.status, r.header.Get("Cache-Control"))
		}
		if en := e.accessEntry(t, rid); en["action"] != "read" || en["subject"] != "admin change log" {
			t.Errorf("access entry %v", en)
		}
	})

	t.Run("only administrators read it", func(t *testing.T) {
		for _, sub := range staffSubs {
			c := e.staff[sub]
			switch sub {
			case "johan.mulder":
				continue // his roles were all taken away above
			case "daan.visser":
				c = e.srv.Login(t, sub) // his sessions were ended above
			}
			p := e.call(t, c, "GET", "/api/v1/admin/changes", nil).problem(t, 403)
			if p.Code != "admin_only" {
				t.Errorf("%s: code %q", sub, p.Code)
			}
		}
		e.call(t, e.anon, "GET", "/api/v1/admin/changes", nil).problem(t, 401)
	})

	t.Run("bad input", func(t *testing.T) {
		for q, field := range map[string]string{
			"?before=yesterday":                  "before",
			"?before=%7B%22%24gt%22%3A%22%22%7D": "before",
			"?limit=0":                           "limit",
			"?limit=201":                         "limit",
			"?limit=ten":                         "limit",
		} {
			p := e.call(t, e.admin, "GET", "/api/v1/admin/changes"+q, nil).problem(t, 422)
			wantFields(t, p, field)
		}
	})

	t.Run("refused and invalid writes record nothing", func(t *testing.T) {
		n := len(changes(t, "?limit=200").Items)
		for _, w := range e.writes() {
			e.call(t, e.staff["anouk.devries"], w.method, w.path, w.body).problem(t, 403)
		}
		e.call(t, e.admin, "PUT", "/api/v1/teams/kop-oost/members/"+daan, map[string]any{"teamRoles": []string{"astronaut"}}).problem(t, 422)
		e.call(t, e.admin, "PUT", "/api/v1/users/"+daan+"/roles", map[string]any{"roles": []string{"koning"}}).problem(t, 422)
		e.call(t, e.admin, "POST", "/api/v1/regions", map[string]any{"id": "X", "name": ""}).problem(t, 422)
		if m := len(changes(t, "?limit=200").Items); m != n {
			t.Errorf("%d entries after refused writes, want %d", m, n)
		}
	})
	_ = fmt.Sprint
	_ = json.Marshal
}
