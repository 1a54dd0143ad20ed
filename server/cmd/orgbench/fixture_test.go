package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/notify"
	orgs "github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store/storetest"
	"github.com/plein/plein/server/teamspace"
)

// TestFixtureReadsBackThroughTheDomains: what orgbench writes in the
// domains' stored shapes (logEntry, noticeDoc; the organisation through
// chat/loadgen/fixture) is read by the domains' own code as written: the
// organisation by org, the team spaces' log by teamspace (posts with their
// comments and reactions in a team's stream), the notifications by notify.
// A renamed or retyped stored field fails here, not in a bench run that
// would measure an empty organisation.
func TestFixtureReadsBackThroughTheDomains(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	log := slog.New(slog.DiscardHandler)
	o := buildOrg(spec{Users: 40, TeamSize: 10, Regions: 2, Days: 28, PostsPerWeek: 4, Notices: 3, HeavyNotices: 25, AccessPerDay: 2})
	if _, err := generate(ctx, st, o, now); err != nil {
		t.Fatal(err)
	}
	users, err := identity.NewUsers(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	orgSvc, err := orgs.NewService(ctx, st, users, log)
	if err != nil {
		t.Fatal(err)
	}
	me := o.measured[0]
	if ms := orgSvc.MemberIDs(me.Team); len(ms) != 10 {
		t.Fatalf("org reads %d members of %s, want 10", len(ms), me.Team)
	}
	// What was written for the team, counted from the stored entries.
	var posts, comments, reactions int
	names, err := st.DB.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range names {
		if !strings.HasPrefix(c, "teamspace_log_") {
			continue
		}
		var es []logEntry
		cur, err := st.DB.Collection(c).Find(ctx, bson.D{{Key: "space", Value: me.Team}})
		if err != nil {
			t.Fatal(err)
		}
		if err := cur.All(ctx, &es); err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			switch e.Kind {
			case "post":
				posts++
			case "comment":
				comments++
			case "react":
				reactions++
			}
		}
	}
	if posts == 0 || comments == 0 || reactions == 0 {
		t.Fatalf("the fixture wrote %d posts, %d comments, %d reactions in %s", posts, comments, reactions, me.Team)
	}
	spaces, err := teamspace.NewService(ctx, st, orgSvc, users, teamspace.Options{Logger: log, Now: func() time.Time { return now }, Freshness: -1})
	if err != nil {
		t.Fatal(err)
	}
	actor := &identity.Actor{UserID: me.ID, Name: me.Name, Roles: me.Roles}
	page, err := spaces.ListPosts(ctx, actor, me.Team, teamspace.PostQuery{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var gotComments, gotReactions int
	for _, p := range page.Items {
		gotComments += p.CommentCount
		for _, r := range p.Reactions {
			gotReactions += r.Count
		}
		if !strings.HasPrefix(p.Body, "Bericht ") {
			t.Fatalf("post body %q", p.Body)
		}
	}
	if len(page.Items) != posts || gotComments != comments || gotReactions != reactions {
		t.Fatalf("teamspace reads %d posts, %d comments, %d reactions; the fixture wrote %d, %d, %d",
			len(page.Items), gotComments, gotReactions, posts, comments, reactions)
	}
	ns, err := notify.NewService(ctx, st, notify.Options{Logger: log, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	np, err := ns.List(ctx, me.ID, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(np.Items) != 25 || np.Items[0].Kind != "post" || !strings.HasSuffix(np.Items[0].Title, " plaatste een bericht") ||
		np.Items[0].Actor == nil || np.Items[0].Actor.ID == "" || np.Items[0].Link != "/teams/"+me.Team {
		t.Fatalf("notify reads %d notifications, the newest %+v; the fixture wrote 25", len(np.Items), np.Items)
	}
}
