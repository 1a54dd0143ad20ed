package privacy

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

// TestPseudonymiseByIDsRerunsAfterAFaultHalfWay (issue 16): erasure over
// places whose documents a person index names updates them by _id, never
// by a filter (store.Scans). A run that stops half-way — after the first
// collection, with one document of the second renamed already — is
// finished by the next: every one of the person's names carries the
// pseudonym once, and other people's names, and the person's other
// fields, are as they were.
func TestPseudonymiseByIDsRerunsAfterAFaultHalfWay(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	db := st.DB
	const leaver, pseudonym = "uleaver", "Oud-medewerker 0B0B"
	notes, answers := store.NewPersonIndex(db, "notes"), store.NewPersonIndex(db, "answers")
	write := func(x *store.PersonIndex, coll string, doc bson.M, people ...string) {
		t.Helper()
		if err := x.Add(ctx, doc["_id"].(string), people...); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Collection(coll).InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
	}
	ref := func(id, name string) bson.M { return bson.M{"id": id, "name": name} }
	write(notes, "notes", bson.M{"_id": "n1", "by": ref(leaver, "Lotte"), "text": "Mijn notitie"}, leaver)
	write(notes, "notes", bson.M{"_id": "n2", "by": ref("ustays", "Sam"), "text": "Van Sam"}, "ustays")
	write(notes, "notes", bson.M{"_id": "n3", "by": ref("ustays", "Sam"), "checkedBy": ref(leaver, "Lotte")}, "ustays", leaver)
	for _, id := range []string{"a1", "a2", "a3"} {
		write(answers, "answers", bson.M{"_id": id, "author": ref(leaver, "Lotte")}, leaver)
	}
	write(answers, "answers", bson.M{"_id": "a4", "author": ref("ustays", "Sam")}, "ustays")
	for _, x := range []*store.PersonIndex{notes, answers} {
		if err := x.Complete(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	fail := true
	flakyIDs := func(ctx context.Context, user string) ([]string, error) {
		if fail {
			fail = false
			return nil, errors.New("injected: the store connection was lost")
		}
		return answers.IDs(ctx, user)
	}
	_, names := Places(db,
		Place{Collection: "notes", Fields: []string{"by.id", "checkedBy.id"}, Names: map[string]string{"by.id": "by.name", "checkedBy.id": "checkedBy.name"}, IDs: notes.IDs},
		Place{Collection: "answers", Fields: []string{"author.id"}, Names: map[string]string{"author.id": "author.name"}, IDs: flakyIDs})
	before := st.Scans.Snapshot()
	if err := names.Pseudonymise(ctx, leaver, pseudonym); err == nil {
		t.Fatal("the injected fault did not stop the run")
	}
	// Half-way: the notes are done, the answers not; one answer is renamed
	// as if a run had stopped right after it.
	name := func(coll, id, path string) string {
		t.Helper()
		var d bson.M
		if err := db.Collection(coll).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
			t.Fatal(err)
		}
		v, _ := valuesAt(d, path)[0].(string)
		return v
	}
	if got := name("notes", "n1", "by.name"); got != pseudonym {
		t.Errorf("after the fault, n1 by %q", got)
	}
	if got := name("answers", "a1", "author.name"); got != "Lotte" {
		t.Errorf("after the fault, a1 by %q: the fault came too late", got)
	}
	if _, err := db.Collection("answers").UpdateOne(ctx, bson.D{{Key: "_id", Value: "a2"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "author.name", Value: pseudonym}}}}); err != nil {
		t.Fatal(err)
	}
	if err := names.Pseudonymise(ctx, leaver, pseudonym); err != nil {
		t.Fatal(err)
	}
	if err := names.Pseudonymise(ctx, leaver, pseudonym); err != nil { // once more: nothing changes
		t.Fatal(err)
	}
	for k, n := range st.Scans.Snapshot() {
		if n != before[k] && (k.Collection == "notes" || k.Collection == "answers" || strings.HasSuffix(k.Collection, store.PersonIndexSuffix)) {
			t.Errorf("erasure read or updated %s by a filter (%s, %d×)", k.Collection, k.Command, n-before[k])
		}
	}
	for _, c := range []struct{ coll, id, path, want string }{
		{"notes", "n1", "by.name", pseudonym}, {"notes", "n1", "text", "Mijn notitie"},
		{"notes", "n2", "by.name", "Sam"}, {"notes", "n3", "by.name", "Sam"}, {"notes", "n3", "checkedBy.name", pseudonym},
		{"answers", "a1", "author.name", pseudonym}, {"answers", "a2", "author.name", pseudonym}, {"answers", "a3", "author.name", pseudonym},
		{"answers", "a4", "author.name", "Sam"},
	} {
		if got := name(c.coll, c.id, c.path); got != c.want {
			t.Errorf("%s %s %s = %q, want %q", c.coll, c.id, c.path, got, c.want)
		}
	}
}
