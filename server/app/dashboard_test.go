package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/chat/broker/redistest"
	"github.com/plein/plein/server/accesslog"
	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/dashboard"
)

// seedMonths are months relative to the server's calendar: the demo seed's
// last month (the one before today's), the one before it, and a month well
// in the future. Tests never name a calendar month, so they pass on any day
// (PLEIN_TEST_NOW moves the calendar to prove it).
func seedMonths(srv *apptest.Server) (last, prev, future string) {
	m := dashboard.MonthOf(srv.Now()) - 1
	return m.String(), (m - 1).String(), (m + 36).String()
}

// multipartFile builds a multipart/form-data body with the file in field "file".
func multipartFile(t *testing.T, name, content string) ([]byte, string) {
	t.Helper()
	return apptest.Multipart(t, "file", name, []byte(content))
}

func upload(t *testing.T, c *apptest.Client, path, name, content string) (int, []byte) {
	t.Helper()
	body, ct := multipartFile(t, name, content)
	return c.Do("POST", path, body, "Content-Type", ct)
}

type orgDash struct {
	Month      string `json:"month"`
	Indicators []struct {
		Key string `json:"key"`
	} `json:"indicators"`
	Organisation struct {
		Values map[string]*float64 `json:"values"`
	} `json:"organisation"`
	Teams []struct {
		ID         string              `json:"id"`
		Values     map[string]*float64 `json:"values"`
		Suppressed map[string]string   `json:"suppressed"`
	} `json:"teams"`
}

func countDocs(t *testing.T, srv *apptest.Server, coll string) int64 {
	t.Helper()
	n, err := srv.App.Store.DB.Collection(coll).CountDocuments(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDashboardEndToEnd(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	last, prevMonth, future := seedMonths(srv)
	support := srv.Login(t, "ilse.dekker")
	carer := srv.Login(t, "anouk.devries")
	admin := srv.Login(t, "yvonne.kramer")
	manager := srv.Login(t, "johan.mulder")
	coach := srv.Login(t, "peter.smit")

	// Everyone reads; the seed is there (24 months up to last month).
	var od orgDash
	if st := carer.JSON("GET", "/api/v1/dashboard/organisation?sort=absencePct&order=desc", nil, &od); st != 200 {
		t.Fatalf("organisation view: %d", st)
	}
	if len(od.Teams) != 54 || od.Organisation.Values["absencePct"] == nil {
		t.Fatalf("organisation view: %d teams, %+v", len(od.Teams), od.Organisation.Values)
	}
	for _, tm := range od.Teams {
		if tm.ID == "huisduinen" && (tm.Values["absencePct"] != nil || tm.Suppressed["absencePct"] != "small_team") {
			t.Errorf("small team's absence shown to a care worker: %+v", tm)
		}
	}
	var team struct {
		Latest []struct {
			Key   string   `json:"key"`
			Value *float64 `json:"value"`
		} `json:"latest"`
		Series []json.RawMessage `json:"series"`
	}
	if st := carer.JSON("GET", "/api/v1/dashboard/teams/den-helder-centrum?months=24", nil, &team); st != 200 || len(team.Series) != 24 {
		t.Fatalf("team view: %d, %d points", st, len(team.Series))
	}
	if !slices.ContainsFunc(srv.AccessEntries(t), func(e accesslog.Entry) bool { return e.Subject == "dashboard:team:den-helder-centrum figures" }) {
		t.Error("team figures read not in the access log")
	}
	for _, p := range []string{"/api/v1/dashboard/regions/den-helder", "/api/v1/dashboard/indicators", "/api/v1/dashboard/settings"} {
		if st, b := coach.Do("GET", p, nil); st != 200 {
			t.Errorf("GET %s: %d %.200s", p, st, b)
		}
	}
	if st, _ := carer.Do("GET", "/api/v1/dashboard/teams/atlantis", nil); st != 404 {
		t.Errorf("unknown team: %d", st)
	}
	if st, b := carer.Do("GET", "/api/v1/dashboard/organisation?month=oops", nil); st != 422 || !strings.Contains(string(b), `"month"`) {
		t.Errorf("bad month: %d %s", st, b)
	}

	// Only support services and administrators import.
	file := "team;maand;verzuim;productiviteit\nden-helder-centrum;" + last + ";5,4;65,1\njulianadorp;" + last + ";6,6;63\n"
	for name, c := range map[string]*apptest.Client{"care worker": carer, "coach": coach, "regiomanager": manager} {
		for _, p := range []string{"/api/v1/dashboard/imports/preview", "/api/v1/dashboard/imports"} {
			if st, _ := upload(t, c, p, "okt.csv", file); st != 403 {
				t.Errorf("%s POST %s: %d, want 403", name, p, st)
			}
		}
		if st, _ := c.Do("POST", "/api/v1/dashboard/figures", map[string]any{"source": "x", "rows": []any{}}); st != 403 {
			t.Errorf("%s push: %d", name, st)
		}
		if st, _ := c.Do("GET", "/api/v1/dashboard/imports", nil); st != 403 {
			t.Errorf("%s history: %d", name, st)
		}
		if st, _ := c.Do("PUT", "/api/v1/dashboard/settings", map[string]any{"minGroupSize": 5}); st != 403 {
			t.Errorf("%s settings: %d", name, st)
		}
	}
	// CSRF: an upload without the token is refused.
	body, ct := multipartFile(t, "okt.csv", file)
	if st, _ := support.Do("POST", "/api/v1/dashboard/imports", body, "Content-Type", ct, "X-CSRF-Token", ""); st != 403 {
		t.Errorf("upload without CSRF token: %d", st)
	}

	// Preview stores nothing; commit stores; the same file again is a no-op.
	figs, imps := countDocs(t, srv, "dashboard_figures"), countDocs(t, srv, "dashboard_imports")
	var prev struct {
		Valid   bool `json:"valid"`
		Summary struct {
			Changed int `json:"changed"`
		} `json:"summary"`
	}
	st, b := upload(t, support, "/api/v1/dashboard/imports/preview", "okt.csv", file)
	if st != 200 || json.Unmarshal(b, &prev) != nil || !prev.Valid || prev.Summary.Changed != 4 {
		t.Fatalf("preview: %d %s", st, b)
	}
	if countDocs(t, srv, "dashboard_figures") != figs || countDocs(t, srv, "dashboard_imports") != imps {
		t.Fatal("preview stored something")
	}
	st, b = upload(t, support, "/api/v1/dashboard/imports", "okt.csv", file)
	var res struct {
		Import struct {
			ID string `json:"id"`
		} `json:"import"`
		Unchanged   bool   `json:"unchanged"`
		DuplicateOf string `json:"duplicateOf"`
	}
	if st != 201 || json.Unmarshal(b, &res) != nil || res.Import.ID == "" {
		t.Fatalf("commit: %d %s", st, b)
	}
	firstID := res.Import.ID
	// As text/csv this time: same content, nothing changes.
	st, b = support.Do("POST", "/api/v1/dashboard/imports?fileName=okt-2.csv", file, "Content-Type", "text/csv")
	res.Import.ID = ""
	if st != 200 || json.Unmarshal(b, &res) != nil || !res.Unchanged || res.DuplicateOf != firstID || res.Import.ID != "" {
		t.Fatalf("re-import: %d %s", st, b)
	}
	var hist struct {
		Items []struct {
			ID       string `json:"id"`
			FileName string `json:"fileName"`
			ByName   string `json:"byName"`
		} `json:"items"`
	}
	if st := support.JSON("GET", "/api/v1/dashboard/imports", nil, &hist); st != 200 || len(hist.Items) != 2 || hist.Items[0].ID != firstID || hist.Items[0].ByName != "Ilse Dekker" {
		t.Fatalf("history: %d %+v", st, hist)
	}
	if st, b := support.Do("GET", "/api/v1/dashboard/imports/"+firstID, nil); st != 200 || !strings.Contains(string(b), `"old":`) {
		t.Errorf("import detail: %d %.300s", st, b)
	}

	// A broken file: 422 naming rows and fields; nothing stored.
	figs, imps = countDocs(t, srv, "dashboard_figures"), countDocs(t, srv, "dashboard_imports")
	bad := "team;maand;verzuim\nden-helder-centrum;" + last + ";112\natlantis;" + last + ";5\njulianadorp;" + future + ";4\n"
	st, b = upload(t, support, "/api/v1/dashboard/imports", "fout.csv", bad)
	p := apptest.ParseProblem(t, b)
	if st != 422 || !strings.Contains(p.FieldErrors(), "rows[2].absencePct") || !strings.Contains(p.FieldErrors(), "rows[3].team") || !strings.Contains(p.FieldErrors(), "rows[4].month") {
		t.Errorf("broken file: %d %s", st, p.FieldErrors())
	}
	if countDocs(t, srv, "dashboard_figures") != figs || countDocs(t, srv, "dashboard_imports") != imps {
		t.Fatal("broken file stored something")
	}
	// Too large: 413 from the body limit.
	huge := "team;maand;verzuim\n" + strings.Repeat("den-helder-centrum;"+last+";5\n", 40000)
	if st, _ := upload(t, support, "/api/v1/dashboard/imports/preview", "huge.csv", huge); st != 413 {
		t.Errorf("huge file: %d", st)
	}
	// JSON upload and JSON push.
	if st, b := support.Do("POST", "/api/v1/dashboard/imports/preview", map[string]any{"fileName": "x.csv", "content": file}); st != 200 {
		t.Errorf("JSON upload: %d %s", st, b)
	}
	if st, b := support.Do("POST", "/api/v1/dashboard/imports/preview", map[string]any{"content": file, "extra": 1}); st != 422 {
		t.Errorf("JSON upload with unknown field: %d %s", st, b)
	}
	st, b = admin.Do("POST", "/api/v1/dashboard/figures", map[string]any{"source": "afas-hr", "rows": []any{
		map[string]any{"team": "julianadorp", "month": last, "absencePct": 6.2, "headcount": 14},
		map[string]any{"team": "julianadorp", "month": prevMonth, "absencePct": 101},
	}})
	if p := apptest.ParseProblem(t, b); st != 422 || !strings.Contains(p.FieldErrors(), "rows[1].absencePct") {
		t.Errorf("push with an error: %d %s", st, b)
	}
	if st, b := admin.Do("POST", "/api/v1/dashboard/figures", map[string]any{"source": "afas-hr", "rows": []any{
		map[string]any{"team": "julianadorp", "month": last, "absencePct": 6.2, "headcount": 14},
	}}); st != 201 {
		t.Errorf("push: %d %s", st, b)
	}

	// Business result for managers only: enforced on the server.
	if st, b := admin.Do("PUT", "/api/v1/dashboard/settings", map[string]any{"businessResultVisibility": "managers"}); st != 200 {
		t.Fatalf("settings: %d %s", st, b)
	}
	od = orgDash{}
	carer.JSON("GET", "/api/v1/dashboard/organisation", nil, &od)
	if _, ok := od.Organisation.Values["businessResult"]; ok {
		t.Error("care worker sees the business result")
	}
	if st, b := carer.Do("GET", "/api/v1/dashboard/organisation.csv", nil); st != 200 || bytes.Contains(b, []byte("Bedrijfsresultaat")) {
		t.Errorf("care worker's export: %d, has business result: %v", st, bytes.Contains(b, []byte("Bedrijfsresultaat")))
	}
	if st, _ := carer.Do("GET", "/api/v1/dashboard/organisation?sort=businessResult", nil); st != 422 {
		t.Errorf("care worker sorts by business result: %d", st)
	}
	od = orgDash{}
	manager.JSON("GET", "/api/v1/dashboard/organisation", nil, &od)
	if od.Organisation.Values["businessResult"] == nil {
		t.Error("regional manager does not see the business result")
	}

	// Export neutralises formulas (an administrator names a team "=…").
	if st, b := admin.Do("PATCH", "/api/v1/teams/julianadorp", map[string]any{"name": "=HYPERLINK(\"http://x.example\")"}); st != 200 {
		t.Fatalf("rename: %d %s", st, b)
	}
	st, b = carer.Do("GET", "/api/v1/dashboard/organisation.csv", nil)
	if st != 200 || !bytes.Contains(b, []byte(`'=HYPERLINK(`)) || bytes.Contains(b, []byte(";=HYPERLINK")) || bytes.Contains(b, []byte(";\"=HYPERLINK")) {
		t.Errorf("export: %d\n%.600s", st, b)
	}
}

func TestDashboardReloadSeesOtherInstance(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	last, _, _ := seedMonths(srv)
	support := srv.Login(t, "ilse.dekker")
	st, b := upload(t, support, "/api/v1/dashboard/imports", "okt.csv", "team;maand;verzuim\nde-schooten;"+last+";3,3\n")
	if st != 201 {
		t.Fatalf("%d %s", st, b)
	}
	if err := srv.App.Dashboard.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	var od orgDash
	support.JSON("GET", "/api/v1/dashboard/organisation", nil, &od)
	for _, tm := range od.Teams {
		if tm.ID == "de-schooten" && (tm.Values["absencePct"] == nil || *tm.Values["absencePct"] != 3.3) {
			t.Errorf("de-schooten: %+v", tm.Values)
		}
	}
	_ = http.StatusOK
}

// TestSeedFollowsTheCalendar: the demo figures end the month before the
// app's calendar says today is, so a moved calendar moves them too (what
// PLEIN_TEST_NOW relies on to prove the tests are date-independent).
func TestSeedFollowsTheCalendar(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, "PLEIN_TEST_NOW", "2031-03-10")
	carer := srv.Login(t, "anouk.devries")
	var od orgDash
	if st := carer.JSON("GET", "/api/v1/dashboard/organisation", nil, &od); st != 200 || od.Month != "2031-02" {
		t.Fatalf("organisation month %q (status %d), want 2031-02", od.Month, st)
	}
	if got := srv.Now().Format("2006-01"); got != "2031-03" {
		t.Errorf("server calendar in %s", got)
	}
}

// TestDashboardChangesReachOtherInstanceAtOnce: a privacy setting and an
// import made on one instance apply on the other at once, through the
// broker (test servers run no periodic reload).
func TestDashboardChangesReachOtherInstanceAtOnce(t *testing.T) {
	t.Parallel()
	rs := redistest.Start(t)
	srvs := apptest.StartCluster(t, 2, rs.URL())
	admin := srvs[0].Login(t, "yvonne.kramer")
	support := srvs[0].Login(t, "ilse.dekker")
	carerThere := srvs[0].Login(t, "anouk.devries").On(srvs[1])
	seesResult := func() bool {
		var od orgDash
		if st := carerThere.JSON("GET", "/api/v1/dashboard/organisation", nil, &od); st != 200 {
			t.Fatalf("organisation view: %d", st)
		}
		_, ok := od.Organisation.Values["businessResult"]
		return ok
	}
	if !seesResult() {
		t.Fatal("the business result is hidden before any change")
	}
	if st, b := admin.Do("PUT", "/api/v1/dashboard/settings", map[string]any{"businessResultVisibility": "managers"}); st != 200 {
		t.Fatalf("settings: %d %s", st, b)
	}
	waitFor(t, "the business result hidden on the other instance", func() bool { return !seesResult() })

	last, _, _ := seedMonths(srvs[0])
	if st, b := upload(t, support, "/api/v1/dashboard/imports", "okt.csv", "team;maand;verzuim\nde-schooten;"+last+";3,3\n"); st != 201 {
		t.Fatalf("import: %d %s", st, b)
	}
	waitFor(t, "the imported figure on the other instance", func() bool {
		var od orgDash
		carerThere.JSON("GET", "/api/v1/dashboard/organisation?month="+last, nil, &od)
		for _, tm := range od.Teams {
			if tm.ID == "de-schooten" && tm.Values["absencePct"] != nil && *tm.Values["absencePct"] == 3.3 {
				return true
			}
		}
		return false
	})
}

// waitFor polls cond with a deadline (the broker delivers in milliseconds;
// the bound only keeps a broken build from hanging).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 15 s", what)
		}
		time.Sleep(50 * time.Millisecond) // polling a condition with a deadline
	}
}
