package teamspace

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/plaintext"
)

const dateLayout = "2006-01-02"

// EventInput creates an event. Start and end are RFC 3339 times with an
// offset (2026-12-01T09:00:00+01:00), or dates (2026-12-01) when allDay; an
// all-day event's end is its last day.
type EventInput struct {
	Title       string `json:"title"`
	Start       string `json:"start"`
	End         string `json:"end"`
	AllDay      bool   `json:"allDay"`
	Location    string `json:"location"`
	Description string `json:"description"`
	Visibility  string `json:"visibility"`
	// AcknowledgeIdentifiers: the writer saw the warning that the text
	// looks like client data (a BSN, a date of birth, an address) and
	// sends it anyway. Without it such text is refused (422,
	// identifier_suspected).
	AcknowledgeIdentifiers bool `json:"acknowledgeIdentifiers"`

	start, end time.Time
}

// Validate checks the input's shape and parses the times.
func (in *EventInput) Validate() error {
	var v apperr.Validator
	in.Title = checkLine(&v, "title", in.Title, 1, 200)
	in.Location = checkLine(&v, "location", in.Location, 0, 200)
	in.Description = strings.TrimSpace(in.Description)
	v.Check(utf8.RuneCountInString(in.Description) <= 2000 && plaintext.Text(in.Description), "description", "too_long", "at most 2000 characters", apperr.Params{"max": 2000})
	if in.Visibility != "" && in.Visibility != VisibilityTeam && in.Visibility != VisibilityOrganisation {
		v.Add("visibility", "invalid_choice", "use team or organisation")
	}
	parse := func(field, s string) (time.Time, bool) {
		if in.AllDay {
			t, err := time.Parse(dateLayout, s)
			v.Check(err == nil, field, "invalid_date", "use a date such as 2026-12-01 for an all-day event")
			return t, err == nil
		}
		t, err := time.Parse(time.RFC3339, s)
		v.Check(err == nil, field, "invalid_date", "use a time with offset such as 2026-12-01T09:00:00+01:00")
		return t.UTC(), err == nil
	}
	s, okS := parse("start", in.Start)
	e, okE := parse("end", in.End)
	if okS && okE {
		switch {
		case in.AllDay && e.Before(s):
			v.Add("end", "before_start", "the last day cannot be before the first")
		case !in.AllDay && !e.After(s):
			v.Add("end", "before_start", "must be after the start")
		case e.Sub(s) > 31*24*time.Hour:
			v.Add("end", "span_too_long", "an event lasts at most 31 days", apperr.Params{"max": 31})
		case s.Year() < 2000 || s.Year() > 2100:
			v.Add("start", "invalid_date", "use a date between 2000 and 2100")
		}
	}
	in.start, in.end = s, e
	return v.Err()
}

func (s *Service) eventView(a *identity.Actor, member bool, ev *EventDoc) Event {
	out := Event{ID: ev.ID, SpaceID: ev.SpaceID, Title: ev.Title, AllDay: ev.AllDay, Location: ev.Location,
		Description: ev.Description, Visibility: ev.Visibility, CreatedBy: s.person(ev.CreatedBy),
		CanDelete: ev.CreatedBy == a.UserID || member}
	if ev.AllDay {
		out.Start, out.End = ev.Start.Format(dateLayout), ev.End.Format(dateLayout)
	} else {
		out.Start, out.End = ev.Start.UTC().Format(time.RFC3339), ev.End.UTC().Format(time.RFC3339)
	}
	return out
}

// overlaps reports whether an event touches the days from..to (inclusive,
// local dates in tz).
func overlaps(ev *EventDoc, from, to time.Time, tz *time.Location) bool {
	if ev.AllDay {
		f := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
		t := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
		return !ev.End.Before(f) && !ev.Start.After(t)
	}
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, tz)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, tz).AddDate(0, 0, 1)
	return ev.Start.Before(end) && ev.End.After(start)
}

// ListEvents lists a space's events that touch the days from..to
// (yyyy-mm-dd; default: today and the next three months), by start.
// Non-members see organisation-wide events only.
func (s *Service) ListEvents(ctx context.Context, a *identity.Actor, spaceID, fromS, toS string) ([]Event, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var v apperr.Validator
	today := s.now().In(s.tz)
	from := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if fromS != "" {
		t, err := time.Parse(dateLayout, fromS)
		v.Check(err == nil, "from", "invalid_date", "use a date such as 2026-12-01")
		from = t
	}
	to := from.AddDate(0, 3, 0)
	if toS != "" {
		t, err := time.Parse(dateLayout, toS)
		v.Check(err == nil, "to", "invalid_date", "use a date such as 2026-12-31")
		to = t
	}
	if v.Err() == nil {
		v.Check(!to.Before(from), "to", "before_start", "cannot be before from")
		v.Check(to.Sub(from) <= 400*24*time.Hour, "to", "span_too_long", "ask for at most 400 days at once", apperr.Params{"max": 400})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	out := []Event{}
	teamMember := false
	err := s.read(ctx, func(st *state) error {
		sp, err := s.mustSpace(st, spaceID)
		if err != nil {
			return err
		}
		member := s.isMember(st, a.UserID, sp)
		teamMember = member && sp.kind == KindTeam
		sd := st.peek(spaceID)
		if sd == nil {
			return nil
		}
		for _, ev := range sd.events {
			if seesVisibility(member, ev.Visibility) && overlaps(ev, from, to, s.tz) {
				out = append(out, s.eventView(a, member, ev))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if teamMember { // other domains' team events (learning sessions), for members only
		start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, s.tz)
		end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, s.tz).AddDate(0, 0, 1)
		for _, x := range s.extraFor(spaceID, start, end) {
			out = append(out, extraView(spaceID, x))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out, nil
}

// CreateEvent adds an event (members) and tells the other members.
func (s *Service) CreateEvent(ctx context.Context, a *identity.Actor, spaceID string, in EventInput) (*Event, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := identifiers.Check(in.AcknowledgeIdentifiers, identifiers.F("title", in.Title),
		identifiers.F("location", in.Location), identifiers.F("description", in.Description)); err != nil {
		return nil, err
	}
	var sp spaceRef
	var members []string
	e, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		var err error
		if sp, err = s.mustSpace(st, spaceID); err != nil {
			return nil, err
		}
		if !s.isMember(st, a.UserID, sp) {
			return nil, apperr.Forbidden("members_only", "only the space's members add events")
		}
		vis, err := checkVisibility(sp, in.Visibility, false)
		if err != nil {
			return nil, err
		}
		members = s.memberIDs(st, sp)
		return &entry{Kind: kEvent, By: a.UserID, Space: spaceID, Visibility: vis, Event: &entryEvent{Title: in.Title,
			Start: in.start, End: in.end, AllDay: in.AllDay, Location: in.Location, Description: in.Description}}, nil
	})
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	ev := s.cur.events[refID('e', e.Seq)]
	var out Event
	if ev != nil {
		out = s.eventView(a, true, ev)
	}
	s.mu.RUnlock()
	if ev == nil {
		return nil, apperr.NotFound("not_found", "event not found")
	}
	s.deliver(ctx, without(members, a.UserID), Notice{Kind: NoticeEvent, Title: "Nieuw in de agenda van " + sp.name + ": " + in.Title,
		Text: dutchWhen(in.start, in.end, in.AllDay, s.tz), Link: SpaceLink(spaceID, "agenda/"+out.ID), ActorID: a.UserID, ActorName: a.Name, Place: sp.name})
	return &out, nil
}

// DeleteEvent removes an event (its creator, members of the space).
func (s *Service) DeleteEvent(ctx context.Context, a *identity.Actor, spaceID, eventID string) error {
	if err := requireActor(a); err != nil {
		return err
	}
	_, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		sp, err := s.mustSpace(st, spaceID)
		if err != nil {
			return nil, err
		}
		member := s.isMember(st, a.UserID, sp)
		ev := st.events[eventID]
		if ev == nil || ev.SpaceID != spaceID || !seesVisibility(member, ev.Visibility) {
			return nil, apperr.NotFound("not_found", "event not found")
		}
		if ev.CreatedBy != a.UserID && !member {
			return nil, apperr.Forbidden("forbidden", "only its creator or the space's members delete an event")
		}
		return &entry{Kind: kEventDelete, By: a.UserID, Space: spaceID, Ref: eventID}, nil
	})
	return err
}

var dutchMonths = []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

func dutchDate(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), dutchMonths[t.Month()-1], t.Year())
}

// dutchWhen says when an event is: "3 december 2026, 14:00–15:30".
func dutchWhen(start, end time.Time, allDay bool, tz *time.Location) string {
	if allDay {
		if start.Equal(end) {
			return dutchDate(start)
		}
		return dutchDate(start) + " t/m " + dutchDate(end)
	}
	s, e := start.In(tz), end.In(tz)
	if s.Format(dateLayout) == e.Format(dateLayout) {
		return fmt.Sprintf("%s, %s–%s", dutchDate(s), s.Format("15:04"), e.Format("15:04"))
	}
	return fmt.Sprintf("%s %s – %s %s", dutchDate(s), s.Format("15:04"), dutchDate(e), e.Format("15:04"))
}

// AgendaDays bounds what Agenda gives at once: today and at most two weeks on.
const AgendaDays = 14

// Agenda lists the events of the person's own teams (their own and other
// domains' team events) that touch today and the next days-1 days (days as
// given, "" = 2: today and tomorrow), today in the organisation's time
// zone, by start. It is home's agenda in one request that needs no team
// id, so the page can ask for it before it knows who is signed in
// (docs/performance.md, "Home's requests with the page").
func (s *Service) Agenda(ctx context.Context, a *identity.Actor, daysS string) ([]Event, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	days := 2
	if daysS != "" {
		n, err := strconv.Atoi(daysS)
		if err != nil || n < 1 || n > AgendaDays {
			return nil, apperr.Invalid("days", "out_of_range", fmt.Sprintf("use a number from 1 to %d", AgendaDays), apperr.Params{"min": 1, "max": AgendaDays})
		}
		days = n
	}
	today := s.now().In(s.tz)
	from := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	fromS, toS := from.Format(dateLayout), from.AddDate(0, 0, days-1).Format(dateLayout)
	out := []Event{}
	for _, t := range s.org.TeamsOf(a.UserID) {
		items, err := s.ListEvents(ctx, a, t.ID, fromS, toS)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out, nil
}
