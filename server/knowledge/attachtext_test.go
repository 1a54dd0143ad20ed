package knowledge

import (
	"context"
	"strings"
	"testing"

	"github.com/plein/plein/server/doctext"
	"github.com/plein/plein/server/photo/phototest"
)

func TestAttachmentTextsAreSearched(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	in := input("Stomazorg")
	in.Audience = Audience{Roles: []string{"wijkverpleegkundige"}}
	a, err := h.svc.Create(ctx, ilse, in)
	if err != nil {
		t.Fatal(err)
	}
	pdf := doctext.SimplePDF("Protocol stomazorg", []string{"Controleer de huid rond het stoma op roodheid.", "Gebruik een huidbeschermende pasta bij lekkage."})
	if _, err := h.svc.Attach(ctx, ilse, a.ID, "protocol-stomazorg.pdf", pdf); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Attach(ctx, ilse, a.ID, "foto.png", phototest.PNG(t, 1, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Submit(ctx, ilse, a.ID, SubmitInput{}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Approve(ctx, omar, a.ID, ReviewInput{}); err != nil {
		t.Fatal(err)
	}
	find := func(svc *Service, who string) []SearchHit {
		t.Helper()
		var hits []SearchHit
		switch who {
		case "fatima":
			hits, err = searchHits(svc.Search(fatima, SearchQuery{Text: "huidbeschermende pasta"}))
		case "anouk":
			hits, err = searchHits(svc.Search(anouk, SearchQuery{Text: "huidbeschermende pasta"}))
		}
		if err != nil {
			t.Fatal(err)
		}
		return hits
	}
	if hits := find(h.svc, "fatima"); len(hits) != 0 {
		t.Fatalf("found before the texts were read: %+v", hits)
	}
	if n := h.svc.LoadAttachmentTexts(ctx); n != 2 {
		t.Fatalf("read %d texts, want 2 (the PDF's, and none for the image)", n)
	}
	hits := find(h.svc, "fatima")
	if len(hits) != 1 || hits[0].ID != a.ID || !strings.Contains(hits[0].Snippet.Text, "huidbeschermende pasta") || len(hits[0].Snippet.Marks) != 2 {
		t.Fatalf("found by the attachment: %+v", hits)
	}
	// The article's audience still decides.
	if hits := find(h.svc, "anouk"); len(hits) != 0 {
		t.Fatalf("a care worker outside the audience finds it: %+v", hits)
	}
	if n := h.svc.LoadAttachmentTexts(ctx); n != 0 {
		t.Fatalf("read %d texts again", n)
	}
	// Another instance (or a restart) finds it after reading the texts.
	other := newHarnessOn(t, h.st)
	if n := other.svc.LoadAttachmentTexts(ctx); n != 2 {
		t.Fatalf("second instance read %d texts", n)
	}
	if hits := find(other.svc, "fatima"); len(hits) != 1 {
		t.Fatalf("second instance: %+v", hits)
	}
}
