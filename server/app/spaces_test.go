package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/doctext"
	"github.com/plein/plein/server/photo/phototest"
)

type searchGroups struct {
	Groups []struct {
		Type  string `json:"type"`
		Total int    `json:"total"`
		Items []struct {
			ID   string `json:"id"`
			Link string `json:"link"`
		} `json:"items"`
	} `json:"groups"`
}

func (s searchGroups) total(typ string) int {
	for _, g := range s.Groups {
		if g.Type == typ {
			return g.Total
		}
	}
	return -1
}

func searchAs(t *testing.T, c *apptest.Client, q, types string) searchGroups {
	t.Helper()
	var out searchGroups
	if st := c.JSON("GET", "/api/v1/search?q="+q+"&types="+types, nil, &out); st != 200 {
		t.Fatalf("search %q: %d", q, st)
	}
	return out
}

// TestSpacesVisibility: a team-only post, its document and its event never
// leak to another team — not by direct link, not in search, not in the
// calendar feed, not in notifications — while the colleague in the same team
// is notified live and finds it. Searching is access-logged.
func TestSpacesVisibility(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anouk, sanne, daan, ilse := srv.Login(t, "anouk.devries"), srv.Login(t, "sanne.bakker"), srv.Login(t, "daan.visser"), srv.Login(t, "ilse.dekker")
	sanneWS := sanne.DialWS(t)
	word := fmt.Sprintf("zwaluwstaart%d", time.Now().UnixNano()%100000)

	// A team-only agreement with an image, pinned.
	var post struct {
		ID     string `json:"id"`
		Pinned bool   `json:"pinned"`
	}
	if st := anouk.JSON("POST", "/api/v1/spaces/den-helder-centrum/posts", map[string]any{
		"body": "Afspraak: we gebruiken het " + word + " rooster.", "visibility": "team", "agreement": true}, &post); st != 201 {
		t.Fatalf("post: %d", st)
	}
	png := phototest.PNG(t, 1, 1) // images must decode (server/photo)
	var staged struct {
		ID string `json:"id"`
	}
	if st, b := anouk.Upload("/api/v1/spaces/den-helder-centrum/uploads", "rooster.png", png); st != 201 || json.Unmarshal(b, &staged) != nil {
		t.Fatalf("stage: %d %s", st, b)
	}
	if st, b := anouk.Do("PATCH", "/api/v1/spaces/den-helder-centrum/posts/"+post.ID, map[string]any{"attachments": []string{staged.ID}}); st != 200 {
		t.Fatalf("attachment: %d %s", st, b)
	}
	if st := anouk.JSON("PUT", "/api/v1/spaces/den-helder-centrum/posts/"+post.ID+"/pin", map[string]any{"pinned": true}, &post); st != 200 || !post.Pinned {
		t.Fatalf("pin: %d %+v", st, post)
	}
	// Sanne is told live.
	f, _ := sanneWS.Until("notification", func(f map[string]any) bool {
		item, _ := f["item"].(map[string]any)
		return item != nil && strings.Contains(fmt.Sprint(item["link"]), post.ID)
	})
	if f == nil {
		t.Fatal("no live notification")
	}
	// Same team: visible and findable; another team and support staff: not.
	if st, _ := sanne.Do("GET", "/api/v1/spaces/den-helder-centrum/posts/"+post.ID, nil); st != 200 {
		t.Fatalf("sanne reads the post: %d", st)
	}
	for name, c := range map[string]*apptest.Client{"daan": daan, "ilse": ilse} {
		if st, _ := c.Do("GET", "/api/v1/spaces/den-helder-centrum/posts/"+post.ID, nil); st != 404 {
			t.Errorf("%s reads a team-only post: %d", name, st)
		}
		if st, _ := c.Do("GET", "/api/v1/spaces/den-helder-centrum/posts/"+post.ID+"/attachments/f1", nil); st != 404 {
			t.Errorf("%s reads its attachment: %d", name, st)
		}
		if n := searchAs(t, c, word, "post").total("post"); n != 0 {
			t.Errorf("%s finds the team-only post: %d", name, n)
		}
		var notes notificationPage
		c.JSON("GET", "/api/v1/notifications", nil, &notes)
		for _, it := range notes.Items {
			if strings.Contains(it.Link, post.ID) {
				t.Errorf("%s was notified of a team-only post", name)
			}
		}
	}
	if n := searchAs(t, sanne, word, "post").total("post"); n != 1 {
		t.Fatalf("sanne finds %d posts", n)
	}
	// An organisation-wide post is found by everyone.
	orgWord := word + "x"
	if st, _ := anouk.Do("POST", "/api/v1/spaces/den-helder-centrum/posts", map[string]any{"body": "Open dag: " + orgWord, "visibility": "organisation"}); st != 201 {
		t.Fatalf("org post: %d", st)
	}
	if n := searchAs(t, daan, orgWord, "post").total("post"); n != 1 {
		t.Fatalf("daan finds %d organisation posts", n)
	}

	// Documents: members only.
	if st, b := anouk.Upload("/api/v1/spaces/den-helder-centrum/documents", word+"-notulen.txt", []byte("notulen\n"), "folder", "/"); st != 201 {
		t.Fatalf("document: %d %s", st, b)
	}
	if n := searchAs(t, sanne, word, "document").total("document"); n != 1 {
		t.Fatalf("sanne finds %d documents", n)
	}
	if n := searchAs(t, daan, word, "document").total("document"); n != 0 {
		t.Fatalf("daan finds %d documents of another team", n)
	}
	// Their contents too (PDF text, extracted at upload and indexed in the background).
	ctx, cancel := context.WithCancel(context.Background())
	searchDone := make(chan struct{})
	go func() { defer close(searchDone); srv.App.Search.Run(ctx) }()
	defer func() { cancel(); <-searchDone }()
	inner := word + "binnen"
	pdf := doctext.SimplePDF("Werkinstructie", []string{"Bij de cliënt gebruiken we het " + inner + " formulier."})
	if st, b := anouk.Upload("/api/v1/spaces/den-helder-centrum/documents", "werkinstructie.pdf", pdf, "folder", "/"); st != 201 {
		t.Fatalf("pdf document: %d %s", st, b)
	}
	sctx, scancel := context.WithTimeout(ctx, 30*time.Second)
	defer scancel()
	if err := srv.App.Search.Settle(sctx); err != nil {
		t.Fatal(err)
	}
	if g := searchAs(t, sanne, inner, "document"); g.total("document") != 1 {
		t.Fatalf("sanne finds %d documents by their contents", g.total("document"))
	}
	if n := searchAs(t, daan, inner, "document").total("document"); n != 0 {
		t.Fatalf("daan finds %d documents of another team by their contents", n)
	}

	// Chat messages: only channel members find them.
	anoukWS := anouk.DialWS(t)
	anoukWS.Send(map[string]any{"type": "send", "id": "1", "ch": "t-den-helder-centrum", "clientId": "c-" + word, "body": "Wie neemt " + word + " mee?"})
	anoukWS.Until("ack", func(map[string]any) bool { return true })
	if n := searchAs(t, sanne, word, "message").total("message"); n != 1 {
		t.Fatalf("sanne finds %d chat messages", n)
	}
	if n := searchAs(t, daan, word, "message").total("message"); n != 0 {
		t.Fatalf("daan finds %d chat messages of another team", n)
	}

	// A team-only event is in the team's calendar feeds and nobody else's.
	start := srv.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	end := srv.Now().Add(50 * time.Hour).UTC().Format(time.RFC3339)
	if st, b := anouk.Do("POST", "/api/v1/spaces/den-helder-centrum/events", map[string]any{"title": "Teamoverleg " + word, "start": start, "end": end,
		"allDay": false, "location": "Kantoor", "description": "", "visibility": "team"}); st != 201 {
		t.Fatalf("event: %d %s", st, b)
	}
	feed := func(c *apptest.Client) string {
		var u struct{ URL string }
		if st := c.JSON("GET", "/api/v1/spaces/calendar-feed", nil, &u); st != 200 {
			t.Fatalf("feed url: %d", st)
		}
		path := u.URL[strings.Index(u.URL, "/ical/"):]
		anon := srv.NewClient(t)
		st, b := anon.Do("GET", path, nil)
		if st != 200 {
			t.Fatalf("feed: %d", st)
		}
		return string(b)
	}
	if !strings.Contains(feed(sanne), word) {
		t.Fatal("the event is missing from sanne's feed")
	}
	if strings.Contains(feed(daan), word) {
		t.Fatal("the team-only event is in daan's feed")
	}

	// Bad searches, and the access log.
	st, b := sanne.Do("GET", "/api/v1/search?q=&types=posts", nil)
	p := apptest.ParseProblem(t, b)
	if st != 422 || !strings.Contains(p.FieldErrors(), "q") || !strings.Contains(p.FieldErrors(), "types[0]") {
		t.Fatalf("bad search: %d %s", st, b)
	}
	var out json.RawMessage
	if st := sanne.JSON("GET", "/api/v1/search?q=insuline", nil, &out); st != 200 || !strings.Contains(string(out), "medicatie-insuline-injecteren") {
		t.Fatalf("global search for an article: %d %.300s", st, out)
	}
}
