package app_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/plein/plein/server/app/apptest"
)

// TestStagedUploadTakesLargeFiles: a post's file is staged through
// POST /spaces/:id/uploads, the only way files reach a post (new or
// existing), so that route has the upload body limit (10 MB), not the
// 1 MiB limit of JSON bodies. A 3 MiB file is staged and added to a post.
func TestStagedUploadTakesLargeFiles(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anouk := srv.Login(t, "anouk.devries")
	data := bytes.Repeat([]byte("notulen van het teamoverleg\n"), (3<<20)/28)
	var post struct {
		ID          string `json:"id"`
		Attachments []struct {
			Size int `json:"size"`
		} `json:"attachments"`
	}
	if st := anouk.JSON("POST", "/api/v1/spaces/den-helder-centrum/posts", map[string]any{"body": "Notulen volgen", "visibility": "team"}, &post); st != 201 {
		t.Fatalf("post: %d", st)
	}
	st, b := anouk.Upload("/api/v1/spaces/den-helder-centrum/uploads", "notulen.txt", data)
	var staged struct {
		ID string `json:"id"`
	}
	if st != 201 || json.Unmarshal(b, &staged) != nil {
		t.Fatalf("stage %d bytes: %d %.300s", len(data), st, b)
	}
	if st := anouk.JSON("PATCH", "/api/v1/spaces/den-helder-centrum/posts/"+post.ID, map[string]any{"attachments": []string{staged.ID}}, &post); st != 200 ||
		len(post.Attachments) != 1 || post.Attachments[0].Size != len(data) {
		t.Fatalf("add to the post: %d %+v", st, post)
	}
}
