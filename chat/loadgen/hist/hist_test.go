package hist

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestBucketsAreMonotonicAndTight(t *testing.T) {
	for i := 0; i < buckets-1; i++ {
		if lower(i+1) <= lower(i) {
			t.Fatalf("bucket %d: lower %d, next %d", i, lower(i), lower(i+1))
		}
		if index(lower(i)) != i {
			t.Fatalf("index(lower(%d)) = %d", i, index(lower(i)))
		}
	}
}

func TestQuantilesMatchSortedSamples(t *testing.T) {
	h := New()
	var xs []int64
	for i := 0; i < 200000; i++ {
		v := int64(rand.ExpFloat64() * 2e6) // ~2 ms mean
		xs = append(xs, v)
		h.Record(time.Duration(v), i)
	}
	slices.Sort(xs)
	s := h.Snapshot()
	for _, q := range []float64{0.5, 0.99, 0.999} {
		want := float64(xs[int(q*float64(len(xs)))-1])
		got := float64(s.Quantile(q))
		if got < want*0.97 || got > want*1.03 {
			t.Errorf("q%.3f: got %.0f want %.0f", q, got, want)
		}
	}
}
