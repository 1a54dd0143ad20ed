package teamspace

import (
	"net/http"
	"slices"
	"testing"
)

func TestAnnouncements(t *testing.T) {
	e := newEnv(t)
	post := func(user string, audience map[string]any, ack bool) *Announcement {
		t.Helper()
		w := e.do(user, "POST", "/api/v1/announcements", map[string]any{"title": "Nieuw protocol", "body": "Lees het **protocol**.",
			"audience": audience, "requiresAck": ack})
		wantStatus(t, w, http.StatusCreated)
		a := decode[Announcement](t, w)
		return &a
	}
	// Care workers do not announce.
	w := e.do(anouk, "POST", "/api/v1/announcements", map[string]any{"title": "Hallo", "body": "x", "audience": map[string]any{"everyone": true}, "requiresAck": false})
	wantStatus(t, w, http.StatusForbidden)

	texel := post(ilse, map[string]any{"everyone": false, "regions": []string{"texel"}, "teams": []string{}}, true)
	jdp := post(ilse, map[string]any{"everyone": false, "regions": []string{}, "teams": []string{"julianadorp"}}, false)
	all := post(ilse, map[string]any{"everyone": true, "regions": []string{}, "teams": []string{}}, true)

	list := func(user string) []string {
		w := e.do(user, "GET", "/api/v1/announcements", nil)
		wantStatus(t, w, 200)
		var ids []string
		for _, a := range decode[struct{ Items []Announcement }](t, w).Items {
			ids = append(ids, a.ID)
		}
		return ids
	}
	if got := list(teun); !slices.Equal(got, []string{all.ID, texel.ID}) {
		t.Fatalf("teun (Texel) sees %v", got)
	}
	if got := list(daan); !slices.Equal(got, []string{all.ID, jdp.ID}) {
		t.Fatalf("daan (Julianadorp) sees %v", got)
	}
	if got := list(anouk); !slices.Equal(got, []string{all.ID}) {
		t.Fatalf("anouk sees %v", got)
	}
	if got := list(ilse); !slices.Equal(got, []string{all.ID, jdp.ID, texel.ID}) {
		t.Fatalf("the author sees %v", got)
	}
	// Notifications went to the audience only, not to the author.
	if got := kinds(e.notes.to(teun)); !slices.Equal(got, []string{NoticeAnnouncement, NoticeAnnouncement}) {
		t.Fatalf("teun notified %v", got)
	}
	if got := kinds(e.notes.to(anouk)); !slices.Equal(got, []string{NoticeAnnouncement}) {
		t.Fatalf("anouk notified %v", got)
	}
	if len(e.notes.to(ilse)) != 0 {
		t.Fatal("author notified")
	}

	// Acknowledging: the audience only, and only when asked.
	wantStatus(t, e.do(anouk, "POST", "/api/v1/announcements/"+texel.ID+"/ack", nil), http.StatusNotFound)
	wantStatus(t, e.do(daan, "POST", "/api/v1/announcements/"+jdp.ID+"/ack", nil), http.StatusConflict)
	wantStatus(t, e.do(ilse, "POST", "/api/v1/announcements/"+texel.ID+"/ack", nil), http.StatusForbidden)
	w = e.do(teun, "POST", "/api/v1/announcements/"+texel.ID+"/ack", nil)
	wantStatus(t, w, 200)
	if a := decode[Announcement](t, w); !a.Acknowledged || a.AckedAt == nil {
		t.Fatalf("ack %+v", a)
	}
	for _, u := range []string{anouk, sanne, sanne} { // twice: idempotent
		wantStatus(t, e.do(u, "POST", "/api/v1/announcements/"+all.ID+"/ack", nil), 200)
	}

	// The report: author and administrators; the audience per team.
	wantStatus(t, e.do(anouk, "GET", "/api/v1/announcements/"+all.ID+"/report", nil), http.StatusForbidden)
	wantStatus(t, e.do(peter, "GET", "/api/v1/announcements/"+texel.ID+"/report", nil), http.StatusNotFound)
	w = e.do(ilse, "GET", "/api/v1/announcements/"+all.ID+"/report", nil)
	wantStatus(t, w, 200)
	rep := decode[AckReport](t, w)
	byTeam := map[string]AckTeam{}
	for _, row := range rep.Teams {
		byTeam[row.Team.ID] = row
	}
	dhc := byTeam["den-helder-centrum"]
	if dhc.Members != 3 || dhc.Acked != 2 || dhc.Rate != 0.667 || len(dhc.Missing) != 1 || dhc.Missing[0].ID != fatima {
		t.Fatalf("den-helder-centrum row %+v", dhc)
	}
	if rest := byTeam[""]; rest.Members != 3 || rest.Acked != 0 { // ilse, yvonne, peter
		t.Fatalf("staff without team %+v", rest)
	}
	if rep.Total.Members != 8 || rep.Total.Acked != 2 || rep.Total.Rate != 0.25 {
		t.Fatalf("total %+v", rep.Total)
	}
	if !e.access.has(ilse + " read announcement:" + all.ID + " acknowledgements") {
		t.Fatal("report read not logged")
	}
	w = e.do(yvonne, "GET", "/api/v1/announcements/"+texel.ID+"/report", nil)
	wantStatus(t, w, 200)
	rep = decode[AckReport](t, w)
	if len(rep.Teams) != 1 || rep.Teams[0].Team.ID != "den-burg" || rep.Teams[0].Acked != 1 || rep.Total.Rate != 1 {
		t.Fatalf("texel report %+v", rep)
	}
}
