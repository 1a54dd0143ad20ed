package teamspace

import (
	"strings"
	"testing"
	"time"
)

type fakeExtra struct{ events map[string][]ExtraEvent }

func (f fakeExtra) TeamEvents(team string, from, to time.Time) []ExtraEvent {
	var out []ExtraEvent
	for _, x := range f.events[team] {
		if x.End.After(from) && x.Start.Before(to) {
			out = append(out, x)
		}
	}
	return out
}

// Another domain's team events (learning sessions) show in the team's
// agenda and in the personal and team feeds, for members only.
func TestExtraEvents(t *testing.T) {
	e := newEnv(t)
	start := testNow.Add(26 * time.Hour)
	e.svc.SetExtraEvents(fakeExtra{events: map[string][]ExtraEvent{dhc0: {{ID: "learning-s1", Title: "Leertraject: Teamrollen",
		Location: "Wijkcentrum", URL: "/leren/sessies/s1", Organizer: "Peter Smit", Start: start, End: start.Add(2 * time.Hour), CreatedAt: testNow}}}})
	day := testNow.Format(dateLayout)
	w := e.do(anouk, "GET", "/api/v1/spaces/"+dhc0+"/events?from="+day+"&to="+testNow.AddDate(0, 0, 7).Format(dateLayout), nil)
	wantStatus(t, w, 200)
	items := decode[struct{ Items []Event }](t, w).Items
	if len(items) != 1 || items[0].ID != "learning-s1" || items[0].Link != "/leren/sessies/s1" || items[0].CreatedBy.Name != "Peter Smit" || items[0].CanDelete {
		t.Fatalf("member's agenda: %+v", items)
	}
	w = e.do(daan, "GET", "/api/v1/spaces/"+dhc0+"/events?from="+day+"&to="+testNow.AddDate(0, 0, 7).Format(dateLayout), nil)
	if items := decode[struct{ Items []Event }](t, w).Items; len(items) != 0 {
		t.Fatalf("a non-member sees the team's session: %+v", items)
	}
	w = e.do(anouk, "GET", "/api/v1/spaces/calendar-feed", nil)
	feed := strings.TrimPrefix(decode[struct{ URL string }](t, w).URL, "https://plein.test")
	if w := e.do("", "GET", feed, nil); w.Code != 200 || !strings.Contains(w.Body.String(), "SUMMARY:Leertraject: Teamrollen · Den Helder-Centrum") {
		t.Fatalf("personal feed: %d %s", w.Code, w.Body.String())
	}
}
