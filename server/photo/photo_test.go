package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/photo/phototest"
)

func hasEXIF(b []byte) bool { return bytes.Contains(b, []byte("Exif\x00\x00")) }

func TestPrepareJPEGOrientsStripsAndScales(t *testing.T) {
	in := phototest.EXIFJPEG(t, 2000, 1000)
	if !hasEXIF(in) {
		t.Fatal("fixture has no EXIF")
	}
	img, err := Prepare(context.Background(), in, "image/jpeg")
	if err != nil {
		t.Fatal(err)
	}
	if hasEXIF(img.Data) || bytes.Contains(img.Data, []byte{0xFF, 0xE1}) {
		t.Fatal("the stored image still has an EXIF (APP1) segment")
	}
	if img.Width != 1000 || img.Height != 2000 {
		t.Fatalf("size %dx%d, want 1000x2000 (rotated)", img.Width, img.Height)
	}
	dec, err := jpeg.Decode(bytes.NewReader(img.Data))
	if err != nil {
		t.Fatal(err)
	}
	if b := dec.Bounds(); b.Dx() != 1000 || b.Dy() != 2000 {
		t.Fatalf("decoded %v, want 1000x2000", b)
	}
	// Rotated 90° clockwise, the red left half is now the top half.
	if r, _, bl, _ := dec.At(500, 100).RGBA(); r < bl {
		t.Fatalf("top is not red after rotation: r=%d b=%d", r, bl)
	}
	if r, _, bl, _ := dec.At(500, 1900).RGBA(); bl < r {
		t.Fatalf("bottom is not blue after rotation: r=%d b=%d", r, bl)
	}
	var widths []int
	for _, v := range img.Variants {
		widths = append(widths, v.Width)
		if hasEXIF(v.Data) {
			t.Fatalf("variant %d has EXIF", v.Width)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(v.Data))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Width != v.Width || cfg.Height != v.Width*2 {
			t.Fatalf("variant %d is %dx%d", v.Width, cfg.Width, cfg.Height)
		}
	}
	if len(widths) != 2 || widths[0] != 320 || widths[1] != 640 {
		t.Fatalf("variants %v, want [320 640] (1280 would upscale a 1000 px image)", widths)
	}
}

func TestPrepareRefusesDecompressionBomb(t *testing.T) {
	// A PNG header claiming 20000×20000 pixels: refused from the header.
	b := phototest.BombPNG(t, 20000, 20000)
	_, err := Prepare(context.Background(), b, "image/png")
	var ve *apperr.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Code != "image_too_large" {
		t.Fatalf("err = %v, want image_too_large", err)
	}
	if _, err := Prepare(context.Background(), []byte("\x89PNG\r\n\x1a\nrubbish"), "image/png"); !errors.As(err, &ve) || ve.Fields[0].Code != "image_unreadable" {
		t.Fatalf("err = %v, want image_unreadable", err)
	}
}

func TestPreparePNGAndGIF(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 400, 100)) // transparent
	var buf bytes.Buffer
	if err := png.Encode(&buf, src); err != nil {
		t.Fatal(err)
	}
	withText := append([]byte{}, buf.Bytes()[:33]...) // signature + IHDR
	text := []byte("tEXtGPS\x0052N")
	withText = binary.BigEndian.AppendUint32(withText, uint32(len(text)-4))
	withText = append(withText, text...)
	withText = binary.BigEndian.AppendUint32(withText, crc32.ChecksumIEEE(text))
	withText = append(withText, buf.Bytes()[33:]...)
	img, err := Prepare(context.Background(), withText, "image/png")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(img.Data, []byte("tEXt")) {
		t.Fatal("text chunk survived")
	}
	if len(img.Variants) != 1 || img.Variants[0].ContentType != "image/png" || img.Variants[0].Height != 80 {
		t.Fatalf("variants %+v", img.Variants)
	}
	pal := image.NewPaletted(image.Rect(0, 0, 10, 10), color.Palette{color.Black, color.White})
	buf.Reset()
	if err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{pal, pal}, Delay: []int{1, 1}}); err != nil {
		t.Fatal(err)
	}
	if n, err := gifFrames(buf.Bytes()); err != nil || n != 2 {
		t.Fatalf("frames %d %v", n, err)
	}
	g, err := Prepare(context.Background(), buf.Bytes(), "image/gif")
	if err != nil || g.Width != 10 || len(g.Variants) != 0 {
		t.Fatalf("gif %+v %v", g, err)
	}
}

func TestStripWebP(t *testing.T) {
	chunk := func(fourcc string, data []byte) []byte {
		b := append([]byte(fourcc), 0, 0, 0, 0)
		binary.LittleEndian.PutUint32(b[4:], uint32(len(data)))
		b = append(b, data...)
		if len(data)%2 == 1 {
			b = append(b, 0)
		}
		return b
	}
	body := append([]byte("WEBP"), chunk("VP8X", []byte{0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0})...)
	body = append(body, chunk("VP8L", []byte{1, 2, 3})...)
	body = append(body, chunk("EXIF", []byte("Exif\x00\x00GPS"))...)
	body = append(body, chunk("XMP ", []byte("<x/>"))...)
	in := append([]byte("RIFF\x00\x00\x00\x00"), body...)
	binary.LittleEndian.PutUint32(in[4:], uint32(len(body)))
	out, err := stripWebP(in)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("EXIF")) || bytes.Contains(out, []byte("XMP ")) || bytes.Contains(out, []byte("GPS")) {
		t.Fatal("metadata survived")
	}
	if out[20]&0x0C != 0 || int(binary.LittleEndian.Uint32(out[4:])) != len(out)-8 {
		t.Fatalf("header not fixed: % x", out[:24])
	}
}

// FuzzPrepare: whatever bytes come in, Prepare answers with an image or a
// validation error, never a panic, and what it returns decodes.
func FuzzPrepare(f *testing.F) {
	f.Add(phototest.EXIFJPEG(f, 40, 20), "image/jpeg")
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 3, 2)))
	f.Add(buf.Bytes(), "image/png")
	buf.Reset()
	_ = gif.Encode(&buf, image.NewPaletted(image.Rect(0, 0, 3, 2), color.Palette{color.Black}), nil)
	f.Add(buf.Bytes(), "image/gif")
	f.Add([]byte("RIFF\x0c\x00\x00\x00WEBPVP8X"), "image/webp")
	f.Fuzz(func(t *testing.T, data []byte, ct string) {
		if !IsImage(ct) {
			return
		}
		// Keep each run fast: large (valid) dimensions only cost time,
		// and TestPrepareRefusesDecompressionBomb covers the limit.
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil && cfg.Width*cfg.Height > 1<<20 {
			return
		}
		img, err := Prepare(context.Background(), data, ct)
		if err != nil {
			var ve *apperr.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("not a validation error: %v", err)
			}
			return
		}
		if _, _, err := image.DecodeConfig(bytes.NewReader(img.Data)); err != nil {
			t.Fatalf("stored image does not decode: %v", err)
		}
	})
}
