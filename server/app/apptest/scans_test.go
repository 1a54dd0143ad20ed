package apptest

import (
	"strings"
	"testing"

	"github.com/plein/plein/server/store"
)

func TestScanViolations(t *testing.T) {
	got := scanViolations(map[store.ScanKey]int64{
		{Collection: "chat_entries", Command: "find", Request: true}:        2,
		{Collection: "chat_entries", Command: "find", Request: false}:       9, // start-up load
		{Collection: "teams", Command: "find", Request: true}:               1, // bounded
		{Collection: "access_log_20261206", Command: "find", Request: true}: 3, // one day
		{Collection: "teamspace_posts", Command: "update", Request: true}:   1,
	})
	if len(got) != 2 || !strings.Contains(got[0], `"chat_entries"`) || !strings.Contains(got[1], `"teamspace_posts"`) {
		t.Fatalf("violations: %q", got)
	}
}
