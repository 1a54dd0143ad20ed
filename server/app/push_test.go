package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/push/pushtest"
)

type pushDevices struct {
	Items []struct {
		ID    string `json:"id"`
		Label string `json:"label"`
	} `json:"items"`
}

func subscribeBody(endpoint string, d *pushtest.Device) map[string]any {
	p, a := d.Keys()
	return map[string]any{"endpoint": endpoint, "keys": map[string]any{"p256dh": p, "auth": a}, "expirationTime": nil,
		"label": "Firefox op de laptop", "language": "nl"}
}

// TestPushSubscriptions: a person adds, lists and removes their own devices;
// another person can neither see nor remove them; bad input is refused
// with the field named and nothing stored is lost; writes need the CSRF
// token; settings round-trip.
func TestPushSubscriptions(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, "PLEIN_TEST_PUSH_LOOPBACK", "on")
	anouk, daan := srv.Login(t, "anouk.devries"), srv.Login(t, "daan.visser")
	ps := pushtest.NewService(t)

	var cfg struct {
		Enabled   bool   `json:"enabled"`
		PublicKey string `json:"publicKey"`
	}
	if st := anouk.JSON("GET", "/api/v1/push/config", nil, &cfg); st != 200 || !cfg.Enabled || len(cfg.PublicKey) < 80 {
		t.Fatalf("config: %d %+v", st, cfg)
	}
	var dev struct{ ID, Label string }
	if st := anouk.JSON("POST", "/api/v1/push/subscriptions", subscribeBody(ps.URL+"/laptop", pushtest.NewDevice(t)), &dev); st != 201 || dev.ID == "" || dev.Label != "Firefox op de laptop" {
		t.Fatalf("subscribe: %d %+v", st, dev)
	}
	var mine, theirs pushDevices
	if st := anouk.JSON("GET", "/api/v1/push/subscriptions", nil, &mine); st != 200 || len(mine.Items) != 1 || mine.Items[0].ID != dev.ID {
		t.Fatalf("list: %d %+v", st, mine)
	}
	if st, b := anouk.Do("GET", "/api/v1/push/subscriptions", nil); st != 200 || strings.Contains(string(b), ps.URL) {
		t.Fatalf("the list shows the endpoint: %s", b)
	}
	if st := daan.JSON("GET", "/api/v1/push/subscriptions", nil, &theirs); st != 200 || len(theirs.Items) != 0 {
		t.Fatalf("daan sees: %d %+v", st, theirs)
	}
	if st, b := daan.Do("DELETE", "/api/v1/push/subscriptions/"+dev.ID, nil); st != 404 || apptest.ParseProblem(t, b).Code != "not_found" {
		t.Fatalf("daan removed anouk's device: %d %s", st, b)
	}
	// Without the CSRF token: refused.
	if st, _ := anouk.Do("DELETE", "/api/v1/push/subscriptions/"+dev.ID, nil, "X-CSRF-Token", "forged"); st != 403 {
		t.Fatalf("delete without CSRF: %d", st)
	}

	// Bad input: problem+json naming the field; anouk keeps her device.
	good := subscribeBody(ps.URL+"/x", pushtest.NewDevice(t))
	bad := []struct {
		change func(map[string]any)
		field  string
		code   string
	}{
		{func(m map[string]any) { m["endpoint"] = "http://push.example.com/x" }, "endpoint", "push_endpoint_refused"},
		{func(m map[string]any) { m["endpoint"] = "https://192.168.1.10/x" }, "endpoint", "push_endpoint_refused"},
		{func(m map[string]any) { m["keys"] = map[string]any{"p256dh": "bm9wZQ", "auth": "bm9wZQ"} }, "keys.p256dh", "push_key_invalid"},
		{func(m map[string]any) { m["language"] = "fr" }, "language", "invalid_choice"},
	}
	for _, c := range bad {
		body := map[string]any{}
		for k, v := range good {
			body[k] = v
		}
		c.change(body)
		st, b := anouk.Do("POST", "/api/v1/push/subscriptions", body)
		p := apptest.ParseProblem(t, b)
		if st != 422 || len(p.Errors) == 0 || p.Errors[0].Field != c.field || p.Errors[0].Code != c.code {
			t.Errorf("%s: %d %s", c.field, st, b)
		}
	}
	if st, b := anouk.Do("POST", "/api/v1/push/subscriptions", map[string]any{"endpoint": ps.URL, "filter": map[string]any{"$ne": 1}}); st != 422 && st != 400 {
		t.Errorf("an unknown field: %d %s", st, b)
	}
	anouk.JSON("GET", "/api/v1/push/subscriptions", nil, &mine)
	if len(mine.Items) != 1 {
		t.Fatalf("bad input changed the devices: %+v", mine)
	}

	// Settings.
	var set struct {
		QuietHours struct {
			Enabled        bool
			From, To, Zone string
		} `json:"quietHours"`
		Language string `json:"language"`
	}
	if st := anouk.JSON("PUT", "/api/v1/push/settings", map[string]any{"quietHours": map[string]any{"enabled": true, "from": "22:00", "to": "07:00", "timeZone": "Europe/Amsterdam"}}, &set); st != 200 || !set.QuietHours.Enabled || set.Language != "nl" {
		t.Fatalf("settings: %d %+v", st, set)
	}
	if st, b := anouk.Do("PUT", "/api/v1/push/settings", map[string]any{"quietHours": map[string]any{"enabled": true, "from": "7 uur", "to": "07:00"}}); st != 422 || apptest.ParseProblem(t, b).Errors[0].Field != "quietHours.from" {
		t.Fatalf("bad quiet hours: %d %s", st, b)
	}
	if st, _ := anouk.Do("DELETE", "/api/v1/push/subscriptions/"+dev.ID, nil); st != 204 {
		t.Fatalf("delete: %d", st)
	}
	anouk.JSON("GET", "/api/v1/push/subscriptions", nil, &mine)
	if len(mine.Items) != 0 {
		t.Fatalf("after delete: %+v", mine)
	}
}

// TestPushForChatMentionAndMessage: with the receiver's app closed, a chat
// mention reaches their device through the notification centre, and so
// does a direct message; neither push carries the message text. During
// quiet hours nothing is pushed, but the mention is in the centre.
func TestPushForChatMentionAndMessage(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, "PLEIN_TEST_PUSH_LOOPBACK", "on")
	anoukC, sanneC := srv.Login(t, "anouk.devries"), srv.Login(t, "sanne.bakker")
	ps := pushtest.NewService(t)
	dev := pushtest.NewDevice(t)
	if st, b := sanneC.Do("POST", "/api/v1/push/subscriptions", subscribeBody(ps.URL+"/sanne", dev)); st != 201 {
		t.Fatalf("subscribe: %d %s", st, b)
	}
	anouk := anoukC.DialWS(t) // sanne's app is closed: no connection of hers
	anouk.Until("ready", nil)
	sanneID := userID(t, sanneC)

	send := func(ch, id, body string) {
		t.Helper()
		anouk.Send(map[string]any{"type": "send", "id": id, "ch": ch, "clientId": id, "body": body, "acknowledgeIdentifiers": true})
		anouk.Until("ack", func(f map[string]any) bool { return f["id"] == id })
		// Notices are handed to the notification centre before the next
		// frame of this connection is read: a pong is the barrier.
		anouk.Send(map[string]any{"type": "ping", "id": "p-" + id})
		anouk.Until("pong", func(f map[string]any) bool { return f["id"] == "p-"+id })
	}
	open := func() map[string]string {
		t.Helper()
		got := ps.Next(t)
		pushtest.CheckVAPID(t, got.Header, srv.App.Push.PublicKey(), "mailto:beheer@example.nl", ps.URL)
		plain, err := dev.Decrypt(got.Body)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(plain, &m); err != nil {
			t.Fatal(err)
		}
		for _, leak := range []string{"insuline", "Jansen", "de Vries"} {
			if strings.Contains(string(plain), leak) {
				t.Fatalf("the push carries %q: %s", leak, plain)
			}
		}
		return m
	}
	send(teamCh, "m1", "<@"+sanneID+"> mevrouw Jansen heeft haar insuline niet genomen")
	if m := open(); m["title"] != "Anouk noemde je" || m["body"] != "in Den Helder-Centrum" || m["url"] != "/chat/"+teamCh+"?m=1" {
		t.Fatalf("mention push: %v", m)
	}
	var dm struct{ ID string }
	if st := anoukC.JSON("POST", "/api/v1/chat/dm", map[string]any{"userIds": []string{sanneID}}, &dm); st != 200 {
		t.Fatalf("dm: %d", st)
	}
	send(dm.ID, "d1", "insuline bij mevrouw Jansen?")
	if m := open(); m["title"] != "Nieuw bericht van Anouk" || m["body"] != "" || !strings.HasPrefix(m["url"], "/chat/"+dm.ID+"?m=") {
		t.Fatalf("message push: %v", m)
	}

	// Quiet from an hour ago to two hours from now: no push, the centre has it.
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	now := srv.Now().In(loc)
	quiet := map[string]any{"enabled": true, "from": now.Add(-time.Hour).Format("15:04"), "to": now.Add(2 * time.Hour).Format("15:04"), "timeZone": "Europe/Amsterdam"}
	if st, b := sanneC.Do("PUT", "/api/v1/push/settings", map[string]any{"quietHours": quiet}); st != 200 {
		t.Fatalf("quiet: %d %s", st, b)
	}
	send(teamCh, "m2", "<@"+sanneID+"> nog een vraag")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.App.Notify.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Push.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	ps.None(t)
	var page notificationPage
	sanneC.JSON("GET", "/api/v1/notifications", nil, &page)
	if len(page.Items) < 2 || page.Items[0].Link != "/chat/"+teamCh+"?m=2" {
		t.Fatalf("the centre lacks the quiet mention: %+v", page.Items)
	}
}

// TestLogoutTurnsPushOff: logging out turns push off on the device turned
// on in that session; the person's device in another session keeps it.
func TestLogoutTurnsPushOff(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, "PLEIN_TEST_PUSH_LOOPBACK", "on")
	phone, laptop := srv.Login(t, "anouk.devries"), srv.Login(t, "anouk.devries")
	ps := pushtest.NewService(t)
	var onPhone, onLaptop struct{ ID string }
	if st := phone.JSON("POST", "/api/v1/push/subscriptions", subscribeBody(ps.URL+"/phone", pushtest.NewDevice(t)), &onPhone); st != 201 {
		t.Fatalf("subscribe the phone: %d", st)
	}
	if st := laptop.JSON("POST", "/api/v1/push/subscriptions", subscribeBody(ps.URL+"/laptop", pushtest.NewDevice(t)), &onLaptop); st != 201 {
		t.Fatalf("subscribe the laptop: %d", st)
	}
	if st, _ := phone.Do("POST", "/api/v1/auth/logout", nil); st != 200 {
		t.Fatalf("logout: %d", st)
	}
	var mine pushDevices
	if st := laptop.JSON("GET", "/api/v1/push/subscriptions", nil, &mine); st != 200 || len(mine.Items) != 1 || mine.Items[0].ID != onLaptop.ID {
		t.Fatalf("after the phone's logout: %d %+v (phone %s)", st, mine, onPhone.ID)
	}
	if st, _ := laptop.Do("POST", "/api/v1/auth/logout", nil); st != 200 {
		t.Fatalf("logout: %d", st)
	}
	again := srv.Login(t, "anouk.devries")
	if st := again.JSON("GET", "/api/v1/push/subscriptions", nil, &mine); st != 200 || len(mine.Items) != 0 {
		t.Fatalf("after both logouts: %d %+v", st, mine)
	}
}
