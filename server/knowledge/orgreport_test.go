package knowledge

import (
	"errors"
	"testing"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/richtext"
)

// orgReportWorld: teams a and b (noord), c (zuid). Fatima, the district
// nurse, is in teams a and b; team c lists a user unknown to People.
// Articles share audiences but not confirmations, so a membership cache
// keyed or counted wrongly gives wrong numbers.
func orgReportWorld(t *testing.T) *Service {
	t.Helper()
	o := &fakeOrg{members: map[string][]string{
		"team-a": {"u-anouk", "u-sanne", "u-fatima"},
		"team-b": {"u-daan", "u-fatima"},
		"team-c": {"u-chris", "u-ghost"},
	}}
	s := &Service{org: o, people: testPeople(), now: func() time.Time { return testNow }, render: richtext.New()}
	s.reset()
	nurse := string(identity.RoleWijkverpleegkundige)
	put := func(id string, aud Audience, major int, status Status, confirmers ...string) {
		c := Content{Title: "Artikel " + id, Category: "wondzorg", Type: "protocol", Owner: "kwaliteit", Audience: aud,
			Body: "Tekst.", RequiresConfirmation: id != "noconfirm"}
		h := &Head{ID: headID(id, 1), Article: id, Rev: 1, Status: status, Draft: c, Version: Version{major, 0}, PublishedAt: testNow}
		if status != StatusConcept {
			h.Published = &c
		}
		s.applyHeadLocked(h)
		for _, u := range confirmers {
			m := major
			if u == "u-anouk" && id == "major2" {
				m = 1 // confirmed the previous major version only
			}
			s.applyConfirmLocked(&Confirmation{Article: id, Major: m, UserID: u})
		}
	}
	everyone := Audience{Everyone: true}
	pub := StatusPublished
	put("e1", everyone, 1, pub, "u-anouk", "u-daan")
	put("e2", everyone, 1, pub, "u-fatima", "u-chris", "u-peter")
	put("e3", everyone, 1, pub, "u-anouk", "u-sanne", "u-fatima", "u-daan", "u-chris", "u-ghost", "u-peter", "u-ilse")
	put("nurses1", Audience{Roles: []string{nurse}}, 1, pub, "u-fatima", "u-anouk")
	put("nurses2", Audience{Roles: []string{nurse}}, 1, pub)
	put("noord", Audience{Regions: []string{"noord"}}, 1, pub, "u-fatima", "u-chris")
	put("zuid-or-nurse", Audience{Regions: []string{"zuid"}, Roles: []string{nurse}}, 1, pub, "u-fatima", "u-ghost", "u-daan")
	put("both1", Audience{Regions: []string{"noord", "zuid"}}, 1, pub, "u-sanne")
	put("both2", Audience{Regions: []string{"zuid", "noord"}}, 1, pub, "u-sanne", "u-chris")
	put("team-c", Audience{Teams: []string{"team-c"}}, 1, pub, "u-chris")
	put("role-team-c", Audience{Roles: []string{"team-c"}}, 1, pub, "u-chris")
	put("major2", everyone, 2, pub, "u-anouk", "u-daan")
	put("archived", everyone, 1, StatusArchived, "u-anouk")
	put("draft", everyone, 1, StatusConcept, "u-anouk")
	put("noconfirm", everyone, 1, pub, "u-anouk")
	return s
}

func TestOrgReportSharedAudiences(t *testing.T) {
	s := orgReportWorld(t)
	type mc struct{ members, confirmed int }
	want := map[*identity.Actor]map[string]mc{
		ilse: {
			"e1": {7, 2}, "e2": {7, 3}, "e3": {7, 7}, "nurses1": {2, 2}, "nurses2": {2, 0}, "noord": {5, 2},
			"zuid-or-nurse": {4, 3}, "both1": {7, 1}, "both2": {7, 2}, "team-c": {2, 1}, "role-team-c": {0, 0}, "major2": {7, 1},
		},
		// Her own teams (a and b) and only the articles addressed to her.
		fatima: {
			"e1": {5, 2}, "e2": {5, 2}, "e3": {5, 5}, "nurses1": {2, 2}, "nurses2": {2, 0}, "noord": {5, 2},
			"zuid-or-nurse": {2, 2}, "both1": {5, 1}, "both2": {5, 1}, "major2": {5, 1},
		},
	}
	for act, exp := range want {
		items, err := s.OrgReport(act)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]mc{}
		for _, it := range items {
			got[it.Article.ID] = mc{it.Members, it.Confirmed}
			if it.Rate != rate(it.Confirmed, it.Members) {
				t.Errorf("%s: %s rate %v", act.UserID, it.Article.ID, it.Rate)
			}
		}
		if len(got) != len(exp) {
			t.Errorf("%s: articles %v, want %v", act.UserID, got, exp)
		}
		for id, w := range exp {
			if got[id] != w {
				t.Errorf("%s: %s = %+v, want %+v", act.UserID, id, got[id], w)
			}
		}
	}
}

// TestOrgReportMatchesReport: each article's organisation-wide numbers are
// the totals of its per-team report, for every kind of reader.
func TestOrgReportMatchesReport(t *testing.T) {
	s := orgReportWorld(t)
	for _, act := range []*identity.Actor{ilse, marie, fatima} {
		items, err := s.OrgReport(act)
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]OrgReportItem{}
		for _, it := range items {
			listed[it.Article.ID] = it
		}
		for id := range s.heads {
			it, ok := listed[id]
			r, err := s.Report(act, id)
			if errors.Is(err, apperr.ErrNotFound) {
				if ok {
					t.Errorf("%s: %s listed but has no report", act.UserID, id)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				t.Errorf("%s: %s has a report but is not listed", act.UserID, id)
				continue
			}
			if it.Members != r.Total.Members || it.Confirmed != r.Total.Confirmed || it.Rate != r.Total.Rate {
				t.Errorf("%s: %s org %d/%d, report %d/%d", act.UserID, id, it.Confirmed, it.Members, r.Total.Confirmed, r.Total.Members)
			}
		}
	}
}

func TestAudienceKey(t *testing.T) {
	keys := map[string]Audience{}
	for _, aud := range []Audience{
		{Everyone: true}, {}, {Regions: []string{"a"}}, {Teams: []string{"a"}}, {Roles: []string{"a"}},
		{Regions: []string{"a", "b"}}, {Regions: []string{"a:1:b"}}, {Regions: []string{"a;"}, Teams: []string{"b"}},
		{Regions: []string{"a"}, Teams: []string{";b"}},
	} {
		k := string(audienceKey(nil, aud))
		if prev, dup := keys[k]; dup {
			t.Errorf("%+v and %+v share key %q", prev, aud, k)
		}
		keys[k] = aud
	}
}
