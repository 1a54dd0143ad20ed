package photo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"testing"
)

// BenchmarkPhonePhoto is what a phone photo costs before and after the
// pipeline, for docs/performance.md (part of `make bench`):
//
//	go test -run '^$' -bench PhonePhoto -benchtime 1x ./server/photo/
//
// It reports the bytes uploaded, the stored (re-encoded, stripped) original
// and each variant. The photo is synthetic: a 4032×3024 (12 MP) scene of
// gradients with sensor-like noise, saved at quality 95 as phone cameras do.
func BenchmarkPhonePhoto(b *testing.B) {
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
		b.Fatal(err)
	}
	var out *Image
	for b.Loop() {
		var err error
		if out, err = Prepare(context.Background(), buf.Bytes(), "image/jpeg"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "upload-B")
	b.ReportMetric(float64(len(out.Data)), "original-B")
	for _, v := range out.Variants {
		b.ReportMetric(float64(len(v.Data)), fmt.Sprintf("w%d-B", v.Width))
	}
}
