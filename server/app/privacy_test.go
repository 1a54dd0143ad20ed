package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/accesslog"
	"github.com/plein/plein/server/app"
	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/config"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/privacy"
)

// TestEveryCollectionIsInThePrivacyRegister fails when a collection in the
// store belongs to no registered privacy domain: a domain that starts to
// keep data must say whether it is personal, and how to export and erase it.
func TestEveryCollectionIsInThePrivacyRegister(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	// Write a little of everything the seed may not have written yet.
	anouk := srv.Login(t, "anouk.devries")
	ws := anouk.DialWS(t)
	ws.Until("ready", nil)
	ws.Send(map[string]any{"type": "send", "id": "1", "ch": teamCh, "clientId": "reg1", "body": "Register"})
	ws.Until("ack", nil)
	if st, b := anouk.Do("GET", "/api/v1/me/export", nil); st != 200 {
		t.Fatalf("export: %d %s", st, b)
	}
	names, err := srv.App.Store.DB.ListCollectionNames(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	domains := srv.App.Privacy.Domains()
	for _, n := range names {
		if slices.Contains(app.NoPersonalData, n) || strings.HasPrefix(n, "system.") {
			continue
		}
		if !slices.ContainsFunc(domains, func(d privacy.Domain) bool { return d.Covers(n) }) {
			t.Errorf("collection %q is in no privacy domain (server/app/privacy.go)", n)
		}
	}
	t.Logf("%d collections, all in %d privacy domains or named as holding no personal data", len(names), len(domains))
	if len(names) < 20 {
		t.Errorf("only %d collections: the check saw too little to mean anything", len(names))
	}
}

type exportBody struct {
	Subject  privacy.Subject `json:"subject"`
	Sections map[string]json.RawMessage
}

// TestPersonalDataExport: a person exports what Plein holds about them;
// an administrator exports anyone; each export is in the access log;
// others are refused.
func TestPersonalDataExport(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	iss := srv.App.Config.Issuer()
	anouk, ilse, admin := srv.Login(t, "anouk.devries"), srv.Login(t, "ilse.dekker"), srv.Login(t, "yvonne.kramer")
	anoukID, ilseID := identity.UserID(iss, "anouk.devries"), identity.UserID(iss, "ilse.dekker")
	word := fmt.Sprintf("exportwoord%d", time.Now().UnixNano()%100000)
	var post struct{ ID string }
	if st := anouk.JSON("POST", "/api/v1/spaces/den-helder-centrum/posts", map[string]any{"body": "Post " + word, "visibility": "team"}, &post); st != 201 {
		t.Fatalf("post: %d", st)
	}
	ws := anouk.DialWS(t)
	ws.Until("ready", nil)
	ws.Send(map[string]any{"type": "send", "id": "1", "ch": teamCh, "clientId": "exp1", "body": "Bericht " + word})
	ws.Until("ack", nil)

	var x exportBody
	started := time.Now()
	st, raw := anouk.Do("GET", "/api/v1/me/export", nil)
	if st != 200 {
		t.Fatalf("export: %d", st)
	}
	if err := json.Unmarshal(raw, &x); err != nil {
		t.Fatal(err)
	}
	t.Logf("export of a demo care worker: %d bytes, %d sections, %v", len(raw), len(x.Sections), time.Since(started).Round(time.Millisecond))
	if x.Subject.ID != anoukID || x.Subject.Name != "Anouk de Vries" {
		t.Errorf("subject %+v", x.Subject)
	}
	for _, want := range []struct{ section, text string }{
		{"account", `"name":"Anouk de Vries"`},
		{"account", `"sessions":[{`},
		{"teams", `"teamId":"den-helder-centrum"`},
		{"teamSpaces", "Post " + word},
		{"chat", "Bericht " + word},
		{"chat", `"t-den-helder-centrum"`},
		{"accessLog", `"byThem"`},
		{"notifications", `"items"`},
		{"knowledge", `"kb_confirmations"`},
		{"learning", `"learning_sessions"`},
		{"audits", `"audits_actions"`},
	} {
		if !strings.Contains(string(x.Sections[want.section]), want.text) {
			t.Errorf("section %s lacks %s: %.300s", want.section, want.text, x.Sections[want.section])
		}
	}
	// Nothing of other people's content: Sanne's seed posts are not in Anouk's export.
	if raw, _ := json.Marshal(x.Sections["teamSpaces"]); strings.Contains(string(raw), identity.UserID(iss, "sanne.bakker")) {
		t.Error("another person's records in the export")
	}

	// Refusals.
	if st, _ := ilse.Do("GET", "/api/v1/users/"+anoukID+"/export", nil); st != 403 {
		t.Errorf("a colleague exports Anouk: %d", st)
	}
	if st, _ := srv.NewClient(t).Do("GET", "/api/v1/me/export", nil); st != 401 {
		t.Errorf("anonymous export: %d", st)
	}
	if st, _ := admin.Do("GET", "/api/v1/users/u000000000000000000000000/export", nil); st != 404 {
		t.Errorf("unknown person: %d", st)
	}
	// An administrator exports anyone, as a download.
	st, b := admin.Do("GET", "/api/v1/users/"+ilseID+"/export?download=1", nil)
	if st != 200 || !strings.Contains(string(b), `"Ilse`) {
		t.Fatalf("admin export: %d %.200s", st, b)
	}
	// Both exports are in the access log, by whom and about whom.
	var self, other bool
	for _, e := range srv.AccessEntries(t) {
		if e.Action == "export" && e.Subject == "user:"+anoukID+" personal data" && e.UserID == anoukID {
			self = true
		}
		if e.Action == "export" && e.Subject == "user:"+ilseID+" personal data" && e.UserID == identity.UserID(iss, "yvonne.kramer") {
			other = true
		}
	}
	if !self || !other {
		t.Errorf("access log: self export %v, admin export %v", self, other)
	}
	// Refused exports are not logged as exports.
	for _, e := range srv.AccessEntries(t) {
		if e.Action == "export" && e.UserID == ilseID {
			t.Errorf("a refused export was logged: %+v", e)
		}
	}
}

// TestErasureKeepsOtherPeoplesRecords: an administrator erases a departed
// person. Their access ends, their name is replaced by a stable pseudonym
// on their post, their chat messages and their colleagues' notifications,
// and those records stay; a second run changes nothing. Refusals and bad
// input store nothing.
func TestErasureKeepsOtherPeoplesRecords(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	iss := srv.App.Config.Issuer()
	anouk, sanne, admin := srv.Login(t, "anouk.devries"), srv.Login(t, "sanne.bakker"), srv.Login(t, "yvonne.kramer")
	anoukID, adminID := identity.UserID(iss, "anouk.devries"), identity.UserID(iss, "yvonne.kramer")
	pseudonym := privacy.Pseudonym(anoukID)

	var post struct{ ID string }
	if st := anouk.JSON("POST", "/api/v1/spaces/den-helder-centrum/posts", map[string]any{"body": "Mijn laatste dienst", "visibility": "team"}, &post); st != 201 {
		t.Fatalf("post: %d", st)
	}
	var sannePost struct{ ID string }
	if st := sanne.JSON("POST", "/api/v1/spaces/den-helder-centrum/posts", map[string]any{"body": "Succes Anouk!", "visibility": "team"}, &sannePost); st != 201 {
		t.Fatalf("sanne's post: %d", st)
	}
	ws := anouk.DialWS(t)
	ws.Until("ready", nil)
	ws.Send(map[string]any{"type": "send", "id": "1", "ch": teamCh, "clientId": "er1", "body": "Tot ziens allemaal"})
	ack, _ := ws.Until("ack", nil)
	seq := int64(ack["seq"].(float64))

	// Refusals and bad input: nothing stored, nothing changed.
	if st, _ := sanne.Do("POST", "/api/v1/users/"+anoukID+"/erase", map[string]any{"confirmName": "Anouk de Vries"}); st != 403 {
		t.Errorf("a colleague erases: %d", st)
	}
	for _, tc := range []struct {
		body  any
		field string
	}{
		{map[string]any{"confirmName": "Anouk"}, "confirmName"},
		{map[string]any{"confirmName": ""}, "confirmName"},
		{map[string]any{}, "confirmName"},
	} {
		st, b := admin.Do("POST", "/api/v1/users/"+anoukID+"/erase", tc.body)
		var p apptest.Problem
		_ = json.Unmarshal(b, &p)
		if st != 422 || len(p.Errors) != 1 || p.Errors[0].Field != tc.field || p.Errors[0].Code != "erase_name_mismatch" {
			t.Errorf("body %v: %d %s", tc.body, st, b)
		}
	}
	for _, body := range []any{"null", map[string]any{"confirmName": 5}, map[string]any{"confirmName": "Anouk de Vries", "x": 1}} {
		if st, b := admin.Do("POST", "/api/v1/users/"+anoukID+"/erase", body); st != 400 && st != 422 {
			t.Errorf("bad body %v: %d %s", body, st, b)
		}
	}
	if st, b := admin.Do("POST", "/api/v1/users/"+adminID+"/erase", map[string]any{"confirmName": "Yvonne Kramer"}); st != 422 || !strings.Contains(string(b), "not_yourself") {
		t.Errorf("erasing herself: %d %s", st, b)
	}
	if st, _ := admin.Do("POST", "/api/v1/users/u000000000000000000000000/erase", map[string]any{"confirmName": "x"}); st != 404 {
		t.Errorf("unknown person: %d", st)
	}
	var jobs struct{ Items []privacy.Job }
	if st := admin.JSON("GET", "/api/v1/privacy/erasures", nil, &jobs); st != 200 || len(jobs.Items) != 0 {
		t.Fatalf("refusals stored an erasure: %d %+v", st, jobs)
	}
	if st, _ := anouk.Do("GET", "/api/v1/session", nil); st != 200 {
		t.Fatal("refusals ended Anouk's session")
	}
	if st, _ := sanne.Do("GET", "/api/v1/privacy/erasures", nil); st != 403 {
		t.Errorf("a colleague lists erasures: %d", st)
	}
	if st, _ := sanne.Do("GET", "/api/v1/privacy/retention", nil); st != 403 {
		t.Errorf("a colleague reads the retention settings: %d", st)
	}
	var rules struct{ Items []privacy.Rule }
	if st := admin.JSON("GET", "/api/v1/privacy/retention", nil, &rules); st != 200 || len(rules.Items) != 6 ||
		!slices.Contains(rules.Items, privacy.Rule{Kind: privacy.KindAccessLog, Days: config.MinAccessLogDays}) {
		t.Errorf("retention: %d %+v", st, rules)
	}

	// The erasure.
	var job privacy.Job
	started := time.Now()
	if st := admin.JSON("POST", "/api/v1/users/"+anoukID+"/erase", map[string]any{"confirmName": " anouk de vries "}, &job); st != 200 {
		t.Fatalf("erase: %d", st)
	}
	t.Logf("erasure of a demo care worker: %d steps, %v", len(job.Steps), time.Since(started).Round(time.Millisecond))
	if job.Pseudonym != pseudonym || !strings.HasPrefix(pseudonym, "Oud-medewerker ") || job.FinishedAt.IsZero() ||
		!slices.Equal(job.Steps, srv.App.Privacy.Steps()) {
		t.Fatalf("job %+v", job)
	}
	if st, _ := anouk.Do("GET", "/api/v1/session", nil); st != 401 {
		t.Errorf("the erased person's session: %d", st)
	}
	if _, path := srv.NewClient(t).TryLogin("anouk.devries"); path == "/" {
		t.Error("the erased person logged in")
	}
	// Her post stays, under the pseudonym; Sanne's post is untouched.
	var got struct {
		Body   string
		Author struct{ ID, Name string }
	}
	if st := sanne.JSON("GET", "/api/v1/spaces/den-helder-centrum/posts/"+post.ID, nil, &got); st != 200 || got.Body != "Mijn laatste dienst" || got.Author.Name != pseudonym {
		t.Errorf("her post after erasure: %d %+v", st, got)
	}
	if st := sanne.JSON("GET", "/api/v1/spaces/den-helder-centrum/posts/"+sannePost.ID, nil, &got); st != 200 || got.Author.Name != "Sanne Bakker" {
		t.Errorf("sanne's post after erasure: %d %+v", st, got)
	}
	// Her chat message stays, under the pseudonym, in the store and in what colleagues read.
	var e struct{ ByName, Body string }
	if err := srv.App.Store.DB.Collection("chat_entries").FindOne(context.Background(),
		bson.D{{Key: "_id", Value: fmt.Sprintf("%s:%012d", teamCh, seq)}}).Decode(&e); err != nil || e.ByName != pseudonym || e.Body != "Tot ziens allemaal" {
		t.Errorf("stored message: %+v %v", e, err)
	}
	sws := sanne.DialWS(t)
	sws.Until("ready", nil)
	sws.Send(map[string]any{"type": "history", "id": "h", "ch": teamCh, "before": seq + 1, "limit": 5})
	h, _ := sws.Until("entries", func(f map[string]any) bool { return f["id"] == "h" })
	if b, _ := json.Marshal(h); !strings.Contains(string(b), pseudonym) || strings.Contains(string(b), "Anouk de Vries") {
		t.Errorf("history after erasure: %s", b)
	}
	// She is in no team any more; the team keeps its other members.
	if teams := srv.App.Org.TeamIDsOf(anoukID); len(teams) != 0 {
		t.Errorf("still in teams %v", teams)
	}
	if !slices.Contains(srv.App.Org.MemberIDs("den-helder-centrum"), identity.UserID(iss, "sanne.bakker")) {
		t.Error("a colleague left the team too")
	}
	// The profile: name replaced, e-mail cleared, no roles.
	u, _ := srv.App.Identity.Users().Get(anoukID)
	if u.Name != pseudonym || u.Email != "" || u.Active || len(u.Roles()) != 0 {
		t.Errorf("profile after erasure: %+v", u)
	}
	// A second run is a no-op that reports the same finished job; the
	// pseudonym confirms it now that the name is gone.
	var again privacy.Job
	if st := admin.JSON("POST", "/api/v1/users/"+anoukID+"/erase", map[string]any{"confirmName": pseudonym}, &again); st != 200 ||
		!again.FinishedAt.Equal(job.FinishedAt.Truncate(time.Millisecond)) || again.Runs != 2 {
		t.Errorf("second run: %d %+v", st, again)
	}
	// The erasure is in the access log.
	var logged bool
	for _, e := range srv.AccessEntries(t) {
		logged = logged || (e.Action == "delete" && e.Subject == "user:"+anoukID+" erasure" && e.UserID == adminID)
	}
	if !logged {
		t.Error("the erasure is not in the access log")
	}
}

// TestRetentionSweep: with the clock fixed, items older than their
// content type's period go and newer ones stay; two instances sweeping at
// once both succeed and leave the same result.
func TestRetentionSweep(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	ctx := context.Background()
	anouk := srv.Login(t, "anouk.devries")
	ws := anouk.DialWS(t)
	ws.Until("ready", nil)

	post := func(body string) string {
		var p struct{ ID string }
		if st := anouk.JSON("POST", "/api/v1/spaces/den-helder-centrum/posts", map[string]any{"body": body, "visibility": "team"}, &p); st != 201 {
			t.Fatalf("post: %d", st)
		}
		return p.ID
	}
	send := func(id string) int64 {
		ws.Send(map[string]any{"type": "send", "id": id, "ch": teamCh, "clientId": "ret" + id, "body": "Bericht " + id})
		ack, _ := ws.Until("ack", func(f map[string]any) bool { return f["id"] == id })
		return int64(ack["seq"].(float64))
	}
	oldPost, oldMsg := post("Oud bericht"), send("1")
	// The cut-off lies between the old and the new items, on each domain's
	// clock (team spaces use the app's calendar, chat the wall clock).
	cutSpaces, cutChat := srv.Now(), time.Now()
	for time.Since(cutChat) < 5*time.Millisecond { // stored times are in milliseconds
	}
	newPost, newMsg := post("Nieuw bericht"), send("2")
	// An access-log day six years ago, and today's.
	oldDay := time.Now().AddDate(-6, 0, 0)
	for _, at := range []time.Time{oldDay, time.Now()} {
		if err := srv.App.Access.Append(ctx, accesslog.Entry{At: at, UserID: "u1", Action: "read", Subject: "test"}); err != nil {
			t.Fatal(err)
		}
	}

	// Two instances, each its own service over the same store, sweep at once.
	r := config.Retention{Posts: 1, Chat: 1, AccessLog: config.MinAccessLogDays}
	instance := func(rules []privacy.Rule, now time.Time) *privacy.Service {
		return privacy.NewService(srv.App.Store, srv.App.Identity.Users(), srv.App.Identity, nil,
			privacy.Options{Now: func() time.Time { return now }, Retention: rules})
	}
	pick := func(kinds ...string) []privacy.Rule {
		var out []privacy.Rule
		for _, rule := range srv.App.RetentionRules(r) {
			if slices.Contains(kinds, rule.Kind) {
				out = append(out, rule)
			}
		}
		return out
	}
	services := []*privacy.Service{
		instance(pick(privacy.KindPosts), cutSpaces.AddDate(0, 0, 1)),
		instance(pick(privacy.KindChat, privacy.KindAccessLog), cutChat.AddDate(0, 0, 1)),
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	totals := make(chan privacy.Swept, 4)
	for range 2 { // two instances
		for _, s := range services {
			wg.Add(1)
			go func() {
				defer wg.Done()
				swept, err := s.Sweep(ctx)
				errs <- err
				totals <- swept
			}()
		}
	}
	started := time.Now()
	wg.Wait()
	t.Logf("two instances swept at once in %v", time.Since(started).Round(time.Millisecond))
	close(errs)
	close(totals)
	for err := range errs {
		if err != nil {
			t.Errorf("sweep: %v", err)
		}
	}
	sum := privacy.Swept{}
	for s := range totals {
		for k, n := range s {
			sum[k] += n
		}
	}
	if sum[privacy.KindPosts] < 1 || sum[privacy.KindChat] < 1 || sum[privacy.KindAccessLog] < 1 {
		t.Errorf("swept %v", sum)
	}
	t.Logf("removed by both instances together: %v", sum)

	// Posts: the old one is gone, the new one stays.
	if st, _ := anouk.Do("GET", "/api/v1/spaces/den-helder-centrum/posts/"+oldPost, nil); st != 404 {
		t.Errorf("old post: %d", st)
	}
	if st, _ := anouk.Do("GET", "/api/v1/spaces/den-helder-centrum/posts/"+newPost, nil); st != 200 {
		t.Errorf("new post: %d", st)
	}
	// Chat: the old message's text is gone (its trace stays), the new one's stays.
	entry := func(seq int64) (e struct {
		Body    string
		Deleted bool
	}) {
		if err := srv.App.Store.DB.Collection("chat_entries").FindOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("%s:%012d", teamCh, seq)}}).Decode(&e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	if e := entry(oldMsg); e.Body != "" || !e.Deleted {
		t.Errorf("old message: %+v", e)
	}
	if e := entry(newMsg); e.Body != "Bericht 2" || e.Deleted {
		t.Errorf("new message: %+v", e)
	}
	ws.Send(map[string]any{"type": "history", "id": "h", "ch": teamCh, "before": newMsg + 1, "limit": 3})
	h, _ := ws.Until("entries", func(f map[string]any) bool { return f["id"] == "h" })
	if b, _ := json.Marshal(h); strings.Contains(string(b), "Bericht 1") || !strings.Contains(string(b), "Bericht 2") {
		t.Errorf("history after the sweep: %s", b)
	}
	// Access log: the day past five years is dropped, today's stays.
	names, _ := srv.App.Store.DB.ListCollectionNames(ctx, bson.D{})
	if slices.Contains(names, "access_log_"+oldDay.UTC().Format("20060102")) {
		t.Error("the six-year-old access-log day is still there")
	}
	if !slices.Contains(names, "access_log_"+time.Now().UTC().Format("20060102")) {
		t.Error("today's access log was dropped")
	}
}

// TestErasureRenamesOnEveryInstance: a message another instance already
// holds in memory shows the pseudonym there too after the erasure (the
// rename travels over the broker).
func TestErasureRenamesOnEveryInstance(t *testing.T) {
	t.Parallel()
	cl := startCluster(t, 2)
	iss := cl.srvs[0].App.Config.Issuer()
	anoukID := identity.UserID(iss, "anouk.devries")
	pseudonym := privacy.Pseudonym(anoukID)
	anouk, sanne, admin := cl.login("anouk.devries"), cl.login("sanne.bakker"), cl.login("yvonne.kramer")

	ws := anouk.DialWS(t)
	ws.Until("ready", nil)
	ws.Send(map[string]any{"type": "send", "id": "1", "ch": teamCh, "clientId": "cl1", "body": "Tot ziens"})
	ack, _ := ws.Until("ack", nil)
	seq := ack["seq"].(float64)
	// Sanne thanks her by a mention, in the chat and in a team post.
	sws := sanne.DialWS(t)
	sws.Until("ready", nil)
	sws.Send(map[string]any{"type": "send", "id": "2", "ch": teamCh, "clientId": "cl2", "body": "Dank je <@" + anoukID + ">"})
	sack, _ := sws.Until("ack", nil)
	seq = math.Max(seq, sack["seq"].(float64))
	var post struct{ ID string }
	if st := sanne.JSON("POST", "/api/v1/spaces/den-helder-centrum/posts", map[string]any{"body": "Bedankt <@" + anoukID + "> voor alles", "visibility": "team"}, &post); st != 201 {
		t.Fatalf("post: %d", st)
	}
	sanne1 := sanne.On(cl.srvs[1])
	postHTML := func() string {
		var p struct{ BodyHTML string }
		if st := sanne1.JSON("GET", "/api/v1/spaces/den-helder-centrum/posts/"+post.ID, nil, &p); st != 200 {
			t.Fatalf("read post: %d", st)
		}
		return p.BodyHTML
	}
	// The other instance follows the team-space log: wait until it has the post.
	waitFor(t, "the other instance has the post", func() bool {
		return sanne1.JSON("GET", "/api/v1/spaces/den-helder-centrum/posts/"+post.ID, nil, nil) == 200
	})
	if h := postHTML(); !strings.Contains(h, "@Anouk de Vries") {
		t.Fatalf("post before the erasure: %s", h)
	}
	// Sanne reads both on the other instance: its window now holds them.
	other := sanne1.DialWS(t)
	other.Until("ready", nil)
	history := func(id string) string {
		other.Send(map[string]any{"type": "history", "id": id, "ch": teamCh, "before": seq + 1, "limit": 2})
		f, _ := other.Until("entries", func(f map[string]any) bool { return f["id"] == id })
		b, _ := json.Marshal(f)
		return string(b)
	}
	if h := history("h0"); !strings.Contains(h, "Anouk de Vries") {
		t.Fatalf("before the erasure: %s", h)
	}
	// The broker delivers the rename to the other instance: look again each
	// time it has applied one.
	renamed := apptest.NewWatch()
	cl.srvs[1].App.AfterRename(func(string) { renamed.Signal() })
	if st, b := admin.Do("POST", "/api/v1/users/"+anoukID+"/erase", map[string]any{"confirmName": "Anouk de Vries"}); st != 200 {
		t.Fatalf("erase: %d %s", st, b)
	}
	i, h := 0, ""
	err := renamed.Until(syncWait, "rename on the other instance", func() bool {
		i++
		h = history(fmt.Sprintf("h%d", i))
		// Author and mention show the pseudonym (stored HTML and the window).
		return strings.Contains(h, "@"+pseudonym) && !strings.Contains(h, "Anouk de Vries")
	})
	if err != nil {
		t.Fatalf("%v: it still shows %s", err, h)
	}
	// The post's mention is rendered anew once the other instance has the
	// person's new name (the erasure's last step, followed from the store).
	waitFor(t, "the post on the other instance shows the pseudonym", func() bool {
		h = postHTML()
		return strings.Contains(h, "@"+pseudonym) && !strings.Contains(h, "Anouk de Vries")
	})
}
