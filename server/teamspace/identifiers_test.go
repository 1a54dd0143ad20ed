package teamspace

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identifiers"
)

const testBSN = "123456782" // passes the 11-proef

// wantSuspected checks a 422 identifier_suspected problem that names these
// field/kind pairs and never repeats the text.
func wantSuspected(t *testing.T, w interface {
	Result() *http.Response
}, body string, want ...string) {
	t.Helper()
	res := w.Result()
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422: %s", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, httpapi.ProblemContentType) {
		t.Fatalf("content type %q", ct)
	}
	if strings.Contains(body, testBSN) || strings.Contains(body, "Kerkstraat") {
		t.Fatalf("the problem repeats the text: %s", body)
	}
	for _, s := range []string{`"type":"/problems/identifier-suspected"`, `"code":"identifier_suspected"`} {
		if !strings.Contains(body, s) {
			t.Fatalf("no %s in %s", s, body)
		}
	}
	for _, ff := range want {
		field, kind, _ := strings.Cut(ff, "/")
		if !strings.Contains(body, fmt.Sprintf(`{"field":%q,"kind":%q}`, field, kind)) {
			t.Fatalf("no finding %s in %s", ff, body)
		}
	}
}

func TestIdentifierGuard(t *testing.T) {
	e := newEnv(t)
	base := "/api/v1/spaces/" + dhc0
	text := "Mevr. Jansen, BSN " + testBSN + ", heeft vandaag zorg nodig"

	t.Run("post", func(t *testing.T) {
		w := e.do(anouk, "POST", base+"/posts", map[string]any{"body": text, "visibility": "team"})
		wantSuspected(t, w, w.Body.String(), "body/bsn")
		if p, _ := e.svc.ListPosts(t.Context(), e.actor(anouk), dhc0, PostQuery{}); len(p.Items) != 0 {
			t.Fatalf("a refused post was stored")
		}
		e.notes.reset()
		w = e.do(anouk, "POST", base+"/posts", map[string]any{"body": text, "visibility": "team", "acknowledgeIdentifiers": true})
		wantStatus(t, w, http.StatusCreated)
		p := decode[Post](t, w)
		if p.Body != text {
			t.Fatalf("stored %q", p.Body)
		}
		// The notification's preview masks the number.
		for _, n := range e.notes.to(sanne) {
			if strings.Contains(n.Text, testBSN) || !strings.Contains(n.Text, "•••••••••") {
				t.Fatalf("notification text %q", n.Text)
			}
		}
		if len(e.notes.to(sanne)) == 0 {
			t.Fatal("members not told")
		}
		// An edit that adds an address is refused, then stored with the acknowledgement.
		w = e.do(anouk, "PATCH", base+"/posts/"+p.ID, map[string]any{"body": "Kerkstraat 12, 1781 AB"})
		wantSuspected(t, w, w.Body.String(), "body/address")
		w = e.do(anouk, "PATCH", base+"/posts/"+p.ID, map[string]any{"body": "Kerkstraat 12, 1781 AB", "acknowledgeIdentifiers": true})
		wantStatus(t, w, http.StatusOK)
		// An edit that does not change the text needs nothing, even when it sends the text.
		w = e.do(anouk, "PATCH", base+"/posts/"+p.ID, map[string]any{"visibility": "organisation"})
		wantStatus(t, w, http.StatusOK)
		w = e.do(anouk, "PATCH", base+"/posts/"+p.ID, map[string]any{"body": "Kerkstraat 12, 1781 AB", "visibility": "team"})
		wantStatus(t, w, http.StatusOK)

		// Comments.
		w = e.do(sanne, "POST", base+"/posts/"+p.ID+"/comments", map[string]any{"body": "geb. 12-03-1950"})
		wantSuspected(t, w, w.Body.String(), "body/birthdate")
		w = e.do(sanne, "POST", base+"/posts/"+p.ID+"/comments", map[string]any{"body": "geb. 12-03-1950", "acknowledgeIdentifiers": true})
		wantStatus(t, w, http.StatusCreated)
		w = e.do(sanne, "POST", base+"/posts/"+p.ID+"/comments", map[string]any{"body": "Prima, ik ga om 10.00 uur"})
		wantStatus(t, w, http.StatusCreated)
	})

	t.Run("event", func(t *testing.T) {
		ev := map[string]any{"title": "Bezoek " + testBSN, "start": testNow.Add(48 * time.Hour).Format(time.RFC3339),
			"end": testNow.Add(49 * time.Hour).Format(time.RFC3339), "visibility": "team", "location": "Kerkstraat 12",
			"description": "Teamoverleg"}
		w := e.do(anouk, "POST", base+"/events", ev)
		wantSuspected(t, w, w.Body.String(), "title/bsn", "location/address")
		ev["acknowledgeIdentifiers"] = true
		w = e.do(anouk, "POST", base+"/events", ev)
		wantStatus(t, w, http.StatusCreated)
		ev["title"], ev["location"], ev["acknowledgeIdentifiers"] = "Teamoverleg", "Teampost", false
		w = e.do(anouk, "POST", base+"/events", ev)
		wantStatus(t, w, http.StatusCreated)
	})

	t.Run("document", func(t *testing.T) {
		name := "Zorgplan " + testBSN + ".pdf"
		w := e.upload(anouk, base+"/documents", name, pdfBytes("plan"), nil)
		wantSuspected(t, w, w.Body.String(), "file/bsn")
		w = e.upload(anouk, base+"/documents", "Rooster.pdf", pdfBytes("plan"), map[string]string{"note": "voor geb. 1-2-1950"})
		wantSuspected(t, w, w.Body.String(), "note/birthdate")
		w = e.upload(anouk, base+"/documents", name, pdfBytes("plan"), map[string]string{"acknowledgeIdentifiers": "true"})
		wantStatus(t, w, http.StatusCreated)
	})

	t.Run("staged post file", func(t *testing.T) {
		// A post's file is staged before the post exists: its name is
		// checked at staging, with the same warn-and-choose protocol.
		name := "Wondfoto Kerkstraat 12 " + testBSN + ".pdf"
		w := e.upload(anouk, base+"/uploads", name, pdfBytes("foto"), nil)
		wantSuspected(t, w, w.Body.String(), "file/bsn", "file/address")
		if n := e.stagedCount(); n != 0 {
			t.Fatalf("a refused file was staged: %d staging records", n)
		}
		w = e.upload(anouk, base+"/uploads", name, pdfBytes("foto"), map[string]string{"acknowledgeIdentifiers": "false"})
		wantSuspected(t, w, w.Body.String(), "file/bsn")
		w = e.upload(anouk, base+"/uploads", name, pdfBytes("foto"), map[string]string{"acknowledgeIdentifiers": "true"})
		wantStatus(t, w, http.StatusCreated)
		w = e.upload(anouk, base+"/uploads", "Rooster week 12.pdf", pdfBytes("rooster"), nil)
		wantStatus(t, w, http.StatusCreated)
	})

	t.Run("announcement", func(t *testing.T) {
		an := map[string]any{"title": "Cliënt Kerkstraat 12", "body": "Mevr. Jansen, BSN " + testBSN,
			"audience": map[string]any{"everyone": true}, "requiresAck": false}
		// Who may not announce is refused first, and told nothing about the text.
		wantStatus(t, e.do(anouk, "POST", "/api/v1/announcements", an), http.StatusForbidden)
		w := e.do(ilse, "POST", "/api/v1/announcements", an)
		wantSuspected(t, w, w.Body.String(), "title/address", "body/bsn")
		if l, _ := e.svc.ListAnnouncements(t.Context(), e.actor(ilse), 0); len(l) != 0 {
			t.Fatalf("a refused announcement was stored: %+v", l)
		}
		an["acknowledgeIdentifiers"] = true
		wantStatus(t, e.do(ilse, "POST", "/api/v1/announcements", an), http.StatusCreated)
	})

	t.Run("folder", func(t *testing.T) {
		f := map[string]any{"parent": "/", "name": "Mevr. Jansen geb. 12-03-1950"}
		w := e.do(anouk, "POST", base+"/folders", f)
		wantSuspected(t, w, w.Body.String(), "name/birthdate")
		f["acknowledgeIdentifiers"] = true
		wantStatus(t, e.do(anouk, "POST", base+"/folders", f), http.StatusCreated)
		// Not a member: not found as before, acknowledged or not.
		wantStatus(t, e.do(daan, "POST", base+"/folders", map[string]any{"parent": "/", "name": "Overleg " + testBSN, "acknowledgeIdentifiers": true}), http.StatusNotFound)
		wantStatus(t, e.do(anouk, "POST", base+"/folders", map[string]any{"parent": "/", "name": "Overleg 2027"}), http.StatusCreated)
	})

	t.Run("profile", func(t *testing.T) {
		sp, err := e.svc.GetSpace(t.Context(), e.actor(anouk), dhc0)
		if err != nil {
			t.Fatal(err)
		}
		contact := map[string]any{"phone": "0223 555 1234", "email": ""}
		pr := map[string]any{"description": "Wij helpen mevr. Jansen, BSN " + testBSN, "workingArea": []string{"1781", "Kerkstraat 12"},
			"contact": contact, "revision": sp.Revision}
		w := e.do(anouk, "PUT", base+"/profile", pr)
		wantSuspected(t, w, w.Body.String(), "description/bsn", "workingArea/address")
		pr["acknowledgeIdentifiers"] = true
		wantStatus(t, e.do(anouk, "PUT", base+"/profile", pr), http.StatusOK)
		// Only a changed text is asked about again: a new phone number is not.
		contact["phone"] = "0223 555 9999"
		pr["acknowledgeIdentifiers"], pr["revision"] = false, sp.Revision+1
		wantStatus(t, e.do(anouk, "PUT", base+"/profile", pr), http.StatusOK)
		pr["workingArea"], pr["revision"] = []string{"1781", "Kerkstraat 12", "Dorpsweg 3"}, sp.Revision+2
		w = e.do(anouk, "PUT", base+"/profile", pr)
		wantSuspected(t, w, w.Body.String(), "workingArea/address")
		if strings.Contains(w.Body.String(), "description") {
			t.Fatalf("the unchanged description was asked about: %s", w.Body.String())
		}
		// Another team's member is refused, acknowledged or not.
		pr["acknowledgeIdentifiers"] = true
		wantStatus(t, e.do(daan, "PUT", base+"/profile", pr), http.StatusForbidden)
	})

	// The service refuses as well, whoever calls it.
	_, err := e.svc.CreatePost(t.Context(), e.actor(anouk), dhc0, PostInput{Body: text, Visibility: VisibilityTeam})
	if _, ok := err.(*identifiers.SuspectedError); !ok {
		t.Fatalf("service: %v", err)
	}
}
