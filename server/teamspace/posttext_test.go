package teamspace

import (
	"context"
	"strings"
	"testing"
)

// A post whose body starts with <script> keeps its text: the source is
// stored as written and shown escaped, never run (#14 §7).
func TestPostScriptBodyKept(t *testing.T) {
	e := newEnv(t)
	body := "<script>alert(1)</script> Denk aan de sleutel"
	p := e.mustPost(anouk, dhc0, VisibilityTeam, body)
	got := decode[Post](t, e.do(sanne, "GET", "/api/v1/spaces/den-helder-centrum/posts/"+p.ID, nil))
	if got.Body != body {
		t.Fatalf("body %q", got.Body)
	}
	if strings.Contains(got.BodyHTML, "<script") || !strings.Contains(got.BodyHTML, "&lt;script&gt;alert(1)&lt;/script&gt; Denk aan de sleutel") {
		t.Fatalf("html %q", got.BodyHTML)
	}
}

// Space cards show a description's words, not its **markup** (#14 §7).
func TestSpaceCardPreviewIsPlainText(t *testing.T) {
	e := newEnv(t)
	rev := 0
	desc := "## Over ons\n\nWij zijn **het team** van *Den Helder*. Zie [ons rooster](https://plein.test/r).\n\n- wondzorg\n- `palliatief`"
	if _, err := e.svc.UpdateProfile(context.Background(), e.actor(anouk), dhc0, ProfileInput{Description: desc, WorkingArea: []string{}, Revision: &rev}); err != nil {
		t.Fatal(err)
	}
	list := decode[SpaceList](t, e.do(daan, "GET", "/api/v1/spaces", nil))
	for _, sp := range list.Teams {
		if sp.ID != dhc0 {
			continue
		}
		if strings.ContainsAny(sp.Description, "*#[]`") || !strings.Contains(sp.Description, "Wij zijn het team van Den Helder. Zie ons rooster.") {
			t.Fatalf("card text %q", sp.Description)
		}
		return
	}
	t.Fatal("team not listed")
}
