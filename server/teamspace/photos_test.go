package teamspace

import (
	"bytes"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/photo/phototest"
)

// Every image uploaded to a team space goes through server/photo: what is
// stored and served is rotated and has no EXIF, and ?w= serves a variant
// with the same access checks.
func TestUploadedPhotosAreStrippedAndScaled(t *testing.T) {
	e := newEnv(t)
	in := phototest.EXIFJPEG(t, 1600, 800) // orientation 6: shown 800×1600
	p := e.mustPost(anouk, dhc0, VisibilityTeam, "Foto van de wondkar")
	base := "/api/v1/spaces/den-helder-centrum/posts/" + p.ID + "/attachments"
	w := e.do(anouk, "PATCH", "/api/v1/spaces/den-helder-centrum/posts/"+p.ID, map[string]any{"attachments": []string{e.stage(anouk, "wond.jpg", in)}})
	wantStatus(t, w, http.StatusOK)
	at := decode[Post](t, w).Attachments[0]
	if at.Width != 800 || at.Height != 1600 {
		t.Fatalf("attachment %+v, want 800×1600", at)
	}
	check := func(path string, wantW, wantH int) {
		t.Helper()
		r := e.do(fatima, "GET", path, nil)
		wantStatus(t, r, http.StatusOK)
		body := r.Body.Bytes()
		if phototest.HasEXIF(body) || bytes.Contains(body, []byte{0xFF, 0xE1}) {
			t.Fatalf("%s: EXIF survived", path)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(body))
		if err != nil || cfg.Width != wantW || cfg.Height != wantH {
			t.Fatalf("%s: %dx%d %v, want %dx%d", path, cfg.Width, cfg.Height, err, wantW, wantH)
		}
	}
	check(base+"/"+at.ID, 800, 1600)
	check(base+"/"+at.ID+"?w=320", 320, 640)
	check(base+"/"+at.ID+"?w=640", 640, 1280)
	check(base+"/"+at.ID+"?w=1280", 800, 1600) // never upscaled: the original
	wantFields(t, e.do(fatima, "GET", base+"/"+at.ID+"?w=100", nil), "w")
	wantFields(t, e.do(fatima, "GET", base+"/"+at.ID+"?w=abc", nil), "w")
	// The variant has the original's access check: a team-only post's
	// attachment is not found for someone outside the team.
	wantStatus(t, e.do(daan, "GET", base+"/"+at.ID+"?w=320", nil), http.StatusNotFound)

	// Documents too.
	files := e.storedFiles()
	w = e.upload(anouk, "/api/v1/spaces/den-helder-centrum/documents", "wond.jpg", in, nil)
	wantStatus(t, w, http.StatusCreated)
	doc := decode[DocumentInfo](t, w)
	if doc.Size == int64(len(in)) || doc.Width != 800 || doc.Height != 1600 {
		t.Fatalf("document %+v: stored as uploaded, or without its oriented size", doc)
	}
	if n := e.storedFiles(); n != files+3 { // the original and two variants
		t.Fatalf("%d files stored, want 3", n-files)
	}
	check("/api/v1/spaces/den-helder-centrum/documents/"+doc.ID+"/content", 800, 1600)
	check("/api/v1/spaces/den-helder-centrum/documents/"+doc.ID+"/content?w=320", 320, 640)
	wantStatus(t, e.do(daan, "GET", "/api/v1/spaces/den-helder-centrum/documents/"+doc.ID+"/content?w=320", nil), http.StatusNotFound)

	// A decompression bomb and a damaged image are refused; nothing stored.
	files = e.storedFiles()
	stage := "/api/v1/spaces/den-helder-centrum/uploads"
	wantFieldCode(t, e.upload(anouk, stage, "bom.png", phototest.BombPNG(t, 15000, 15000), nil), "image_too_large")
	wantFieldCode(t, e.upload(anouk, stage, "kapot.jpg", in[:200], nil), "image_unreadable")
	if n := e.storedFiles(); n != files {
		t.Fatalf("%d files stored after refusals", n-files)
	}
}

// wantFieldCode checks a 422 problem document refuses the field "file" with code.
func wantFieldCode(t testing.TB, w *httptest.ResponseRecorder, code string) {
	t.Helper()
	wantFields(t, w, "file")
	if p := decode[httpapi.Problem](t, w); string(p.Errors[0].Code) != code {
		t.Fatalf("code %q, want %q", p.Errors[0].Code, code)
	}
}
