package chat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store/storetest"
)

// faultStore wraps a Store's InsertMany: it counts calls per collection,
// can hold the next entries insert until released, and can fail documents.
type faultStore struct {
	mu      sync.Mutex
	calls   map[string]int
	gate    chan struct{} // the next entries insert waits for it to close
	held    chan struct{} // closed when an insert waits at the gate
	failDoc func(doc any) error
	// failAfter fails the whole entries request after it was written (a
	// timeout after the write).
	failAfter error
}

func newFaultStore(t *testing.T) (*Store, *faultStore) {
	st := NewStore(storetest.New(t))
	f := &faultStore{calls: map[string]int{}}
	real := st.insertMany
	st.insertMany = func(ctx context.Context, c *mongo.Collection, docs []any, ordered bool) ([]error, error) {
		f.mu.Lock()
		f.calls[c.Name()]++
		var gate, held chan struct{}
		var failDoc func(any) error
		var failAfter error
		if c.Name() == entriesColl {
			gate, held, f.gate = f.gate, f.held, nil
			failDoc, failAfter = f.failDoc, f.failAfter
		}
		f.mu.Unlock()
		if gate != nil {
			close(held)
			<-gate
		}
		for i, d := range docs {
			if failDoc == nil {
				break
			}
			if err := failDoc(d); err != nil {
				out := make([]error, 0, len(docs))
				if i > 0 {
					var rerr error
					if out, rerr = real(ctx, c, docs[:i], ordered); rerr != nil {
						return nil, rerr
					}
				}
				out = append(out, err)
				for range docs[i+1:] {
					out = append(out, errNotTried)
				}
				return out, nil
			}
		}
		out, err := real(ctx, c, docs, ordered)
		if err == nil && failAfter != nil && errors.Join(out...) == nil {
			return nil, failAfter
		}
		return out, err
	}
	return st, f
}

// hold makes the next entries insert wait; it returns a release function
// once an Append is held there.
func (f *faultStore) hold(t *testing.T, s *Service) func() {
	t.Helper()
	gate, held := make(chan struct{}), make(chan struct{})
	f.mu.Lock()
	f.gate, f.held = gate, held
	f.mu.Unlock()
	go func() {
		_, _ = s.Append(context.Background(), "a1", Input{Ch: "t-alpha", ClientID: "first", Kind: EntryMsg, Body: "first"})
	}()
	<-held
	return func() { close(gate) }
}

func (f *faultStore) count(coll string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[coll]
}

// queued waits until n sends wait for the committer.
func queued(t *testing.T, s *Service, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(s.sendQ) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d sends queued, want %d", len(s.sendQ), n)
		}
		time.Sleep(time.Millisecond)
	}
}

type sendOutcome struct {
	cid string
	res *AppendResult
	err error
}

// sendAll appends one message per client id, concurrently, once the
// committer holds its first batch, and returns when all are answered.
func sendAll(t *testing.T, s *Service, f *faultStore, cids []string) map[string]sendOutcome {
	t.Helper()
	release := f.hold(t, s)
	out := make(chan sendOutcome, len(cids))
	for _, cid := range cids {
		go func() {
			res, err := s.Append(context.Background(), "a2", Input{Ch: "t-alpha", ClientID: cid, Kind: EntryMsg, Body: "body " + cid})
			out <- sendOutcome{cid, res, err}
		}()
	}
	queued(t, s, len(cids))
	release()
	got := map[string]sendOutcome{}
	for range cids {
		o := <-out
		got[o.cid] = o
	}
	return got
}

func cidList(n int, prefix string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

// storedSeqs checks the channel's log is 1..n without gaps, each client id once.
func storedSeqs(t *testing.T, s *Service, n int) map[string]int64 {
	t.Helper()
	es, more, err := s.Sync(context.Background(), "a1", "t-alpha", 0, 200)
	if err != nil || more || len(es) != n {
		t.Fatalf("sync: %d entries (want %d), more=%v, %v", len(es), n, more, err)
	}
	seqs := map[string]int64{}
	for i, e := range es {
		if e.Seq != int64(i+1) {
			t.Fatalf("entry %d has seq %d: a gap", i, e.Seq)
		}
		if _, dup := seqs[e.ClientID]; dup {
			t.Fatalf("client id %s stored twice", e.ClientID)
		}
		seqs[e.ClientID] = e.Seq
	}
	return seqs
}

func TestGroupCommitOneInsertPerCollection(t *testing.T) {
	st, f := newFaultStore(t)
	s := newSvc(t, st)
	got := sendAll(t, s, f, cidList(20, "c"))
	for cid, o := range got {
		if o.err != nil || o.res.Duplicate {
			t.Fatalf("%s: %+v %v", cid, o.res, o.err)
		}
	}
	// The held first send and one batch of twenty.
	if c, e := f.count(sendsColl), f.count(entriesColl); c != 2 || e != 2 {
		t.Fatalf("InsertMany calls: %d of claims, %d of entries; want 2 and 2", c, e)
	}
	if f.count(sendsDoneColl) != 0 {
		t.Fatal("a completion record was written")
	}
	seqs := storedSeqs(t, s, 21)
	for cid, o := range got {
		if seqs[cid] != o.res.Entry.Seq {
			t.Fatalf("%s acked as %d, stored as %d", cid, o.res.Entry.Seq, seqs[cid])
		}
	}
}

func TestGroupCommitFailureFailsOnlyItsSend(t *testing.T) {
	st, f := newFaultStore(t)
	s := newSvc(t, st)
	f.failDoc = func(d any) error {
		if e, ok := d.(*Entry); ok && e.ClientID == "bad" {
			return errors.New("injected: disk full")
		}
		return nil
	}
	cids := append(cidList(10, "c"), "bad")
	got := sendAll(t, s, f, cids)
	for cid, o := range got {
		switch {
		case cid == "bad" && !errors.Is(o.err, apperr.ErrUnavailable):
			t.Fatalf("the failed send: %+v %v, want unavailable", o.res, o.err)
		case cid != "bad" && o.err != nil:
			t.Fatalf("%s failed with the other: %v", cid, o.err)
		}
	}
	storedSeqs(t, s, 11)
	// The client retries with the same clientId once the store is well:
	// stored once, at the next seq.
	f.mu.Lock()
	f.failDoc = nil
	f.mu.Unlock()
	r, err := s.Append(context.Background(), "a2", Input{Ch: "t-alpha", ClientID: "bad", Kind: EntryMsg, Body: "body bad"})
	if err != nil || r.Duplicate || r.Entry.Seq != 12 {
		t.Fatalf("retry: %+v %v", r, err)
	}
	storedSeqs(t, s, 12)
}

func TestGroupCommitRetryAfterUncertainWrite(t *testing.T) {
	st, f := newFaultStore(t)
	s := newSvc(t, st)
	f.failAfter = errors.New("injected: timeout after the write")
	got := sendAll(t, s, f, cidList(8, "c"))
	for cid, o := range got {
		if !errors.Is(o.err, apperr.ErrUnavailable) {
			t.Fatalf("%s: %+v %v, want unavailable", cid, o.res, o.err)
		}
	}
	f.mu.Lock()
	f.failAfter = nil
	f.mu.Unlock()
	seqs := storedSeqs(t, s, 9) // the held first send failed too, after its write
	// Retries, here and on another instance (no memory of the sends):
	// each is recognised as stored, with its seq, and nothing is stored twice.
	other := newSvc(t, st)
	for i, cid := range append(cidList(8, "c"), "first") {
		svc, user := s, "a2"
		if i%2 == 1 {
			svc = other
		}
		if cid == "first" {
			user = "a1"
		}
		r, err := svc.Append(context.Background(), user, Input{Ch: "t-alpha", ClientID: cid, Kind: EntryMsg, Body: "again"})
		if err != nil || !r.Duplicate || r.Entry.Seq != seqs[cid] {
			t.Fatalf("retry of %s: %+v %v, want duplicate of %d", cid, r, err, seqs[cid])
		}
	}
	storedSeqs(t, s, 9)
	if !strings.Contains(fmt.Sprint(f.calls), entriesColl) {
		t.Fatal("no entries were inserted")
	}
}

func TestGroupCommitWindowWaitsForMoreSends(t *testing.T) {
	st, f := newFaultStore(t)
	s := newSvc(t, st)
	// A window far longer than the test: the batch closes when GroupMax
	// sends are in it, so all five are stored together.
	s.GroupWindow, s.GroupMax = time.Hour, 5
	var wg sync.WaitGroup
	for _, cid := range cidList(5, "w") {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Append(context.Background(), "a2", Input{Ch: "t-alpha", ClientID: cid, Kind: EntryMsg, Body: cid}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if c, e := f.count(sendsColl), f.count(entriesColl); c != 1 || e != 1 {
		t.Fatalf("InsertMany calls: %d of claims, %d of entries; want 1 and 1", c, e)
	}
	storedSeqs(t, s, 5)
}
