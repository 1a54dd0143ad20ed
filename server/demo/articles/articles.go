// Package articles holds the demo knowledge base: one Markdown file per
// article with front matter (NN-slug.md) and its older versions
// (NN-slug.vK.md), and Parse, which reads them as plain data. server/demo
// loads them into the knowledge base (development only); knowledge and
// search tests use them as a fixture. It imports no domain.
package articles

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// FS holds the article files at its root.
//
//go:embed *.md
var FS embed.FS

// Article is one demo article: its front matter and its versions. The
// fields are the knowledge base's article content.
type Article struct {
	Slug                 string
	Title                string
	Summary              string
	Category             string
	Type                 string
	Tags                 []string
	Owner                string   // the support service that owns it: kwaliteit, hr, ict, …
	Audience             Audience // who it is for
	RequiresConfirmation bool
	ReviewDue            string // yyyy-mm-dd
	Related              []string
	ExternalURL          string
	Versions             []Version // oldest first; the last is the newest
	Major                bool      // the newest version is a major change
}

// Audience is who an article is for: everyone, or some regions, teams or roles.
type Audience struct {
	Everyone              bool
	Regions, Teams, Roles []string
}

// Version is the body of one version with its change note.
type Version struct {
	Body, Note string
}

// Parse reads the demo articles in fsys (FS, or a test's own files):
// NN-slug.md with front matter, and NN-slug.vK.md for older versions.
func Parse(fsys fs.FS) ([]Article, error) {
	entries, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(entries)
	var out []Article
	for _, name := range entries {
		if strings.Count(path.Base(name), ".") > 1 { // NN-slug.vK.md: an older version
			continue
		}
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		a, n, err := parse(string(raw))
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
			a.Versions = append(a.Versions, Version{Body: strings.TrimSpace(body) + "\n", Note: note})
		}
		// The main file is the newest version: it goes last.
		a.Versions = append(slices.Clone(a.Versions[1:]), a.Versions[0])
		out = append(out, a)
	}
	return out, nil
}

// parse reads front matter and body; n is the number of versions.
func parse(raw string) (Article, int, error) {
	var a Article
	rest, ok := strings.CutPrefix(raw, "---\n")
	if !ok {
		return a, 0, fmt.Errorf("no front matter")
	}
	fm, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		return a, 0, fmt.Errorf("front matter not closed")
	}
	n := 1
	c := &a
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
	a.Versions = []Version{{Body: strings.TrimSpace(body) + "\n", Note: change}}
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
