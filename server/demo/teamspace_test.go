package demo

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/teamspace"
)

// The seed runs against the real organisation and user directory.
func TestSeedTeamSpaces(t *testing.T) {
	ctx := context.Background()
	st, users, orgSvc := newOrganisation(t, testIssuer)
	log := slog.New(slog.DiscardHandler)
	now := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	open := func() *teamspace.Service {
		svc, err := teamspace.NewService(ctx, st, orgSvc, users, teamspace.Options{Logger: log, Now: func() time.Time { return now }, Freshness: -1})
		if err != nil {
			t.Fatal(err)
		}
		return svc
	}
	svc := open()
	d := Deps{Store: st, Org: orgSvc, Spaces: svc, Issuer: testIssuer, Now: func() time.Time { return now }}
	if seeded, err := SeedSpaces(ctx, d); err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	if seeded, err := SeedSpaces(ctx, d); err != nil || seeded {
		t.Fatalf("second seed: %v %v", seeded, err)
	}
	check := func(svc *teamspace.Service) {
		t.Helper()
		actor := func(sub string) *identity.Actor {
			u, ok := users.Get(identity.UserID(testIssuer, sub))
			if !ok {
				t.Fatalf("no user %s", sub)
			}
			return &identity.Actor{UserID: u.ID, Name: u.Name, Roles: u.Roles()}
		}
		anouk, daan := actor("anouk.devries"), actor("daan.visser")
		list, err := svc.ListSpaces(ctx, anouk)
		if err != nil || len(list.Communities) != 3 || len(list.Teams) != 54 || list.Teams[0].ID != "den-helder-centrum" {
			t.Fatalf("spaces: %v %d communities, %d teams", err, len(list.Communities), len(list.Teams))
		}
		mine, err := svc.ListPosts(ctx, anouk, "den-helder-centrum", teamspace.PostQuery{Limit: 50})
		if err != nil || len(mine.Items) < 10 || len(mine.Items) > 20 {
			t.Fatalf("member's stream: %v %d posts", err, len(mine.Items))
		}
		theirs, _ := svc.ListPosts(ctx, daan, "den-helder-centrum", teamspace.PostQuery{Limit: 50})
		if len(theirs.Items) == 0 || len(theirs.Items) >= len(mine.Items) {
			t.Fatalf("non-member sees %d of %d posts", len(theirs.Items), len(mine.Items))
		}
		for i := 1; i < len(mine.Items); i++ {
			if mine.Items[i].CreatedAt.After(mine.Items[i-1].CreatedAt) {
				t.Fatal("stream not newest first")
			}
		}
		pinned, _ := svc.ListPosts(ctx, anouk, "den-helder-centrum", teamspace.PostQuery{Limit: 50, Pinned: true})
		if len(pinned.Items) != 2 || !pinned.Items[0].Agreement {
			t.Fatalf("pinned agreements: %+v", pinned.Items)
		}
		comments, reactions := 0, 0
		for _, p := range mine.Items {
			comments += p.CommentCount
			reactions += len(p.Reactions)
		}
		if comments == 0 || reactions == 0 {
			t.Fatal("no comments or reactions")
		}
		jdp, _ := svc.ListPosts(ctx, daan, "julianadorp", teamspace.PostQuery{Limit: 50})
		if len(jdp.Items) < 10 {
			t.Fatalf("julianadorp has %d posts", len(jdp.Items))
		}
		evs, err := svc.ListEvents(ctx, anouk, "den-helder-centrum", "", "")
		if err != nil || len(evs) < 2 || len(evs) > 3 {
			t.Fatalf("events: %v %d", err, len(evs))
		}
		sp, err := svc.GetSpace(ctx, daan, "den-helder-centrum")
		if err != nil || sp.Revision != 1 || !strings.Contains(sp.Description, "Den Helder-Centrum") || len(sp.Members) < 10 {
			t.Fatalf("profile: %v %+v", err, sp)
		}
		anns, err := svc.ListAnnouncements(ctx, daan, 10)
		if err != nil || len(anns) != 1 || !anns[0].RequiresAck || !anns[0].Acknowledged || anns[0].Author.Name != "Ilse Dekker" {
			t.Fatalf("announcements: %v %+v", err, anns)
		}
		docs, err := svc.ListDocuments(ctx, anouk, "den-helder-centrum", "/Afspraken")
		if err != nil || len(docs.Items) != 1 || docs.Items[0].Version != 2 || docs.Items[0].ContentType != "application/pdf" {
			t.Fatalf("documents: %v %+v", err, docs)
		}
		root, _ := svc.ListDocuments(ctx, anouk, "den-helder-centrum", "/")
		if len(root.Folders) != 2 || len(root.Items) != 1 {
			t.Fatalf("root folder: %+v", root)
		}
		if _, err := svc.ListDocuments(ctx, daan, "den-helder-centrum", "/"); err == nil {
			t.Fatal("another team's worker lists the team's documents")
		}
		var texts int
		for _, d := range svc.AllDocuments() {
			text, err := svc.DocumentText(ctx, d.Current().BlobID)
			if err != nil {
				t.Fatal(err)
			}
			if d.Name == "Werkafspraken weekenddiensten.pdf" && !strings.Contains(text, "tot 23.30 uur") {
				t.Fatalf("the current version's text: %q", text)
			}
			if text != "" {
				texts++
			}
		}
		if texts != 5 {
			t.Fatalf("%d documents with text, want 5", texts)
		}
		c, err := svc.GetSpace(ctx, anouk, CommunityDementie)
		if err != nil || !c.Member || c.Name != "Dementiezorg" {
			t.Fatalf("community: %v %+v", err, c)
		}
	}
	check(svc)
	// A restart rebuilds the same, and does not seed again.
	svc2 := open()
	check(svc2)
	d.Spaces = svc2
	if seeded, err := SeedSpaces(ctx, d); err != nil || seeded {
		t.Fatalf("seed after restart: %v %v", seeded, err)
	}
}

// A load that stopped half-way (the first community stored, half the
// changes not) is completed by the next start: every change is there once.
func TestSeedTeamSpacesCompletesAfterAFailureHalfWay(t *testing.T) {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC) }
	load := func(half bool) (int64, []string) {
		st, users, orgSvc := newOrganisation(t, testIssuer)
		svc, err := teamspace.NewService(ctx, st, orgSvc, users, teamspace.Options{Logger: slog.New(slog.DiscardHandler), Now: now, Freshness: -1})
		if err != nil {
			t.Fatal(err)
		}
		d := Deps{Store: st, Org: orgSvc, Spaces: svc, Issuer: testIssuer, Now: now}
		if half {
			profiles, items := spaceItems(SpaceContent(), d)
			keys := map[string]bool{}
			for _, it := range items {
				if keys[it.Key] {
					t.Fatalf("key %q twice", it.Key)
				}
				keys[it.Key] = true
			}
			if !slices.ContainsFunc(items[:len(items)/2], func(it teamspace.ImportItem) bool { return it.Key == CommunityDementie }) {
				t.Fatal("the first half has no community")
			}
			if err := svc.Import(ctx, profiles, items[:len(items)/2]); err != nil {
				t.Fatal(err)
			}
		}
		if ok, err := SeedSpaces(ctx, d); !ok || err != nil {
			t.Fatalf("seed: %v %v", ok, err)
		}
		names, err := st.DB.ListCollectionNames(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, c := range names {
			if strings.HasPrefix(c, "teamspace_log_") {
				m, err := st.DB.Collection(c).CountDocuments(ctx, bson.D{})
				if err != nil {
					t.Fatal(err)
				}
				n += m
			}
		}
		var docs []string
		for _, x := range svc.AllDocuments() {
			docs = append(docs, fmt.Sprintf("%s %s v%d", x.SpaceID, x.Name, x.Current().Version))
		}
		sort.Strings(docs)
		return n, docs
	}
	wantN, wantDocs := load(false)
	gotN, gotDocs := load(true)
	if gotN != wantN || !slices.Equal(gotDocs, wantDocs) {
		t.Fatalf("after a stop half-way and a run: %d log entries, documents %v; one run: %d, %v", gotN, gotDocs, wantN, wantDocs)
	}
}
