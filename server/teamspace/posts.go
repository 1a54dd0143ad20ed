package teamspace

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/identity"
)

// PostInput creates a post.
type PostInput struct {
	Body       string `json:"body"`
	Visibility string `json:"visibility"`
	Agreement  bool   `json:"agreement"`
	// AcknowledgeIdentifiers: the writer saw the warning that the text
	// looks like client data (a BSN, a date of birth, an address) and
	// sends it anyway. Without it such text is refused (422,
	// identifier_suspected).
	AcknowledgeIdentifiers bool `json:"acknowledgeIdentifiers"`
	// Attachments are staged files (StageUpload) published with the post:
	// all of them or, when one is refused, no post.
	Attachments []string `json:"attachments"`
}

// Validate checks the input's shape.
func (in *PostInput) Validate() error {
	var v apperr.Validator
	in.Body = checkBody(&v, "body", in.Body, MaxPostRunes)
	checkAttachmentIDs(&v, in.Attachments)
	if in.Visibility != "" && in.Visibility != VisibilityTeam && in.Visibility != VisibilityOrganisation {
		v.Add("visibility", "invalid_choice", "use team or organisation")
	}
	return v.Err()
}

// checkAttachmentIDs checks the staged files a post names: at most
// MaxAttachments, each an upload id, once.
func checkAttachmentIDs(v *apperr.Validator, ids []string) {
	v.Check(len(ids) <= MaxAttachments, "attachments", "too_many", fmt.Sprintf("a post has at most %d attachments", MaxAttachments),
		apperr.Params{"max": MaxAttachments})
	for i, id := range ids {
		v.Check(uploadIDRE.MatchString(id) && !slices.Contains(ids[:i], id), fmt.Sprintf("attachments[%d]", i), "attachment_unknown",
			"name each staged file once, by the id its upload returned")
	}
}

// PostPatch changes a post; absent fields stay as they are.
type PostPatch struct {
	Body       *string `json:"body"`
	Visibility *string `json:"visibility"`
	Agreement  *bool   `json:"agreement"`
	// AcknowledgeIdentifiers: the writer saw the warning that the text
	// looks like client data (a BSN, a date of birth, an address) and
	// sends it anyway. Without it such text is refused (422,
	// identifier_suspected).
	AcknowledgeIdentifiers bool `json:"acknowledgeIdentifiers"`
	// Attachments are staged files (StageUpload) added to the post, as a
	// new post publishes them: all of them with the edit, or none.
	Attachments []string `json:"attachments"`
}

// Validate checks the input's shape.
func (in *PostPatch) Validate() error {
	var v apperr.Validator
	if in.Body != nil {
		b := checkBody(&v, "body", *in.Body, MaxPostRunes)
		in.Body = &b
	}
	checkAttachmentIDs(&v, in.Attachments)
	if in.Visibility != nil && *in.Visibility != VisibilityTeam && *in.Visibility != VisibilityOrganisation {
		v.Add("visibility", "invalid_choice", "use team or organisation")
	}
	return v.Err()
}

// PostQuery selects a page of a stream.
type PostQuery struct {
	Before string // a post id: only posts older than it
	Limit  int
	Pinned bool // only pinned posts
}

// checkVisibility applies the space's rule: communities are always
// organisation-wide; team spaces must say.
func checkVisibility(sp spaceRef, vis string, agreement bool) (string, error) {
	var v apperr.Validator
	if sp.kind == KindCommunity {
		if vis == VisibilityTeam {
			v.Add("visibility", "not_allowed", "posts in a community are visible to the whole organisation")
		}
		if agreement {
			v.Add("agreement", "not_allowed", "team agreements belong in a team space")
		}
		return VisibilityOrganisation, v.Err()
	}
	if vis == "" {
		v.Add("visibility", "required", "is required: team or organisation")
	}
	return vis, v.Err()
}

// visiblePost returns the post when the actor may see it; 404 otherwise.
func (s *Service) visiblePost(st *state, a *identity.Actor, spaceID, postID string) (spaceRef, *post, bool, error) {
	sp, err := s.mustSpace(st, spaceID)
	if err != nil {
		return sp, nil, false, err
	}
	p := st.livePost(spaceID, postID)
	member := s.isMember(st, a.UserID, sp)
	if p == nil || !seesVisibility(member, p.Visibility) {
		return sp, nil, member, apperr.NotFound("not_found", "post not found")
	}
	return sp, p, member, nil
}

func (s *Service) postView(st *state, a *identity.Actor, sp spaceRef, member bool, p *post) Post {
	out := Post{ID: p.ID, SpaceID: p.SpaceID, SpaceName: sp.name, Author: s.person(p.AuthorID), Body: p.Body,
		BodyHTML: s.render(fmt.Sprintf("post:%s:%d", p.ID, p.rev), p.Body), Visibility: p.Visibility, Agreement: p.Agreement,
		Pinned: p.Pinned, Attachments: make([]Attachment, 0, len(p.Attachments)), Reactions: []Reaction{},
		CommentCount: len(p.comments), CreatedAt: p.CreatedAt,
		CanEdit: p.AuthorID == a.UserID, CanDelete: p.AuthorID == a.UserID || a.Has(identity.RoleBeheerder), CanPin: member}
	if !p.EditedAt.IsZero() {
		t := p.EditedAt
		out.EditedAt = &t
	}
	for _, at := range p.Attachments {
		out.Attachments = append(out.Attachments, Attachment{ID: at.ID, Name: at.Name, ContentType: at.ContentType, Size: at.Size, Width: at.Width, Height: at.Height,
			Image: strings.HasPrefix(at.ContentType, "image/")})
	}
	for _, e := range Emojis {
		if us := p.reactions[e]; len(us) > 0 {
			out.Reactions = append(out.Reactions, Reaction{Emoji: e, Count: len(us), Mine: slices.Contains(us, a.UserID)})
		}
	}
	return out
}

// ListPosts returns a page of a space's stream, newest first: only what the
// actor may see (non-members see organisation-wide posts only).
func (s *Service) ListPosts(ctx context.Context, a *identity.Actor, spaceID string, q PostQuery) (*PostPage, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var v apperr.Validator
	before := int64(1 << 62)
	if q.Before != "" {
		n, ok := parseRef('p', q.Before)
		v.Check(ok, "before", "invalid", "use the id of a post, e.g. p123")
		before = n
	}
	if q.Limit == 0 {
		q.Limit = 20
	}
	v.Check(q.Limit >= 1 && q.Limit <= MaxPageSize, "limit", "out_of_range", fmt.Sprintf("use a number from 1 to %d", MaxPageSize), apperr.Params{"min": 1, "max": MaxPageSize})
	if err := v.Err(); err != nil {
		return nil, err
	}
	page := &PostPage{Items: []Post{}}
	err := s.read(ctx, func(st *state) error {
		sp, err := s.mustSpace(st, spaceID)
		if err != nil {
			return err
		}
		member := s.isMember(st, a.UserID, sp)
		sd := st.peek(spaceID)
		if sd == nil {
			return nil
		}
		for i := sd.postsBefore(before) - 1; i >= 0; i-- {
			p := sd.posts[i]
			if !seesVisibility(member, p.Visibility) || (q.Pinned && !p.Pinned) {
				continue
			}
			if len(page.Items) == q.Limit {
				page.Next = page.Items[len(page.Items)-1].ID
				break
			}
			page.Items = append(page.Items, s.postView(st, a, sp, member, p))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// GetPost returns one post (404 when the actor may not see it).
func (s *Service) GetPost(ctx context.Context, a *identity.Actor, spaceID, postID string) (*Post, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var out Post
	err := s.read(ctx, func(st *state) error {
		sp, p, member, err := s.visiblePost(st, a, spaceID, postID)
		if err != nil {
			return err
		}
		out = s.postView(st, a, sp, member, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *Service) postAfterWrite(a *identity.Actor, spaceID, postID string) (*Post, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sp, p, member, err := s.visiblePost(s.cur, a, spaceID, postID)
	if err != nil {
		return nil, err
	}
	out := s.postView(s.cur, a, sp, member, p)
	return &out, nil
}

func postLink(spaceID, postID string) string { return SpaceLink(spaceID, "berichten/"+postID) }

// CreatePost adds a post to a space (members).
func (s *Service) CreatePost(ctx context.Context, a *identity.Actor, spaceID string, in PostInput) (*Post, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := identifiers.Check(in.AcknowledgeIdentifiers, identifiers.F("body", in.Body)); err != nil {
		return nil, err
	}
	if err := s.mayPost(ctx, a, spaceID); err != nil {
		return nil, err // before reading what it names
	}
	files, err := s.resolveUploads(ctx, a, spaceID, in.Attachments)
	if err != nil {
		return nil, err
	}
	var sp spaceRef
	var members []string
	e, err := s.write(ctx, func(st *state, seq int64) (*entry, error) {
		var err error
		if sp, err = s.mustSpace(st, spaceID); err != nil {
			return nil, err
		}
		if !s.isMember(st, a.UserID, sp) {
			return nil, apperr.Forbidden("members_only", "only the space's members post here")
		}
		vis, err := checkVisibility(sp, in.Visibility, in.Agreement)
		if err != nil {
			return nil, err
		}
		named, err := claimUploads(st, seq, files)
		if err != nil {
			return nil, err
		}
		members = s.memberIDs(st, sp)
		return &entry{Kind: kPost, By: a.UserID, Space: spaceID, Text: in.Body, Visibility: vis, Agreement: in.Agreement, Attachments: named}, nil
	})
	if err != nil {
		return nil, err
	}
	s.doneStaging(ctx, files)
	id := refID('p', e.Seq)
	mentioned := s.notifyMentions(ctx, a, sp, e.Visibility, in.Body, nil, postLink(spaceID, id))
	if sp.kind == KindTeam {
		title := "Nieuw bericht in " + sp.name
		if e.Agreement {
			title = "Nieuwe teamafspraak in " + sp.name
		}
		s.deliver(ctx, without(members, append(mentioned, a.UserID)...), Notice{Kind: NoticePost, Title: title,
			Text: s.snippet(in.Body), Link: postLink(spaceID, id), ActorID: a.UserID, ActorName: a.Name, Place: sp.name})
	}
	return s.postAfterWrite(a, spaceID, id)
}

// notifyMentions tells the people a body mentions, who may see it and were
// not mentioned before (an edit), and returns whom it told.
func (s *Service) notifyMentions(ctx context.Context, a *identity.Actor, sp spaceRef, visibility, body string, before []string, link string) []string {
	ids := s.md.Render(body, s.lookup).Mentions
	var to []string
	s.mu.RLock()
	for _, u := range ids {
		if u != a.UserID && !slices.Contains(before, u) && s.canSee(s.cur, u, sp.id, visibility) {
			to = append(to, u)
		}
	}
	s.mu.RUnlock()
	s.deliver(ctx, to, Notice{Kind: NoticeMention, Title: a.Name + " noemde je in " + sp.name, Text: s.snippet(body),
		Link: link, ActorID: a.UserID, ActorName: a.Name, Place: sp.name})
	return to
}

// EditPost changes a post (its author).
func (s *Service) EditPost(ctx context.Context, a *identity.Actor, spaceID, postID string, in PostPatch) (*Post, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var files []AttachmentDoc
	if len(in.Attachments) > 0 {
		// Who may not edit the post is refused before the files are looked up.
		if err := s.read(ctx, func(st *state) error { _, err := s.editablePost(st, a, spaceID, postID); return err }); err != nil {
			return nil, err
		}
		var err error
		if files, err = s.resolveUploads(ctx, a, spaceID, in.Attachments); err != nil {
			return nil, err
		}
	}
	var sp spaceRef
	var oldBody string
	e, err := s.write(ctx, func(st *state, seq int64) (*entry, error) {
		var p *post
		var err error
		if sp, err = s.editablePost(st, a, spaceID, postID); err != nil {
			return nil, err
		}
		p = st.posts[postID]
		oldBody = p.Body
		body, vis, agr := p.Body, p.Visibility, p.Agreement
		if in.Body != nil {
			body = *in.Body
		}
		if body != p.Body {
			// Only new text is checked: a body stored with the
			// acknowledgement may keep its identifier when only the
			// visibility changes.
			if err := identifiers.Check(in.AcknowledgeIdentifiers, identifiers.F("body", body)); err != nil {
				return nil, err
			}
		}
		if in.Visibility != nil {
			vis = *in.Visibility
		}
		if in.Agreement != nil {
			agr = *in.Agreement
		}
		if vis, err = checkVisibility(sp, vis, agr); err != nil {
			return nil, err
		}
		if body == p.Body && vis == p.Visibility && agr == p.Agreement && len(files) == 0 {
			return nil, errNoop
		}
		named, err := addedUploads(st, seq, p, files)
		if err != nil {
			return nil, err
		}
		return &entry{Kind: kPostEdit, By: a.UserID, Space: spaceID, Ref: postID, Text: body, Visibility: vis, Agreement: agr, Attachments: named}, nil
	})
	if err == errNoop {
		return s.postAfterWrite(a, spaceID, postID)
	}
	if err != nil {
		return nil, err
	}
	s.doneStaging(ctx, files)
	before := s.md.Render(oldBody, s.lookup).Mentions
	s.notifyMentions(ctx, a, sp, e.Visibility, e.Text, before, postLink(spaceID, postID))
	return s.postAfterWrite(a, spaceID, postID)
}

// editablePost returns the space of a post the actor may edit: its author.
func (s *Service) editablePost(st *state, a *identity.Actor, spaceID, postID string) (spaceRef, error) {
	sp, p, _, err := s.visiblePost(st, a, spaceID, postID)
	if err != nil {
		return sp, err
	}
	if p.AuthorID != a.UserID {
		return sp, apperr.Forbidden("not_author", "only the author edits a post")
	}
	return sp, nil
}

// addedUploads names the staged files an edit adds to post p (entry seq),
// within the post's limit.
func addedUploads(st *state, seq int64, p *post, files []AttachmentDoc) ([]AttachmentDoc, error) {
	if len(files) == 0 {
		return nil, nil
	}
	if len(p.Attachments)+len(files) > MaxAttachments {
		return nil, apperr.Conflict("limit_reached", fmt.Sprintf("a post has at most %d attachments", MaxAttachments))
	}
	return claimUploads(st, seq, files)
}

// DeletePost removes a post (its author, administrators).
func (s *Service) DeletePost(ctx context.Context, a *identity.Actor, spaceID, postID string) error {
	if err := requireActor(a); err != nil {
		return err
	}
	var seqs []int64
	var blobs []string
	_, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		_, p, _, err := s.visiblePost(st, a, spaceID, postID)
		if err != nil {
			return nil, err
		}
		if p.AuthorID != a.UserID && !a.Has(identity.RoleBeheerder) {
			return nil, apperr.Forbidden("not_author", "only the author or an administrator deletes a post")
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
		return &entry{Kind: kPostDelete, By: a.UserID, Space: spaceID, Ref: postID}, nil
	})
	if err != nil {
		return err
	}
	s.erase(ctx, seqs, blobs)
	return nil
}

// erase removes the text of deleted posts and comments, and their files,
// from the store. The delete itself is already recorded; a failure here is
// logged and leaves text that nobody can see any more.
func (s *Service) erase(ctx context.Context, seqs []int64, blobs []string) {
	ctx = context.WithoutCancel(ctx)
	for _, n := range seqs {
		if err := s.st.redact(ctx, n); err != nil {
			s.log.WarnContext(ctx, "redact deleted text", "seq", n, "err", err)
		}
	}
	s.reseal(ctx, seqs)
	for _, b := range blobs {
		s.dropBlob(ctx, b)
	}
}

// PinInput pins or unpins a post.
type PinInput struct {
	Pinned *bool `json:"pinned"`
}

// Validate checks the input.
func (in *PinInput) Validate() error {
	if in.Pinned == nil {
		return apperr.Invalid("pinned", "required", "is required: true or false")
	}
	return nil
}

// SetPinned pins or unpins a post (members of the space).
func (s *Service) SetPinned(ctx context.Context, a *identity.Actor, spaceID, postID string, pinned bool) (*Post, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	_, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		_, p, member, err := s.visiblePost(st, a, spaceID, postID)
		if err != nil {
			return nil, err
		}
		if !member {
			return nil, apperr.Forbidden("members_only", "only the space's members pin posts")
		}
		if p.Pinned == pinned {
			return nil, errNoop
		}
		return &entry{Kind: kPin, By: a.UserID, Space: spaceID, Ref: postID, Pinned: pinned}, nil
	})
	if err != nil && err != errNoop {
		return nil, err
	}
	return s.postAfterWrite(a, spaceID, postID)
}

// React adds (on) or removes the actor's reaction with emoji.
func (s *Service) React(ctx context.Context, a *identity.Actor, spaceID, postID, emoji string, on bool) (*Post, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	_, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		_, p, _, err := s.visiblePost(st, a, spaceID, postID)
		if err != nil {
			return nil, err
		}
		em, ok := normaliseEmoji(emoji)
		if !ok {
			return nil, apperr.Invalid("emoji", "invalid_choice", "use one of "+strings.Join(Emojis, " "))
		}
		if slices.Contains(p.reactions[em], a.UserID) == on {
			return nil, errNoop
		}
		k := kUnreact
		if on {
			k = kReact
		}
		return &entry{Kind: k, By: a.UserID, Space: spaceID, Ref: postID, Text: em}, nil
	})
	if err != nil && err != errNoop {
		return nil, err
	}
	return s.postAfterWrite(a, spaceID, postID)
}

// ---------------------------------------------------------------------------
// Comments

// CommentInput adds a comment.
type CommentInput struct {
	Body string `json:"body"`
	// AcknowledgeIdentifiers: the writer saw the warning that the text
	// looks like client data (a BSN, a date of birth, an address) and
	// sends it anyway. Without it such text is refused (422,
	// identifier_suspected).
	AcknowledgeIdentifiers bool `json:"acknowledgeIdentifiers"`
}

// Validate checks the input.
func (in *CommentInput) Validate() error {
	var v apperr.Validator
	in.Body = checkBody(&v, "body", in.Body, MaxCommentRunes)
	return v.Err()
}

func (s *Service) commentView(a *identity.Actor, c *CommentDoc) Comment {
	return Comment{ID: c.ID, PostID: c.PostID, Author: s.person(c.AuthorID), Body: c.Body,
		BodyHTML: s.render("comment:"+c.ID, c.Body), CreatedAt: c.CreatedAt,
		CanDelete: c.AuthorID == a.UserID || a.Has(identity.RoleBeheerder)}
}

// ListComments returns a post's comments, oldest first.
func (s *Service) ListComments(ctx context.Context, a *identity.Actor, spaceID, postID string) ([]Comment, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	out := []Comment{}
	err := s.read(ctx, func(st *state) error {
		_, p, _, err := s.visiblePost(st, a, spaceID, postID)
		if err != nil {
			return err
		}
		for _, c := range p.comments {
			out = append(out, s.commentView(a, c))
		}
		return nil
	})
	return out, err
}

// AddComment comments on a post (anyone who may see it) and tells the
// post's author (reply) and the people mentioned (mention).
func (s *Service) AddComment(ctx context.Context, a *identity.Actor, spaceID, postID string, in CommentInput) (*Comment, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := identifiers.Check(in.AcknowledgeIdentifiers, identifiers.F("body", in.Body)); err != nil {
		return nil, err
	}
	var sp spaceRef
	var author, vis string
	e, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		var p *post
		var err error
		if sp, p, _, err = s.visiblePost(st, a, spaceID, postID); err != nil {
			return nil, err
		}
		if len(p.comments) >= 5000 {
			return nil, apperr.Conflict("limit_reached", "this post has too many comments")
		}
		author, vis = p.AuthorID, p.Visibility
		return &entry{Kind: kComment, By: a.UserID, Space: spaceID, Ref: postID, Text: in.Body}, nil
	})
	if err != nil {
		return nil, err
	}
	link := postLink(spaceID, postID)
	mentioned := s.notifyMentions(ctx, a, sp, vis, in.Body, nil, link)
	if author != a.UserID && !slices.Contains(mentioned, author) && s.CanSee(author, spaceID, vis) {
		s.deliver(ctx, []string{author}, Notice{Kind: NoticeReply, Title: a.Name + " reageerde op je bericht in " + sp.name,
			Text: s.snippet(in.Body), Link: link, ActorID: a.UserID, ActorName: a.Name, Place: sp.name})
	}
	c := s.commentView(a, &CommentDoc{ID: refID('c', e.Seq), PostID: postID, AuthorID: a.UserID, Body: e.Text, CreatedAt: e.At})
	return &c, nil
}

// DeleteComment removes a comment (its author, administrators).
func (s *Service) DeleteComment(ctx context.Context, a *identity.Actor, spaceID, postID, commentID string) error {
	if err := requireActor(a); err != nil {
		return err
	}
	_, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		_, p, _, err := s.visiblePost(st, a, spaceID, postID)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(p.comments, func(c *CommentDoc) bool { return c.ID == commentID })
		if i < 0 {
			return nil, apperr.NotFound("not_found", "comment not found")
		}
		if p.comments[i].AuthorID != a.UserID && !a.Has(identity.RoleBeheerder) {
			return nil, apperr.Forbidden("not_author", "only the author or an administrator deletes a comment")
		}
		return &entry{Kind: kCommentDelete, By: a.UserID, Space: spaceID, Ref: postID, Sub: commentID}, nil
	})
	if err != nil {
		return err
	}
	if n, ok := parseRef('c', commentID); ok {
		s.erase(ctx, []int64{n}, nil)
	}
	return nil
}
