package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/identity"
)

const teamCh = "t-den-helder-centrum"

func channelIDs(ready map[string]any) []string {
	var ids []string
	for _, c := range ready["channels"].([]any) {
		ids = append(ids, c.(map[string]any)["id"].(string))
	}
	return ids
}

func TestChatTeamChannelLiveDeliveryAndAccess(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anouk := srv.Login(t, "anouk.devries").DialWS(t)
	sanne := srv.Login(t, "sanne.bakker").DialWS(t)
	daan := srv.Login(t, "daan.visser").DialWS(t)

	ready := anouk.Next()
	if ready["type"] != "ready" || !contains(channelIDs(ready), teamCh) {
		t.Fatalf("anouk ready: %v", ready)
	}
	sanne.Until("ready", nil)
	dready, _ := daan.Until("ready", nil)
	if contains(channelIDs(dready), teamCh) {
		t.Fatal("daan (other team) sees den-helder-centrum's channel")
	}

	anouk.Send(map[string]any{"type": "send", "id": "1", "ch": teamCh, "clientId": "c1", "body": "Goedemorgen **team**"})
	ack, _ := anouk.Until("ack", nil)
	if ack["seq"].(float64) != 1 || ack["duplicate"] != false {
		t.Fatalf("ack %v", ack)
	}
	got, _ := sanne.Until("entry", nil)
	e := got["entry"].(map[string]any)
	if e["body"] != "Goedemorgen **team**" || !strings.Contains(e["html"].(string), "<strong>team</strong>") || e["byName"] != "Anouk de Vries" {
		t.Fatalf("sanne got %v", e)
	}

	// A retry with the same clientId is acknowledged as a duplicate, not stored twice.
	anouk.Send(map[string]any{"type": "send", "id": "2", "ch": teamCh, "clientId": "c1", "body": "Goedemorgen **team**"})
	ack, _ = anouk.Until("ack", func(f map[string]any) bool { return f["id"] == "2" })
	if ack["seq"].(float64) != 1 || ack["duplicate"] != true {
		t.Fatalf("retry ack %v", ack)
	}

	// An outsider can neither post, read history, nor tell the channel exists.
	for _, f := range []map[string]any{
		{"type": "send", "id": "x", "ch": teamCh, "clientId": "d1", "body": "hoi"},
		{"type": "history", "id": "x", "ch": teamCh},
		{"type": "sync", "id": "x", "ch": teamCh, "after": 0},
		{"type": "react", "id": "x", "ch": teamCh, "clientId": "d2", "target": 1, "emoji": "👍", "on": true},
		{"type": "send", "id": "x", "ch": "t-does-not-exist", "clientId": "d3", "body": "hoi"},
	} {
		daan.Send(f)
		errf, _ := daan.Until("error", nil)
		if errf["code"] != "not_found" {
			t.Fatalf("%v by outsider: %v", f["type"], errf)
		}
	}

	// Sanne replies in a thread, reacts; history returns all entries in order.
	sanne.Send(map[string]any{"type": "send", "id": "3", "ch": teamCh, "clientId": "s1", "body": "Ik neem haar", "reply": 1})
	sanne.Until("ack", nil)
	sanne.Send(map[string]any{"type": "react", "id": "4", "ch": teamCh, "clientId": "s2", "target": 1, "emoji": "👍", "on": true})
	sanne.Until("ack", func(f map[string]any) bool { return f["id"] == "4" })
	anouk.Send(map[string]any{"type": "history", "id": "h", "ch": teamCh})
	h, _ := anouk.Until("entries", nil)
	es := h["entries"].([]any)
	if len(es) != 3 || es[1].(map[string]any)["reply"].(float64) != 1 || es[2].(map[string]any)["kind"] != "react" {
		t.Fatalf("history %v", es)
	}

	// Sanne cannot edit Anouk's message: the frame carries the same code as
	// the HTTP problem would.
	sanne.Send(map[string]any{"type": "edit", "id": "5", "ch": teamCh, "clientId": "s3", "target": 1, "body": "gewijzigd"})
	if f, _ := sanne.Until("error", nil); f["code"] != "not_author" {
		t.Fatalf("edit someone else's message: %v", f)
	}
}

func TestChatBadInputOnTheSocket(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	c := srv.Login(t, "anouk.devries")
	ws := c.DialWS(t)
	ws.Until("ready", nil)
	for _, raw := range []string{`{`, `[]`, `{"type":"nope"}`, `{"type":"send","ch":"x"}`, `{"type":"send","ch":1,"clientId":"a","body":"b"}`, `{"type":"ping","extra":1}`, `{"type":"ping"} {"type":"ping"}`} {
		if err := ws.Conn.WriteMessage(websocket.TextMessage, []byte(raw)); err != nil {
			t.Fatal(err)
		}
		if f, _ := ws.Until("error", nil); f["code"] != "bad_frame" {
			t.Fatalf("%s: %v", raw, f)
		}
	}
	// Still alive.
	ws.Send(map[string]any{"type": "ping", "id": "p"})
	ws.Until("pong", nil)
	// Empty and oversize bodies are refused with a field message, nothing stored.
	ws.Send(map[string]any{"type": "send", "ch": teamCh, "clientId": "big", "body": strings.Repeat("a", 8001)})
	if f, _ := ws.Until("error", nil); f["code"] != "invalid" || !strings.Contains(f["message"].(string), "body") {
		t.Fatalf("oversize body: %v", f)
	} else if fe, _ := f["errors"].([]any); len(fe) != 1 || fe[0].(map[string]any)["field"] != "body" || fe[0].(map[string]any)["code"] != "too_long" ||
		fe[0].(map[string]any)["params"].(map[string]any)["max"] != float64(8000) {
		t.Fatalf("oversize body: field errors %v, want body too_long max 8000", f["errors"])
	}
	ws.Send(map[string]any{"type": "sync", "id": "s", "ch": teamCh, "after": 0})
	if f, _ := ws.Until("entries", nil); len(f["entries"].([]any)) != 0 {
		t.Fatalf("something was stored: %v", f)
	}

	// Invalid UTF-8 closes with 1008; an oversize frame closes with 1009.
	ws2 := c.DialWS(t)
	ws2.Until("ready", nil)
	_ = ws2.Conn.WriteMessage(websocket.TextMessage, []byte{'{', 0xff, 0xfe, '}'})
	assertClose(t, ws2, websocket.ClosePolicyViolation)
	ws3 := c.DialWS(t)
	ws3.Until("ready", nil)
	_ = ws3.Conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"send","body":"`+strings.Repeat("x", 20000)+`"}`))
	assertClose(t, ws3, websocket.CloseMessageTooBig)
}

func assertClose(t *testing.T, ws *apptest.WS, code int) {
	t.Helper()
	for {
		_, err := ws.NextErr(10 * time.Second)
		if err == nil {
			continue
		}
		if !websocket.IsCloseError(err, code) {
			t.Fatalf("want close %d, got %v", code, err)
		}
		return
	}
}

func TestChatRefusesForeignOriginAndAnonymous(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	c := srv.Login(t, "anouk.devries")
	for _, origin := range []string{"https://evil.example", "", srv.URL + ".evil.example", "null"} {
		_, resp, err := c.DialWSOrigin(origin)
		if err == nil || resp == nil || resp.StatusCode != 403 {
			t.Fatalf("origin %q: err %v resp %v", origin, err, resp)
		}
	}
	anon := srv.NewClient(t)
	_, resp, err := anon.DialWSOrigin(srv.URL)
	if err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("anonymous: err %v status %v", err, resp)
	}
}

func TestChatRemovedMemberLosesAccessOnOpenConnection(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	admin := srv.Login(t, "yvonne.kramer")
	sanneC := srv.Login(t, "sanne.bakker")
	sanne := sanneC.DialWS(t)
	sanne.Until("ready", nil)
	anouk := srv.Login(t, "anouk.devries").DialWS(t)
	anouk.Until("ready", nil)

	sanneID := identity.UserID(srv.App.Config.Issuer(), "sanne.bakker")
	if st, b := admin.Do("DELETE", "/api/v1/teams/den-helder-centrum/members/"+sanneID, nil); st != 204 {
		t.Fatalf("remove member: %d %s", st, b)
	}
	f, _ := sanne.Until("channel_removed", nil)
	if f["ch"] != teamCh {
		t.Fatalf("removed %v", f)
	}
	anouk.Send(map[string]any{"type": "send", "ch": teamCh, "clientId": "after", "body": "na het vertrek"})
	anouk.Until("ack", nil)
	anouk.Until("entry", nil)
	// Sanne must not receive it: prove by a later frame that does reach her.
	sanne.Send(map[string]any{"type": "ping", "id": "fence"})
	_, skipped := sanne.Until("pong", nil)
	for _, s := range skipped {
		if s["type"] == "entry" {
			t.Fatalf("removed member received %v", s)
		}
	}
	sanne.Send(map[string]any{"type": "history", "id": "h", "ch": teamCh})
	if f, _ := sanne.Until("error", nil); f["code"] != "not_found" {
		t.Fatalf("history after removal: %v", f)
	}
}

func TestChatLogoutClosesSocket(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	c := srv.Login(t, "anouk.devries")
	ws := c.DialWS(t)
	ws.Until("ready", nil)
	if st, _ := c.Do("POST", "/api/v1/auth/logout", nil); st != 200 {
		t.Fatal(st)
	}
	assertClose(t, ws, 4001)
}

func TestChatDirectMessages(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anouk := srv.Login(t, "anouk.devries")
	daanC := srv.Login(t, "daan.visser")
	daan := daanC.DialWS(t)
	daan.Until("ready", nil)
	daanID := identity.UserID(srv.App.Config.Issuer(), "daan.visser")
	var sum struct {
		ID   string `json:"id"`
		Kind string `json:"kind"`
		Name string `json:"name"`
	}
	if st := anouk.JSON("POST", "/api/v1/chat/dm", map[string]any{"userIds": []string{daanID}}, &sum); st != 200 || sum.Kind != "dm" || sum.Name != "Daan Visser" {
		t.Fatalf("dm: %d %+v", st, sum)
	}
	// Daan's open connection learns about the new conversation.
	f, _ := daan.Until("channel", nil)
	if f["channel"].(map[string]any)["id"] != sum.ID {
		t.Fatalf("channel frame %v", f)
	}
	ws := anouk.DialWS(t)
	ws.Until("ready", nil)
	ws.Send(map[string]any{"type": "send", "ch": sum.ID, "clientId": "dm1", "body": "Hoi Daan"})
	n, _ := daan.Until("notify", nil)
	if n["kind"] != "dm" || n["byName"] != "Anouk de Vries" {
		t.Fatalf("notify %v", n)
	}
	// Opening it again gives the same conversation.
	var again struct{ ID string }
	anouk.JSON("POST", "/api/v1/chat/dm", map[string]any{"userIds": []string{daanID}}, &again)
	if again.ID != sum.ID {
		t.Fatalf("second dm %q != %q", again.ID, sum.ID)
	}
	// Sanne cannot see it.
	sanne := srv.Login(t, "sanne.bakker").DialWS(t)
	sanne.Send(map[string]any{"type": "history", "ch": sum.ID})
	if f, _ := sanne.Until("error", nil); f["code"] != "not_found" {
		t.Fatalf("outsider reading a dm: %v", f)
	}
	// Bad input.
	for _, body := range []any{map[string]any{"userIds": []string{}}, map[string]any{"userIds": []string{"unknown"}}, map[string]any{"userIds": "x"}} {
		if st, _ := anouk.Do("POST", "/api/v1/chat/dm", body); st != 422 {
			t.Fatalf("dm %v: %d", body, st)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var _ = fmt.Sprint
