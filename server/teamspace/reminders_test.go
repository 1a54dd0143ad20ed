package teamspace

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// reminders returns the reminder notices sent since the last reset.
func (r *recNotifier) reminders() []sentNotice {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []sentNotice
	for _, s := range r.sent {
		if strings.HasPrefix(s.n.Key, "event_reminder:") {
			out = append(out, s)
		}
	}
	return out
}

func TestEventRemindersGoToMembersOnceAtTheirTime(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	amsterdam, _ := time.LoadLocation("Europe/Amsterdam")
	mk := func(user, space string, in EventInput) *Event {
		t.Helper()
		ev, err := e.svc.CreateEvent(ctx, e.actor(user), space, in)
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	start := testNow.Add(3 * time.Hour)
	timed := mk(anouk, "den-helder-centrum", EventInput{Title: "Teamoverleg", Visibility: VisibilityOrganisation, Location: "Teampost",
		Start: start.Format(time.RFC3339), End: start.Add(time.Hour).Format(time.RFC3339)})
	tomorrow := testNow.In(amsterdam).AddDate(0, 0, 1).Format(dateLayout)
	allDay := mk(sanne, "den-helder-centrum", EventInput{Title: "Scholing wondzorg", Visibility: VisibilityTeam, AllDay: true, Start: tomorrow, End: tomorrow})
	other := mk(daan, "julianadorp", EventInput{Title: "Overleg Julianadorp", Visibility: VisibilityTeam,
		Start: start.Format(time.RFC3339), End: start.Add(time.Hour).Format(time.RFC3339)})
	e.notes.reset()

	if n := e.svc.RemindEvents(ctx); n != 0 || len(e.notes.reminders()) != 0 {
		t.Fatalf("reminders three hours ahead: %d %+v", n, e.notes.reminders())
	}
	e.now = start.Add(-RemindBefore - time.Minute)
	if n := e.svc.RemindEvents(ctx); n != 0 {
		t.Fatalf("a reminder 61 minutes ahead: %d", n)
	}
	e.now = start.Add(-RemindBefore + time.Minute)
	if n := e.svc.RemindEvents(ctx); n != 2 {
		t.Fatalf("want the reminders of both timed events, got %d", n)
	}
	got := e.notes.reminders()
	byKey := map[string]sentNotice{}
	for _, s := range got {
		byKey[s.n.Key] = s
	}
	r, ok := byKey[ReminderKey(timed.ID)]
	if !ok || r.n.Kind != NoticeEvent || r.n.Title != "Straks: Teamoverleg" || !strings.Contains(r.n.Text, "Teampost") ||
		r.n.Place != "Den Helder-Centrum" || !strings.HasSuffix(r.n.Link, "/agenda/"+timed.ID) || r.n.ActorID != "" ||
		r.n.PushSubject != start.In(e.svc.tz).Format("15:04") {
		t.Fatalf("reminder %+v", r)
	}
	// The team's members only, although the event is organisation-wide.
	if !slices.Contains(r.to, anouk) || !slices.Contains(r.to, sanne) || slices.Contains(r.to, daan) || slices.Contains(r.to, teun) {
		t.Fatalf("reminded %v", r.to)
	}
	if o := byKey[ReminderKey(other.ID)]; !slices.Equal(o.to, []string{daan}) {
		t.Fatalf("Julianadorp's reminder went to %v", o.to)
	}
	// Re-running sends nothing again.
	if n := e.svc.RemindEvents(ctx); n != 0 {
		t.Fatalf("reminded again: %d", n)
	}

	// The all-day event: not the evening before, at 07:00 on its day.
	e.notes.reset()
	day := testNow.In(amsterdam).AddDate(0, 0, 1)
	e.now = time.Date(day.Year(), day.Month(), day.Day(), 6, 59, 0, 0, amsterdam)
	if n := e.svc.RemindEvents(ctx); n != 0 {
		t.Fatalf("all-day reminder before the morning: %d", n)
	}
	e.now = e.now.Add(2 * time.Minute)
	if n := e.svc.RemindEvents(ctx); n != 1 {
		t.Fatalf("all-day reminder in the morning: %d", n)
	}
	got = e.notes.reminders()
	if len(got) != 1 || got[0].n.Key != ReminderKey(allDay.ID) || got[0].n.Title != "Vandaag: Scholing wondzorg" {
		t.Fatalf("all-day reminder %+v", got)
	}
}

func TestEventRemindersSkipLateDeletedAndJustCreated(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	start := testNow.Add(30 * time.Minute) // created after its reminder time: "new in the agenda" told them
	soon, err := e.svc.CreateEvent(ctx, e.actor(anouk), "den-helder-centrum", EventInput{Title: "Kort overleg", Visibility: VisibilityTeam,
		Start: start.Format(time.RFC3339), End: start.Add(time.Hour).Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	later := testNow.Add(5 * time.Hour)
	gone, err := e.svc.CreateEvent(ctx, e.actor(anouk), "den-helder-centrum", EventInput{Title: "Vervalt", Visibility: VisibilityTeam,
		Start: later.Format(time.RFC3339), End: later.Add(time.Hour).Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	missed := testNow.Add(2 * time.Hour)
	if _, err := e.svc.CreateEvent(ctx, e.actor(anouk), "den-helder-centrum", EventInput{Title: "Gemist", Visibility: VisibilityTeam,
		Start: missed.Format(time.RFC3339), End: missed.Add(time.Hour).Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteEvent(ctx, e.actor(sanne), "den-helder-centrum", gone.ID); err != nil {
		t.Fatal(err)
	}
	e.notes.reset()
	e.now = testNow.Add(10 * time.Minute)
	if n := e.svc.RemindEvents(ctx); n != 0 {
		t.Fatalf("reminded of %s created within the hour: %d", soon.ID, n)
	}
	e.now = later.Add(-30 * time.Minute) // "Gemist" started hours ago: the server was down at its time
	if n := e.svc.RemindEvents(ctx); n != 0 || len(e.notes.reminders()) != 0 {
		t.Fatalf("reminded of a deleted or long-started event: %+v", e.notes.reminders())
	}
}
