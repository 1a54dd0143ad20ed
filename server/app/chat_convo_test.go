package app_test

import (
	"encoding/json"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/app/apptest"
)

type convoSearch struct {
	Query string
	Total int
	Items []struct {
		Seq     int64
		At      time.Time
		ByName  string
		Snippet struct {
			Text  string
			Marks [][2]int
		}
	}
}

// TestChatConversationSearch: a member finds a team channel's message by
// words, whatever the case and diacritics, with a marked excerpt, its
// date and its seq; other channels' messages are not found; a non-member
// gets 404 like every chat read; empty and too long q are refused with the
// field named; the search is in the access log.
func TestChatConversationSearch(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anoukC, sanneC, daanC := srv.Login(t, "anouk.devries"), srv.Login(t, "sanne.bakker"), srv.Login(t, "daan.visser")
	anouk := anoukC.DialWS(t)
	anouk.Until("ready", nil)
	send := func(id, ch, body string) int64 {
		t.Helper()
		anouk.Send(map[string]any{"type": "send", "id": id, "ch": ch, "clientId": id, "body": body})
		f, _ := anouk.Until("ack", func(f map[string]any) bool { return f["id"] == id })
		return int64(f["seq"].(float64))
	}
	seq := send("s1", teamCh, "De Cliënt in Julianadorp krijgt vanaf maandag WONDZORG thuis")
	send("s2", teamCh, "Wie heeft de sleutel van de auto?")
	var other struct{ ID string }
	if st := anoukC.JSON("POST", "/api/v1/chat/channels", map[string]any{"name": "Wondzorg-overleg", "kind": "open"}, &other); st != 201 {
		t.Fatalf("create channel: %d", st)
	}
	send("s3", other.ID, "Ook hier een client met wondzorg")

	// Messages are indexed as the hub observes them: poll with a deadline.
	base := "/api/v1/chat/channels/" + teamCh + "/search?q="
	var res convoSearch
	for deadline := time.Now().Add(10 * time.Second); ; {
		if st := sanneC.JSON("GET", base+url.QueryEscape("client wondzorg"), nil, &res); st != 200 {
			t.Fatalf("search: %d", st)
		}
		if res.Total > 0 || time.Now().After(deadline) {
			break
		}
		runtime.Gosched()
	}
	if res.Total != 1 || len(res.Items) != 1 {
		t.Fatalf("want the one team channel message, got %+v", res)
	}
	hit := res.Items[0]
	if hit.Seq != seq || hit.ByName != "Anouk de Vries" || hit.At.IsZero() || !strings.Contains(hit.Snippet.Text, "Cliënt") || len(hit.Snippet.Marks) != 2 {
		t.Fatalf("hit %+v", hit)
	}
	if st := sanneC.JSON("GET", base+"SLEUTEL", nil, &res); st != 200 || res.Total != 1 || res.Items[0].Seq != seq+1 {
		t.Fatalf("case folded search: %d %+v", st, res)
	}

	for _, tc := range []struct {
		c      *apptest.Client
		path   string
		status int
		code   string
	}{
		{daanC, base + "wondzorg", 404, "not_found"},
		{anoukC, "/api/v1/chat/channels/nope/search?q=wondzorg", 404, "not_found"},
		{anoukC, base + "%20%20", 422, "validation"},
		{anoukC, base + strings.Repeat("a", 201), 422, "validation"},
	} {
		st, b := tc.c.Do("GET", tc.path, nil)
		p := apptest.ParseProblem(t, b)
		if st != tc.status || p.Code != tc.code {
			t.Fatalf("GET %s: %d %s", tc.path, st, b)
		}
		if st == 422 && !strings.HasPrefix(p.FieldErrors(), "q:") {
			t.Fatalf("GET %s: field detail %s", tc.path, p.FieldErrors())
		}
	}
	found := false
	for _, e := range srv.AccessEntries(t) {
		if e.Action == "search" && e.Subject == "chat:"+teamCh+` q="client wondzorg"` {
			found = true
		}
	}
	if !found {
		t.Fatal("the conversation search is not in the access log")
	}
}

// TestChatConversationExport: a participant exports a DM as the personal
// data export's shape, with edits applied, deleted text gone, mentions by
// name; the download is an attachment; an outsider gets 404, a team
// channel 403 chat_export_dm_only; the export is in the access log.
func TestChatConversationExport(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anoukC, sanneC, daanC := srv.Login(t, "anouk.devries"), srv.Login(t, "sanne.bakker"), srv.Login(t, "daan.visser")
	anouk, sanne := anoukC.DialWS(t), sanneC.DialWS(t)
	anouk.Until("ready", nil)
	sready, _ := sanne.Until("ready", nil)
	sanneID := sready["user"].(map[string]any)["id"].(string)
	var dm struct{ ID string }
	if st := anoukC.JSON("POST", "/api/v1/chat/dm", map[string]any{"userIds": []string{sanneID}}, &dm); st != 200 {
		t.Fatalf("open dm: %d", st)
	}
	do := func(c *apptest.WS, frame map[string]any) {
		t.Helper()
		c.Send(frame)
		c.Until("ack", func(f map[string]any) bool { return f["id"] == frame["id"] })
	}
	do(anouk, map[string]any{"type": "send", "id": "e1", "ch": dm.ID, "clientId": "e1", "body": "Hoi <@" + sanneID + ">, kom je morgen?"})
	do(sanne, map[string]any{"type": "send", "id": "e2", "ch": dm.ID, "clientId": "e2", "body": "Ja, om negen uur"})
	do(sanne, map[string]any{"type": "edit", "id": "e3", "ch": dm.ID, "clientId": "e3", "target": 2, "body": "Ja, om tien uur"})
	do(anouk, map[string]any{"type": "send", "id": "e4", "ch": dm.ID, "clientId": "e4", "body": "Vergissing"})
	do(anouk, map[string]any{"type": "delete", "id": "e5", "ch": dm.ID, "clientId": "e5", "target": 4})

	st, b := anoukC.Do("GET", "/api/v1/chat/channels/"+dm.ID+"/export?download=1", nil)
	if st != 200 {
		t.Fatalf("export: %d %s", st, b)
	}
	var x struct {
		GeneratedAt time.Time
		Subject     struct{ ID, Name string }
		Sections    struct {
			Chat struct {
				Conversation struct {
					ID      string
					Kind    string
					Members []struct{ ID, Name string }
				}
				Messages []struct {
					Seq             int64
					ByName, Body    string
					Edited, Deleted bool
				}
			}
		}
	}
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	c := x.Sections.Chat
	if x.Subject.Name != "Anouk de Vries" || x.GeneratedAt.IsZero() || c.Conversation.ID != dm.ID || c.Conversation.Kind != "dm" || len(c.Conversation.Members) != 2 {
		t.Fatalf("export head %+v", x)
	}
	m := c.Messages
	if len(m) != 3 || m[0].Body != "Hoi @Sanne Bakker, kom je morgen?" || m[1].Body != "Ja, om tien uur" || !m[1].Edited ||
		m[1].ByName != "Sanne Bakker" || !m[2].Deleted || m[2].Body != "" {
		t.Fatalf("export messages %+v", m)
	}

	for _, tc := range []struct {
		c      *apptest.Client
		ch     string
		status int
		code   string
	}{
		{daanC, dm.ID, 404, "not_found"},
		{anoukC, "nope", 404, "not_found"},
		{anoukC, teamCh, 403, "chat_export_dm_only"},
	} {
		st, b := tc.c.Do("GET", "/api/v1/chat/channels/"+tc.ch+"/export", nil)
		if st != tc.status || apptest.ParseProblem(t, b).Code != tc.code {
			t.Fatalf("export %s: %d %s", tc.ch, st, b)
		}
	}
	found := false
	for _, e := range srv.AccessEntries(t) {
		if e.Action == "export" && e.Subject == "chat:"+dm.ID+" conversation" {
			found = true
		}
	}
	if !found {
		t.Fatal("the export is not in the access log")
	}
}
