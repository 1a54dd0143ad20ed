package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/doctext"
)

func (s searchGroups) has(typ, id string) bool {
	for _, g := range s.Groups {
		for _, it := range g.Items {
			if g.Type == typ && it.ID == id {
				return true
			}
		}
	}
	return false
}

// TestSearchMatrix: global search over roles × visibilities. Every piece of
// content carries its own word; every demo role searches every word, and
// finds exactly the content it may open, whatever the group.
func TestSearchMatrix(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	searchDone := make(chan struct{})
	go func() { defer close(searchDone); srv.App.Search.Run(ctx) }()
	defer func() { cancel(); <-searchDone }()

	// Care workers of two teams, a district nurse, a coordinating district
	// nurse (no team), a support service editor, a regional manager and an
	// administrator.
	subs := []string{"anouk.devries", "fatima.elamrani", "daan.visser", "marieke.jansen", "ilse.dekker", "johan.mulder", "yvonne.kramer"}
	users := map[string]*apptest.Client{}
	for _, s := range subs {
		users[s] = srv.Login(t, s)
	}
	anouk, daan := users["anouk.devries"], users["daan.visser"]
	tag := fmt.Sprintf("%d", time.Now().UnixNano()%1_000_000)
	word := func(w string) string { return w + tag } // letters then digits: kept whole by the analyser

	must := func(st int, b []byte, what string) {
		t.Helper()
		if st != 201 {
			t.Fatalf("%s: %d %s", what, st, b)
		}
	}
	dhc := "/api/v1/spaces/den-helder-centrum"
	st, b := anouk.Do("POST", dhc+"/posts", map[string]any{"body": "Teamafspraak " + word("teampost"), "visibility": "team"})
	must(st, b, "team post")
	st, b = anouk.Do("POST", dhc+"/posts", map[string]any{"body": "Open dag " + word("orgpost"), "visibility": "organisation"})
	must(st, b, "organisation post")
	st, b = anouk.Upload(dhc+"/documents", word("teamdoc")+".txt", []byte("notulen\n"), "folder", "/")
	must(st, b, "team document")
	pdf := doctext.SimplePDF("Werkinstructie", []string{"Het " + word("pdfinhoud") + " formulier staat in de map."})
	st, b = anouk.Upload(dhc+"/documents", "werkinstructie.pdf", pdf, "folder", "/")
	must(st, b, "team PDF")

	var community struct {
		ID string `json:"id"`
	}
	if st := daan.JSON("POST", "/api/v1/communities", map[string]any{"name": "Netwerk " + word("netwerk"), "description": "Voor iedereen"}, &community); st != 201 {
		t.Fatalf("community: %d", st)
	}
	cs := "/api/v1/spaces/" + community.ID
	st, b = daan.Do("POST", cs+"/posts", map[string]any{"body": "Voor het netwerk " + word("netwerkpost"), "visibility": "organisation"})
	must(st, b, "community post")
	st, b = daan.Upload(cs+"/documents", word("netwerkdoc")+".md", []byte("# Netwerk\n"), "folder", "/")
	must(st, b, "community document")

	ws := anouk.DialWS(t)
	ws.Send(map[string]any{"type": "send", "id": "1", "ch": "t-den-helder-centrum", "clientId": "c-" + tag, "body": "Wie neemt " + word("chatbericht") + " mee?"})
	ws.Until("ack", func(map[string]any) bool { return true })

	sctx, scancel := context.WithTimeout(ctx, 30*time.Second)
	defer scancel()
	if err := srv.App.Search.Settle(sctx); err != nil {
		t.Fatal(err)
	}

	all := subs
	dhcTeam := []string{"anouk.devries", "fatima.elamrani"}
	editors := []string{"ilse.dekker", "yvonne.kramer"}
	cases := []struct {
		what, q, typ string
		who          []string // who finds it; everyone else must not
		id           string   // the hit to look for, when other content matches q too
	}{
		{"team-only post", word("teampost"), "post", dhcTeam, ""},
		{"organisation post", word("orgpost"), "post", all, ""},
		{"team document by name", word("teamdoc"), "document", dhcTeam, ""},
		{"team document by its contents", word("pdfinhoud"), "document", dhcTeam, ""},
		{"community post", word("netwerkpost"), "post", all, ""},
		{"open community", word("netwerk"), "community", all, ""},
		{"community document", word("netwerkdoc"), "document", all, ""},
		{"team chat message", word("chatbericht"), "message", dhcTeam, ""},
		{"article for district nurses", "katheteriseren", "article", append([]string{"fatima.elamrani"}, editors...), "zorgverlening-katheteriseren"},
		{"article for region Texel", "veerboot", "article", editors, "zorgverlening-texel-veerboot"},
		{"article for everyone", "handhygiene", "article", all, "hygiene-handhygiene"},
	}
	for _, c := range cases {
		for _, who := range subs {
			g := searchAs(t, users[who], c.q, c.typ)
			found := g.total(c.typ) > 0
			if c.id != "" {
				found = g.has(c.typ, c.id)
			}
			if want := slices.Contains(c.who, who); found != want {
				t.Errorf("%s (%q): %s finds it: %v, want %v", c.what, c.q, who, found, want)
			}
		}
	}

	// Membership is read at search time: an administrator adds Daan to the
	// team and he finds the team's post, document and chat message; removed,
	// he finds none again.
	var session struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	if st := daan.JSON("GET", "/api/v1/session", nil, &session); st != 200 || session.User.ID == "" {
		t.Fatalf("session: %d %+v", st, session)
	}
	member := "/api/v1/teams/den-helder-centrum/members/" + session.User.ID
	admin := users["yvonne.kramer"]
	for _, step := range []struct {
		method string
		want   bool
	}{{"PUT", true}, {"DELETE", false}} {
		if st, b := admin.Do(step.method, member, map[string]any{"teamRoles": []string{}}); st/100 != 2 {
			t.Fatalf("%s member: %d %s", step.method, st, b)
		}
		for _, c := range []struct{ q, typ string }{{word("teampost"), "post"}, {word("pdfinhoud"), "document"}, {word("chatbericht"), "message"}} {
			if found := searchAs(t, daan, c.q, c.typ).total(c.typ) > 0; found != step.want {
				t.Errorf("after %s member: daan finds %s %q: %v", step.method, c.typ, c.q, found)
			}
		}
	}
}
