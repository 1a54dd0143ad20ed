// Package phototest makes images for tests of the image pipeline.
package phototest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// EXIFJPEG encodes a w×h JPEG whose left half is red and right half blue,
// with an APP1 EXIF segment holding orientation 6 (rotate 90° clockwise to
// show) and a GPS position.
func EXIFJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{220, 0, 0, 255}
			if x >= w/2 {
				c = color.RGBA{0, 0, 220, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	// TIFF, little endian: IFD0 with Orientation=6 and a GPS IFD pointer;
	// the GPS IFD with GPSLatitudeRef "N".
	le := binary.LittleEndian
	var tiff []byte
	tiff = append(tiff, 'I', 'I', 42, 0, 8, 0, 0, 0)
	entry := func(tag, typ uint16, count, value uint32) {
		tiff = le.AppendUint16(tiff, tag)
		tiff = le.AppendUint16(tiff, typ)
		tiff = le.AppendUint32(tiff, count)
		tiff = le.AppendUint32(tiff, value)
	}
	tiff = le.AppendUint16(tiff, 2)
	entry(0x0112, 3, 1, 6)          // Orientation = 6
	entry(0x8825, 4, 1, 8+2+24+4)   // GPS IFD offset
	tiff = le.AppendUint32(tiff, 0) // no next IFD
	tiff = le.AppendUint16(tiff, 1)
	entry(0x0001, 2, 2, uint32('N')) // GPSLatitudeRef "N"
	tiff = le.AppendUint32(tiff, 0)
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(app1)+2))
	seg = append(seg, app1...)
	out := append([]byte{}, raw[:2]...) // SOI
	out = append(out, seg...)
	return append(out, raw[2:]...)
}

// HasEXIF reports whether b holds an EXIF header.
func HasEXIF(b []byte) bool { return bytes.Contains(b, []byte("Exif\x00\x00")) }

// PNG encodes an opaque w×h PNG.
func PNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// BombPNG is a 1×1 PNG whose header claims w×h pixels (with a valid CRC):
// a decompression bomb as the header reader sees it.
func BombPNG(t testing.TB, w, h uint32) []byte {
	b := PNG(t, 1, 1)
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}
