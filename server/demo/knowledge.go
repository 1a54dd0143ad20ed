package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/plein/plein/server/demo/articles"
	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/knowledge"
)

// The knowledge base's demo content: the articles in demo/articles, written
// by the support service that owns them and approved by a colleague, with a
// believable share of read confirmations by the organisation's staff. It
// goes in through knowledge.Service.Import.

// seedKnowledge stores the demo articles that are not there yet. Dates
// follow from now: the newest article was published six days ago.
func seedKnowledge(ctx context.Context, d Deps) (bool, error) {
	arts, err := articles.Parse(articles.FS)
	if err != nil {
		return false, fmt.Errorf("demo articles: %w", err)
	}
	in, err := KnowledgeArticles(arts, d.Issuer, d.Now())
	if err != nil {
		return false, err
	}
	n, err := d.Knowledge.Import(ctx, in)
	return n > 0, err
}

// KnowledgeArticles are the demo articles as the knowledge base imports
// them, with their authors, dates and confirmations; issuer fixes the
// people's user ids.
func KnowledgeArticles(arts []articles.Article, issuer string, now time.Time) ([]knowledge.ImportedArticle, error) {
	people := knowledgePeople(issuer)
	support := map[string]knowledge.PersonRef{}
	var supportAll []knowledge.PersonRef
	for _, p := range people {
		if !slices.Contains(p.Roles, string(identity.RoleOndersteunendeDienst)) {
			continue
		}
		ref := knowledge.PersonRef{ID: p.ID, Name: p.Name}
		supportAll = append(supportAll, ref)
		d := strings.ToLower(p.Description)
		for _, o := range []struct{ key, word string }{{"kwaliteit", "kwaliteit"}, {"hr", "hr"}, {"ict", "ict"}, {"financien", "financiën"}, {"communicatie", "communicatie"}} {
			if _, ok := support[o.key]; !ok && strings.Contains(d, o.word) {
				support[o.key] = ref
			}
		}
	}
	if len(supportAll) < 2 {
		return nil, fmt.Errorf("seed: the demo organisation has fewer than two support staff")
	}
	var out []knowledge.ImportedArticle
	for i, sa := range arts {
		author, ok := support[sa.Owner]
		if !ok {
			author = supportAll[0]
		}
		reviewer := supportAll[0]
		if reviewer.ID == author.ID {
			reviewer = supportAll[1]
		}
		newest := now.Add(-time.Duration(6+9*i) * 24 * time.Hour).Truncate(time.Millisecond)
		ia := knowledge.ImportedArticle{ID: sa.Slug}
		var ver knowledge.Version
		var content knowledge.Content
		for k, v := range sa.Versions {
			major := k == 0 || (k == len(sa.Versions)-1 && sa.Major)
			ver = ver.Next(major)
			at := newest.Add(-time.Duration(len(sa.Versions)-1-k) * 150 * 24 * time.Hour)
			content = ArticleContent(sa, v)
			info := knowledge.VersionInfo{Version: ver, Major: major, PublishedAt: at, Author: author, Reviewer: reviewer, ChangeNote: v.Note}
			ia.Versions = append(ia.Versions, knowledge.ImportedVersion{Info: info, Content: content})
		}
		if content.RequiresConfirmation {
			ia.Confirmations = confirmations(sa, people, ver, newest, now)
		}
		out = append(out, ia)
	}
	return out, nil
}

// ArticleContent is an article's content at one of its versions.
func ArticleContent(a articles.Article, v articles.Version) knowledge.Content {
	return knowledge.Content{Title: a.Title, Summary: a.Summary, Category: a.Category, Type: a.Type, Tags: a.Tags, Owner: a.Owner,
		Audience: knowledge.Audience{Everyone: a.Audience.Everyone, Regions: a.Audience.Regions, Teams: a.Audience.Teams, Roles: a.Audience.Roles},
		Body:     v.Body, RequiresConfirmation: a.RequiresConfirmation, ReviewDue: a.ReviewDue, Related: a.Related, ExternalURL: a.ExternalURL}
}

// confirmations: staff in the audience confirmed the current major version
// (about 60%), or, after a major change, mostly only the previous one.
// Demo logins have confirmed nothing, so they see what is pending.
func confirmations(sa articles.Article, people []knowledgePerson, ver knowledge.Version, newest, now time.Time) []knowledge.Confirmation {
	var out []knowledge.Confirmation
	aud := sa.Audience
	for _, p := range people {
		if p.Demo || len(p.Teams) == 0 {
			continue
		}
		in := aud.Everyone
		for _, m := range p.Teams {
			in = in || slices.Contains(aud.Teams, m.ID) || slices.Contains(aud.Regions, m.RegionID)
		}
		for _, r := range p.Roles {
			in = in || slices.Contains(aud.Roles, r)
		}
		if !in {
			continue
		}
		x := stableHash(sa.Slug, p.Sub)
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
		out = append(out, knowledge.Confirmation{ID: fmt.Sprintf("%s:%d:%s", sa.Slug, major, p.ID), Article: sa.Slug, Major: major,
			Version: fmt.Sprintf("%d.0", major), UserID: p.ID, At: at})
	}
	return out
}

// stableHash is a stable pseudo-random number in [0,1) for a key.
func stableHash(parts ...string) float64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return float64(h.Sum64()%10000) / 10000
}

// knowledgePerson is a person of the demo organisation as the knowledge
// base's demo content needs them.
type knowledgePerson struct {
	ID, Sub, Name string
	Roles         []string
	Teams         []struct{ ID, RegionID string }
	Description   string // their position; support staff's names their service
	Demo          bool   // a demo login
}

func knowledgePeople(issuer string) []knowledgePerson {
	region := map[string]string{}
	for _, t := range orgdata.Teams() {
		region[t.ID] = t.RegionID
	}
	var out []knowledgePerson
	for _, p := range orgdata.People() {
		kp := knowledgePerson{ID: identity.UserID(issuer, p.Sub), Sub: p.Sub, Name: p.Name, Roles: p.Roles, Description: p.DemoDescription, Demo: p.Demo}
		for _, m := range p.Teams {
			kp.Teams = append(kp.Teams, struct{ ID, RegionID string }{m.TeamID, region[m.TeamID]})
		}
		out = append(out, kp)
	}
	return out
}
