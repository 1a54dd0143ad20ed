package knowledge

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/privacy"
)

// TestPersonalDataByIndexAndMemory (issue 16): for each person, the export
// of the knowledge base's places by point lookups (memory, the revision
// index) finds exactly the documents a filter on the person finds, in every
// collection, and reads none of them whole; erasure then gives exactly the
// erased person's names the pseudonym, by updates by _id, and leaves
// everyone else's names.
func TestPersonalDataByIndexAndMemory(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	in := input("Decubitus voorkomen")
	in.RequiresConfirmation = true
	a := h.publish(t, in)
	h.change(t, a.ID, "## Nieuw\n\nAnders.\n", true)
	h.publish(t, input("Katheterzorg"))
	if _, err := h.svc.Confirm(ctx, anouk, a.ID, ConfirmInput{Version: "2.0"}); err != nil {
		t.Fatal(err)
	}
	q, err := h.svc.AddFeedback(ctx, anouk, a.ID, FeedbackInput{Kind: "question", Text: "Ook 's nachts?"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.AnswerFeedback(ctx, omar, q.ID, AnswerInput{Text: "Ja."}); err != nil {
		t.Fatal(err)
	}
	if err := BackfillRevisions(ctx, h.st); err != nil {
		t.Fatal(err)
	}
	// Revisions after the backfill: in the index by their own writes.
	h.change(t, a.ID, "## Nog eens\n\nAnders.\n", false)
	byFilter := slices.Clone(PersonalPlaces) // no IDs: the filters
	docIDs := func(places []privacy.Place, user string) map[string][]string {
		t.Helper()
		hold, _ := privacy.Places(h.st.DB, places...)
		v, err := hold.PersonalData(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for coll, docs := range v.(map[string][]bson.M) {
			for _, d := range docs {
				out[coll] = append(out[coll], d["_id"].(string))
			}
			slices.Sort(out[coll])
		}
		return out
	}
	for _, who := range []string{ilse.UserID, omar.UserID, anouk.UserID, daan.UserID} {
		want := docIDs(byFilter, who)
		before := h.st.Scans.Snapshot()
		got := docIDs(h.svc.Places(), who)
		for k, n := range h.st.Scans.Snapshot() {
			if n != before[k] && strings.HasPrefix(k.Collection, "kb_") {
				t.Errorf("%s: read %s whole (%s)", who, k.Collection, k.Command)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: by point lookups %v, by filter %v", who, got, want)
		}
		if who != daan.UserID && len(want[headsColl]) == 0 && len(want[feedbackColl]) == 0 {
			t.Errorf("%s: nothing to compare", who)
		}
	}

	// Erase omar (reviewer, approver, answerer).
	_, names := privacy.Places(h.st.DB, h.svc.Places()...)
	before := h.st.Scans.Snapshot()
	if err := names.Pseudonymise(ctx, omar.UserID, "Oud-medewerker 0A0A"); err != nil {
		t.Fatal(err)
	}
	for k, n := range h.st.Scans.Snapshot() {
		if n != before[k] && strings.HasPrefix(k.Collection, "kb_") {
			t.Errorf("erasure read or updated %s by a filter (%s)", k.Collection, k.Command)
		}
	}
	checkNames(t, h, map[string]string{omar.UserID: "Oud-medewerker 0A0A", ilse.UserID: ilse.Name, anouk.UserID: anouk.Name})
}

// checkNames: every name stored beside an id in the knowledge base's
// places is want's name for that id.
func checkNames(t *testing.T, h *harness, want map[string]string) {
	t.Helper()
	ctx := context.Background()
	seen := map[string]int{}
	for _, p := range PersonalPlaces {
		cur, err := h.st.DB.Collection(p.Collection).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []bson.M
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			for idPath, namePath := range p.Names {
				id, name := pathString(d, idPath), pathString(d, namePath)
				if w, ok := want[id]; ok {
					seen[id]++
					if name != w {
						t.Errorf("%s %s: %s is %q, want %q", p.Collection, d["_id"], namePath, name, w)
					}
				}
			}
		}
	}
	for id := range want {
		if seen[id] == 0 {
			t.Errorf("no name of %s stored: the check shows nothing", id)
		}
	}
}

func pathString(d bson.M, path string) string {
	var v any = d
	for _, part := range strings.Split(path, ".") {
		m, ok := v.(bson.M)
		if !ok {
			dd, ok := v.(bson.D)
			if !ok {
				return ""
			}
			m = bson.M{}
			for _, e := range dd {
				m[e.Key] = e.Value
			}
		}
		v = m[part]
	}
	s, _ := v.(string)
	return s
}
