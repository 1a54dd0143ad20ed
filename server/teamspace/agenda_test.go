package teamspace

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// GET /agenda: the events of the person's own teams from today (in the
// organisation's time zone) for the days asked, by start; other teams'
// events and other days stay out, and someone without a team gets none.
func TestAgendaIsTheOwnTeamsFromToday(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mk := func(user, space, title string, start time.Time) *Event {
		ev, err := e.svc.CreateEvent(ctx, e.actor(user), space, EventInput{Title: title, Visibility: VisibilityTeam,
			Start: start.Format(time.RFC3339), End: start.Add(time.Hour).Format(time.RFC3339)})
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	day := func(d int, hour int) time.Time {
		n := testNow.In(e.svc.tz)
		return time.Date(n.Year(), n.Month(), n.Day()+d, hour, 0, 0, 0, e.svc.tz)
	}
	later := mk(anouk, dhc0, "Teamoverleg", day(1, 14))
	today := mk(sanne, dhc0, "Intervisie", day(0, 13))
	mk(anouk, dhc0, "Over twee dagen", day(2, 9))
	mk(daan, "julianadorp", "Overleg Julianadorp", day(0, 10))

	ids := func(user, query string) []string {
		w := e.do(user, "GET", "/api/v1/agenda"+query, nil)
		wantStatus(t, w, http.StatusOK)
		var out []string
		for _, ev := range decode[struct{ Items []Event }](t, w).Items {
			out = append(out, ev.ID)
		}
		return out
	}
	if got := ids(fatima, ""); len(got) != 2 || got[0] != today.ID || got[1] != later.ID {
		t.Fatalf("today and tomorrow for a member: %v, want [%s %s]", got, today.ID, later.ID)
	}
	if got := ids(fatima, "?days=1"); len(got) != 1 || got[0] != today.ID {
		t.Fatalf("today only: %v", got)
	}
	if got := ids(fatima, "?days=3"); len(got) != 3 {
		t.Fatalf("three days: %v", got)
	}
	if got := ids(daan, ""); len(got) != 1 || got[0] == today.ID {
		t.Fatalf("another team's member: %v", got)
	}
	if got := ids(ilse, "?days=14"); len(got) != 0 {
		t.Fatalf("someone without a team: %v", got)
	}
	wantStatus(t, e.do("", "GET", "/api/v1/agenda", nil), http.StatusUnauthorized)
}
