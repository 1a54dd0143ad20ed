// Package articles holds the demo knowledge base: one Markdown file per
// article with front matter (NN-slug.md) and its older versions
// (NN-slug.vK.md), parsed by knowledge.SeedArticles. server/demo loads them
// (development only); knowledge and search tests use them as a fixture.
package articles

import "embed"

// FS holds the article files at its root.
//
//go:embed *.md
var FS embed.FS
