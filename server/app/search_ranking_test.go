package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/globalsearch"
)

type rankedGroups struct {
	Groups []struct {
		Type      string `json:"type"`
		Total     int    `json:"total"`
		Corrected string `json:"corrected"`
		Items     []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"items"`
	} `json:"groups"`
}

// Search ranking on the demo organisation (#14 §7): protocols before
// posts, people by name only and capped, typos still found with "bedoelde
// je".
func TestSearchRankingDemo(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); srv.App.Search.Run(ctx) }()
	defer func() { cancel(); <-done }()
	anouk := srv.Login(t, "anouk.devries")
	if st, b := anouk.Do("POST", "/api/v1/spaces/den-helder-centrum/posts",
		map[string]any{"body": "Wie heeft de nieuwe insuline pennen al gezien?", "visibility": "team"}); st != 201 {
		t.Fatalf("post: %d %s", st, b)
	}
	sctx, scancel := context.WithTimeout(ctx, 30*time.Second)
	defer scancel()
	if err := srv.App.Search.Settle(sctx); err != nil {
		t.Fatal(err)
	}
	search := func(q string) rankedGroups {
		t.Helper()
		var g rankedGroups
		if st := anouk.JSON("GET", "/api/v1/search?limit=20&q="+url.QueryEscape(q), nil, &g); st != 200 {
			t.Fatalf("search %q: %d", q, st)
		}
		return g
	}
	group := func(g rankedGroups, typ string) (int, int, string, []string) {
		for i, x := range g.Groups {
			if x.Type == typ {
				var titles []string
				for _, it := range x.Items {
					titles = append(titles, it.Title)
				}
				return i, x.Total, x.Corrected, titles
			}
		}
		t.Fatalf("no %s group", typ)
		return 0, 0, "", nil
	}

	// The protocol comes before the post that says the same word.
	g := search("insuline")
	ai, at, _, _ := group(g, "article")
	pi, pt, _, _ := group(g, "post")
	if at == 0 || pt == 0 || ai > pi {
		t.Fatalf("insuline: article group %d (%d hits), post group %d (%d hits)", ai, at, pi, pt)
	}

	// "zorg" is in team names and roles, not in names: no people.
	if _, n, _, names := group(search("zorg"), "person"); n != 0 {
		t.Fatalf("zorg finds %d people: %v", n, names)
	}
	// People by first or last name, a prefix, or with a typo.
	for q, want := range map[string]string{"anouk": "Anouk de Vries", "vries": "Anouk de Vries", "anou": "Anouk de Vries", "anuok": "Anouk de Vries"} {
		_, _, _, names := group(search(q), "person")
		if len(names) == 0 || !containsName(names, want) {
			t.Errorf("%q finds people %v, want %s", q, names, want)
		}
	}
	// A name many share is capped to one page of MaxPeople, grouped.
	if _, n, _, names := group(search("de"), "person"); len(names) > globalsearch.MaxPeople || n < len(names) {
		t.Fatalf("de: %d people shown of %d", len(names), n)
	}

	// Typos still find the protocols, with "bedoelde je".
	for q, want := range map[string]string{"insulne": "insulin", "decubitis": "decubitus"} {
		_, n, corrected, _ := group(search(q), "article")
		if n == 0 || !strings.Contains(corrected, want) {
			t.Errorf("%q: %d articles, corrected %q (want %q)", q, n, corrected, want)
		}
	}
}

func containsName(names []string, want string) bool {
	for _, n := range names {
		if n == want {
			return true
		}
	}
	return false
}
