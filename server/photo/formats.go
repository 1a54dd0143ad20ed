package photo

import (
	"encoding/binary"
	"errors"
)

var errFormat = errors.New("photo: malformed image")

// gifFrames counts the frames of a GIF by walking its blocks, without
// decoding any (so a GIF of thousands of full-size frames is refused
// before it is decoded).
func gifFrames(b []byte) (int, error) {
	if len(b) < 13 {
		return 0, errFormat
	}
	i := 13
	if b[10]&0x80 != 0 { // global colour table
		i += 3 << (b[10]&7 + 1)
	}
	skipSubBlocks := func() error {
		for {
			if i >= len(b) {
				return errFormat
			}
			n := int(b[i])
			i++
			if n == 0 {
				return nil
			}
			i += n
		}
	}
	frames := 0
	for i < len(b) {
		switch b[i] {
		case 0x21: // extension: label, then sub-blocks
			i += 2
			if err := skipSubBlocks(); err != nil {
				return 0, err
			}
		case 0x2C: // image descriptor
			if i+10 > len(b) {
				return 0, errFormat
			}
			flags := b[i+9]
			i += 10
			if flags&0x80 != 0 { // local colour table
				i += 3 << (flags&7 + 1)
			}
			i++ // LZW minimum code size
			if err := skipSubBlocks(); err != nil {
				return 0, err
			}
			frames++
		case 0x3B: // trailer
			return frames, nil
		default:
			return 0, errFormat
		}
	}
	return frames, nil // no trailer: the decoder decides
}

// stripWebP returns a WebP without its EXIF and XMP chunks, with the
// extended header's flags for them cleared.
func stripWebP(b []byte) ([]byte, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return nil, errFormat
	}
	end := 8 + int(binary.LittleEndian.Uint32(b[4:8]))
	if end > len(b) || end < 12 {
		return nil, errFormat
	}
	out := make([]byte, 12, len(b))
	copy(out, b[:12])
	vp8x := -1
	for i := 12; i < end; {
		if i+8 > end {
			return nil, errFormat
		}
		fourcc := string(b[i : i+4])
		n := int(binary.LittleEndian.Uint32(b[i+4 : i+8]))
		next := i + 8 + n + n&1
		if n < 0 || i+8+n > end {
			return nil, errFormat
		}
		next = min(next, end)
		switch fourcc {
		case "EXIF", "XMP ":
		default:
			if fourcc == "VP8X" && n >= 1 {
				vp8x = len(out) + 8
			}
			out = append(out, b[i:next]...)
		}
		i = next
	}
	if vp8x >= 0 {
		out[vp8x] &^= 0x08 | 0x04 // EXIF and XMP present
	}
	binary.LittleEndian.PutUint32(out[4:8], uint32(len(out)-8))
	return out, nil
}
