package teamspace

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/plein/plein/server/apperr"
)

const dhc0 = "den-helder-centrum"

// Team-only posts never reach non-members: not in lists, not by link, not
// through comments, reactions or attachments, not in notifications.
func TestTeamPostsStayInTheTeam(t *testing.T) {
	e := newEnv(t)
	secret := e.mustPost(anouk, dhc0, VisibilityTeam, "Sleutelkluis-code is gewijzigd, vraag hem aan Sanne. "+mention(daan))
	public := e.mustPost(anouk, dhc0, VisibilityOrganisation, "Wij delen graag onze valpreventie-checklist. "+mention(daan))

	// A member sees both, newest first.
	w := e.do(sanne, "GET", "/api/v1/spaces/den-helder-centrum/posts", nil)
	wantStatus(t, w, 200)
	page := decode[PostPage](t, w)
	if len(page.Items) != 2 || page.Items[0].ID != public.ID || page.Items[1].ID != secret.ID {
		t.Fatalf("member sees %+v", page.Items)
	}

	// A non-member sees only the organisation-wide post, everywhere.
	w = e.do(daan, "GET", "/api/v1/spaces/den-helder-centrum/posts", nil)
	wantStatus(t, w, 200)
	page = decode[PostPage](t, w)
	if len(page.Items) != 1 || page.Items[0].ID != public.ID {
		t.Fatalf("non-member sees %+v", page.Items)
	}
	if strings.Contains(w.Body.String(), "Sleutelkluis") {
		t.Fatal("team-only text leaked into the list")
	}
	for _, path := range []string{
		"/api/v1/spaces/den-helder-centrum/posts/" + secret.ID,
		"/api/v1/spaces/den-helder-centrum/posts/" + secret.ID + "/comments",
		"/api/v1/spaces/den-helder-centrum/posts/" + secret.ID + "/attachments/f1",
		"/api/v1/spaces/julianadorp/posts/" + secret.ID, // another space's id
	} {
		w := e.do(daan, "GET", path, nil)
		wantStatus(t, w, http.StatusNotFound)
		if strings.Contains(w.Body.String(), "Sleutelkluis") {
			t.Fatalf("%s leaked the post", path)
		}
	}
	for _, req := range []struct{ method, path string }{
		{"POST", "/api/v1/spaces/den-helder-centrum/posts/" + secret.ID + "/comments"},
		{"PUT", "/api/v1/spaces/den-helder-centrum/posts/" + secret.ID + "/reactions/" + url.PathEscape("👍")},
		{"PUT", "/api/v1/spaces/den-helder-centrum/posts/" + secret.ID + "/pin"},
		{"DELETE", "/api/v1/spaces/den-helder-centrum/posts/" + secret.ID},
	} {
		var body any
		switch req.method {
		case "POST":
			body = map[string]any{"body": "hallo"}
		case "PUT":
			if strings.HasSuffix(req.path, "/pin") {
				body = map[string]any{"pinned": true}
			}
		}
		w := e.do(daan, req.method, req.path, body)
		wantStatus(t, w, http.StatusNotFound)
	}
	// The administrator is not a member either: no exception for reading.
	wantStatus(t, e.do(yvonne, "GET", "/api/v1/spaces/den-helder-centrum/posts/"+secret.ID, nil), http.StatusNotFound)

	// Notifications: members got "post"; Daan, mentioned in both, only for
	// the organisation-wide one.
	if got := kinds(e.notes.to(sanne)); !slices.Equal(got, []string{NoticePost, NoticePost}) {
		t.Fatalf("sanne got %v", got)
	}
	if got := kinds(e.notes.to(anouk)); len(got) != 0 {
		t.Fatalf("the author was notified: %v", got)
	}
	got := e.notes.to(daan)
	if len(got) != 1 || got[0].Kind != NoticeMention || !strings.HasSuffix(got[0].Link, "/berichten/"+public.ID) {
		t.Fatalf("daan got %+v", got)
	}
	for _, n := range e.notes.to(daan) {
		if strings.Contains(n.Text, "Sleutelkluis") {
			t.Fatal("team-only text in a non-member's notification")
		}
	}

	// Comments on a team-only post mentioning a non-member do not reach them.
	e.notes.reset()
	if _, err := e.svc.AddComment(context.Background(), e.actor(sanne), dhc0, secret.ID, CommentInput{Body: "Dank! " + mention(daan)}); err != nil {
		t.Fatal(err)
	}
	if got := e.notes.to(daan); len(got) != 0 {
		t.Fatalf("non-member notified of a team-only comment: %+v", got)
	}
	if got := kinds(e.notes.to(anouk)); !slices.Equal(got, []string{NoticeReply}) {
		t.Fatalf("author got %v, want a reply notice", got)
	}

	// Leaving the team takes the team-only posts away at once.
	e.org.setMember(dhc0, fatima, false)
	if _, err := e.svc.GetPost(context.Background(), e.actor(fatima), dhc0, secret.ID); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("former member reads team post: %v", err)
	}
	if !e.svc.CanSee(sanne, dhc0, VisibilityTeam) || e.svc.CanSee(fatima, dhc0, VisibilityTeam) || !e.svc.CanSee(fatima, dhc0, VisibilityOrganisation) {
		t.Fatal("CanSee disagrees with the rules")
	}
}

func TestEditRights(t *testing.T) {
	e := newEnv(t)
	p := e.mustPost(anouk, dhc0, VisibilityOrganisation, "Eerste versie")
	path := "/api/v1/spaces/den-helder-centrum/posts/" + p.ID

	// Non-members post nowhere but in their own spaces.
	wantStatus(t, e.do(daan, "POST", "/api/v1/spaces/den-helder-centrum/posts", map[string]any{"body": "x", "visibility": "team"}), http.StatusForbidden)
	wantStatus(t, e.do(daan, "POST", "/api/v1/spaces/nergens/posts", map[string]any{"body": "x", "visibility": "team"}), http.StatusNotFound)

	// Only the author edits.
	wantStatus(t, e.do(sanne, "PATCH", path, map[string]any{"body": "Door Sanne"}), http.StatusForbidden)
	wantStatus(t, e.do(daan, "PATCH", path, map[string]any{"body": "Door Daan"}), http.StatusForbidden)
	w := e.do(anouk, "PATCH", path, map[string]any{"body": "Tweede versie", "visibility": "team"})
	wantStatus(t, w, 200)
	got := decode[Post](t, w)
	if got.Body != "Tweede versie" || got.Visibility != VisibilityTeam || got.EditedAt == nil || !strings.Contains(got.BodyHTML, "Tweede versie") {
		t.Fatalf("edited post %+v", got)
	}
	// Now team-only: Daan no longer sees it.
	wantStatus(t, e.do(daan, "GET", path, nil), http.StatusNotFound)

	// Pinning: members, not others who can see the post.
	q := e.mustPost(sanne, dhc0, VisibilityOrganisation, "Openbaar")
	qpath := "/api/v1/spaces/den-helder-centrum/posts/" + q.ID
	wantStatus(t, e.do(daan, "PUT", qpath+"/pin", map[string]any{"pinned": true}), http.StatusForbidden)
	w = e.do(fatima, "PUT", qpath+"/pin", map[string]any{"pinned": true})
	wantStatus(t, w, 200)
	if !decode[Post](t, w).Pinned {
		t.Fatal("not pinned")
	}
	w = e.do(daan, "GET", "/api/v1/spaces/den-helder-centrum/posts?pinned=true", nil)
	if page := decode[PostPage](t, w); len(page.Items) != 1 || page.Items[0].ID != q.ID || page.Items[0].CanPin {
		t.Fatalf("pinned list %+v", page.Items)
	}

	// Deleting: the author or an administrator who can see the post.
	wantStatus(t, e.do(anouk, "DELETE", qpath, nil), http.StatusForbidden)
	wantStatus(t, e.do(daan, "DELETE", qpath, nil), http.StatusForbidden)
	wantStatus(t, e.do(yvonne, "DELETE", qpath, nil), http.StatusNoContent)
	wantStatus(t, e.do(sanne, "GET", qpath, nil), http.StatusNotFound)
	wantStatus(t, e.do(anouk, "DELETE", path, nil), http.StatusNoContent)

	// Comments: anyone who sees the post; deleted by author or administrator.
	r := e.mustPost(sanne, dhc0, VisibilityOrganisation, "Vraag aan iedereen")
	rpath := "/api/v1/spaces/den-helder-centrum/posts/" + r.ID
	w = e.do(daan, "POST", rpath+"/comments", map[string]any{"body": "Antwoord uit Julianadorp"})
	wantStatus(t, w, http.StatusCreated)
	c := decode[Comment](t, w)
	wantStatus(t, e.do(sanne, "DELETE", rpath+"/comments/"+c.ID, nil), http.StatusForbidden)
	wantStatus(t, e.do(daan, "DELETE", rpath+"/comments/"+c.ID, nil), http.StatusNoContent)
	wantStatus(t, e.do(daan, "DELETE", rpath+"/comments/"+c.ID, nil), http.StatusNotFound)
	if n := decode[Post](t, e.do(sanne, "GET", rpath, nil)).CommentCount; n != 0 {
		t.Fatalf("comment count %d after delete", n)
	}
}

func TestReactions(t *testing.T) {
	e := newEnv(t)
	p := e.mustPost(anouk, dhc0, VisibilityOrganisation, "Goed nieuws")
	path := "/api/v1/spaces/den-helder-centrum/posts/" + p.ID + "/reactions/"
	for _, u := range []string{sanne, daan, sanne} { // Sanne twice: idempotent
		wantStatus(t, e.do(u, "PUT", path+url.PathEscape("👍"), nil), 200)
	}
	wantStatus(t, e.do(sanne, "PUT", path+url.PathEscape("❤"), nil), 200) // without variation selector
	w := e.do(sanne, "GET", "/api/v1/spaces/den-helder-centrum/posts/"+p.ID, nil)
	got := decode[Post](t, w).Reactions
	want := []Reaction{{"👍", 2, true}, {"❤️", 1, true}}
	if !slices.Equal(got, want) {
		t.Fatalf("reactions %+v, want %+v", got, want)
	}
	w = e.do(daan, "DELETE", path+url.PathEscape("👍"), nil)
	wantStatus(t, w, 200)
	if got := decode[Post](t, w).Reactions; len(got) != 2 || got[0].Count != 1 || got[0].Mine {
		t.Fatalf("after delete %+v", got)
	}
	wantFields(t, e.do(daan, "PUT", path+url.PathEscape("💩"), nil), "emoji")
}

func TestStreamPages(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for i := range 45 {
		vis := VisibilityTeam
		if i%3 == 0 {
			vis = VisibilityOrganisation
		}
		ids = append(ids, e.mustPost(anouk, dhc0, vis, fmt.Sprintf("Bericht %d", i)).ID)
	}
	slices.Reverse(ids)
	var seen []string
	next := ""
	for pages := 0; ; pages++ {
		path := "/api/v1/spaces/den-helder-centrum/posts?limit=20"
		if next != "" {
			path += "&before=" + next
		}
		w := e.do(sanne, "GET", path, nil)
		wantStatus(t, w, 200)
		page := decode[PostPage](t, w)
		for _, p := range page.Items {
			seen = append(seen, p.ID)
		}
		if page.Next == "" {
			if pages != 2 {
				t.Fatalf("%d pages", pages+1)
			}
			break
		}
		next = page.Next
	}
	if !slices.Equal(seen, ids) {
		t.Fatalf("pages gave %v, want %v", seen, ids)
	}
	// A non-member pages through the 15 organisation-wide posts only.
	w := e.do(daan, "GET", "/api/v1/spaces/den-helder-centrum/posts?limit=10", nil)
	page := decode[PostPage](t, w)
	w = e.do(daan, "GET", "/api/v1/spaces/den-helder-centrum/posts?limit=10&before="+page.Next, nil)
	page2 := decode[PostPage](t, w)
	if len(page.Items) != 10 || len(page2.Items) != 5 || page2.Next != "" {
		t.Fatalf("non-member pages: %d + %d, next %q", len(page.Items), len(page2.Items), page2.Next)
	}
}

func TestCommunities(t *testing.T) {
	e := newEnv(t)
	w := e.do(anouk, "POST", "/api/v1/communities", map[string]any{"name": "Wondzorg-netwerk", "description": "Voor wondaandachtsvelders."})
	wantStatus(t, w, http.StatusCreated)
	sp := decode[Space](t, w)
	if sp.ID != "c-wondzorg-netwerk" || sp.Kind != KindCommunity || !sp.Member || !sp.CanEdit || !sp.CanLeave || sp.MemberCount != 1 {
		t.Fatalf("community %+v", sp)
	}
	wantStatus(t, e.do(daan, "POST", "/api/v1/communities", map[string]any{"name": "wondzorg-NETWERK", "description": ""}), http.StatusConflict)
	path := "/api/v1/spaces/c-wondzorg-netwerk"
	// Not a member yet: may not post.
	wantStatus(t, e.do(daan, "POST", path+"/posts", map[string]any{"body": "Hallo"}), http.StatusForbidden)
	w = e.do(daan, "POST", path+"/join", nil)
	wantStatus(t, w, 200)
	if sp := decode[Space](t, w); !sp.Member || sp.MemberCount != 2 || sp.CanEdit {
		t.Fatalf("after join %+v", sp)
	}
	// Community posts are organisation-wide.
	wantFields(t, e.do(daan, "POST", path+"/posts", map[string]any{"body": "Hallo", "visibility": "team"}), "visibility")
	w = e.do(daan, "POST", path+"/posts", map[string]any{"body": "Hallo allemaal"})
	wantStatus(t, w, http.StatusCreated)
	if p := decode[Post](t, w); p.Visibility != VisibilityOrganisation {
		t.Fatalf("visibility %q", p.Visibility)
	}
	// Everyone reads it; non-members do not edit its profile.
	wantStatus(t, e.do(teun, "GET", path+"/posts", nil), 200)
	wantStatus(t, e.do(daan, "PUT", path+"/profile", map[string]any{"description": "x", "workingArea": []string{}, "contact": map[string]any{"phone": "", "email": ""}, "revision": 0}), http.StatusForbidden)
	wantStatus(t, e.do(daan, "POST", path+"/leave", nil), 200)
	wantStatus(t, e.do(daan, "POST", path+"/posts", map[string]any{"body": "Weg"}), http.StatusForbidden)
	// Team spaces are not joined here.
	wantStatus(t, e.do(daan, "POST", "/api/v1/spaces/den-helder-centrum/join", nil), http.StatusForbidden)

	w = e.do(daan, "GET", "/api/v1/spaces", nil)
	wantStatus(t, w, 200)
	list := decode[SpaceList](t, w)
	if len(list.Teams) != 3 || list.Teams[0].ID != "julianadorp" || !list.Teams[0].Member || list.Teams[1].Member {
		t.Fatalf("teams %+v", list.Teams)
	}
	if len(list.Communities) != 1 || list.Communities[0].Member {
		t.Fatalf("communities %+v", list.Communities)
	}
}

func TestSpacePageAndProfileHistory(t *testing.T) {
	e := newEnv(t)
	w := e.do(daan, "GET", "/api/v1/spaces/den-helder-centrum", nil)
	wantStatus(t, w, 200)
	sp := decode[Space](t, w)
	if sp.Revision != 0 || sp.Description != "Het team werkt in de binnenstad." || len(sp.Members) != 3 || sp.CanEdit || sp.CanPost || sp.Member {
		t.Fatalf("space for a non-member %+v", sp)
	}
	if !e.access.has(daan + " read space:den-helder-centrum members") {
		t.Fatalf("member list read not logged: %v", e.access.entries)
	}

	profile := func(user string, rev int, desc string) int {
		w := e.do(user, "PUT", "/api/v1/spaces/den-helder-centrum/profile", map[string]any{"description": desc,
			"workingArea": []string{"1781", "Binnenstad", "Willemsoord"}, "contact": map[string]any{"phone": "0223 555 1000", "email": "dhc@example.nl"}, "revision": rev})
		return w.Code
	}
	if c := profile(daan, 0, "Door Daan"); c != http.StatusForbidden {
		t.Fatalf("non-member edits profile: %d", c)
	}
	if c := profile(anouk, 0, "Wij zijn **team Den Helder-Centrum**."); c != 200 {
		t.Fatalf("member edit: %d", c)
	}
	if c := profile(sanne, 0, "Stale"); c != http.StatusConflict {
		t.Fatalf("stale revision: %d", c)
	}
	if c := profile(yvonne, 1, "Beheer past aan."); c != 200 {
		t.Fatalf("administrator edit: %d", c)
	}
	w = e.do(daan, "GET", "/api/v1/spaces/den-helder-centrum/profile/history", nil)
	wantStatus(t, w, 200)
	hist := decode[struct{ Items []ProfileRevision }](t, w).Items
	if len(hist) != 2 || hist[0].Revision != 2 || hist[0].By.ID != yvonne || hist[1].By.Name != "Anouk de Vries" ||
		!slices.Equal(hist[1].Fields, []string{"description", "workingArea"}) || !slices.Equal(hist[0].Fields, []string{"description"}) {
		t.Fatalf("history %+v", hist)
	}
	sp = decode[Space](t, e.do(anouk, "GET", "/api/v1/spaces/den-helder-centrum", nil))
	if sp.Revision != 2 || sp.Description != "Beheer past aan." || sp.UpdatedBy == nil || sp.UpdatedBy.ID != yvonne || !sp.CanEdit || !sp.CanPost {
		t.Fatalf("space after edits %+v", sp)
	}
	// The history is insert-only documents with meaningful ids.
	n, err := e.st.DB.Collection(profilesColl).CountDocuments(context.Background(), map[string]any{"_id": "den-helder-centrum:000002"})
	if err != nil || n != 1 {
		t.Fatalf("revision document: %d %v", n, err)
	}

	// Fail closed: when the access log cannot record, no member list.
	e.access.fail = true
	w = e.do(daan, "GET", "/api/v1/spaces/den-helder-centrum", nil)
	if w.Code != http.StatusServiceUnavailable || strings.Contains(w.Body.String(), "Fatima") {
		t.Fatalf("access log down: %d %s", w.Code, w.Body.String())
	}
}

// Two instances on one store: each sees the other's writes, sequence
// numbers never collide, and a check made before writing holds.
func TestTwoInstances(t *testing.T) {
	a := newEnv(t)
	b := newEnvOn(t, a.st, a)
	ctx := context.Background()
	p := a.mustPost(anouk, dhc0, VisibilityOrganisation, "Van instantie A")
	got, err := b.svc.GetPost(ctx, b.actor(sanne), dhc0, p.ID)
	if err != nil || got.Body != "Van instantie A" {
		t.Fatalf("instance B: %v %+v", err, got)
	}
	// B indexes A's post too.
	b.index.mu.Lock()
	_, indexed := b.index.posts[p.ID]
	b.index.mu.Unlock()
	if !indexed {
		t.Fatal("instance B did not index instance A's post")
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			env := a
			if i%2 == 1 {
				env = b
			}
			if _, err := env.svc.React(ctx, env.actor(sanne), dhc0, p.ID, Emojis[i%len(Emojis)], true); err != nil {
				t.Error(err)
			}
			if _, err := env.svc.AddComment(ctx, env.actor(fatima), dhc0, p.ID, CommentInput{Body: fmt.Sprintf("reactie %d", i)}); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	for _, env := range []*env{a, b} {
		got, err := env.svc.GetPost(ctx, env.actor(sanne), dhc0, p.ID)
		if err != nil || got.CommentCount != 20 || len(got.Reactions) != len(Emojis) {
			t.Fatalf("after concurrent writes: %v %+v", err, got)
		}
	}
	// The profile's revision check holds across instances.
	in := ProfileInput{Description: "A", WorkingArea: []string{}, Revision: new(int)}
	if _, err := a.svc.UpdateProfile(ctx, a.actor(anouk), dhc0, in); err != nil {
		t.Fatal(err)
	}
	in.Description = "B"
	if _, err := b.svc.UpdateProfile(ctx, b.actor(sanne), dhc0, in); !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("stale edit on instance B: %v", err)
	}
	sp, err := b.svc.GetSpace(ctx, b.actor(sanne), dhc0)
	if err != nil || sp.Description != "A" || sp.Revision != 1 {
		t.Fatalf("B's profile: %v %+v", err, sp)
	}

	// A restart rebuilds the same state from the store.
	c := newEnvOn(t, a.st, a)
	got, err = c.svc.GetPost(ctx, c.actor(sanne), dhc0, p.ID)
	if err != nil || got.CommentCount != 20 || len(got.Reactions) != len(Emojis) {
		t.Fatalf("after restart: %v %+v", err, got)
	}
	if sp, _ := c.svc.GetSpace(ctx, c.actor(sanne), dhc0); sp.Revision != 1 || sp.Description != "A" {
		t.Fatalf("profile after restart %+v", sp)
	}
}

func TestIndexerFollowsPosts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p := e.mustPost(anouk, dhc0, VisibilityTeam, "Eerst")
	if _, err := e.svc.EditPost(ctx, e.actor(anouk), dhc0, p.ID, PostPatch{Body: new(string)}); err == nil {
		t.Fatal("empty body accepted")
	}
	body := "Daarna"
	if _, err := e.svc.EditPost(ctx, e.actor(anouk), dhc0, p.ID, PostPatch{Body: &body}); err != nil {
		t.Fatal(err)
	}
	e.index.mu.Lock()
	doc := e.index.posts[p.ID]
	e.index.mu.Unlock()
	if doc.Body != "Daarna" || doc.Visibility != VisibilityTeam || doc.SpaceID != dhc0 {
		t.Fatalf("indexed %+v", doc)
	}
	if err := e.svc.DeletePost(ctx, e.actor(anouk), dhc0, p.ID); err != nil {
		t.Fatal(err)
	}
	e.index.mu.Lock()
	_, still := e.index.posts[p.ID]
	e.index.mu.Unlock()
	if still || len(e.svc.AllPosts()) != 0 {
		t.Fatal("deleted post still indexed")
	}
}

// The log is split into segments; catching up and loading cross them.
func TestLogSegments(t *testing.T) {
	old := segmentSize
	segmentSize = 4
	t.Cleanup(func() { segmentSize = old })
	a := newEnv(t)
	b := newEnvOn(t, a.st, a)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 23 {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			env := a
			if i%3 == 0 {
				env = b
			}
			if _, err := env.svc.CreatePost(ctx, env.actor(sanne), dhc0, PostInput{Body: fmt.Sprintf("Bericht %d", i), Visibility: VisibilityTeam}); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	names, err := a.st.DB.ListCollectionNames(ctx, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	segs := 0
	for _, n := range names {
		if strings.HasPrefix(n, logPrefix) {
			segs++
		}
	}
	if segs != 6 { // sequences 1–23 in segments of 4
		t.Fatalf("%d segments", segs)
	}
	c := newEnvOn(t, a.st, a) // seals the full segments while loading: all six
	if n, _ := a.st.DB.Collection(sealedColl).CountDocuments(ctx, map[string]any{}); n != 6 {
		t.Fatalf("%d sealed segments, want 6", n)
	}
	d := newEnvOn(t, a.st, a) // loads from the sealed copies
	for _, env := range []*env{a, b, c, d} {
		page, err := env.svc.ListPosts(ctx, env.actor(sanne), dhc0, PostQuery{Limit: 50})
		if err != nil || len(page.Items) != 23 {
			t.Fatalf("%v: %d posts", err, len(page.Items))
		}
	}
}
