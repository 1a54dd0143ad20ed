package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/audits"
	"github.com/plein/plein/server/changelog"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/knowledge"
	"github.com/plein/plein/server/learning"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/privacy"
	"github.com/plein/plein/server/store"
)

// TestExportReadsNoGrowingCollectionWhole (issue 16): once the instance is
// warm, one person's export reads their chat messages, posts and
// notifications by point lookups or from memory, never by reading the chat
// log, the team-space log or the notification items whole (store.Scans
// counts every command the embedded store answers by a scan); the message
// just written is in it all the same. The person's erasure then renames
// their chat entries without reading the chat log whole.
func TestExportReadsNoGrowingCollectionWhole(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	srv.App.StartBackground() // the start-up loads fill the author index
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	select {
	case <-srv.App.Warmed():
	case <-ctx.Done():
		t.Fatal("not warm within a minute")
	}
	anouk := srv.Login(t, "anouk.devries")
	ws := anouk.DialWS(t)
	ws.Until("ready", nil)
	ws.Send(map[string]any{"type": "send", "id": "1", "ch": teamCh, "clientId": "scan1", "body": "Bericht voor de export"})
	ws.Until("ack", nil)
	if st := anouk.JSON("POST", "/api/v1/spaces/den-helder-centrum/posts", map[string]any{"body": "Post voor de export", "visibility": "team"}, nil); st != 201 {
		t.Fatalf("post: %d", st)
	}
	// A confirmation and a question in the knowledge base.
	const article = "/api/v1/knowledge/articles/wondzorg-decubitus-preventie"
	var art struct{ Version string }
	if st := anouk.JSON("GET", article, nil, &art); st != 200 {
		t.Fatalf("article: %d", st)
	}
	if st, b := anouk.Do("POST", article+"/confirm", map[string]any{"version": art.Version}); st != 200 {
		t.Fatalf("confirm: %d %s", st, b)
	}
	if st, b := anouk.Do("POST", article+"/feedback", map[string]any{"kind": "question", "text": "Geldt dit ook voor de nacht?"}); st != 201 {
		t.Fatalf("feedback: %d %s", st, b)
	}
	// A change an administrator makes to her (the change log).
	anoukID := identity.UserID(srv.App.Config.Issuer(), "anouk.devries")
	admin := srv.Login(t, "yvonne.kramer")
	if st, b := admin.Do("PUT", "/api/v1/users/"+anoukID+"/roles", map[string]any{"roles": []string{"zorgmedewerker", "teamcoach"}}); st != 200 {
		t.Fatalf("roles: %d %s", st, b)
	}
	before := srv.App.Store.Scans.Snapshot()
	st, raw := anouk.Do("GET", "/api/v1/me/export", nil)
	if st != 200 {
		t.Fatalf("export: %d %s", st, raw)
	}
	var x exportBody
	if err := json.Unmarshal(raw, &x); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(x.Sections["chat"]), "Bericht voor de export") || !strings.Contains(string(x.Sections["teamSpaces"]), "Post voor de export") {
		t.Errorf("export lacks the message or the post: %.400s / %.400s", x.Sections["chat"], x.Sections["teamSpaces"])
	}
	if !strings.Contains(string(x.Sections["notifications"]), `"items":[`) {
		t.Errorf("notifications section: %.200s", x.Sections["notifications"])
	}
	// Read by point lookups named from memory too: the knowledge base's
	// confirmations, questions and answers, the learning programme's
	// collections and the team memberships.
	var scanned, found []string
	for k, n := range srv.App.Store.Scans.Snapshot() {
		if n == before[k] {
			continue
		}
		scanned = append(scanned, fmt.Sprintf("%s (%s, %d×)", k.Collection, k.Command, n-before[k]))
		for _, growing := range []string{"chat_entries", "teamspace_log_", "notify_items", "kb_", "memberships", "learning_",
			"sessions", "admin_changes", "audits_"} {
			if strings.HasPrefix(k.Collection, growing) {
				t.Errorf("the export read %s whole (%s, %d×)", k.Collection, k.Command, n-before[k])
			}
		}
	}
	// The point lookups find what a filter on the person finds.
	for section, places := range map[string][]privacy.Place{"knowledge": knowledge.PersonalPlaces, "learning": learning.PersonalPlaces,
		"teams": org.PersonalPlaces, "audits": audits.PersonalPlaces, "adminChanges": changelog.PersonalPlaces} {
		h, _ := privacy.Places(srv.App.Store.DB, places...)
		v, err := h.PersonalData(store.Rare(ctx), anoukID)
		if err != nil {
			t.Fatal(err)
		}
		var sec map[string][]json.RawMessage
		if err := json.Unmarshal(x.Sections[section], &sec); err != nil {
			t.Fatalf("%s section: %v", section, err)
		}
		for coll, docs := range v.(map[string][]bson.M) {
			if len(sec[coll]) != len(docs) {
				t.Errorf("the export has %d of %s, a filter on the person finds %d", len(sec[coll]), coll, len(docs))
			}
			if len(docs) > 0 {
				found = append(found, fmt.Sprintf("%s %d", coll, len(docs)))
			}
		}
	}
	slices.Sort(found)
	t.Logf("the export's documents in them: %s", strings.Join(found, ", "))
	for _, coll := range []string{"kb_confirmations", "kb_feedback", "memberships", "learning_sessions", "admin_changes"} {
		if !slices.ContainsFunc(found, func(f string) bool { return strings.HasPrefix(f, coll+" ") }) {
			t.Errorf("no %s to export: the check shows nothing", coll)
		}
	}
	slices.Sort(scanned)
	t.Logf("the export still reads %d collections whole: %s", len(scanned), strings.Join(scanned, ", "))

	// Erasure renames the person's chat entries by their ids, found in the
	// same index: the chat log is not read whole either.
	before = srv.App.Store.Scans.Snapshot()
	if st, b := admin.Do("POST", "/api/v1/users/"+anoukID+"/erase", map[string]any{"confirmName": "Anouk de Vries"}); st != 200 {
		t.Fatalf("erase: %d %s", st, b)
	}
	for k, n := range srv.App.Store.Scans.Snapshot() {
		for _, c := range []string{"chat_entries", "kb_", "admin_changes"} {
			if n != before[k] && strings.HasPrefix(k.Collection, c) {
				t.Errorf("the erasure read or updated %s by a filter (%s, %d×)", k.Collection, k.Command, n-before[k])
			}
		}
	}
	var e struct {
		ByName string `bson:"byName"`
	}
	if err := srv.App.Store.DB.Collection("chat_entries").FindOne(ctx, bson.D{{Key: "by", Value: anoukID}, {Key: "body", Value: "Bericht voor de export"}}).Decode(&e); err != nil || e.ByName != privacy.Pseudonym(anoukID) {
		t.Errorf("stored message after erasure: %+v %v", e, err)
	}
}
