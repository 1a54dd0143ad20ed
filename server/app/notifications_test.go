package app_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/app/apptest"
)

type notificationPage struct {
	Items []struct {
		ID    string `json:"id"`
		Kind  string `json:"kind"`
		Title string `json:"title"`
		Link  string `json:"link"`
		Read  bool   `json:"read"`
	} `json:"items"`
	Unread int `json:"unread"`
}

// TestNotificationsFromKnowledge: publishing a protocol that asks for
// confirmation notifies its audience live over the websocket and in the
// notification centre, and only its audience.
func TestNotificationsFromKnowledge(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	ilse, yvonne := srv.Login(t, "ilse.dekker"), srv.Login(t, "yvonne.kramer")
	anouk, daan := srv.Login(t, "anouk.devries"), srv.Login(t, "daan.visser")
	ws := anouk.DialWS(t)

	body := map[string]any{"title": "Nieuw protocol wondspoelen", "summary": "Spoelen met kraanwater.", "category": "wondzorg",
		"type": "protocol", "tags": []string{"wond"}, "owner": "kwaliteit", "audience": map[string]any{"everyone": false, "teams": []string{"den-helder-centrum"}},
		"body": "1. Spoel de wond.\n", "requiresConfirmation": true, "reviewDue": srv.Now().AddDate(0, 9, 0).Format(time.DateOnly), "related": []string{}, "externalUrl": ""}
	var created struct{ ID string }
	if st := ilse.JSON("POST", "/api/v1/knowledge/articles", body, &created); st != 201 {
		t.Fatalf("create: %d", st)
	}
	if st, b := ilse.Do("POST", "/api/v1/knowledge/articles/"+created.ID+"/submit", map[string]any{"changeNote": "", "major": true}); st != 200 {
		t.Fatalf("submit: %d %s", st, b)
	}
	if st, b := yvonne.Do("POST", "/api/v1/knowledge/articles/"+created.ID+"/approve", map[string]any{}); st != 200 {
		t.Fatalf("approve: %d %s", st, b)
	}
	// Live.
	f, _ := ws.Until("notification", func(f map[string]any) bool {
		item, _ := f["item"].(map[string]any)
		return item != nil && item["kind"] == "article_confirm"
	})
	item := f["item"].(map[string]any)
	if item["link"] != "/kennisbank/"+created.ID || item["title"] != "Nieuw protocol wondspoelen" {
		t.Fatalf("live notification: %v", item)
	}
	// In the centre, unread.
	var page notificationPage
	if st := anouk.JSON("GET", "/api/v1/notifications", nil, &page); st != 200 {
		t.Fatalf("list: %d", st)
	}
	if len(page.Items) == 0 || page.Items[0].Kind != "article_confirm" || page.Items[0].Read || page.Unread < 1 {
		t.Fatalf("anouk's notifications: %+v", page)
	}
	// Not for a team outside the audience.
	var other notificationPage
	daan.JSON("GET", "/api/v1/notifications", nil, &other)
	for _, it := range other.Items {
		if strings.Contains(it.Link, created.ID) {
			t.Fatalf("daan was notified of an article not addressed to him: %+v", it)
		}
	}
	// Another user's notification cannot be marked read; the owner can.
	st, b := daan.Do("POST", "/api/v1/notifications/read", map[string]any{"ids": []string{page.Items[0].ID}})
	if st != 404 {
		t.Fatalf("daan marked anouk's notification: %d %s", st, b)
	}
	st, b = anouk.Do("POST", "/api/v1/notifications/read", map[string]any{"ids": []string{page.Items[0].ID}})
	var unread struct{ Unread int }
	_ = json.Unmarshal(b, &unread)
	if st != 200 || unread.Unread != page.Unread-1 {
		t.Fatalf("mark read: %d %s (was %d unread)", st, b, page.Unread)
	}
	// Bad input.
	st, b = anouk.Do("POST", "/api/v1/notifications/read", map[string]any{"ids": "alles"})
	if p := apptest.ParseProblem(t, b); st != 422 || !strings.Contains(p.FieldErrors(), "ids") {
		t.Fatalf("bad ids: %d %s", st, b)
	}
}
