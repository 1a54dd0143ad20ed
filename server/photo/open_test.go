package photo_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/photo"
	"github.com/plein/plein/server/photo/phototest"
	"github.com/plein/plein/server/store/blob"
	"github.com/plein/plein/server/store/storetest"
)

// Open streams what Get returns: a variant when the image has one, the
// original when it has none, and refuses a width that is not offered.
func TestOpenVariants(t *testing.T) {
	ctx := context.Background()
	b := blob.Open(storetest.New(t), "files")
	st, err := photo.Put(ctx, b, "p1", "foto.png", "image/png", phototest.PNG(t, 1000, 500))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Widths) != 2 {
		t.Fatalf("widths %v, want 320 and 640", st.Widths)
	}
	for _, tc := range []struct {
		w      int
		wantID string
	}{{0, "p1"}, {320, photo.VariantID("p1", 320)}, {640, photo.VariantID("p1", 640)}, {1280, "p1"}} {
		f, r, err := photo.Open(ctx, b, "p1", tc.w)
		if err != nil {
			t.Fatalf("w=%d: %v", tc.w, err)
		}
		got, err := io.ReadAll(r)
		r.Close()
		_, want, gerr := photo.Get(ctx, b, "p1", tc.w)
		if err != nil || gerr != nil || f.ID != tc.wantID || !bytes.Equal(got, want) {
			t.Fatalf("w=%d: id %s (want %s), %v %v, same bytes as Get: %v", tc.w, f.ID, tc.wantID, err, gerr, bytes.Equal(got, want))
		}
	}
	var ve *apperr.ValidationError
	if _, _, err := photo.Open(ctx, b, "p1", 7); !errors.As(err, &ve) {
		t.Fatalf("w=7: %v, want a validation error", err)
	}
	if _, _, err := photo.Open(ctx, b, "nope", 320); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("missing: %v, want not found", err)
	}
}
