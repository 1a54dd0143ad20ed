package teamspace

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/plein/plein/server/org"
)

// state is everything in memory: the fold of the change log (plus the
// profile revisions). It is mutated only by apply, under Service.mu.
type state struct {
	last          int64 // sequence of the last applied entry
	spaces        map[string]*spaceData
	communities   map[string]*community
	posts         map[string]*post // live posts by id
	docs          map[string]*document
	events        map[string]*EventDoc
	announcements map[string]*announcement
	annOrder      []*announcement // oldest first
	latest        *latestProfiles // shared with the Service; told of every merged profile revision
	// claimed holds the bytes (blob ids) a post's entry ever named, live
	// or deleted: a staged upload is published with one post only.
	claimed map[string]bool
	// imported maps the Key of every import item in the log to the public
	// id of the post, announcement or document it made ("" for others).
	imported map[string]string
}

type spaceData struct {
	posts    []*post // live posts, oldest first (ascending sequence)
	folders  map[string]bool
	docs     []*document // live documents
	events   []*EventDoc // live events
	profiles []*ProfileRevisionDoc
}

type post struct {
	PostDoc
	seq       int64
	textSeqs  []int64 // the entries that hold its text (creation, edits): redacted on delete
	rev       int     // number of edits: the key of the rendered HTML
	mentions  []string
	reactions map[string][]string // emoji → user ids
	comments  []*CommentDoc       // live comments, oldest first
}

type document struct {
	DocumentDoc
}

type community struct {
	CommunityDoc
	members map[string]time.Time // user → joined at
}

type announcement struct {
	AnnouncementDoc
	acks map[string]time.Time
}

func newState() *state {
	return &state{spaces: map[string]*spaceData{}, communities: map[string]*community{}, posts: map[string]*post{},
		docs: map[string]*document{}, events: map[string]*EventDoc{}, announcements: map[string]*announcement{}, claimed: map[string]bool{},
		imported: map[string]string{}}
}

func (st *state) space(id string) *spaceData {
	sd := st.spaces[id]
	if sd == nil {
		sd = &spaceData{folders: map[string]bool{"/": true}}
		st.spaces[id] = sd
	}
	return sd
}

// peek returns the space's data without creating it (nil when none).
func (st *state) peek(id string) *spaceData { return st.spaces[id] }

// profile returns a space's current profile revision, or nil.
func (sd *spaceData) profile() *ProfileRevisionDoc {
	if sd == nil || len(sd.profiles) == 0 {
		return nil
	}
	return sd.profiles[len(sd.profiles)-1]
}

// postsBefore returns the index of the first post with seq >= before.
func (sd *spaceData) postsBefore(before int64) int {
	return sort.Search(len(sd.posts), func(i int) bool { return sd.posts[i].seq >= before })
}

// indexOp is a call to the search indexer, made after the state lock is released.
type indexOp func(Indexer)

// apply folds one entry into the state. Entries are applied strictly in
// sequence; an entry already applied is ignored. Entries that no longer make
// sense (a reaction to a deleted post) change nothing. It returns the
// indexer calls to make.
// noteImport records an import item's Key with the public id of what it
// made.
func (st *state) noteImport(e *entry) {
	if e.Import == "" {
		return
	}
	ref := ""
	switch e.Kind {
	case kPost:
		ref = refID('p', e.Seq)
	case kAnnounce:
		ref = refID('a', e.Seq)
	case kDocument:
		ref = e.Ref
	}
	st.imported[e.Import] = ref
}

func (st *state) apply(e *entry) []indexOp {
	if e.Seq != st.last+1 {
		return nil
	}
	st.last = e.Seq
	st.noteImport(e)
	switch e.Kind {
	case kCommunity:
		if e.Community == nil || st.communities[e.Space] != nil {
			return nil
		}
		st.communities[e.Space] = &community{CommunityDoc: CommunityDoc{ID: e.Space, Name: e.Community.Name,
			Description: e.Community.Description, CreatedBy: e.By, CreatedAt: e.At}, members: map[string]time.Time{e.By: e.At}}
		st.space(e.Space)
	case kJoin:
		if c := st.communities[e.Space]; c != nil {
			if _, ok := c.members[e.By]; !ok {
				c.members[e.By] = e.At
			}
		}
	case kLeave:
		if c := st.communities[e.Space]; c != nil {
			delete(c.members, e.By)
		}
	case kProfile:
		if e.Profile != nil {
			st.mergeProfile(e.Profile)
		}
	case kPost:
		p := &post{PostDoc: PostDoc{ID: refID('p', e.Seq), SpaceID: e.Space, AuthorID: e.By, Body: e.Text, Visibility: e.Visibility,
			Agreement: e.Agreement, CreatedAt: e.At, Attachments: slices.Clip(append([]AttachmentDoc{}, e.Attachments...))}, seq: e.Seq, textSeqs: []int64{e.Seq}, reactions: map[string][]string{}}
		for _, at := range e.Attachments {
			st.claimed[at.BlobID] = true
		}
		sd := st.space(e.Space)
		sd.posts = append(sd.posts, p) // sequences only grow: stays sorted
		st.posts[p.ID] = p
		return []indexOp{putPost(p)}
	case kPostEdit:
		p := st.livePost(e.Space, e.Ref)
		if p == nil {
			return nil
		}
		p.Body, p.Visibility, p.Agreement, p.EditedAt = e.Text, e.Visibility, e.Agreement, e.At
		p.textSeqs = append(p.textSeqs, e.Seq)
		for _, at := range e.Attachments {
			st.claimed[at.BlobID] = true
		}
		if len(e.Attachments) > 0 {
			p.Attachments = append(slices.Clone(p.Attachments), e.Attachments...)
		}
		p.rev++
		return []indexOp{putPost(p)}
	case kPostDelete:
		p := st.livePost(e.Space, e.Ref)
		if p == nil {
			return nil
		}
		delete(st.posts, p.ID)
		sd := st.space(e.Space)
		sd.posts = slices.DeleteFunc(sd.posts, func(x *post) bool { return x == p })
		id := p.ID
		return []indexOp{func(ix Indexer) { ix.DeletePost(id) }}
	case kPin:
		if p := st.livePost(e.Space, e.Ref); p != nil {
			p.Pinned = e.Pinned
		}
	case kReact:
		if p := st.livePost(e.Space, e.Ref); p != nil && !slices.Contains(p.reactions[e.Text], e.By) {
			p.reactions[e.Text] = append(p.reactions[e.Text], e.By)
		}
	case kUnreact:
		if p := st.livePost(e.Space, e.Ref); p != nil {
			p.reactions[e.Text] = slices.DeleteFunc(p.reactions[e.Text], func(u string) bool { return u == e.By })
			if len(p.reactions[e.Text]) == 0 {
				delete(p.reactions, e.Text)
			}
		}
	case kAttach:
		if e.Attachment != nil {
			st.claimed[e.Attachment.BlobID] = true
		}
		if p := st.livePost(e.Space, e.Ref); p != nil && e.Attachment != nil {
			p.Attachments = append(slices.Clone(p.Attachments), *e.Attachment)
			return []indexOp{putPost(p)}
		}
	case kComment:
		if p := st.livePost(e.Space, e.Ref); p != nil {
			p.comments = append(p.comments, &CommentDoc{ID: refID('c', e.Seq), PostID: p.ID, AuthorID: e.By, Body: e.Text, CreatedAt: e.At})
		}
	case kCommentDelete:
		if p := st.livePost(e.Space, e.Ref); p != nil {
			p.comments = slices.DeleteFunc(p.comments, func(c *CommentDoc) bool { return c.ID == e.Sub })
		}
	case kFolder:
		st.space(e.Space).folders[e.Text] = true
	case kDocument:
		if e.Document == nil {
			return nil
		}
		v := e.Document.Version
		v.UploadedAt, v.UploadedBy = e.At, e.By
		d := st.docs[e.Ref]
		if d == nil {
			if e.Ref != refID('d', e.Seq) {
				return nil // a new version of a document deleted meanwhile
			}
			d = &document{DocumentDoc{ID: e.Ref, SpaceID: e.Space, Folder: e.Document.Folder, Name: e.Document.Name, CreatedAt: e.At}}
			st.docs[d.ID] = d
			sd := st.space(e.Space)
			sd.docs = append(sd.docs, d)
		} else if d.SpaceID != e.Space || v.Version != d.Current().Version+1 {
			return nil
		}
		d.Versions = append(slices.Clone(d.Versions), v)
		return []indexOp{putDocument(d)}
	case kDocDelete:
		d := st.docs[e.Ref]
		if d == nil || d.SpaceID != e.Space {
			return nil
		}
		delete(st.docs, d.ID)
		sd := st.space(e.Space)
		sd.docs = slices.DeleteFunc(sd.docs, func(x *document) bool { return x == d })
		id := d.ID
		return []indexOp{func(ix Indexer) { ix.DeleteDocument(id) }}
	case kEvent:
		if e.Event == nil {
			return nil
		}
		ev := &EventDoc{ID: refID('e', e.Seq), SpaceID: e.Space, Title: e.Event.Title, Start: e.Event.Start.UTC(), End: e.Event.End.UTC(),
			AllDay: e.Event.AllDay, Location: e.Event.Location, Description: e.Event.Description, Visibility: e.Visibility,
			CreatedBy: e.By, CreatedAt: e.At}
		st.events[ev.ID] = ev
		sd := st.space(e.Space)
		sd.events = append(sd.events, ev)
	case kEventDelete:
		ev := st.events[e.Ref]
		if ev == nil || ev.SpaceID != e.Space {
			return nil
		}
		delete(st.events, ev.ID)
		sd := st.space(e.Space)
		sd.events = slices.DeleteFunc(sd.events, func(x *EventDoc) bool { return x == ev })
	case kAnnounce:
		if e.Announce == nil {
			return nil
		}
		a := &announcement{AnnouncementDoc: AnnouncementDoc{ID: refID('a', e.Seq), Title: e.Announce.Title, Body: e.Text, AuthorID: e.By,
			Audience: e.Announce.Audience, RequiresAck: e.Announce.RequiresAck, CreatedAt: e.At}, acks: map[string]time.Time{}}
		st.announcements[a.ID] = a
		st.annOrder = append(st.annOrder, a)
	case kAck:
		if a := st.announcements[e.Ref]; a != nil {
			if _, ok := a.acks[e.By]; !ok {
				a.acks[e.By] = e.At
			}
		}
	}
	return nil
}

func (st *state) livePost(spaceID, id string) *post {
	p := st.posts[id]
	if p == nil || p.SpaceID != spaceID {
		return nil
	}
	return p
}

// mergeProfile adds a profile revision unless the space already has it
// (revisions come from the profile collection and from the log).
func (st *state) mergeProfile(r *ProfileRevisionDoc) {
	sd := st.space(r.SpaceID)
	i := sort.Search(len(sd.profiles), func(i int) bool { return sd.profiles[i].Revision >= r.Revision })
	if i < len(sd.profiles) && sd.profiles[i].Revision == r.Revision {
		return
	}
	c := *r
	c.Fields, c.WorkingArea = slices.Clone(r.Fields), slices.Clone(r.WorkingArea)
	sd.profiles = slices.Insert(sd.profiles, i, &c)
	st.latest.note(&c)
}

func putPost(p *post) indexOp {
	c := p.copyDoc()
	return func(ix Indexer) { ix.PutPost(&c) }
}

func putDocument(d *document) indexOp {
	c := d.copyDoc()
	return func(ix Indexer) { ix.PutDocument(&c) }
}

func (p *post) copyDoc() PostDoc {
	c := p.PostDoc
	c.Attachments = slices.Clone(p.Attachments)
	return c
}

func (d *document) copyDoc() DocumentDoc {
	c := d.DocumentDoc
	c.Versions = slices.Clone(d.Versions)
	return c
}

// folderChildren lists the direct subfolders of parent, by name.
func (sd *spaceData) folderChildren(parent string) []Folder {
	out := []Folder{}
	if sd == nil {
		return out
	}
	for p := range sd.folders {
		if p == "/" {
			continue
		}
		dir, name := splitFolder(p)
		if dir == parent {
			out = append(out, Folder{Path: p, Name: name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return org.Collate(out[i].Name) < org.Collate(out[j].Name) })
	return out
}

// splitFolder splits "/a/b" into "/a" and "b" ("/a" into "/" and "a").
func splitFolder(p string) (string, string) {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/", p[i+1:]
	}
	return p[:i], p[i+1:]
}
