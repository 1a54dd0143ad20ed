package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/jpeg"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/photo/phototest"
	"github.com/plein/plein/server/store/blob/blobtest"
)

type chatAttachment struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	URL         string `json:"url"`
	Variants    []int  `json:"variants"`
}

func chatFilesStored(t *testing.T, srv *apptest.Server) (files, descriptions int64) {
	t.Helper()
	ctx := context.Background()
	f, err := srv.App.Store.DB.Collection("chat_files.files").CountDocuments(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := srv.App.Store.DB.Collection("chat_attachments").CountDocuments(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	return f, d
}

// A photo sent in chat: stored (stripped, rotated, with variants) before
// the message is delivered; the frame carries its description; members
// download it (recorded in the access log), others cannot; forged ids,
// wrong types and oversized files are refused and store nothing.
func TestChatAttachments(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anoukC := srv.Login(t, "anouk.devries")
	sanneC := srv.Login(t, "sanne.bakker")
	daanC := srv.Login(t, "daan.visser")
	anouk, sanne := anoukC.DialWS(t), sanneC.DialWS(t)
	anouk.Until("ready", nil)
	sanne.Until("ready", nil)
	base := "/api/v1/chat/channels/" + teamCh + "/attachments"

	st, b := anoukC.Upload(base, "wond.jpg", phototest.EXIFJPEG(t, 1600, 800))
	if st != 201 {
		t.Fatalf("upload: %d %s", st, b)
	}
	var at chatAttachment
	if err := json.Unmarshal(b, &at); err != nil {
		t.Fatal(err)
	}
	if at.ContentType != "image/jpeg" || at.Width != 800 || at.Height != 1600 || at.URL != base+"/"+at.ID ||
		len(at.Variants) != 2 || at.Variants[0] != 320 || at.Variants[1] != 640 {
		t.Fatalf("attachment %+v", at)
	}

	// Send it with a caption, and with no text at all.
	anouk.Send(map[string]any{"type": "send", "id": "1", "ch": teamCh, "clientId": "f1", "body": "Zo ziet het er nu uit", "attachments": []string{at.ID}})
	anouk.Until("ack", nil)
	got, _ := sanne.Until("entry", nil)
	e := got["entry"].(map[string]any)
	atts, _ := e["attachments"].([]any)
	if len(atts) != 1 || atts[0].(map[string]any)["id"] != at.ID || atts[0].(map[string]any)["width"] != float64(800) ||
		atts[0].(map[string]any)["url"] != at.URL {
		t.Fatalf("entry %v", e)
	}
	st, b = anoukC.Upload(base, "klein.png", phototest.PNG(t, 100, 50))
	var small chatAttachment
	if err := json.Unmarshal(b, &small); st != 201 || err != nil || small.Width != 100 || len(small.Variants) != 0 {
		t.Fatalf("small upload: %d %s", st, b)
	}
	anouk.Send(map[string]any{"type": "send", "id": "2", "ch": teamCh, "clientId": "f2", "attachments": []string{small.ID}})
	if ack, _ := anouk.Until("ack", func(f map[string]any) bool { return f["id"] == "2" }); ack["seq"] != float64(2) {
		t.Fatalf("ack %v", ack)
	}
	// A file belongs to one message (deleting it erases the file): another
	// message naming it is refused; a retry of the same send is not.
	anouk.Send(map[string]any{"type": "send", "id": "2b", "ch": teamCh, "clientId": "f2b", "body": "nog eens", "attachments": []string{small.ID}})
	if f, _ := anouk.Until("error", func(f map[string]any) bool { return f["id"] == "2b" }); fieldCodeOf(f) != "attachment_sent" {
		t.Fatalf("the same file in a second message: %v", f)
	}
	anouk.Send(map[string]any{"type": "send", "id": "2c", "ch": teamCh, "clientId": "f2", "attachments": []string{small.ID}})
	if ack, _ := anouk.Until("ack", func(f map[string]any) bool { return f["id"] == "2c" }); ack["seq"] != float64(2) {
		t.Fatalf("retry of the same send: %v", ack)
	}

	// Sanne (member) downloads the photo and a variant; no EXIF, rotated.
	for path, want := range map[string][2]int{at.URL: {800, 1600}, at.URL + "?w=320": {320, 640}} {
		st, body := sanneC.Do("GET", path, nil)
		if st != 200 || phototest.HasEXIF(body) {
			t.Fatalf("%s: %d, exif %v", path, st, phototest.HasEXIF(body))
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(body))
		if err != nil || cfg.Width != want[0] || cfg.Height != want[1] {
			t.Fatalf("%s: %dx%d %v", path, cfg.Width, cfg.Height, err)
		}
	}
	recorded := false
	for _, en := range srv.AccessEntries(t) {
		recorded = recorded || strings.Contains(en.Subject, "attachment:"+at.ID) && en.Action == "read"
	}
	if !recorded {
		t.Fatal("the download is not in the access log")
	}
	if st, b := sanneC.Do("GET", at.URL+"?w=99", nil); st != 422 || fieldCodes(t, b) != "w:invalid_choice" {
		t.Fatalf("w=99: %d %s", st, b)
	}

	// Daan (another team) can neither upload to nor download from the channel.
	if st, _ := daanC.Do("GET", at.URL, nil); st != 404 {
		t.Fatalf("outsider download: %d", st)
	}
	if st, _ := daanC.Do("GET", at.URL+"?w=320", nil); st != 404 {
		t.Fatalf("outsider variant: %d", st)
	}
	files, docs := chatFilesStored(t, srv)
	if st, _ := daanC.Upload(base, "foto.png", phototest.PNG(t, 10, 10)); st != 404 {
		t.Fatalf("outsider upload: %d", st)
	}
	if f2, d2 := chatFilesStored(t, srv); f2 != files || d2 != docs {
		t.Fatal("an outsider's upload was stored")
	}

	// A file uploaded to another channel cannot be sent here, nor fetched
	// through this channel's URL.
	var other struct{ ID string }
	if st := daanC.JSON("POST", "/api/v1/chat/channels", map[string]any{"name": "Fietsclub", "kind": "open"}, &other); st != 201 {
		t.Fatalf("create channel: %d", st)
	}
	st, b = daanC.Upload("/api/v1/chat/channels/"+other.ID+"/attachments", "rooster.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	if st != 201 {
		t.Fatalf("upload pdf: %d %s", st, b)
	}
	var pdf chatAttachment
	_ = json.Unmarshal(b, &pdf)
	if st, _ := anoukC.Do("GET", base+"/"+pdf.ID, nil); st != 404 {
		t.Fatalf("forged download: %d", st)
	}
	anouk.Send(map[string]any{"type": "send", "id": "3", "ch": teamCh, "clientId": "f3", "body": "kijk", "attachments": []string{pdf.ID}})
	f, _ := anouk.Until("error", nil)
	if fe, _ := f["errors"].([]any); f["code"] != "invalid" || len(fe) != 1 || fe[0].(map[string]any)["code"] != "attachment_unknown" {
		t.Fatalf("forged id: %v", f)
	}
	// Sanne cannot send Anouk's upload as hers either.
	sanne.Send(map[string]any{"type": "send", "id": "4", "ch": teamCh, "clientId": "f4", "attachments": []string{"ca-" + strings.Repeat("0", 32)}})
	if f, _ := sanne.Until("error", nil); f["code"] != "invalid" {
		t.Fatalf("unknown id: %v", f)
	}
	anouk.Send(map[string]any{"type": "sync", "id": "s", "ch": teamCh, "after": 2})
	if es, _ := anouk.Until("entries", nil); len(es["entries"].([]any)) != 0 {
		t.Fatalf("a refused send was stored: %v", es)
	}

	// Wrong types and oversized files: problem+json with a field code.
	files, docs = chatFilesStored(t, srv)
	for _, c := range []struct {
		name   string
		data   []byte
		status int
		code   string
	}{
		{"script.html", []byte("<script>alert(1)</script>"), 422, "file_type_refused"},
		{"foto.pdf", phototest.PNG(t, 2, 2), 422, "file_type_refused"},
		{"bom.png", phototest.BombPNG(t, 15000, 15000), 422, "image_too_large"},
		{"groot.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 10<<20)...), 413, "file_too_large"},
	} {
		st, b := anoukC.Upload(base, c.name, c.data)
		p := apptest.ParseProblem(t, b)
		if p.Status != st {
			t.Fatalf("%s: not a problem document: %s", c.name, b)
		}
		if st != c.status || !strings.Contains(p.Code+" "+fieldCodes(t, b), c.code) {
			t.Fatalf("%s: %d %s", c.name, st, b)
		}
	}
	if f2, d2 := chatFilesStored(t, srv); f2 != files || d2 != docs {
		t.Fatalf("refused uploads stored %d files, %d descriptions", f2-files, d2-docs)
	}

	// A file in a thread reply.
	st, b = sanneC.Upload(base, "rooster.docx", blobtest.Docx(t))
	var doc chatAttachment
	if err := json.Unmarshal(b, &doc); st != 201 || err != nil || doc.ContentType != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
		t.Fatalf("docx upload: %d %s", st, b)
	}
	sanne.Send(map[string]any{"type": "send", "id": "6", "ch": teamCh, "clientId": "s6", "reply": 1, "attachments": []string{doc.ID}})
	got, _ = anouk.Until("entry", func(f map[string]any) bool { return f["entry"].(map[string]any)["clientId"] == "s6" })
	if e := got["entry"].(map[string]any); e["reply"] != float64(1) || len(e["attachments"].([]any)) != 1 {
		t.Fatalf("thread reply with a file: %v", e)
	}
	if st, _ := anoukC.Do("GET", doc.URL, nil); st != 200 {
		t.Fatalf("docx download: %d", st)
	}

	// Deleting the message erases its files.
	anouk.Send(map[string]any{"type": "delete", "id": "5", "ch": teamCh, "clientId": "f5", "target": 1})
	anouk.Until("ack", func(f map[string]any) bool { return f["id"] == "5" })
	if st, _ := sanneC.Do("GET", at.URL, nil); st != 404 {
		t.Fatalf("download after delete: %d", st)
	}
}

// fieldCodes lists a problem's field errors as "field:code".
func fieldCodes(t *testing.T, b []byte) string {
	t.Helper()
	var p struct {
		Errors []struct{ Field, Code string }
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field+":"+e.Code)
	}
	return strings.Join(out, " ")
}

// fieldCodeOf is the code of an error frame's single field error.
func fieldCodeOf(f map[string]any) string {
	fe, _ := f["errors"].([]any)
	if len(fe) != 1 {
		return ""
	}
	c, _ := fe[0].(map[string]any)["code"].(string)
	return c
}
