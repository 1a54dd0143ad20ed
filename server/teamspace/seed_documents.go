package teamspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/plein/plein/server/doctext"
	"github.com/plein/plein/server/store/blob"
)

// docItems adds the seed folders and documents to the timed log items.
func (sd *seeder) docItems(ctx context.Context, folders []SeedFolder, docs []SeedDoc) []timed {
	var items []timed
	for i, f := range folders {
		f := f
		by, at := sd.user(f.Space, f.Who), sd.at(70, 9).Add(time.Duration(i)*time.Minute)
		items = append(items, timed{at: at, make: func() (*entry, error) {
			return &entry{Kind: kFolder, By: by, Space: f.Space, Text: f.Path, At: at}, nil
		}})
	}
	ids := map[string]*string{} // space + folder + name → document id
	for i, d := range docs {
		d := d
		by, at := sd.user(d.Space, d.Who), sd.at(d.DaysAgo, 10).Add(time.Duration(i)*time.Minute)
		key := d.Space + d.Folder + "/" + d.Name
		ref, version := ids[key], 2
		if ref == nil {
			ref, version = new(string), 1
			ids[key] = ref
		}
		items = append(items, timed{at: at, make: func() (*entry, error) {
			return sd.storeDoc(ctx, d, by, at, version, *ref)
		}, done: func(e *entry) { *ref = e.Ref }})
	}
	return items
}

// storeDoc stores a seed document's bytes and text and returns its log
// entry (its Ref is filled in when written, for a new document).
func (sd *seeder) storeDoc(ctx context.Context, d SeedDoc, by string, at time.Time, version int, ref string) (*entry, error) {
	if version > 1 && ref == "" {
		return nil, nil // the first version was skipped
	}
	if _, ok := sd.svc.org.TeamName(d.Space); !ok && !IsCommunityID(d.Space) {
		return nil, nil // a team the organisation does not have
	}
	var data []byte
	if strings.HasSuffix(d.Name, ".pdf") {
		data = doctext.SimplePDF(d.Title, d.Lines)
	} else {
		data = []byte(strings.Join(d.Lines, "\n") + "\n")
	}
	ct, ok := blob.Sniff(data, d.Name, allowedKinds)
	if !ok {
		return nil, fmt.Errorf("seed document %s: not an accepted file", d.Name)
	}
	svc := sd.svc
	blobID := newBlobID("doc-")
	f, err := svc.st.files.Put(ctx, blobID, d.Name, ct, data)
	if err != nil {
		return nil, fmt.Errorf("seed document %s: %w", d.Name, err)
	}
	svc.st.texts.Save(ctx, blobID, d.Name, ct, data)
	sum := sha256.Sum256(data)
	return &entry{Kind: kDocument, By: by, Space: d.Space, Ref: ref, At: at, Document: &entryDocument{Folder: d.Folder, Name: d.Name,
		Version: DocumentVersionDoc{Version: version, BlobID: blobID, Size: f.Length, ContentType: ct, SHA256: hex.EncodeToString(sum[:]),
			UploadedBy: by, Note: d.Note}}}, nil
}
