package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/audits"
	"github.com/plein/plein/server/dashboard"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/learning"
)

// The learning programme's and the audits' demo documents are the ones the
// demo has always had (when their writing moved here from the domains'
// seed.go, document by document): the hash of every stored document, per
// collection, for a fixed clock. Browser tests and screenshots rely on them.
func TestLearningAndAuditsDemoUnchanged(t *testing.T) {
	ctx := context.Background()
	st, users, orgSvc := newOrganisation(t, testIssuer)
	log := slog.New(slog.DiscardHandler)
	now := func() time.Time { return time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC) }
	dash, err := dashboard.NewService(ctx, st, orgSvc, dashboard.Options{Now: now, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	learn, err := learning.NewService(ctx, st, orgSvc, users, learning.Options{Logger: log, Now: now, Figures: figures{dash}})
	if err != nil {
		t.Fatal(err)
	}
	aud, err := audits.NewService(ctx, st, orgSvc, users, audits.Options{Logger: log, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	d := Deps{Store: st, Users: users, Org: orgSvc, Dashboard: dash, Learning: learn, Audits: aud, Issuer: testIssuer, Now: now, Log: log}
	if _, err := seedDashboard(ctx, d); err != nil {
		t.Fatal(err)
	}
	if _, err := seedLearning(ctx, d); err != nil {
		t.Fatal(err)
	}
	if _, err := seedAudits(ctx, d); err != nil {
		t.Fatal(err)
	}
	names, err := st.DB.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	got := map[string]string{}
	var dump strings.Builder
	for _, c := range names {
		if !(strings.HasPrefix(c, "learning_") || strings.HasPrefix(c, "audits_")) || strings.HasSuffix(c, "_changes") {
			continue
		}
		cur, err := st.DB.Collection(c).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []bson.M
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, doc := range docs {
			if id, _ := doc["_id"].(string); strings.HasPrefix(id, "seed-v") || strings.HasPrefix(id, "demo-") {
				continue // a marker that the part was loaded, not demo data
			}
			lines = append(lines, canonical(t, doc))
		}
		if len(lines) == 0 {
			continue
		}
		sort.Strings(lines)
		h := sha256.New()
		for _, l := range lines {
			h.Write([]byte(l + "\n"))
			fmt.Fprintf(&dump, "%s %s\n", c, l)
		}
		got[c] = fmt.Sprintf("%d %s", len(lines), hex.EncodeToString(h.Sum(nil))[:16])
	}
	if p := os.Getenv("DEMO_DUMP"); p != "" {
		if err := os.WriteFile(p, []byte(dump.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{
		"audits_actions":        "357 682afd71b0dfc24c",
		"audits_auditors":       "12 0e7a5a77c745e7f5",
		"audits_audits":         "133 7f83934bf75fe16c",
		"audits_rounds":         "4 c19c14da5f512074",
		"audits_templates":      "1 0458b54345617a3f",
		"learning_cohorts":      "3 b1826ed506e45efc",
		"learning_meta":         "1 cfe67f5b1ec52af6",
		"learning_programmes":   "2 8bbae64312f7dc0c",
		"learning_reflections":  "330 9dba8997a51f40c8",
		"learning_scans":        "420 b8b71f94da779ed6",
		"learning_sessions":     "186 3e06ea1bb245126a",
		"learning_trajectories": "54 c5526a4283fc0098",
	}
	for c, w := range want {
		if got[c] != w {
			t.Errorf("%s: %s, want %s", c, got[c], w)
		}
	}
	for c, g := range got {
		if _, ok := want[c]; !ok {
			t.Errorf("%s: %s, not expected", c, g)
		}
	}
}

// canonical is a document as JSON with its keys sorted at every level: the
// stored field order (a map's is random) does not count.
func canonical(t *testing.T, doc bson.M) string {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if b, err = json.Marshal(v); err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// figures lets the learning programme read the dashboard's figures, as app does.
type figures struct{ d *dashboard.Service }

func (f figures) Series(a *identity.Actor, teams []string, from, to learning.Month) map[string][]learning.FigureMonth {
	src := f.d.Series(a, teams, dashboard.Month(from), dashboard.Month(to))
	out := make(map[string][]learning.FigureMonth, len(src))
	for team, months := range src {
		l := make([]learning.FigureMonth, len(months))
		for i, m := range months {
			l[i] = learning.FigureMonth{Values: m.Values, Withheld: m.Withheld}
		}
		out[team] = l
	}
	return out
}
