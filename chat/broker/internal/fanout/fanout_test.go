package fanout_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/plein/plein/chat/broker"
	"github.com/plein/plein/chat/broker/internal/fanout"
)

func TestReferenceCounts(t *testing.T) {
	r := fanout.New(0)
	nop := func(string, []byte) {}

	s1, fresh, err := r.Add([]string{"a", "b", "a"}, nop)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Sort(fresh); !slices.Equal(fresh, []string{"a", "b"}) {
		t.Errorf("first Add: fresh = %v, want [a b]", fresh)
	}
	s2, fresh, _ := r.Add([]string{"b", "c"}, nop)
	if !slices.Equal(fresh, []string{"c"}) {
		t.Errorf("second Add: fresh = %v, want [c]", fresh)
	}

	gone := r.Remove(s1)
	if !slices.Equal(gone, []string{"a"}) {
		t.Errorf("Remove(s1) = %v, want [a]", gone)
	}
	if gone := r.Remove(s1); gone != nil {
		t.Errorf("second Remove(s1) = %v, want nil", gone)
	}
	gone = r.Remove(s2)
	if slices.Sort(gone); !slices.Equal(gone, []string{"b", "c"}) {
		t.Errorf("Remove(s2) = %v, want [b c]", gone)
	}
	if r.HasTopic("b") {
		t.Error("HasTopic(b) after removing every subscription")
	}
}

func TestClosed(t *testing.T) {
	r := fanout.New(1)
	s, _, _ := r.Add([]string{"a"}, func(string, []byte) {})
	r.Close()
	r.Close()
	if gone := r.Remove(s); gone != nil {
		t.Errorf("Remove after Close = %v", gone)
	}
	if _, _, err := r.Add([]string{"a"}, func(string, []byte) {}); !errors.Is(err, broker.ErrClosed) {
		t.Errorf("Add after Close: %v, want ErrClosed", err)
	}
	if n := r.Deliver("a", nil); n != 0 {
		t.Errorf("Deliver after Close reached %d subscriptions", n)
	}
}
