package teamspace

import (
	"context"
	"testing"
)

// cardText is the team's description as /spaces shows it.
func (e *env) cardText(t *testing.T, team string) string {
	t.Helper()
	list := decode[SpaceList](t, e.do(daan, "GET", "/api/v1/spaces", nil))
	for _, sp := range list.Teams {
		if sp.ID == team {
			return sp.Description
		}
	}
	t.Fatalf("team %s not listed", team)
	return ""
}

// Previews are kept per description text: a new version of the description
// shows at once; a description that mentions someone shows their name as it
// is now (renamed, or "iemand" once they are gone).
func TestSpaceCardPreviewFollowsChanges(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	set := func(desc string) {
		t.Helper()
		sp, err := e.svc.GetSpace(ctx, e.actor(anouk), dhc0)
		if err != nil {
			t.Fatal(err)
		}
		rev := sp.Revision
		if _, err := e.svc.UpdateProfile(ctx, e.actor(anouk), dhc0, ProfileInput{Description: desc, WorkingArea: []string{}, Revision: &rev}); err != nil {
			t.Fatal(err)
		}
	}
	set("Wij zijn **het team** van Den Helder.")
	if got := e.cardText(t, dhc0); got != "Wij zijn het team van Den Helder." {
		t.Fatalf("first version: %q", got)
	}
	if got := e.cardText(t, dhc0); got != "Wij zijn het team van Den Helder." {
		t.Fatalf("first version, again: %q", got)
	}
	set("Nieuw: *wondzorg* op zondag.")
	if got := e.cardText(t, dhc0); got != "Nieuw: wondzorg op zondag." {
		t.Fatalf("second version: %q", got)
	}
	set("Vragen? Bel <@" + sanne + ">.")
	if got := e.cardText(t, dhc0); got != "Vragen? Bel @Sanne Bakker." {
		t.Fatalf("with a mention: %q", got)
	}
	u := e.people.users[sanne]
	u.Name = "Sanne de Boer"
	e.people.users[sanne] = u
	if got := e.cardText(t, dhc0); got != "Vragen? Bel @Sanne de Boer." {
		t.Fatalf("after a rename: %q", got)
	}
}
