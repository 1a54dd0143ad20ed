package chat

import (
	"context"
	"sync"
	"time"

	"github.com/plein/plein/server/apperr"
)

// Read receipts are built on the read markers that unread counts already
// use (chat_reads, one document per user): no extra write per message or
// reader. A moved marker is announced once on the broker (topicRead, as
// before); every instance collects the moves for receiptEvery and then
// sends each local member of the channel one `receipts` frame with every
// marker that moved, encoded once per channel. So a member reading ten
// messages, or ten members reading at once, costs one frame per connection
// per second, not one per message per reader.
const (
	receiptEvery       = time.Second
	receiptsMaxMembers = 50 // larger channels show no receipts (reading every member's marker is the cost)
)

// Receipts is where every member of a channel has read up to.
type Receipts struct {
	Ch    string            `json:"ch"`
	Reads map[string]int64  `json:"reads"` // member → last seq read (0: nothing)
	Names map[string]string `json:"names"` // member → name
	Off   bool              `json:"off,omitempty"`
}

// ReceiptsOf lists the members' read markers for a member of the channel.
// With receipts switched off for the organisation, or in a channel of more
// than receiptsMaxMembers, it says Off and lists nobody.
func (s *Service) ReceiptsOf(ctx context.Context, userID, chID string, enabled bool) (*Receipts, error) {
	if !s.IsMember(userID, chID) {
		return nil, apperr.NotFound("not_found", "channel not found")
	}
	r := &Receipts{Ch: chID, Reads: map[string]int64{}, Names: map[string]string{}}
	members := s.Members(chID)
	if !enabled || len(members) > receiptsMaxMembers {
		r.Off = true
		return r, nil
	}
	for _, m := range members {
		seq, err := s.readSeq(ctx, m, chID)
		if err != nil {
			return nil, err
		}
		r.Reads[m] = seq
		r.Names[m], _ = s.dir.Person(m)
	}
	return r, nil
}

// receiptBatch collects marker moves between flushes: channel → user → seq.
type receiptBatch struct {
	mu      sync.Mutex
	pending map[string]map[string]int64
}

func (b *receiptBatch) add(ch, user string, seq int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending == nil {
		b.pending = map[string]map[string]int64{}
	}
	m := b.pending[ch]
	if m == nil {
		m = map[string]int64{}
		b.pending[ch] = m
	}
	m[user] = max(m[user], seq)
}

func (b *receiptBatch) take() map[string]map[string]int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.pending
	b.pending = nil
	return p
}

// flushReceipts sends the collected moves: one frame per channel, encoded
// once, queued to each local connection in the channel (sheddable, like
// presence: a client that missed one asks again when it opens the channel).
// It returns the number of frames queued.
func (h *Hub) flushReceipts() int {
	sent := 0
	for ch, reads := range h.receipts.take() {
		if len(h.svc.Members(ch)) > receiptsMaxMembers {
			continue
		}
		f := ReceiptsMovedFrame{Ch: ch, Reads: reads}.encode()
		h.mu.RLock()
		for c := range h.byChan[ch] {
			c.enqueueShed(f)
			sent++
		}
		h.mu.RUnlock()
	}
	return sent
}
