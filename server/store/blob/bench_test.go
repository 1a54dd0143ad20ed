package blob_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/plein/plein/server/store/blob"
	"github.com/plein/plein/server/store/storetest"
)

// BenchmarkGetAmong40: read one 1 MiB file from a bucket that holds 40.
func BenchmarkGetAmong40(b *testing.B) { benchGet(b, 40) }
func BenchmarkGetAmong1(b *testing.B)  { benchGet(b, 1) }

func benchGet(b *testing.B, nFiles int)    { benchGetMode(b, nFiles, false) }
func BenchmarkGetAmong40Disk(b *testing.B) { benchGetMode(b, 40, true) }

func benchGetMode(b *testing.B, nFiles int, disk bool) {
	st := storetest.New(b)
	if disk {
		st.FilesDir = b.TempDir()
	}
	bk := blob.Open(st, "files")
	ctx := context.Background()
	data := make([]byte, 1<<20)
	for i := range nFiles {
		if _, err := bk.Put(ctx, fmt.Sprintf("f%02d", i), "x.pdf", "application/pdf", data); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, _, err := bk.Get(ctx, fmt.Sprintf("f%02d", i%nFiles)); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(t0).Milliseconds()), "ms/get")
	}
}
