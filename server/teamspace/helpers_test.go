package teamspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

// The real organisation and user directory satisfy the interfaces.
var (
	_ Org    = (*org.Service)(nil)
	_ People = (*identity.Users)(nil)
)

// testNow is the tests' clock.
var testNow = time.Date(2026, 11, 16, 9, 30, 0, 0, time.UTC)

const testIssuer = "https://idp.test"

func uid(sub string) string { return identity.UserID(testIssuer, sub) }

// Test people: three in Den Helder-Centrum, one in Julianadorp, one on
// Texel, and staff outside the teams.
var (
	anouk  = uid("anouk")  // den-helder-centrum, zorgmedewerker
	sanne  = uid("sanne")  // den-helder-centrum, wijkverpleegkundige
	fatima = uid("fatima") // den-helder-centrum
	daan   = uid("daan")   // julianadorp
	teun   = uid("teun")   // den-burg (Texel)
	ilse   = uid("ilse")   // ondersteunende dienst, no team
	yvonne = uid("yvonne") // beheerder, no team
	peter  = uid("peter")  // teamcoach, no team
)

type fakeTeam struct {
	id, name, region, description string
	area                          []string
	contact                       org.Contact
	members                       map[string][]string // user → team roles
}

// fakeOrg is an organisation in memory; tests change memberships.
type fakeOrg struct {
	mu      sync.Mutex
	people  *fakePeople
	regions []org.RegionSummary
	teams   map[string]*fakeTeam
}

func newFakeOrg(p *fakePeople) *fakeOrg {
	o := &fakeOrg{people: p, teams: map[string]*fakeTeam{},
		regions: []org.RegionSummary{{ID: "den-helder", Name: "Den Helder"}, {ID: "texel", Name: "Texel"}}}
	o.teams["den-helder-centrum"] = &fakeTeam{id: "den-helder-centrum", name: "Den Helder-Centrum", region: "den-helder",
		description: "Het team werkt in de binnenstad.", area: []string{"1781", "Binnenstad"}, contact: org.Contact{Phone: "0223 555 1000", Email: "dhc@example.nl"},
		members: map[string][]string{anouk: {"planning"}, sanne: {"kwaliteit"}, fatima: {}}}
	o.teams["julianadorp"] = &fakeTeam{id: "julianadorp", name: "Julianadorp", region: "den-helder", description: "Dorp en nieuwbouw.",
		area: []string{"1787"}, members: map[string][]string{daan: {"ict"}}}
	o.teams["den-burg"] = &fakeTeam{id: "den-burg", name: "Den Burg", region: "texel", description: "Hart van het eiland.",
		area: []string{"1791"}, members: map[string][]string{teun: {}}}
	return o
}

func (o *fakeOrg) setMember(team, user string, on bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if on {
		o.teams[team].members[user] = []string{}
	} else {
		delete(o.teams[team].members, user)
	}
}

func (o *fakeOrg) GetTeam(a *identity.Actor, id string) (*org.TeamDetail, error) {
	if a == nil {
		return nil, apperr.ErrUnauthenticated
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	t := o.teams[id]
	if t == nil {
		return nil, apperr.NotFound("not_found", "team not found")
	}
	d := &org.TeamDetail{ID: t.id, Name: t.name, RegionID: t.region, WorkingArea: slices.Clone(t.area), Description: t.description,
		Contact: t.contact, UpdatedAt: testNow.Add(-24 * time.Hour)}
	for u, roles := range t.members {
		p, _ := o.people.Get(u)
		d.Members = append(d.Members, org.Member{UserID: u, Name: p.Name, TeamRoles: slices.Clone(roles)})
	}
	sort.Slice(d.Members, func(i, j int) bool { return d.Members[i].Name < d.Members[j].Name })
	return d, nil
}

func (o *fakeOrg) TeamDescription(id string) (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if t := o.teams[id]; t != nil {
		return t.description, true
	}
	return "", false
}

func (o *fakeOrg) ListTeams(a *identity.Actor, region string) ([]org.TeamSummary, error) {
	if a == nil {
		return nil, apperr.ErrUnauthenticated
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []org.TeamSummary
	for _, t := range o.teams {
		if region == "" || t.region == region {
			out = append(out, org.TeamSummary{ID: t.id, Name: t.name, RegionID: t.region, WorkingArea: t.area, MemberCount: len(t.members)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (o *fakeOrg) ListRegions(*identity.Actor) ([]org.RegionSummary, error) { return o.regions, nil }

func (o *fakeOrg) TeamsOf(user string) []identity.TeamRef {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []identity.TeamRef
	for _, t := range o.teams {
		if roles, ok := t.members[user]; ok {
			out = append(out, identity.TeamRef{ID: t.id, Name: t.name, RegionID: t.region, TeamRoles: roles})
		}
	}
	return out
}

func (o *fakeOrg) TeamIDsOf(user string) []string {
	var out []string
	for _, t := range o.TeamsOf(user) {
		out = append(out, t.ID)
	}
	return out
}

func (o *fakeOrg) MemberIDs(team string) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	if t := o.teams[team]; t != nil {
		for u := range t.members {
			out = append(out, u)
		}
	}
	sort.Strings(out)
	return out
}

func (o *fakeOrg) TeamName(id string) (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if t := o.teams[id]; t != nil {
		return t.name, true
	}
	return "", false
}

func (o *fakeOrg) Archived(string) ([]string, bool) { return nil, false }

func (o *fakeOrg) IsMember(user, team string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	t := o.teams[team]
	if t == nil {
		return false
	}
	_, ok := t.members[user]
	return ok
}

type fakePeople struct{ users map[string]identity.User }

func newFakePeople() *fakePeople {
	p := &fakePeople{users: map[string]identity.User{}}
	add := func(id, name string, roles ...identity.Role) {
		p.users[id] = identity.User{ID: id, Name: name, Active: true, ClaimRoles: roles}
	}
	add(anouk, "Anouk de Vries", identity.RoleZorgmedewerker)
	add(sanne, "Sanne Bakker", identity.RoleWijkverpleegkundige)
	add(fatima, "Fatima El Amrani", identity.RoleZorgmedewerker)
	add(daan, "Daan Visser", identity.RoleWijkverpleegkundige)
	add(teun, "Teun Boon", identity.RoleZorgmedewerker)
	add(ilse, "Ilse Dekker", identity.RoleOndersteunendeDienst)
	add(yvonne, "Yvonne Kramer", identity.RoleBeheerder)
	add(peter, "Peter Smit", identity.RoleTeamcoach)
	return p
}

func (p *fakePeople) Get(id string) (identity.User, bool) { u, ok := p.users[id]; return u, ok }
func (p *fakePeople) All() []identity.User {
	var out []identity.User
	for _, u := range p.users {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (p *fakePeople) actor(id string) *identity.Actor {
	u, ok := p.users[id]
	if !ok {
		panic("unknown test user " + id)
	}
	return &identity.Actor{UserID: id, Name: u.Name, Roles: u.Roles(), SessionID: "sess-" + id, CSRF: "csrf"}
}

// sentNotice is one Notify call.
type sentNotice struct {
	to []string
	n  Notice
}

type recNotifier struct {
	mu   sync.Mutex
	sent []sentNotice
}

func (r *recNotifier) Notify(_ context.Context, to []string, n Notice) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, sentNotice{slices.Clone(to), n})
}

// to returns the notices a user received.
func (r *recNotifier) to(user string) []Notice {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Notice
	for _, s := range r.sent {
		if slices.Contains(s.to, user) {
			out = append(out, s.n)
		}
	}
	return out
}

func (r *recNotifier) reset() {
	r.mu.Lock()
	r.sent = nil
	r.mu.Unlock()
}

func kinds(ns []Notice) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Kind)
	}
	return out
}

type recIndexer struct {
	mu    sync.Mutex
	posts map[string]PostDoc
	docs  map[string]DocumentDoc
	ops   []string
}

func newRecIndexer() *recIndexer {
	return &recIndexer{posts: map[string]PostDoc{}, docs: map[string]DocumentDoc{}}
}

func (r *recIndexer) PutPost(p *PostDoc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.posts[p.ID] = *p
	r.ops = append(r.ops, "put "+p.ID)
}
func (r *recIndexer) DeletePost(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.posts, id)
	r.ops = append(r.ops, "delete "+id)
}
func (r *recIndexer) PutDocument(d *DocumentDoc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.docs[d.ID] = *d
}
func (r *recIndexer) DeleteDocument(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.docs, id)
}

type recAccess struct {
	mu      sync.Mutex
	entries []string
	fail    bool
}

func (r *recAccess) Record(ctx context.Context, action, subject string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return fmt.Errorf("%w: access log down", apperr.ErrUnavailable)
	}
	a := identity.ActorFrom(ctx)
	r.entries = append(r.entries, a.UserID+" "+action+" "+subject)
	return nil
}

func (r *recAccess) has(entry string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.entries, entry)
}

// env is a service with its fakes, and an HTTP engine in front of it.
type env struct {
	t      testing.TB
	st     *store.Store
	svc    *Service
	org    *fakeOrg
	people *fakePeople
	notes  *recNotifier
	index  *recIndexer
	access *recAccess
	engine *gin.Engine
	now    time.Time
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvOn(t, storetest.New(t), nil)
}

// newEnvOn builds an instance on st; share org and people with another env
// to simulate a second server instance.
func newEnvOn(t testing.TB, st *store.Store, other *env) *env {
	t.Helper()
	e := &env{t: t, st: st, notes: &recNotifier{}, index: newRecIndexer(), access: &recAccess{}, now: testNow}
	if other != nil {
		e.people, e.org = other.people, other.org
	} else {
		e.people = newFakePeople()
		e.org = newFakeOrg(e.people)
	}
	svc, err := NewService(context.Background(), st, e.org, e.people, Options{Logger: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return e.now }, Freshness: -1, Notifier: e.notes, Indexer: e.index})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	eng, err := httpapi.NewEngine(httpapi.Options{MaxBodyBytes: 12 << 20})
	if err != nil {
		t.Fatal(err)
	}
	api := eng.Group("/api/v1", func(c *gin.Context) {
		if id := c.GetHeader("X-Test-User"); id != "" {
			c.Request = c.Request.WithContext(identity.WithActor(c.Request.Context(), e.people.actor(id)))
		} else {
			httpapi.Error(c, apperr.ErrUnauthenticated)
		}
	})
	h := NewHTTP(svc, e.access, "https://plein.test")
	h.Routes(api)
	h.FeedRoutes(eng)
	e.engine = eng
	return e
}

func (e *env) actor(id string) *identity.Actor { return e.people.actor(id) }

// do sends a JSON request as user ("" = nobody).
func (e *env) do(user, method, path string, body any) *httptest.ResponseRecorder {
	e.t.Helper()
	var r io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			r = strings.NewReader(b)
		default:
			data, err := json.Marshal(body)
			if err != nil {
				e.t.Fatal(err)
			}
			r = bytes.NewReader(data)
		}
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.Header.Set("X-Test-User", user)
	}
	w := httptest.NewRecorder()
	e.engine.ServeHTTP(w, req)
	return w
}

// upload sends a multipart form with one file (field "file") and text fields.
func (e *env) upload(user, path, fileName string, data []byte, fields map[string]string) *httptest.ResponseRecorder {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if fileName != "" || data != nil {
		fw, err := mw.CreateFormFile("file", fileName)
		if err != nil {
			e.t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-Test-User", user)
	w := httptest.NewRecorder()
	e.engine.ServeHTTP(w, req)
	return w
}

func decode[T any](t testing.TB, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %q: %v", w.Body.String(), err)
	}
	return v
}

func wantStatus(t testing.TB, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body.String())
	}
}

// wantFields checks a 422 problem document names exactly these fields.
func wantFields(t testing.TB, w *httptest.ResponseRecorder, fields ...string) {
	t.Helper()
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422: %s", w.Code, w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type %q", ct)
	}
	p := decode[httpapi.Problem](t, w)
	var got []string
	for _, f := range p.Errors {
		if !slices.Contains(got, f.Field) {
			got = append(got, f.Field)
		}
	}
	sort.Strings(got)
	sort.Strings(fields)
	if !slices.Equal(got, fields) {
		t.Fatalf("fields %v, want %v (%s)", got, fields, w.Body.String())
	}
}

// mustPost creates a post through the service.
func (e *env) mustPost(user, space, vis, body string) *Post {
	e.t.Helper()
	p, err := e.svc.CreatePost(context.Background(), e.actor(user), space, PostInput{Body: body, Visibility: vis})
	if err != nil {
		e.t.Fatalf("post: %v", err)
	}
	return p
}

func mention(id string) string { return "<@" + id + ">" }

var errAny = errors.New("any")

// pngBytes is a 1×1 PNG (images must decode: they go through server/photo).
var pngBytes = func() []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 1, 1))); err != nil {
		panic(err)
	}
	return buf.Bytes()
}()

func pdfBytes(text string) []byte { return []byte("%PDF-1.4\n% " + text + "\n%%EOF\n") }
