package audits

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/privacy"
)

// TestExportReadsByPointLookups (issue 16): after the fixture history, each
// person's export of the audits' places by point lookups from memory finds
// exactly the documents a filter on the person finds, collection by
// collection, without reading any audits collection whole.
func TestExportReadsByPointLookups(t *testing.T) {
	ctx := context.Background()
	o, p := demoOrg()
	svc, st := newTestService(t, o, p, nil)
	withHistory(t, svc)
	docIDs := func(places []privacy.Place, user string) map[string][]string {
		t.Helper()
		hold, _ := privacy.Places(st.DB, places...)
		v, err := hold.PersonalData(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for coll, docs := range v.(map[string][]bson.M) {
			for _, d := range docs {
				out[coll] = append(out[coll], fmt.Sprint(d["_id"]))
			}
			slices.Sort(out[coll])
		}
		return out
	}
	// The fixture's auditor, the action's owner, three other auditors and
	// someone who is none (each filter reads every collection whole: a few
	// people suffice).
	in := fixtureHistory()
	people := []string{in.Audits[0].AuditorID, in.Actions[0].OwnerUserID}
	for _, a := range in.Auditors[:3] {
		people = append(people, a.UserID)
	}
	for _, u := range p.All() {
		if !slices.ContainsFunc(in.Auditors, func(a Auditor) bool { return a.UserID == u.ID }) {
			people = append(people, u.ID)
			break
		}
	}
	found := map[string]int{}
	for _, id := range people {
		u := p.users[id]
		want := docIDs(PersonalPlaces, u.ID)
		before := st.Scans.Snapshot()
		got := docIDs(svc.Places(), u.ID)
		for k, n := range st.Scans.Snapshot() {
			if n != before[k] && strings.HasPrefix(k.Collection, "audits_") {
				t.Errorf("%s: read %s whole (%s)", u.Name, k.Collection, k.Command)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: by point lookups %v, by filter %v", u.Name, got, want)
		}
		for coll, ids := range want {
			found[coll] += len(ids)
		}
	}
	for _, coll := range []string{roundsColl, auditsColl, actionsColl, auditorsColl} {
		if found[coll] == 0 {
			t.Errorf("the fixture names no one in %s: the check shows nothing", coll)
		}
	}
	t.Logf("documents naming a person: %v", found)
}
