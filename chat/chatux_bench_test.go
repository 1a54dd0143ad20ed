package chat

import (
	"context"
	"fmt"
	"testing"

	"github.com/plein/plein/chat/broker/memory"
	"github.com/plein/plein/server/store/storetest"
)

// benchHub is a hub with n local connections (no sockets: their queues are
// drained by the benchmark) in one channel of n members.
func benchHub(b *testing.B, n int) (*Hub, []*Conn, string) {
	b.Helper()
	s, err := NewService(context.Background(), NewStore(storetest.New(b)), fakeDir{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	h, err := NewHub(context.Background(), s, memory.New(), HubOptions{SendQueue: 1 << 16})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(h.Abort)
	ch := TeamChannelID("alpha") // fakeDir: every user starting with "a" is a member
	conns := make([]*Conn, n)
	h.mu.Lock()
	h.byChan[ch] = map[*Conn]struct{}{}
	for i := range conns {
		c := &Conn{hub: h, user: fmt.Sprintf("a%d", i), writing: true /* no writer: drained below */, closed: make(chan struct{}), chans: map[string]bool{}}
		conns[i] = c
		h.byChan[ch][c] = struct{}{}
	}
	h.mu.Unlock()
	return h, conns, ch
}

func drain(conns []*Conn) int {
	n := 0
	for _, c := range conns {
		c.mu.Lock()
		n += len(c.queue)
		c.queue = nil
		c.mu.Unlock()
	}
	return n
}

// BenchmarkReceiptFanout: a 12-member channel where every member reads 5
// messages within one flush interval (60 marker moves). Batched: one
// frame per connection per flush; the naive way would be one frame per
// move per member (60 × 12 = 720).
func BenchmarkReceiptFanout(b *testing.B) {
	const members, moves = 12, 5
	h, conns, ch := benchHub(b, members)
	frames := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for m := 0; m < members; m++ {
			for k := 1; k <= moves; k++ {
				h.receipts.add(ch, conns[m].user, int64(i*moves+k))
			}
		}
		h.flushReceipts()
		frames += drain(conns)
	}
	b.StopTimer()
	b.ReportMetric(float64(frames)/float64(b.N), "frames/flush")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(frames), "ns/delivery")
	b.ReportMetric(float64(frames)/float64(b.N*members*moves), "frames/move")
}

// BenchmarkDeliverEntryWithMention: delivering one message that mentions
// the team to 12 local connections, with the mute check per connection and
// the masked excerpt made once per message.
func BenchmarkDeliverEntryWithMention(b *testing.B) {
	h, conns, ch := benchHub(b, 12)
	e := &Entry{Ch: ch, Seq: 1, Kind: EntryMsg, By: "author", ByName: "Anouk", MentionsTeam: true,
		Body: "@team overdracht: mevrouw Jansen (BSN 123.456.782) om 14:00 graag bellen"}
	frame := mustJSON(map[string]any{"type": "entry", "entry": e})
	h.deliverEntry(e, frame)
	if got := drain(conns); got != 2*len(conns) { // the entry and a notify frame each
		b.Fatalf("delivered %d frames, want %d", got, 2*len(conns))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.deliverEntry(e, frame)
		drain(conns)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(conns)), "ns/delivery")
}
