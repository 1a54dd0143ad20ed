package app_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/audits"
	"github.com/plein/plein/server/photo/phototest"
)

type auditView struct {
	ID          string `json:"id"`
	TeamID      string `json:"teamId"`
	RegionID    string `json:"regionId"`
	AuditorID   string `json:"auditorId"`
	Status      string `json:"status"`
	Answered    int    `json:"answered"`
	Total       int    `json:"total"`
	Findings    int    `json:"findings"`
	OpenActions int    `json:"openActions"`
	FinishedAt  string `json:"finishedAt"`
	Template    struct {
		Themes []struct {
			Key      string `json:"key"`
			Criteria []struct {
				Key string `json:"key"`
			} `json:"criteria"`
		} `json:"themes"`
	} `json:"template"`
	FindingList []struct {
		ID        string `json:"id"`
		Criterion string `json:"criterion"`
		Open      bool   `json:"open"`
	} `json:"findingList"`
}

type actionView struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	TeamID     string `json:"teamId"`
	CanWork    bool   `json:"canWork"`
	CanConfirm bool   `json:"canConfirm"`
	Overdue    bool   `json:"overdue"`
}

func userID(t *testing.T, c *apptest.Client) string {
	t.Helper()
	var s struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	if st := c.JSON("GET", "/api/v1/session", nil, &s); st != 200 || s.User.ID == "" {
		t.Fatalf("session: %d", st)
	}
	return s.User.ID
}

// allAnswers answers every criterion: the first two criteria as findings.
func allAnswers(a auditView, prefix string) map[string]any {
	var out []map[string]any
	n := 0
	for _, th := range a.Template.Themes {
		for _, c := range th.Criteria {
			score := "voldoet"
			switch n {
			case 0:
				score = "voldoet_niet"
			case 1:
				score = "deels"
			}
			out = append(out, map[string]any{"clientId": prefix + "-" + c.Key, "criterion": c.Key, "score": score, "note": "gezien"})
			n++
		}
	}
	return map[string]any{"answers": out}
}

func TestAuditSeedHome(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	johan := srv.Login(t, "johan.mulder")
	var home struct {
		Audits []auditView `json:"audits"`
	}
	if st := johan.JSON("GET", "/api/v1/audits/mine", nil, &home); st != 200 || len(home.Audits) == 0 {
		t.Fatalf("johan's home: %d %+v", st, home)
	}
	if home.Audits[0].TeamID != "den-helder-centrum" {
		t.Errorf("demo story: johan audits %s first, want den-helder-centrum", home.Audits[0].TeamID)
	}
	// Seed: 4 rounds, actions in every state.
	admin := srv.Login(t, "yvonne.kramer")
	var rounds struct {
		Items []struct{ ID, Type, Quarter string } `json:"items"`
	}
	admin.JSON("GET", "/api/v1/audits/rounds", nil, &rounds)
	if len(rounds.Items) != 4 {
		t.Fatalf("seed rounds: %+v", rounds.Items)
	}
	var acts struct {
		Items []actionView `json:"items"`
	}
	admin.JSON("GET", "/api/v1/audits/actions", nil, &acts)
	states := map[string]bool{}
	for _, a := range acts.Items {
		states[a.Status] = true
		if a.Overdue {
			states["overdue"] = true
		}
	}
	for _, s := range []string{"open", "in_progress", "closed", "confirmed", "overdue"} {
		if !states[s] {
			t.Errorf("seed has no %s action", s)
		}
	}
}

// TestAuditEndToEnd: a planner makes a peer round and adjusts it (the rule
// is re-checked), the manager answers (a resend changes nothing) and
// finishes, the team sees the finding and closes the action, the auditor
// confirms, and the region overview follows.
func TestAuditEndToEnd(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	planner := srv.Login(t, "ilse.dekker")
	johan := srv.Login(t, "johan.mulder")     // regional manager Hoorn
	marieke := srv.Login(t, "marieke.jansen") // coordinating district nurse Den Helder
	fatima := srv.Login(t, "fatima.elamrani") // den-helder-centrum, kwaliteit
	daan := srv.Login(t, "daan.visser")       // julianadorp
	johanID := userID(t, johan)

	var rounds struct {
		Items []struct{ Quarter string } `json:"items"`
	}
	planner.JSON("GET", "/api/v1/audits/rounds", nil, &rounds)
	next := audits.AddQuarters(rounds.Items[0].Quarter, 1) // after the seed's rounds, whatever today is

	var rv struct {
		ID          string `json:"id"`
		Violations  []any  `json:"violations"`
		Assignments []struct {
			TeamID, AuditorID, AuditID string
		} `json:"assignments"`
	}
	if st := planner.JSON("POST", "/api/v1/audits/rounds", map[string]any{"type": "peer", "quarter": next}, &rv); st != 201 {
		t.Fatalf("create round: %d", st)
	}
	if len(rv.Violations) != 0 || len(rv.Assignments) != 12 {
		t.Fatalf("proposal: %+v", rv)
	}
	// A manager auditing their own region is refused, and nothing changes.
	st, b := planner.Do("PUT", "/api/v1/audits/rounds/"+rv.ID+"/assignments", map[string]any{"assignments": []map[string]string{{"teamId": "hoorn-kersenboogerd", "auditorId": johanID}}})
	if st != 422 || !strings.Contains(apptest.ParseProblem(t, b).FieldErrors(), "assignments[0].auditorId: own_region") {
		t.Fatalf("own region: %d %s", st, b)
	}
	if st := planner.JSON("PUT", "/api/v1/audits/rounds/"+rv.ID+"/assignments", map[string]any{"assignments": []map[string]string{{"teamId": "den-helder-centrum", "auditorId": johanID}}}, &rv); st != 200 {
		t.Fatalf("adjust: %d", st)
	}
	if st := planner.JSON("POST", "/api/v1/audits/rounds/"+rv.ID+"/open", nil, &rv); st != 200 || rv.Assignments[0].AuditID == "" {
		t.Fatalf("open: %d %+v", st, rv)
	}
	id := rv.Assignments[0].AuditID

	// Before it is done, a team member of another team sees nothing.
	if st, _ := daan.Do("GET", "/api/v1/audits/"+id, nil); st != 404 {
		t.Fatalf("other team reads the audit: %d", st)
	}
	var au auditView
	johan.JSON("GET", "/api/v1/audits/"+id, nil, &au)
	body := allAnswers(au, "c1")
	var res struct {
		Applied, Duplicates int
	}
	if st := johan.JSON("POST", "/api/v1/audits/"+id+"/answers", body, &res); st != 200 || res.Applied != au.Total {
		t.Fatalf("answers: %d %+v (total %d)", st, res, au.Total)
	}
	if st := johan.JSON("POST", "/api/v1/audits/"+id+"/answers", body, &res); st != 200 || res.Applied != 0 || res.Duplicates != au.Total {
		t.Fatalf("resend: %d %+v", st, res)
	}
	if st, _ := fatima.Do("POST", "/api/v1/audits/"+id+"/answers", allAnswers(au, "c2")); st != 403 {
		t.Fatalf("team member answers: %d", st)
	}
	if st := johan.JSON("POST", "/api/v1/audits/"+id+"/finish", map[string]string{"summary": "Goed gesprek."}, &au); st != 200 || au.Status != "finished" || au.Findings != 2 {
		t.Fatalf("finish: %d %+v", st, au)
	}
	// A finished audit is immutable: new answers are refused, resends are not.
	if st, _ := johan.Do("POST", "/api/v1/audits/"+id+"/answers", allAnswers(au, "c3")); st != 409 {
		t.Fatalf("answer after finish: %d", st)
	}
	if st := johan.JSON("POST", "/api/v1/audits/"+id+"/answers", body, &res); st != 200 || res.Applied != 0 {
		t.Fatalf("resend after finish: %d", st)
	}
	finding := au.FindingList[0]
	finished, _ := time.Parse(time.RFC3339, au.FinishedAt)
	due := finished.AddDate(0, 0, 30).Format("2006-01-02")
	var act actionView
	input := map[string]string{"clientId": "act-0001", "criterion": finding.Criterion, "title": "Rooster samen maken", "ownerTeamRole": "kwaliteit", "due": due}
	if st := johan.JSON("POST", "/api/v1/audits/"+id+"/actions", input, &act); st != 201 {
		t.Fatalf("create action: %d", st)
	}
	if st := johan.JSON("POST", "/api/v1/audits/"+id+"/actions", input, &act); st != 200 {
		t.Fatalf("resend action: %d", st)
	}

	// The team sees its finding and closes the action.
	var team struct {
		OpenFindings []struct{ ID string } `json:"openFindings"`
		Actions      []actionView          `json:"actions"`
	}
	fatima.JSON("GET", "/api/v1/audits/teams/den-helder-centrum", nil, &team)
	if len(team.OpenFindings) == 0 || len(team.Actions) == 0 {
		t.Fatalf("team view: %+v", team)
	}
	var region struct {
		Teams []struct {
			TeamID      string `json:"teamId"`
			OpenActions int    `json:"openActions"`
		} `json:"teams"`
	}
	openOf := func() int {
		marieke.JSON("GET", "/api/v1/audits/regions/den-helder", nil, &region)
		for _, tm := range region.Teams {
			if tm.TeamID == "den-helder-centrum" {
				return tm.OpenActions
			}
		}
		t.Fatal("team missing from the region overview")
		return 0
	}
	before := openOf()
	if st, _ := johan.Do("PATCH", "/api/v1/audits/actions/"+act.ID, map[string]string{"status": "closed", "evidence": "klaar"}); st != 403 {
		t.Fatalf("auditor closes the owner's action: %d", st)
	}
	if st := fatima.JSON("PATCH", "/api/v1/audits/actions/"+act.ID, map[string]string{"status": "closed", "evidence": "Rooster wordt nu in het team gemaakt."}, &act); st != 200 || act.Status != "closed" {
		t.Fatalf("close: %d %+v", st, act)
	}
	if st, _ := fatima.Do("PATCH", "/api/v1/audits/actions/"+act.ID, map[string]string{"status": "confirmed"}); st != 403 {
		t.Fatalf("owner confirms own action: %d", st)
	}
	if st := johan.JSON("PATCH", "/api/v1/audits/actions/"+act.ID, map[string]string{"status": "confirmed"}, &act); st != 200 || act.Status != "confirmed" {
		t.Fatalf("confirm: %d %+v", st, act)
	}
	if after := openOf(); after != before-1 {
		t.Fatalf("region overview: open actions %d → %d", before, after)
	}
	// A correction is a new, linked record; the audit itself stays.
	if st, b := johan.Do("POST", "/api/v1/audits/"+id+"/corrections", map[string]string{"clientId": "corr-0001", "criterion": finding.Criterion, "score": "deels", "reason": "Tikfout"}); st != 201 {
		t.Fatalf("correction: %d %s", st, b)
	}
	// The CSV export for the meeting.
	st, csvBody := planner.Do("GET", "/api/v1/audits/reports/export.csv?round="+rv.ID, nil)
	if st != 200 || !bytes.Contains(csvBody, []byte("Den Helder-Centrum")) {
		t.Fatalf("csv: %d %.200s", st, csvBody)
	}
}

func photoBody(t *testing.T, name string, data []byte, fields map[string]string) ([]byte, string) {
	t.Helper()
	var pairs []string
	for k, v := range fields {
		pairs = append(pairs, k, v)
	}
	return apptest.Multipart(t, "file", name, data, pairs...)
}

func TestAuditPhotosAndBadInput(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	johan := srv.Login(t, "johan.mulder")
	var home struct {
		Audits []auditView `json:"audits"`
	}
	johan.JSON("GET", "/api/v1/audits/mine", nil, &home)
	id := home.Audits[0].ID
	var au auditView
	johan.JSON("GET", "/api/v1/audits/"+id, nil, &au)
	crit := au.Template.Themes[0].Criteria[0].Key
	snapshot := func() string {
		var x map[string]any
		johan.JSON("GET", "/api/v1/audits/"+id, nil, &x)
		b, _ := json.Marshal(x)
		return string(b)
	}
	start := snapshot()

	// Bad input: 422 with field errors, nothing stored.
	for _, tc := range []struct {
		body  any
		field string
	}{
		{map[string]any{"answers": []map[string]string{{"clientId": "x", "criterion": crit, "score": "voldoet"}}}, "answers[0].clientId"},
		{map[string]any{"answers": []map[string]string{{"clientId": "abcdefgh1", "criterion": crit, "score": "goed"}}}, "answers[0].score"},
		{map[string]any{"answers": []map[string]string{{"clientId": "abcdefgh1", "criterion": crit, "score": "voldoet"}, {"clientId": "abcdefgh2", "criterion": "bestaat-niet", "score": "voldoet"}}}, "answers[1].criterion"},
		{map[string]any{"answers": []map[string]any{}}, "answers"},
		{map[string]any{"answers": "nee"}, "answers"},
		{map[string]any{"antwoorden": []any{}}, "antwoorden"},
	} {
		st, b := johan.Do("POST", "/api/v1/audits/"+id+"/answers", tc.body)
		if st != 422 || !strings.Contains(apptest.ParseProblem(t, b).FieldErrors(), tc.field) {
			t.Errorf("%v: %d %s", tc.body, st, b)
		}
	}
	if st, b := johan.Do("POST", "/api/v1/audits/"+id+"/finish", map[string]string{}); st != 422 || !strings.Contains(string(b), "answers") {
		t.Errorf("finish unanswered: %d %s", st, b)
	}
	if snapshot() != start {
		t.Fatal("bad input changed the audit")
	}

	png := phototest.PNG(t, 10, 10) // images must decode (server/photo)
	body, ct := photoBody(t, "wand.png", png, map[string]string{"criterion": crit, "clientId": "photo-0001"})
	var p1, p2 struct{ ID string }
	if st, b := johan.Do("POST", "/api/v1/audits/"+id+"/photos", body, "Content-Type", ct); st != 201 {
		t.Fatalf("photo: %d %s", st, b)
	} else {
		_ = json.Unmarshal(b, &p1)
	}
	if st, b := johan.Do("POST", "/api/v1/audits/"+id+"/photos", body, "Content-Type", ct); st != 201 {
		t.Fatalf("photo resend: %d", st)
	} else {
		_ = json.Unmarshal(b, &p2)
	}
	if p1.ID == "" || p1.ID != p2.ID {
		t.Fatalf("photo resend made another photo: %q %q", p1.ID, p2.ID)
	}
	if st, _ := johan.Do("GET", "/api/v1/audits/"+id+"/photos/"+p1.ID, nil); st != 200 {
		t.Fatalf("read photo: %d", st)
	}
	body, ct = photoBody(t, "notitie.txt", []byte("geen foto"), map[string]string{"criterion": crit, "clientId": "photo-0002"})
	if st, b := johan.Do("POST", "/api/v1/audits/"+id+"/photos", body, "Content-Type", ct); st != 422 || !strings.Contains(string(b), `"file"`) {
		t.Fatalf("not a photo: %d %s", st, b)
	}
	big := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, audits.MaxPhotoBytes+1)...)
	body, ct = photoBody(t, "groot.png", big, map[string]string{"criterion": crit, "clientId": "photo-0003"})
	if st, _ := johan.Do("POST", "/api/v1/audits/"+id+"/photos", body, "Content-Type", ct); st != 413 {
		t.Fatalf("too large: %d", st)
	}
}

// TestAuditBadInputStoresNothing: every write route refuses bad input with
// 422 and field errors, and no audits collection changes.
func TestAuditBadInputStoresNothing(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	planner := srv.Login(t, "ilse.dekker")
	marieke := srv.Login(t, "marieke.jansen")
	var list struct {
		Items []struct{ ID, Type string } `json:"items"`
	}
	planner.JSON("GET", "/api/v1/audits?team=den-helder-centrum&status=finished", nil, &list)
	finished := ""
	for _, x := range list.Items {
		if x.Type == "internal" {
			finished = x.ID
		}
	}
	var acts struct {
		Items []struct{ ID, AuditID, Status string }
	}
	planner.JSON("GET", "/api/v1/audits/actions?team=den-helder-centrum", nil, &acts)
	action := acts.Items[0].ID
	colls := []string{"audits_templates", "audits_rounds", "audits_audits", "audits_actions", "audits_corrections", "audits_auditors", "audits_meta", "audits_changes"}
	counts := func() []int64 {
		var out []int64
		for _, c := range colls {
			out = append(out, countDocs(t, srv, c))
		}
		return out
	}
	before := counts() // audits_changes too: bad input appends no change-log entry
	esc := url.PathEscape
	for _, tc := range []struct {
		c            *apptest.Client
		method, path string
		body         any
		field        string
	}{
		{planner, "POST", "/api/v1/audits/rounds", map[string]any{"type": "extern", "quarter": "2027-Q1"}, "type"},
		{planner, "POST", "/api/v1/audits/rounds", map[string]any{"type": "peer", "quarter": "Q1 2027"}, "quarter"},
		{planner, "POST", "/api/v1/audits/rounds", map[string]any{"type": "peer", "quarter": "2031-Q1", "teamIds": []string{"bestaat-niet"}}, "teamIds[0]"},
		{planner, "POST", "/api/v1/audits/templates", map[string]any{"key": "Nieuw Sjabloon", "name": "x", "themes": []any{}}, "key"},
		{planner, "PUT", "/api/v1/audits/auditors/" + userID(t, marieke), map[string]any{"regionId": "atlantis"}, "regionId"},
		{marieke, "POST", "/api/v1/audits/" + esc(finished) + "/actions", map[string]any{"clientId": "act-bad-0001", "criterion": "rooster-eigen", "title": "x", "due": "morgen"}, "due"},
		{marieke, "POST", "/api/v1/audits/" + esc(finished) + "/actions", map[string]any{"clientId": "act-bad-0002", "criterion": "rooster-eigen", "title": "Iets doen", "due": "2031-01-01"}, "ownerUserId"},
		{marieke, "POST", "/api/v1/audits/" + esc(finished) + "/corrections", map[string]any{"clientId": "corr-bad-01", "criterion": "rooster-eigen", "score": "goed", "reason": "x"}, "score"},
		{planner, "PATCH", "/api/v1/audits/actions/" + esc(action), map[string]any{"status": "klaar"}, "status"},
		{planner, "PATCH", "/api/v1/audits/actions/" + esc(action), map[string]any{"status": "open", "onbekend": 1}, "onbekend"},
	} {
		st, b := tc.c.Do(tc.method, tc.path, tc.body)
		if st != 422 {
			t.Errorf("%s %s %v: %d %s", tc.method, tc.path, tc.body, st, b)
			continue
		}
		if p := apptest.ParseProblem(t, b); !strings.Contains(p.FieldErrors(), tc.field) {
			t.Errorf("%s %s: field errors %q lack %q", tc.method, tc.path, p.FieldErrors(), tc.field)
		}
	}
	if after := counts(); !slices.Equal(before, after) {
		t.Fatalf("bad input changed the store: %v → %v", before, after)
	}
}
