package knowledge

import (
	"errors"
	"slices"
	"testing"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

func TestAudienceFilter(t *testing.T) {
	svc, w := seededService(t)
	anouk := w.actor("anouk.devries")    // care worker, Den Helder
	fatima := w.actor("fatima.elamrani") // district nurse, Den Helder
	ilse := w.actor("ilse.dekker")       // editor
	ids := func(a *identity.Actor, q ListQuery) []string {
		t.Helper()
		q.Limit = 200
		xs, total, err := svc.List(a, q)
		if err != nil {
			t.Fatal(err)
		}
		if total != len(xs) {
			t.Fatalf("total %d for %d items", total, len(xs))
		}
		var out []string
		for _, x := range xs {
			out = append(out, x.ID)
		}
		return out
	}
	all := ids(fatima, ListQuery{})
	everyone := ids(fatima, ListQuery{Audience: "everyone"})
	mine := ids(fatima, ListQuery{Audience: "mine"})
	if len(everyone) == 0 || len(mine) == 0 || len(everyone)+len(mine) != len(all) {
		t.Fatalf("everyone %d + mine %d != all %d", len(everyone), len(mine), len(all))
	}
	if !slices.Contains(mine, "zorgverlening-katheteriseren") || slices.Contains(everyone, "zorgverlening-katheteriseren") {
		t.Fatalf("the district nurses' protocol: mine %v", mine)
	}
	// A care worker has fewer articles aimed at her (not the district nurses' ones).
	if m := ids(anouk, ListQuery{Audience: "mine"}); slices.Contains(m, "zorgverlening-katheteriseren") || len(m) >= len(mine) {
		t.Fatalf("care worker's own articles: %v", m)
	}
	// Another region's articles: only editors find them by that filter.
	if got := ids(ilse, ListQuery{Audience: "region:texel"}); !slices.Equal(got, []string{"zorgverlening-texel-veerboot"}) {
		t.Fatalf("editor, region:texel: %v", got)
	}
	if got := ids(anouk, ListQuery{Audience: "region:texel"}); len(got) != 0 {
		t.Fatalf("care worker, region:texel: %v", got)
	}
	if got := ids(ilse, ListQuery{Audience: "role:wijkverpleegkundige"}); !slices.Contains(got, "zorgverlening-katheteriseren") || slices.Contains(got, "zorgverlening-texel-veerboot") {
		t.Fatalf("editor, role: %v", got)
	}
	// Search takes the same filter.
	hits, err := searchHits(svc.Search(fatima, SearchQuery{Text: "katheter", Prefix: true, Audience: "mine"}))
	if err != nil || len(hits) == 0 || hits[0].ID != "zorgverlening-katheteriseren" {
		t.Fatalf("search mine: %v %+v", err, hits)
	}
	hits, _ = searchHits(svc.Search(fatima, SearchQuery{Text: "katheter", Prefix: true, Audience: "everyone"}))
	for _, h := range hits {
		if h.ID == "zorgverlening-katheteriseren" {
			t.Fatal("search everyone finds a role's article")
		}
	}
	// Bad filters are refused by field.
	for _, bad := range []string{"iedereen", "team:", "team:nergens", "region:atlantis", "role:koning", "mine:x"} {
		_, _, err := svc.List(anouk, ListQuery{Audience: bad})
		var ve *apperr.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != "audience" {
			t.Errorf("List audience=%q: %v", bad, err)
		}
		_, err = searchHits(svc.Search(anouk, SearchQuery{Text: "wond", Audience: bad}))
		if !errors.As(err, &ve) || ve.Fields[0].Field != "audience" {
			t.Errorf("Search audience=%q: %v", bad, err)
		}
	}
}
