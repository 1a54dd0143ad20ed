package dashboard

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/privacy"
)

// TestPersonalDataFromMemory (issue 16): each person's export lists their
// own imports, by point lookups named from memory, and erasure gives
// exactly their imports the pseudonym, by _id; dashboard_imports is
// neither read nor updated by a filter.
func TestPersonalDataFromMemory(t *testing.T) {
	ctx := context.Background()
	svc, st := newTestService(t, seedOrg())
	mine := mustImport(t, svc, "okt.csv", "team;maand;verzuim\nden-helder-centrum;2026-10;5,9\n")
	res, err := svc.ImportFile(ctx, admin, Upload{FileName: "nov.csv", Data: []byte("team;maand;verzuim\njulianadorp;2026-10;7,2\n")})
	if err != nil {
		t.Fatal(err)
	}
	theirs := res.Import
	hold, names := privacy.Places(st.DB, svc.Places()...)
	before := st.Scans.Snapshot()
	for who, want := range map[string]string{support.UserID: mine.Import.ID, admin.UserID: theirs.ID} {
		v, err := hold.PersonalData(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		docs := v.(map[string][]bson.M)[importsColl]
		if len(docs) != 1 || docs[0]["_id"] != want {
			t.Errorf("%s: %v, want only %s", who, docs, want)
		}
	}
	if err := names.Pseudonymise(ctx, support.UserID, "Oud-medewerker 0C0C"); err != nil {
		t.Fatal(err)
	}
	for k, n := range st.Scans.Snapshot() {
		if n != before[k] && k.Collection == importsColl {
			t.Errorf("read or updated %s by a filter (%s, %d×)", k.Collection, k.Command, n-before[k])
		}
	}
	for id, want := range map[string]string{mine.Import.ID: "Oud-medewerker 0C0C", theirs.ID: admin.Name} {
		var im Import
		if err := st.DB.Collection(importsColl).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&im); err != nil || im.ByName != want {
			t.Errorf("import %s by %q (%v), want %q", id, im.ByName, err, want)
		}
	}
}
