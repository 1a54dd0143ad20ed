package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store/blob"
)

// TestSweepRemovesUnreferencedUploads (issue 16): in every domain's file
// bucket, a complete file that nothing names (Put noted it, the owning write
// then failed and its clean-up never ran) is removed by the background
// sweep once older than its grace period, while an uploaded team document
// (and its extracted text) that is named stays; a second sweep removes
// nothing.
func TestSweepRemovesUnreferencedUploads(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	ctx := context.Background()
	st := srv.App.Store
	anouk := srv.Login(t, "anouk.devries")
	status, body := anouk.Upload("/api/v1/spaces/den-helder-centrum/documents", "sweep-notulen.txt", []byte("notulen van het overleg\n"), "folder", "/")
	if status != 201 {
		t.Fatalf("document: %d %s", status, body)
	}
	var doc struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.ID == "" {
		t.Fatalf("document answer: %s", body)
	}

	orphans := map[string]string{"spacefiles": "doc-orphan", "kbfiles": "art-x:forphan", "audit_photos": "audit-x/ph-orphan",
		"chat_files": "ca-00000000000000000000000000000000"}
	for bucket, id := range orphans {
		if _, err := blob.Open(st, bucket).Put(ctx, id, "x.txt", "text/plain", []byte("wees")); err != nil {
			t.Fatal(err)
		}
		if _, err := st.DB.Collection(bucket+".pending").InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "at", Value: time.Now()}}); err != nil {
			t.Fatal(err)
		}
	}
	// Every note, the document's too, is older than the grace period.
	for _, bucket := range []string{"spacefiles", "spacetexts", "kbfiles", "audit_photos", "chat_files"} {
		if _, err := st.DB.Collection(bucket+".pending").UpdateMany(ctx, bson.D{},
			bson.D{{Key: "$set", Value: bson.D{{Key: "at", Value: time.Now().Add(-2 * blob.SweepAge)}}}}); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := st.DB.Collection("spacefiles.pending").CountDocuments(ctx, bson.D{}); n != 2 {
		t.Fatalf("%d notes in spacefiles, want the document's and the orphan's", n)
	}

	swept, err := blob.SweepAll(ctx, st, blob.SweepAge)
	if err != nil || swept.Unreferenced != len(orphans) {
		t.Fatalf("swept %+v, %v; want the %d orphans", swept, err, len(orphans))
	}
	for bucket, id := range orphans {
		if _, err := blob.Open(st, bucket).Stat(ctx, id); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("%s/%s still stored: %v", bucket, id, err)
		}
	}
	if status, got := anouk.Do("GET", "/api/v1/spaces/den-helder-centrum/documents/"+doc.ID+"/content", nil); status != 200 || string(got) != "notulen van het overleg\n" {
		t.Errorf("the named document after the sweep: %d %q", status, got)
	}
	for _, bucket := range []string{"spacefiles", "spacetexts", "kbfiles", "audit_photos", "chat_files"} {
		if n, _ := st.DB.Collection(bucket+".pending").CountDocuments(ctx, bson.D{}); n != 0 {
			t.Errorf("%d notes left in %s", n, bucket)
		}
	}
	if swept, err := blob.SweepAll(ctx, st, blob.SweepAge); err != nil || swept.Unreferenced != 0 {
		t.Fatalf("second sweep: %+v %v", swept, err)
	}
}
