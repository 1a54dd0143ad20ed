package streamlog_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/streamlog"
)

// refReplica records what a document change log asked it to read.
type refReplica struct {
	mu        sync.Mutex
	refreshed []streamlog.Ref
	reloads   int
}

func (r *refReplica) refresh(_ context.Context, x streamlog.Ref) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refreshed = append(r.refreshed, x)
	return nil
}

func (r *refReplica) reload(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reloads++
	return nil
}

func (r *refReplica) seen() ([]streamlog.Ref, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]streamlog.Ref(nil), r.refreshed...), r.reloads
}

// TestRefLogReadsWhatOtherInstancesWrote: an entry names documents, which
// the other instance reads (with the domain's write lock held) and the
// writer skips; an entry that names none reloads the other instance whole.
func TestRefLogReadsWhatOtherInstancesWrote(t *testing.T) {
	a, b := twoInstances(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bus := streamlog.NewBus(nil)
	var reps [2]refReplica
	var locks [2]sync.Mutex
	var logs [2]*streamlog.RefLog
	var done [2]chan int64
	for i, st := range []*store.Store{a, b} {
		var hook func(int64)
		hook, done[i] = applied()
		logs[i] = streamlog.FollowRefs(streamlog.NewPrunable(st.DB.Collection("refs"), "refs"), 0,
			streamlog.RefOptions{Name: "test", Refresh: reps[i].refresh, Reload: reps[i].reload, Lock: &locks[i]},
			streamlog.Options{Bus: bus, Poll: time.Hour, Applied: hook})
		go logs[i].Run(ctx)
	}
	doc := streamlog.Ref{C: "things", ID: "t1"}
	logs[0].Changed(ctx, doc)
	waitApplied(t, done[1], 1, streamlog.Poll, "the other instance applied entry 1")
	waitApplied(t, done[0], 1, streamlog.Poll, "the writer passed its own entry 1")
	if got, reloads := reps[1].seen(); len(got) != 1 || got[0] != doc || reloads != 0 {
		t.Fatalf("other instance read %v with %d reloads, want [%v] and none", got, reloads, doc)
	}
	if got, reloads := reps[0].seen(); len(got) != 0 || reloads != 0 {
		t.Fatalf("the writer read its own entry again: %v, %d reloads", got, reloads)
	}
	logs[1].Changed(ctx) // a seed: names no document
	waitApplied(t, done[0], 2, streamlog.Poll, "entry 2 applied by the first instance")
	if _, reloads := reps[0].seen(); reloads != 1 {
		t.Fatalf("an entry without documents gave %d reloads, want 1", reloads)
	}
	if n, err := logs[0].Prune(ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("prune: %d entries, %v; want 1 (the newest stays)", n, err)
	}
}
