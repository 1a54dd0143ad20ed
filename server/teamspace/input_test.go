package teamspace

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Every write refuses bad input with a problem document naming the fields.
func TestBadInput(t *testing.T) {
	e := newEnv(t)
	p := e.mustPost(anouk, dhc0, VisibilityOrganisation, "Bericht")
	sp := "/api/v1/spaces/den-helder-centrum"
	pp := sp + "/posts/" + p.ID
	long := strings.Repeat("a", MaxPostRunes+1)
	contact := map[string]any{"phone": "", "email": ""}
	cases := []struct {
		name, user, method, path string
		body                     any
		fields                   []string
	}{
		{"post empty", anouk, "POST", sp + "/posts", map[string]any{"body": "   ", "visibility": "team"}, []string{"body"}},
		{"post too long", anouk, "POST", sp + "/posts", map[string]any{"body": long, "visibility": "team"}, []string{"body"}},
		{"post control chars", anouk, "POST", sp + "/posts", map[string]any{"body": "a\x00b", "visibility": "team"}, []string{"body"}},
		{"post bad visibility", anouk, "POST", sp + "/posts", map[string]any{"body": "x", "visibility": "iedereen"}, []string{"visibility"}},
		{"post missing visibility", anouk, "POST", sp + "/posts", map[string]any{"body": "x"}, []string{"visibility"}},
		{"post unknown field", anouk, "POST", sp + "/posts", map[string]any{"body": "x", "visibility": "team", "authorId": daan}, []string{"authorId"}},
		{"post wrong type", anouk, "POST", sp + "/posts", map[string]any{"body": 5, "visibility": "team"}, []string{"body"}},
		{"patch empty body", anouk, "PATCH", pp, map[string]any{"body": ""}, []string{"body"}},
		{"patch bad visibility", anouk, "PATCH", pp, map[string]any{"visibility": "x"}, []string{"visibility"}},
		{"pin missing", anouk, "PUT", pp + "/pin", map[string]any{}, []string{"pinned"}},
		{"comment empty", anouk, "POST", pp + "/comments", map[string]any{"body": ""}, []string{"body"}},
		{"comment too long", anouk, "POST", pp + "/comments", map[string]any{"body": strings.Repeat("b", MaxCommentRunes+1)}, []string{"body"}},
		{"reaction not in set", anouk, "PUT", pp + "/reactions/" + url.PathEscape("🐍"), nil, []string{"emoji"}},
		{"profile bad contact", anouk, "PUT", sp + "/profile", map[string]any{"description": "x", "workingArea": []string{"1781", ""},
			"contact": map[string]any{"phone": "bel me", "email": "geen adres"}, "revision": 0}, []string{"contact.email", "contact.phone", "workingArea[1]"}},
		{"profile no revision", anouk, "PUT", sp + "/profile", map[string]any{"description": "x", "workingArea": []string{}, "contact": contact}, []string{"revision"}},
		{"profile no area", anouk, "PUT", sp + "/profile", map[string]any{"description": "x", "contact": contact, "revision": 0}, []string{"workingArea"}},
		{"profile too long", anouk, "PUT", sp + "/profile", map[string]any{"description": strings.Repeat("x", MaxDescriptionRunes+1), "workingArea": []string{}, "contact": contact, "revision": 0}, []string{"description"}},
		{"folder bad name", anouk, "POST", sp + "/folders", map[string]any{"parent": "/", "name": "a/b"}, []string{"name"}},
		{"folder bad parent", anouk, "POST", sp + "/folders", map[string]any{"parent": "geen/pad", "name": "x"}, []string{"parent"}},
		{"folder unknown parent", anouk, "POST", sp + "/folders", map[string]any{"parent": "/Nergens", "name": "x"}, []string{"parent"}},
		{"event empty", anouk, "POST", sp + "/events", map[string]any{"title": "", "start": "morgen", "end": "", "allDay": false, "location": "", "description": "", "visibility": "team"}, []string{"end", "start", "title"}},
		{"event end before start", anouk, "POST", sp + "/events", map[string]any{"title": "Overleg", "start": "2026-12-01T10:00:00+01:00", "end": "2026-12-01T09:00:00+01:00", "allDay": false, "location": "", "description": "", "visibility": "team"}, []string{"end"}},
		{"event all day with times", anouk, "POST", sp + "/events", map[string]any{"title": "Teamdag", "start": "2026-12-01T10:00:00Z", "end": "2026-12-01", "allDay": true, "location": "", "description": "", "visibility": "team"}, []string{"start"}},
		{"event no visibility", anouk, "POST", sp + "/events", map[string]any{"title": "Teamdag", "start": "2026-12-01", "end": "2026-12-01", "allDay": true, "location": "", "description": "", "visibility": ""}, []string{"visibility"}},
		{"events bad range", anouk, "GET", sp + "/events?from=2026-12-01&to=2026-11-01", nil, []string{"to"}},
		{"events bad date", anouk, "GET", sp + "/events?from=gisteren", nil, []string{"from"}},
		{"agenda days not a number", anouk, "GET", "/api/v1/agenda?days=morgen", nil, []string{"days"}},
		{"agenda no days", anouk, "GET", "/api/v1/agenda?days=0", nil, []string{"days"}},
		{"agenda too many days", anouk, "GET", "/api/v1/agenda?days=15", nil, []string{"days"}},
		{"posts bad cursor", anouk, "GET", sp + "/posts?before=$gt&limit=500", nil, []string{"before", "limit"}},
		{"documents bad folder", anouk, "GET", sp + "/documents?folder=..", nil, []string{"folder"}},
		{"document bad version", anouk, "GET", sp + "/documents/d1/content?version=nul", nil, []string{"version"}},
		{"community short name", anouk, "POST", "/api/v1/communities", map[string]any{"name": "x", "description": ""}, []string{"name"}},
		{"community no letters", anouk, "POST", "/api/v1/communities", map[string]any{"name": "!!!", "description": ""}, []string{"name"}},
		{"announcement no audience", ilse, "POST", "/api/v1/announcements", map[string]any{"title": "Titel", "body": "x", "audience": map[string]any{"everyone": false}, "requiresAck": false}, []string{"audience"}},
		{"announcement both", ilse, "POST", "/api/v1/announcements", map[string]any{"title": "Titel", "body": "x", "audience": map[string]any{"everyone": true, "teams": []string{"julianadorp"}}, "requiresAck": false}, []string{"audience"}},
		{"announcement unknown region and team", ilse, "POST", "/api/v1/announcements", map[string]any{"title": "Titel", "body": "x", "audience": map[string]any{"regions": []string{"mars"}, "teams": []string{"julianadorp", "nergens"}}, "requiresAck": false}, []string{"audience.regions[0]", "audience.teams[1]"}},
		{"announcement short title", ilse, "POST", "/api/v1/announcements", map[string]any{"title": "x", "body": "", "audience": map[string]any{"everyone": true}, "requiresAck": false}, []string{"body", "title"}},
		{"announcements bad limit", ilse, "GET", "/api/v1/announcements?limit=1000", nil, []string{"limit"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantFields(t, e.do(c.user, c.method, c.path, c.body), c.fields...)
		})
	}
	// Malformed JSON and other media types.
	wantStatus(t, e.do(anouk, "POST", sp+"/posts", `{"body": "x",`), http.StatusBadRequest)
	wantStatus(t, e.do(anouk, "POST", sp+"/posts", `{"body":"x","visibility":"team"} {}`), http.StatusBadRequest)
	req := e.do(anouk, "POST", sp+"/posts", nil)
	wantStatus(t, req, http.StatusUnsupportedMediaType)
	// Nothing was written by the refused requests.
	page := decode[PostPage](t, e.do(anouk, "GET", sp+"/posts", nil))
	if len(page.Items) != 1 || page.Items[0].Body != "Bericht" || page.Items[0].CommentCount != 0 {
		t.Fatalf("refused writes changed something: %+v", page.Items)
	}
}
