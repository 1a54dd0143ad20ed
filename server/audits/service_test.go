package audits

import (
	"context"
	"errors"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
)

// Import stores the history once: a run after a failure half-way (an audit
// and its action never stored) completes it on a fresh instance, and a
// second run stores nothing twice.
func TestImportCompletesAfterAFailureHalfWay(t *testing.T) {
	o, p := demoOrg()
	svc, st := newTestService(t, o, p, nil)
	ctx := context.Background()
	withHistory(t, svc)
	colls := []string{auditorsColl, roundsColl, auditsColl, actionsColl}
	counts := map[string]int64{}
	for _, c := range colls {
		counts[c], _ = st.DB.Collection(c).CountDocuments(ctx, bson.D{})
	}
	if counts[auditorsColl] != 12 || counts[roundsColl] != 1 || counts[auditsColl] != 1 || counts[actionsColl] != 1 {
		t.Fatalf("imported: %v", counts)
	}
	for _, c := range []string{auditsColl, actionsColl} {
		if _, err := st.DB.Collection(c).DeleteMany(ctx, bson.D{}); err != nil {
			t.Fatal(err)
		}
	}
	again := newServiceOn(t, st, o, p, nil)
	for range 2 {
		if err := again.Import(ctx, fixtureHistory()); err != nil {
			t.Fatal(err)
		}
		for _, c := range colls {
			if n, _ := st.DB.Collection(c).CountDocuments(ctx, bson.D{}); n != counts[c] {
				t.Fatalf("%s: %d after a re-run, want %d", c, n, counts[c])
			}
		}
	}
	marieke := actorOf(p, "marieke.jansen")
	if list, _ := again.List(marieke, AuditQuery{TeamID: "den-helder-centrum", Status: AuditFinished}); len(list) != 1 {
		t.Fatalf("marieke's finished audits after the re-run: %+v", list)
	}
}

// Proposal is what CreateRound proposes, and Violations what it would refuse.
func TestProposalIsCreateRounds(t *testing.T) {
	o, p := demoOrg()
	svc, _ := newTestService(t, o, p, nil)
	withHistory(t, svc)
	q := QuarterOf(testNow)
	want := svc.Proposal(TypePeer, q)
	if len(want) != 12 || len(svc.Violations(TypePeer, q, want)) != 0 {
		t.Fatalf("peer proposal: %d teams, violations %v", len(want), svc.Violations(TypePeer, q, want))
	}
	rv, err := svc.CreateRound(context.Background(), actorOf(p, "ilse.dekker"), RoundInput{Type: TypePeer, Quarter: q})
	if err != nil {
		t.Fatal(err)
	}
	if svc.StoredRound(rv.ID) == nil || !slices.Equal(svc.StoredRound(rv.ID).Assignments, want) {
		t.Fatalf("CreateRound proposed %+v, Proposal %+v", svc.StoredRound(rv.ID), want)
	}
	own := []Assignment{{TeamID: "den-helder-centrum", AuditorID: actorOf(p, "marieke.jansen").UserID}}
	if vs := svc.Violations(TypePeer, q, own); len(vs) != 1 || vs[0].Rule != "not_auditor" {
		t.Fatalf("a coordinating nurse in a peer round: %+v", vs)
	}
}

func TestRemindersOncePerActionAndDueDate(t *testing.T) {
	o, p := demoOrg()
	rec := &recorder{}
	svc, st := newTestService(t, o, p, rec)
	ctx := context.Background()
	withHistory(t, svc)
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
	withHistory(t, svc)
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
	withHistory(t, svc)
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
