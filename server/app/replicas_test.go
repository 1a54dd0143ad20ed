package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/plein/plein/chat/broker/redistest"
	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/audits"
	"github.com/plein/plein/server/dashboard"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/knowledge"
	"github.com/plein/plein/server/learning"
	"github.com/plein/plein/server/notify"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/push"
	"github.com/plein/plein/server/push/pushtest"
	"github.com/plein/plein/server/store/streamlog"
	"github.com/plein/plein/server/teamspace"
)

// visibleWithin fails the test unless cond holds on the other instance
// within the freshness bound (streamlog.Poll) of the change made just
// before (stretched under -race: boundScale). It checks cond now and each
// time that instance's replicas apply a change-log entry (the event, not a
// poll); events is its WatchReplicas, taken before the change.
func visibleWithin(t *testing.T, events <-chan streamlog.Applied, what string, cond func() (bool, error)) {
	t.Helper()
	bound := streamlog.Poll * boundScale
	deadline := time.After(bound)
	for {
		ok, err := cond()
		if ok {
			return
		}
		select {
		case <-events:
		case <-deadline:
			if ok, err = cond(); !ok {
				t.Fatalf("%s: not visible on the other instance within %v (last error: %v)", what, bound, err)
			}
			return
		}
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
	events, stop := two.WatchReplicas()
	defer stop()
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
		visibleWithin(t, events, "an assigned role", func() (bool, error) {
			u, ok := two.Identity.Users().Get(target.ID)
			return ok && slices.Contains(u.AssignedRoles, identity.RoleTeamcoach), nil
		})
	})

	t.Run("organisation", func(t *testing.T) {
		if _, err := one.Org.CreateRegion(ctx, admin, org.RegionInput{ID: "volgregio", Name: "Volgregio"}); err != nil {
			t.Fatal(err)
		}
		visibleWithin(t, events, "a new region", func() (bool, error) {
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
		visibleWithin(t, events, "a settings change", func() (bool, error) {
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
		visibleWithin(t, events, "feedback on an article", func() (bool, error) {
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
		visibleWithin(t, events, "a post", func() (bool, error) {
			got, err := two.Spaces.GetPost(ctx, a, team, p.ID)
			return err == nil && got != nil, err
		})
	})

	t.Run("learning", func(t *testing.T) {
		cur, err := one.Learning.Settings(admin)
		if err != nil || len(cur.Designers) == 0 {
			t.Fatalf("no designers to change: %v", err)
		}
		keep := cur.Designers[:len(cur.Designers)-1]
		if _, err := one.Learning.UpdateSettings(ctx, admin, learning.SettingsInput{Designers: keep}); err != nil {
			t.Fatal(err)
		}
		visibleWithin(t, events, "the programme designers", func() (bool, error) {
			s, err := two.Learning.Settings(admin)
			return err == nil && slices.Equal(s.Designers, keep), err
		})
	})

	t.Run("audits", func(t *testing.T) {
		auditors, err := one.Audits.Auditors(admin)
		if err != nil || len(auditors) == 0 {
			t.Fatalf("no auditor: %v", err)
		}
		regions, err := one.Org.ListRegions(admin)
		if err != nil || len(regions) < 2 {
			t.Fatalf("fewer than two regions: %v", err)
		}
		who, to := auditors[0], regions[0].ID
		if who.RegionID == to {
			to = regions[1].ID
		}
		if _, err := one.Audits.SetAuditorRegion(ctx, admin, who.UserID, audits.AuditorInput{RegionID: to}); err != nil {
			t.Fatal(err)
		}
		visibleWithin(t, events, "an auditor's region", func() (bool, error) {
			as, err := two.Audits.Auditors(admin)
			for _, a := range as {
				if a.UserID == who.UserID {
					return a.RegionID == to, nil
				}
			}
			return false, err
		})
	})

	t.Run("notification preferences", func(t *testing.T) {
		// Read by a large fan-out from memory: the other instance has the
		// change without a request of the person there.
		if _, err := one.Notify.SetPrefs(ctx, admin.UserID, notify.PrefsInput{Kinds: map[string]bool{notify.KindAnnouncement: false}}); err != nil {
			t.Fatal(err)
		}
		visibleWithin(t, events, "a kind switched off", func() (bool, error) {
			return !two.Notify.Wants(admin.UserID, notify.KindAnnouncement), nil
		})
	})

	t.Run("notifications", func(t *testing.T) {
		// Served from memory on both: the delivery's entry in
		// notify_changes carries the person's new newest notification.
		before := two.Notify.Unread(admin.UserID)
		one.Notify.Notify(ctx, []string{admin.UserID}, notify.Notice{Kind: notify.KindMention, Title: "Volgtest", Text: "genoemd"})
		visibleWithin(t, events, "the unread count", func() (bool, error) {
			return two.Notify.Unread(admin.UserID) == before+1, nil
		})
		visibleWithin(t, events, "a notification", func() (bool, error) {
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
		visibleWithin(t, events, "a new push device", func() (bool, error) { return two.Push.HasDevices(admin.UserID), nil })
		if err := one.Push.SessionEnded(ctx, admin.UserID, "volgsessie"); err != nil {
			t.Fatal(err)
		}
		visibleWithin(t, events, "a device removed at logout", func() (bool, error) { return !two.Push.HasDevices(admin.UserID), nil })
	})
}
