package teamspace

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
)

// stage uploads a file for a post and returns its upload id.
func (e *env) stage(user, name string, data []byte) string {
	e.t.Helper()
	w := e.upload(user, "/api/v1/spaces/den-helder-centrum/uploads", name, data, nil)
	wantStatus(e.t, w, http.StatusCreated)
	return decode[StagedUpload](e.t, w).ID
}

func (e *env) stagedCount() int64 {
	e.t.Helper()
	n, err := e.st.DB.Collection(uploadsColl).CountDocuments(context.Background(), bson.D{})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) blobExists(id string) bool {
	e.t.Helper()
	_, err := e.svc.st.files.Stat(context.Background(), id)
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		e.t.Fatal(err)
	}
	return err == nil
}

func (e *env) postCount(user string) int {
	e.t.Helper()
	w := e.do(user, "GET", "/api/v1/spaces/den-helder-centrum/posts?limit=50", nil)
	wantStatus(e.t, w, 200)
	return len(decode[PostPage](e.t, w).Items)
}

// A post and its files are one outcome (#14 §7): the files are staged and
// checked first, and the post is written with all of them in one entry.
func TestPostWithAttachmentsIsOneOutcome(t *testing.T) {
	e := newEnv(t)
	base := "/api/v1/spaces/den-helder-centrum"
	png := e.stage(anouk, "foto.png", pngBytes)
	pdf := e.stage(anouk, "rooster.pdf", pdfBytes("rooster"))

	// A refused file is refused at staging: nothing stored, no post.
	wantFields(t, e.upload(anouk, base+"/uploads", "foto.png", []byte("GIF89a...."), nil), "file")
	if n := e.stagedCount(); n != 2 {
		t.Fatalf("%d staged files, want 2", n)
	}
	// Only members stage files; unauthenticated: 401.
	wantStatus(t, e.upload(daan, base+"/uploads", "foto.png", pngBytes, nil), http.StatusForbidden)
	wantStatus(t, e.upload("", base+"/uploads", "foto.png", pngBytes, nil), http.StatusUnauthorized)

	// Bad input refuses the whole post, on the field, and stores nothing.
	for _, ids := range [][]string{{"x"}, {png, png}, {png, strings.Repeat("a", 10)}} {
		w := e.do(anouk, "POST", base+"/posts", map[string]any{"body": "Met bijlagen", "visibility": "team", "attachments": ids})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"attachments[`) {
			t.Fatalf("%v: %d %s", ids, w.Code, w.Body.String())
		}
	}
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = png
	}
	wantFields(t, e.do(anouk, "POST", base+"/posts", map[string]any{"body": "x", "visibility": "team", "attachments": eleven}),
		"attachments", "attachments[1]", "attachments[2]", "attachments[3]", "attachments[4]", "attachments[5]", "attachments[6]",
		"attachments[7]", "attachments[8]", "attachments[9]", "attachments[10]")
	// Another member cannot publish Anouk's staged file.
	wantFields(t, e.do(sanne, "POST", base+"/posts", map[string]any{"body": "Van mij", "visibility": "team", "attachments": []string{png}}),
		"attachments[0]")
	if n := e.postCount(sanne); n != 0 {
		t.Fatalf("%d posts after refusals", n)
	}

	// Accepted: the post with both files, in the order named.
	w := e.do(anouk, "POST", base+"/posts", map[string]any{"body": "Rooster en foto", "visibility": "team", "attachments": []string{pdf, png}})
	wantStatus(t, w, http.StatusCreated)
	p := decode[Post](t, w)
	if len(p.Attachments) != 2 || p.Attachments[0].Name != "rooster.pdf" || p.Attachments[1].Name != "foto.png" ||
		p.Attachments[0].ID != "f"+p.ID[1:] || p.Attachments[1].ID != "f"+p.ID[1:]+"-2" || !p.Attachments[1].Image {
		t.Fatalf("attachments %+v", p.Attachments)
	}
	for _, at := range p.Attachments {
		r := e.do(sanne, "GET", base+"/posts/"+p.ID+"/attachments/"+at.ID, nil).Result()
		if r.StatusCode != 200 || r.Header.Get("Content-Security-Policy") == "" {
			t.Fatalf("download %s: %d", at.ID, r.StatusCode)
		}
	}
	if n := e.stagedCount(); n != 0 {
		t.Fatalf("%d staging records left after publishing", n)
	}
	// Sending the same post again (a retry) publishes nothing twice.
	w = e.do(anouk, "POST", base+"/posts", map[string]any{"body": "Rooster en foto", "visibility": "team", "attachments": []string{pdf, png}})
	wantFields(t, w, "attachments[0]")
	if n := e.postCount(sanne); n != 1 {
		t.Fatalf("%d posts, want 1", n)
	}
	// Deleting the post removes its files.
	wantStatus(t, e.do(anouk, "DELETE", base+"/posts/"+p.ID, nil), http.StatusNoContent)
	if e.blobExists(pdf) || e.blobExists(png) {
		t.Fatal("a deleted post's files are still stored")
	}
}

// A file published in the same entry as another post is refused in the
// write, where the state is current: its staging record may outlive the
// first post when removing it failed.
func TestStagedFilePublishedOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := e.stage(anouk, "foto.png", pngBytes)
	var rec uploadDoc
	if err := e.st.DB.Collection(uploadsColl).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&rec); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreatePost(ctx, e.actor(anouk), dhc0, PostInput{Body: "Eén", Visibility: VisibilityTeam, Attachments: []string{id}}); err != nil {
		t.Fatal(err)
	}
	// Removing the record failed half-way: it is back.
	if _, err := e.st.DB.Collection(uploadsColl).InsertOne(ctx, rec); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.CreatePost(ctx, e.actor(anouk), dhc0, PostInput{Body: "Twee", Visibility: VisibilityTeam, Attachments: []string{id}})
	var ve *apperr.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Code != "attachment_sent" {
		t.Fatalf("second publication: %v", err)
	}
	// The sweep finishes the job: it drops the record and keeps the bytes.
	n, err := e.svc.SweepStagedUploads(ctx, testNow.Add(time.Minute))
	if err != nil || n != 0 {
		t.Fatalf("sweep: %d, %v", n, err)
	}
	if e.stagedCount() != 0 || !e.blobExists(id) {
		t.Fatalf("after the sweep: %d records, bytes kept %v", e.stagedCount(), e.blobExists(id))
	}
}

// Staged files never published go: at once when the composer gives up,
// otherwise by the sweep after StagedUploadAge.
func TestStagedUploadsRemoved(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	base := "/api/v1/spaces/den-helder-centrum/uploads/"
	a := e.stage(anouk, "foto.png", pngBytes)
	b := e.stage(anouk, "rooster.pdf", pdfBytes("x"))
	wantStatus(t, e.do(sanne, "DELETE", base+a, nil), http.StatusNotFound)
	wantStatus(t, e.do(anouk, "DELETE", "/api/v1/spaces/julianadorp/uploads/"+a, nil), http.StatusNotFound)
	wantStatus(t, e.do(anouk, "DELETE", base+"nope", nil), http.StatusNotFound)
	wantStatus(t, e.do(anouk, "DELETE", base+a, nil), http.StatusNoContent)
	if e.blobExists(a) || !e.blobExists(b) {
		t.Fatal("delete removed the wrong bytes")
	}
	wantStatus(t, e.do(anouk, "DELETE", base+a, nil), http.StatusNotFound)

	// Not yet old enough: kept.
	if n, err := e.svc.SweepStagedUploads(ctx, testNow.Add(-time.Minute)); err != nil || n != 0 {
		t.Fatalf("early sweep: %d, %v", n, err)
	}
	n, err := e.svc.SweepStagedUploads(ctx, testNow.Add(time.Minute))
	if err != nil || n != 1 || e.blobExists(b) || e.stagedCount() != 0 {
		t.Fatalf("sweep: %d, %v, bytes left %v", n, err, e.blobExists(b))
	}
}
