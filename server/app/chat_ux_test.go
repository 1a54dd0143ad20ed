package app_test

import (
	"strings"
	"testing"

	"github.com/plein/plein/server/app/apptest"
)

// TestChatMentionReachesNotificationCentre: an @mention in chat lands in the
// mentioned member's notification centre (live and listed) with a link to
// the message and a masked excerpt; @team skips members who muted the
// channel; a retried send notifies nobody twice; outsiders get nothing.
func TestChatMentionReachesNotificationCentre(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anoukC, sanneC, fatimaC, daanC := srv.Login(t, "anouk.devries"), srv.Login(t, "sanne.bakker"), srv.Login(t, "fatima.elamrani"), srv.Login(t, "daan.visser")
	anouk, sanne, daan := anoukC.DialWS(t), sanneC.DialWS(t), daanC.DialWS(t)
	anouk.Until("ready", nil)
	sready, _ := sanne.Until("ready", nil)
	dready, _ := daan.Until("ready", nil)
	sanneID := sready["user"].(map[string]any)["id"].(string)
	daanID := dready["user"].(map[string]any)["id"].(string)

	send := func(id, body string) {
		t.Helper()
		anouk.Send(map[string]any{"type": "send", "id": id, "ch": teamCh, "clientId": id, "body": body, "acknowledgeIdentifiers": true})
		anouk.Until("ack", func(f map[string]any) bool { return f["id"] == id })
		// Mentions are handed to the notification centre before the next
		// frame of this connection is read: a pong is the barrier.
		anouk.Send(map[string]any{"type": "ping", "id": "p-" + id})
		anouk.Until("pong", func(f map[string]any) bool { return f["id"] == "p-"+id })
	}
	send("m1", "<@"+sanneID+"> kun jij BSN 123.456.782 bellen? En <@"+daanID+">")
	f, _ := sanne.Until("notification", nil)
	item := f["item"].(map[string]any)
	if item["kind"] != "mention" || item["title"] != "Anouk de Vries noemde je in Den Helder-Centrum" || item["link"] != "/chat/"+teamCh+"?m=1" {
		t.Fatalf("live notification %v", item)
	}
	if text := item["text"].(string); strings.Contains(text, "782") || !strings.HasPrefix(text, "@Sanne Bakker kun jij BSN •••") {
		t.Fatalf("excerpt not masked: %q", text)
	}
	countMentions := func(c *apptest.Client) int {
		t.Helper()
		var page notificationPage
		if st := c.JSON("GET", "/api/v1/notifications", nil, &page); st != 200 {
			t.Fatalf("list: %d", st)
		}
		n := 0
		for _, it := range page.Items {
			if it.Kind == "mention" && strings.HasPrefix(it.Link, "/chat/") {
				n++
			}
		}
		return n
	}
	if countMentions(sanneC) != 1 {
		t.Fatal("sanne's centre lacks the mention")
	}
	if countMentions(daanC) != 0 {
		t.Fatal("daan (not a member) was notified of a team channel message")
	}
	// The same clientId again: a duplicate, no second notification.
	send("m1", "<@"+sanneID+"> kun jij BSN 123.456.782 bellen?")
	if countMentions(sanneC) != 1 {
		t.Fatal("a retried send notified twice")
	}

	// Sanne mutes the team channel: @team reaches Fatima, not her.
	var sum struct {
		Muted, Pinned bool
	}
	if st, b := sanneC.Do("PUT", "/api/v1/chat/channels/"+teamCh+"/prefs", map[string]any{"muted": true}); st != 200 || !strings.Contains(string(b), `"muted":true`) {
		t.Fatalf("mute: %d %s", st, b)
	}
	send("m2", "@team overdracht om 14:00")
	if countMentions(sanneC) != 1 {
		t.Fatal("@team reached a member who muted the channel")
	}
	if countMentions(fatimaC) != 1 {
		t.Fatal("@team did not reach fatima")
	}
	// Named, a muted member is still notified.
	send("m3", "<@"+sanneID+"> toch even kijken")
	if countMentions(sanneC) != 2 {
		t.Fatal("a named mention did not reach a member who muted the channel")
	}
	if st := sanneC.JSON("PUT", "/api/v1/chat/channels/"+teamCh+"/prefs", map[string]any{"muted": false, "pinned": true}, &sum); st != 200 || sum.Muted || !sum.Pinned {
		t.Fatalf("unmute and pin: %d %+v", st, sum)
	}
}

// TestChatPrefsAndPresenceHidden: settings are per user and member-only;
// bad input is refused with nothing stored; a user who hides their
// presence is reported offline to others, by the server.
func TestChatPrefsAndPresenceHidden(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anoukC, sanneC, daanC := srv.Login(t, "anouk.devries"), srv.Login(t, "sanne.bakker"), srv.Login(t, "daan.visser")

	// Refusals: not a member (not_found), no field, unknown field, wrong type.
	for _, tc := range []struct {
		c      *apptest.Client
		path   string
		body   any
		status int
		code   string
	}{
		{daanC, "/api/v1/chat/channels/" + teamCh + "/prefs", map[string]any{"muted": true}, 404, "not_found"},
		{daanC, "/api/v1/chat/channels/nope/prefs", map[string]any{"muted": true}, 404, "not_found"},
		{anoukC, "/api/v1/chat/channels/" + teamCh + "/prefs", map[string]any{}, 422, "validation"},
		{anoukC, "/api/v1/chat/channels/" + teamCh + "/prefs", map[string]any{"muted": "ja"}, 422, "validation"},
		{anoukC, "/api/v1/chat/channels/" + teamCh + "/prefs", map[string]any{"muted": true, "owner": "x"}, 422, "validation"},
		{anoukC, "/api/v1/chat/prefs", map[string]any{}, 422, "validation"},
		{anoukC, "/api/v1/chat/prefs", map[string]any{"hidePresence": 1}, 422, "validation"},
	} {
		st, b := tc.c.Do("PUT", tc.path, tc.body)
		if st != tc.status || apptest.ParseProblem(t, b).Code != tc.code {
			t.Fatalf("PUT %s %v: %d %s", tc.path, tc.body, st, b)
		}
	}
	var chans struct {
		Items []struct {
			ID            string
			Muted, Pinned bool
		}
	}
	anoukC.JSON("GET", "/api/v1/chat/channels", nil, &chans)
	for _, c := range chans.Items {
		if c.Muted || c.Pinned {
			t.Fatalf("a refused change was stored: %+v", c)
		}
	}

	anouk := anoukC.DialWS(t)
	anouk.Until("ready", nil)
	sanne := sanneC.DialWS(t)
	sready, _ := sanne.Until("ready", nil)
	sanneID := sready["user"].(map[string]any)["id"].(string)
	isSanne := func(f map[string]any) bool { return f["user"] == sanneID }
	if f, _ := anouk.Until("presence", isSanne); f["status"] != "online" {
		t.Fatalf("sanne online: %v", f)
	}
	var prefs struct{ HidePresence bool }
	if st := sanneC.JSON("PUT", "/api/v1/chat/prefs", map[string]any{"hidePresence": true}, &prefs); st != 200 || !prefs.HidePresence {
		t.Fatalf("hide: %d %+v", st, prefs)
	}
	f, _ := anouk.Until("presence", isSanne)
	if f["status"] != "offline" || f["lastSeen"] != nil {
		t.Fatalf("hidden sanne: %v (no last seen for a hidden person)", f)
	}
	// Her own other devices learn the setting.
	if f, _ := sanne.Until("prefs", nil); f["prefs"].(map[string]any)["hidePresence"] != true {
		t.Fatalf("prefs frame %v", f)
	}
	// A new connection of anouk's does not list her as online either.
	anouk2 := anoukC.DialWS(t)
	r, _ := anouk2.Until("ready", nil)
	if _, on := r["online"].(map[string]any)[sanneID]; on {
		t.Fatalf("ready lists hidden sanne: %v", r["online"])
	}
	// Showing it again.
	sanneC.JSON("PUT", "/api/v1/chat/prefs", map[string]any{"hidePresence": false}, &prefs)
	if f, _ := anouk.Until("presence", isSanne); f["status"] != "online" {
		t.Fatalf("sanne visible again: %v", f)
	}
	// Leaving: offline, with when she was last seen.
	_ = sanne.Conn.Close()
	if f, _ := anouk.Until("presence", isSanne); f["status"] != "offline" || f["lastSeen"] == nil {
		t.Fatalf("sanne left: %v", f)
	}
}

// TestChatReadReceipts: a member asks where everyone has read up to; a
// moved marker reaches the other members as one batched `receipts` frame;
// outsiders and bad frames are refused; the organisation can switch
// receipts off.
func TestChatReadReceipts(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anouk := srv.Login(t, "anouk.devries").DialWS(t)
	sanne := srv.Login(t, "sanne.bakker").DialWS(t)
	daan := srv.Login(t, "daan.visser").DialWS(t)
	if r, _ := anouk.Until("ready", nil); r["receipts"] != true {
		t.Fatalf("ready: receipts %v", r["receipts"])
	}
	sready, _ := sanne.Until("ready", nil)
	sanneID := sready["user"].(map[string]any)["id"].(string)
	daan.Until("ready", nil)
	for _, id := range []string{"a1", "a2"} {
		anouk.Send(map[string]any{"type": "send", "id": id, "ch": teamCh, "clientId": id, "body": "Overdracht " + id})
		anouk.Until("ack", func(f map[string]any) bool { return f["id"] == id })
	}
	anouk.Send(map[string]any{"type": "receipts", "id": "r1", "ch": teamCh})
	r, _ := anouk.Until("receipts", func(f map[string]any) bool { return f["id"] == "r1" })
	reads := r["reads"].(map[string]any)
	if r["off"] != false || reads[sanneID] != float64(0) || r["names"].(map[string]any)[sanneID] != "Sanne Bakker" {
		t.Fatalf("receipts %v", r)
	}
	// Sanne reads both: anouk gets one frame with her new marker.
	sanne.Send(map[string]any{"type": "read", "ch": teamCh, "seq": 1})
	sanne.Send(map[string]any{"type": "read", "ch": teamCh, "seq": 2})
	f, _ := anouk.Until("receipts", func(f map[string]any) bool {
		rd, _ := f["reads"].(map[string]any)
		return f["ch"] == teamCh && rd[sanneID] == float64(2)
	})
	if f["id"] != nil {
		t.Fatalf("a pushed receipts frame has no id: %v", f)
	}
	// Refused: not a member (not_found, nothing disclosed), no channel (bad_frame).
	daan.Send(map[string]any{"type": "receipts", "id": "d1", "ch": teamCh})
	if e, _ := daan.Until("error", nil); e["code"] != "not_found" || e["id"] != "d1" {
		t.Fatalf("outsider: %v", e)
	}
	daan.Send(map[string]any{"type": "receipts", "id": "d2"})
	if e, _ := daan.Until("error", nil); e["code"] != "bad_frame" {
		t.Fatalf("no channel: %v", e)
	}

	// Switched off for the organisation.
	off := apptest.Start(t, "PLEIN_CHAT_READ_RECEIPTS", "off")
	a2 := off.Login(t, "anouk.devries").DialWS(t)
	if r, _ := a2.Until("ready", nil); r["receipts"] != false {
		t.Fatalf("ready with receipts off: %v", r["receipts"])
	}
	a2.Send(map[string]any{"type": "receipts", "id": "r2", "ch": teamCh})
	r, _ = a2.Until("receipts", nil)
	if r["off"] != true || len(r["reads"].(map[string]any)) != 0 {
		t.Fatalf("receipts while off: %v", r)
	}
}
