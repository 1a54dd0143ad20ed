package demo

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/audits"
	"github.com/plein/plein/server/identity"
)

// The demo audits: 4 rounds that follow now, actions in every state, every
// round keeping the rule, and the demo story; loaded once, and completed by
// a run after a failure half-way.
func TestSeedAudits(t *testing.T) {
	ctx := context.Background()
	st, users, orgSvc := newOrganisation(t, testIssuer)
	now := func() time.Time { return time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC) }
	open := func() *audits.Service {
		svc, err := audits.NewService(ctx, st, orgSvc, users, audits.Options{Now: now, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		return svc
	}
	d := Deps{Store: st, Org: orgSvc, Audits: open(), Issuer: testIssuer, Now: now}
	if ok, err := seedAudits(ctx, d); !ok || err != nil {
		t.Fatalf("seed: %v %v", ok, err)
	}
	actor := func(sub string) *identity.Actor {
		u, _ := users.Get(identity.UserID(testIssuer, sub))
		return &identity.Actor{UserID: u.ID, Name: u.Name, Roles: u.Roles()}
	}
	svc := d.Audits
	quality := actor("ilse.dekker")
	rounds, _ := svc.Rounds(quality)
	want := map[string]bool{"peer-2026-q4": true, "internal-2026-q3": true, "peer-2026-q2": true, "internal-2026-q1": true}
	if len(rounds) != 4 {
		t.Fatalf("rounds: %+v", rounds)
	}
	for _, r := range rounds {
		if !want[r.ID] {
			t.Errorf("unexpected round %s", r.ID)
		}
		if vs := svc.Violations(r.Type, r.Quarter, svc.StoredRound(r.ID).Assignments); len(vs) > 0 {
			t.Errorf("round %s breaks the rule: %+v", r.ID, vs)
		}
	}
	acts, _ := svc.Actions(quality, audits.ActionQuery{})
	states := map[string]int{}
	for _, a := range acts {
		states[a.Status]++
		if a.Overdue {
			states["overdue"]++
		}
	}
	for _, s := range []string{audits.ActionOpen, audits.ActionInProgress, audits.ActionClosed, audits.ActionConfirmed, "overdue"} {
		if states[s] == 0 {
			t.Errorf("no %s action: %v", s, states)
		}
	}
	// The demo story: johan audits den-helder-centrum, still to do.
	home, _ := svc.Mine(actor("johan.mulder"))
	if len(home.Audits) == 0 || home.Audits[0].TeamID != "den-helder-centrum" || home.RegionID != "hoorn" {
		t.Fatalf("johan's home: %+v", home)
	}
	if ok, err := seedAudits(ctx, d); ok || err != nil {
		t.Fatalf("second seed: %v %v", ok, err)
	}
	// A run that died before its marker, with some actions lost: the next
	// start completes it on a fresh instance and stores nothing twice.
	count := func(c string) int64 {
		n, err := st.DB.Collection(c).CountDocuments(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	full := map[string]int64{}
	for _, c := range []string{"audits_rounds", "audits_audits", "audits_actions", "audits_auditors"} {
		full[c] = count(c)
	}
	for c, f := range map[string]bson.D{"meta": {{Key: "_id", Value: auditsMarker}}, "audits_actions": {{Key: "teamId", Value: "den-helder-centrum"}}} {
		if _, err := st.DB.Collection(c).DeleteMany(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if count("audits_actions") == full["audits_actions"] {
		t.Fatal("no action of den-helder-centrum to lose")
	}
	d.Audits = open()
	if ok, err := seedAudits(ctx, d); !ok || err != nil {
		t.Fatalf("re-run: %v %v", ok, err)
	}
	for c, n := range full {
		if got := count(c); got != n {
			t.Errorf("%s: %d after a re-run, want %d", c, got, n)
		}
	}
}
