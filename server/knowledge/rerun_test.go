package knowledge

import (
	"context"
	"errors"
	"testing"

	"github.com/plein/plein/server/apperr"
)

var errCrash = errors.New("injected: the store connection was lost")

// crashAfter makes h's next multi-document write stop after step, once.
func (h *harness) crashAfter(step string) {
	h.svc.faultAfter = func(s string) error {
		if s != step {
			return nil
		}
		h.svc.faultAfter = nil
		return errCrash
	}
}

// TestApproveRerunAfterFailure: publishing writes the version, then the
// head, then the change-log entry. A failure after any of them must leave an
// approval that can simply be run again (on the same instance, or after a
// restart), with one version published and every instance following it.
func TestApproveRerunAfterFailure(t *testing.T) {
	for _, step := range []string{"approve.version", "head"} {
		t.Run(step, func(t *testing.T) {
			ctx := context.Background()
			h := newHarness(t)
			other := newHarnessOn(t, h.st)
			a, err := h.svc.Create(ctx, ilse, input("Decubitus voorkomen"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := h.svc.Submit(ctx, ilse, a.ID, SubmitInput{}); err != nil {
				t.Fatal(err)
			}
			h.crashAfter(step)
			if _, err := h.svc.Approve(ctx, omar, a.ID, ReviewInput{}); !errors.Is(err, errCrash) {
				t.Fatalf("approve with a failure after %s: %v", step, err)
			}
			// The reviewer tries again.
			got, err := h.svc.Approve(ctx, omar, a.ID, ReviewInput{})
			if err != nil {
				t.Fatalf("re-run after a failure after %s: %v", step, err)
			}
			if got.Status != StatusPublished || got.Version != "1.0" || len(got.Versions) != 1 {
				t.Fatalf("re-run: status %s version %s versions %d", got.Status, got.Version, len(got.Versions))
			}
			// Another instance follows the log to the same state.
			if err := other.svc.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			if o, err := other.svc.Get(anouk, a.ID); err != nil || o.Version != "1.0" {
				t.Fatalf("other instance: %v %+v", err, o)
			}
			// And later changes go through everywhere.
			if c := h.change(t, a.ID, "## Stappen\n\n1. Wisselligging\n", true); c.Version != "2.0" {
				t.Fatalf("next change published %s, want 2.0", c.Version)
			}
		})
	}
}

// TestHeadStoredButNotLogged: a write that stored its head and failed
// before the change-log entry leaves a head that only a restarted instance
// would read. The next write on any instance finds the revision taken,
// announces the stored head and reports the conflict; after a reload the
// write goes through, and every instance sees the same article.
func TestHeadStoredButNotLogged(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	other := newHarnessOn(t, h.st)
	a := h.publish(t, input("Valpreventie"))
	if err := other.svc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	h.crashAfter("head")
	if _, err := h.svc.Archive(ctx, yvonne, a.ID); !errors.Is(err, errCrash) {
		t.Fatalf("archive with a failure after the head: %v", err)
	}
	// The other instance does not know yet; its write meets the taken
	// revision, which it announces.
	if _, err := other.svc.Archive(ctx, yvonne, a.ID); err == nil || !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("write over an unlogged head: %v, want a conflict", err)
	}
	for _, inst := range []*harness{h, other} {
		if err := inst.svc.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		got, err := inst.svc.Get(yvonne, a.ID)
		if err != nil || got.Status != StatusArchived {
			t.Fatalf("after the repair: %v %+v", err, got)
		}
	}
	if _, err := other.svc.Restore(ctx, yvonne, a.ID); err != nil {
		t.Fatalf("restore after the repair: %v", err)
	}
}
