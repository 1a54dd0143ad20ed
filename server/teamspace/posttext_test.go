package teamspace

import (
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
