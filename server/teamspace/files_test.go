package teamspace

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/doctext"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/store/blob/blobtest"
)

func (e *env) storedFiles() int64 {
	e.t.Helper()
	n, err := e.st.DB.Collection(filesBucket+".files").CountDocuments(context.Background(), bson.D{})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestDocumentVersions(t *testing.T) {
	e := newEnv(t)
	base := "/api/v1/spaces/den-helder-centrum"
	w := e.do(anouk, "POST", base+"/folders", map[string]any{"parent": "/", "name": "Overleg"})
	wantStatus(t, w, http.StatusCreated)
	if f := decode[Folder](t, w); f.Path != "/Overleg" || f.Name != "Overleg" {
		t.Fatalf("folder %+v", f)
	}
	wantStatus(t, e.do(anouk, "POST", base+"/folders", map[string]any{"parent": "/", "name": "overleg"}), http.StatusConflict)

	w = e.upload(anouk, base+"/documents", "notulen.pdf", pdfBytes("versie een"), map[string]string{"folder": "/Overleg", "note": "Eerste overleg"})
	wantStatus(t, w, http.StatusCreated)
	v1 := decode[DocumentInfo](t, w)
	if v1.Version != 1 || v1.Name != "notulen.pdf" || v1.ContentType != "application/pdf" || !v1.Previewable || v1.Folder != "/Overleg" {
		t.Fatalf("v1 %+v", v1)
	}
	if got := kinds(e.notes.to(sanne)); len(got) != 1 || got[0] != NoticeDocument {
		t.Fatalf("members not told of the document: %v", got)
	}
	if len(e.notes.to(anouk)) != 0 || len(e.notes.to(daan)) != 0 {
		t.Fatal("uploader or non-member notified")
	}
	// Same name (any case) in the same folder: version 2 of the same document.
	w = e.upload(sanne, base+"/documents", "Notulen.PDF", pdfBytes("versie twee"), map[string]string{"folder": "/Overleg", "note": "Aangevuld"})
	wantStatus(t, w, http.StatusCreated)
	v2 := decode[DocumentInfo](t, w)
	if v2.ID != v1.ID || v2.Version != 2 || v2.Name != "notulen.pdf" || len(v2.Versions) != 2 || v2.Versions[0].Note != "Aangevuld" || v2.UpdatedBy.ID != sanne {
		t.Fatalf("v2 %+v", v2)
	}
	// Same name in another folder: another document.
	w = e.upload(sanne, base+"/documents", "notulen.pdf", pdfBytes("elders"), nil)
	wantStatus(t, w, http.StatusCreated)
	if other := decode[DocumentInfo](t, w); other.ID == v1.ID || other.Version != 1 {
		t.Fatalf("other folder %+v", other)
	}

	content := func(q string) *http.Response {
		w := e.do(fatima, "GET", base+"/documents/"+v1.ID+"/content"+q, nil)
		return w.Result()
	}
	for q, want := range map[string]string{"?version=1": "versie een", "?version=2": "versie twee", "": "versie twee"} {
		r := content(q)
		var b bytes.Buffer
		_, _ = b.ReadFrom(r.Body)
		if r.StatusCode != 200 || !strings.Contains(b.String(), want) {
			t.Fatalf("content%s: %d %q", q, r.StatusCode, b.String())
		}
		if r.Header.Get("Content-Security-Policy") != httpapi.PDFCSP || r.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline") || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("headers %v", r.Header)
		}
	}
	if r := content("?version=3"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("missing version: %d", r.StatusCode)
	}

	// Bad uploads: refused with field "file" (or 415), nothing stored, the
	// current version intact.
	before := e.storedFiles()
	big := append(pdfBytes("groot"), bytes.Repeat([]byte("x"), MaxFileBytes)...)
	for _, c := range []struct {
		name string
		file string
		data []byte
	}{
		{"empty", "notulen.pdf", []byte{}},
		{"png named pdf", "notulen.pdf", pngBytes},
		{"executable", "notulen.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00")},
		{"html", "notulen.html", []byte("<html><script>alert(1)</script></html>")},
		{"svg", "plaatje.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)},
		{"no name", "", pdfBytes("x")},
		{"bidi name", "rapport\u202Efdp.exe", pdfBytes("x")},
	} {
		w := e.upload(anouk, base+"/documents", c.file, c.data, map[string]string{"folder": "/Overleg"})
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d %s", c.name, w.Code, w.Body.String())
		}
		wantFields(t, w, "file")
	}
	// Too large: 413 with the limit, from the one upload reader.
	if w := e.upload(anouk, base+"/documents", "notulen.pdf", big, map[string]string{"folder": "/Overleg"}); w.Code != http.StatusRequestEntityTooLarge ||
		!strings.Contains(w.Body.String(), `"code":"file_too_large"`) || !strings.Contains(w.Body.String(), `"maxMb":10`) {
		t.Fatalf("oversize: status %d %s", w.Code, w.Body.String())
	}
	// Not multipart at all.
	wantStatus(t, e.do(anouk, "POST", base+"/documents", map[string]any{"file": "x"}), http.StatusUnsupportedMediaType)
	// Multipart without a file part.
	wantFields(t, e.upload(anouk, base+"/documents", "", nil, map[string]string{"folder": "/"}), "file")
	// A broken multipart body.
	req, _ := http.NewRequest("POST", base+"/documents", strings.NewReader("--zzz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 unterminated"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=zzz")
	req.Header.Set("X-Test-User", anouk)
	rec := httptest.NewRecorder()
	e.engine.ServeHTTP(rec, req)
	wantFields(t, rec, "file")
	// Unknown folder.
	wantFields(t, e.upload(anouk, base+"/documents", "a.pdf", pdfBytes("x"), map[string]string{"folder": "/Bestaat-niet"}), "folder")
	if after := e.storedFiles(); after != before {
		t.Fatalf("refused uploads stored files: %d → %d", before, after)
	}
	w = e.do(anouk, "GET", base+"/documents/"+v1.ID, nil)
	if d := decode[DocumentInfo](t, w); d.Version != 2 || len(d.Versions) != 2 {
		t.Fatalf("after refused uploads %+v", d)
	}

	// Office and text files download as attachments.
	w = e.upload(anouk, base+"/documents", "rooster.docx", blobtest.Docx(t), nil)
	wantStatus(t, w, http.StatusCreated)
	docx := decode[DocumentInfo](t, w)
	r := e.do(anouk, "GET", base+"/documents/"+docx.ID+"/content", nil).Result()
	if !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") || docx.Previewable {
		t.Fatalf("docx served as %q", r.Header.Get("Content-Disposition"))
	}

	// Listing, and non-members of a team see no documents at all.
	w = e.do(sanne, "GET", base+"/documents?folder=/", nil)
	wantStatus(t, w, 200)
	list := decode[DocumentList](t, w)
	if len(list.Folders) != 1 || list.Folders[0].Path != "/Overleg" || len(list.Items) != 2 {
		t.Fatalf("root listing %+v", list)
	}
	wantStatus(t, e.do(daan, "GET", base+"/documents", nil), http.StatusNotFound)
	wantStatus(t, e.do(daan, "GET", base+"/documents/"+v1.ID, nil), http.StatusNotFound)
	wantStatus(t, e.do(daan, "GET", base+"/documents/"+v1.ID+"/content", nil), http.StatusNotFound)
	wantStatus(t, e.upload(daan, base+"/documents", "x.pdf", pdfBytes("x"), nil), http.StatusNotFound)
	wantStatus(t, e.do(sanne, "GET", base+"/documents?folder=/Nergens", nil), http.StatusNotFound)

	// Delete marks it deleted: gone from the list and the index.
	wantStatus(t, e.do(daan, "DELETE", base+"/documents/"+v1.ID, nil), http.StatusNotFound)
	wantStatus(t, e.do(fatima, "DELETE", base+"/documents/"+v1.ID, nil), http.StatusNoContent)
	wantStatus(t, e.do(fatima, "GET", base+"/documents/"+v1.ID, nil), http.StatusNotFound)
	e.index.mu.Lock()
	_, still := e.index.docs[v1.ID]
	e.index.mu.Unlock()
	if still {
		t.Fatal("deleted document still indexed")
	}
}

// A file added to an existing post takes the path of a new post's files:
// staged first (POST /uploads, which checks and stores it), then named in
// the post's PATCH, which publishes it with the edit as one outcome.
func TestAttachments(t *testing.T) {
	e := newEnv(t)
	p := e.mustPost(anouk, dhc0, VisibilityOrganisation, "Met foto")
	base := "/api/v1/spaces/den-helder-centrum/posts/" + p.ID
	up := e.stage(anouk, "foto.png", pngBytes)
	// Only the author adds files: a team mate, another team's member and
	// nobody are refused, and the staged file stays the author's.
	wantStatus(t, e.do(sanne, "PATCH", base, map[string]any{"attachments": []string{up}}), http.StatusForbidden)
	wantStatus(t, e.do(daan, "PATCH", base, map[string]any{"attachments": []string{up}}), http.StatusForbidden)
	wantStatus(t, e.do("", "PATCH", base, map[string]any{"attachments": []string{up}}), http.StatusUnauthorized)
	// Someone else's staged file is unknown here.
	other := e.stage(sanne, "foto.png", pngBytes)
	wantFields(t, e.do(anouk, "PATCH", base, map[string]any{"attachments": []string{other}}), "attachments[0]")
	// Bad input: not an upload id, twice the same, too many.
	wantFields(t, e.do(anouk, "PATCH", base, map[string]any{"attachments": []string{"../x"}}), "attachments[0]")
	wantFields(t, e.do(anouk, "PATCH", base, map[string]any{"attachments": []string{up, up}}), "attachments[1]")
	many := make([]string, MaxAttachments+1)
	for i := range many {
		many[i] = fmt.Sprintf("att-%032x", i)
	}
	wantFields(t, e.do(anouk, "PATCH", base, map[string]any{"attachments": many}), "attachments")
	if n := e.stagedCount(); n != 2 {
		t.Fatalf("%d staged files after the refusals, want 2", n)
	}

	w := e.do(anouk, "PATCH", base, map[string]any{"attachments": []string{up}})
	wantStatus(t, w, http.StatusOK)
	got := decode[Post](t, w)
	if len(got.Attachments) != 1 || got.Body != "Met foto" {
		t.Fatalf("post after adding a file: %+v", got)
	}
	at := got.Attachments[0]
	if !at.Image || at.ContentType != "image/png" || at.Size == 0 || at.Width != 1 || at.Height != 1 {
		t.Fatalf("attachment %+v", at)
	}
	// Published: the staging record is gone, the bytes stay; naming it again is refused.
	if n := e.stagedCount(); n != 1 || !e.blobExists(up) {
		t.Fatalf("after publishing: %d staged, bytes kept %v", n, e.blobExists(up))
	}
	wantFields(t, e.do(anouk, "PATCH", base, map[string]any{"attachments": []string{up}}), "attachments[0]")
	// The old separate upload is gone.
	wantStatus(t, e.upload(anouk, base+"/attachments", "foto.png", pngBytes, nil), http.StatusNotFound)

	// Whoever sees the post downloads it, sandboxed.
	r := e.do(daan, "GET", base+"/attachments/"+at.ID, nil).Result()
	if r.StatusCode != 200 || r.Header.Get("Content-Security-Policy") != httpapi.FileCSP || r.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("download: %d %v", r.StatusCode, r.Header)
	}
	if got := decode[Post](t, e.do(daan, "GET", base, nil)); len(got.Attachments) != 1 || got.Attachments[0].ID != at.ID {
		t.Fatalf("post attachments %+v", got.Attachments)
	}
	// Team-only: the attachment disappears for non-members with the post.
	vis := VisibilityTeam
	if _, err := e.svc.EditPost(context.Background(), e.actor(anouk), dhc0, p.ID, PostPatch{Visibility: &vis}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, e.do(daan, "GET", base+"/attachments/"+at.ID, nil), http.StatusNotFound)
}

// Deleting a post removes its words and files from the store, not only from view.
func TestDeleteErases(t *testing.T) {
	old := segmentSize
	segmentSize = 4 // so that the post's entries end up in sealed segments
	t.Cleanup(func() { segmentSize = old })
	e := newEnv(t)
	ctx := context.Background()
	p := e.mustPost(anouk, dhc0, VisibilityTeam, "Geheim-woord-een")
	body := "Geheim-woord-twee"
	if _, err := e.svc.EditPost(ctx, e.actor(anouk), dhc0, p.ID, PostPatch{Body: &body}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddComment(ctx, e.actor(sanne), dhc0, p.ID, CommentInput{Body: "Geheim-woord-drie"}); err != nil {
		t.Fatal(err)
	}
	c, err := e.svc.AddComment(ctx, e.actor(sanne), dhc0, p.ID, CommentInput{Body: "Geheim-woord-vier"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.EditPost(ctx, e.actor(anouk), dhc0, p.ID, PostPatch{Attachments: []string{e.stage(anouk, "foto.png", pngBytes)}}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteComment(ctx, e.actor(sanne), dhc0, p.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		e.mustPost(fatima, dhc0, VisibilityTeam, fmt.Sprintf("Opvulling %d", i))
	}
	if err := e.svc.Reload(ctx); err != nil { // seals full segments
		t.Fatal(err)
	}
	if n, _ := e.st.DB.Collection(sealedColl).CountDocuments(ctx, bson.D{}); n < 2 {
		t.Fatalf("%d sealed segments", n)
	}
	// stored returns every text in the store: sealed copies and raw segments.
	stored := func() string {
		var b strings.Builder
		sealed, err := e.svc.st.loadSealed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, es := range sealed {
			for _, x := range es {
				b.WriteString(x.Text + "\n")
			}
		}
		for k := int64(0); k < 5; k++ {
			es, err := e.svc.st.segmentEntries(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range es {
				b.WriteString(x.Text + "\n")
			}
		}
		return b.String()
	}
	if s := stored(); strings.Contains(s, "vier") || !strings.Contains(s, "drie") {
		t.Fatalf("after deleting the comment the log holds:\n%s", s)
	}
	if e.storedFiles() != 1 {
		t.Fatal("attachment not stored")
	}
	if err := e.svc.DeletePost(ctx, e.actor(anouk), dhc0, p.ID); err != nil {
		t.Fatal(err)
	}
	if s := stored(); strings.Contains(s, "Geheim") {
		t.Fatalf("after deleting the post the log holds:\n%s", s)
	}
	if n := e.storedFiles(); n != 0 {
		t.Fatalf("%d files left", n)
	}
	// A restart still knows it is deleted.
	r := newEnvOn(t, e.st, e)
	if _, err := r.svc.GetPost(ctx, r.actor(anouk), dhc0, p.ID); err == nil {
		t.Fatal("deleted post back after restart")
	}
	if page, _ := r.svc.ListPosts(ctx, r.actor(anouk), dhc0, PostQuery{}); len(page.Items) != 6 {
		t.Fatalf("after restart: %d posts, want the 6 others", len(page.Items))
	}
}

func TestDocumentTextExtractedAtUpload(t *testing.T) {
	e := newEnv(t)
	base := "/api/v1/spaces/den-helder-centrum"
	textOf := func(name string) string {
		t.Helper()
		for _, d := range e.svc.AllDocuments() {
			if d.Name == name {
				text, err := e.svc.DocumentText(context.Background(), d.Current().BlobID)
				if err != nil {
					t.Fatal(err)
				}
				return text
			}
		}
		t.Fatalf("no document %s", name)
		return ""
	}
	pdf := doctext.SimplePDF("Werkinstructie", []string{"Controleer de sleutelkluis na elke dienst."})
	wantStatus(t, e.upload(anouk, base+"/documents", "instructie.pdf", pdf, nil), http.StatusCreated)
	if got := textOf("instructie.pdf"); !strings.Contains(got, "Werkinstructie\nControleer de sleutelkluis na elke dienst.") {
		t.Fatalf("pdf text %q", got)
	}
	wantStatus(t, e.upload(anouk, base+"/documents", "afspraken.md", []byte("# Afspraken\n\nWe *overleggen* op dinsdag.\n"), nil), http.StatusCreated)
	if got := textOf("afspraken.md"); got != "# Afspraken\nWe *overleggen* op dinsdag." {
		t.Fatalf("markdown text %q", got)
	}
	// A new version has its own text; the old version's stays with it.
	pdf2 := doctext.SimplePDF("Werkinstructie", []string{"Nieuw: de kluis heeft een andere code."})
	wantStatus(t, e.upload(sanne, base+"/documents", "instructie.pdf", pdf2, nil), http.StatusCreated)
	if got := textOf("instructie.pdf"); !strings.Contains(got, "andere code") || strings.Contains(got, "na elke dienst") {
		t.Fatalf("second version's text %q", got)
	}
	// An image, and a PDF the parser cannot read, have no text and are stored all the same.
	wantStatus(t, e.upload(anouk, base+"/documents", "foto.png", pngBytes, nil), http.StatusCreated)
	wantStatus(t, e.upload(anouk, base+"/documents", "kapot.pdf", []byte("%PDF-1.4 niet echt"), nil), http.StatusCreated)
	if textOf("foto.png") != "" || textOf("kapot.pdf") != "" {
		t.Fatal("text for a file without text")
	}
	// A refused upload stores neither bytes nor text.
	texts := func() int64 {
		n, err := e.st.DB.Collection(textsBucket+".files").CountDocuments(context.Background(), bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before, beforeTexts := e.storedFiles(), texts()
	wantStatus(t, e.upload(daan, base+"/documents", "vreemd.pdf", pdf, nil), http.StatusNotFound)
	if e.storedFiles() != before || texts() != beforeTexts || beforeTexts != 3 {
		t.Fatalf("files %d→%d, texts %d→%d", before, e.storedFiles(), beforeTexts, texts())
	}
}
