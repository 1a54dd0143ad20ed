// Package photo is the one pipeline every uploaded image goes through
// (team documents, post attachments, chat attachments, audit evidence).
//
// Prepare turns the bytes a client sent into what is stored: the image with
// its EXIF orientation applied and re-encoded, so that no EXIF, GPS, XMP or
// comment metadata survives, and smaller variants 320, 640 and 1280 pixels
// wide (never upscaled) for screens that show it small. Store and Open keep
// the variants beside the original in a blob bucket under derived ids.
//
// Before decoding, the dimensions are read from the header
// (image.DecodeConfig): an image of more than MaxPixels is refused with the
// code image_too_large, so a small file that decodes to gigabytes (a
// decompression bomb) is never decoded. At most a few images are decoded at
// once (see sem), which bounds the memory a burst of uploads can take.
package photo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"strconv"
	"strings"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/webp" // registers the WebP decoder

	"github.com/plein/plein/server/apperr"
)

// Limits.
const (
	// MaxPixels is the largest image accepted: 50 megapixels (a 48 MP
	// phone photo fits). Decoded, it takes 4 bytes a pixel.
	MaxPixels = 50_000_000
	// MaxSide is the longest side accepted, in pixels.
	MaxSide = 16384
	// MaxFrames is the most frames an animated GIF may have.
	MaxFrames = 200
	// jpegQuality is the quality of re-encoded JPEGs and of variants.
	jpegQuality = 85
)

// Widths are the variant widths made for every image wider than them.
var Widths = []int{320, 640, 1280}

// Variant is a smaller copy of an image.
type Variant struct {
	Width, Height int
	ContentType   string
	Data          []byte
}

// Image is an image ready to store.
type Image struct {
	// ContentType is the type of Data: the same as the upload's.
	ContentType string
	// Data is the re-encoded image, orientation applied, metadata gone.
	Data          []byte
	Width, Height int
	// Variants, narrowest first; none for an image at most 320 px wide.
	Variants []Variant
}

// IsImage reports whether a sniffed content type goes through Prepare.
func IsImage(contentType string) bool {
	switch contentType {
	case "image/jpeg", "image/png", "image/gif", "image/webp":
		return true
	}
	return false
}

// sem bounds the images decoded at once.
var sem = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

// Errors the pipeline answers with (field "file").
func tooLarge() error {
	return apperr.Invalid("file", "image_too_large",
		fmt.Sprintf("the image is too large: at most %d megapixels and %d pixels a side", MaxPixels/1_000_000, MaxSide),
		apperr.Params{"maxMp": MaxPixels / 1_000_000, "maxSide": MaxSide})
}

func unreadable() error {
	return apperr.Invalid("file", "image_unreadable", "the image could not be read; it may be damaged")
}

// Prepare checks, orients, strips and scales an image whose type was
// sniffed as contentType (see IsImage). Refusals are validation errors on
// the field "file" with the codes image_too_large and image_unreadable.
func Prepare(ctx context.Context, data []byte, contentType string) (*Image, error) {
	if !IsImage(contentType) {
		return nil, errors.New("photo: not an image type: " + contentType)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, unreadable()
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, unreadable()
	}
	if cfg.Width > MaxSide || cfg.Height > MaxSide || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, tooLarge()
	}
	if "image/"+format != contentType {
		return nil, unreadable() // the sniffer and the decoder disagree
	}
	select {
	case sem <- struct{}{}:
		defer func() { <-sem }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	switch contentType {
	case "image/gif":
		return prepareGIF(data, cfg)
	case "image/webp":
		return prepareWebP(data)
	}
	// imaging reads the EXIF orientation of a JPEG and applies it.
	img, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	if err != nil {
		return nil, unreadable()
	}
	out := &Image{ContentType: contentType, Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	if out.Data, err = encode(img, contentType); err != nil {
		return nil, err
	}
	if out.Variants, err = variants(img); err != nil {
		return nil, err
	}
	return out, nil
}

// prepareWebP keeps the WebP bytes without their EXIF and XMP chunks (there
// is no pure-Go WebP encoder) and makes the variants from the decoded image.
// Browsers ignore the orientation of a WebP, so there is none to apply.
func prepareWebP(data []byte) (*Image, error) {
	clean, err := stripWebP(data)
	if err != nil {
		return nil, unreadable()
	}
	img, _, err := image.Decode(bytes.NewReader(clean))
	if err != nil {
		return nil, unreadable()
	}
	out := &Image{ContentType: "image/webp", Data: clean, Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	if out.Variants, err = variants(img); err != nil {
		return nil, err
	}
	return out, nil
}

// prepareGIF re-encodes every frame (which drops comments and application
// extensions other than looping) and makes the variants from the first.
func prepareGIF(data []byte, cfg image.Config) (*Image, error) {
	// Count frames before decoding them all: each is a full-size paletted image.
	if n, err := gifFrames(data); err != nil || n == 0 {
		return nil, unreadable()
	} else if n > MaxFrames || int64(n)*int64(cfg.Width)*int64(cfg.Height) > 4*MaxPixels {
		return nil, tooLarge()
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil || len(g.Image) == 0 {
		return nil, unreadable()
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		return nil, unreadable()
	}
	first := image.NewNRGBA(image.Rect(0, 0, g.Config.Width, g.Config.Height))
	draw.Draw(first, g.Image[0].Bounds(), g.Image[0], g.Image[0].Bounds().Min, draw.Over)
	out := &Image{ContentType: "image/gif", Data: buf.Bytes(), Width: g.Config.Width, Height: g.Config.Height}
	if out.Variants, err = variants(first); err != nil {
		return nil, err
	}
	return out, nil
}

func variants(img image.Image) ([]Variant, error) {
	w := img.Bounds().Dx()
	ct := "image/png"
	if opaque(img) {
		ct = "image/jpeg"
	}
	var out []Variant
	for _, vw := range Widths {
		if vw >= w {
			break // never upscale; the original serves these widths
		}
		small := imaging.Resize(img, vw, 0, imaging.Lanczos)
		data, err := encode(small, ct)
		if err != nil {
			return nil, err
		}
		out = append(out, Variant{Width: vw, Height: small.Bounds().Dy(), ContentType: ct, Data: data})
	}
	return out, nil
}

func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

func encode(img image.Image, contentType string) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch contentType {
	case "image/jpeg":
		if !opaque(img) {
			img = flatten(img) // JPEG has no alpha: white behind, not black
		}
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality})
	case "image/png":
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	default:
		err = errors.New("photo: no encoder for " + contentType)
	}
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", contentType, err)
	}
	return buf.Bytes(), nil
}

func flatten(img image.Image) image.Image {
	out := image.NewNRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Over)
	return out
}

// VariantID is the blob id of the variant of width w of the file id.
func VariantID(id string, w int) string { return id + ".w" + strconv.Itoa(w) }

// BaseID is the file a blob id belongs to: id itself, or the original of a
// variant (VariantID's inverse).
func BaseID(id string) string {
	for _, w := range Widths {
		if base, ok := strings.CutSuffix(id, ".w"+strconv.Itoa(w)); ok {
			return base
		}
	}
	return id
}
