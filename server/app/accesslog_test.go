package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/app/apptest"
)

type accessPage struct {
	Items []struct {
		ID       string    `json:"id"`
		At       time.Time `json:"at"`
		UserID   string    `json:"userId"`
		UserName string    `json:"userName"`
		Action   string    `json:"action"`
		Subject  string    `json:"subject"`
		Route    string    `json:"route"`
	} `json:"items"`
	Next string `json:"next"`
}

// TestAccessLogReview: administrators review who accessed which personal
// data (NEN 7513); nobody else may, and reviewing is itself recorded.
func TestAccessLogReview(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anouk, yvonne := srv.Login(t, "anouk.devries"), srv.Login(t, "yvonne.kramer")
	word := "zoekterm" + strings.ReplaceAll(time.Now().Format("150405.000"), ".", "")
	for range 3 {
		if st, b := anouk.Do("GET", "/api/v1/search?q="+word, nil); st != 200 {
			t.Fatalf("search: %d %s", st, b)
		}
	}
	var session struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	anouk.JSON("GET", "/api/v1/session", nil, &session)

	// Anouk's searches, newest first, two per page.
	var p accessPage
	if st := yvonne.JSON("GET", "/api/v1/access-log?user="+session.User.ID+"&action=search&limit=2", nil, &p); st != 200 {
		t.Fatalf("review: %d", st)
	}
	if len(p.Items) != 2 || p.Next == "" || p.Items[0].UserName != "Anouk de Vries" || !strings.Contains(p.Items[0].Subject, word) ||
		p.Items[0].Route != "/api/v1/search" || p.Items[0].ID <= p.Items[1].ID || p.Items[0].At.Before(p.Items[1].At) {
		t.Fatalf("first page: %+v", p)
	}
	var p2 accessPage
	if st := yvonne.JSON("GET", "/api/v1/access-log?user="+session.User.ID+"&action=search&limit=2&before="+p.Next, nil, &p2); st != 200 {
		t.Fatalf("second page: %d", st)
	}
	if len(p2.Items) != 1 || p2.Next != "" || p2.Items[0].ID >= p.Items[1].ID {
		t.Fatalf("second page: %+v", p2)
	}
	// Reviewing is recorded too.
	var mine accessPage
	yvonne.JSON("GET", "/api/v1/access-log?action=read&subject=access-log+"+time.Now().UTC().AddDate(0, 0, -6).Format(time.DateOnly)+".."+
		time.Now().UTC().Add(24*time.Hour).Format(time.DateOnly)+"+user:"+session.User.ID, nil, &mine)
	if len(mine.Items) < 2 || mine.Items[0].UserName != "Yvonne Kramer" {
		t.Fatalf("the review is not in the log: %+v", mine)
	}
	// Only administrators.
	for _, sub := range []string{"anouk.devries", "ilse.dekker", "marieke.jansen", "johan.mulder"} {
		c := srv.Login(t, sub)
		if st, _ := c.Do("GET", "/api/v1/access-log", nil); st != 403 {
			t.Errorf("%s reviews the access log: %d", sub, st)
		}
	}
	// Bad input: a clear field error.
	for q, field := range map[string]string{
		"from=gisteren":                       "from",
		"from=2026-01-01&to=2026-03-01":       "to",
		"from=2026-03-02&to=2026-03-01":       "to",
		"user=anouk":                          "user",
		"action=steal":                        "action",
		"before=1":                            "before",
		"limit=0":                             "limit",
		"subject=" + strings.Repeat("x", 301): "subject",
	} {
		st, b := yvonne.Do("GET", "/api/v1/access-log?"+q, nil)
		if st != 422 || !strings.Contains(string(b), `"field":"`+field+`"`) {
			t.Errorf("%s: %d %s", q, st, b)
		}
	}
}
