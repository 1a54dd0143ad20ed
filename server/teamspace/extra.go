package teamspace

import "time"

// ExtraEvent is an event another domain adds to a team's agenda and to the
// iCal feeds (the learning programme's sessions). It is read-only here.
type ExtraEvent struct {
	ID, Title, Location, Description string
	URL                              string // path in the web app, e.g. /leren/sessies/<id>
	Organizer                        string // shown as who made it
	Start, End, CreatedAt            time.Time
}

// ExtraEvents supplies a team's extra events that touch from..to. Only the
// team's members see them (team visibility).
type ExtraEvents interface {
	TeamEvents(teamID string, from, to time.Time) []ExtraEvent
}

// SetExtraEvents wires another domain's team events (the app does this).
func (s *Service) SetExtraEvents(x ExtraEvents) { s.extra.Store(&x) }

func (s *Service) extraFor(teamID string, from, to time.Time) []ExtraEvent {
	p := s.extra.Load()
	if p == nil || *p == nil {
		return nil
	}
	return (*p).TeamEvents(teamID, from, to)
}

// extraView shows an extra event in the agenda.
func extraView(spaceID string, x ExtraEvent) Event {
	return Event{ID: x.ID, SpaceID: spaceID, Title: x.Title, Start: x.Start.UTC().Format(time.RFC3339), End: x.End.UTC().Format(time.RFC3339),
		Location: x.Location, Description: x.Description, Visibility: VisibilityTeam, Link: x.URL,
		CreatedBy: PersonRef{Name: x.Organizer}}
}
