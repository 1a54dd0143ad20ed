package app_test

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/app/apptest"
)

// The API tests drive the real server over HTTP with clients logged in
// through the development identity provider, one server per top-level test.

const adminSub = "yvonne.kramer" // beheerder

// staffSubs are the demo logins without the administrator role; together
// they hold every other organisation role.
var staffSubs = []string{
	"anouk.devries",   // zorgmedewerker, den-helder-centrum (planning)
	"sanne.bakker",    // zorgmedewerker, den-helder-centrum
	"daan.visser",     // zorgmedewerker, julianadorp
	"fatima.elamrani", // wijkverpleegkundige, den-helder-centrum
	"marieke.jansen",  // coordinerend_wijkverpleegkundige
	"peter.smit",      // teamcoach
	"ilse.dekker",     // ondersteunende_dienst
	"johan.mulder",    // regiomanager
}

type apiEnv struct {
	srv   *apptest.Server
	anon  *apptest.Client
	admin *apptest.Client
	staff map[string]*apptest.Client // login subject → client
	id    map[string]string          // login subject → user id
}

// startAPI starts a server and logs in every demo person.
func startAPI(t *testing.T) *apiEnv {
	t.Helper()
	e := &apiEnv{srv: apptest.Start(t), staff: map[string]*apptest.Client{}, id: map[string]string{}}
	e.anon = e.srv.NewClient(t)
	for _, sub := range append([]string{adminSub}, staffSubs...) {
		c := e.srv.Login(t, sub)
		var s sessionBody
		if st := c.JSON("GET", "/api/v1/session", nil, &s); st != 200 || s.User.ID == "" {
			t.Fatalf("session of %s: %d %+v", sub, st, s)
		}
		e.id[sub] = s.User.ID
		if sub == adminSub {
			e.admin = c
		} else {
			e.staff[sub] = c
		}
	}
	return e
}

// client returns the logged-in client of a demo subject.
func (e *apiEnv) client(sub string) *apptest.Client {
	if sub == adminSub {
		return e.admin
	}
	return e.staff[sub]
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

// call sends one request as c (apptest.Client.Send).
func (e *apiEnv) call(t *testing.T, c *apptest.Client, method, path string, body any, headers ...string) reply {
	t.Helper()
	r := c.Send(t, method, path, body, headers...)
	return reply{status: r.Status, header: r.Header, body: r.Body}
}

// get fetches path as c, expects 200 and decodes the body into out.
func (e *apiEnv) get(t *testing.T, c *apptest.Client, path string, out any) {
	t.Helper()
	r := e.call(t, c, "GET", path, nil)
	if r.status != 200 {
		t.Fatalf("GET %s: %d %.300s", path, r.status, r.body)
	}
	if err := json.Unmarshal(r.body, out); err != nil {
		t.Fatalf("GET %s: %v in %.300s", path, err, r.body)
	}
}

// problem asserts an RFC 9457 answer with this status and returns it.
func (r reply) problem(t *testing.T, status int) apptest.Problem {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %.300s", r.status, status, r.body)
	}
	if mt, _, _ := mime.ParseMediaType(r.header.Get("Content-Type")); mt != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json", r.header.Get("Content-Type"))
	}
	p := apptest.ParseProblem(t, r.body)
	if p.Status != status {
		t.Fatalf("problem status %d, want %d", p.Status, status)
	}
	return p
}

// wantFields asserts that a 422 problem names exactly these fields, each
// with a message.
func wantFields(t *testing.T, p apptest.Problem, fields ...string) {
	t.Helper()
	var got []string
	for _, f := range p.Errors {
		got = append(got, f.Field)
		if f.Message == "" {
			t.Errorf("field %q has no message", f.Field)
		}
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(fields))
	if !slices.Equal(got, want) {
		t.Fatalf("fields %q, want %q (%s)", got, want, p.FieldErrors())
	}
}

// state reads each path as the administrator: the body of a 200, else the
// status alone (problem bodies carry a per-request id).
func (e *apiEnv) state(t *testing.T, paths []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range paths {
		r := e.call(t, e.admin, "GET", p, nil)
		if r.status == 200 {
			out[p] = string(r.body)
		} else {
			out[p] = fmt.Sprint(r.status)
		}
	}
	return out
}

// unchanged asserts that the paths read as they did before.
func (e *apiEnv) unchanged(t *testing.T, before map[string]string) {
	t.Helper()
	paths := make([]string, 0, len(before))
	for p := range before {
		paths = append(paths, p)
	}
	after := e.state(t, paths)
	for _, p := range slices.Sorted(slices.Values(paths)) {
		if after[p] != before[p] {
			t.Errorf("GET %s changed:\nbefore %.400s\nafter  %.400s", p, before[p], after[p])
		}
	}
}

// accessEntry returns the access-log entry of the request with this id.
func (e *apiEnv) accessEntry(t *testing.T, requestID string) bson.M {
	t.Helper()
	for _, en := range e.srv.AccessEntries(t) {
		if en.RequestID == requestID {
			var m bson.M
			raw, err := bson.Marshal(en)
			if err == nil {
				err = bson.Unmarshal(raw, &m)
			}
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
	t.Fatalf("no access log entry of request %s", requestID)
	return nil
}

// write is one state-changing endpoint with a valid request.
type write struct {
	name   string
	method string
	path   string
	body   any      // valid body; nil for DELETE and logout
	field  string   // a body field, for the wrong-type case
	watch  []string // GET paths a refused write must leave unchanged
	status int      // the administrator's success status
}

// writes lists every administrator write, each with a valid request that
// changes something the watch paths show.
func (e *apiEnv) writes() []write {
	sanne, anouk, daan := e.id["sanne.bakker"], e.id["anouk.devries"], e.id["daan.visser"]
	return []write{
		{"create region", "POST", "/api/v1/regions", map[string]any{"id": "kop-van-noord", "name": "Kop van Noord"},
			"name", []string{"/api/v1/regions", "/api/v1/regions/kop-van-noord"}, 201},
		{"rename region", "PATCH", "/api/v1/regions/texel", map[string]any{"name": "Texel en Vlieland"},
			"name", []string{"/api/v1/regions", "/api/v1/regions/texel"}, 200},
		{"create team", "POST", "/api/v1/teams", newTeamBody("wieringen-oost"),
			"name", []string{"/api/v1/teams", "/api/v1/teams/wieringen-oost", "/api/v1/regions"}, 201},
		{"change team", "PATCH", "/api/v1/teams/julianadorp", map[string]any{"name": "Julianadorp Zuid",
			"contact": map[string]any{"phone": "0223 555 9999", "email": "zuid@noorderkwartier.example"}},
			"name", []string{"/api/v1/teams", "/api/v1/teams/julianadorp"}, 200},
		{"set member", "PUT", "/api/v1/teams/julianadorp/members/" + sanne, map[string]any{"teamRoles": []string{"ict", "scholing"}},
			"teamRoles", []string{"/api/v1/teams/julianadorp", "/api/v1/teams"}, 200},
		{"remove member", "DELETE", "/api/v1/teams/den-helder-centrum/members/" + anouk, nil,
			"", []string{"/api/v1/teams/den-helder-centrum", "/api/v1/teams"}, 204},
		{"set roles", "PUT", "/api/v1/users/" + daan + "/roles", map[string]any{"roles": []string{"zorgmedewerker", "beheerder"}},
			"roles", []string{"/api/v1/users/" + daan}, 200},
	}
}

func newTeamBody(id string) map[string]any {
	return map[string]any{
		"id": id, "regionId": "hollands-kroon", "name": " Wieringen Oost ",
		"workingArea": []string{"1771", " Hippolytushoef ", "1771"},
		"description": "Wijkteam voor het oosten van Wieringen.",
		"contact":     map[string]any{"phone": "0227 555 0101", "email": "wieringen-oost@noorderkwartier.example"},
	}
}

// TestAPIAnonymous: every /api/v1 route answers 401 without a session, and
// anonymous writes change nothing.
func TestAPIAnonymous(t *testing.T) {
	t.Parallel()
	e := startAPI(t)
	anouk := e.id["anouk.devries"]
	examples := map[string]string{
		"/api/v1/session":                   "/api/v1/session",
		"/api/v1/auth/logout":               "/api/v1/auth/logout",
		"/api/v1/users":                     "/api/v1/users",
		"/api/v1/users/:id":                 "/api/v1/users/" + anouk,
		"/api/v1/users/:id/roles":           "/api/v1/users/" + anouk + "/roles",
		"/api/v1/regions":                   "/api/v1/regions",
		"/api/v1/regions/:id":               "/api/v1/regions/den-helder",
		"/api/v1/teams":                     "/api/v1/teams",
		"/api/v1/teams/:id":                 "/api/v1/teams/den-helder-centrum",
		"/api/v1/teams/:id/archive":         "/api/v1/teams/den-helder-centrum/archive",
		"/api/v1/teams/:id/members/:userId": "/api/v1/teams/den-helder-centrum/members/" + anouk,
		// Chat (its behaviour is tested in chat_test.go).
		"/api/v1/ws":                                "/api/v1/ws",
		"/api/v1/chat/channels":                     "/api/v1/chat/channels",
		"/api/v1/chat/browse":                       "/api/v1/chat/browse",
		"/api/v1/chat/channels/:id":                 "/api/v1/chat/channels/t-den-helder-centrum",
		"/api/v1/chat/channels/:id/join":            "/api/v1/chat/channels/t-den-helder-centrum/join",
		"/api/v1/chat/channels/:id/leave":           "/api/v1/chat/channels/t-den-helder-centrum/leave",
		"/api/v1/chat/channels/:id/members/:userId": "/api/v1/chat/channels/t-den-helder-centrum/members/" + anouk,
		"/api/v1/chat/people":                       "/api/v1/chat/people?q=anouk",
		"/api/v1/chat/dm":                           "/api/v1/chat/dm",
		"/api/v1/chat/channels/:id/prefs":           "/api/v1/chat/channels/t-den-helder-centrum/prefs",
		"/api/v1/chat/prefs":                        "/api/v1/chat/prefs",
		"/api/v1/chat/channels/:id/search":          "/api/v1/chat/channels/t-den-helder-centrum/search?q=wond",
		"/api/v1/chat/channels/:id/export":          "/api/v1/chat/channels/t-den-helder-centrum/export",
		// Dashboard (its behaviour is tested in dashboard_test.go).
		"/api/v1/dashboard/indicators":       "/api/v1/dashboard/indicators",
		"/api/v1/dashboard/settings":         "/api/v1/dashboard/settings",
		"/api/v1/dashboard/teams/:id":        "/api/v1/dashboard/teams/den-helder-centrum",
		"/api/v1/dashboard/regions/:id":      "/api/v1/dashboard/regions/den-helder",
		"/api/v1/dashboard/organisation":     "/api/v1/dashboard/organisation",
		"/api/v1/dashboard/organisation.csv": "/api/v1/dashboard/organisation.csv",
		"/api/v1/dashboard/imports":          "/api/v1/dashboard/imports",
		"/api/v1/dashboard/imports/:id":      "/api/v1/dashboard/imports/seed-demo-v1",
		"/api/v1/dashboard/imports/preview":  "/api/v1/dashboard/imports/preview",
		"/api/v1/dashboard/figures":          "/api/v1/dashboard/figures",
		// Knowledge base (its behaviour is tested in knowledge_test.go).
		"/api/v1/knowledge/meta":                           "/api/v1/knowledge/meta",
		"/api/v1/knowledge/articles":                       "/api/v1/knowledge/articles",
		"/api/v1/knowledge/search":                         "/api/v1/knowledge/search?q=wond",
		"/api/v1/knowledge/articles/:id":                   "/api/v1/knowledge/articles/wondzorg-decubitus-preventie",
		"/api/v1/knowledge/articles/:id/versions/:version": "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/versions/1.0",
		"/api/v1/knowledge/articles/:id/diff":              "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/diff?from=1.0&to=1.1",
		"/api/v1/knowledge/articles/:id/draft":             "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/draft",
		"/api/v1/knowledge/articles/:id/submit":            "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/submit",
		"/api/v1/knowledge/articles/:id/withdraw":          "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/withdraw",
		"/api/v1/knowledge/articles/:id/approve":           "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/approve",
		"/api/v1/knowledge/articles/:id/reject":            "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/reject",
		"/api/v1/knowledge/articles/:id/archive":           "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/archive",
		"/api/v1/knowledge/articles/:id/restore":           "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/restore",
		"/api/v1/knowledge/review":                         "/api/v1/knowledge/review",
		"/api/v1/knowledge/articles/:id/confirm":           "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/confirm",
		"/api/v1/knowledge/confirmations/pending":          "/api/v1/knowledge/confirmations/pending",
		"/api/v1/knowledge/articles/:id/report":            "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/report",
		"/api/v1/knowledge/articles/:id/report.csv":        "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/report.csv",
		"/api/v1/knowledge/reports/overdue":                "/api/v1/knowledge/reports/overdue",
		"/api/v1/knowledge/reports/confirmations":          "/api/v1/knowledge/reports/confirmations",
		"/api/v1/knowledge/articles/:id/attachments":       "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/attachments",
		"/api/v1/knowledge/articles/:id/attachments/:aid":  "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/attachments/f00",
		"/api/v1/knowledge/articles/:id/feedback":          "/api/v1/knowledge/articles/wondzorg-decubitus-preventie/feedback",
		"/api/v1/knowledge/feedback":                       "/api/v1/knowledge/feedback",
		"/api/v1/knowledge/feedback/:id/answer":            "/api/v1/knowledge/feedback/x/answer",
		// Notification centre (tested in notifications_test.go).
		"/api/v1/notifications":             "/api/v1/notifications",
		"/api/v1/notifications/read":        "/api/v1/notifications/read",
		"/api/v1/notifications/preferences": "/api/v1/notifications/preferences",
		// Web Push devices and settings (tested in push_test.go).
		"/api/v1/push/config":            "/api/v1/push/config",
		"/api/v1/push/subscriptions":     "/api/v1/push/subscriptions",
		"/api/v1/push/subscriptions/:id": "/api/v1/push/subscriptions/abc",
		"/api/v1/push/settings":          "/api/v1/push/settings",
		// Team spaces, communities, announcements (tested in spaces_test.go).
		"/api/v1/spaces":                                       "/api/v1/spaces",
		"/api/v1/spaces/calendar-feed":                         "/api/v1/spaces/calendar-feed",
		"/api/v1/spaces/calendar-feed/reset":                   "/api/v1/spaces/calendar-feed/reset",
		"/api/v1/spaces/:id":                                   "/api/v1/spaces/den-helder-centrum",
		"/api/v1/spaces/:id/profile":                           "/api/v1/spaces/den-helder-centrum/profile",
		"/api/v1/spaces/:id/profile/history":                   "/api/v1/spaces/den-helder-centrum/profile/history",
		"/api/v1/spaces/:id/join":                              "/api/v1/spaces/c-dementiezorg/join",
		"/api/v1/spaces/:id/leave":                             "/api/v1/spaces/c-dementiezorg/leave",
		"/api/v1/spaces/:id/posts":                             "/api/v1/spaces/den-helder-centrum/posts",
		"/api/v1/spaces/:id/posts/:postId":                     "/api/v1/spaces/den-helder-centrum/posts/p1",
		"/api/v1/spaces/:id/posts/:postId/pin":                 "/api/v1/spaces/den-helder-centrum/posts/p1/pin",
		"/api/v1/spaces/:id/posts/:postId/attachments/:aid":    "/api/v1/spaces/den-helder-centrum/posts/p1/attachments/f1",
		"/api/v1/spaces/:id/uploads":                           "/api/v1/spaces/den-helder-centrum/uploads",
		"/api/v1/spaces/:id/uploads/:uploadId":                 "/api/v1/spaces/den-helder-centrum/uploads/att-0123456789abcdef0123456789abcdef",
		"/api/v1/spaces/:id/posts/:postId/comments":            "/api/v1/spaces/den-helder-centrum/posts/p1/comments",
		"/api/v1/spaces/:id/posts/:postId/comments/:cid":       "/api/v1/spaces/den-helder-centrum/posts/p1/comments/c1",
		"/api/v1/spaces/:id/posts/:postId/reactions/:emoji":    "/api/v1/spaces/den-helder-centrum/posts/p1/reactions/%F0%9F%91%8D",
		"/api/v1/spaces/:id/documents":                         "/api/v1/spaces/den-helder-centrum/documents",
		"/api/v1/spaces/:id/folders":                           "/api/v1/spaces/den-helder-centrum/folders",
		"/api/v1/spaces/:id/documents/:docId":                  "/api/v1/spaces/den-helder-centrum/documents/d1",
		"/api/v1/spaces/:id/documents/:docId/content":          "/api/v1/spaces/den-helder-centrum/documents/d1/content",
		"/api/v1/spaces/:id/events":                            "/api/v1/spaces/den-helder-centrum/events",
		"/api/v1/agenda":                                       "/api/v1/agenda",
		"/api/v1/spaces/:id/events/:eventId":                   "/api/v1/spaces/den-helder-centrum/events/e1",
		"/api/v1/communities":                                  "/api/v1/communities",
		"/api/v1/announcements":                                "/api/v1/announcements",
		"/api/v1/announcements/:id/ack":                        "/api/v1/announcements/a1/ack",
		"/api/v1/announcements/:id/report":                     "/api/v1/announcements/a1/report",
		"/api/v1/search":                                       "/api/v1/search?q=wond",
		"/api/v1/access-log":                                   "/api/v1/access-log",
		"/api/v1/admin/changes":                                "/api/v1/admin/changes",
		"/api/v1/audits":                                       "/api/v1/audits",
		"/api/v1/audits/:id":                                   "/api/v1/audits/x1",
		"/api/v1/audits/:id/actions":                           "/api/v1/audits/x1/actions",
		"/api/v1/audits/:id/answers":                           "/api/v1/audits/x1/answers",
		"/api/v1/audits/:id/corrections":                       "/api/v1/audits/x1/corrections",
		"/api/v1/audits/:id/finish":                            "/api/v1/audits/x1/finish",
		"/api/v1/audits/:id/photos":                            "/api/v1/audits/x1/photos",
		"/api/v1/audits/:id/photos/:photoId":                   "/api/v1/audits/x1/photos/ph1",
		"/api/v1/audits/actions":                               "/api/v1/audits/actions",
		"/api/v1/audits/actions/:id":                           "/api/v1/audits/actions/x1",
		"/api/v1/audits/auditors":                              "/api/v1/audits/auditors",
		"/api/v1/audits/auditors/:userId":                      "/api/v1/audits/auditors/" + anouk,
		"/api/v1/audits/mine":                                  "/api/v1/audits/mine",
		"/api/v1/audits/regions/:id":                           "/api/v1/audits/regions/den-helder",
		"/api/v1/audits/reports/criteria/:key":                 "/api/v1/audits/reports/criteria/k1",
		"/api/v1/audits/reports/export.csv":                    "/api/v1/audits/reports/export.csv",
		"/api/v1/audits/reports/heatmap":                       "/api/v1/audits/reports/heatmap",
		"/api/v1/audits/reports/rounds":                        "/api/v1/audits/reports/rounds",
		"/api/v1/audits/rounds":                                "/api/v1/audits/rounds",
		"/api/v1/audits/rounds/:id":                            "/api/v1/audits/rounds/x1",
		"/api/v1/audits/rounds/:id/assignments":                "/api/v1/audits/rounds/x1/assignments",
		"/api/v1/audits/rounds/:id/open":                       "/api/v1/audits/rounds/x1/open",
		"/api/v1/audits/teams/:id":                             "/api/v1/audits/teams/den-helder-centrum",
		"/api/v1/audits/templates":                             "/api/v1/audits/templates",
		"/api/v1/audits/templates/:id":                         "/api/v1/audits/templates/x1",
		"/api/v1/learning/board":                               "/api/v1/learning/board",
		"/api/v1/learning/cohorts":                             "/api/v1/learning/cohorts",
		"/api/v1/learning/cohorts/:id":                         "/api/v1/learning/cohorts/x1",
		"/api/v1/learning/me":                                  "/api/v1/learning/me",
		"/api/v1/learning/programmes":                          "/api/v1/learning/programmes",
		"/api/v1/learning/programmes/:id":                      "/api/v1/learning/programmes/x1",
		"/api/v1/learning/scan-questions":                      "/api/v1/learning/scan-questions",
		"/api/v1/learning/scans/:id/answers":                   "/api/v1/learning/scans/x1/answers",
		"/api/v1/learning/scans/:id/close":                     "/api/v1/learning/scans/x1/close",
		"/api/v1/learning/scans/:id/observation":               "/api/v1/learning/scans/x1/observation",
		"/api/v1/learning/sessions":                            "/api/v1/learning/sessions",
		"/api/v1/learning/sessions/:id":                        "/api/v1/learning/sessions/x1",
		"/api/v1/learning/sessions/:id/attendance":             "/api/v1/learning/sessions/x1/attendance",
		"/api/v1/learning/sessions/:id/checkin":                "/api/v1/learning/sessions/x1/checkin",
		"/api/v1/learning/settings":                            "/api/v1/learning/settings",
		"/api/v1/learning/teams/:id":                           "/api/v1/learning/teams/den-helder-centrum",
		"/api/v1/learning/teams/:id/coach":                     "/api/v1/learning/teams/den-helder-centrum/coach",
		"/api/v1/learning/teams/:id/modules/:module":           "/api/v1/learning/teams/den-helder-centrum/modules/zelfsturend-werken",
		"/api/v1/learning/teams/:id/panel":                     "/api/v1/learning/teams/den-helder-centrum/panel",
		"/api/v1/learning/teams/:id/reflections":               "/api/v1/learning/teams/den-helder-centrum/reflections",
		"/api/v1/learning/teams/:id/reflections/:module":       "/api/v1/learning/teams/den-helder-centrum/reflections/zelfsturend-werken",
		"/api/v1/learning/teams/:id/reflections/:module/reply": "/api/v1/learning/teams/den-helder-centrum/reflections/zelfsturend-werken/reply",
		"/api/v1/learning/teams/:id/scans":                     "/api/v1/learning/teams/den-helder-centrum/scans",
		"/api/v1/learning/yield":                               "/api/v1/learning/yield",
		"/api/v1/learning/yield.csv":                           "/api/v1/learning/yield.csv",
		"/api/v1/users/:id/active":                             "/api/v1/users/" + anouk + "/active",
		"/api/v1/users/:id/sessions/end":                       "/api/v1/users/" + anouk + "/sessions/end",
		"/api/v1/users/:id/export":                             "/api/v1/users/" + anouk + "/export",
		"/api/v1/users/:id/erase":                              "/api/v1/users/" + anouk + "/erase",
		"/api/v1/me/export":                                    "/api/v1/me/export",
		"/api/v1/chat/channels/:id/attachments":                "/api/v1/chat/channels/t-den-helder-centrum/attachments",
		"/api/v1/chat/channels/:id/attachments/:aid":           "/api/v1/chat/channels/t-den-helder-centrum/attachments/a1",
		"/api/v1/privacy/erasures":                             "/api/v1/privacy/erasures",
		"/api/v1/privacy/retention":                            "/api/v1/privacy/retention",
	}
	used := map[string]bool{}
	for _, rt := range e.srv.App.Engine.Routes() {
		if !strings.HasPrefix(rt.Path, "/api/") {
			continue
		}
		used[rt.Path] = true
		path, ok := examples[rt.Path]
		if !ok {
			t.Errorf("route %s %s has no example path in this test: add one", rt.Method, rt.Path)
			continue
		}
		t.Run(rt.Method+" "+rt.Path, func(t *testing.T) {
			var body any
			if rt.Method != "GET" && rt.Method != "DELETE" {
				body = map[string]any{}
			}
			p := e.call(t, e.anon, rt.Method, path, body).problem(t, 401)
			if p.Type != "/problems/unauthenticated" {
				t.Errorf("type %q", p.Type)
			}
		})
	}
	for p := range examples {
		if !used[p] {
			t.Errorf("no route %s is registered any more: remove its example", p)
		}
	}

	for _, w := range e.writes() {
		t.Run("anonymous "+w.name+" changes nothing", func(t *testing.T) {
			before := e.state(t, w.watch)
			e.call(t, e.anon, w.method, w.path, w.body).problem(t, 401)
			// A forged CSRF header does not stand in for a session.
			e.call(t, e.anon, w.method, w.path, w.body, "X-CSRF-Token", "forged").problem(t, 401)
			e.unchanged(t, before)
		})
	}
}

// TestAPIReads: every demo role reads the organisation; bad reads are refused.
func TestAPIReads(t *testing.T) {
	t.Parallel()
	e := startAPI(t)
	type regionItem struct {
		ID        string `json:"id"`
		Name      string `json:"name"`
		TeamCount int    `json:"teamCount"`
	}
	type teamItem struct {
		ID          string   `json:"id"`
		RegionID    string   `json:"regionId"`
		MemberCount int      `json:"memberCount"`
		WorkingArea []string `json:"workingArea"`
	}
	type teamDetail struct {
		ID         string `json:"id"`
		RegionID   string `json:"regionId"`
		RegionName string `json:"regionName"`
		Members    []struct {
			UserID    string   `json:"userId"`
			Name      string   `json:"name"`
			TeamRoles []string `json:"teamRoles"`
		} `json:"members"`
	}
	wantRegions := []string{"den-helder", "hollands-kroon", "hoorn", "schagen", "texel", "west-friesland-oost"}

	for _, sub := range append([]string{adminSub}, staffSubs...) {
		t.Run(sub, func(t *testing.T) {
			c := e.client(sub)
			var regions struct{ Items []regionItem }
			e.get(t, c, "/api/v1/regions", &regions)
			var ids []string
			total := 0
			for _, r := range regions.Items {
				ids = append(ids, r.ID)
				total += r.TeamCount
			}
			if !slices.Equal(slices.Sorted(slices.Values(ids)), wantRegions) || total != 54 {
				t.Fatalf("regions %v with %d teams", ids, total)
			}

			var teams struct{ Items []teamItem }
			e.get(t, c, "/api/v1/teams", &teams)
			if len(teams.Items) != 54 {
				t.Fatalf("%d teams, want 54", len(teams.Items))
			}

			var inRegion struct{ Items []teamItem }
			e.get(t, c, "/api/v1/teams?region=den-helder", &inRegion)
			want := regions.Items[slices.IndexFunc(regions.Items, func(r regionItem) bool { return r.ID == "den-helder" })].TeamCount
			if len(inRegion.Items) != want || want == 0 {
				t.Fatalf("%d teams in den-helder, region says %d", len(inRegion.Items), want)
			}
			for _, tm := range inRegion.Items {
				if tm.RegionID != "den-helder" {
					t.Errorf("team %s of region %s in den-helder's list", tm.ID, tm.RegionID)
				}
			}

			var region struct {
				ID    string
				Teams []teamItem
			}
			e.get(t, c, "/api/v1/regions/den-helder", &region)
			if region.ID != "den-helder" || len(region.Teams) != want {
				t.Fatalf("region %s with %d teams, want %d", region.ID, len(region.Teams), want)
			}

			var team teamDetail
			e.get(t, c, "/api/v1/teams/den-helder-centrum", &team)
			if team.ID != "den-helder-centrum" || team.RegionID != "den-helder" || team.RegionName == "" {
				t.Fatalf("team %+v", team)
			}
			members := map[string][]string{}
			for _, m := range team.Members {
				members[m.UserID] = m.TeamRoles
			}
			for _, s := range []string{"anouk.devries", "sanne.bakker", "fatima.elamrani"} {
				if _, ok := members[e.id[s]]; !ok {
					t.Errorf("%s missing from den-helder-centrum's members", s)
				}
			}
			if !slices.Equal(members[e.id["anouk.devries"]], []string{"planning"}) {
				t.Errorf("anouk's team roles %v, want [planning]", members[e.id["anouk.devries"]])
			}
			if _, ok := members[e.id["daan.visser"]]; ok {
				t.Error("daan (julianadorp) listed in den-helder-centrum")
			}
		})
	}

	t.Run("unknown region filter is 422", func(t *testing.T) {
		p := e.call(t, e.staff["anouk.devries"], "GET", "/api/v1/teams?region=nope", nil).problem(t, 422)
		wantFields(t, p, "region")
	})
	t.Run("unknown team is 404", func(t *testing.T) {
		e.call(t, e.staff["anouk.devries"], "GET", "/api/v1/teams/nope", nil).problem(t, 404)
	})
	t.Run("unknown region is 404", func(t *testing.T) {
		e.call(t, e.staff["anouk.devries"], "GET", "/api/v1/regions/nope", nil).problem(t, 404)
	})

	t.Run("reading a team's members is access-logged", func(t *testing.T) {
		const rid = "api-test-team-read-1"
		r := e.call(t, e.staff["anouk.devries"], "GET", "/api/v1/teams/den-helder-centrum", nil, "X-Request-ID", rid)
		if r.status != 200 || r.header.Get("X-Request-ID") != rid {
			t.Fatalf("status %d, request id %q", r.status, r.header.Get("X-Request-ID"))
		}
		m := e.accessEntry(t, rid)
		if m["userId"] != e.id["anouk.devries"] || m["action"] != "read" || !strings.Contains(fmt.Sprint(m["subject"]), "den-helder-centrum") {
			t.Fatalf("access log entry %v", m)
		}
		if m["session"] == "" || m["route"] != "/api/v1/teams/:id" {
			t.Errorf("entry lacks session or route: %v", m)
		}
	})

	t.Run("security headers on every kind of answer", func(t *testing.T) {
		cases := []struct {
			name   string
			c      *apptest.Client
			method string
			path   string
			status int
		}{
			{"json", e.staff["anouk.devries"], "GET", "/api/v1/regions", 200},
			{"unauthenticated", e.anon, "GET", "/api/v1/regions", 401},
			{"forbidden", e.staff["anouk.devries"], "GET", "/api/v1/users", 403},
			{"not found", e.staff["anouk.devries"], "GET", "/api/v1/teams/nope", 404},
			{"unknown api path", e.anon, "GET", "/api/v1/nope", 404},
			{"health", e.anon, "GET", "/healthz", 200},
		}
		for _, tc := range cases {
			r := e.call(t, tc.c, tc.method, tc.path, nil)
			if r.status != tc.status {
				t.Errorf("%s: status %d, want %d", tc.name, r.status, tc.status)
			}
			csp := r.header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s: Content-Security-Policy %q", tc.name, csp)
			}
			if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("%s: X-Content-Type-Options %q", tc.name, got)
			}
			if got := r.header.Get("X-Frame-Options"); got != "DENY" {
				t.Errorf("%s: X-Frame-Options %q", tc.name, got)
			}
		}
	})
}

// TestAPIUsers: the user directory is for administrators; everybody may
// read their own account.
func TestAPIUsers(t *testing.T) {
	t.Parallel()
	e := startAPI(t)
	type user struct {
		ID            string   `json:"id"`
		Name          string   `json:"name"`
		Email         string   `json:"email"`
		Roles         []string `json:"roles"`
		ClaimRoles    []string `json:"claimRoles"`
		AssignedRoles []string `json:"assignedRoles"`
	}

	t.Run("administrator lists users by name, at most 100", func(t *testing.T) {
		var list struct{ Items []user }
		e.get(t, e.admin, "/api/v1/users", &list)
		if len(list.Items) == 0 || len(list.Items) > 100 {
			t.Fatalf("%d users", len(list.Items))
		}
		if !slices.IsSortedFunc(list.Items, func(a, b user) int { return strings.Compare(a.Name, b.Name) }) {
			t.Error("users not sorted by name")
		}
	})

	t.Run("administrator finds every demo user by name", func(t *testing.T) {
		for sub, id := range e.id {
			var u user
			e.get(t, e.admin, "/api/v1/users/"+id, &u)
			var list struct{ Items []user }
			e.get(t, e.admin, "/api/v1/users?q="+url.QueryEscape(u.Name), &list)
			if !slices.ContainsFunc(list.Items, func(x user) bool { return x.ID == id }) {
				t.Errorf("%s (%s) not found by q=%q", sub, id, u.Name)
			}
		}
	})

	t.Run("administrator searches users, access-logged", func(t *testing.T) {
		const rid = "api-test-user-search-1"
		var list struct{ Items []user }
		r := e.call(t, e.admin, "GET", "/api/v1/users?q=Anouk", nil, "X-Request-ID", rid)
		if r.status != 200 {
			t.Fatalf("status %d", r.status)
		}
		if err := json.Unmarshal(r.body, &list); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, u := range list.Items {
			found = found || u.ID == e.id["anouk.devries"]
			if !strings.Contains(strings.ToLower(u.Name+" "+u.Email), "anouk") {
				t.Errorf("%s (%s) does not match q=anouk", u.Name, u.Email)
			}
		}
		if !found {
			t.Error("anouk not found by q=Anouk")
		}
		if m := e.accessEntry(t, rid); m["action"] != "search" || m["userId"] != e.id[adminSub] {
			t.Errorf("access log entry %v", m)
		}
	})

	t.Run("search term too long is 422", func(t *testing.T) {
		p := e.call(t, e.admin, "GET", "/api/v1/users?q="+strings.Repeat("a", 101), nil).problem(t, 422)
		wantFields(t, p, "q")
		if f := p.Errors[0]; p.Code != "validation" || f.Code != "too_long" || f.Params["max"] != float64(100) {
			t.Errorf("codes %q %q %v, want validation, too_long, max 100", p.Code, f.Code, f.Params)
		}
	})

	for _, sub := range staffSubs {
		t.Run(sub+" may not list users", func(t *testing.T) {
			p := e.call(t, e.staff[sub], "GET", "/api/v1/users", nil).problem(t, 403)
			if p.Type != "/problems/forbidden" || p.Code != "admin_only" {
				t.Errorf("type %q, code %q", p.Type, p.Code)
			}
		})
	}

	for _, sub := range append([]string{adminSub}, staffSubs...) {
		t.Run(sub+" reads own account", func(t *testing.T) {
			var u user
			e.get(t, e.client(sub), "/api/v1/users/"+e.id[sub], &u)
			if u.ID != e.id[sub] || u.Name == "" || len(u.Roles) == 0 {
				t.Fatalf("own account %+v", u)
			}
		})
	}

	for _, sub := range staffSubs {
		t.Run(sub+" may not read another account", func(t *testing.T) {
			other := e.id[adminSub]
			if sub == "anouk.devries" {
				other = e.id["sanne.bakker"] // a colleague in the same team
			}
			e.call(t, e.staff[sub], "GET", "/api/v1/users/"+other, nil).problem(t, 403)
			// Unknown ids answer the same, so ids cannot be probed.
			e.call(t, e.staff[sub], "GET", "/api/v1/users/u000000000000000000000000", nil).problem(t, 403)
		})
	}

	t.Run("administrator reads another account, access-logged", func(t *testing.T) {
		const rid = "api-test-user-read-1"
		anouk := e.id["anouk.devries"]
		r := e.call(t, e.admin, "GET", "/api/v1/users/"+anouk, nil, "X-Request-ID", rid)
		var u user
		if r.status != 200 || json.Unmarshal(r.body, &u) != nil {
			t.Fatalf("status %d: %.200s", r.status, r.body)
		}
		if u.ID != anouk || u.Name != "Anouk de Vries" || !slices.Equal(u.Roles, []string{"zorgmedewerker"}) {
			t.Fatalf("user %+v", u)
		}
		if m := e.accessEntry(t, rid); m["action"] != "read" || m["subject"] != "user:"+anouk || m["userId"] != e.id[adminSub] {
			t.Errorf("access log entry %v", m)
		}
	})

	t.Run("administrator reads unknown account: 404", func(t *testing.T) {
		e.call(t, e.admin, "GET", "/api/v1/users/u000000000000000000000000", nil).problem(t, 404)
	})
}

// TestAPIRefusedWrites: non-administrators and requests failing the CSRF
// checks change nothing.
func TestAPIRefusedWrites(t *testing.T) {
	t.Parallel()
	e := startAPI(t)

	for _, w := range e.writes() {
		for _, sub := range staffSubs {
			t.Run(w.name+" as "+sub, func(t *testing.T) {
				before := e.state(t, w.watch)
				p := e.call(t, e.staff[sub], w.method, w.path, w.body).problem(t, 403)
				if p.Type != "/problems/forbidden" {
					t.Errorf("type %q", p.Type)
				}
				e.unchanged(t, before)
			})
		}
	}

	// Every unsafe request, including logout, needs the session's CSRF token
	// and a same-origin request, even from an administrator.
	csrfWrites := append(e.writes(), write{name: "logout", method: "POST", path: "/api/v1/auth/logout",
		watch: []string{"/api/v1/session"}})
	refusals := []struct {
		name    string
		headers []string
	}{
		{"without X-CSRF-Token", []string{"X-CSRF-Token", ""}},
		{"with a wrong X-CSRF-Token", []string{"X-CSRF-Token", "not-the-token"}},
		{"with another session's X-CSRF-Token", []string{"X-CSRF-Token", e.staff["anouk.devries"].CSRF}},
		{"from Origin https://evil.example", []string{"Origin", "https://evil.example"}},
		{"from Origin null", []string{"Origin", "null"}},
		{"with Sec-Fetch-Site cross-site", []string{"Sec-Fetch-Site", "cross-site"}},
	}
	for _, w := range csrfWrites {
		for _, rf := range refusals {
			t.Run(w.name+" "+rf.name, func(t *testing.T) {
				before := e.state(t, w.watch)
				p := e.call(t, e.admin, w.method, w.path, w.body, rf.headers...).problem(t, 403)
				if p.Type != "/problems/csrf" {
					t.Errorf("type %q, want /problems/csrf", p.Type)
				}
				e.unchanged(t, before)
			})
		}
	}

	t.Run("same-origin request with the token passes the CSRF check", func(t *testing.T) {
		// The control for the refusals above: only the header differs.
		r := e.call(t, e.admin, "PATCH", "/api/v1/regions/schagen", map[string]any{"name": "Schagen en omstreken"}, "Origin", e.srv.URL)
		if r.status != 200 {
			t.Fatalf("status %d: %.300s", r.status, r.body)
		}
	})
}

// TestAPIWriteInputErrors: every write refuses bad input with the right
// status and names the fields, and changes nothing.
func TestAPIWriteInputErrors(t *testing.T) {
	t.Parallel()
	e := startAPI(t)
	oversize := `{"name":"` + strings.Repeat("a", 1<<20) + `"}`

	for _, w := range e.writes() {
		if w.body == nil {
			continue
		}
		cases := []struct {
			name    string
			body    any
			headers []string
			status  int
			fields  []string
		}{
			{"malformed JSON", `{"name": "x"`, nil, 400, nil},
			{"not JSON", `name=x`, nil, 400, nil},
			{"two JSON values", `{} {}`, nil, 400, nil},
			{"trailing ]", `{}]`, nil, 400, nil},
			{"trailing }", `{}}`, nil, 400, nil},
			{"empty body", ``, nil, 400, nil},
			{"wrong type", fmt.Sprintf(`{%q: 5}`, w.field), nil, 422, []string{w.field}},
			{"body not an object", `["x"]`, nil, 422, []string{"(body)"}},
			{"unknown field", `{"nmae": "x"}`, nil, 422, []string{"nmae"}},
			{"text/plain", w.body, []string{"Content-Type", "text/plain"}, 415, nil},
			{"no Content-Type", w.body, []string{"Content-Type", ""}, 415, nil},
			{"over 1 MiB", oversize, nil, 413, nil},
			{"over 1 MiB without Content-Length", strings.NewReader(oversize), nil, 413, nil},
		}
		for _, tc := range cases {
			t.Run(w.name+": "+tc.name, func(t *testing.T) {
				before := e.state(t, w.watch)
				p := e.call(t, e.admin, w.method, w.path, tc.body, tc.headers...).problem(t, tc.status)
				if tc.status == 422 {
					wantFields(t, p, tc.fields...)
				}
				e.unchanged(t, before)
			})
		}
	}

	sanne, daan := e.id["sanne.bakker"], e.id["daan.visser"]
	team := func(change map[string]any) map[string]any {
		b := newTeamBody("wieringen-west")
		for k, v := range change {
			b[k] = v
		}
		return b
	}
	invalid := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		fields []string
		watch  []string
	}{
		// regions
		{"region id not a slug", "POST", "/api/v1/regions", map[string]any{"id": "Kop van Noord", "name": "Kop van Noord"}, 422, []string{"id"}, []string{"/api/v1/regions"}},
		{"region id too short", "POST", "/api/v1/regions", map[string]any{"id": "k", "name": "Kop van Noord"}, 422, []string{"id"}, []string{"/api/v1/regions"}},
		{"region name too short", "POST", "/api/v1/regions", map[string]any{"id": "kop-van-noord", "name": "K"}, 422, []string{"name"}, []string{"/api/v1/regions", "/api/v1/regions/kop-van-noord"}},
		{"region name with control character", "POST", "/api/v1/regions", map[string]any{"id": "kop-van-noord", "name": "Kop\u0007Noord"}, 422, []string{"name"}, []string{"/api/v1/regions"}},
		{"region without fields", "POST", "/api/v1/regions", map[string]any{}, 422, []string{"id", "name"}, []string{"/api/v1/regions"}},
		{"region exists", "POST", "/api/v1/regions", map[string]any{"id": "texel", "name": "Tweede Texel"}, 409, nil, []string{"/api/v1/regions", "/api/v1/regions/texel"}},
		{"rename region too short", "PATCH", "/api/v1/regions/texel", map[string]any{"name": "T"}, 422, []string{"name"}, []string{"/api/v1/regions/texel"}},
		{"rename region blank", "PATCH", "/api/v1/regions/texel", map[string]any{"name": "    "}, 422, []string{"name"}, []string{"/api/v1/regions/texel"}},
		{"rename unknown region", "PATCH", "/api/v1/regions/nope", map[string]any{"name": "Nergens"}, 404, nil, []string{"/api/v1/regions", "/api/v1/regions/nope"}},
		// teams
		{"team id not a slug", "POST", "/api/v1/teams", team(map[string]any{"id": "Wieringen West"}), 422, []string{"id"}, []string{"/api/v1/teams"}},
		{"team in unknown region", "POST", "/api/v1/teams", team(map[string]any{"regionId": "nope"}), 422, []string{"regionId"}, []string{"/api/v1/teams", "/api/v1/teams/wieringen-west"}},
		{"team name too short", "POST", "/api/v1/teams", team(map[string]any{"name": "W"}), 422, []string{"name"}, []string{"/api/v1/teams/wieringen-west"}},
		{"team e-mail invalid", "POST", "/api/v1/teams", team(map[string]any{"contact": map[string]any{"email": "geen-adres"}}), 422, []string{"contact.email"}, []string{"/api/v1/teams/wieringen-west"}},
		{"team phone invalid", "POST", "/api/v1/teams", team(map[string]any{"contact": map[string]any{"phone": "bel ons"}}), 422, []string{"contact.phone"}, []string{"/api/v1/teams/wieringen-west"}},
		{"team contact of wrong type", "POST", "/api/v1/teams", team(map[string]any{"contact": map[string]any{"email": 5}}), 422, []string{"contact.email"}, []string{"/api/v1/teams/wieringen-west"}},
		{"team contact with unknown field", "POST", "/api/v1/teams", team(map[string]any{"contact": map[string]any{"fax": "0227"}}), 422, []string{"fax"}, []string{"/api/v1/teams/wieringen-west"}},
		{"team blank working area entry", "POST", "/api/v1/teams", team(map[string]any{"workingArea": []string{"1771", " "}}), 422, []string{"workingArea[1]"}, []string{"/api/v1/teams/wieringen-west"}},
		{"team with every field wrong", "POST", "/api/v1/teams", map[string]any{"id": "-", "regionId": "", "name": "", "contact": map[string]any{"email": "a@", "phone": "x"}}, 422,
			[]string{"id", "regionId", "name", "contact.email", "contact.phone"}, []string{"/api/v1/teams"}},
		{"team exists", "POST", "/api/v1/teams", team(map[string]any{"id": "julianadorp"}), 409, nil, []string{"/api/v1/teams", "/api/v1/teams/julianadorp"}},
		{"move team to unknown region", "PATCH", "/api/v1/teams/julianadorp", map[string]any{"regionId": "nope"}, 422, []string{"regionId"}, []string{"/api/v1/teams/julianadorp"}},
		{"rename team too short", "PATCH", "/api/v1/teams/julianadorp", map[string]any{"name": "J"}, 422, []string{"name"}, []string{"/api/v1/teams/julianadorp"}},
		{"team e-mail with display name", "PATCH", "/api/v1/teams/julianadorp", map[string]any{"contact": map[string]any{"email": "Team <team@noorderkwartier.example>"}}, 422, []string{"contact.email"}, []string{"/api/v1/teams/julianadorp"}},
		{"team phone too short", "PATCH", "/api/v1/teams/julianadorp", map[string]any{"contact": map[string]any{"phone": "12"}}, 422, []string{"contact.phone"}, []string{"/api/v1/teams/julianadorp"}},
		{"team description too long", "PATCH", "/api/v1/teams/julianadorp", map[string]any{"description": strings.Repeat("x", 4001)}, 422, []string{"description"}, []string{"/api/v1/teams/julianadorp"}},
		{"change unknown team", "PATCH", "/api/v1/teams/nope", map[string]any{"name": "Nergens"}, 404, nil, []string{"/api/v1/teams", "/api/v1/teams/nope"}},
		// members
		{"unknown team role", "PUT", "/api/v1/teams/julianadorp/members/" + sanne, map[string]any{"teamRoles": []string{"planning", "astronaut"}}, 422, []string{"teamRoles[1]"}, []string{"/api/v1/teams/julianadorp"}},
		{"team roles missing", "PUT", "/api/v1/teams/julianadorp/members/" + sanne, map[string]any{}, 422, []string{"teamRoles"}, []string{"/api/v1/teams/julianadorp"}},
		{"member is unknown user", "PUT", "/api/v1/teams/julianadorp/members/u000000000000000000000000", map[string]any{"teamRoles": []string{}}, 422, []string{"userId"}, []string{"/api/v1/teams/julianadorp", "/api/v1/teams"}},
		{"member of unknown team", "PUT", "/api/v1/teams/nope/members/" + sanne, map[string]any{"teamRoles": []string{}}, 404, nil, []string{"/api/v1/teams", "/api/v1/teams/nope"}},
		{"remove from unknown team", "DELETE", "/api/v1/teams/nope/members/" + sanne, nil, 404, nil, []string{"/api/v1/teams"}},
		{"remove a non-member", "DELETE", "/api/v1/teams/julianadorp/members/" + sanne, nil, 404, nil, []string{"/api/v1/teams/julianadorp", "/api/v1/teams"}},
		// roles
		{"unknown role", "PUT", "/api/v1/users/" + daan + "/roles", map[string]any{"roles": []string{"teamcoach", "koning"}}, 422, []string{"roles[1]"}, []string{"/api/v1/users/" + daan}},
		{"roles missing", "PUT", "/api/v1/users/" + daan + "/roles", map[string]any{}, 422, []string{"roles"}, []string{"/api/v1/users/" + daan}},
		{"roles null", "PUT", "/api/v1/users/" + daan + "/roles", map[string]any{"roles": nil}, 422, []string{"roles"}, []string{"/api/v1/users/" + daan}},
		{"too many roles", "PUT", "/api/v1/users/" + daan + "/roles", map[string]any{"roles": slices.Repeat([]string{"teamcoach"}, 8)}, 422, []string{"roles"}, []string{"/api/v1/users/" + daan}},
		{"roles of unknown user", "PUT", "/api/v1/users/u000000000000000000000000/roles", map[string]any{"roles": []string{}}, 404, nil, []string{"/api/v1/users"}},
	}
	for _, tc := range invalid {
		t.Run(tc.name, func(t *testing.T) {
			before := e.state(t, tc.watch)
			p := e.call(t, e.admin, tc.method, tc.path, tc.body).problem(t, tc.status)
			if tc.status == 422 {
				wantFields(t, p, tc.fields...)
			}
			e.unchanged(t, before)
		})
	}
}

// TestAPIAdminWrites: an administrator's writes succeed with the right
// status and show on the next read. The subtests run in order.
func TestAPIAdminWrites(t *testing.T) {
	t.Parallel()
	e := startAPI(t)
	type member struct {
		UserID    string   `json:"userId"`
		TeamRoles []string `json:"teamRoles"`
	}
	type teamDetail struct {
		ID          string            `json:"id"`
		Name        string            `json:"name"`
		RegionID    string            `json:"regionId"`
		RegionName  string            `json:"regionName"`
		WorkingArea []string          `json:"workingArea"`
		Description string            `json:"description"`
		Contact     map[string]string `json:"contact"`
		Members     []member          `json:"members"`
	}
	type teamRef struct {
		ID string `json:"id"`
	}
	type regionDetail struct {
		ID    string    `json:"id"`
		Name  string    `json:"name"`
		Teams []teamRef `json:"teams"`
	}
	memberRoles := func(td teamDetail, userID string) ([]string, bool) {
		for _, m := range td.Members {
			if m.UserID == userID {
				return m.TeamRoles, true
			}
		}
		return nil, false
	}
	sessionTeams := func(t *testing.T, sub string) map[string][]string {
		var s sessionBody
		e.get(t, e.client(sub), "/api/v1/session", &s)
		out := map[string][]string{}
		for _, tm := range s.User.Teams {
			out[tm.ID] = tm.TeamRoles
		}
		return out
	}
	sessionRoles := func(t *testing.T, sub string) []string {
		var s sessionBody
		e.get(t, e.client(sub), "/api/v1/session", &s)
		return s.User.Roles
	}

	// Each write in the shared table succeeds and changes what its watch
	// paths show, which is what makes the refusal tests' "unchanged" checks
	// meaningful.
	var teamBefore teamDetail
	e.get(t, e.admin, "/api/v1/teams/julianadorp", &teamBefore)
	checks := map[string]func(t *testing.T, r reply){
		"create region": func(t *testing.T, r reply) {
			if loc := r.header.Get("Location"); loc != "/api/v1/regions/kop-van-noord" {
				t.Fatalf("Location %q", loc)
			}
			var rd regionDetail
			e.get(t, e.staff["anouk.devries"], "/api/v1/regions/kop-van-noord", &rd)
			if rd.Name != "Kop van Noord" || len(rd.Teams) != 0 {
				t.Fatalf("created region %+v", rd)
			}
			var list struct{ Items []regionDetail }
			e.get(t, e.admin, "/api/v1/regions", &list)
			if len(list.Items) != 7 {
				t.Fatalf("%d regions after create, want 7", len(list.Items))
			}
		},
		"rename region": func(t *testing.T, r reply) {
			var rd regionDetail
			e.get(t, e.admin, "/api/v1/regions/texel", &rd)
			if rd.Name != "Texel en Vlieland" || len(rd.Teams) == 0 {
				t.Fatalf("renamed region %+v", rd)
			}
		},
		"create team": func(t *testing.T, r reply) {
			if loc := r.header.Get("Location"); loc != "/api/v1/teams/wieringen-oost" {
				t.Fatalf("Location %q", loc)
			}
			var td teamDetail
			e.get(t, e.admin, "/api/v1/teams/wieringen-oost", &td)
			if td.Name != "Wieringen Oost" || td.RegionID != "hollands-kroon" || td.RegionName == "" ||
				!slices.Equal(td.WorkingArea, []string{"1771", "Hippolytushoef"}) ||
				td.Contact["email"] != "wieringen-oost@noorderkwartier.example" || td.Contact["phone"] != "0227 555 0101" ||
				td.Description == "" || len(td.Members) != 0 {
				t.Fatalf("created team %+v", td)
			}
			var rd regionDetail
			e.get(t, e.admin, "/api/v1/regions/hollands-kroon", &rd)
			if !slices.Contains(rd.Teams, teamRef{ID: "wieringen-oost"}) {
				t.Error("new team not in its region")
			}
		},
		"change team": func(t *testing.T, r reply) {
			var td teamDetail
			e.get(t, e.admin, "/api/v1/teams/julianadorp", &td)
			if td.Name != "Julianadorp Zuid" || td.Contact["phone"] != "0223 555 9999" || td.Contact["email"] != "zuid@noorderkwartier.example" {
				t.Fatalf("changed team %+v", td)
			}
			// Absent fields stay as they were.
			if td.Description != teamBefore.Description || !slices.Equal(td.WorkingArea, teamBefore.WorkingArea) || td.RegionID != teamBefore.RegionID {
				t.Errorf("PATCH changed fields it did not name: %+v, before %+v", td, teamBefore)
			}
		},
		"set member": func(t *testing.T, r reply) {
			var td teamDetail
			e.get(t, e.admin, "/api/v1/teams/julianadorp", &td)
			if roles, ok := memberRoles(td, e.id["sanne.bakker"]); !ok || !slices.Equal(roles, []string{"ict", "scholing"}) {
				t.Fatalf("sanne in julianadorp: %v %v", ok, roles)
			}
			if roles, ok := sessionTeams(t, "sanne.bakker")["julianadorp"]; !ok || !slices.Equal(roles, []string{"ict", "scholing"}) {
				t.Errorf("sanne's session teams lack julianadorp [ict scholing]: %v", roles)
			}
		},
		"remove member": func(t *testing.T, r reply) {
			if len(r.body) != 0 {
				t.Errorf("204 with body %q", r.body)
			}
			var td teamDetail
			e.get(t, e.admin, "/api/v1/teams/den-helder-centrum", &td)
			if _, ok := memberRoles(td, e.id["anouk.devries"]); ok {
				t.Fatal("anouk still a member of den-helder-centrum")
			}
			if _, ok := sessionTeams(t, "anouk.devries")["den-helder-centrum"]; ok {
				t.Error("anouk's session still lists den-helder-centrum")
			}
		},
		"set roles": func(t *testing.T, r reply) {
			if roles := sessionRoles(t, "daan.visser"); !slices.Equal(roles, []string{"zorgmedewerker", "beheerder"}) {
				t.Fatalf("daan's session roles %v", roles)
			}
			// The new role works at once in the existing session.
			if st := e.call(t, e.staff["daan.visser"], "GET", "/api/v1/users", nil).status; st != 200 {
				t.Errorf("daan lists users after becoming beheerder: %d", st)
			}
		},
	}
	for _, w := range e.writes() {
		t.Run(w.name, func(t *testing.T) {
			check, ok := checks[w.name]
			if !ok {
				t.Fatalf("no check for write %q", w.name)
			}
			before := e.state(t, w.watch)
			r := e.call(t, e.admin, w.method, w.path, w.body)
			if r.status != w.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, w.status, r.body)
			}
			if w.status != 204 {
				if mt, _, _ := mime.ParseMediaType(r.header.Get("Content-Type")); mt != "application/json" {
					t.Errorf("Content-Type %q", r.header.Get("Content-Type"))
				}
			}
			after := e.state(t, w.watch)
			changed := false
			for p := range before {
				changed = changed || before[p] != after[p]
			}
			if !changed {
				t.Errorf("none of %v changed", w.watch)
			}
			check(t, r)
		})
	}

	t.Run("membership is access-logged", func(t *testing.T) {
		const rid = "api-test-member-change-1"
		daan := e.id["daan.visser"]
		r := e.call(t, e.admin, "PUT", "/api/v1/teams/wieringen-oost/members/"+daan, map[string]any{"teamRoles": []string{"planning", "planning"}}, "X-Request-ID", rid)
		var td teamDetail
		if r.status != 200 || json.Unmarshal(r.body, &td) != nil {
			t.Fatalf("status %d: %.300s", r.status, r.body)
		}
		if roles, ok := memberRoles(td, daan); !ok || !slices.Equal(roles, []string{"planning"}) {
			t.Fatalf("daan's team roles %v (duplicates must collapse)", roles)
		}
		m := e.accessEntry(t, rid)
		if m["action"] != "change" || !strings.Contains(fmt.Sprint(m["subject"]), "wieringen-oost") || !strings.Contains(fmt.Sprint(m["subject"]), daan) {
			t.Errorf("access log entry %v", m)
		}
		// Remove: 204, then gone, then 404.
		const rid2 = "api-test-member-delete-1"
		if r := e.call(t, e.admin, "DELETE", "/api/v1/teams/wieringen-oost/members/"+daan, nil, "X-Request-ID", rid2); r.status != 204 {
			t.Fatalf("remove: %d %.300s", r.status, r.body)
		}
		if m := e.accessEntry(t, rid2); m["action"] != "delete" {
			t.Errorf("access log entry %v", m)
		}
		e.get(t, e.admin, "/api/v1/teams/wieringen-oost", &td)
		if _, ok := memberRoles(td, daan); ok {
			t.Fatal("daan still a member after removal")
		}
		e.call(t, e.admin, "DELETE", "/api/v1/teams/wieringen-oost/members/"+daan, nil).problem(t, 404)
	})

	t.Run("role change shows in the next session; own admin role cannot be removed", func(t *testing.T) {
		johan := e.id["johan.mulder"]
		if roles := sessionRoles(t, "johan.mulder"); !slices.Equal(roles, []string{"regiomanager"}) {
			t.Fatalf("johan's roles before %v", roles)
		}
		var u struct {
			Roles         []string `json:"roles"`
			AssignedRoles []string `json:"assignedRoles"`
			ClaimRoles    []string `json:"claimRoles"`
		}
		// The roles given are his roles from now on (the claimed one kept, one added; a repeat counts once).
		r := e.call(t, e.admin, "PUT", "/api/v1/users/"+johan+"/roles", map[string]any{"roles": []string{"regiomanager", "beheerder", "beheerder"}})
		if r.status != 200 || json.Unmarshal(r.body, &u) != nil {
			t.Fatalf("grant: %d %.300s", r.status, r.body)
		}
		if !slices.Equal(u.AssignedRoles, []string{"beheerder"}) || !slices.Equal(u.Roles, []string{"regiomanager", "beheerder"}) ||
			!slices.Equal(u.ClaimRoles, []string{"regiomanager"}) {
			t.Fatalf("after grant %+v", u)
		}
		if roles := sessionRoles(t, "johan.mulder"); !slices.Equal(roles, []string{"regiomanager", "beheerder"}) {
			t.Fatalf("johan's session roles after grant %v", roles)
		}

		// Johan, now an administrator only through the assignment, cannot take it away himself.
		before := e.state(t, []string{"/api/v1/users/" + johan})
		p := e.call(t, e.staff["johan.mulder"], "PUT", "/api/v1/users/"+johan+"/roles", map[string]any{"roles": []string{}}).problem(t, 422)
		wantFields(t, p, "roles")
		e.unchanged(t, before)
		if roles := sessionRoles(t, "johan.mulder"); !slices.Contains(roles, "beheerder") {
			t.Fatalf("johan lost beheerder: %v", roles)
		}

		// Another administrator can.
		r = e.call(t, e.admin, "PUT", "/api/v1/users/"+johan+"/roles", map[string]any{"roles": []string{"regiomanager"}})
		if r.status != 200 {
			t.Fatalf("revoke: %d %.300s", r.status, r.body)
		}
		if roles := sessionRoles(t, "johan.mulder"); !slices.Equal(roles, []string{"regiomanager"}) {
			t.Fatalf("johan's session roles after revoke %v", roles)
		}
		e.call(t, e.staff["johan.mulder"], "GET", "/api/v1/users", nil).problem(t, 403)
	})
}
