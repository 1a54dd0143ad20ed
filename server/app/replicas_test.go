package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/plein/plein/chat/broker/redistest"
	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/dashboard"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/knowledge"
	"github.com/plein/plein/server/notify"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/push"
	"github.com/plein/plein/server/push/pushtest"
	"github.com/plein/plein/server/store/streamlog"
	"github.com/plein/plein/server/teamspace"
)

// visibleWithin fails the test unless cond holds within the freshness
// bound (streamlog.Poll) of the change made just before (stretched under
// -race: boundScale).
func visibleWithin(t *testing.T, what string, cond func() (bool, error)) {
	t.Helper()
	bound := streamlog.Poll * boundScale
	deadline := time.Now().Add(bound)
	for {
		ok, err := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not visible on the other instance within %v (last error: %v)", what, bound, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestChangeVisibleOnOtherInstanceWithinOneSecond is the one freshness
// rule (docs/architecture.md, "In-memory replica + log"): a change made on
// one instance is visible on the other within a second, for every domain
// that keeps an in-memory replica. No reload runs on a timer.
func TestChangeVisibleOnOtherInstanceWithinOneSecond(t *testing.T) {
	rs := redistest.Start(t)
	srvs := apptest.StartCluster(t, 2, rs.URL())
	for _, s := range srvs {
		s.App.StartBackground()
	}
	one, two := srvs[0].App, srvs[1].App
	ctx := context.Background()
	var admin *identity.Actor
	for _, u := range one.Identity.Users().All() {
		if slices.Contains(u.Roles(), identity.RoleBeheerder) {
			admin = &identity.Actor{UserID: u.ID, Name: u.Name, Roles: u.Roles()}
			break
		}
	}
	if admin == nil {
		t.Fatal("no administrator in the demo organisation")
	}

	t.Run("users", func(t *testing.T) {
		var target identity.User
		for _, u := range one.Identity.Users().All() {
			if u.ID != admin.UserID && !slices.Contains(u.AssignedRoles, identity.RoleTeamcoach) {
				target = u
				break
			}
		}
		roles := append(slices.Clone(target.AssignedRoles), identity.RoleTeamcoach)
		if _, err := one.Identity.SetAssignedRoles(ctx, admin, target.ID, roles); err != nil {
			t.Fatal(err)
		}
		visibleWithin(t, "an assigned role", func() (bool, error) {
			u, ok := two.Identity.Users().Get(target.ID)
			return ok && slices.Contains(u.AssignedRoles, identity.RoleTeamcoach), nil
		})
	})

	t.Run("organisation", func(t *testing.T) {
		if _, err := one.Org.CreateRegion(ctx, admin, org.RegionInput{ID: "volgregio", Name: "Volgregio"}); err != nil {
			t.Fatal(err)
		}
		visibleWithin(t, "a new region", func() (bool, error) {
			r, err := two.Org.GetRegion(admin, "volgregio")
			return err == nil && r != nil, err
		})
	})

	t.Run("dashboard", func(t *testing.T) {
		cur, err := one.Dashboard.GetSettings(admin)
		if err != nil {
			t.Fatal(err)
		}
		size := cur.MinGroupSize + 1
		if _, err := one.Dashboard.UpdateSettings(ctx, admin, dashboard.SettingsInput{MinGroupSize: &size}); err != nil {
			t.Fatal(err)
		}
		visibleWithin(t, "a settings change", func() (bool, error) {
			s, err := two.Dashboard.GetSettings(admin)
			return err == nil && s.MinGroupSize == size, err
		})
	})

	t.Run("knowledge", func(t *testing.T) {
		arts, _, err := one.Knowledge.List(admin, knowledge.ListQuery{})
		if err != nil || len(arts) == 0 {
			t.Fatalf("no article to give feedback on: %v", err)
		}
		id := arts[0].ID
		if _, err := one.Knowledge.AddFeedback(ctx, admin, id, knowledge.FeedbackInput{Kind: "question", Text: "Geldt dit ook 's nachts?"}); err != nil {
			t.Fatal(err)
		}
		visibleWithin(t, "feedback on an article", func() (bool, error) {
			fs, err := two.Knowledge.ArticleFeedback(admin, id)
			for _, f := range fs {
				if f.Text == "Geldt dit ook 's nachts?" {
					return true, nil
				}
			}
			return false, err
		})
	})

	t.Run("team spaces", func(t *testing.T) {
		teams, err := one.Org.ListTeams(admin, "")
		if err != nil || len(teams) == 0 {
			t.Fatalf("no team: %v", err)
		}
		var team, member string
		for _, tm := range teams {
			if ms := one.Org.MemberIDs(tm.ID); len(ms) > 0 {
				team, member = tm.ID, ms[0]
				break
			}
		}
		u, _ := one.Identity.Users().Get(member)
		a := &identity.Actor{UserID: u.ID, Name: u.Name, Roles: u.Roles()}
		p, err := one.Spaces.CreatePost(ctx, a, team, teamspace.PostInput{Body: "Overdracht om vier uur.", Visibility: teamspace.VisibilityTeam})
		if err != nil {
			t.Fatal(err)
		}
		visibleWithin(t, "a post", func() (bool, error) {
			got, err := two.Spaces.GetPost(ctx, a, team, p.ID)
			return err == nil && got != nil, err
		})
	})

	t.Run("notifications", func(t *testing.T) {
		one.Notify.Notify(ctx, []string{admin.UserID}, notify.Notice{Kind: notify.KindMention, Title: "Volgtest", Text: "genoemd"})
		visibleWithin(t, "a notification", func() (bool, error) {
			page, err := two.Notify.List(ctx, admin.UserID, "", 10)
			if err != nil {
				return false, err
			}
			for _, n := range page.Items {
				if n.Title == "Volgtest" {
					return true, nil
				}
			}
			return false, fmt.Errorf("%d items, none the new one", len(page.Items))
		})
	})

	t.Run("push devices", func(t *testing.T) {
		var in push.SubscribeInput
		in.Endpoint, in.Label = "https://push.example.com/volgtest", "Volgtest"
		in.Keys.P256dh, in.Keys.Auth = pushtest.NewDevice(t).Keys()
		if two.Push.HasDevices(admin.UserID) {
			t.Fatal("a device before the test")
		}
		if _, err := one.Push.Subscribe(ctx, admin.UserID, "volgsessie", in); err != nil {
			t.Fatal(err)
		}
		visibleWithin(t, "a new push device", func() (bool, error) { return two.Push.HasDevices(admin.UserID), nil })
		if err := one.Push.SessionEnded(ctx, admin.UserID, "volgsessie"); err != nil {
			t.Fatal(err)
		}
		visibleWithin(t, "a device removed at logout", func() (bool, error) { return !two.Push.HasDevices(admin.UserID), nil })
	})
}
