package audits

import (
	"context"
	"errors"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
)

func TestSeedRoundsFollowNowAndActionsInEveryState(t *testing.T) {
	o, p := demoOrg()
	svc, st := newTestService(t, o, p, nil)
	ctx := context.Background()
	seeded, err := Seed(ctx, svc, seedInput(), testNow)
	if err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	quality := actorOf(p, "ilse.dekker")
	rounds, _ := svc.Rounds(quality)
	if len(rounds) != 4 {
		t.Fatalf("rounds: %+v", rounds)
	}
	want := map[string]bool{"peer-2026-q4": true, "internal-2026-q3": true, "peer-2026-q2": true, "internal-2026-q1": true}
	for _, r := range rounds {
		if !want[r.ID] {
			t.Errorf("unexpected round %s for now %s", r.ID, testNow)
		}
	}
	acts, _ := svc.Actions(quality, ActionQuery{})
	states := map[string]int{}
	for _, a := range acts {
		states[a.Status]++
		if a.Overdue {
			states["overdue"]++
		}
	}
	for _, s := range []string{ActionOpen, ActionInProgress, ActionClosed, ActionConfirmed, "overdue"} {
		if states[s] == 0 {
			t.Errorf("no %s action in the seed: %v", s, states)
		}
	}
	// Every seeded assignment keeps the rule.
	d := svc.dir()
	for _, r := range svc.rounds {
		vs, _ := Check(r.Type, unitsOf(r, d), svc.candidates(r.Type, d), svc.recentFor(r, d), r.Assignments)
		if len(vs) > 0 {
			t.Errorf("seeded round %s breaks the rule: %+v", r.ID, vs)
		}
	}
	// The demo story: johan audits den-helder-centrum, still to do.
	home, _ := svc.Mine(actorOf(p, "johan.mulder"))
	if len(home.Audits) == 0 || home.Audits[0].TeamID != "den-helder-centrum" || home.RegionID != "hoorn" {
		t.Fatalf("johan's home: %+v", home)
	}
	n, _ := st.DB.Collection(auditsColl).CountDocuments(ctx, bson.D{})
	// Idempotent: a second run stores nothing, even on a fresh instance.
	again := newServiceOn(t, st, o, p, nil)
	if seeded, err := Seed(ctx, again, seedInput(), testNow); err != nil || seeded {
		t.Fatalf("second seed: %v %v", seeded, err)
	}
	if m, _ := st.DB.Collection(auditsColl).CountDocuments(ctx, bson.D{}); m != n {
		t.Fatalf("second seed changed the audits: %d → %d", n, m)
	}
}

func TestSeedCompletesAfterAFailureHalfWay(t *testing.T) {
	o, p := demoOrg()
	svc, st := newTestService(t, o, p, nil)
	ctx := context.Background()
	if _, err := Seed(ctx, svc, seedInput(), testNow); err != nil {
		t.Fatal(err)
	}
	full, _ := st.DB.Collection(actionsColl).CountDocuments(ctx, bson.D{})
	// Lose the marker and some actions: as if the first run died half-way.
	if _, err := st.DB.Collection(metaColl).DeleteOne(ctx, idFilter(seedMarker)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB.Collection(actionsColl).DeleteMany(ctx, bson.D{{Key: "teamId", Value: "den-helder-centrum"}}); err != nil {
		t.Fatal(err)
	}
	again := newServiceOn(t, st, o, p, nil)
	if seeded, err := Seed(ctx, again, seedInput(), testNow); err != nil || !seeded {
		t.Fatalf("re-run: %v %v", seeded, err)
	}
	if n, _ := st.DB.Collection(actionsColl).CountDocuments(ctx, bson.D{}); n != full {
		t.Fatalf("re-run restored %d of %d actions", n, full)
	}
}

func TestRemindersOncePerActionAndDueDate(t *testing.T) {
	o, p := demoOrg()
	rec := &recorder{}
	svc, st := newTestService(t, o, p, rec)
	ctx := context.Background()
	if _, err := Seed(ctx, svc, seedInput(), testNow); err != nil {
		t.Fatal(err)
	}
	first := svc.RemindDue(ctx)
	if first == 0 {
		t.Fatal("no reminders for the seeded overdue actions")
	}
	if again := svc.RemindDue(ctx); again != 0 {
		t.Fatalf("second run reminded %d again", again)
	}
	if len(rec.bad) > 0 {
		t.Fatalf("reminders sent with kinds %v, not %q: the notification centre drops them", rec.bad, NotifyKind)
	}
	keys := map[string]bool{}
	for _, n := range rec.sent {
		if keys[n.key] {
			t.Fatalf("key %s sent twice", n.key)
		}
		keys[n.key] = true
		if len(n.users) == 0 {
			t.Fatalf("reminder without recipients: %+v", n)
		}
	}
	// Another instance sends with the same keys: the notification centre
	// deduplicates by key across instances.
	rec2 := &recorder{}
	other := newServiceOn(t, st, o, p, rec2)
	other.RemindDue(ctx)
	for _, n := range rec2.sent {
		if !keys[n.key] {
			t.Fatalf("other instance used a new key %s", n.key)
		}
	}
}

func TestFinishedAuditIsImmutableAndCorrectionsAreLinked(t *testing.T) {
	o, p := demoOrg()
	svc, _ := newTestService(t, o, p, nil)
	ctx := context.Background()
	if _, err := Seed(ctx, svc, seedInput(), testNow); err != nil {
		t.Fatal(err)
	}
	quality, marieke := actorOf(p, "ilse.dekker"), actorOf(p, "marieke.jansen")
	list, _ := svc.List(quality, AuditQuery{TeamID: "den-helder-centrum", Status: AuditFinished, RoundID: "internal-2026-q3"})
	if len(list) != 1 {
		t.Fatalf("finished internal audit: %+v", list)
	}
	id := list[0].ID
	before, _ := svc.Get(marieke, id)
	_, err := svc.Answer(ctx, marieke, id, AnswersInput{Answers: []AnswerInput{{ClientID: "late-answer-1", Criterion: "rooster-eigen", Score: Voldoet}}})
	if !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("answer to a finished audit: %v", err)
	}
	c, err := svc.Correct(ctx, marieke, id, CorrectionInput{ClientID: "correction-1", Criterion: "rooster-eigen", Score: VoldoetNiet, Reason: "verkeerd genoteerd"})
	if err != nil {
		t.Fatal(err)
	}
	if c2, _ := svc.Correct(ctx, marieke, id, CorrectionInput{ClientID: "correction-1", Criterion: "rooster-eigen", Score: VoldoetNiet, Reason: "verkeerd genoteerd"}); c2.ID != c.ID {
		t.Fatal("a resent correction made a second record")
	}
	after, _ := svc.Get(marieke, id)
	if len(after.Corrections) != 1 || after.Answers[0] != before.Answers[0] {
		t.Fatalf("the audit's own answers changed, or the correction is missing")
	}
	found := false
	for _, f := range after.FindingList {
		if f.Criterion == "rooster-eigen" && f.Corrected && f.Score == VoldoetNiet {
			found = true
		}
	}
	if !found {
		t.Fatal("the correction is not applied to the findings")
	}
}

func TestAdjustingBreaksNoRuleAndStoresNothingWhenRefused(t *testing.T) {
	o, p := demoOrg()
	svc, st := newTestService(t, o, p, nil)
	ctx := context.Background()
	if _, err := Seed(ctx, svc, seedInput(), testNow); err != nil {
		t.Fatal(err)
	}
	quality := actorOf(p, "ilse.dekker")
	next := AddQuarters(QuarterOf(testNow), 1)
	rv, err := svc.CreateRound(ctx, quality, RoundInput{Type: TypeInternal, Quarter: next})
	if err != nil || len(rv.Violations) != 0 || len(rv.Assignments) != 54 {
		t.Fatalf("internal proposal: %v %d violations %d teams", err, len(rv.Violations), len(rv.Assignments))
	}
	var stored bson.M
	_ = st.DB.Collection(roundsColl).FindOne(ctx, idFilter(rv.ID)).Decode(&stored)
	// The Hoorn manager is no coordinating nurse: refused, nothing stored.
	_, err = svc.SetAssignments(ctx, quality, rv.ID, AssignmentsInput{Assignments: []Assignment{{TeamID: "den-helder-centrum", AuditorID: actorOf(p, "johan.mulder").UserID}}})
	var ve *apperr.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "assignments[0].auditorId" {
		t.Fatalf("want a field error, got %v", err)
	}
	var after bson.M
	_ = st.DB.Collection(roundsColl).FindOne(ctx, idFilter(rv.ID)).Decode(&after)
	if len(after["assignments"].(bson.A)) != len(stored["assignments"].(bson.A)) {
		t.Fatal("a refused adjustment changed the stored round")
	}
	if _, err := svc.CreateRound(ctx, quality, RoundInput{Type: TypeInternal, Quarter: next}); !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("second create: %v", err)
	}
}
