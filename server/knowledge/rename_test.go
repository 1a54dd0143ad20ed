package knowledge

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRenameInMemory (issue 16): after an erasure renamed a person in the
// store, the article heads this instance holds show the new name at once
// (author, reviewer, editors), not the old one until a restart.
func TestRenameInMemory(t *testing.T) {
	h := newHarness(t)
	a := h.publish(t, input("Valpreventie"))
	show := func() string {
		got, err := h.svc.Get(ilse, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(got)
		return string(b)
	}
	if s := show(); !strings.Contains(s, ilse.Name) {
		t.Fatalf("before: %s", s)
	}
	h.svc.RenameInMemory(ilse.UserID, "Oud-medewerker 1A2B")
	if s := show(); strings.Contains(s, ilse.Name) || !strings.Contains(s, "Oud-medewerker 1A2B") {
		t.Fatalf("after the rename: %s", s)
	}
}
