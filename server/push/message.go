package push

import (
	"strings"

	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/notify"
)

// Message is what a push carries (docs/security.md, "Web Push"): a title
// naming the kind and at most the actor's first name (or, for an event
// reminder, the event's start time: never its title, which may name a
// client), a body naming at most the place (a team, space or channel name), and
// the app path to open. It never holds a notification's title or text:
// those may quote a message, a client or a document. Push services and lock
// screens see this.
type Message struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	URL   string `json:"url"`
	Tag   string `json:"tag"`
}

// phrases per language: kind → title with an optional {name}.
var phrases = map[string]map[string]string{
	"nl": {
		notify.KindMessage:        "Nieuw bericht van {name}",
		notify.KindMention:        "{name} noemde je",
		notify.KindReply:          "{name} reageerde op je bericht",
		notify.KindAnnouncement:   "Nieuwe mededeling",
		notify.KindDocument:       "Nieuw document",
		notify.KindArticleConfirm: "Een protocol wacht op je bevestiging",
		notify.KindReviewDue:      "Een artikel is toe aan herziening",
		notify.KindPost:           "Nieuw bericht van {name}",
		notify.KindEvent:          "Activiteit in je agenda",
		"event_subject":           "Activiteit om {subject} in je agenda",
		notify.KindLearning:       "Nieuws of een herinnering in je leertraject",
		notify.KindAudit:          "Nieuws over een audit of actie",
		"":                        "Nieuwe melding in Plein",
		"someone":                 "iemand",
		"in":                      "in {place}",
	},
	"en": {
		notify.KindMessage:        "New message from {name}",
		notify.KindMention:        "{name} mentioned you",
		notify.KindReply:          "{name} replied to your post",
		notify.KindAnnouncement:   "New announcement",
		notify.KindDocument:       "New document",
		notify.KindArticleConfirm: "A protocol awaits your confirmation",
		notify.KindReviewDue:      "An article is due for review",
		notify.KindPost:           "New post from {name}",
		notify.KindEvent:          "Activity in your calendar",
		"event_subject":           "Activity at {subject} in your calendar",
		notify.KindLearning:       "News or a reminder in your learning programme",
		notify.KindAudit:          "News about an audit or action",
		"":                        "New notification in Plein",
		"someone":                 "someone",
		"in":                      "in {place}",
	},
}

// messageFor builds the push for a notification in lang (nl when unknown).
func messageFor(n notify.Notification, lang string) Message {
	p, ok := phrases[lang]
	if !ok {
		p = phrases["nl"]
	}
	title, ok := p[n.Kind]
	if !ok {
		title = p[""]
	}
	name := p["someone"]
	if n.Actor != nil {
		if f := firstName(n.Actor.Name); f != "" {
			name = f
		}
	}
	m := Message{Title: strings.ReplaceAll(title, "{name}", name), URL: n.Link}
	if subj := pushSubject(n); subj != "" && n.Kind == notify.KindEvent {
		m.Title = strings.ReplaceAll(p["event_subject"], "{subject}", subj)
	}
	if m.URL == "" {
		m.URL = "/meldingen"
	}
	if n.Place != "" {
		m.Body = strings.ReplaceAll(p["in"], "{place}", n.Place)
	}
	// One notification per conversation or page on the device: a newer one
	// replaces it (the path without ?m=…).
	path, _, _ := strings.Cut(m.URL, "?")
	m.Tag = "plein:" + path
	return m
}

// maxSubject is the most of a subject a push shows (runes).
const maxSubject = 80

// pushSubject is the notification's PushSubject as a push may show it: one
// line, at most maxSubject runes, and "" when the identifier guard finds a
// BSN, a date of birth next to a name or an address in it (push services
// and lock screens see the title).
func pushSubject(n notify.Notification) string {
	s := strings.Join(strings.Fields(n.PushSubject), " ")
	if s == "" || len(identifiers.Find(s)) > 0 {
		return ""
	}
	if r := []rune(s); len(r) > maxSubject {
		s = strings.TrimSpace(string(r[:maxSubject-1])) + "…"
	}
	return s
}

// firstName is the first word of a display name.
func firstName(s string) string {
	f, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	return f
}
