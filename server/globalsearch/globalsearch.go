// Package globalsearch is the one search box across Plein: posts, documents,
// knowledge articles, teams, communities, people and chat messages, in Dutch
// (the analysis of server/search), returning only what the asker may see.
//
// Each instance keeps in-memory indexes of posts, documents, people and chat
// messages, built from the domains at start and kept current by their
// change hooks (team spaces' Indexer, chat's OnEntry, a periodic people
// refresh). Access is checked per hit by the owning domain's rule while
// ranking (search.Query.Allow), so a hit the asker may not see never counts
// and never shows. Knowledge articles are searched by the knowledge base's
// own index; teams and communities are few and are matched per query.
package globalsearch

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/knowledge"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/search"
	"github.com/plein/plein/server/teamspace"
)

// Spaces is what search needs of team spaces.
type Spaces interface {
	CanSee(userID, spaceID, visibility string) bool
	SpaceName(id string) string
	AllPosts() []teamspace.PostDoc
	AllDocuments() []teamspace.DocumentDoc
	// DocumentText is the extracted text of a document version by the id of
	// its bytes, "" when it has none.
	DocumentText(ctx context.Context, blobID string) (string, error)
	ListSpaces(ctx context.Context, a *identity.Actor) (*teamspace.SpaceList, error)
}

// Knowledge searches articles.
type Knowledge interface {
	Search(a *identity.Actor, q knowledge.SearchQuery) (knowledge.SearchResult, error)
}

// Chat is what search needs of chat. Search does not import chat (chat sits
// beside server/ and only app wires the two): app converts chat's entries.
type Chat interface {
	IsMember(userID, chID string) bool
	EachStoredEntry(ctx context.Context, f func(*ChatEntry)) error
}

// ChatEntry is what search reads of one chat entry: a message, an edit of
// one or a deletion of one.
type ChatEntry struct {
	Kind    ChatKind
	Ch      string // the channel
	Seq     int64  // the entry's own sequence number in its channel
	Target  int64  // edits and deletions: the message's sequence number
	ByName  string
	Body    string
	At      time.Time
	Deleted bool // a message whose text was removed
}

// ChatKind says what a ChatEntry is.
type ChatKind int

// The chat entries search indexes.
const (
	ChatMessage ChatKind = iota + 1
	ChatEdit
	ChatDelete
)

// messageID is a message's id in the index: channel and zero-padded
// sequence number.
func messageID(ch string, seq int64) string { return fmt.Sprintf("%s:%012d", ch, seq) }

// Org lists teams.
type Org interface {
	ListTeams(a *identity.Actor, regionID string) ([]org.TeamSummary, error)
	TeamIDsOf(userID string) []string
	TeamName(teamID string) (string, bool)
}

// People is the user directory.
type People interface {
	All() []identity.User
	Get(id string) (identity.User, bool)
}

// Types are the result groups, in display order: the organisation's
// protocols (knowledge articles) first, then the team's documents, then
// posts, for the same match (#14 §7).
var Types = []string{"article", "document", "post", "team", "community", "person", "message"}

// MaxPeople caps the person group: people are found by name, and a word
// that many names share ("de") must not fill the page with colleagues.
// Total says how many matched; "meer" pages through them.
const MaxPeople = 10

type postMeta struct{ space, vis, author, title string }
type docMeta struct {
	space, folder, name string
	blob                string    // the current version's bytes
	at                  time.Time // the current version's upload
	text                bool      // the current version's text is indexed
}
type msgMeta struct {
	ch      string
	seq     int64
	byName  string
	at      time.Time // when the message was written (an edit keeps it)
	editSeq int64     // the sequence of the edit whose text is indexed (0: the original)
}

type pendingEdit struct {
	body string
	seq  int64
}

// Service is the global search.
type Service struct {
	spaces Spaces
	kb     Knowledge
	chat   Chat
	org    Org
	people People

	mu    sync.RWMutex
	posts map[string]postMeta
	docs  map[string]docMeta
	msgs  map[string]msgMeta
	text  map[string]string // id → plain text for snippets (posts, messages, documents)

	// Document texts are read in the background (Run): documents are
	// found by name at once and by contents shortly after. docMu orders
	// the document index's writes (the domain's hook and Run) with its
	// metadata, so an older version's text never lands after a newer
	// version or a deletion.
	docMu sync.Mutex
	log   *slog.Logger

	// Stored chat messages are loaded in the background (loadMessages);
	// msgMu orders the message index's writes. While loading, edits and
	// deletions of messages not seen yet wait in pendEdit and pendDel.
	msgMu      sync.Mutex
	loading    bool
	pendEdit   map[string]pendingEdit
	pendDel    map[string]bool
	msgsLoaded chan struct{}
	qmu        sync.Mutex
	qorder     []string          // document ids waiting for their text, oldest first
	qblob      map[string]string // document id → blob to read
	qidle      chan struct{}     // closed when the queue is empty and nothing is being read
	qwake      chan struct{}

	postIx, docIx, msgIx, peopleIx *search.Index
}

// New builds the indexes from the domains. Stored chat messages are loaded
// in the background from here on, document contents by Run.
func New(ctx context.Context, spaces Spaces, kb Knowledge, ch Chat, o Org, people People) (*Service, error) {
	s := &Service{spaces: spaces, kb: kb, chat: ch, org: o, people: people, log: slog.Default(),
		qblob: map[string]string{}, qwake: make(chan struct{}, 1),
		posts: map[string]postMeta{}, docs: map[string]docMeta{}, msgs: map[string]msgMeta{}, text: map[string]string{},
		postIx: search.NewIndex(), docIx: search.NewIndex(), msgIx: search.NewIndex(), peopleIx: search.NewIndex()}
	for _, p := range spaces.AllPosts() {
		s.PutPost(&p)
	}
	for _, d := range spaces.AllDocuments() {
		s.PutDocument(&d)
	}
	s.loading, s.pendEdit, s.pendDel, s.msgsLoaded = true, map[string]pendingEdit{}, map[string]bool{}, make(chan struct{})
	go s.loadMessages(context.WithoutCancel(ctx))
	s.RefreshPeople()
	return s, nil
}

var mentionRE = regexp.MustCompile(`<@(u[0-9a-f]{24})>`)

func (s *Service) name(id string) string {
	if u, ok := s.people.Get(id); ok {
		return u.Name
	}
	return ""
}

// plain turns a markdown body with mention tokens into plain text, with
// likely client identifiers masked (identifiers.Mask): a post or message
// stored with an acknowledged BSN, date of birth or address is neither
// found by it nor shows it in a snippet.
func (s *Service) plain(body string) string {
	body = mentionRE.ReplaceAllStringFunc(body, func(m string) string {
		if n := s.name(m[2 : len(m)-1]); n != "" {
			return "@" + n
		}
		return "@"
	})
	return identifiers.Mask(search.PlainText(body))
}

func firstLine(s string, n int) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if utf8.RuneCountInString(s) > n {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:n])) + "…"
	}
	return s
}

// PutPost indexes a post (teamspace.Indexer).
func (s *Service) PutPost(p *teamspace.PostDoc) {
	text := s.plain(p.Body)
	var files []string
	for _, a := range p.Attachments {
		files = append(files, a.Name)
	}
	s.mu.Lock()
	s.posts[p.ID] = postMeta{space: p.SpaceID, vis: p.Visibility, author: p.AuthorID, title: firstLine(text, 80)}
	s.text[p.ID] = text
	s.mu.Unlock()
	s.postIx.Put(search.Document{ID: p.ID, Body: text + "\n" + strings.Join(files, " "), Time: p.CreatedAt})
}

// DeletePost removes a post (teamspace.Indexer).
func (s *Service) DeletePost(id string) {
	s.mu.Lock()
	delete(s.posts, id)
	delete(s.text, id)
	s.mu.Unlock()
	s.postIx.Delete(id)
}

// PutDocument indexes a document's name and folder, and queues its
// current version's text for Run (teamspace.Indexer).
func (s *Service) PutDocument(d *teamspace.DocumentDoc) {
	cur := d.Current()
	m := docMeta{space: d.SpaceID, folder: d.Folder, name: d.Name, blob: cur.BlobID, at: cur.UploadedAt}
	s.docMu.Lock()
	defer s.docMu.Unlock()
	s.mu.Lock()
	old, had := s.docs[d.ID]
	text := ""
	if had && old.blob == m.blob && old.text {
		m.text, text = true, s.text[d.ID] // the same version: keep its text
	} else {
		delete(s.text, d.ID) // another version: its text follows
	}
	s.docs[d.ID] = m
	s.mu.Unlock()
	s.putDoc(d.ID, m, text)
	if !m.text {
		s.enqueueText(d.ID, m.blob)
	}
}

func (s *Service) putDoc(id string, m docMeta, text string) {
	name := strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(identifiers.Mask(m.name))
	s.docIx.Put(search.Document{ID: id, Title: name, Body: strings.ReplaceAll(m.folder, "/", " ") + "\n" + text, Time: m.at})
}

// DeleteDocument removes a document (teamspace.Indexer).
func (s *Service) DeleteDocument(id string) {
	s.docMu.Lock()
	defer s.docMu.Unlock()
	s.mu.Lock()
	delete(s.docs, id)
	delete(s.text, id)
	s.mu.Unlock()
	s.docIx.Delete(id)
}

func (s *Service) enqueueText(id, blob string) {
	s.qmu.Lock()
	if _, queued := s.qblob[id]; !queued {
		s.qorder = append(s.qorder, id)
	}
	s.qblob[id] = blob
	if s.qidle == nil {
		s.qidle = make(chan struct{})
	}
	s.qmu.Unlock()
	select {
	case s.qwake <- struct{}{}:
	default:
	}
}

// Run indexes document contents as documents arrive, until ctx ends: the
// text extracted at upload (server/doctext), read from the store.
func (s *Service) Run(ctx context.Context) {
	for {
		s.qmu.Lock()
		if len(s.qorder) == 0 {
			if s.qidle != nil {
				close(s.qidle)
				s.qidle = nil
			}
			s.qmu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-s.qwake:
			}
			continue
		}
		id := s.qorder[0]
		s.qorder = s.qorder[1:]
		blob := s.qblob[id]
		delete(s.qblob, id)
		s.qmu.Unlock()
		s.loadText(ctx, id, blob)
	}
}

// Settle waits until the stored chat messages are loaded and every queued
// document text is indexed (for tests and benchmarks; Run must be running
// for the texts).
func (s *Service) Settle(ctx context.Context) error {
	select {
	case <-s.msgsLoaded:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.qmu.Lock()
	ch := s.qidle
	s.qmu.Unlock()
	if ch == nil {
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Service) loadText(ctx context.Context, id, blob string) {
	text, err := s.spaces.DocumentText(ctx, blob)
	if err != nil {
		if ctx.Err() == nil {
			s.log.WarnContext(ctx, "index document text", "document", id, "err", err)
		}
		return // found by its name until its next version or a restart
	}
	s.docMu.Lock()
	defer s.docMu.Unlock()
	s.mu.Lock()
	m, ok := s.docs[id]
	if !ok || m.blob != blob {
		s.mu.Unlock()
		return // deleted or replaced meanwhile: the newer version is queued
	}
	m.text = true
	s.docs[id] = m
	text = identifiers.Mask(text)
	if text != "" {
		s.text[id] = text
	}
	s.mu.Unlock()
	s.putDoc(id, m, text)
}

// ObserveEntry indexes a chat entry: messages, edits and deletions. Entries
// may come in any order while the stored messages are being loaded (the
// scan, and live entries meanwhile): an edit or deletion of a message not
// seen yet is kept until the message comes, and a message never undoes a
// newer edit.
func (s *Service) ObserveEntry(e *ChatEntry) {
	s.msgMu.Lock()
	defer s.msgMu.Unlock()
	switch e.Kind {
	case ChatMessage:
		id := messageID(e.Ch, e.Seq)
		if e.Deleted || e.Body == "" {
			return
		}
		s.mu.RLock()
		m, seen := s.msgs[id]
		gone := s.pendDel[id]
		pe, edited := s.pendEdit[id]
		s.mu.RUnlock()
		switch {
		case gone:
		case seen && m.editSeq > 0:
			// Already edited: the original text is older.
		case edited:
			s.putMessage(e.Ch, e.Seq, e.ByName, pe.body, e.At, pe.seq)
		default:
			s.putMessage(e.Ch, e.Seq, e.ByName, e.Body, e.At, 0)
		}
	case ChatEdit:
		id := messageID(e.Ch, e.Target)
		s.mu.Lock()
		m, ok := s.msgs[id]
		if !ok && s.loading {
			if pe, had := s.pendEdit[id]; !had || e.Seq > pe.seq {
				s.pendEdit[id] = pendingEdit{body: e.Body, seq: e.Seq}
			}
		}
		s.mu.Unlock()
		if ok && e.Seq > m.editSeq {
			s.putMessage(e.Ch, e.Target, m.byName, e.Body, m.at, e.Seq)
		}
	case ChatDelete:
		id := messageID(e.Ch, e.Target)
		s.mu.Lock()
		delete(s.msgs, id)
		delete(s.text, id)
		if s.loading {
			s.pendDel[id] = true
		}
		s.mu.Unlock()
		s.msgIx.Delete(id)
	}
}

func (s *Service) putMessage(ch string, seq int64, byName, body string, at time.Time, editSeq int64) {
	id := messageID(ch, seq)
	text := s.plain(body)
	s.mu.Lock()
	s.msgs[id] = msgMeta{ch: ch, seq: seq, byName: byName, at: at, editSeq: editSeq}
	s.text[id] = text
	s.mu.Unlock()
	// The channel is a facet: a search within one conversation
	// (ChannelMessages) filters on it inside the index.
	s.msgIx.Put(search.Document{ID: id, Body: text, Time: at, Facets: map[string]string{"ch": ch}})
}

// ChannelHit is a message found within one conversation.
type ChannelHit struct {
	Seq     int64
	At      time.Time
	ByName  string
	Snippet Snippet
}

// ChannelMessages finds the messages of one channel that match text, best
// first, at most limit, and how many match in all. It does not check who
// asks: the caller (chat's service) does, before.
func (s *Service) ChannelMessages(ch, text string, limit int) ([]ChannelHit, int) {
	res := s.msgIx.Search(search.Query{Text: text, Prefix: true, Limit: limit, Facets: map[string]string{"ch": ch}})
	words := found(text, res)
	out := make([]ChannelHit, 0, len(res.Hits))
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, h := range res.Hits {
		m, ok := s.msgs[h.ID]
		if !ok {
			continue // deleted meanwhile
		}
		out = append(out, ChannelHit{Seq: m.seq, At: m.at, ByName: m.byName, Snippet: snippet(s.text[h.ID], words)})
	}
	return out, res.Total
}

// loadMessages indexes the stored chat messages, in the background: a scan
// of every entry, which grows with the chat's history (on the embedded
// store about 15–20 µs an entry), so start-up does not wait for it.
func (s *Service) loadMessages(ctx context.Context) {
	defer close(s.msgsLoaded)
	if err := s.chat.EachStoredEntry(ctx, s.ObserveEntry); err != nil {
		s.log.WarnContext(ctx, "index chat messages", "err", err)
	}
	s.msgMu.Lock()
	s.mu.Lock()
	s.loading = false
	s.pendDel, s.pendEdit = nil, nil
	s.mu.Unlock()
	s.msgMu.Unlock()
}

// RefreshPeople rebuilds the people index from the user directory.
func (s *Service) RefreshPeople() {
	ix := search.NewIndex()
	for _, u := range s.people.All() {
		if u.Active {
			ix.Put(personDoc(u))
		}
	}
	s.mu.Lock()
	s.peopleIx = ix
	s.mu.Unlock()
}

// RefreshPerson updates one person in the people index after their record
// changed (a login, roles, activation, erasure).
func (s *Service) RefreshPerson(id string) {
	s.mu.RLock()
	ix := s.peopleIx
	s.mu.RUnlock()
	if u, ok := s.people.Get(id); ok && u.Active {
		ix.Put(personDoc(u))
	} else {
		ix.Delete(id)
	}
}

// personDoc is a person as the people index holds them: by name only (first
// and last name, prefix and typo tolerant as every index), not by words of
// their team's name or role, which made "zorg" find hundreds of people
// (#14 §7).
func personDoc(u identity.User) search.Document {
	return search.Document{ID: u.ID, Title: u.Name}
}

// Snippet is highlighted plain text; Marks in UTF-16 code units.
type Snippet struct {
	Text  string   `json:"text"`
	Marks [][2]int `json:"marks"`
}

// Item is one result.
type Item struct {
	ID      string  `json:"id"`
	Title   string  `json:"title"`
	Snippet Snippet `json:"snippet"`
	Link    string  `json:"link"`
	Meta    string  `json:"meta"`
}

// Group is the results of one type.
type Group struct {
	Type  string `json:"type"`
	Total int    `json:"total"`
	Items []Item `json:"items"`
	// Corrected is set when the text as typed found nothing of this type and
	// words close to it did (a typo): the words searched instead.
	Corrected string `json:"corrected,omitempty"`
}

// Query is a global search.
type Query struct {
	Text          string
	Types         []string
	Limit, Offset int
}

// Validate checks a query.
func (q *Query) Validate() error {
	var v apperr.Validator
	q.Text = strings.TrimSpace(q.Text)
	v.Check(q.Text != "", "q", "required", "type what you are looking for")
	v.Check(utf8.RuneCountInString(q.Text) <= 200, "q", "too_long", "use at most 200 characters", apperr.Params{"max": 200})
	for i, t := range q.Types {
		v.Check(slices.Contains(Types, t), fmt.Sprintf("types[%d]", i), "invalid", "use "+strings.Join(Types, ", "))
	}
	if len(q.Types) == 0 {
		q.Types = Types
	}
	return v.Err()
}

func snippet(text, q string) Snippet {
	sn := search.MakeSnippet(identifiers.Mask(text), q, 160) // the texts are masked already; a name or description may not be
	out := Snippet{Text: sn.Text, Marks: [][2]int{}}
	for _, m := range sn.Marks {
		if m[0] >= 0 && m[1] <= len(sn.Text) && m[0] <= m[1] {
			out.Marks = append(out.Marks, [2]int{u16(sn.Text[:m[0]]), u16(sn.Text[:m[1]])})
		}
	}
	return out
}

func u16(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// Search runs q for the actor: a group per requested type.
func (s *Service) Search(ctx context.Context, a *identity.Actor, q Query) ([]Group, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	out := make([]Group, 0, len(q.Types))
	for _, t := range Types {
		if !slices.Contains(q.Types, t) {
			continue
		}
		g, err := s.group(ctx, a, t, q)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// found is the text the snippets highlight: the words searched instead of
// the text as typed when that found nothing.
func found(text string, r search.Result) string {
	if r.Corrected != "" {
		return r.Corrected
	}
	return text
}

func (s *Service) group(ctx context.Context, a *identity.Actor, typ string, q Query) (Group, error) {
	g := Group{Type: typ, Items: []Item{}}
	sq := search.Query{Text: q.Text, Prefix: true, Limit: q.Limit, Offset: q.Offset}
	switch typ {
	case "post":
		s.findPosts(a, q, sq, &g)
	case "document":
		s.documents(a, q, sq, &g)
	case "message":
		s.messages(a, q, sq, &g)
	case "person":
		s.persons(q, sq, &g)
	case "article":
		return g, s.articles(a, q, &g)
	case "team", "community":
		return g, s.spaceGroup(ctx, a, typ, q, sq, &g)
	}
	return g, nil
}

// findPosts finds the posts a may see.
func (s *Service) findPosts(a *identity.Actor, q Query, sq search.Query, g *Group) {
	find(s, s.postIx, s.posts, q, sq, g, func(m postMeta) bool { return s.spaces.CanSee(a.UserID, m.space, m.vis) },
		func(id string, m postMeta, words string) Item {
			return Item{ID: id, Title: m.title, Snippet: snippet(s.text[id], words),
				Link: teamspace.SpaceLink(m.space, "berichten/"+id), Meta: strings.TrimSpace(s.spaces.SpaceName(m.space) + " · " + s.name(m.author))}
		})
}

// documents finds documents in the spaces a may see.
func (s *Service) documents(a *identity.Actor, q Query, sq search.Query, g *Group) {
	// Documents are for the space's members (communities: everyone), as
	// teamspace's own document access has it.
	find(s, s.docIx, s.docs, q, sq, g, func(m docMeta) bool { return s.spaces.CanSee(a.UserID, m.space, "") },
		func(id string, m docMeta, words string) Item {
			sn := snippet(s.text[id], words)
			if len(sn.Marks) == 0 {
				sn = snippet(m.name, words) // found by its name or folder
			}
			return Item{ID: id, Title: identifiers.Mask(m.name), Snippet: sn,
				Link: teamspace.SpaceLink(m.space, "documenten/"+id), Meta: s.spaces.SpaceName(m.space) + " · " + m.folder}
		})
}

// messages finds chat messages in a's channels.
func (s *Service) messages(a *identity.Actor, q Query, sq search.Query, g *Group) {
	find(s, s.msgIx, s.msgs, q, sq, g, func(m msgMeta) bool { return s.chat.IsMember(a.UserID, m.ch) },
		func(id string, m msgMeta, words string) Item {
			return Item{ID: id, Title: m.byName, Snippet: snippet(s.text[id], words),
				Link: fmt.Sprintf("/chat/%s?m=%d", m.ch, m.seq), Meta: m.ch} // the chat scrolls to it
		})
}

// find runs sq on one of the service's own indexes (ix, whose entries are
// in metas): only the hits may allows count, and each is listed in g as
// item makes it (with the words the snippets highlight), under s.mu.
func find[M any](s *Service, ix *search.Index, metas map[string]M, q Query, sq search.Query, g *Group,
	may func(M) bool, item func(id string, m M, words string) Item) {
	sq.Allow = func(id string) bool {
		s.mu.RLock()
		m, ok := metas[id]
		s.mu.RUnlock()
		return ok && may(m)
	}
	res := ix.Search(sq)
	g.Total, g.Corrected = res.Total, res.Corrected
	words := found(q.Text, res)
	s.mu.RLock()
	for _, h := range res.Hits {
		g.Items = append(g.Items, item(h.ID, metas[h.ID], words))
	}
	s.mu.RUnlock()
}

// persons finds colleagues by name.
func (s *Service) persons(q Query, sq search.Query, g *Group) {
	s.mu.RLock()
	ix := s.peopleIx
	s.mu.RUnlock()
	if sq.Limit <= 0 || sq.Limit > MaxPeople {
		sq.Limit = MaxPeople
	}
	res := ix.Search(sq)
	g.Total, g.Corrected = res.Total, res.Corrected
	words := found(q.Text, res)
	for _, h := range res.Hits {
		u, ok := s.people.Get(h.ID)
		if !ok {
			continue
		}
		var teams []string
		link := ""
		for _, t := range s.org.TeamIDsOf(u.ID) {
			if n, ok := s.org.TeamName(t); ok {
				teams = append(teams, n)
				if link == "" {
					link = "/teams/" + t
				}
			}
		}
		g.Items = append(g.Items, Item{ID: u.ID, Title: u.Name, Snippet: snippet(u.Name, words), Link: link, Meta: strings.Join(teams, ", ")})
	}
}

// articles asks the knowledge base, which applies its own access rules.
func (s *Service) articles(a *identity.Actor, q Query, g *Group) error {
	r, err := s.kb.Search(a, knowledge.SearchQuery{Text: q.Text, Prefix: true, Limit: max(q.Limit, 1), Offset: q.Offset})
	if err != nil {
		return err
	}
	g.Total, g.Corrected = r.Total, r.Corrected
	for _, h := range r.Hits {
		g.Items = append(g.Items, Item{ID: h.ID, Title: h.Title, Snippet: Snippet{Text: h.Snippet.Text, Marks: h.Snippet.Marks},
			Link: "/kennisbank/" + h.ID, Meta: h.Category})
	}
	return nil
}

// spaceGroup finds the teams or communities a can list.
func (s *Service) spaceGroup(ctx context.Context, a *identity.Actor, typ string, q Query, sq search.Query, g *Group) error {
	list, err := s.spaces.ListSpaces(ctx, a)
	if err != nil {
		return err
	}
	src := list.Teams
	if typ == "community" {
		src = list.Communities
	}
	ix := search.NewIndex()
	byID := map[string]teamspace.SpaceSummary{}
	for _, sp := range src {
		byID[sp.ID] = sp
		ix.Put(search.Document{ID: sp.ID, Title: sp.Name, Body: sp.Description})
	}
	res := ix.Search(sq)
	g.Total, g.Corrected = res.Total, res.Corrected
	words := found(q.Text, res)
	for _, h := range res.Hits {
		sp := byID[h.ID]
		g.Items = append(g.Items, Item{ID: sp.ID, Title: sp.Name, Snippet: snippet(sp.Description, words), Link: teamspace.SpaceLink(sp.ID, ""),
			Meta: fmt.Sprintf("%d", sp.MemberCount)})
	}
	return nil
}
