package photo

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

// TestReportVariantBytes prints what a phone photo costs before and after
// the pipeline, for docs/performance.md. Run with PHOTO_REPORT=1:
//
//	PHOTO_REPORT=1 go test -run TestReportVariantBytes -v ./server/photo/
//
// The photo is synthetic: a 4032×3024 (12 MP) scene of gradients with
// sensor-like noise, saved at quality 95 as phone cameras do.
func TestReportVariantBytes(t *testing.T) {
	if os.Getenv("PHOTO_REPORT") == "" {
		t.Skip("set PHOTO_REPORT=1")
	}
	const w, h = 4032, 3024
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := img.PixOffset(x, y)
			n := func(base int) uint8 { return uint8(min(255, max(0, base+r.IntN(25)-12))) }
			img.Pix[i] = n(80 + 120*x/w)
			img.Pix[i+1] = n(60 + 100*y/h + 40*((x/97+y/89)%2))
			img.Pix[i+2] = n(140 - 90*y/h)
			img.Pix[i+3] = 255
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := Prepare(context.Background(), buf.Bytes(), "image/jpeg")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Prepare took %v", time.Since(start).Round(time.Millisecond))
	t.Logf("uploaded %dx%d: %d bytes", w, h, buf.Len())
	t.Logf("stored original (re-encoded, stripped): %d bytes", len(out.Data))
	for _, v := range out.Variants {
		t.Logf("variant w=%d (%dx%d): %d bytes", v.Width, v.Width, v.Height, len(v.Data))
	}
}
