package teamspace

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestICalEscapingAndFolding(t *testing.T) {
	if got, want := escapeText("a,b;c\\d\r\ne\nf\rg\x01h\ti"), `a\,b\;c\\d\ne\nf\ngh i`; got != want {
		t.Fatalf("escape %q, want %q", got, want)
	}
	var w icalWriter
	long := "DESCRIPTION:" + strings.Repeat("één, twee; drie ", 20)
	w.line(long)
	w.line("SUMMARY:kort")
	out := w.b.String()
	if !strings.HasSuffix(out, "\r\nSUMMARY:kort\r\n") {
		t.Fatalf("no CRLF line end: %q", out[len(out)-30:])
	}
	lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
	if len(lines) < 4 {
		t.Fatalf("not folded: %d lines", len(lines))
	}
	var unfolded strings.Builder
	for i, l := range lines[:len(lines)-1] {
		if len(l) > 75 {
			t.Fatalf("line %d has %d octets", i, len(l))
		}
		if !utf8.ValidString(l) {
			t.Fatalf("line %d splits a UTF-8 sequence: %q", i, l)
		}
		if i > 0 {
			if l[0] != ' ' {
				t.Fatalf("continuation line %d does not start with a space", i)
			}
			l = l[1:]
		}
		unfolded.WriteString(l)
	}
	if unfolded.String() != long {
		t.Fatal("unfolding does not give the original line back")
	}
	if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Fatal("bare LF in output")
	}
}

func TestCalendarFeed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	day := func(d int) string { return testNow.AddDate(0, 0, d).Format(dateLayout) }
	mk := func(user, space, title, vis string, allDay bool) *Event {
		in := EventInput{Title: title, Visibility: vis, AllDay: allDay, Location: "Teampost, 1e etage", Description: "Agenda:\n1. rooster; 2. vakantie"}
		if allDay {
			in.Start, in.End = day(3), day(4)
		} else {
			in.Start, in.End = testNow.Add(48*time.Hour).Format(time.RFC3339), testNow.Add(49*time.Hour).Format(time.RFC3339)
		}
		ev, err := e.svc.CreateEvent(ctx, e.actor(user), space, in)
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	team := mk(anouk, dhc0, "Teamoverleg, met taart; en \\ koffie", VisibilityTeam, false)
	open := mk(sanne, dhc0, "Scholing wondzorg", VisibilityOrganisation, true)
	mk(daan, "julianadorp", "Overleg Julianadorp", VisibilityTeam, false)

	if got := kinds(e.notes.to(sanne)); len(got) != 1 || got[0] != NoticeEvent {
		t.Fatalf("members not told of the event: %v", got)
	}

	// Events list: non-members see the organisation-wide one only.
	w := e.do(daan, "GET", "/api/v1/spaces/den-helder-centrum/events?from="+day(0)+"&to="+day(30), nil)
	wantStatus(t, w, 200)
	items := decode[struct{ Items []Event }](t, w).Items
	if len(items) != 1 || items[0].ID != open.ID || items[0].Start != day(3) || items[0].End != day(4) || !items[0].AllDay {
		t.Fatalf("non-member events %+v", items)
	}
	items = decode[struct{ Items []Event }](t, e.do(fatima, "GET", "/api/v1/spaces/den-helder-centrum/events", nil)).Items
	if len(items) != 2 || items[0].ID != team.ID || items[0].Start != testNow.Add(48*time.Hour).Format(time.RFC3339) {
		t.Fatalf("member events %+v", items)
	}
	wantStatus(t, e.do(daan, "DELETE", "/api/v1/spaces/den-helder-centrum/events/"+team.ID, nil), http.StatusNotFound)
	wantStatus(t, e.do(daan, "DELETE", "/api/v1/spaces/den-helder-centrum/events/"+open.ID, nil), http.StatusForbidden)

	feedURL := func(user string) string {
		w := e.do(user, "GET", "/api/v1/spaces/calendar-feed", nil)
		wantStatus(t, w, 200)
		u := decode[struct{ URL string }](t, w).URL
		if !strings.HasPrefix(u, "https://plein.test/ical/u") || !strings.HasSuffix(u, ".ics") {
			t.Fatalf("feed url %q", u)
		}
		return strings.TrimPrefix(u, "https://plein.test")
	}
	get := func(path string) (int, string) {
		w := e.do("", "GET", path, nil) // no session
		return w.Code, w.Body.String()
	}

	anoukFeed := feedURL(anouk)
	if again := feedURL(anouk); again != anoukFeed {
		t.Fatal("the feed url changes on every visit")
	}
	code, cal := get(anoukFeed)
	if code != 200 {
		t.Fatalf("feed: %d %s", code, cal)
	}
	if !strings.Contains(cal, "X-WR-CALNAME:") || !strings.Contains(cal, "BEGIN:VCALENDAR\r\n") ||
		!strings.Contains(cal, `SUMMARY:Teamoverleg\, met taart\; en \\ koffie · Den Helder-Centrum`) ||
		!strings.Contains(cal, "DTSTART:"+testNow.Add(48*time.Hour).UTC().Format("20060102T150405Z")) ||
		!strings.Contains(cal, "DTSTART;VALUE=DATE:"+testNow.AddDate(0, 0, 3).Format("20060102")) ||
		!strings.Contains(cal, "DTEND;VALUE=DATE:"+testNow.AddDate(0, 0, 5).Format("20060102")) ||
		strings.Contains(cal, "Overleg Julianadorp") {
		t.Fatalf("anouk's feed:\n%s", cal)
	}
	unfolded := strings.ReplaceAll(cal, "\r\n ", "")
	if !strings.Contains(unfolded, `DESCRIPTION:Agenda:\n1. rooster\; 2. vakantie`) {
		t.Fatalf("description not escaped:\n%s", unfolded)
	}

	// Daan's feed has his team's events only: nothing of Den Helder-Centrum.
	_, cal = get(feedURL(daan))
	if !strings.Contains(cal, "Overleg Julianadorp") || strings.Contains(cal, "Teamoverleg") || strings.Contains(cal, "Scholing wondzorg") {
		t.Fatalf("daan's feed:\n%s", cal)
	}

	// A team's own calendar: ?ruimte=<id>, only for its members.
	code, cal = get(anoukFeed + "?ruimte=" + dhc0)
	if code != 200 || !strings.Contains(cal, "Teamoverleg") || !strings.Contains(cal, "X-WR-CALNAME:Plein – Den Helder-Centrum") {
		t.Fatalf("team calendar: %d\n%s", code, cal)
	}
	for _, other := range []string{"julianadorp", "nergens", strings.Repeat("x", 300)} {
		if code, _ := get(anoukFeed + "?ruimte=" + other); code != http.StatusNotFound {
			t.Fatalf("calendar of %.20s for a non-member: %d", other, code)
		}
	}
	_, cal = get(feedURL(daan) + "?ruimte=julianadorp")
	if !strings.Contains(cal, "Overleg Julianadorp") || strings.Contains(cal, "Scholing wondzorg") {
		t.Fatalf("daan's team calendar:\n%s", cal)
	}

	// Re-checked per request: out of the team, out of the feed.
	e.org.setMember(dhc0, anouk, false)
	_, cal = get(anoukFeed)
	if strings.Contains(cal, "Teamoverleg") || strings.Contains(cal, "Scholing wondzorg") {
		t.Fatalf("former member's feed still has the team's events:\n%s", cal)
	}
	if code, _ := get(anoukFeed + "?ruimte=" + dhc0); code != http.StatusNotFound {
		t.Fatalf("former member's team calendar: %d", code)
	}
	e.org.setMember(dhc0, anouk, true)

	// A reset makes the old URL stop working.
	w = e.do(anouk, "POST", "/api/v1/spaces/calendar-feed/reset", nil)
	wantStatus(t, w, 200)
	fresh := strings.TrimPrefix(decode[struct{ URL string }](t, w).URL, "https://plein.test")
	if fresh == anoukFeed {
		t.Fatal("reset kept the url")
	}
	if code, _ := get(anoukFeed); code != http.StatusNotFound {
		t.Fatalf("old feed after reset: %d", code)
	}
	if code, cal := get(fresh); code != 200 || !strings.Contains(cal, "Teamoverleg") {
		t.Fatalf("new feed: %d", code)
	}
	// Guessing does not work.
	for _, p := range []string{"/ical/x.ics", "/ical/" + anouk + "_" + strings.Repeat("0", 64) + ".ics", strings.TrimSuffix(fresh, ".ics")} {
		if code, _ := get(p); code != http.StatusNotFound {
			t.Fatalf("%s: %d", p, code)
		}
	}
}
