package teamspace

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/plein/plein/server/apperr"
)

// Collections are the collections team spaces keep (for the privacy
// register): the change log's segments, profile revisions, calendar-feed
// tokens and the file buckets.
var Collections = []string{logPrefix + "*", profilesColl, feedsColl, sealedColl, filesBucket + ".*", textsBucket + ".*"}

// PersonalData is what the team spaces hold about a person: the posts,
// comments, events, announcements and document versions they wrote, their
// reactions and community memberships. Read from memory (the fold of the
// change log), no store query.
func (s *Service) PersonalData(_ context.Context, userID string) (any, error) {
	type postOut struct {
		ID, SpaceID, Body, Visibility string
		CreatedAt, EditedAt           time.Time
	}
	type commentOut struct {
		ID, PostID, SpaceID, Body string
		CreatedAt                 time.Time
	}
	type reactionOut struct{ PostID, SpaceID, Emoji string }
	type eventOut struct {
		ID, SpaceID, Title, Location, Description string
		Start, End, CreatedAt                     time.Time
	}
	type docOut struct {
		ID, SpaceID, Name, Note string
		Version                 int
		UploadedAt              time.Time
	}
	type announcementOut struct {
		ID, Title, Body string
		CreatedAt       time.Time
	}
	out := struct {
		Posts         []postOut         `json:"posts"`
		Comments      []commentOut      `json:"comments"`
		Reactions     []reactionOut     `json:"reactions"`
		Events        []eventOut        `json:"events"`
		Documents     []docOut          `json:"documentVersions"`
		Announcements []announcementOut `json:"announcements"`
		Communities   []string          `json:"communities"`
	}{Posts: []postOut{}, Comments: []commentOut{}, Reactions: []reactionOut{}, Events: []eventOut{}, Documents: []docOut{},
		Announcements: []announcementOut{}, Communities: []string{}}
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := s.cur
	for _, p := range st.posts {
		if p.AuthorID == userID {
			out.Posts = append(out.Posts, postOut{p.ID, p.SpaceID, p.Body, p.Visibility, p.CreatedAt, p.EditedAt})
		}
		for _, c := range p.comments {
			if c.AuthorID == userID {
				out.Comments = append(out.Comments, commentOut{c.ID, p.ID, p.SpaceID, c.Body, c.CreatedAt})
			}
		}
		for emoji, who := range p.reactions {
			for _, u := range who {
				if u == userID {
					out.Reactions = append(out.Reactions, reactionOut{p.ID, p.SpaceID, emoji})
				}
			}
		}
	}
	for _, e := range st.events {
		if e.CreatedBy == userID {
			out.Events = append(out.Events, eventOut{e.ID, e.SpaceID, e.Title, e.Location, e.Description, e.Start, e.End, e.CreatedAt})
		}
	}
	for _, d := range st.docs {
		for _, v := range d.Versions {
			if v.UploadedBy == userID {
				out.Documents = append(out.Documents, docOut{d.ID, d.SpaceID, d.Name, v.Note, v.Version, v.UploadedAt})
			}
		}
	}
	for _, a := range st.annOrder {
		if a.AuthorID == userID {
			out.Announcements = append(out.Announcements, announcementOut{a.ID, a.Title, a.Body, a.CreatedAt})
		}
	}
	for id, c := range st.communities {
		if _, ok := c.members[userID]; ok {
			out.Communities = append(out.Communities, id)
		}
	}
	return out, nil
}

// retentionBy is the author of the delete entries the retention sweep
// appends.
const retentionBy = "system:retention"

// expirePost deletes a post as DeletePost does, without an actor's
// visibility and authorship checks (the retention policy decides).
func (s *Service) expirePost(ctx context.Context, spaceID, postID string) error {
	var seqs []int64
	var blobs []string
	_, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		p := st.livePost(spaceID, postID)
		if p == nil {
			return nil, apperr.NotFound("not_found", "post not found")
		}
		seqs, blobs = slices.Clone(p.textSeqs), nil
		for _, c := range p.comments {
			if n, ok := parseRef('c', c.ID); ok {
				seqs = append(seqs, n)
			}
		}
		for _, at := range p.Attachments {
			blobs = append(blobs, at.BlobID)
		}
		return &entry{Kind: kPostDelete, By: retentionBy, Space: spaceID, Ref: postID}, nil
	})
	if err != nil {
		return err
	}
	s.erase(ctx, seqs, blobs)
	return nil
}

// expireDocument deletes a document as DeleteDocument does, without an
// actor's membership check.
func (s *Service) expireDocument(ctx context.Context, spaceID, docID string) error {
	_, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		if d, ok := st.docs[docID]; !ok || d.SpaceID != spaceID {
			return nil, apperr.NotFound("not_found", "document not found")
		}
		return &entry{Kind: kDocDelete, By: retentionBy, Space: spaceID, Ref: docID}, nil
	})
	return err
}

// SweepPosts deletes posts (with their comments and attachments) whose last
// activity — creation, edit or newest comment — is before before. Pinned
// posts and team agreements stay: they are the team's standing rules. The
// candidates come from memory; each delete is a normal delete entry, so
// every instance and the search index follow it. A post another instance
// deleted first counts as done.
func (s *Service) SweepPosts(ctx context.Context, before time.Time) (int, error) {
	var old []itemRef
	s.mu.RLock()
	for _, p := range s.cur.posts {
		if p.Pinned || p.Agreement {
			continue
		}
		last := p.CreatedAt
		if p.EditedAt.After(last) {
			last = p.EditedAt
		}
		if n := len(p.comments); n > 0 && p.comments[n-1].CreatedAt.After(last) {
			last = p.comments[n-1].CreatedAt
		}
		if last.Before(before) {
			old = append(old, itemRef{p.SpaceID, p.ID})
		}
	}
	s.mu.RUnlock()
	return expireAll(ctx, old, s.expirePost)
}

// SweepDocuments deletes documents whose newest version was uploaded
// before before, in the same way as SweepPosts.
func (s *Service) SweepDocuments(ctx context.Context, before time.Time) (int, error) {
	var old []itemRef
	s.mu.RLock()
	for _, d := range s.cur.docs {
		if d.Current().UploadedAt.Before(before) {
			old = append(old, itemRef{d.SpaceID, d.ID})
		}
	}
	s.mu.RUnlock()
	return expireAll(ctx, old, s.expireDocument)
}

// itemRef names a post or document in its space.
type itemRef struct{ space, id string }

// expireAll deletes each item with expire; one another instance deleted
// first counts as done. It returns how many this call deleted.
func expireAll(ctx context.Context, refs []itemRef, expire func(ctx context.Context, space, id string) error) (int, error) {
	n := 0
	for _, r := range refs {
		err := expire(ctx, r.space, r.id)
		if errors.Is(err, apperr.ErrNotFound) {
			continue
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
