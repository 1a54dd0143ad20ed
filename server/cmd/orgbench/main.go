// Command orgbench measures Plein's HTTP reads at the scale of a real
// organisation (issue 10): 5,000 people in teams of 12, two years of team
// posts, notifications and access-log entries on the embedded store. It
// logs in as one person of each role (sessions inserted like a logged-in
// browser) and as a demo person through the development OIDC provider, then
// measures p50/p99 of the API calls of four pages: home, a team page, the
// notification centre and a knowledge-base article.
//
// The generated store is kept in -dir between runs (fixture.json says what
// it holds): generating takes minutes, a later run starts from the copy.
//
//	go run ./server/cmd/orgbench                    # make bench-org
//	go run ./server/cmd/orgbench -pprof /tmp/org.prof -duration 30s
//
// A measurement, not a test: figures go in docs/performance.md by hand.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"time"

	"github.com/plein/plein/server/benchkit"
	"github.com/plein/plein/server/store"
)

type benchOptions struct {
	dir, pleinBin, pprofOut string
	port                    int
	duration, warmup        time.Duration
	workers                 int
	regen                   bool
	storePID                int
	sp                      spec
}

func parseFlags() *benchOptions {
	o := &benchOptions{}
	flag.StringVar(&o.dir, "dir", "bin/orgbench", "cache: the generated store (kept between runs), logs and the plein binary")
	flag.StringVar(&o.pleinBin, "plein-bin", "", "plein binary (default: go build ./server/cmd/plein into -dir)")
	flag.StringVar(&o.pprofOut, "pprof", "", "write a CPU profile of the server over the measurement to this file")
	flag.IntVar(&o.port, "port", 18481, "the server's port: fixed, because the demo people's ids derive from the base URL")
	flag.DurationVar(&o.duration, "duration", 15*time.Second, "measurement window per page")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "requests before each window, not measured")
	flag.IntVar(&o.workers, "workers", 4, "concurrent browsers (each loads a page's calls one after the other)")
	flag.BoolVar(&o.regen, "regenerate", false, "generate the store again even if the cached one matches")
	flag.IntVar(&o.sp.Users, "users", 5000, "synthetic people")
	flag.IntVar(&o.sp.TeamSize, "team-size", 12, "people per team")
	flag.IntVar(&o.sp.Regions, "regions", 12, "regions")
	flag.IntVar(&o.sp.Days, "days", 730, "days of history")
	flag.IntVar(&o.sp.PostsPerWeek, "posts-per-week", 1, "posts per team and week (with 0–2 comments and 0–4 reactions each)")
	flag.IntVar(&o.sp.Notices, "notices", 40, "notifications per person over the history")
	flag.IntVar(&o.sp.HeavyNotices, "heavy-notices", 1200, "notifications of each person the benchmark logs in as")
	flag.IntVar(&o.sp.AccessPerDay, "access-per-day", 100, "access-log entries per past day")
	flag.IntVar(&o.sp.AccessToday, "access-today", 20000, "access-log entries already in today's collection")
	flag.Parse()
	o.sp.Version = specVersion
	o.sp.Issuer = fmt.Sprintf("http://127.0.0.1:%d/dev-idp", o.port)
	return o
}

func main() {
	o := parseFlags()
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "orgbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o *benchOptions) error {
	dir, err := filepath.Abs(o.dir) // the store takes it into a file: URI
	if err != nil {
		return err
	}
	o.dir = dir
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return err
	}
	if o.pleinBin == "" {
		o.pleinBin = filepath.Join(o.dir, "plein")
		fmt.Println("building plein …")
		cmd := exec.Command("go", "build", "-o", o.pleinBin, "./server/cmd/plein")
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build: %w", err)
		}
	}
	storeAddr := fmt.Sprintf("127.0.0.1:%d", o.port+1)
	uri := "mongodb://" + storeAddr + "/"
	fresh, err := needsFixture(o)
	if err != nil {
		return err
	}
	if fresh {
		if err := os.RemoveAll(filepath.Join(o.dir, "store")); err != nil {
			return err
		}
	}
	st, err := benchkit.Start("store", o.pleinBin, []string{"store", "-listen", storeAddr, "-dir", filepath.Join(o.dir, "store")}, nil, o.dir)
	if err != nil {
		return err
	}
	defer st.Stop(20 * time.Second)
	o.storePID = st.PID()
	if err := benchkit.WaitFor(ctx, st, 60*time.Second, "store", func() bool { return benchkit.TCPOpen(storeAddr) }); err != nil {
		return err
	}
	db, err := store.Open(ctx, store.Options{URI: uri, Database: "plein"})
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	g := buildOrg(o.sp)
	now := time.Now().UTC()
	if fresh {
		if err := generateAndMark(ctx, o, db, g, now); err != nil {
			return err
		}
	}
	if err := fillToday(ctx, o, db, g, now); err != nil {
		return err
	}
	toks, err := sessions(ctx, db, g, now)
	if err != nil {
		return err
	}
	return serveAndMeasure(ctx, o, uri, g, toks)
}

// needsFixture reports whether the cached store is missing or was made for
// another spec.
func needsFixture(o *benchOptions) (bool, error) {
	if o.regen {
		return true, nil
	}
	b, err := os.ReadFile(filepath.Join(o.dir, "fixture.json"))
	if errors.Is(err, os.ErrNotExist) {
		return true, nil
	} else if err != nil {
		return false, err
	}
	var had spec
	if err := json.Unmarshal(b, &had); err != nil {
		return true, nil
	}
	want := o.sp
	want.GeneratedDate = had.GeneratedDate
	if !reflect.DeepEqual(had, want) {
		fmt.Println("fixture: the cached store was made for another spec: generating again")
		return true, nil
	}
	fmt.Printf("fixture: using the cached store in %s (generated %s)\n", o.dir, had.GeneratedDate)
	return false, nil
}

func generateAndMark(ctx context.Context, o *benchOptions, db *store.Store, g *org, now time.Time) error {
	t0 := time.Now()
	n, err := generate(ctx, db, g, now)
	if err != nil {
		return err
	}
	fmt.Printf("fixture: %d documents in %.1fs\n", n, time.Since(t0).Seconds())
	sp := o.sp
	sp.GeneratedDate = now.Format(time.DateOnly)
	b, _ := json.MarshalIndent(sp, "", "  ")
	return os.WriteFile(filepath.Join(o.dir, "fixture.json"), b, 0o644)
}

// fillToday gives today's access-log collection its AccessToday entries
// once a day: a store cached yesterday has none yet.
func fillToday(ctx context.Context, o *benchOptions, db *store.Store, g *org, now time.Time) error {
	mark := filepath.Join(o.dir, "access-today")
	day := now.Format(time.DateOnly)
	if b, _ := os.ReadFile(mark); string(b) == day {
		return nil
	}
	w := &writer{st: db}
	if err := writeAccessDay(ctx, w, g, now.Truncate(24*time.Hour), g.sp.AccessToday); err != nil {
		return err
	}
	return os.WriteFile(mark, []byte(day), 0o644)
}
