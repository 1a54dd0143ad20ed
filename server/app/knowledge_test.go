package app_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/httpapi"
)

type kbSummary struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Version      string `json:"version"`
	Status       string `json:"status"`
	Confirmation struct {
		Required bool `json:"required"`
		Pending  bool `json:"pending"`
	} `json:"confirmation"`
	Snippet struct {
		Text  string   `json:"text"`
		Marks [][2]int `json:"marks"`
	} `json:"snippet"`
}

type kbArticle struct {
	kbSummary
	BodyHTML string `json:"bodyHtml"`
	CanEdit  bool   `json:"canEdit"`
	Draft    *struct {
		Revision    int `json:"revision"`
		Attachments []struct {
			ID string `json:"id"`
		} `json:"attachments"`
	} `json:"draft"`
}

// TestKnowledgeAPI walks the knowledge base over HTTP: a care worker finds
// and confirms a protocol, the author sees it in the report (access-logged);
// roles that must be refused are; bad input is refused clearly.
func TestKnowledgeAPI(t *testing.T) {
	t.Parallel()
	e := startAPI(t)
	anouk, ilse, fatima, daan := e.staff["anouk.devries"], e.staff["ilse.dekker"], e.staff["fatima.elamrani"], e.staff["daan.visser"]

	// Search as you type, with highlights.
	var res struct {
		Items []kbSummary `json:"items"`
		Total int         `json:"total"`
	}
	e.get(t, anouk, "/api/v1/knowledge/search?q=wond&prefix=true", &res)
	if res.Total == 0 {
		t.Fatal("no results for wond")
	}
	var protocol *kbSummary
	for i, it := range res.Items {
		if len(it.Snippet.Marks) == 0 && !strings.Contains(strings.ToLower(it.Title), "wond") {
			t.Errorf("%s: nothing highlighted", it.ID)
		}
		if protocol == nil && it.Confirmation.Pending {
			protocol = &res.Items[i]
		}
	}
	if protocol == nil {
		t.Fatalf("no wound protocol to confirm among %+v", res.Items)
	}
	// Bad searches.
	wantFields(t, e.call(t, anouk, "GET", "/api/v1/knowledge/search?q=", nil).problem(t, 422), "q")
	wantFields(t, e.call(t, anouk, "GET", "/api/v1/knowledge/search?q=x&limit=1000&prefix=ja", nil).problem(t, 422), "limit", "prefix")
	wantFields(t, e.call(t, anouk, "GET", "/api/v1/knowledge/search?q=wond&audience=iedereen", nil).problem(t, 422), "audience")
	wantFields(t, e.call(t, anouk, "GET", "/api/v1/knowledge/articles?audience=team:nergens", nil).problem(t, 422), "audience")
	// Filtered by audience: the articles for everyone and those aimed at her split what she may read.
	var everyone, mine, all struct {
		Total int `json:"total"`
	}
	e.get(t, anouk, "/api/v1/knowledge/articles?audience=everyone&limit=1", &everyone)
	e.get(t, anouk, "/api/v1/knowledge/articles?audience=mine&limit=1", &mine)
	e.get(t, anouk, "/api/v1/knowledge/articles?limit=1", &all)
	if everyone.Total == 0 || mine.Total == 0 || everyone.Total+mine.Total != all.Total {
		t.Fatalf("audience filter: everyone %d + mine %d != all %d", everyone.Total, mine.Total, all.Total)
	}

	// Read and confirm.
	var art kbArticle
	e.get(t, anouk, "/api/v1/knowledge/articles/"+protocol.ID, &art)
	if art.BodyHTML == "" || art.Draft != nil || art.CanEdit {
		t.Fatalf("reader's article: html=%d draft=%v canEdit=%v", len(art.BodyHTML), art.Draft, art.CanEdit)
	}
	r := e.call(t, anouk, "POST", "/api/v1/knowledge/articles/"+protocol.ID+"/confirm", map[string]any{"version": "99.0"})
	r.problem(t, 409)
	r = e.call(t, anouk, "POST", "/api/v1/knowledge/articles/"+protocol.ID+"/confirm", map[string]any{"version": art.Version, "extra": 1})
	wantFields(t, r.problem(t, 422), "extra")
	r = e.call(t, anouk, "POST", "/api/v1/knowledge/articles/"+protocol.ID+"/confirm", map[string]any{"version": art.Version}, "X-CSRF-Token", "")
	r.problem(t, 403)
	r = e.call(t, anouk, "POST", "/api/v1/knowledge/articles/"+protocol.ID+"/confirm", map[string]any{"version": art.Version})
	if r.status != 200 || !strings.Contains(string(r.body), `"pending":false`) {
		t.Fatalf("confirm: %d %s", r.status, r.body)
	}
	var pending struct{ Items []kbSummary }
	e.get(t, anouk, "/api/v1/knowledge/confirmations/pending", &pending)
	for _, p := range pending.Items {
		if p.ID == protocol.ID {
			t.Fatal("still pending after confirming")
		}
	}

	// The author sees it in the report; reading it is access-logged.
	var report struct {
		Teams []struct {
			Team      struct{ ID string }
			Confirmed int
			Missing   []struct{ ID string }
		}
	}
	r = e.call(t, ilse, "GET", "/api/v1/knowledge/articles/"+protocol.ID+"/report", nil)
	if r.status != 200 {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	if err := json.Unmarshal(r.body, &report); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tm := range report.Teams {
		if tm.Team.ID != "den-helder-centrum" {
			continue
		}
		found = true
		if tm.Confirmed < 1 {
			t.Errorf("den-helder-centrum confirmed %d", tm.Confirmed)
		}
		for _, m := range tm.Missing {
			if m.ID == e.id["anouk.devries"] {
				t.Error("anouk still listed as missing")
			}
		}
	}
	if !found {
		t.Fatal("den-helder-centrum not in the report")
	}
	entry := e.accessEntry(t, r.header.Get("X-Request-Id"))
	if entry["action"] != "read" || !strings.Contains(entry["subject"].(string), protocol.ID) {
		t.Fatalf("access log entry: %v", entry)
	}
	r = e.call(t, ilse, "GET", "/api/v1/knowledge/articles/"+protocol.ID+"/report.csv", nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !strings.Contains(string(r.body), "Den Helder-Centrum") {
		t.Fatalf("csv: %d %s %.200s", r.status, r.header.Get("Content-Type"), r.body)
	}
	// Care workers and coaches do not get reports; a district nurse gets her team.
	for _, sub := range []string{"anouk.devries", "peter.smit", "johan.mulder"} {
		e.call(t, e.staff[sub], "GET", "/api/v1/knowledge/articles/"+protocol.ID+"/report", nil).problem(t, 403)
		e.call(t, e.staff[sub], "GET", "/api/v1/knowledge/reports/confirmations", nil).problem(t, 403)
	}
	r = e.call(t, fatima, "GET", "/api/v1/knowledge/articles/"+protocol.ID+"/report", nil)
	if r.status != 200 || strings.Count(string(r.body), `"regionId"`) != 1 {
		t.Fatalf("district nurse's report: %d %.300s", r.status, r.body)
	}

	// Audience: the catheter protocol is for district nurses only.
	e.call(t, anouk, "GET", "/api/v1/knowledge/articles/zorgverlening-katheteriseren", nil).problem(t, 404)
	e.get(t, fatima, "/api/v1/knowledge/articles/zorgverlening-katheteriseren", &art)
	e.call(t, daan, "GET", "/api/v1/knowledge/articles/zorgverlening-texel-veerboot", nil).problem(t, 404)

	// Editor-only routes are refused to everyone else.
	for _, sub := range []string{"anouk.devries", "fatima.elamrani", "marieke.jansen", "peter.smit", "johan.mulder"} {
		c := e.staff[sub]
		e.call(t, c, "POST", "/api/v1/knowledge/articles", map[string]any{"title": "x"}).problem(t, 403)
		e.call(t, c, "GET", "/api/v1/knowledge/review", nil).problem(t, 403)
		e.call(t, c, "GET", "/api/v1/knowledge/reports/overdue", nil).problem(t, 403)
		e.call(t, c, "GET", "/api/v1/knowledge/feedback", nil).problem(t, 403)
		e.call(t, c, "POST", "/api/v1/knowledge/articles/"+protocol.ID+"/archive", nil).problem(t, 403)
		e.call(t, c, "GET", "/api/v1/knowledge/articles?status=concept", nil).problem(t, 422)
	}
	var overdue struct{ Items []kbSummary }
	e.get(t, ilse, "/api/v1/knowledge/reports/overdue", &overdue)
	if len(overdue.Items) < 5 {
		t.Fatalf("%d overdue articles", len(overdue.Items))
	}

	// The workflow over HTTP: create, attach, submit, approve by another editor.
	body := map[string]any{"title": "Stomazorg thuis", "summary": "Stoma verzorgen.", "category": "zorgverlening", "type": "werkinstructie",
		"tags": []string{"stoma"}, "owner": "kwaliteit", "audience": map[string]any{"everyone": true}, "body": "## Stappen\n\n1. Plak verwijderen\n",
		"requiresConfirmation": false, "reviewDue": e.srv.Now().AddDate(0, 9, 0).Format(time.DateOnly), "related": []string{}, "externalUrl": ""}
	bad := map[string]any{}
	for k, v := range body {
		bad[k] = v
	}
	bad["category"], bad["reviewDue"] = "astrologie", "volgend jaar"
	wantFields(t, e.call(t, ilse, "POST", "/api/v1/knowledge/articles", bad).problem(t, 422), "category", "reviewDue")
	wantFields(t, e.call(t, ilse, "POST", "/api/v1/knowledge/articles", `{"title": 5}`).problem(t, 422), "title")
	e.call(t, ilse, "POST", "/api/v1/knowledge/articles", `{"title": `).problem(t, 400)
	r = e.call(t, ilse, "POST", "/api/v1/knowledge/articles", body)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var created kbArticle
	_ = json.Unmarshal(r.body, &created)
	id := created.ID
	upl := "/api/v1/knowledge/articles/" + url.PathEscape(id) + "/attachments"
	e.call(t, ilse, "POST", upl, map[string]any{"file": "x"}).problem(t, 415)
	for _, c := range []struct {
		name string
		data []byte
	}{{"leeg.pdf", nil}, {"script.html", []byte("<script>alert(1)</script>")}, {"foto.pdf", []byte("\x89PNG\r\n\x1a\nxxxx")}} {
		b, ct := apptest.Multipart(t, "file", c.name, c.data)
		wantFields(t, e.call(t, ilse, "POST", upl, b, "Content-Type", ct).problem(t, 422), "file")
	}
	// Too large: 413 from the one upload reader, as everywhere.
	{
		b, ct := apptest.Multipart(t, "file", "groot.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 10<<20)...))
		e.call(t, ilse, "POST", upl, b, "Content-Type", ct).problem(t, 413)
	}
	b, ct := apptest.Multipart(t, "document", "x.pdf", []byte("%PDF-1.4\n"))
	wantFields(t, e.call(t, ilse, "POST", upl, b, "Content-Type", ct).problem(t, 422), "file")
	if n := countDocs(t, e.srv, "kbfiles.chunks"); n != 0 {
		t.Fatalf("%d chunks stored by refused uploads", n)
	}
	b, ct = apptest.Multipart(t, "file", "stoma.pdf", []byte("%PDF-1.4\n%stoma\n"))
	r = e.call(t, ilse, "POST", upl, b, "Content-Type", ct)
	if r.status != 201 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	var att struct{ ID string }
	_ = json.Unmarshal(r.body, &att)
	e.call(t, anouk, "GET", upl+"/"+att.ID, nil).problem(t, 404) // not published yet
	e.call(t, ilse, "POST", "/api/v1/knowledge/articles/"+id+"/submit", map[string]any{"changeNote": "", "major": false})
	e.call(t, ilse, "POST", "/api/v1/knowledge/articles/"+id+"/approve", map[string]any{}).problem(t, 403)
	r = e.call(t, e.admin, "POST", "/api/v1/knowledge/articles/"+id+"/approve", map[string]any{"comment": "Akkoord"})
	if r.status != 200 || !strings.Contains(string(r.body), `"version":"1.0"`) {
		t.Fatalf("approve: %d %.300s", r.status, r.body)
	}
	r = e.call(t, anouk, "GET", upl+"/"+att.ID, nil)
	if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" || r.header.Get("Content-Security-Policy") != httpapi.PDFCSP ||
		r.header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.header.Get("Content-Disposition"), "stoma.pdf") {
		t.Fatalf("download: %d %v", r.status, r.header)
	}
	e.get(t, anouk, "/api/v1/knowledge/search?q=stomazorg", &res)
	if len(res.Items) != 1 || res.Items[0].ID != id {
		t.Fatalf("new article not found: %+v", res.Items)
	}

	// Feedback: any reader asks, editors answer.
	r = e.call(t, anouk, "POST", "/api/v1/knowledge/articles/"+id+"/feedback", map[string]any{"kind": "question", "text": "Ook bij een urostoma?"})
	if r.status != 201 {
		t.Fatalf("feedback: %d %s", r.status, r.body)
	}
	var fb struct{ ID string }
	_ = json.Unmarshal(r.body, &fb)
	wantFields(t, e.call(t, anouk, "POST", "/api/v1/knowledge/articles/"+id+"/feedback", map[string]any{"kind": "spam", "text": ""}).problem(t, 422), "kind", "text")
	e.call(t, anouk, "POST", "/api/v1/knowledge/feedback/"+url.PathEscape(fb.ID)+"/answer", map[string]any{"text": "x"}).problem(t, 403)
	r = e.call(t, ilse, "POST", "/api/v1/knowledge/feedback/"+url.PathEscape(fb.ID)+"/answer", map[string]any{"text": "Ja, zie stap 3."})
	if r.status != 200 {
		t.Fatalf("answer: %d %s", r.status, r.body)
	}
}
