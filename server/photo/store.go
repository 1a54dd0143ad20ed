package photo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store/blob"
)

// Bucket is where the pipeline keeps files (a *blob.Bucket).
type Bucket interface {
	Put(ctx context.Context, id, filename, contentType string, data []byte) (*blob.File, error)
	Get(ctx context.Context, id string) (*blob.File, []byte, error)
	Delete(ctx context.Context, id string) error
}

// Stored describes a file as stored.
type Stored struct {
	ContentType string
	Size        int64 // of the stored (re-encoded) file
	// Width and Height of an image; 0 for other files.
	Width, Height int
	// Widths of the variants made (narrowest first); none for other files
	// and for images at most 320 px wide.
	Widths []int
	// Data is the stored bytes (the re-encoded image for an image).
	Data []byte
}

// Put stores an upload whose type was sniffed as contentType under id: an
// image goes through Prepare and is stored with its variants; any other
// file is stored as it is. The variants are written before the original, so
// a file whose original exists has its variants; if a write fails, what was
// written is removed (and Sweep removes bytes a crash left). Refusals are
// Prepare's.
func Put(ctx context.Context, b Bucket, id, filename, contentType string, data []byte) (*Stored, error) {
	if !IsImage(contentType) {
		f, err := b.Put(ctx, id, filename, contentType, data)
		if err != nil {
			return nil, err
		}
		return &Stored{ContentType: contentType, Size: f.Length, Data: data}, nil
	}
	img, err := Prepare(ctx, data, contentType)
	if err != nil {
		return nil, err
	}
	out := &Stored{ContentType: img.ContentType, Size: int64(len(img.Data)), Width: img.Width, Height: img.Height, Data: img.Data}
	for _, v := range img.Variants {
		if _, err := b.Put(ctx, VariantID(id, v.Width), filename, v.ContentType, v.Data); err != nil {
			Delete(context.WithoutCancel(ctx), b, id)
			return nil, fmt.Errorf("store variant: %w", err)
		}
		out.Widths = append(out.Widths, v.Width)
	}
	if _, err := b.Put(ctx, id, filename, img.ContentType, img.Data); err != nil {
		Delete(context.WithoutCancel(ctx), b, id)
		return nil, err
	}
	return out, nil
}

// Delete removes a file and its variants (missing ones are no error).
func Delete(ctx context.Context, b Bucket, id string) error {
	errs := []error{b.Delete(ctx, id)}
	for _, w := range Widths {
		errs = append(errs, b.Delete(ctx, VariantID(id, w)))
	}
	return errors.Join(errs...)
}

// CheckWidth validates a requested variant width (the query parameter w):
// 0 (the original) or one of Widths.
func CheckWidth(w int) error {
	if w == 0 || slices.Contains(Widths, w) {
		return nil
	}
	return apperr.Invalid("w", "invalid_choice", "use w=320, w=640 or w=1280", apperr.Params{"choices": "320, 640, 1280"})
}

// Get returns the file id, or its variant of width w (see CheckWidth)
// when it has one. An image narrower than w has no such variant, and a file
// stored before variants existed has none: both answer with the original.
func Get(ctx context.Context, b Bucket, id string, w int) (*blob.File, []byte, error) {
	if err := CheckWidth(w); err != nil {
		return nil, nil, err
	}
	if w > 0 {
		f, data, err := b.Get(ctx, VariantID(id, w))
		if err == nil || !errors.Is(err, apperr.ErrNotFound) {
			return f, data, err
		}
	}
	return b.Get(ctx, id)
}

// Opener opens a file for streaming (a *blob.Bucket).
type Opener interface {
	Open(ctx context.Context, id string) (*blob.File, io.ReadSeekCloser, error)
}

// Open is Get for a download: the file id, or its variant of width w, as a
// reader over its bytes (see blob.Bucket.Open). The caller closes it.
func Open(ctx context.Context, b Opener, id string, w int) (*blob.File, io.ReadSeekCloser, error) {
	if err := CheckWidth(w); err != nil {
		return nil, nil, err
	}
	if w > 0 {
		f, r, err := b.Open(ctx, VariantID(id, w))
		if err == nil || !errors.Is(err, apperr.ErrNotFound) {
			return f, r, err
		}
	}
	return b.Open(ctx, id)
}
