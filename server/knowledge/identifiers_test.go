package knowledge

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
)

// TestIdentifierGuard: an article's title, summary or body with a likely
// client identifier is refused until the editor acknowledges it; only
// changed texts are asked about; a published one is neither found by the
// identifier nor shown by a search hit's title, summary or snippet.
func TestIdentifierGuard(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	const bsn = "123456782"
	in := input("Wondzorg bij mevr. Jansen")
	in.Summary = "Verbandwissel voor cliënt " + bsn + "."
	in.Body = "## Stappen\n\nBSN " + bsn + ": wondzorgbeleid volgen.\n"

	// Who may not edit is refused first, acknowledged or not.
	in.AcknowledgeIdentifiers = true
	_, err := h.svc.Create(ctx, anouk, in)
	wantErr(t, err, apperr.ErrForbidden)
	in.AcknowledgeIdentifiers = false

	_, err = h.svc.Create(ctx, ilse, in)
	var se *identifiers.SuspectedError
	if !errors.As(err, &se) || len(se.Findings) != 2 || se.Findings[0] != (identifiers.FieldFinding{Field: "summary", Kind: "bsn"}) ||
		se.Findings[1] != (identifiers.FieldFinding{Field: "body", Kind: "bsn"}) || strings.Contains(se.Error(), bsn) {
		t.Fatalf("create without acknowledgement: %v", err)
	}
	if l, _, _ := h.svc.List(yvonne, ListQuery{}); len(l) != 0 {
		t.Fatalf("a refused article was stored: %+v", l)
	}
	in.AcknowledgeIdentifiers = true
	a := h.publish(t, in)
	if l, _, _ := h.svc.List(yvonne, ListQuery{}); len(l) != 1 {
		t.Fatalf("list after the acknowledged one: %+v", l)
	}

	// A new working copy that keeps the texts needs no acknowledgement; a
	// changed title with an address does.
	cur, err := h.svc.Get(ilse, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := DraftInput{ArticleInput: in, Revision: cur.Draft.Revision}
	d.AcknowledgeIdentifiers = false
	if _, err := h.svc.SaveDraft(ctx, ilse, a.ID, d); err != nil {
		t.Fatalf("unchanged texts: %v", err)
	}
	d.Title, d.Revision = "Wondzorg Kerkstraat 12", d.Revision+1
	_, err = h.svc.SaveDraft(ctx, ilse, a.ID, d)
	if !errors.As(err, &se) || len(se.Findings) != 1 || se.Findings[0] != (identifiers.FieldFinding{Field: "title", Kind: "address"}) {
		t.Fatalf("changed title: %v", err)
	}
	_, err = h.svc.SaveDraft(ctx, omar, a.ID, d) // another editor: the same rule
	if !errors.As(err, &se) {
		t.Fatalf("changed title, other editor: %v", err)
	}

	// Search: not by the number; by another word, masked.
	for _, q := range []string{bsn, "123.456.782"} {
		if hits, _ := searchHits(h.svc.Search(anouk, SearchQuery{Text: q})); len(hits) != 0 {
			t.Fatalf("the BSN is searchable (%q): %+v", q, hits)
		}
	}
	res, err := h.svc.Search(anouk, SearchQuery{Text: "wondzorgbeleid"})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("search by another word: %+v %v", res, err)
	}
	hit := res.Hits[0]
	if s := hit.Title + hit.Summary + hit.Snippet.Text; strings.Contains(s, bsn) || !strings.Contains(hit.Snippet.Text, "•••••••••") ||
		!strings.Contains(hit.Summary, "•••••••••") {
		t.Fatalf("the hit shows the number: %+v", hit)
	}
	// The article itself, read by its audience, is as written.
	got, err := h.svc.Get(anouk, a.ID)
	if err != nil || !strings.Contains(got.Summary, bsn) {
		t.Fatalf("article: %v %+v", err, got)
	}
}
