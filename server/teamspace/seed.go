package teamspace

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store"
)

const seedMarker = "teamspace-demo-v1"

// SeedContent is demo content for the team spaces (server/demo holds it).
// Who fields name a login subject, or "#n": the n-th member of the team who
// is none of Logins (in OtherTeams; elsewhere the team's first member).
type SeedContent struct {
	Profiles     []SeedProfile
	Communities  []SeedCommunity // the first one's existence marks the content as loaded
	Posts        []SeedPost
	Events       []SeedEvent
	Folders      []SeedFolder
	Docs         []SeedDoc
	Announcement SeedAnnouncement
	Logins       []string
	OtherTeams   []string
}

// SeedComment is a comment on a SeedPost.
type SeedComment struct {
	Who   string
	Hours int // after the post
	Body  string
}

// SeedPost is a post in a team space (Team) or a community (its Posts).
type SeedPost struct {
	Team              string
	Who               string
	DaysAgo, Hour     int
	Vis               string
	Agreement, Pinned bool
	Body              string
	Comments          []SeedComment
	Reactions         string // "who:emoji who:emoji …"
}

// SeedEvent is an event in a team's agenda.
type SeedEvent struct {
	Team, Who   string
	Days        int // from today
	Hour, Mins  int // start and duration; Hour < 0: all day
	Title       string
	Location    string
	Description string
	Vis         string
}

// SeedProfile is a team's first profile revision.
type SeedProfile struct {
	Team, Who, Description string
	Area                   []string
}

// SeedCommunity is a community with its members and posts.
type SeedCommunity struct {
	ID, Name, Description, Creator string
	Members                        []string
	Posts                          []SeedPost
}

// SeedFolder is a folder in a space's documents.
type SeedFolder struct{ Space, Who, Path string }

// SeedDoc is a document; a second one with the same space, folder and name
// is its second version.
type SeedDoc struct {
	Space, Who, Folder, Name string
	DaysAgo                  int
	Note                     string
	Title                    string   // PDF title (PDF files only)
	Lines                    []string // the file's text
}

// SeedAnnouncement is an announcement to everyone that asks for acknowledgement.
type SeedAnnouncement struct {
	Who, Title, Body string
	AckBy            []string
}

// Seed loads demo content once (server/demo, development only). It needs
// the demo organisation in place; issuer is the development identity
// provider's, which fixes the user ids. It is idempotent: a marker in the
// meta collection records that it ran, and an existing first community
// counts as that marker too.
func Seed(ctx context.Context, svc *Service, c SeedContent, issuer string) (bool, error) {
	meta := svc.st.meta
	if err := meta.FindOne(ctx, bson.D{{Key: "_id", Value: seedMarker}}).Err(); err == nil {
		return false, nil
	} else if !store.IsNotFound(err) {
		return false, err
	}
	if err := svc.catchUp(ctx); err != nil {
		return false, err
	}
	svc.mu.RLock()
	done := len(c.Communities) > 0 && svc.cur.communities[c.Communities[0].ID] != nil
	svc.mu.RUnlock()
	if !done {
		if err := seedContent(ctx, svc, c, issuer); err != nil {
			return false, err
		}
	}
	if _, err := meta.InsertOne(ctx, bson.D{{Key: "_id", Value: seedMarker}, {Key: "at", Value: time.Now().UTC()}}); err != nil && !store.IsDuplicateKey(err) {
		return false, err
	}
	return !done, nil
}

type seeder struct {
	svc    *Service
	issuer string
	now    time.Time
	others map[string][]string // team → member ids that are not demo logins, sorted
}

func (sd *seeder) user(team, who string) string {
	if strings.HasPrefix(who, "#") {
		var n int
		_, _ = fmt.Sscanf(who, "#%d", &n)
		if xs := sd.others[team]; len(xs) > 0 {
			return xs[n%len(xs)]
		}
		if xs := sd.svc.org.MemberIDs(team); len(xs) > 0 {
			return xs[0]
		}
	}
	return identity.UserID(sd.issuer, who)
}

// at is a moment daysAgo days back at hour (local time).
func (sd *seeder) at(daysAgo, hour int) time.Time {
	d := sd.now.In(sd.svc.tz).AddDate(0, 0, -daysAgo)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, (daysAgo*7)%50, 0, 0, sd.svc.tz).UTC()
}

// timed is one entry to append at a moment; entries are appended in time
// order, so that the stream order (by sequence) is the time order.
type timed struct {
	at   time.Time
	make func() (*entry, error)
	done func(e *entry) // optional: told the written entry
}

func seedContent(ctx context.Context, svc *Service, content SeedContent, issuer string) error {
	sd := &seeder{svc: svc, issuer: issuer, now: svc.now(), others: map[string][]string{}}
	demo := map[string]bool{}
	for _, sub := range content.Logins {
		demo[identity.UserID(issuer, sub)] = true
	}
	for _, team := range content.OtherTeams {
		var xs []string
		for _, id := range svc.org.MemberIDs(team) {
			if !demo[id] {
				xs = append(xs, id)
			}
		}
		sort.Strings(xs)
		sd.others[team] = xs
	}
	var items []timed
	addPost := func(space string, p SeedPost) {
		author := sd.user(space, p.Who)
		at := sd.at(p.DaysAgo, p.Hour)
		id := new(string) // the post's id once written
		items = append(items, timed{at: at, make: func() (*entry, error) {
			return &entry{Kind: kPost, By: author, Space: space, Text: p.Body, Visibility: p.Vis, Agreement: p.Agreement, At: at}, nil
		}, done: func(e *entry) { *id = refID('p', e.Seq) }})
		ref := func() string { return *id }
		if p.Pinned {
			items = append(items, timed{at: at.Add(time.Minute), make: func() (*entry, error) {
				return &entry{Kind: kPin, By: author, Space: space, Ref: ref(), Pinned: true, At: at.Add(time.Minute)}, nil
			}})
		}
		for _, c := range p.Comments {
			who, cat, body := sd.user(space, c.Who), at.Add(time.Duration(c.Hours)*time.Hour), c.Body
			items = append(items, timed{at: cat, make: func() (*entry, error) {
				return &entry{Kind: kComment, By: who, Space: space, Ref: ref(), Text: body, At: cat}, nil
			}})
		}
		for i, r := range strings.Fields(p.Reactions) {
			who, emoji, _ := strings.Cut(r, ":")
			uid, rat := sd.user(space, who), at.Add(time.Duration(30+i*47)*time.Minute)
			items = append(items, timed{at: rat, make: func() (*entry, error) {
				return &entry{Kind: kReact, By: uid, Space: space, Ref: ref(), Text: emoji, At: rat}, nil
			}})
		}
	}
	for _, c := range content.Communities {
		c := c
		cat := sd.at(60, 9)
		creator := sd.user("", c.Creator)
		items = append(items, timed{at: cat, make: func() (*entry, error) {
			return &entry{Kind: kCommunity, By: creator, Space: c.ID, Community: &entryCommunity{Name: c.Name, Description: c.Description}, At: cat}, nil
		}})
		for i, m := range c.Members {
			uid, jat := sd.user("", m), cat.Add(time.Duration(i+1)*time.Hour)
			items = append(items, timed{at: jat, make: func() (*entry, error) { return &entry{Kind: kJoin, By: uid, Space: c.ID, At: jat}, nil }})
		}
		for _, p := range c.Posts {
			addPost(c.ID, p)
		}
	}
	for _, p := range content.Posts {
		addPost(p.Team, p)
	}
	for _, ev := range content.Events {
		ev := ev
		by := sd.user(ev.Team, ev.Who)
		day := sd.now.In(svc.tz).AddDate(0, 0, ev.Days)
		var start, end time.Time
		allDay := ev.Hour < 0
		if allDay {
			start = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
			end = start
		} else {
			start = time.Date(day.Year(), day.Month(), day.Day(), ev.Hour, 0, 0, 0, svc.tz).UTC()
			end = start.Add(time.Duration(ev.Mins) * time.Minute)
		}
		cat := sd.at(ev.Days%5+1, 12)
		items = append(items, timed{at: cat, make: func() (*entry, error) {
			return &entry{Kind: kEvent, By: by, Space: ev.Team, Visibility: ev.Vis, At: cat, Event: &entryEvent{Title: ev.Title,
				Start: start, End: end, AllDay: allDay, Location: ev.Location, Description: ev.Description}}, nil
		}})
	}
	annAt := sd.at(6, 10)
	ann := content.Announcement
	ilse := identity.UserID(issuer, ann.Who)
	annID := new(string)
	items = append(items, timed{at: annAt, done: func(e *entry) { *annID = refID('a', e.Seq) }, make: func() (*entry, error) {
		return &entry{Kind: kAnnounce, By: ilse, At: annAt, Text: ann.Body,
			Announce: &entryAnnouncement{Title: ann.Title,
				Audience: Audience{Everyone: true, Regions: []string{}, Teams: []string{}}, RequiresAck: true}}, nil
	}})
	for _, p := range ann.AckBy {
		uid, at := identity.UserID(issuer, p), annAt.Add(3*time.Hour)
		items = append(items, timed{at: at, make: func() (*entry, error) { return &entry{Kind: kAck, By: uid, Ref: *annID, At: at}, nil }})
	}
	items = append(items, sd.docItems(ctx, content.Folders, content.Docs)...)
	sort.SliceStable(items, func(i, j int) bool { return items[i].at.Before(items[j].at) })

	// Profiles first (they have their own collection), then the log in time order.
	for _, p := range content.Profiles {
		if _, ok := svc.org.TeamName(p.Team); !ok {
			continue
		}
		by := sd.user(p.Team, p.Who)
		r := &ProfileRevisionDoc{ID: ProfileRevisionID(p.Team, 1), SpaceID: p.Team, Revision: 1, At: sd.at(75, 11).Truncate(time.Millisecond),
			By: by, Fields: []string{"description", "workingArea"}, Description: p.Description, WorkingArea: p.Area}
		svc.mu.RLock()
		have := svc.cur.peek(p.Team).profile() != nil
		svc.mu.RUnlock()
		if have {
			continue
		}
		if err := svc.st.insertProfile(ctx, r); err != nil {
			return fmt.Errorf("seed profile %s: %w", p.Team, err)
		}
		if _, err := svc.write(ctx, func(*state, int64) (*entry, error) {
			return &entry{Kind: kProfile, By: by, Space: p.Team, At: r.At, Profile: r}, nil
		}); err != nil {
			return err
		}
	}
	for _, it := range items {
		e, err := it.make()
		if err != nil {
			return err
		}
		if e == nil {
			continue
		}
		if e.Space != "" && !IsCommunityID(e.Space) {
			if _, ok := svc.org.TeamName(e.Space); !ok {
				continue // a team the organisation does not have
			}
		}
		if (e.Kind == kPin || e.Kind == kComment || e.Kind == kReact || e.Kind == kAck) && e.Ref == "" {
			continue // its post was skipped
		}
		newDoc := e.Kind == kDocument && e.Ref == ""
		written, err := svc.write(ctx, func(_ *state, seq int64) (*entry, error) {
			if newDoc {
				e.Ref = refID('d', seq) // a new document is named by its entry
			}
			return e, nil
		})
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		if it.done != nil {
			it.done(written)
		}
	}
	return nil
}
