package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/app/apptest"
)

// TestIdentifierGuard: a valid BSN in a team post or a chat message is
// refused until the writer acknowledges it (422 identifier_suspected, an
// error frame in chat); stored, it is neither found nor shown by search, and
// a search for it is recorded masked in the access log.
func TestIdentifierGuard(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anouk := srv.Login(t, "anouk.devries")
	const bsn = "123456782"
	word := "guardwoord" + strings.ReplaceAll(time.Now().Format("150405.000"), ".", "")
	body := map[string]any{"body": "Mevr. Jansen (" + word + "), BSN " + bsn, "visibility": "team"}

	st, b := anouk.Do("POST", "/api/v1/spaces/den-helder-centrum/posts", body)
	if st != 422 || strings.Contains(string(b), bsn) {
		t.Fatalf("without acknowledgement: %d %s", st, b)
	}
	p := apptest.ParseProblem(t, b)
	for _, want := range []string{`"type":"/problems/identifier-suspected"`, `"code":"identifier_suspected"`, `"findings":[{"field":"body","kind":"bsn"}]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("problem %s lacks %s", b, want)
		}
	}
	if p.Status != 422 {
		t.Errorf("status in the document: %d", p.Status)
	}
	body["acknowledgeIdentifiers"] = true
	var post struct {
		ID   string `json:"id"`
		Body string `json:"body"`
	}
	if st := anouk.JSON("POST", "/api/v1/spaces/den-helder-centrum/posts", body, &post); st != 201 || !strings.Contains(post.Body, bsn) {
		t.Fatalf("with acknowledgement: %d %+v", st, post)
	}

	type result struct {
		Groups []struct {
			Type  string `json:"type"`
			Items []struct {
				ID      string `json:"id"`
				Title   string `json:"title"`
				Snippet struct {
					Text string `json:"text"`
				} `json:"snippet"`
			} `json:"items"`
		} `json:"groups"`
	}
	var r result
	if st := anouk.JSON("GET", "/api/v1/search?types=post&q="+bsn, nil, &r); st != 200 {
		t.Fatalf("search: %d", st)
	}
	for _, g := range r.Groups {
		if len(g.Items) > 0 {
			t.Fatalf("the BSN is searchable: %+v", g.Items)
		}
	}
	if st := anouk.JSON("GET", "/api/v1/search?types=post&q="+word, nil, &r); st != 200 {
		t.Fatalf("search: %d", st)
	}
	found := false
	for _, g := range r.Groups {
		for _, it := range g.Items {
			if it.ID == post.ID {
				found = true
				if strings.Contains(it.Snippet.Text+it.Title, bsn) || !strings.Contains(it.Snippet.Text, "•••••••••") {
					t.Errorf("hit shows the number: %+v", it)
				}
			}
		}
	}
	if !found {
		t.Fatalf("the post is not found by its other words: %+v", r)
	}
	for _, e := range srv.AccessEntries(t) {
		if strings.Contains(e.Subject, bsn) {
			t.Fatalf("the access log holds the BSN: %q", e.Subject)
		}
	}

	// Chat: refused, then stored with the frame's acknowledgement.
	ws := anouk.DialWS(t)
	ws.Until("ready", nil)
	ws.Send(map[string]any{"type": "send", "id": "1", "ch": "t-den-helder-centrum", "clientId": "g1", "body": "BSN " + bsn})
	f, _ := ws.Until("error", nil)
	if f["code"] != "identifier_suspected" || f["clientId"] != "g1" || strings.Contains(fmt.Sprint(f), bsn) {
		t.Fatalf("error frame: %v", f)
	}
	ws.Send(map[string]any{"type": "send", "id": "2", "ch": "t-den-helder-centrum", "clientId": "g1", "body": "BSN " + bsn, "acknowledgeIdentifiers": true})
	if f, _ := ws.Until("ack", nil); f["clientId"] != "g1" {
		t.Fatalf("ack: %v", f)
	}
}

// TestIdentifierGuardNamesAndProfiles: a chat channel's name or topic and a
// team's description or working area (an administrator's PATCH /teams/:id,
// which becomes a profile revision) are refused with the same problem until
// acknowledged; who may not make the change is refused first.
func TestIdentifierGuardNamesAndProfiles(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anouk := srv.Login(t, "anouk.devries")
	yvonne := srv.Login(t, "yvonne.kramer")
	const bsn = "123456782"
	wantSuspected := func(st int, b []byte, findings string) {
		t.Helper()
		if st != 422 || strings.Contains(string(b), bsn) || !strings.Contains(string(b), `"code":"identifier_suspected"`) ||
			!strings.Contains(string(b), findings) {
			t.Fatalf("want 422 identifier_suspected with %s: %d %s", findings, st, b)
		}
	}

	ch := map[string]any{"name": "Mevr. Jansen", "kind": "closed", "topic": "BSN " + bsn}
	st, b := anouk.Do("POST", "/api/v1/chat/channels", ch)
	wantSuspected(st, b, `"findings":[{"field":"topic","kind":"bsn"}]`)
	ch["acknowledgeIdentifiers"] = true
	if st, b := anouk.Do("POST", "/api/v1/chat/channels", ch); st != 201 {
		t.Fatalf("acknowledged channel: %d %s", st, b)
	}
	if st, b := anouk.Do("POST", "/api/v1/chat/channels", map[string]any{"name": "Overleg 2027", "kind": "open"}); st != 201 {
		t.Fatalf("plain channel: %d %s", st, b)
	}

	patch := map[string]any{"description": "Wij helpen mevr. Jansen, Kerkstraat 12"}
	if st, b := anouk.Do("PATCH", "/api/v1/teams/julianadorp", patch); st != 403 {
		t.Fatalf("a care worker changes a team: %d %s", st, b)
	}
	st, b = yvonne.Do("PATCH", "/api/v1/teams/julianadorp", patch)
	wantSuspected(st, b, `"findings":[{"field":"description","kind":"address"}]`)
	patch["acknowledgeIdentifiers"] = true
	if st, b := yvonne.Do("PATCH", "/api/v1/teams/julianadorp", patch); st != 200 {
		t.Fatalf("acknowledged team change: %d %s", st, b)
	}
	// The description stays; a new working area entry with a BSN is asked about.
	st, b = yvonne.Do("PATCH", "/api/v1/teams/julianadorp", map[string]any{"workingArea": []string{"1781", bsn}})
	wantSuspected(st, b, `"findings":[{"field":"workingArea","kind":"bsn"}]`)
}
