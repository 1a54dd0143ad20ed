package doctext

import (
	"context"
	"errors"
	"log/slog"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store/blob"
)

// Texts keeps extracted texts in a blob bucket, each under the id of the
// file it came from (a text bucket beside the file bucket).
type Texts struct {
	bucket *blob.Bucket
	log    *slog.Logger
}

// NewTexts returns the texts kept in bucket.
func NewTexts(bucket *blob.Bucket, log *slog.Logger) *Texts {
	if log == nil {
		log = slog.Default()
	}
	return &Texts{bucket: bucket, log: log}
}

// Claim lets the blob sweep remove texts whose file nothing names (see
// blob.Bucket.Claim); owner is the file bucket's.
func (t *Texts) Claim(owner blob.Owner) { t.bucket.Claim(owner) }

// Save extracts data's text (DefaultLimits) and stores it under id. Store
// it before the file is referenced, so that whoever learns of the file can
// read its text. A file without text stores nothing; extraction and store
// failures are logged, never returned: the file is then found by its name.
func (t *Texts) Save(ctx context.Context, id, name, contentType string, data []byte) {
	text, err := Extract(ctx, contentType, data, DefaultLimits)
	if err != nil {
		t.log.InfoContext(ctx, "text not (fully) extracted", "blob", id, "type", contentType, "err", err)
	}
	if text == "" {
		return
	}
	if _, err := t.bucket.Put(ctx, id, name+".txt", "text/plain; charset=utf-8", []byte(text)); err != nil {
		t.log.WarnContext(ctx, "store extracted text", "blob", id, "err", err)
	}
}

// Load returns the text stored under id, "" when there is none.
func (t *Texts) Load(ctx context.Context, id string) (string, error) {
	_, data, err := t.bucket.Get(ctx, id)
	if errors.Is(err, apperr.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return string(data), nil
}

// Drop removes the text stored under id, if any (its file was not kept).
func (t *Texts) Drop(ctx context.Context, id string) {
	if err := t.bucket.Delete(context.WithoutCancel(ctx), id); err != nil {
		t.log.WarnContext(ctx, "remove unused extracted text", "blob", id, "err", err)
	}
}
