package chat

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/store/storetest"
)

// fakeDir is a two-team directory.
type fakeDir struct{}

func (fakeDir) TeamsOf(u string) []string {
	if strings.HasPrefix(u, "a") {
		return []string{"alpha"}
	}
	return []string{"beta"}
}
func (fakeDir) TeamMembers(t string) []string { return []string{"a1", "a2"} }
func (fakeDir) Team(t string) (string, bool) {
	return strings.ToUpper(t), t == "alpha" || t == "beta"
}
func (fakeDir) Person(u string) (string, bool) { return "Person " + u, u != "" }
func (fakeDir) People(string, int) []Person    { return nil }
func (fakeDir) RegionsOf(string) []string      { return nil }

func newSvc(t *testing.T, st *Store) *Service {
	t.Helper()
	s, err := NewService(context.Background(), st, fakeDir{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLastSeqProbe(t *testing.T) {
	st := NewStore(storetest.New(t))
	ctx := context.Background()
	for _, n := range []int64{0, 1, 2, 3, 7, 8, 9, 100} {
		ch := fmt.Sprintf("t-probe%d", n)
		for seq := int64(1); seq <= n; seq++ {
			if err := st.insertEntry(ctx, &Entry{ID: EntryID(ch, seq), Ch: ch, Seq: seq, Kind: EntryMsg}); err != nil {
				t.Fatal(err)
			}
		}
		for _, known := range []int64{0, n / 2, n} {
			got, err := st.lastSeq(ctx, ch, known)
			if err != nil || got != n {
				t.Fatalf("n=%d known=%d: got %d %v", n, known, got, err)
			}
		}
	}
}

// Two service instances (two servers) appending to one channel at once:
// every append gets a distinct sequence, and the log is 1..N with no gaps.
func TestConcurrentAppendsFromTwoInstances(t *testing.T) {
	st := NewStore(storetest.New(t))
	a, b := newSvc(t, st), newSvc(t, st)
	ctx := context.Background()
	const per = 30
	var mu sync.Mutex
	seqs := map[int64]string{}
	var wg sync.WaitGroup
	for i, svc := range []*Service{a, b} {
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < per; k++ {
					cid := fmt.Sprintf("i%d-w%d-%d", i, w, k)
					res, err := svc.Append(ctx, "a1", Input{Ch: "t-alpha", ClientID: cid, Kind: EntryMsg, Body: "m " + cid})
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if prev, dup := seqs[res.Entry.Seq]; dup {
						t.Errorf("seq %d given to %s and %s", res.Entry.Seq, prev, cid)
					}
					seqs[res.Entry.Seq] = cid
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	total := int64(2 * 3 * per)
	es, more, err := a.Sync(ctx, "a2", "t-alpha", 0, 200)
	if err != nil || more || int64(len(es)) != total {
		t.Fatalf("sync: %d entries, more=%v, err=%v", len(es), more, err)
	}
	for i, e := range es {
		if e.Seq != int64(i+1) || seqs[e.Seq] != e.ClientID {
			t.Fatalf("entry %d: seq %d cid %s (acked %s)", i, e.Seq, e.ClientID, seqs[e.Seq])
		}
	}
	// Instance b learns of a's entries it never observed through a broker: by probing.
	es, _, err = b.History(ctx, "a1", "t-alpha", 0, 10)
	if err != nil || len(es) != 10 || es[9].Seq != total {
		t.Fatalf("history on b: %d entries, last %v, %v", len(es), es, err)
	}
}

func TestAppendRulesAndIdempotency(t *testing.T) {
	st := NewStore(storetest.New(t))
	s := newSvc(t, st)
	ctx := context.Background()
	r, err := s.Append(ctx, "a1", Input{Ch: "t-alpha", ClientID: "x", Kind: EntryMsg, Body: "hallo <script>alert(1)</script>"})
	if err != nil || r.Duplicate || strings.Contains(r.Entry.HTML, "<script") {
		t.Fatalf("%+v %v", r, err)
	}
	// Same client id from a fresh instance (cache empty): found in the store.
	s2 := newSvc(t, st)
	r2, err := s2.Append(ctx, "a1", Input{Ch: "t-alpha", ClientID: "x", Kind: EntryMsg, Body: "again"})
	if err != nil || !r2.Duplicate || r2.Entry.Seq != r.Entry.Seq {
		t.Fatalf("retry on other instance: %+v %v", r2, err)
	}
	cases := []struct {
		user string
		in   Input
		want string
	}{
		{"b1", Input{Ch: "t-alpha", ClientID: "y", Kind: EntryMsg, Body: "x"}, "not found"},
		{"a1", Input{Ch: "t-alpha", ClientID: "", Kind: EntryMsg, Body: "x"}, "clientId"},
		{"a1", Input{Ch: "t-alpha", ClientID: "z", Kind: EntryMsg, Body: "   "}, "empty"},
		{"a1", Input{Ch: "t-alpha", ClientID: "z", Kind: EntryMsg, Body: "x", Reply: 99}, "reply"},
		{"a1", Input{Ch: "t-alpha", ClientID: "z", Kind: EntryReact, Target: 1, Emoji: "🍕"}, "emoji"},
		{"a2", Input{Ch: "t-alpha", ClientID: "z", Kind: EntryEdit, Target: 1, Body: "mine now"}, "author"},
		{"a2", Input{Ch: "t-alpha", ClientID: "z", Kind: EntryDelete, Target: 1}, "author"},
		{"a1", Input{Ch: "t-alpha", ClientID: "z", Kind: EntryEdit, Target: 42, Body: "x"}, "target"},
	}
	for _, c := range cases {
		_, err := s.Append(ctx, c.user, c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v by %s: got %v, want %q", c.in, c.user, err, c.want)
		}
	}
	es, _, _ := s.Sync(ctx, "a1", "t-alpha", 0, 100)
	if len(es) != 1 {
		t.Fatalf("refused writes were stored: %d entries", len(es))
	}
}

func TestReadMarkersAndUnread(t *testing.T) {
	st := NewStore(storetest.New(t))
	s := newSvc(t, st)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		body := fmt.Sprintf("m%d", i)
		if i == 4 {
			body = "@team let op"
		}
		if _, err := s.Append(ctx, "a2", Input{Ch: "t-alpha", ClientID: body, Kind: EntryMsg, Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := s.Summary(ctx, "a1", "t-alpha")
	if err != nil || sum.Unread != 5 || sum.Mentions != 1 || sum.LastSeq != 5 {
		t.Fatalf("%+v %v", sum, err)
	}
	if moved, err := s.MarkRead(ctx, "a1", "t-alpha", 3); !moved || err != nil {
		t.Fatal(moved, err)
	}
	if moved, _ := s.MarkRead(ctx, "a1", "t-alpha", 2); moved {
		t.Fatal("marker moved back")
	}
	// Another instance reads the marker from the store.
	s2 := newSvc(t, st)
	sum, _ = s2.Summary(ctx, "a1", "t-alpha")
	if sum.ReadSeq != 3 || sum.Unread != 2 {
		t.Fatalf("after read: %+v", sum)
	}
	if _, err := s.MarkRead(ctx, "b1", "t-alpha", 3); err == nil {
		t.Fatal("outsider moved a marker")
	}
	// A marker past the last message (e.g. seq 2^63-1) stops at the last
	// message, on an instance that has not seen the channel yet as well.
	s3 := newSvc(t, st)
	if moved, err := s3.MarkRead(ctx, "a1", "t-alpha", math.MaxInt64); !moved || err != nil {
		t.Fatal(moved, err)
	}
	sum, _ = s3.Summary(ctx, "a1", "t-alpha")
	if sum.ReadSeq != 5 || sum.Unread != 0 {
		t.Fatalf("after reading past the end: %+v", sum)
	}
}

func TestDeleteRemovesTextEverywhere(t *testing.T) {
	st := NewStore(storetest.New(t))
	a, b := newSvc(t, st), newSvc(t, st)
	ctx := context.Background()
	r, err := a.Append(ctx, "a1", Input{Ch: "t-alpha", ClientID: "m", Kind: EntryMsg, Body: "adres mevrouw J: Dorpsstraat 1", AcknowledgeIdentifiers: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.History(ctx, "a2", "t-alpha", 0, 10); err != nil { // b caches the window
		t.Fatal(err)
	}
	del, err := a.Append(ctx, "a1", Input{Ch: "t-alpha", ClientID: "d", Kind: EntryDelete, Target: r.Entry.Seq})
	if err != nil {
		t.Fatal(err)
	}
	b.Observe(del.Entry) // as the broker would deliver it
	for name, svc := range map[string]*Service{"a": a, "b": b, "fresh": newSvc(t, st)} {
		es, _, err := svc.Sync(ctx, "a2", "t-alpha", 0, 10)
		if err != nil || len(es) != 2 {
			t.Fatalf("%s: %v %v", name, es, err)
		}
		if m := es[0]; m.Body != "" || m.HTML != "" || !m.Deleted {
			t.Fatalf("%s still serves deleted text: %+v", name, m)
		}
	}
}

// TestMembershipChangesFromTwoInstances: joins and leaves made at the same
// moment through two instances all land (each is one atomic update), and a
// reload never puts an older snapshot over a newer change. Before the
// atomic updates, each instance rewrote the member list from its own memory
// and most simultaneous joins were lost.
func TestMembershipChangesFromTwoInstances(t *testing.T) {
	st := NewStore(storetest.New(t))
	a, b := newSvc(t, st), newSvc(t, st)
	ctx := context.Background()
	c, err := a.CreateChannel(ctx, "a1", KindOpen, "Wondzorg", "", false)
	if err != nil {
		t.Fatal(err)
	}
	// b learns of the channel as it would from the broker's event.
	if _, err := b.ReloadChannels(ctx); err != nil {
		t.Fatal(err)
	}
	const n = 24
	user := func(i int) string { return fmt.Sprintf("u%02d", i) }
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc := []*Service{a, b}[i%2]
			if _, err := svc.Join(ctx, user(i), c.ID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// The broker's "members changed" events reach both instances.
	for _, svc := range []*Service{a, b} {
		if _, err := svc.ReloadChannels(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Every other joiner leaves again, through the other instance, while
	// new people join: both kinds of change at once.
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc := []*Service{b, a}[i%2]
			var err error
			if i%2 == 0 {
				_, err = svc.Leave(ctx, user(i), c.ID)
			} else {
				_, err = svc.Join(ctx, user(n+i), c.ID)
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	want := []string{"a1"}
	for i := range n {
		if i%2 == 1 {
			want = append(want, user(i), user(n+i))
		}
	}
	slices.Sort(want)
	for name, svc := range map[string]*Service{"a": a, "b": b} {
		if _, err := svc.ReloadChannels(ctx); err != nil {
			t.Fatal(err)
		}
		got := slices.Clone(svc.Members(c.ID))
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("instance %s: %d members %v\nwant %d %v", name, len(got), got, len(want), want)
		}
	}

	// An older snapshot never replaces a newer change: a's memory is ahead
	// of what b stored before; putting b's older copy back changes nothing.
	old, _ := b.channel(c.ID)
	if _, err := a.Join(ctx, "late", c.ID); err != nil {
		t.Fatal(err)
	}
	a.putChannel(old)
	if !a.IsMember("late", c.ID) {
		t.Error("an older copy of the channel replaced a newer one")
	}
}

// Likely client identifiers are refused unless acknowledged (send and edit).
func TestAppendRefusesIdentifiersWithoutAcknowledgement(t *testing.T) {
	s := newSvc(t, NewStore(storetest.New(t)))
	ctx := context.Background()
	body := "BSN 123.456.782 graag in het dossier"
	_, err := s.Append(ctx, "a1", Input{Ch: "t-alpha", ClientID: "m1", Kind: EntryMsg, Body: body})
	var se *identifiers.SuspectedError
	if !errors.As(err, &se) || len(se.Findings) != 1 || se.Findings[0] != (identifiers.FieldFinding{Field: "body", Kind: identifiers.KindBSN}) {
		t.Fatalf("send: %v", err)
	}
	if strings.Contains(err.Error(), "123.456.782") {
		t.Fatalf("the error repeats the number: %v", err)
	}
	if es, _, _ := s.Sync(ctx, "a1", "t-alpha", 0, 100); len(es) != 0 {
		t.Fatalf("a refused message was stored")
	}
	// The same client id, acknowledged: stored.
	r, err := s.Append(ctx, "a1", Input{Ch: "t-alpha", ClientID: "m1", Kind: EntryMsg, Body: body, AcknowledgeIdentifiers: true})
	if err != nil || r.Duplicate {
		t.Fatalf("acknowledged send: %+v %v", r, err)
	}
	_, err = s.Append(ctx, "a1", Input{Ch: "t-alpha", ClientID: "e1", Kind: EntryEdit, Target: r.Entry.Seq, Body: "geb. 1-2-1950"})
	if !errors.As(err, &se) || se.Findings[0].Kind != identifiers.KindBirthDate {
		t.Fatalf("edit: %v", err)
	}
	if _, err := s.Append(ctx, "a1", Input{Ch: "t-alpha", ClientID: "e2", Kind: EntryEdit, Target: r.Entry.Seq, Body: "zie dossier"}); err != nil {
		t.Fatalf("a clean edit: %v", err)
	}
	// The error frame names the field and kind, never the text.
	frame := string(errorFrameFor("f1", &identifiers.SuspectedError{Findings: se.Findings}, "e1"))
	for _, want := range []string{`"code":"identifier_suspected"`, `"findings":[{"field":"body","kind":"birthdate"}]`, `"clientId":"e1"`} {
		if !strings.Contains(frame, want) {
			t.Errorf("frame %s lacks %s", frame, want)
		}
	}
}

func TestDecodeFrameAcknowledgement(t *testing.T) {
	f, err := DecodeFrame([]byte(`{"type":"send","ch":"t-a","clientId":"c","body":"x","acknowledgeIdentifiers":true}`))
	if err != nil || !f.AcknowledgeIdentifiers {
		t.Fatalf("%+v %v", f, err)
	}
	if _, err := DecodeFrame([]byte(`{"type":"send","ch":"t-a","clientId":"c","body":"x","acknowledgeIdentifiers":"yes"}`)); err == nil {
		t.Fatal("a string acknowledgement was accepted")
	}
}
