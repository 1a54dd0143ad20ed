package demo

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/plein/plein/server/doctext"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/teamspace"
)

// The team spaces' demo content (spaces.go) goes in through
// teamspace.Service.Import as one list of changes in time order: the demo
// decides who did what when, the team spaces write it to their log.

const spacesMarker = "teamspace-demo-v1"

// SeedContent is the demo content of the team spaces.
// Who fields name a login subject, or "#n": the n-th member of the team who
// is none of Logins (in OtherTeams; elsewhere the team's first member).
type SeedContent struct {
	Profiles     []SeedProfile
	Communities  []SeedCommunity
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

// SeedSpaces loads the demo content of the team spaces once. It needs the
// demo organisation in place. A marker in the meta collection records that
// it ran; a run that stopped half-way is completed by the next (Import
// skips the items whose Key the log holds).
func SeedSpaces(ctx context.Context, d Deps) (bool, error) {
	if ok, err := done(ctx, d.Store, spacesMarker); ok || err != nil {
		return false, err
	}
	profiles, items := spaceItems(SpaceContent(), d)
	if err := d.Spaces.Import(ctx, profiles, items); err != nil {
		return false, err
	}
	return true, mark(ctx, d.Store, spacesMarker, time.Now().UTC())
}

type spaceSeeder struct {
	d      Deps
	tz     *time.Location
	now    time.Time
	others map[string][]string // team → member ids that are not demo logins, sorted
}

func (sd *spaceSeeder) user(team, who string) string {
	if strings.HasPrefix(who, "#") {
		var n int
		_, _ = fmt.Sscanf(who, "#%d", &n)
		if xs := sd.others[team]; len(xs) > 0 {
			return xs[n%len(xs)]
		}
		if xs := sd.d.Org.MemberIDs(team); len(xs) > 0 {
			return xs[0]
		}
	}
	return identity.UserID(sd.d.Issuer, who)
}

// at is a moment daysAgo days back at hour (local time).
func (sd *spaceSeeder) at(daysAgo, hour int) time.Time {
	d := sd.now.In(sd.tz).AddDate(0, 0, -daysAgo)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, (daysAgo*7)%50, 0, 0, sd.tz).UTC()
}

// spaceItems are the profiles, and the content as import items in time order.
func spaceItems(content SeedContent, d Deps) ([]teamspace.ImportedProfile, []teamspace.ImportItem) {
	tz, err := time.LoadLocation("Europe/Amsterdam") // the team spaces' calendar
	if err != nil {
		tz = time.UTC
	}
	sd := &spaceSeeder{d: d, tz: tz, now: d.Now(), others: map[string][]string{}}
	issuer := d.Issuer
	demo := map[string]bool{}
	for _, sub := range content.Logins {
		demo[identity.UserID(issuer, sub)] = true
	}
	for _, team := range content.OtherTeams {
		var xs []string
		for _, id := range d.Org.MemberIDs(team) {
			if !demo[id] {
				xs = append(xs, id)
			}
		}
		sort.Strings(xs)
		sd.others[team] = xs
	}
	var items []teamspace.ImportItem
	keys := 0
	addPost := func(space string, p SeedPost) {
		keys++
		key := fmt.Sprintf("post-%d", keys)
		author := sd.user(space, p.Who)
		at := sd.at(p.DaysAgo, p.Hour)
		items = append(items, teamspace.ImportItem{Kind: teamspace.ImportPost, Key: key, By: author, Space: space, Text: p.Body, Visibility: p.Vis, Agreement: p.Agreement, At: at})
		if p.Pinned {
			items = append(items, teamspace.ImportItem{Kind: teamspace.ImportPin, Key: key + "/pin", By: author, Space: space, Ref: key, At: at.Add(time.Minute)})
		}
		for i, c := range p.Comments {
			items = append(items, teamspace.ImportItem{Kind: teamspace.ImportComment, Key: fmt.Sprintf("%s/comment-%d", key, i), By: sd.user(space, c.Who),
				Space: space, Ref: key, Text: c.Body, At: at.Add(time.Duration(c.Hours) * time.Hour)})
		}
		for i, r := range strings.Fields(p.Reactions) {
			who, emoji, _ := strings.Cut(r, ":")
			items = append(items, teamspace.ImportItem{Kind: teamspace.ImportReaction, Key: fmt.Sprintf("%s/reaction-%d", key, i), By: sd.user(space, who),
				Space: space, Ref: key, Text: emoji, At: at.Add(time.Duration(30+i*47) * time.Minute)})
		}
	}
	for _, c := range content.Communities {
		cat := sd.at(60, 9)
		items = append(items, teamspace.ImportItem{Kind: teamspace.ImportCommunity, Key: c.ID, By: sd.user("", c.Creator), Space: c.ID, At: cat,
			Community: &teamspace.ImportedCommunity{Name: c.Name, Description: c.Description}})
		for i, m := range c.Members {
			items = append(items, teamspace.ImportItem{Kind: teamspace.ImportJoin, Key: c.ID + "/join-" + m, By: sd.user("", m), Space: c.ID,
				At: cat.Add(time.Duration(i+1) * time.Hour)})
		}
		for _, p := range c.Posts {
			addPost(c.ID, p)
		}
	}
	for _, p := range content.Posts {
		addPost(p.Team, p)
	}
	for i, ev := range content.Events {
		day := sd.now.In(tz).AddDate(0, 0, ev.Days)
		var start, end time.Time
		allDay := ev.Hour < 0
		if allDay {
			start = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
			end = start
		} else {
			start = time.Date(day.Year(), day.Month(), day.Day(), ev.Hour, 0, 0, 0, tz).UTC()
			end = start.Add(time.Duration(ev.Mins) * time.Minute)
		}
		items = append(items, teamspace.ImportItem{Kind: teamspace.ImportEvent, Key: fmt.Sprintf("event-%d", i), By: sd.user(ev.Team, ev.Who), Space: ev.Team, Visibility: ev.Vis,
			At: sd.at(ev.Days%5+1, 12), Event: &teamspace.ImportedEvent{Title: ev.Title, Start: start, End: end, AllDay: allDay,
				Location: ev.Location, Description: ev.Description}})
	}
	annAt := sd.at(6, 10)
	ann := content.Announcement
	items = append(items, teamspace.ImportItem{Kind: teamspace.ImportAnnouncement, Key: "announcement", By: identity.UserID(issuer, ann.Who), At: annAt, Text: ann.Body,
		Announcement: &teamspace.ImportedAnnouncement{Title: ann.Title, Audience: teamspace.Audience{Everyone: true, Regions: []string{}, Teams: []string{}}, RequiresAck: true}})
	for _, p := range ann.AckBy {
		items = append(items, teamspace.ImportItem{Kind: teamspace.ImportAck, Key: "announcement/ack-" + p, By: identity.UserID(issuer, p), Ref: "announcement",
			At: annAt.Add(3 * time.Hour)})
	}
	items = append(items, sd.docItems(content.Folders, content.Docs)...)
	sort.SliceStable(items, func(i, j int) bool { return items[i].At.Before(items[j].At) })

	var profiles []teamspace.ImportedProfile
	for _, p := range content.Profiles {
		profiles = append(profiles, teamspace.ImportedProfile{Team: p.Team, By: sd.user(p.Team, p.Who), At: sd.at(75, 11).Truncate(time.Millisecond),
			Description: p.Description, WorkingArea: p.Area})
	}
	return profiles, items
}

// docItems are the folders and documents; a second document with the same
// space, folder and name is its second version.
func (sd *spaceSeeder) docItems(folders []SeedFolder, docs []SeedDoc) []teamspace.ImportItem {
	var items []teamspace.ImportItem
	for i, f := range folders {
		items = append(items, teamspace.ImportItem{Kind: teamspace.ImportFolder, Key: "folder:" + f.Space + f.Path, By: sd.user(f.Space, f.Who), Space: f.Space, Text: f.Path,
			At: sd.at(70, 9).Add(time.Duration(i) * time.Minute)})
	}
	seen := map[string]bool{}
	for i, d := range docs {
		key := d.Space + d.Folder + "/" + d.Name
		it := teamspace.ImportItem{Kind: teamspace.ImportDocument, By: sd.user(d.Space, d.Who), Space: d.Space,
			At: sd.at(d.DaysAgo, 10).Add(time.Duration(i) * time.Minute)}
		if seen[key] {
			it.Ref, it.Key = key, fmt.Sprintf("%s#%d", key, i)
		} else {
			it.Key, seen[key] = key, true
		}
		var data []byte
		if strings.HasSuffix(d.Name, ".pdf") {
			data = doctext.SimplePDF(d.Title, d.Lines)
		} else {
			data = []byte(strings.Join(d.Lines, "\n") + "\n")
		}
		it.Document = &teamspace.ImportedDocument{Folder: d.Folder, Name: d.Name, Note: d.Note, Data: data}
		items = append(items, it)
	}
	return items
}
