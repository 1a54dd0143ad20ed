package knowledge

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

func TestWorkflow(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()

	// Only editors create.
	for _, act := range []*identity.Actor{anouk, fatima, marie, peter} {
		_, err := h.svc.Create(ctx, act, input("Wondprotocol"))
		wantErr(t, err, apperr.ErrForbidden)
	}
	a, err := h.svc.Create(ctx, ilse, input("Wondprotocol"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != StatusConcept || a.Version != "" || a.Draft == nil || a.Draft.Revision != 1 {
		t.Fatalf("new article: %+v", a)
	}
	// Readers do not see a concept.
	_, err = h.svc.Get(anouk, a.ID)
	wantErr(t, err, apperr.ErrNotFound)

	// Approving needs review first; reviewing is not for the author.
	_, err = h.svc.Approve(ctx, omar, a.ID, ReviewInput{})
	wantErr(t, err, apperr.ErrConflict)
	if _, err := h.svc.Submit(ctx, ilse, a.ID, SubmitInput{}); err != nil {
		t.Fatal(err)
	}
	_, err = h.svc.Approve(ctx, ilse, a.ID, ReviewInput{})
	wantErr(t, err, apperr.ErrForbidden)
	_, err = h.svc.Reject(ctx, ilse, a.ID, ReviewInput{Comment: "nee"})
	wantErr(t, err, apperr.ErrForbidden)
	// A carer cannot review.
	_, err = h.svc.Approve(ctx, anouk, a.ID, ReviewInput{})
	wantErr(t, err, apperr.ErrForbidden)
	// Editing while in review is refused.
	_, err = h.svc.SaveDraft(ctx, ilse, a.ID, DraftInput{ArticleInput: input("Wondprotocol"), Revision: 2})
	wantErr(t, err, apperr.ErrConflict)
	// Rejection needs a comment.
	_, err = h.svc.Reject(ctx, omar, a.ID, ReviewInput{Comment: "  "})
	wantField(t, err, "comment")
	got, err := h.svc.Reject(ctx, omar, a.ID, ReviewInput{Comment: "Voeg de stap 'pijn meten' toe."})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusConcept || got.Draft.ReviewComment == "" {
		t.Fatalf("after reject: %s %q", got.Status, got.Draft.ReviewComment)
	}
	if _, err := h.svc.Submit(ctx, ilse, a.ID, SubmitInput{}); err != nil {
		t.Fatal(err)
	}
	// Another editor (here the administrator) approves: version 1.0.
	pub, err := h.svc.Approve(ctx, yvonne, a.ID, ReviewInput{})
	if err != nil {
		t.Fatal(err)
	}
	if pub.Status != StatusPublished || pub.Version != "1.0" || len(pub.Versions) != 1 || pub.Versions[0].Reviewer.ID != yvonne.UserID || pub.Versions[0].Author.ID != ilse.UserID {
		t.Fatalf("published: %+v", pub)
	}
	r, err := h.svc.Get(anouk, a.ID)
	if err != nil || r.Draft != nil || r.CanEdit {
		t.Fatalf("reader view: %v draft=%v canEdit=%v", err, r.Draft, r.CanEdit)
	}

	// A new working copy does not change what readers see.
	d := pub.Draft
	in := DraftInput{ArticleInput: input("Wondprotocol"), Revision: d.Revision}
	in.Body = "## Nieuw\n\nGeheel herzien.\n"
	saved, err := h.svc.SaveDraft(ctx, omar, a.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Status != StatusConcept {
		t.Fatalf("status %s", saved.Status)
	}
	r, _ = h.svc.Get(anouk, a.ID)
	if strings.Contains(r.Body, "Geheel herzien") || r.Version != "1.0" {
		t.Fatalf("reader sees the working copy: %q", r.Body)
	}
	// Saving with a stale revision is a conflict, and nothing changes.
	_, err = h.svc.SaveDraft(ctx, ilse, a.ID, in)
	wantErr(t, err, apperr.ErrConflict)
	// A change to a published article needs a change note.
	_, err = h.svc.Submit(ctx, omar, a.ID, SubmitInput{})
	wantField(t, err, "changeNote")
	if _, err := h.svc.Submit(ctx, omar, a.ID, SubmitInput{ChangeNote: "Herzien", Major: false}); err != nil {
		t.Fatal(err)
	}
	// omar edited it, so omar cannot approve; ilse did not edit this change.
	_, err = h.svc.Approve(ctx, omar, a.ID, ReviewInput{})
	wantErr(t, err, apperr.ErrForbidden)
	pub, err = h.svc.Approve(ctx, ilse, a.ID, ReviewInput{})
	if err != nil {
		t.Fatal(err)
	}
	if pub.Version != "1.1" || !strings.Contains(pub.Body, "Geheel herzien") || len(pub.Versions) != 2 || pub.Versions[0].Version != "1.1" {
		t.Fatalf("second version: %s %+v", pub.Version, pub.Versions)
	}
	// Both versions stay readable, and the diff shows the change.
	v1, err := h.svc.Version(ctx, anouk, a.ID, "1.0")
	if err != nil || !strings.Contains(v1.Body, "Wond bekijken") {
		t.Fatalf("version 1.0: %v %+v", err, v1)
	}
	diff, err := h.svc.Diff(ctx, anouk, a.ID, "1.0", "1.1")
	if err != nil {
		t.Fatal(err)
	}
	var adds, dels int
	for _, l := range diff.Lines {
		switch {
		case l.Op == "add" && l.Text == "Geheel herzien.":
			adds++
		case l.Op == "del" && l.Text == "2. Wond bekijken":
			dels++
		}
	}
	if adds != 1 || dels != 1 {
		t.Fatalf("diff: %+v", diff.Lines)
	}
	_, err = h.svc.Diff(ctx, anouk, a.ID, "1.0", "draft")
	wantErr(t, err, apperr.ErrForbidden)
	_, err = h.svc.Diff(ctx, anouk, a.ID, "x", "1.1")
	wantField(t, err, "from")

	// Archive hides it from readers; restore brings it back.
	if _, err := h.svc.Archive(ctx, anouk, a.ID); err == nil {
		t.Fatal("a carer archived an article")
	}
	if _, err := h.svc.Archive(ctx, ilse, a.ID); err != nil {
		t.Fatal(err)
	}
	_, err = h.svc.Get(anouk, a.ID)
	wantErr(t, err, apperr.ErrNotFound)
	if hits, _ := searchHits(h.svc.Search(anouk, SearchQuery{Text: "wondprotocol"})); len(hits) != 0 {
		t.Fatalf("archived article found: %+v", hits)
	}
	if _, err := h.svc.Restore(ctx, ilse, a.ID); err != nil {
		t.Fatal(err)
	}
	if hits, _ := searchHits(h.svc.Search(anouk, SearchQuery{Text: "wondprotocol"})); len(hits) != 1 {
		t.Fatalf("restored article not found: %+v", hits)
	}
}

func TestValidation(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	bad := input("x")
	bad.Category, bad.Type, bad.Owner, bad.ReviewDue = "astrologie", "roman", "marketing", "morgen"
	bad.Audience = Audience{Teams: []string{"nope"}}
	bad.Tags = []string{"<script>"}
	bad.ExternalURL = "javascript:alert(1)"
	bad.Related = []string{"bestaat-niet"}
	_, err := h.svc.Create(ctx, ilse, bad)
	for _, f := range []string{"title", "category", "type", "owner", "reviewDue", "audience.teams[0]", "tags[0]", "externalUrl", "related[0]"} {
		wantField(t, err, f)
	}
	empty := input("Leeg publiek")
	empty.Audience = Audience{}
	_, err = h.svc.Create(ctx, ilse, empty)
	wantField(t, err, "audience")
	n, _ := h.st.DB.Collection(headsColl).CountDocuments(ctx, bson.D{})
	if n != 0 {
		t.Fatalf("%d articles stored from bad input", n)
	}
}

func TestAudience(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	in := input("Texelse veerdienst planning")
	in.Audience = Audience{Regions: []string{"zuid"}}
	zuid := h.publish(t, in)
	in = input("Katheteriseren bij mannen")
	in.Audience = Audience{Roles: []string{"wijkverpleegkundige"}}
	in.RequiresConfirmation = true
	nurses := h.publish(t, in)
	in = input("Teamafspraak wondzorg team B")
	in.Audience = Audience{Teams: []string{"team-b"}}
	teamB := h.publish(t, in)

	cases := []struct {
		who     string
		act     *identity.Actor
		visible map[string]bool
	}{
		{"anouk (team A, carer)", anouk, map[string]bool{zuid.ID: false, nurses.ID: false, teamB.ID: false}},
		{"fatima (team A, nurse)", fatima, map[string]bool{zuid.ID: false, nurses.ID: true, teamB.ID: false}},
		{"daan (team B)", daan, map[string]bool{zuid.ID: false, nurses.ID: false, teamB.ID: true}},
		{"chris (team C, region zuid)", chris, map[string]bool{zuid.ID: true, nurses.ID: false, teamB.ID: false}},
		{"ilse (editor)", ilse, map[string]bool{zuid.ID: true, nurses.ID: true, teamB.ID: true}},
	}
	for _, c := range cases {
		act := c.act
		listed := map[string]bool{}
		items, _, err := h.svc.List(act, ListQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			listed[it.ID] = true
		}
		for id, want := range c.visible {
			if listed[id] != want {
				t.Errorf("%s: listed %s = %v, want %v", c.who, id, listed[id], want)
			}
			_, err := h.svc.Get(act, id)
			if (err == nil) != want {
				t.Errorf("%s: direct link to %s: %v, want visible=%v", c.who, id, err, want)
			}
			hits, _ := searchHits(h.svc.Search(act, SearchQuery{Text: titleOf(t, h, id)}))
			found := false
			for _, hit := range hits {
				found = found || hit.ID == id
			}
			if found != want {
				t.Errorf("%s: search finds %s = %v, want %v", c.who, id, found, want)
			}
			_, err = h.svc.Confirm(ctx, act, id, ConfirmInput{Version: "1.0"})
			if !want && err == nil {
				t.Errorf("%s: confirmed an article outside the audience", c.who)
			}
		}
	}
	// Meta counts only what the reader sees.
	if m := h.svc.Meta(anouk); m.Categories[0].Count != 0 {
		t.Fatalf("anouk sees %d wound articles", m.Categories[0].Count)
	}
}

func titleOf(t testing.TB, h *harness, id string) string {
	a, err := h.svc.Get(ilse, id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Title
}

func TestConfirmAcrossVersions(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	in := input("Insuline injecteren")
	in.RequiresConfirmation = true
	a := h.publish(t, in)
	if !a.Confirmation.Required {
		t.Fatal("not required")
	}
	if p := h.svc.Pending(anouk); len(p) != 1 || p[0].ID != a.ID {
		t.Fatalf("pending for anouk: %+v", p)
	}
	// The audience was notified once, without the approver.
	if len(h.notices) != 1 || h.notices[0].kind != "article_confirm" || len(h.notices[0].users) != 5 {
		t.Fatalf("notices: %+v", h.notices)
	}
	_, err := h.svc.Confirm(ctx, anouk, a.ID, ConfirmInput{Version: "2.0"})
	wantErr(t, err, apperr.ErrConflict)
	_, err = h.svc.Confirm(ctx, anouk, a.ID, ConfirmInput{Version: "twee"})
	wantField(t, err, "version")
	st, err := h.svc.Confirm(ctx, anouk, a.ID, ConfirmInput{Version: "1.0"})
	if err != nil || st.Pending || st.ConfirmedVersion != "1.0" {
		t.Fatalf("confirm: %v %+v", err, st)
	}
	// Confirming twice is harmless.
	if _, err := h.svc.Confirm(ctx, anouk, a.ID, ConfirmInput{Version: "1.0"}); err != nil {
		t.Fatal(err)
	}
	if p := h.svc.Pending(anouk); len(p) != 0 {
		t.Fatalf("still pending: %+v", p)
	}
	// A minor change does not ask again.
	h.change(t, a.ID, "Typfout hersteld.\n", false)
	if p := h.svc.Pending(anouk); len(p) != 0 {
		t.Fatalf("pending after a minor change: %+v", p)
	}
	// A major change does, and an old version cannot be confirmed.
	b := h.change(t, a.ID, "Nieuwe naaldlengte.\n", true)
	if b.Version != "2.0" {
		t.Fatalf("version %s", b.Version)
	}
	if p := h.svc.Pending(anouk); len(p) != 1 {
		t.Fatalf("not pending after a major change: %+v", p)
	}
	_, err = h.svc.Confirm(ctx, anouk, a.ID, ConfirmInput{Version: "1.1"})
	wantErr(t, err, apperr.ErrConflict)
	if _, err := h.svc.Confirm(ctx, anouk, a.ID, ConfirmInput{Version: "2.0"}); err != nil {
		t.Fatal(err)
	}
	// Articles without confirmation refuse it clearly.
	plain := h.publish(t, input("Nieuws over verbandmiddelen"))
	_, err = h.svc.Confirm(ctx, anouk, plain.ID, ConfirmInput{Version: "1.0"})
	wantField(t, err, "version")

	// Reports: editors and coordinators see all teams, a district nurse her own.
	if _, err := h.svc.Confirm(ctx, daan, a.ID, ConfirmInput{Version: "2.0"}); err != nil {
		t.Fatal(err)
	}
	r, err := h.svc.Report(ilse, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Teams) != 3 || r.Total.Members != 5 || r.Total.Confirmed != 2 {
		t.Fatalf("report: %+v", r)
	}
	ta := r.Teams[0]
	if ta.Team.ID != "team-a" || ta.Confirmed != 1 || len(ta.Missing) != 2 || ta.Missing[0].Name != "Fatima El Amrani" {
		t.Fatalf("team A: %+v", ta)
	}
	if _, err := h.svc.Report(marie, a.ID); err != nil {
		t.Fatal(err)
	}
	own, err := h.svc.Report(fatima, a.ID)
	if err != nil || len(own.Teams) != 1 || own.Teams[0].Team.ID != "team-a" {
		t.Fatalf("fatima's report: %v %+v", err, own)
	}
	for _, act := range []*identity.Actor{anouk, peter} {
		_, err := h.svc.Report(act, a.ID)
		wantErr(t, err, apperr.ErrForbidden)
	}
	csv := string(ReportCSV(r))
	if !strings.Contains(csv, "Team A;noord;3;1;33,3;Fatima El Amrani, Sanne Bakker") {
		t.Fatalf("csv: %q", csv)
	}
	org, err := h.svc.OrgReport(ilse)
	if err != nil || len(org) != 1 || org[0].Confirmed != 2 {
		t.Fatalf("org report: %v %+v", err, org)
	}
}

func TestAttachments(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	a, err := h.svc.Create(ctx, ilse, input("Met bijlage"))
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
	bad := []struct {
		name string
		file string
		data []byte
	}{
		{"empty", "leeg.pdf", nil},
		{"oversize", "groot.pdf", append([]byte("%PDF-1.7\n"), make([]byte, maxAttachment)...)},
		{"html", "pagina.html", []byte("<html><script>alert(1)</script></html>")},
		{"png named pdf", "foto.pdf", []byte("\x89PNG\r\n\x1a\n....")},
		{"exe", "setup.exe", []byte("MZ\x90\x00\x03")},
		{"no name", "", pdf},
	}
	for _, b := range bad {
		_, err := h.svc.Attach(ctx, ilse, a.ID, b.file, b.data)
		wantField(t, err, "file")
	}
	n, _ := h.st.DB.Collection(filesBucket+".chunks").CountDocuments(ctx, bson.D{})
	if n != 0 {
		t.Fatalf("%d chunks stored from refused files", n)
	}
	if cur, _ := h.svc.Get(ilse, a.ID); cur.Draft.Revision != 1 {
		t.Fatalf("refused files changed the article: revision %d", cur.Draft.Revision)
	}
	_, err = h.svc.Attach(ctx, anouk, a.ID, "x.pdf", pdf)
	wantErr(t, err, apperr.ErrForbidden)
	att, err := h.svc.Attach(ctx, ilse, a.ID, `..\..\Protocol "wond".pdf`, pdf)
	if err != nil {
		t.Fatal(err)
	}
	if att.Name != "Protocol wond.pdf" || att.ContentType != "application/pdf" {
		t.Fatalf("attachment: %+v", att)
	}
	// Readers cannot fetch it before publication.
	_, _, _, err = h.svc.File(ctx, anouk, a.ID, att.ID)
	wantErr(t, err, apperr.ErrNotFound)
	if _, err := h.svc.Submit(ctx, ilse, a.ID, SubmitInput{}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Approve(ctx, omar, a.ID, ReviewInput{}); err != nil {
		t.Fatal(err)
	}
	got, _, body, err := h.svc.File(ctx, anouk, a.ID, att.ID)
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	data, err := io.ReadAll(body)
	body.Close()
	if err != nil || !bytes.Equal(data, pdf) || got.Name != att.Name {
		t.Fatalf("download: %v", err)
	}
	_, _, _, err = h.svc.File(ctx, anouk, a.ID, "fnope")
	wantErr(t, err, apperr.ErrNotFound)
}

func TestMarkdownSanitised(t *testing.T) {
	h := newHarness(t)
	in := input("XSS")
	in.Body = "<script>alert(1)</script>\n\n[klik](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n\n| a |\n|---|\n| **b** |\n"
	a := h.publish(t, in)
	low := strings.ToLower(a.BodyHTML)
	for _, bad := range []string{"<script", "javascript:", "onerror", "<img"} {
		if strings.Contains(low, bad) {
			t.Fatalf("bodyHtml contains %q: %s", bad, a.BodyHTML)
		}
	}
	if !strings.Contains(a.BodyHTML, "<table>") || !strings.Contains(a.BodyHTML, "<strong>b</strong>") {
		t.Fatalf("markdown not rendered: %s", a.BodyHTML)
	}
}

func TestFeedback(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	a := h.publish(t, input("Decubitus"))
	_, err := h.svc.AddFeedback(ctx, anouk, a.ID, FeedbackInput{Kind: "klacht", Text: ""})
	wantField(t, err, "kind")
	wantField(t, err, "text")
	f, err := h.svc.AddFeedback(ctx, anouk, a.ID, FeedbackInput{Kind: "outdated", Text: "Het telefoonnummer klopt niet meer."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.AddFeedback(ctx, sanne, a.ID, FeedbackInput{Kind: "question", Text: "Geldt dit ook 's nachts?"}); err != nil {
		t.Fatal(err)
	}
	mine, _ := h.svc.ArticleFeedback(anouk, a.ID)
	if len(mine) != 1 || mine[0].ID != f.ID {
		t.Fatalf("anouk sees others' feedback: %+v", mine)
	}
	_, err = h.svc.Inbox(anouk, true)
	wantErr(t, err, apperr.ErrForbidden)
	_, err = h.svc.AnswerFeedback(ctx, anouk, f.ID, AnswerInput{Text: "x"})
	wantErr(t, err, apperr.ErrForbidden)
	if _, err := h.svc.AnswerFeedback(ctx, ilse, f.ID, AnswerInput{Text: "Aangepast, dank je!"}); err != nil {
		t.Fatal(err)
	}
	_, err = h.svc.AnswerFeedback(ctx, omar, f.ID, AnswerInput{Text: "Nog een antwoord"})
	wantErr(t, err, apperr.ErrConflict)
	open, _ := h.svc.Inbox(ilse, true)
	if len(open) != 1 || open[0].Kind != "question" {
		t.Fatalf("open inbox: %+v", open)
	}
	mine, _ = h.svc.ArticleFeedback(anouk, a.ID)
	if mine[0].Answer == nil || mine[0].Answer.Text != "Aangepast, dank je!" {
		t.Fatalf("answer not shown: %+v", mine[0])
	}
	last := h.notices[len(h.notices)-1]
	if last.kind != "reply" || last.users[0] != anouk.UserID {
		t.Fatalf("asker not notified: %+v", last)
	}
}

// Two instances on one store: writes on one are followed by the other, and
// a concurrent change of the same revision loses cleanly.
func TestTwoInstances(t *testing.T) {
	st := newHarness(t).st
	h1, h2 := newHarnessOn(t, st), newHarnessOn(t, st)
	ctx := context.Background()
	in := input("Handhygiëne")
	in.RequiresConfirmation = true
	a := h1.publish(t, in)
	if err := h2.svc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := h2.svc.Get(anouk, a.ID)
	if err != nil || got.Version != "1.0" {
		t.Fatalf("instance 2: %v %+v", err, got)
	}
	if hits, _ := searchHits(h2.svc.Search(anouk, SearchQuery{Text: "handhygiene"})); len(hits) != 1 {
		t.Fatalf("instance 2 search: %+v", hits)
	}
	if _, err := h2.svc.Confirm(ctx, anouk, a.ID, ConfirmInput{Version: "1.0"}); err != nil {
		t.Fatal(err)
	}
	if err := h1.svc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if p := h1.svc.Pending(anouk); len(p) != 0 {
		t.Fatalf("instance 1 did not follow the confirmation: %+v", p)
	}
	// Concurrent saves of the same revision: exactly one wins.
	cur, _ := h1.svc.Get(ilse, a.ID)
	d := DraftInput{ArticleInput: in, Revision: cur.Draft.Revision}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, svc := range []*Service{h1.svc, h2.svc} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = svc.SaveDraft(ctx, ilse, a.ID, d)
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("concurrent saves: %v, %v; want exactly one to win", errs[0], errs[1])
	}
	// A restarted instance loads the same state.
	h3 := newHarnessOn(t, st)
	got, err = h3.svc.Get(ilse, a.ID)
	if err != nil || got.Status != StatusConcept || got.Version != "1.0" {
		t.Fatalf("restarted: %v %+v", err, got)
	}
	if p := h3.svc.Pending(anouk); len(p) != 0 {
		t.Fatalf("restarted instance lost the confirmation")
	}
}
