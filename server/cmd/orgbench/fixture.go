package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/chat/loadgen/fixture"
	"github.com/plein/plein/server/accesslog"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store"
)

// spec says how big the organisation is. It is written next to the cached
// store (fixture.json): a different spec generates the store again.
type spec struct {
	Version       int    `json:"version"` // bump when the generated shapes change
	Users         int    `json:"users"`
	TeamSize      int    `json:"teamSize"`
	Regions       int    `json:"regions"`
	Days          int    `json:"days"`          // history: posts, notifications, access log
	PostsPerWeek  int    `json:"postsPerWeek"`  // per team
	Notices       int    `json:"notices"`       // per person over the history
	HeavyNotices  int    `json:"heavyNotices"`  // for the people the benchmark logs in as
	AccessPerDay  int    `json:"accessPerDay"`  // access-log entries per past day
	AccessToday   int    `json:"accessToday"`   // in today's collection
	Issuer        string `json:"issuer"`        // the server's dev issuer (fixed port: demo ids derive from it)
	GeneratedDate string `json:"generatedDate"` // the day "today" was when generated
}

// specVersion 2: the notification centre's heads document (its readers
// serve from memory and learn the newest of each person from it).
const specVersion = 2

// fixtureIssuer is the synthetic people's issuer: they never log in through
// OIDC (the benchmark inserts their sessions), so any stable value will do.
const fixtureIssuer = "https://orgbench.example"

// The stored shapes of the organisation (chat/loadgen/fixture's, whose test
// decodes them as server/org's types), the team-space change log
// (server/teamspace entry) and the notification centre (server/notify
// itemDoc), as far as the fixture fills them. Those types are unexported
// there: fixture_test.go writes a small organisation and reads it back
// through org, teamspace and notify, so a drifted shape fails the test; and
// main.go checks through the API after start that the server reads what was
// written (posts in a stream, an unread count), so it fails the run instead
// of measuring an empty organisation.
type logEntry struct {
	ID         string    `bson:"_id"` // 12-digit sequence
	Seq        int64     `bson:"seq"`
	At         time.Time `bson:"at"`
	Kind       string    `bson:"kind"`
	By         string    `bson:"by"`
	Space      string    `bson:"space,omitempty"`
	Ref        string    `bson:"ref,omitempty"`
	Text       string    `bson:"text,omitempty"`
	Visibility string    `bson:"vis,omitempty"`
}

type noticeDoc struct {
	ID        string    `bson:"_id"` // "<user>:<seq, 12 digits>"
	User      string    `bson:"u"`
	Seq       int64     `bson:"s"`
	Kind      string    `bson:"k"`
	Title     string    `bson:"t"`
	Text      string    `bson:"x,omitempty"`
	Link      string    `bson:"l,omitempty"`
	ActorID   string    `bson:"a,omitempty"`
	ActorName string    `bson:"an,omitempty"`
	Place     string    `bson:"p,omitempty"`
	At        time.Time `bson:"at"`
	Job       string    `bson:"j"`
}

// headsDoc is notify's "heads" document in notify_meta: every person's
// newest sequence, as the instances that stored them leave it.
type headsDoc struct {
	ID    string      `bson:"_id"`
	Heads []headEntry `bson:"h"`
	At    time.Time   `bson:"at"`
}

type headEntry struct {
	User string `bson:"u"`
	Seq  int64  `bson:"s"`
}

// person is one synthetic member of staff.
type person struct {
	ID, Name, Team string
	Roles          []identity.Role
}

// org is the generated organisation, rebuilt identically (seeded random)
// on every run, whether its documents are generated or cached.
type org struct {
	sp      spec
	people  []person
	teams   []string
	regions []string
	// measured: the people the benchmark logs in as, one per role, all in
	// team 0 (which posts like any other).
	measured []person
}

// roles of the people the benchmark logs in as.
var measuredRoles = []identity.Role{identity.RoleZorgmedewerker, identity.RoleWijkverpleegkundige,
	identity.RoleTeamcoach, identity.RoleOndersteunendeDienst, identity.RoleBeheerder}

func buildOrg(sp spec) *org {
	o := &org{sp: sp}
	for r := range sp.Regions {
		o.regions = append(o.regions, fmt.Sprintf("ob-region-%02d", r))
	}
	nTeams := (sp.Users + sp.TeamSize - 1) / sp.TeamSize
	for t := range nTeams {
		o.teams = append(o.teams, fmt.Sprintf("ob-team-%04d", t))
	}
	for i := range sp.Users {
		sub := fmt.Sprintf("ob-%05d", i)
		p := person{ID: identity.UserID(fixtureIssuer, sub), Name: fmt.Sprintf("Medewerker %05d", i),
			Team: o.teams[i/sp.TeamSize], Roles: []identity.Role{identity.RoleZorgmedewerker}}
		if i < len(measuredRoles) {
			p.Roles = []identity.Role{measuredRoles[i]}
			o.measured = append(o.measured, p)
		}
		o.people = append(o.people, p)
	}
	return o
}

// writer inserts documents in unordered batches of 1,000 and counts them.
type writer struct {
	st   *store.Store
	docs int
}

func (w *writer) insert(ctx context.Context, coll string, docs []any) error {
	c := w.st.DB.Collection(coll)
	for len(docs) > 0 {
		n := min(len(docs), 1000)
		if _, err := c.InsertMany(ctx, docs[:n], options.InsertMany().SetOrdered(false)); err != nil {
			return fmt.Errorf("insert %s: %w", coll, err)
		}
		w.docs += n
		docs = docs[n:]
	}
	return nil
}

// generate writes the whole organisation into an empty database.
func generate(ctx context.Context, st *store.Store, o *org, now time.Time) (int, error) {
	w := &writer{st: st}
	steps := []struct {
		what string
		fn   func(context.Context, *writer, *org, time.Time) error
	}{{"people", writePeople}, {"team spaces", writePosts}, {"notifications", writeNotices}, {"access log", writeAccess}}
	for _, s := range steps {
		t0 := time.Now()
		before := w.docs
		if err := s.fn(ctx, w, o, now); err != nil {
			return w.docs, err
		}
		fmt.Printf("fixture: %s: %d documents in %.1fs\n", s.what, w.docs-before, time.Since(t0).Seconds())
	}
	return w.docs, nil
}

func writePeople(ctx context.Context, w *writer, o *org, now time.Time) error {
	var regions, teams, members, users []any
	for i, r := range o.regions {
		regions = append(regions, &fixture.RegionDoc{ID: r, Name: fmt.Sprintf("Regio %02d", i), CreatedAt: now, UpdatedAt: now})
	}
	for i, t := range o.teams {
		teams = append(teams, &fixture.TeamDoc{ID: t, RegionID: o.regions[i%len(o.regions)], Name: fmt.Sprintf("Team %04d", i),
			WorkingArea: []string{}, CreatedAt: now, UpdatedAt: now})
	}
	for i, p := range o.people {
		sub := fmt.Sprintf("ob-%05d", i)
		users = append(users, &identity.User{ID: p.ID, Issuer: fixtureIssuer, Subject: sub, Name: p.Name,
			Email: sub + "@orgbench.example", ClaimRoles: p.Roles, Active: true, CreatedAt: now})
		members = append(members, &fixture.MembershipDoc{ID: p.Team + ":" + p.ID, TeamID: p.Team, UserID: p.ID,
			TeamRoles: []string{}, Source: "admin", UpdatedAt: now})
	}
	for _, b := range []struct {
		coll string
		docs []any
	}{{"regions", regions}, {"teams", teams}, {"memberships", members}, {"users", users}} {
		if err := w.insert(ctx, b.coll, b.docs); err != nil {
			return err
		}
	}
	return nil
}

const postBody = "Vanaf maandag nemen we de wondzorg over van twee cliënten die uit het ziekenhuis komen. " +
	"De wondverpleegkundige komt de eerste keer mee. Wil iedereen die die week de route heeft het protocol nog even doorlezen? Dank jullie wel!"

var emojis = []string{"👍", "❤️", "🎉", "🙏", "👀", "✅"}

// logColl is the change-log segment that holds entry seq (1,000 a segment).
func logColl(seq int64) string { return fmt.Sprintf("teamspace_log_%05d", seq/1000) }

// writePosts appends the team spaces' history to the change log in time
// order: each team posts PostsPerWeek times a week, a third of the posts
// for the whole organisation, with 0–2 comments and 0–4 reactions each
// (server/teamspace BenchmarkStream's mix), in segments of 1,000 entries.
func writePosts(ctx context.Context, w *writer, o *org, now time.Time) error {
	rng := mrand.New(mrand.NewPCG(10, 1))
	posts := len(o.teams) * o.sp.PostsPerWeek * o.sp.Days / 7
	start := now.AddDate(0, 0, -o.sp.Days)
	step := time.Duration(o.sp.Days) * 24 * time.Hour / time.Duration(max(posts, 1))
	seg := []any{}
	seq := int64(0)
	add := func(e *logEntry) error {
		seq++
		e.Seq, e.ID = seq, fmt.Sprintf("%012d", seq)
		seg = append(seg, e)
		if (seq+1)%1000 == 0 { // the next entry starts a new segment (seq / 1000)
			err := w.insert(ctx, logColl(seq), seg)
			seg = seg[:0]
			return err
		}
		return nil
	}
	member := func(team int) string {
		return o.people[min(team*o.sp.TeamSize+rng.IntN(o.sp.TeamSize), len(o.people)-1)].ID
	}
	for i := range posts {
		team := rng.IntN(len(o.teams))
		at := start.Add(time.Duration(i) * step).Truncate(time.Millisecond)
		vis := "team"
		if rng.IntN(3) == 0 {
			vis = "organisation"
		}
		if err := add(&logEntry{Kind: "post", By: member(team), Space: o.teams[team], At: at, Text: fmt.Sprintf("Bericht %d. %s", i, postBody), Visibility: vis}); err != nil {
			return err
		}
		pid := fmt.Sprintf("p%d", seq)
		for range rng.IntN(3) {
			if err := add(&logEntry{Kind: "comment", By: member(team), Space: o.teams[team], Ref: pid, At: at.Add(time.Hour), Text: "Goed dat je het zegt, ik lees het vandaag door."}); err != nil {
				return err
			}
		}
		for k := range rng.IntN(5) {
			if err := add(&logEntry{Kind: "react", By: member(team), Space: o.teams[team], Ref: pid, At: at.Add(2 * time.Hour), Text: emojis[k%len(emojis)]}); err != nil {
				return err
			}
		}
	}
	if len(seg) > 0 {
		return w.insert(ctx, logColl(seq), seg)
	}
	return nil
}

// writeNotices gives every person Notices notifications spread over the
// history (the measured people HeavyNotices, past the centre's horizon of
// 1,000), a few of the newest unread.
func writeNotices(ctx context.Context, w *writer, o *org, now time.Time) error {
	var batch []any
	heads := &headsDoc{ID: "heads", At: now.UTC()}
	heavy := map[string]bool{}
	for _, p := range o.measured {
		heavy[p.ID] = true
	}
	for i, p := range o.people {
		n := o.sp.Notices
		if heavy[p.ID] {
			n = o.sp.HeavyNotices
		}
		span := time.Duration(o.sp.Days) * 24 * time.Hour
		for s := 1; s <= n; s++ {
			at := now.Add(-span + span*time.Duration(s)/time.Duration(n+1)).Truncate(time.Millisecond)
			actor := o.people[(i+s)%len(o.people)]
			batch = append(batch, &noticeDoc{ID: fmt.Sprintf("%s:%012d", p.ID, s), User: p.ID, Seq: int64(s), Kind: "post",
				Title: actor.Name + " plaatste een bericht", Text: "Bericht over de planning van volgende week", Link: "/teams/" + p.Team,
				ActorID: actor.ID, ActorName: actor.Name, Place: p.Team, At: at, Job: fmt.Sprintf("ob-%d", s)})
		}
		if n > 0 {
			heads.Heads = append(heads.Heads, headEntry{p.ID, int64(n)})
		}
		if len(batch) >= 5000 || i == len(o.people)-1 {
			if err := w.insert(ctx, "notify_items", batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return w.insert(ctx, "notify_meta", []any{heads})
}

// writeAccess fills one access-log collection per past day (AccessPerDay
// entries): reads of team pages by the people. Today's collection is
// filled by fillToday (main.go).
func writeAccess(ctx context.Context, w *writer, o *org, now time.Time) error {
	today := now.UTC().Truncate(24 * time.Hour)
	for d := o.sp.Days; d >= 1; d-- {
		if err := writeAccessDay(ctx, w, o, today.AddDate(0, 0, -d), o.sp.AccessPerDay); err != nil {
			return err
		}
	}
	return nil
}

func writeAccessDay(ctx context.Context, w *writer, o *org, d time.Time, n int) error {
	var docs []any
	for k := range n {
		p := o.people[(k*7919)%len(o.people)]
		at := d.Add(time.Duration(k) * 24 * time.Hour / time.Duration(n+1))
		docs = append(docs, &accesslog.Entry{ID: at.Format(time.RFC3339Nano) + "-" + randHex(4), At: at, UserID: p.ID,
			Session: randHex(6), Action: "read", Subject: "team:" + p.Team + " members", Route: "GET /api/v1/teams/:id",
			RequestID: randHex(8), IP: "127.0.0.1"})
	}
	return w.insert(ctx, "access_log_"+d.Format("20060102"), docs)
}

// sessions inserts a fresh session for each measured person and returns
// their cookie tokens (the cached sessions of an earlier run may have
// expired).
func sessions(ctx context.Context, st *store.Store, o *org, now time.Time) ([]string, error) {
	var docs []any
	var toks []string
	for _, p := range o.measured {
		tok := randHex(32)
		h := sha256.Sum256([]byte(tok))
		docs = append(docs, &identity.Session{ID: hex.EncodeToString(h[:]), UserID: p.ID, CSRF: randHex(32),
			CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour)})
		toks = append(toks, tok)
	}
	w := &writer{st: st}
	return toks, w.insert(ctx, "sessions", docs)
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
