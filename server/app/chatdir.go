package app

import (
	"github.com/plein/plein/server/search"
	"slices"
	"sort"
	"strings"

	"github.com/plein/plein/chat"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
)

// chatDirectory adapts the organisation and the user directory to chat.
type chatDirectory struct {
	org   *org.Service
	users *identity.Users
}

func (d chatDirectory) TeamsOf(userID string) []string     { return d.org.TeamIDsOf(userID) }
func (d chatDirectory) TeamMembers(teamID string) []string { return d.org.MemberIDs(teamID) }
func (d chatDirectory) Team(teamID string) (string, bool)  { return d.org.TeamName(teamID) }

func (d chatDirectory) Person(userID string) (string, bool) {
	u, ok := d.users.Get(userID)
	if !ok || !u.Active {
		return "", false
	}
	return u.Name, true
}

func (d chatDirectory) People(q string, limit int) []chat.Person {
	q = search.Fold(q)
	out := []chat.Person{}
	for _, u := range d.users.All() {
		if !u.Active || !strings.Contains(search.Fold(u.Name), q) {
			continue
		}
		p := chat.Person{ID: u.ID, Name: u.Name, Teams: []string{}}
		for _, t := range d.org.TeamsOf(u.ID) {
			p.Teams = append(p.Teams, t.Name)
			p.TeamIDs = append(p.TeamIDs, t.ID)
			if t.RegionID != "" && !slices.Contains(p.RegionIDs, t.RegionID) {
				p.RegionIDs = append(p.RegionIDs, t.RegionID)
			}
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

func (d chatDirectory) RegionsOf(userID string) []string {
	var out []string
	for _, t := range d.org.TeamsOf(userID) {
		if t.RegionID != "" && !slices.Contains(out, t.RegionID) {
			out = append(out, t.RegionID)
		}
	}
	return out
}
