package app_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/plein/plein/server/app/apptest"
)

// TestAuditAccessMatrix calls every audits route as every role and checks
// who gets through (a 2xx, or a 4xx that comes after the access check:
// 409, 415, 422) and who is refused (403, or 404 for what one may not know
// exists). The request bodies are invalid or harmless, so the matrix stores
// nothing.
func TestAuditAccessMatrix(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	people := map[string]string{ // persona → demo login
		"carer":   "anouk.devries",   // zorgmedewerker, den-helder-centrum
		"nurse":   "fatima.elamrani", // wijkverpleegkundige, den-helder-centrum
		"other":   "daan.visser",     // zorgmedewerker, julianadorp
		"coord":   "marieke.jansen",  // coördinerend wijkverpleegkundige, Den Helder
		"coach":   "peter.smit",      // teamcoach
		"quality": "ilse.dekker",     // ondersteunende dienst (kwaliteit & veiligheid)
		"manager": "johan.mulder",    // regiomanager Hoorn
		"admin":   "yvonne.kramer",   // beheerder
	}
	clients := map[string]*apptest.Client{}
	for p, sub := range people {
		clients[p] = srv.Login(t, sub)
	}
	admin := clients["admin"]

	// The current peer round's Den Helder-Centrum audit (auditor: the Hoorn
	// manager, unfinished) and the last internal round's audit of that team
	// (auditor: the Den Helder coordinating nurse, finished).
	var home struct {
		Audits []auditView `json:"audits"`
	}
	clients["manager"].JSON("GET", "/api/v1/audits/mine", nil, &home)
	open := home.Audits[0].ID
	var list struct {
		Items []struct {
			ID, Type, Status, RoundID string
		} `json:"items"`
	}
	admin.JSON("GET", "/api/v1/audits?team=den-helder-centrum&status=finished", nil, &list)
	var finished, round string
	for _, x := range list.Items {
		if x.Type == "internal" && finished == "" {
			finished = x.ID
		}
	}
	round = strings.SplitN(open, ":", 2)[0]
	var acts struct {
		Items []struct{ ID, AuditID string }
	}
	admin.JSON("GET", "/api/v1/audits/actions?team=den-helder-centrum", nil, &acts)
	action := ""
	for _, a := range acts.Items {
		if a.AuditID == finished {
			action = a.ID
		}
	}
	if open == "" || finished == "" || action == "" {
		t.Fatalf("seed: open %q finished %q action %q", open, finished, action)
	}
	manager := userID(t, clients["manager"])

	all := []string{"carer", "nurse", "other", "coord", "coach", "quality", "manager", "admin"}
	planners := []string{"quality", "admin"}
	esc := url.PathEscape
	cases := []struct {
		method, path string
		body         any
		allowed      []string // everyone else is refused
		refusedAs    int      // 0: 403 or 404
	}{
		{"GET", "/api/v1/audits/templates", nil, all, 0},
		{"GET", "/api/v1/audits/templates/randvoorwaarden:v1", nil, all, 0},
		{"POST", "/api/v1/audits/templates", map[string]any{}, planners, 403},
		{"GET", "/api/v1/audits/auditors", nil, planners, 403},
		{"PUT", "/api/v1/audits/auditors/" + manager, map[string]string{"regionId": "bestaat-niet"}, planners, 403},
		{"GET", "/api/v1/audits/rounds", nil, all, 0},
		{"POST", "/api/v1/audits/rounds", map[string]any{}, planners, 403},
		{"GET", "/api/v1/audits/rounds/" + round, nil, planners, 403},
		{"PUT", "/api/v1/audits/rounds/" + round + "/assignments", map[string]any{"assignments": []any{}}, planners, 403},
		{"POST", "/api/v1/audits/rounds/" + round + "/open", nil, planners, 403},
		{"GET", "/api/v1/audits/mine", nil, all, 0},
		{"GET", "/api/v1/audits", nil, all, 0},
		{"GET", "/api/v1/audits/" + esc(open), nil, []string{"carer", "nurse", "coord", "quality", "manager", "admin"}, 404},
		{"POST", "/api/v1/audits/" + esc(open) + "/answers", map[string]any{"answers": []any{}}, []string{"manager"}, 0},
		{"POST", "/api/v1/audits/" + esc(open) + "/photos", "not multipart", []string{"manager"}, 0},
		{"GET", "/api/v1/audits/" + esc(open) + "/photos/ph-none", nil, nil, 404},
		{"POST", "/api/v1/audits/" + esc(open) + "/finish", map[string]any{}, []string{"manager"}, 0},
		{"GET", "/api/v1/audits/" + esc(finished), nil, []string{"carer", "nurse", "coord", "quality", "admin"}, 404},
		{"POST", "/api/v1/audits/" + esc(finished) + "/corrections", map[string]any{}, []string{"coord", "quality", "admin"}, 0},
		{"POST", "/api/v1/audits/" + esc(finished) + "/actions", map[string]any{}, []string{"carer", "nurse", "coord", "quality", "admin"}, 0},
		{"GET", "/api/v1/audits/actions", nil, all, 0},
		{"GET", "/api/v1/audits/actions/" + esc(action), nil, []string{"carer", "nurse", "coord", "quality", "admin"}, 404},
		{"GET", "/api/v1/audits/teams/den-helder-centrum", nil, []string{"carer", "nurse", "coord", "quality", "admin"}, 403},
		{"GET", "/api/v1/audits/regions/den-helder", nil, []string{"coord", "quality", "admin"}, 403},
		{"GET", "/api/v1/audits/regions/hoorn", nil, []string{"manager", "quality", "admin"}, 403},
		{"GET", "/api/v1/audits/reports/rounds", nil, all, 0},
		{"GET", "/api/v1/audits/reports/heatmap", nil, all, 0},
		{"GET", "/api/v1/audits/reports/criteria/rooster-eigen", nil, all, 0},
		{"GET", "/api/v1/audits/reports/export.csv", nil, all, 0},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.method+" "+routeOf(tc.path)] = true
		for _, p := range all {
			var st int
			var b []byte
			if s, ok := tc.body.(string); ok {
				st, b = clients[p].Do(tc.method, tc.path, s, "Content-Type", "text/plain")
			} else {
				st, b = clients[p].Do(tc.method, tc.path, tc.body)
			}
			ok := st/100 == 2 || st == 409 || st == 415 || st == 422
			want := slices.Contains(tc.allowed, p)
			if ok != want {
				t.Errorf("%s %s as %s: %d (allowed %v) %.160s", tc.method, tc.path, p, st, want, b)
				continue
			}
			if !want && st != 403 && st != 404 {
				t.Errorf("%s %s as %s: refused with %d, want 403 or 404", tc.method, tc.path, p, st)
			}
			if !want && tc.refusedAs != 0 && st != tc.refusedAs {
				t.Errorf("%s %s as %s: %d, want %d", tc.method, tc.path, p, st, tc.refusedAs)
			}
		}
		// Not logged in: 401.
		anon := srv.NewClient(t)
		if st, _ := anon.Do(tc.method, tc.path, nil); st != 401 && st != 403 {
			t.Errorf("%s %s anonymous: %d", tc.method, tc.path, st)
		}
	}
	// PATCH on an action: the owner and the auditor get through (with
	// whatever the status allows); who cannot see it gets 404.
	for _, p := range []string{"other", "coach", "manager"} {
		if st, _ := clients[p].Do("PATCH", "/api/v1/audits/actions/"+esc(action), map[string]string{"status": "in_progress"}); st != 404 {
			t.Errorf("PATCH action as %s: %d, want 404", p, st)
		}
	}
	covered["PATCH /api/v1/audits/actions/:id"] = true
	// Every audits route is in the matrix.
	for _, r := range srv.App.Engine.Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/audits") && !covered[r.Method+" "+r.Path] {
			t.Errorf("route %s %s is not in the access matrix", r.Method, r.Path)
		}
	}
}

// routeOf maps a concrete path back to its route pattern.
func routeOf(p string) string {
	parts := strings.Split(p, "/")
	if len(parts) < 4 {
		return p
	}
	rest := parts[4:]
	out := []string{"", "api", "v1", "audits"}
	switch {
	case len(rest) == 0:
	case rest[0] == "templates" || rest[0] == "auditors" || rest[0] == "rounds" || rest[0] == "actions" || rest[0] == "teams" || rest[0] == "regions":
		out = append(out, rest[0])
		if len(rest) > 1 {
			name := map[string]string{"auditors": ":userId"}[rest[0]]
			if name == "" {
				name = ":id"
			}
			out = append(out, name)
			out = append(out, rest[2:]...)
		}
	case rest[0] == "reports":
		out = append(out, rest[:2]...)
		if len(rest) > 2 {
			out = append(out, ":key")
		}
	case rest[0] == "mine":
		out = append(out, "mine")
	default:
		out = append(out, ":id")
		if len(rest) > 1 {
			out = append(out, rest[1])
		}
		if len(rest) > 2 {
			out = append(out, ":photoId")
		}
	}
	return strings.Join(out, "/")
}
