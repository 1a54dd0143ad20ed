package knowledge

import (
	"bufio"
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/identity"
)

// SeedArticle is one demo article as written in server/demo/articles.
type SeedArticle struct {
	Slug     string
	Content  Content
	Versions []seedVersion // oldest first; the last is the newest
	Major    bool          // the newest version is a major change
}

type seedVersion struct {
	Body, Note string
}

// SeedArticles parses the demo articles in fsys (server/demo/articles):
// NN-slug.md with front matter, and NN-slug.vK.md for older versions.
func SeedArticles(fsys fs.FS) ([]SeedArticle, error) {
	entries, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(entries)
	var out []SeedArticle
	for _, name := range entries {
		if strings.Count(path.Base(name), ".") > 1 { // NN-slug.vK.md: an older version
			continue
		}
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		a, n, err := parseSeed(string(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		base := strings.TrimSuffix(name, ".md")
		for k := 1; k < n; k++ {
			old, err := fs.ReadFile(fsys, fmt.Sprintf("%s.v%d.md", base, k))
			if err != nil {
				return nil, fmt.Errorf("%s: version %d: %w", name, k, err)
			}
			body, note := string(old), ""
			if first, rest, ok := strings.Cut(body, "\n"); ok && strings.HasPrefix(first, "<!-- change:") {
				note = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(first, "<!-- change:"), "-->"))
				body = rest
			}
			a.Versions = append(a.Versions, seedVersion{Body: strings.TrimSpace(body) + "\n", Note: note})
		}
		// The main file is the newest version: it goes last.
		a.Versions = append(slices.Clone(a.Versions[1:]), a.Versions[0])
		out = append(out, a)
	}
	return out, nil
}

// parseSeed reads front matter and body; n is the number of versions.
func parseSeed(raw string) (SeedArticle, int, error) {
	var a SeedArticle
	rest, ok := strings.CutPrefix(raw, "---\n")
	if !ok {
		return a, 0, fmt.Errorf("no front matter")
	}
	fm, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		return a, 0, fmt.Errorf("front matter not closed")
	}
	n := 1
	c := &a.Content
	change := ""
	sc := bufio.NewScanner(strings.NewReader(fm))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return a, 0, fmt.Errorf("bad front matter line %q", line)
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "slug":
			a.Slug = v
		case "title":
			c.Title = v
		case "summary":
			c.Summary = v
		case "category":
			c.Category = v
		case "type":
			c.Type = v
		case "tags":
			c.Tags = list(v)
		case "owner":
			c.Owner = v
		case "audience":
			switch {
			case v == "everyone":
				c.Audience.Everyone = true
			case strings.HasPrefix(v, "roles:"):
				c.Audience.Roles = strings.Split(strings.TrimPrefix(v, "roles:"), ",")
			case strings.HasPrefix(v, "regions:"):
				c.Audience.Regions = strings.Split(strings.TrimPrefix(v, "regions:"), ",")
			case strings.HasPrefix(v, "teams:"):
				c.Audience.Teams = strings.Split(strings.TrimPrefix(v, "teams:"), ",")
			default:
				return a, 0, fmt.Errorf("bad audience %q", v)
			}
		case "confirm":
			c.RequiresConfirmation = v == "true"
		case "reviewDue":
			c.ReviewDue = v
		case "versions":
			var err error
			if n, err = strconv.Atoi(v); err != nil || n < 1 {
				return a, 0, fmt.Errorf("bad versions %q", v)
			}
		case "related":
			c.Related = list(v)
		case "externalUrl":
			c.ExternalURL = v
		case "change":
			change = v
		case "major":
			a.Major = v == "true"
		default:
			return a, 0, fmt.Errorf("unknown key %q", k)
		}
	}
	if a.Slug == "" || c.Title == "" {
		return a, 0, fmt.Errorf("slug and title are required")
	}
	if change == "" {
		change = "Eerste versie"
	}
	a.Versions = []seedVersion{{Body: strings.TrimSpace(body) + "\n", Note: change}}
	return a, n, nil
}

func list(v string) []string {
	v = strings.TrimSuffix(strings.TrimPrefix(v, "["), "]")
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// seedHash is a stable pseudo-random number in [0,1) for a key.
func seedHash(parts ...string) float64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return float64(h.Sum64()%10000) / 10000
}

// SeedPerson is a person of the demo organisation as the knowledge seed
// needs them (server/demo).
type SeedPerson struct {
	ID, Sub, Name string
	Roles         []string
	Teams         []SeedTeam
	Description   string // their position; support staff's names their service
	Demo          bool   // a demo login: confirms nothing, so it sees what is pending
}

// SeedTeam is a team of a SeedPerson, with its region.
type SeedTeam struct{ ID, RegionID string }

// Seed stores the demo articles (once each) with their versions, and a
// believable share of read confirmations by the demo organisation's staff,
// people (server/demo, development only).
func Seed(ctx context.Context, s *Service, arts []SeedArticle, people []SeedPerson, now time.Time) (bool, error) {
	support := map[string]PersonRef{}
	var supportAll []PersonRef
	for _, p := range people {
		if !slices.Contains(p.Roles, string(identity.RoleOndersteunendeDienst)) {
			continue
		}
		ref := PersonRef{ID: p.ID, Name: p.Name}
		supportAll = append(supportAll, ref)
		d := strings.ToLower(p.Description)
		for _, o := range []struct{ key, word string }{{"kwaliteit", "kwaliteit"}, {"hr", "hr"}, {"ict", "ict"}, {"financien", "financiën"}, {"communicatie", "communicatie"}} {
			if _, ok := support[o.key]; !ok && strings.Contains(d, o.word) {
				support[o.key] = ref
			}
		}
	}
	if len(supportAll) < 2 {
		return false, fmt.Errorf("seed: the demo organisation has fewer than two support staff")
	}
	seeded := false
	var confirms []any
	for i, sa := range arts {
		if h, err := findByID[Head](ctx, s.st.heads, headID(sa.Slug, 1)); err != nil {
			return false, err
		} else if h != nil {
			continue
		}
		seeded = true
		author, ok := support[sa.Content.Owner]
		if !ok {
			author = supportAll[0]
		}
		reviewer := supportAll[0]
		if reviewer.ID == author.ID {
			reviewer = supportAll[1]
		}
		newest := now.Add(-time.Duration(6+9*i) * 24 * time.Hour).Truncate(time.Millisecond)
		var ver Version
		var infos []VersionInfo
		var content Content
		for k, v := range sa.Versions {
			major := k == 0 || (k == len(sa.Versions)-1 && sa.Major)
			ver = ver.Next(major)
			at := newest.Add(-time.Duration(len(sa.Versions)-1-k) * 150 * 24 * time.Hour)
			content = sa.Content
			content.Body = v.Body
			info := VersionInfo{Version: ver, Major: major, PublishedAt: at, Author: author, Reviewer: reviewer, ChangeNote: v.Note}
			if _, err := s.st.versions.InsertOne(ctx, storedVersion{ID: sa.Slug + ":" + ver.key(), Article: sa.Slug, Info: info, Content: content}); err != nil && !mongo.IsDuplicateKeyError(err) {
				return false, fmt.Errorf("seed version: %w", err)
			}
			infos = append(infos, info)
		}
		first := infos[0].PublishedAt
		h := &Head{ID: headID(sa.Slug, 1), Article: sa.Slug, Rev: 1, Op: "seed", At: newest, By: reviewer,
			CreatedAt: first, CreatedBy: author, Status: StatusPublished, Draft: content, UpdatedAt: newest,
			Published: &content, Version: ver, PublishedAt: newest, Versions: infos}
		if _, err := s.st.heads.InsertOne(ctx, h); err != nil && !mongo.IsDuplicateKeyError(err) {
			return false, fmt.Errorf("seed article: %w", err)
		}
		if !content.RequiresConfirmation {
			continue
		}
		// Staff in the audience confirmed the current major version (about
		// 60%), or, after a major change, mostly only the previous one.
		for _, p := range people {
			if p.Demo || len(p.Teams) == 0 {
				continue
			}
			in := content.Audience.Everyone
			for _, m := range p.Teams {
				in = in || slices.Contains(content.Audience.Teams, m.ID) || slices.Contains(content.Audience.Regions, m.RegionID)
			}
			for _, r := range p.Roles {
				in = in || slices.Contains(content.Audience.Roles, r)
			}
			if !in {
				continue
			}
			uid := p.ID
			x := seedHash(sa.Slug, p.Sub)
			major := ver.Major
			reconfirm := sa.Major && ver.Major > 1
			switch {
			case reconfirm && x < 0.2:
			case reconfirm && x < 0.85:
				major = ver.Major - 1
			case !reconfirm && x < 0.6:
			default:
				continue
			}
			at := newest.Add(time.Duration(1+int(x*20*24)) * time.Hour)
			if at.After(now) {
				at = now.Add(-time.Hour)
			}
			confirms = append(confirms, Confirmation{ID: fmt.Sprintf("%s:%d:%s", sa.Slug, major, uid), Article: sa.Slug, Major: major,
				Version: fmt.Sprintf("%d.0", major), UserID: uid, At: at})
		}
	}
	for len(confirms) > 0 {
		k := min(len(confirms), 500)
		if _, err := s.st.confirms.InsertMany(ctx, confirms[:k], options.InsertMany().SetOrdered(false)); err != nil && !mongo.IsDuplicateKeyError(err) {
			return false, fmt.Errorf("seed confirmations: %w", err)
		}
		confirms = confirms[k:]
	}
	if seeded {
		return true, s.load(ctx)
	}
	return false, nil
}
