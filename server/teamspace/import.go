package teamspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store/blob"
)

// The kinds of ImportItem: what happened.
const (
	ImportCommunity    = kCommunity // a community was made (Community)
	ImportJoin         = kJoin      // By joined community Space
	ImportPost         = kPost      // a post (Text, Visibility, Agreement)
	ImportPin          = kPin       // post Ref was pinned
	ImportComment      = kComment   // a comment (Text) on post Ref
	ImportReaction     = kReact     // a reaction (Text: the emoji) to post Ref
	ImportEvent        = kEvent     // an event in the agenda (Event, Visibility)
	ImportAnnouncement = kAnnounce  // an announcement (Announcement, Text)
	ImportAck          = kAck       // announcement Ref was acknowledged
	ImportFolder       = kFolder    // a folder (Text: its path)
	ImportDocument     = kDocument  // a document, or with Ref a new version of document Ref (Document)
)

// ImportItem is one change in the team spaces as an import from another
// system brings it in (the demo content, server/demo, comes in this way
// too): written to the log as made At by By.
type ImportItem struct {
	Kind  string // one of the Import* kinds
	At    time.Time
	By    string // user id
	Space string // team or community id; none for announcements and acks
	// Key names the change: unique in the import and the same in every run
	// of it (a re-run skips the items whose Key the log holds). Ref is the
	// Key of the post, announcement or document it acts on.
	Key, Ref     string
	Text         string
	Visibility   string
	Agreement    bool
	Community    *ImportedCommunity
	Event        *ImportedEvent
	Announcement *ImportedAnnouncement
	Document     *ImportedDocument
}

// ImportedCommunity is a community's name and description.
type ImportedCommunity struct{ Name, Description string }

// ImportedEvent is an event; an all-day event starts and ends at midnight UTC.
type ImportedEvent struct {
	Title, Location, Description string
	Start, End                   time.Time
	AllDay                       bool
}

// ImportedAnnouncement is an announcement's title and audience.
type ImportedAnnouncement struct {
	Title       string
	Audience    Audience
	RequiresAck bool
}

// ImportedDocument is a document's file: its folder, name and bytes.
type ImportedDocument struct {
	Folder, Name, Note string
	Data               []byte
}

// ImportedProfile is a team's profile as it was first written.
type ImportedProfile struct {
	Team, By    string
	At          time.Time
	Description string
	WorkingArea []string
}

// Import writes team profiles that are not there yet, then the items in
// the order given (give them in time order: the log's order is the
// streams' order), each with its Key in its log entry. Items in a team the
// organisation does not have are skipped, and so are items whose Ref was
// skipped. An item whose Key the log holds is skipped too: an import that
// stopped half-way is completed by running it again, and a second run of
// a whole import writes nothing.
func (s *Service) Import(ctx context.Context, profiles []ImportedProfile, items []ImportItem) error {
	if err := s.catchUp(ctx); err != nil {
		return err
	}
	for _, p := range profiles {
		if err := s.importProfile(ctx, p); err != nil {
			return err
		}
	}
	refs := map[string]string{}  // Key → public id
	versions := map[string]int{} // document Key → versions written
	for _, it := range items {
		if it.Key == "" {
			return fmt.Errorf("import %s by %s at %s: no key", it.Kind, it.By, it.At)
		}
		if it.Space != "" && !IsCommunityID(it.Space) {
			if _, ok := s.org.TeamName(it.Space); !ok {
				continue // a team the organisation does not have
			}
		}
		ref := ""
		if it.Ref != "" {
			if ref = refs[it.Ref]; ref == "" {
				continue // what it acts on was skipped
			}
		}
		docKey := it.Key
		if it.Ref != "" {
			docKey = it.Ref
		}
		if it.Kind == ImportDocument {
			versions[docKey]++
		}
		s.mu.RLock()
		made, stored := s.cur.imported[it.Key]
		s.mu.RUnlock()
		if !stored {
			var err error
			if made, err = s.importItem(ctx, it, ref, versions[docKey]); err != nil {
				return err
			}
		}
		if made != "" {
			refs[it.Key] = made
		}
	}
	return nil
}

// importItem writes one item as version version (documents) and returns
// the public id of the post, announcement or document it made.
func (s *Service) importItem(ctx context.Context, it ImportItem, ref string, version int) (string, error) {
	e := &entry{Kind: it.Kind, By: it.By, Space: it.Space, Ref: ref, Text: it.Text, Visibility: it.Visibility, Agreement: it.Agreement, At: it.At, Import: it.Key}
	switch it.Kind {
	case ImportPin:
		e.Pinned = true
	case ImportCommunity:
		e.Community = &entryCommunity{Name: it.Community.Name, Description: it.Community.Description}
	case ImportEvent:
		ev := it.Event
		e.Event = &entryEvent{Title: ev.Title, Start: ev.Start, End: ev.End, AllDay: ev.AllDay, Location: ev.Location, Description: ev.Description}
	case ImportAnnouncement:
		e.Announce = &entryAnnouncement{Title: it.Announcement.Title, Audience: it.Announcement.Audience, RequiresAck: it.Announcement.RequiresAck}
	case ImportDocument:
		doc, err := s.importFile(ctx, it.Document, it.By, version)
		if err != nil {
			return "", err
		}
		e.Document = doc
	}
	newDoc := e.Kind == kDocument && e.Ref == ""
	written, err := s.write(ctx, func(_ *state, seq int64) (*entry, error) {
		if newDoc {
			e.Ref = refID('d', seq) // a new document is named by its entry
		}
		return e, nil
	})
	if err != nil {
		return "", fmt.Errorf("import: %w", err)
	}
	switch it.Kind {
	case ImportPost:
		return refID('p', written.Seq), nil
	case ImportAnnouncement:
		return refID('a', written.Seq), nil
	case ImportDocument:
		return written.Ref, nil
	}
	return "", nil
}

// importProfile writes a team's first profile revision, unless the team
// has a profile or the organisation does not have the team.
func (s *Service) importProfile(ctx context.Context, p ImportedProfile) error {
	if _, ok := s.org.TeamName(p.Team); !ok {
		return nil
	}
	s.mu.RLock()
	have := s.cur.peek(p.Team).profile() != nil
	s.mu.RUnlock()
	if have {
		return nil
	}
	r := &ProfileRevisionDoc{ID: ProfileRevisionID(p.Team, 1), SpaceID: p.Team, Revision: 1, At: p.At,
		By: p.By, Fields: []string{"description", "workingArea"}, Description: p.Description, WorkingArea: p.WorkingArea}
	// Stored already by a run that stopped before its log entry: the entry
	// is still to be written.
	if err := s.st.insertProfile(ctx, r); err != nil && !errors.Is(err, apperr.ErrConflict) {
		return fmt.Errorf("import profile %s: %w", p.Team, err)
	}
	_, err := s.write(ctx, func(*state, int64) (*entry, error) {
		return &entry{Kind: kProfile, By: p.By, Space: p.Team, At: r.At, Profile: r}, nil
	})
	return err
}

// importFile stores a document's bytes and text.
func (s *Service) importFile(ctx context.Context, d *ImportedDocument, by string, version int) (*entryDocument, error) {
	ct, ok := blob.Sniff(d.Data, d.Name, allowedKinds)
	if !ok {
		return nil, fmt.Errorf("import document %s: not an accepted file", d.Name)
	}
	blobID := newBlobID("doc-")
	f, err := s.st.files.Put(ctx, blobID, d.Name, ct, d.Data)
	if err != nil {
		return nil, fmt.Errorf("import document %s: %w", d.Name, err)
	}
	s.st.texts.Save(ctx, blobID, d.Name, ct, d.Data)
	sum := sha256.Sum256(d.Data)
	return &entryDocument{Folder: d.Folder, Name: d.Name, Version: DocumentVersionDoc{Version: version, BlobID: blobID, Size: f.Length,
		ContentType: ct, SHA256: hex.EncodeToString(sum[:]), UploadedBy: by, Note: d.Note}}, nil
}
