package audits

import (
	"testing"

	"github.com/plein/plein/server/org"
)

// The directory is built once per generation of the organisation: a renamed
// or new team shows once the organisation changed, not before.
func TestDirectoryFollowsTheOrganisation(t *testing.T) {
	o, p := demoOrg()
	svc, _ := newTestService(t, o, p, nil)
	id := o.teams[0].ID
	old := svc.dir().teams[id].Name
	if svc.dir() != svc.dir() {
		t.Fatal("the directory is built again without a change of generation")
	}
	o.teams[0].Name = "Hernoemd team"
	o.teams = append(o.teams, org.TeamSummary{ID: "nieuw-team", Name: "Nieuw team", RegionID: o.teams[0].RegionID})
	if got := svc.dir().teams[id].Name; got != old {
		t.Fatalf("rebuilt without a change of generation: %q", got)
	}
	o.gen++ // as org.Service does on every reload
	d := svc.dir()
	if got := d.teams[id].Name; got != "Hernoemd team" {
		t.Fatalf("after the organisation changed: %q", got)
	}
	if _, ok := d.teams["nieuw-team"]; !ok || len(d.teamList) != len(o.teams) {
		t.Fatalf("the new team is missing: %d of %d teams", len(d.teamList), len(o.teams))
	}
}
