package teamspace

import (
	"context"
	"sort"
	"time"
)

// Event reminders (issue 15): the members of a space are reminded of its
// events through the notification centre (and so Web Push, which applies
// quiet hours; the person's "event" preference mutes both).
const (
	// RemindBefore is how long before a timed event its reminder goes.
	RemindBefore = time.Hour
	// RemindMorning is the local time of day an all-day event's reminder
	// goes, on its first day.
	RemindMorning = 7 * time.Hour
	// remindLate: a reminder that could not go (the server was down) is
	// not sent once the event is this far under way.
	remindLate = 15 * time.Minute
)

// ReminderKey is the notification centre's dedup key of an event's
// reminder: it claims "<user>|<key>" by a unique _id, so each member gets
// it once, whichever instance sends it and however often this runs.
func ReminderKey(eventID string) string { return "event_reminder:" + eventID }

type reminder struct {
	key    string
	notice Notice
	users  []string
}

// RemindEvents tells the members of each space about its events that are
// due for a reminder: timed events from RemindBefore before their start
// (until remindLate after it), all-day events from RemindMorning (local
// time) on their first day until that day ends. Events created after their
// reminder time are skipped (the "new in the agenda" notification just
// told the members). Re-runnable on any number of instances: the dedup
// key makes it once per member and event. It returns the reminders sent.
func (s *Service) RemindEvents(ctx context.Context) int {
	if nt, _ := s.hooks(); nt == nil {
		return 0
	}
	now := s.now()
	var due []reminder
	_ = s.read(ctx, func(st *state) error {
		for _, ev := range st.events {
			at, ok := remindAt(ev, s.tz)
			if !ok || now.Before(at) || !ev.CreatedAt.Before(at) || s.remindedBefore(ev.ID) {
				continue
			}
			if ev.AllDay && now.In(s.tz).Format(dateLayout) != ev.Start.Format(dateLayout) ||
				!ev.AllDay && now.After(ev.Start.Add(remindLate)) {
				continue
			}
			sp, ok := s.spaceOf(st, ev.SpaceID)
			if !ok || sp.archived {
				continue
			}
			due = append(due, reminder{key: ReminderKey(ev.ID), users: s.memberIDs(st, sp), notice: s.reminderNotice(ev, sp, now)})
		}
		return nil
	})
	sort.Slice(due, func(i, j int) bool { return due[i].key < due[j].key })
	for _, r := range due {
		s.deliver(ctx, r.users, r.notice)
		s.remindMu.Lock()
		s.reminded[r.key] = true
		s.remindMu.Unlock()
	}
	return len(due)
}

// remindAt is when an event's reminder is due.
func remindAt(ev *EventDoc, tz *time.Location) (time.Time, bool) {
	if ev == nil || ev.Start.IsZero() {
		return time.Time{}, false
	}
	if ev.AllDay {
		d := ev.Start // midnight UTC of the first day
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, tz).Add(RemindMorning), true
	}
	return ev.Start.Add(-RemindBefore), true
}

func (s *Service) remindedBefore(eventID string) bool {
	s.remindMu.Lock()
	defer s.remindMu.Unlock()
	return s.reminded[ReminderKey(eventID)]
}

func (s *Service) reminderNotice(ev *EventDoc, sp spaceRef, now time.Time) Notice {
	title := "Straks: " + ev.Title
	if ev.AllDay {
		title = "Vandaag: " + ev.Title
	} else if now.After(ev.Start) {
		title = "Nu: " + ev.Title
	}
	text := dutchWhen(ev.Start, ev.End, ev.AllDay, s.tz)
	if ev.Location != "" {
		text += ", " + ev.Location
	}
	// A push names the start time, never the title: lock screens show it,
	// and a title may name a client, which the identifier guard cannot
	// tell from a colleague ("Bezoek mevr. Jansen").
	var when string
	if !ev.AllDay {
		when = ev.Start.In(s.tz).Format("15:04")
	}
	return Notice{Kind: NoticeEvent, Title: title, Text: text, Link: SpaceLink(sp.id, "agenda/"+ev.ID), Place: sp.name, Key: ReminderKey(ev.ID),
		PushSubject: when}
}
