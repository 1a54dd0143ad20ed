// Package hist is a small HDR-style latency histogram: log-linear buckets
// (64 per power of two, so a reported value is within 1.6 % of the true one),
// lock-free recording from many goroutines, nanosecond values.
package hist

import (
	"math/bits"
	"sync/atomic"
	"time"
)

const (
	linear  = 128 // values below are exact
	sub     = 64  // buckets per power of two above
	maxExp  = 40  // 2^40 ns ≈ 18 minutes
	buckets = linear + (maxExp-6)*sub
	shards  = 16
)

// H records durations. The zero value is not usable: use New.
type H struct {
	shard [shards]*[buckets]atomic.Uint64
	max   atomic.Int64
}

// New returns an empty histogram.
func New() *H {
	h := &H{}
	for i := range h.shard {
		h.shard[i] = new([buckets]atomic.Uint64)
	}
	return h
}

func index(v int64) int {
	if v < linear {
		if v < 0 {
			return 0
		}
		return int(v)
	}
	e := 63 - bits.LeadingZeros64(uint64(v)) // ≥ 7
	shift := e - 6
	m := v >> shift // 64..127
	i := linear + (shift-1)*sub + int(m-sub)
	if i >= buckets {
		return buckets - 1
	}
	return i
}

// lower is the smallest value of bucket i.
func lower(i int) int64 {
	if i < linear {
		return int64(i)
	}
	shift := (i-linear)/sub + 1
	m := int64((i-linear)%sub + sub)
	return m << shift
}

// Record adds one duration; hint spreads writers over shards (e.g. a client index).
func (h *H) Record(d time.Duration, hint int) {
	v := int64(d)
	h.shard[hint&(shards-1)][index(v)].Add(1)
	for {
		m := h.max.Load()
		if v <= m || h.max.CompareAndSwap(m, v) {
			return
		}
	}
}

// Snapshot is a merged, read-only copy.
type Snapshot struct {
	counts [buckets]uint64
	N      uint64
	Max    time.Duration
}

// Snapshot merges the shards.
func (h *H) Snapshot() *Snapshot {
	s := &Snapshot{Max: time.Duration(h.max.Load())}
	for _, sh := range h.shard {
		for i := range sh {
			c := sh[i].Load()
			s.counts[i] += c
			s.N += c
		}
	}
	return s
}

// Quantile returns the value at q (0..1), as the middle of its bucket.
func (s *Snapshot) Quantile(q float64) time.Duration {
	if s.N == 0 {
		return 0
	}
	rank := uint64(q*float64(s.N) + 0.5)
	if rank < 1 {
		rank = 1
	}
	if rank > s.N {
		rank = s.N
	}
	var seen uint64
	for i, c := range s.counts {
		seen += c
		if seen >= rank {
			lo, hi := lower(i), lower(i+1)
			v := time.Duration(lo + (hi-lo)/2)
			if v > s.Max {
				v = s.Max
			}
			return v
		}
	}
	return s.Max
}
