package knowledge

import (
	"context"
	"fmt"

	"github.com/plein/plein/server/store"
)

// ImportedArticle is a published article with its history and its read
// confirmations, as a migration from another system brings it in (the demo
// knowledge base, server/demo, comes in this way too).
type ImportedArticle struct {
	ID       string            // the article's id (its slug)
	Versions []ImportedVersion // oldest first; the last is the current one
	// Confirmations of its major versions; imported with the article only.
	Confirmations []Confirmation
}

// ImportedVersion is one published version: who wrote and approved it and
// when (Info), and its content.
type ImportedVersion struct {
	Info    VersionInfo
	Content Content
}

// Import stores the articles that are not in the knowledge base yet, each
// as published at its last version (created by the first version's author,
// approved by the last version's reviewer), with its versions and
// confirmations, and returns how many it stored. Articles already there are
// left as they are. Every document has a fixed id and an insert that finds
// it present skips it, so a re-run after a failure half-way completes the
// import: the head, which makes an article exist, is written after its
// versions, and confirmations last.
func (s *Service) Import(ctx context.Context, arts []ImportedArticle) (int, error) {
	n := 0
	var versions, heads, confirms []any
	for _, a := range arts {
		if len(a.Versions) == 0 {
			return n, fmt.Errorf("import article %s: no versions", a.ID)
		}
		if h, err := findByID[Head](ctx, s.st.heads, headID(a.ID, 1)); err != nil {
			return n, err
		} else if h != nil {
			continue
		}
		var infos []VersionInfo
		for _, v := range a.Versions {
			versions = append(versions, storedVersion{ID: a.ID + ":" + v.Info.Version.key(), Article: a.ID, Info: v.Info, Content: v.Content})
			infos = append(infos, v.Info)
		}
		first, last := a.Versions[0].Info, a.Versions[len(a.Versions)-1]
		content := last.Content
		heads = append(heads, &Head{ID: headID(a.ID, 1), Article: a.ID, Rev: 1, Op: "import", At: last.Info.PublishedAt, By: last.Info.Reviewer,
			CreatedAt: first.PublishedAt, CreatedBy: first.Author, Status: StatusPublished, Draft: content, UpdatedAt: last.Info.PublishedAt,
			Published: &content, Version: last.Info.Version, PublishedAt: last.Info.PublishedAt, Versions: infos})
		n++
		for _, c := range a.Confirmations {
			confirms = append(confirms, c)
		}
	}
	// One batch per collection, in this order: every version before any
	// head, the heads before the confirmations.
	if err := store.InsertMissing(ctx, s.st.versions, versions); err != nil {
		return 0, fmt.Errorf("import versions: %w", err)
	}
	for _, h := range heads { // the index first: no revision unindexed
		if err := s.st.headPeople.Add(ctx, h.(*Head).ID, h.(*Head).people()...); err != nil {
			return 0, fmt.Errorf("import articles: %w", err)
		}
	}
	if err := store.InsertMissing(ctx, s.st.heads, heads); err != nil {
		return 0, fmt.Errorf("import articles: %w", err)
	}
	if err := store.InsertMissing(ctx, s.st.confirms, confirms); err != nil {
		return n, fmt.Errorf("import confirmations: %w", err)
	}
	if n > 0 {
		return n, s.load(ctx)
	}
	return 0, nil
}
