package demo_test

import (
	"testing"

	"github.com/plein/plein/server/demo"
	"github.com/plein/plein/server/demo/articles"
	"github.com/plein/plein/server/identifiers"
)

// TestSeedContentFalsePositives measures the guard on the demo content,
// which holds no client identifiers: every finding there is a false
// positive. The numbers go into docs/security.md.
func TestSeedContentFalsePositives(t *testing.T) {
	texts := demo.SpaceTexts()
	spaceTexts := len(texts)
	arts, err := articles.Parse(articles.FS)
	if err != nil {
		t.Fatal(err)
	}
	versions := 0
	for _, a := range arts {
		texts = append(texts, a.Title, a.Summary)
		for _, v := range a.Versions {
			texts = append(texts, v.Body)
			versions++
		}
	}
	bytes, flagged := 0, 0
	for _, s := range texts {
		bytes += len(s)
		for _, f := range identifiers.Find(s) {
			flagged++
			// Only in the test, on demo text: say where, to fix the rule.
			t.Errorf("false positive %s: %q", f.Kind, s[max(0, f.Start-30):min(len(s), f.End+10)])
		}
	}
	t.Logf("demo content: %d team-space texts, %d articles (%d versions), %d texts, %d KiB: %d findings",
		spaceTexts, len(arts), versions, len(texts), bytes/1024, flagged)
}
