package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/identity"
)

// Demo logins used by the learning tests (see orgdata.People and orgdata.CoachOf in server/demo).
const (
	lnTeam       = "den-helder-centrum" // coached by peter.smit
	lnCarer      = "anouk.devries"      // member of lnTeam
	lnOtherCarer = "daan.visser"        // member of julianadorp
	lnCoach      = "peter.smit"
	lnOtherCoach = "marieke.jansen" // made a coach of julianadorp by lnSetup
	lnDesigner   = "ilse.dekker"    // support services, designer in the seed
	lnManager    = "johan.mulder"
	lnAdmin      = "yvonne.kramer"
)

type lnSession struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Attendees []struct {
		Person struct{ ID, Name string } `json:"person"`
		Status string                    `json:"status"`
	} `json:"attendees"`
	Present int `json:"present"`
}

type lnScan struct {
	ID          string          `json:"id"`
	Open        bool            `json:"open"`
	Respondents int             `json:"respondents"`
	Profile     *map[string]any `json:"profile"`
	TooFew      bool            `json:"tooFew"`
}

// lnSetup makes lnOtherCoach (a demo login) a team coach of julianadorp:
// the administrator assigns the role, the designer hands over the team.
func lnSetup(t *testing.T, srv *apptest.Server) {
	t.Helper()
	admin := srv.Login(t, lnAdmin)
	id := lnIssuerID(srv, lnOtherCoach)
	if st, b := admin.Do("PUT", "/api/v1/users/"+id+"/roles", map[string]any{"roles": []string{"coordinerend_wijkverpleegkundige", "teamcoach"}}); st != 200 {
		t.Fatalf("assign role: %d %s", st, b)
	}
	if st, b := admin.Do("PUT", "/api/v1/learning/teams/julianadorp/coach", map[string]any{"coachId": id}); st != 200 {
		t.Fatalf("hand over team: %d %s", st, b)
	}
}

func lnIssuerID(srv *apptest.Server, sub string) string {
	return identity.UserID(srv.App.Config.Issuer(), sub)
}

// lnPlanNow plans a session for lnTeam that started five minutes ago, so
// attendance and check-in are open.
func lnPlanNow(t *testing.T, srv *apptest.Server, coach *apptest.Client, title string) lnSession {
	t.Helper()
	start := srv.Now().Add(-5 * time.Minute).UTC()
	var s lnSession
	body := map[string]any{"moduleKey": "teamrollen", "title": title, "teamIds": []string{lnTeam},
		"start": start.Format(time.RFC3339), "end": start.Add(2 * time.Hour).Format(time.RFC3339), "place": "Wijkcentrum De Linie", "capacity": 30}
	if st, b := coach.Do("POST", "/api/v1/learning/sessions", body); st != 201 {
		t.Fatalf("plan session: %d %s", st, b)
	} else if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// lnOpenScan closes the team's open scan if any and opens a new one.
func lnOpenScan(t *testing.T, coach *apptest.Client) lnScan {
	t.Helper()
	var list struct{ Items []lnScan }
	coach.JSON("GET", "/api/v1/learning/teams/"+lnTeam+"/scans", nil, &list)
	for _, x := range list.Items {
		if x.Open {
			if st, b := coach.Do("POST", "/api/v1/learning/scans/"+x.ID+"/close", nil); st != 200 {
				t.Fatalf("close: %d %s", st, b)
			}
		}
	}
	var x lnScan
	if st, b := coach.Do("POST", "/api/v1/learning/teams/"+lnTeam+"/scans", map[string]any{"kind": "quarter"}); st != 201 {
		t.Fatalf("open scan: %d %s", st, b)
	} else if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	return x
}

func lnAnswers(v int) map[string]any {
	return map[string]any{"answers": map[string]int{"samenwerking": v, "besluitvorming": v, "planning": v, "kwaliteit": v, "financien": v, "client": v}}
}

// TestLearningFlow: a coach plans a session → a team member sees it in the
// team agenda and has a notification → the coach records attendance →
// three members answer the scan → the coach closes it and sees the profile
// → the yield shows the team's movement.
func TestLearningFlow(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	coach, carer := srv.Login(t, lnCoach), srv.Login(t, lnCarer)
	// The carer is online: the invitation reaches her live, then stays in
	// the notification centre.
	live := carer.DialWS(t)
	live.Until("ready", nil)
	s := lnPlanNow(t, srv, coach, "Terugkomsessie teamrollen")

	var ev []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
		Link  string `json:"link"`
	}
	// Yesterday to tomorrow: the agenda's days are Amsterdam days.
	from, to := srv.Now().AddDate(0, 0, -1).UTC().Format("2006-01-02"), srv.Now().AddDate(0, 0, 1).UTC().Format("2006-01-02")
	if st, b := carer.Do("GET", "/api/v1/spaces/"+lnTeam+"/events?from="+from+"&to="+to, nil); st != 200 {
		t.Fatalf("agenda: %d %s", st, b)
	} else {
		_ = json.Unmarshal(b, &ev)
		if !strings.Contains(string(b), "learning-"+s.ID) {
			t.Fatalf("the session is not in the team agenda: %s", b)
		}
	}
	// Another team's member does not see it there.
	if _, b := srv.Login(t, lnOtherCarer).Do("GET", "/api/v1/spaces/"+lnTeam+"/events?from="+from+"&to="+to, nil); strings.Contains(string(b), s.ID) {
		t.Fatal("a non-member sees the session in the team agenda")
	}
	invitation := func(link any) bool { return link == "/leren/sessies/"+s.ID }
	live.Until("notification", func(f map[string]any) bool {
		item, _ := f["item"].(map[string]any)
		return item != nil && item["kind"] == "learning" && invitation(item["link"])
	})
	var page notificationPage
	carer.JSON("GET", "/api/v1/notifications", nil, &page)
	stored := false
	for _, n := range page.Items {
		stored = stored || (n.Kind == "learning" && invitation(n.Link))
	}
	if !stored {
		t.Fatalf("the invitation is not in the notification centre: %+v", page)
	}

	// The coach records attendance; the carer checks in herself first.
	if st, b := carer.Do("POST", "/api/v1/learning/sessions/"+s.ID+"/checkin", nil); st != 200 {
		t.Fatalf("check in: %d %s", st, b)
	}
	var full lnSession
	coach.JSON("GET", "/api/v1/learning/sessions/"+s.ID, nil, &full)
	if len(full.Attendees) < 3 {
		t.Fatalf("attendees: %+v", full)
	}
	var entries []map[string]string
	for i, at := range full.Attendees {
		status := "present"
		if i == 1 {
			status = "absent"
		}
		entries = append(entries, map[string]string{"userId": at.Person.ID, "status": status})
	}
	if st, b := coach.Do("PUT", "/api/v1/learning/sessions/"+s.ID+"/attendance", map[string]any{"entries": entries}); st != 200 {
		t.Fatalf("attendance: %d %s", st, b)
	}
	coach.JSON("GET", "/api/v1/learning/sessions/"+s.ID, nil, &full)
	if full.Present != len(entries)-1 {
		t.Fatalf("present %d of %d", full.Present, len(entries))
	}

	// Three members answer the scan.
	x := lnOpenScan(t, coach)
	members := []string{lnCarer, "sanne.bakker", "fatima.elamrani"}
	for i, sub := range members {
		c := carer
		if i > 0 {
			c = srv.Login(t, sub)
		}
		if st, b := c.Do("POST", "/api/v1/learning/scans/"+x.ID+"/answers", lnAnswers(3+i%2)); st != 200 {
			t.Fatalf("%s answers: %d %s", sub, st, b)
		}
	}
	if st, _ := carer.Do("POST", "/api/v1/learning/scans/"+x.ID+"/answers", lnAnswers(1)); st != 409 {
		t.Fatalf("second answer: %d, want 409", st)
	}
	var open lnScan
	var list struct{ Items []lnScan }
	coach.JSON("GET", "/api/v1/learning/teams/"+lnTeam+"/scans", nil, &list)
	open = list.Items[len(list.Items)-1]
	if open.Respondents != 3 || open.Profile != nil {
		t.Fatalf("an open scan shows a profile or a wrong count: %+v", open)
	}
	if st, b := coach.Do("PUT", "/api/v1/learning/scans/"+x.ID+"/observation", map[string]any{"observation": "Het team besluit zelf.", "phase": 3}); st != 200 {
		t.Fatalf("observe: %d %s", st, b)
	}
	var closed lnScan
	if st, b := coach.Do("POST", "/api/v1/learning/scans/"+x.ID+"/close", nil); st != 200 {
		t.Fatalf("close: %d %s", st, b)
	} else {
		_ = json.Unmarshal(b, &closed)
	}
	if closed.Profile == nil || (*closed.Profile)["respondents"].(float64) != 3 {
		t.Fatalf("closed scan profile: %+v", closed)
	}
	if n := countDocs(t, srv, "learning_scan_answers"); n != 0 {
		t.Fatalf("%d individual answers kept after closing", n)
	}
	// A closed scan never changes.
	if st, _ := coach.Do("PUT", "/api/v1/learning/scans/"+x.ID+"/observation", map[string]any{"observation": "later", "phase": 1}); st != 409 {
		t.Fatalf("observation on a closed scan: %d", st)
	}

	// The yield shows the team's movement next to its figures.
	var y struct {
		Total struct {
			Maturity struct{ Start, End, Change *float64 }
			Figures  map[string]struct{ Change *float64 }
		}
		Series []struct{ Month string }
		Note   string
	}
	if st := carer.JSON("GET", "/api/v1/learning/yield?level=team&id="+lnTeam, nil, &y); st != 200 {
		t.Fatalf("yield: %d", st)
	}
	if y.Total.Maturity.Change == nil || y.Total.Figures["clientSatisfiedPct"].Change == nil || len(y.Series) < 12 || !strings.Contains(y.Note, "geen bewijs") {
		t.Fatalf("team yield: %+v", y)
	}
}

type lnCase struct {
	method, path string
	body         func(role string) any
	allow        []string
}

func lnRoles() []string {
	return []string{"carer", "otherCarer", "coach", "otherCoach", "designer", "manager", "admin"}
}

var lnSubs = map[string]string{"carer": lnCarer, "otherCarer": lnOtherCarer, "coach": lnCoach, "otherCoach": lnOtherCoach,
	"designer": lnDesigner, "manager": lnManager, "admin": lnAdmin}

// TestLearningAccessMatrix runs every learning route as every role: the
// allowed roles pass the access check (2xx, or 409 when the state forbids
// a repeat), the others get 403 or 404. Every registered route is covered.
func TestLearningAccessMatrix(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	lnSetup(t, srv)
	cl := map[string]*apptest.Client{}
	for role, sub := range lnSubs {
		cl[role] = srv.Login(t, sub)
	}
	s := lnPlanNow(t, srv, cl["coach"], "Sessie voor de matrix")
	x := lnOpenScan(t, cl["coach"])
	all := lnRoles()
	team := "/api/v1/learning/teams/" + lnTeam
	peter := lnIssuerID(srv, lnCoach)
	progBody := func(role string) any {
		return map[string]any{"id": "prog-" + strings.ToLower(role), "name": "Programma " + role, "description": "",
			"modules": []map[string]any{{"key": "een", "title": "Eén", "goals": []string{}, "materials": []any{}, "assignments": []string{}}}}
	}
	cohortTeams := map[string]string{"designer": "huisduinen", "admin": "sluisdijk"}
	cases := []lnCase{
		{"GET", "/api/v1/learning/me", nil, all},
		{"GET", "/api/v1/learning/settings", nil, []string{"admin"}},
		{"PUT", "/api/v1/learning/settings", func(string) any {
			return map[string]any{"designers": []string{lnIssuerID(srv, lnDesigner)}}
		}, []string{"admin"}},
		{"GET", "/api/v1/learning/programmes", nil, all},
		{"POST", "/api/v1/learning/programmes", progBody, []string{"designer", "admin"}},
		{"GET", "/api/v1/learning/programmes/zelfsturing", nil, all},
		{"PUT", "/api/v1/learning/programmes/zelfsturing", func(role string) any {
			var p map[string]any
			cl["admin"].JSON("GET", "/api/v1/learning/programmes/zelfsturing", nil, &p)
			return map[string]any{"name": p["name"], "description": p["description"], "modules": p["modules"], "baseVersion": p["version"]}
		}, []string{"designer", "admin"}},
		{"GET", "/api/v1/learning/cohorts", nil, all},
		{"POST", "/api/v1/learning/cohorts", func(role string) any {
			tm := cohortTeams[role]
			if tm == "" {
				tm = "de-schooten"
			}
			return map[string]any{"id": "nieuw-" + strings.ToLower(role), "name": "Nieuw cohort", "programmeId": "zelfsturing",
				"startMonth": srv.Now().AddDate(2, 1, 0).Format("2006-01"), "teams": []map[string]string{{"teamId": tm, "coachId": lnIssuerID(srv, lnOtherCoach)}}}
		}, []string{"designer", "admin"}},
		{"GET", "/api/v1/learning/cohorts/cohort-1", nil, all},
		{"GET", team, nil, []string{"carer", "coach", "designer", "admin"}},
		{"GET", team + "/panel", nil, all},
		{"PUT", team + "/coach", func(string) any { return map[string]any{"coachId": peter} }, []string{"designer", "admin"}},
		{"PUT", team + "/modules/teamrollen", func(string) any { return map[string]any{"status": "planned"} }, []string{"coach"}},
		{"GET", team + "/reflections", nil, []string{"carer", "coach"}},
		{"PUT", team + "/reflections/teamrollen", func(string) any { return map[string]any{"body": "We verdeelden de rollen opnieuw."} }, []string{"carer"}},
		{"PUT", team + "/reflections/teamrollen/reply", func(string) any { return map[string]any{"body": "Mooi gedaan."} }, []string{"coach"}},
		{"GET", team + "/scans", nil, []string{"carer", "coach"}},
		{"POST", team + "/scans", func(string) any { return map[string]any{"kind": "quarter"} }, []string{"coach"}},
		{"GET", "/api/v1/learning/scan-questions", nil, all},
		{"POST", "/api/v1/learning/scans/" + x.ID + "/answers", func(string) any { return lnAnswers(2) }, []string{"carer"}},
		{"PUT", "/api/v1/learning/scans/" + x.ID + "/observation", func(string) any { return map[string]any{"observation": "", "phase": 2} }, []string{"coach"}},
		{"POST", "/api/v1/learning/scans/" + x.ID + "/close", nil, []string{"coach"}},
		{"GET", "/api/v1/learning/sessions", nil, all},
		{"GET", "/api/v1/learning/sessions?team=" + lnTeam, nil, []string{"carer", "coach", "designer", "admin"}},
		{"POST", "/api/v1/learning/sessions", func(string) any {
			st := srv.Now().Add(72 * time.Hour).UTC()
			return map[string]any{"moduleKey": "teamrollen", "title": "", "teamIds": []string{lnTeam}, "start": st.Format(time.RFC3339),
				"end": st.Add(time.Hour).Format(time.RFC3339), "place": "", "link": "https://meet.example/plein", "capacity": 20}
		}, []string{"coach"}},
		{"GET", "/api/v1/learning/sessions/" + s.ID, nil, []string{"carer", "coach", "designer", "admin"}},
		{"PUT", "/api/v1/learning/sessions/" + s.ID + "/attendance", func(string) any {
			return map[string]any{"entries": []map[string]string{{"userId": lnIssuerID(srv, lnCarer), "status": "present"}}}
		}, []string{"coach"}},
		{"POST", "/api/v1/learning/sessions/" + s.ID + "/checkin", nil, []string{"carer"}},
		{"GET", "/api/v1/learning/board", nil, []string{"coach", "otherCoach"}},
		{"GET", "/api/v1/learning/board?coach=" + peter, nil, []string{"coach", "designer", "admin"}},
		{"GET", "/api/v1/learning/yield", nil, all},
		{"GET", "/api/v1/learning/yield?level=team&id=" + lnTeam, nil, all},
		{"GET", "/api/v1/learning/yield.csv?level=cohort&id=cohort-1", nil, all},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		p := c.path
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
		covered[c.method+" "+p] = true
		for _, role := range all {
			var body any
			if c.body != nil {
				body = c.body(role)
			}
			st, b := cl[role].Do(c.method, c.path, body)
			allowed := lnContains(c.allow, role)
			switch {
			case allowed && st/100 != 2 && st != 409:
				t.Errorf("%s %s as %s: %d, want success: %.300s", c.method, c.path, role, st, b)
			case !allowed && st != 403 && st != 404:
				t.Errorf("%s %s as %s: %d, want 403 or 404: %.300s", c.method, c.path, role, st, b)
			}
		}
	}
	// Every learning route is in the matrix.
	for _, r := range srv.App.Engine.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/learning") {
			continue
		}
		found := false
		for k := range covered {
			if matchRoute(r.Method+" "+r.Path, k) {
				found = true
			}
		}
		if !found {
			t.Errorf("route %s %s is not in the access matrix", r.Method, r.Path)
		}
	}
}

func lnContains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// matchRoute matches "GET /a/:id/b" against "GET /a/xyz/b".
func matchRoute(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if strings.HasPrefix(ps[i], ":") && xs[i] != "" {
			continue
		}
		if ps[i] != xs[i] {
			return false
		}
	}
	return true
}

// lnSnapshot reads every learning collection, to show that a refused
// write changed nothing.
func lnSnapshot(t *testing.T, srv *apptest.Server) map[string][]bson.M {
	t.Helper()
	out := map[string][]bson.M{}
	for _, coll := range []string{"learning_programmes", "learning_cohorts", "learning_trajectories", "learning_sessions",
		"learning_reflections", "learning_scans", "learning_scan_answers"} {
		cur, err := srv.App.Store.DB.Collection(coll).Find(context.Background(), bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []bson.M
		if err := cur.All(context.Background(), &docs); err != nil {
			t.Fatal(err)
		}
		sort.Slice(docs, func(i, j int) bool { return fmt.Sprint(docs[i]["_id"]) < fmt.Sprint(docs[j]["_id"]) })
		out[coll] = docs
	}
	return out
}

// TestLearningBadInput: invalid input gets 422 problem+json naming the
// fields, and nothing stored changes.
func TestLearningBadInput(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	coach, carer, admin := srv.Login(t, lnCoach), srv.Login(t, lnCarer), srv.Login(t, lnAdmin)
	s := lnPlanNow(t, srv, coach, "Sessie")
	x := lnOpenScan(t, coach)
	before := lnSnapshot(t, srv)
	team := "/api/v1/learning/teams/" + lnTeam
	cases := []struct {
		c            *apptest.Client
		method, path string
		body         any
		fields       []string
	}{
		{admin, "POST", "/api/v1/learning/programmes", map[string]any{"id": "Not A Slug", "name": "", "description": "", "modules": []any{}}, []string{"id", "name", "modules"}},
		{admin, "POST", "/api/v1/learning/programmes", map[string]any{"id": "ok", "name": "x", "description": "", "modules": []map[string]any{{"key": "a", "title": "", "goals": []string{}, "materials": []map[string]string{{"title": "m", "url": "javascript:alert(1)"}}, "assignments": []string{}}}}, []string{"modules[0].title", "modules[0].materials[0].url"}},
		{admin, "POST", "/api/v1/learning/cohorts", map[string]any{"id": "c9", "name": "C", "programmeId": "nope", "startMonth": "2026-13", "teams": []map[string]string{{"teamId": "nope", "coachId": "nope"}}}, []string{"programmeId", "startMonth", "teams[0].teamId", "teams[0].coachId"}},
		{admin, "PUT", "/api/v1/learning/settings", map[string]any{"designers": []string{lnIssuerID(srv, lnCarer)}}, []string{"designers[0]"}},
		{coach, "POST", "/api/v1/learning/sessions", map[string]any{"moduleKey": "nope", "title": "", "teamIds": []string{lnTeam}, "start": "morgen", "end": "", "place": "", "link": "http://x", "capacity": 0}, []string{"start", "end", "capacity", "link", "moduleKey"}},
		{coach, "PUT", "/api/v1/learning/sessions/" + s.ID + "/attendance", map[string]any{"entries": []map[string]string{{"userId": "u0", "status": "maybe"}}}, []string{"entries[0].userId", "entries[0].status"}},
		{coach, "PUT", team + "/modules/teamrollen", map[string]any{"status": "skipped", "reason": ""}, []string{"reason"}},
		{coach, "PUT", team + "/modules/teamrollen", map[string]any{"status": "half", "plannedMonth": "ooit"}, []string{"status", "plannedMonth"}},
		{coach, "POST", team + "/scans", map[string]any{"kind": "weekly"}, []string{"kind"}},
		{coach, "PUT", "/api/v1/learning/scans/" + x.ID + "/observation", map[string]any{"observation": "x", "phase": 7}, []string{"phase"}},
		{carer, "POST", "/api/v1/learning/scans/" + x.ID + "/answers", map[string]any{"answers": map[string]int{"samenwerking": 5, "extra": 1}}, []string{"answers.samenwerking", "answers.besluitvorming", "answers.extra"}},
		{carer, "PUT", team + "/reflections/teamrollen", map[string]any{"body": "   "}, []string{"body"}},
		{carer, "PUT", team + "/reflections/teamrollen", map[string]any{"body": "x", "author": "someone"}, []string{"author"}},
		{carer, "GET", "/api/v1/learning/yield?level=planet", nil, []string{"level"}},
		{coach, "GET", "/api/v1/learning/board?sort=shoe", nil, []string{"sort"}},
	}
	for _, c := range cases {
		st, b := c.c.Do(c.method, c.path, c.body)
		if st != 422 {
			t.Errorf("%s %s: %d, want 422: %.300s", c.method, c.path, st, b)
			continue
		}
		p := apptest.ParseProblem(t, b)
		got := p.FieldErrors()
		for _, f := range c.fields {
			if !strings.Contains(got, f+":") {
				t.Errorf("%s %s: field %q missing in %s", c.method, c.path, f, got)
			}
		}
	}
	if after := lnSnapshot(t, srv); !reflect.DeepEqual(before, after) {
		t.Error("refused input changed stored learning data")
	}
}

// TestLearningScanPrivacy: random request sequences over every role never
// reveal an individual answer, nor a profile with fewer than three answers,
// nor any profile of an open scan.
func TestLearningScanPrivacy(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	lnSetup(t, srv)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 11))
	cl := map[string]*apptest.Client{}
	for role, sub := range lnSubs {
		cl[role] = srv.Login(t, sub)
	}
	members := []string{"sanne.bakker", "fatima.elamrani"}
	for _, sub := range members {
		cl[sub] = srv.Login(t, sub)
	}
	answerers := []string{"carer", "sanne.bakker", "fatima.elamrani"}
	coach := cl["coach"]
	team := "/api/v1/learning/teams/" + lnTeam
	reads := []string{team, team + "/scans", team + "/panel", "/api/v1/learning/yield?level=team&id=" + lnTeam,
		"/api/v1/learning/yield", "/api/v1/learning/board", "/api/v1/learning/board?coach=" + lnIssuerID(srv, lnCoach),
		"/api/v1/learning/yield.csv?level=team&id=" + lnTeam, "/api/v1/learning/me"}
	x := lnOpenScan(t, coach)
	answered := map[string]bool{}
	for step := 0; step < 120; step++ {
		var st int
		var b []byte
		switch k := rng.IntN(10); {
		case k < 3: // a member answers
			who := answerers[rng.IntN(len(answerers))]
			st, b = cl[who].Do("POST", "/api/v1/learning/scans/"+x.ID+"/answers", lnAnswers(1+rng.IntN(4)))
			if st == 200 {
				answered[who] = true
			}
		case k == 3: // the coach closes and opens the next scan
			st, b = coach.Do("POST", "/api/v1/learning/scans/"+x.ID+"/close", nil)
			lnCheckPrivacy(t, b)
			x = lnOpenScan(t, coach)
			answered = map[string]bool{}
			continue
		case k == 4:
			st, b = coach.Do("PUT", "/api/v1/learning/scans/"+x.ID+"/observation", map[string]any{"observation": "obs", "phase": 1 + rng.IntN(4)})
		default: // anyone reads anything
			roles := append(lnRoles(), members...)
			st, b = cl[roles[rng.IntN(len(roles))]].Do("GET", reads[rng.IntN(len(reads))], nil)
		}
		if st >= 500 {
			t.Fatalf("step %d: %d %s", step, st, b)
		}
		lnCheckPrivacy(t, b)
	}
}

// lnCheckPrivacy fails when a response holds individual answers, a
// profile of fewer than three answers, or a profile of an open scan.
func lnCheckPrivacy(t *testing.T, b []byte) {
	t.Helper()
	if strings.Contains(string(b), `"answers"`) {
		t.Fatalf("a response holds answers: %.400s", b)
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		return // CSV or empty
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if p, ok := x["profile"].(map[string]any); ok {
				if n, _ := p["respondents"].(float64); n < 3 {
					t.Fatalf("a profile of %v answers: %.400s", n, b)
				}
				if open, _ := x["open"].(bool); open {
					t.Fatalf("a profile of an open scan: %.400s", b)
				}
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(v)
}
