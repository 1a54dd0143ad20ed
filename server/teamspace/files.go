package teamspace

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/photo"
	"github.com/plein/plein/server/plaintext"
	"github.com/plein/plein/server/store/blob"
)

// Upload is a file as a client sent it: its name and bytes. Its type is
// decided from the bytes (blob.Sniff), never from what the client declared.
type Upload struct {
	Name string
	Data []byte
}

// allowedKinds are the file types of attachments and documents: png, jpeg,
// gif, webp, pdf, docx, xlsx, pptx, txt, csv (and md).
const allowedKinds = blob.Images | blob.PDF | blob.Office | blob.Text

// checkUpload validates a file and returns its clean name and sniffed type.
func checkUpload(up Upload) (name, contentType string, err error) {
	name, ok := cleanFileName(up.Name)
	if !ok {
		return "", "", apperr.Invalid("file", "too_long", "the file needs a name of at most 200 characters, e.g. rooster.pdf", apperr.Params{"max": 200})
	}
	if len(up.Data) == 0 {
		return "", "", apperr.Invalid("file", "file_empty", "the file is empty")
	}
	if len(up.Data) > MaxFileBytes {
		return "", "", apperr.Invalid("file", "file_too_large", fmt.Sprintf("the file is larger than %d MB", MaxFileBytes>>20), apperr.Params{"maxMb": MaxFileBytes >> 20})
	}
	ct, ok := blob.Sniff(up.Data, name, allowedKinds)
	if !ok {
		return "", "", apperr.Invalid("file", "file_type_refused", "this type of file is not accepted, or its contents do not match its name; use png, jpeg, gif, webp, pdf, docx, xlsx, pptx, txt or csv")
	}
	return name, ct, nil
}

// cleanFileName keeps the base name of a client's file name; names with
// control or bidi-override characters (which disguise an extension) are refused.
func cleanFileName(name string) (string, bool) {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." || name == "/" || utf8.RuneCountInString(name) > 200 || !plaintext.Line(name) {
		return "", false
	}
	for _, r := range name {
		if (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F {
			return "", false
		}
	}
	return name, true
}

func newBlobID(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

func previewable(ct string) bool {
	return strings.HasPrefix(ct, "image/") || ct == "application/pdf"
}

// ---------------------------------------------------------------------------
// Attachments

func (s *Service) dropBlob(ctx context.Context, id string) {
	if err := photo.Delete(context.WithoutCancel(ctx), s.st.files, id); err != nil {
		s.log.WarnContext(ctx, "remove unused file", "blob", id, "err", err)
	}
}

// DocumentText returns the extracted text of a document version by the id
// of its bytes (DocumentVersionDoc.BlobID), "" when it has none. It checks
// no access: it is for the search index, which checks access per hit.
func (s *Service) DocumentText(ctx context.Context, blobID string) (string, error) {
	text, err := s.st.texts.Load(ctx, blobID)
	if err != nil {
		return "", apperr.Unavailable("read document text", err)
	}
	return text, nil
}

// FileContent is a file to send: Body streams its bytes; the caller
// closes it.
type FileContent struct {
	Name        string
	ContentType string
	ModTime     time.Time
	Body        io.ReadSeekCloser
}

// storeErr passes the image pipeline's refusals on; anything else is the
// store failing.
func storeErr(err error) error {
	var ve *apperr.ValidationError
	if errors.As(err, &ve) {
		return err
	}
	return apperr.Unavailable("store file", err)
}

// blobContent opens a file, or its variant of width w (0: the original; see
// photo.Open).
func (s *Service) blobContent(ctx context.Context, blobID, name string, w int) (*FileContent, error) {
	if err := photo.CheckWidth(w); err != nil {
		return nil, err
	}
	f, body, err := photo.Open(ctx, s.st.files, blobID, w)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, apperr.NotFound("not_found", "file not found")
	}
	if err != nil {
		return nil, apperr.Unavailable("read file", err)
	}
	return &FileContent{Name: name, ContentType: f.ContentType, ModTime: f.UploadDate, Body: body}, nil
}

// AttachmentContent opens an attachment's bytes (whoever may see the
// post), or for an image its variant of width w (0: the original).
func (s *Service) AttachmentContent(ctx context.Context, a *identity.Actor, spaceID, postID, attID string, w int) (*FileContent, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var at AttachmentDoc
	err := s.read(ctx, func(st *state) error {
		_, p, _, err := s.visiblePost(st, a, spaceID, postID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(p.Attachments, func(x AttachmentDoc) bool { return x.ID == attID })
		if i < 0 {
			return apperr.NotFound("not_found", "attachment not found")
		}
		at = p.Attachments[i]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.blobContent(ctx, at.BlobID, at.Name, w)
}

// ---------------------------------------------------------------------------
// Documents

// docAccess: who sees a space's documents (members of a team; anyone for a
// community) and who changes them (members).
func (s *Service) docAccess(st *state, a *identity.Actor, spaceID string, change bool) (spaceRef, error) {
	sp, err := s.mustSpace(st, spaceID)
	if err != nil {
		return sp, err
	}
	member := s.isMember(st, a.UserID, sp)
	if !member && sp.kind == KindTeam {
		return sp, apperr.NotFound("not_found", "the team's documents are for its members")
	}
	if change && !member {
		return sp, apperr.Forbidden("members_only", "only the space's members change its documents")
	}
	return sp, nil
}

// checkFolderPath validates "/", "/Overleg", "/Overleg/2026".
func checkFolderPath(p string) bool {
	if p == "/" {
		return true
	}
	if !strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || len(p) > 600 {
		return false
	}
	segs := strings.Split(p[1:], "/")
	if len(segs) > 6 {
		return false
	}
	for _, s := range segs {
		if !validFolderName(s) {
			return false
		}
	}
	return true
}

func validFolderName(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= 1 && n <= 80 && s == strings.TrimSpace(s) && s != "." && s != ".." && plaintext.Line(s) && !strings.ContainsAny(s, `/\`)
}

func (s *Service) docInfo(d *document, withVersions bool) DocumentInfo {
	cur := d.Current()
	out := DocumentInfo{ID: d.ID, SpaceID: d.SpaceID, Folder: d.Folder, Name: d.Name, Version: cur.Version, Size: cur.Size,
		ContentType: cur.ContentType, UpdatedAt: cur.UploadedAt, UpdatedBy: s.person(cur.UploadedBy), Previewable: previewable(cur.ContentType),
		Width: cur.Width, Height: cur.Height}
	if withVersions {
		out.Versions = []DocumentVersion{}
		for i := len(d.Versions) - 1; i >= 0; i-- {
			v := d.Versions[i]
			out.Versions = append(out.Versions, DocumentVersion{Version: v.Version, Size: v.Size, ContentType: v.ContentType,
				UploadedAt: v.UploadedAt, UploadedBy: s.person(v.UploadedBy), Note: v.Note})
		}
	}
	return out
}

// ListDocuments lists one folder: its subfolders and documents, by name.
func (s *Service) ListDocuments(ctx context.Context, a *identity.Actor, spaceID, folder string) (*DocumentList, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if folder == "" {
		folder = "/"
	}
	if !checkFolderPath(folder) {
		return nil, apperr.Invalid("folder", "invalid", "use a folder path such as / or /Overleg/2026")
	}
	out := &DocumentList{Folder: folder, Folders: []Folder{}, Items: []DocumentInfo{}}
	err := s.read(ctx, func(st *state) error {
		if _, err := s.docAccess(st, a, spaceID, false); err != nil {
			return err
		}
		sd := st.peek(spaceID)
		if folder != "/" && (sd == nil || !sd.folders[folder]) {
			return apperr.NotFound("not_found", "folder not found")
		}
		if sd == nil {
			return nil
		}
		out.Folders = sd.folderChildren(folder)
		for _, d := range sd.docs {
			if d.Folder == folder {
				out.Items = append(out.Items, s.docInfo(d, false))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out.Items, func(i, j int) bool { return org.Collate(out.Items[i].Name) < org.Collate(out.Items[j].Name) })
	return out, nil
}

// FolderInput creates a folder.
type FolderInput struct {
	Parent string `json:"parent"`
	Name   string `json:"name"`
	// AcknowledgeIdentifiers: the writer saw the warning that the text
	// looks like client data (identifiers.Check) and stores it anyway.
	AcknowledgeIdentifiers bool `json:"acknowledgeIdentifiers"`
}

// Validate checks the input.
func (in *FolderInput) Validate() error {
	var v apperr.Validator
	if in.Parent == "" {
		in.Parent = "/"
	}
	v.Check(checkFolderPath(in.Parent), "parent", "invalid", "use a folder path such as / or /Overleg")
	in.Name = strings.TrimSpace(in.Name)
	v.Check(validFolderName(in.Name), "name", "length", "use 1–80 characters without / or \\", apperr.Params{"min": 1, "max": 80})
	return v.Err()
}

func joinFolder(parent, name string) string {
	if parent == "/" {
		return "/" + name
	}
	return parent + "/" + name
}

// CreateFolder adds a folder (members).
func (s *Service) CreateFolder(ctx context.Context, a *identity.Actor, spaceID string, in FolderInput) (*Folder, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p := joinFolder(in.Parent, in.Name)
	if !checkFolderPath(p) {
		return nil, apperr.Invalid("name", "invalid", "folders nest at most 6 deep")
	}
	if err := identifiers.Check(in.AcknowledgeIdentifiers, identifiers.F("name", in.Name)); err != nil {
		return nil, err
	}
	_, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		if _, err := s.docAccess(st, a, spaceID, true); err != nil {
			return nil, err
		}
		sd := st.peek(spaceID)
		if in.Parent != "/" && (sd == nil || !sd.folders[in.Parent]) {
			return nil, apperr.Invalid("parent", "unknown", "no such folder")
		}
		if sd != nil {
			for f := range sd.folders {
				if strings.EqualFold(f, p) {
					return nil, apperr.Conflict("already_exists", "this folder exists")
				}
			}
		}
		return &entry{Kind: kFolder, By: a.UserID, Space: spaceID, Text: p}, nil
	})
	if err != nil {
		return nil, err
	}
	return &Folder{Path: p, Name: in.Name}, nil
}

// DocumentUpload is a new document or a new version of one: a file with
// the same name (case-insensitive) in the same folder is a new version.
type DocumentUpload struct {
	Folder string
	Note   string
	File   Upload
	// AcknowledgeIdentifiers: the form field "acknowledgeIdentifiers" is
	// "true" (see PostInput).
	AcknowledgeIdentifiers bool
}

// UploadDocument stores a document or a new version of it (members).
func (s *Service) UploadDocument(ctx context.Context, a *identity.Actor, spaceID string, in DocumentUpload) (*DocumentInfo, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if err := checkDocumentUpload(&in); err != nil {
		return nil, err
	}
	var sp spaceRef
	check := func(st *state) error {
		var err error
		if sp, err = s.docAccess(st, a, spaceID, true); err != nil {
			return err
		}
		if sd := st.peek(spaceID); in.Folder != "/" && (sd == nil || !sd.folders[in.Folder]) {
			return apperr.Invalid("folder", "unknown", "no such folder")
		}
		return nil
	}
	if err := s.read(ctx, check); err != nil {
		return nil, err
	}
	name, ct, err := checkUpload(in.File)
	if err != nil {
		return nil, err
	}
	if err := identifiers.Check(in.AcknowledgeIdentifiers, identifiers.F("file", name), identifiers.F("note", in.Note)); err != nil {
		return nil, err
	}
	blobID := newBlobID("doc-")
	f, err := photo.Put(ctx, s.st.files, blobID, name, ct, in.File.Data)
	if err != nil {
		return nil, storeErr(err)
	}
	s.st.texts.Save(ctx, blobID, name, ct, f.Data) // before the log names the version
	sum := sha256.Sum256(f.Data)
	var members []string
	e, err := s.write(ctx, func(st *state, seq int64) (*entry, error) {
		if err := check(st); err != nil {
			return nil, err
		}
		members = s.memberIDs(st, sp)
		var ref string
		var version int
		ref, version, name = nextDocumentVersion(st, spaceID, in.Folder, name, seq)
		return &entry{Kind: kDocument, By: a.UserID, Space: spaceID, Ref: ref, Document: &entryDocument{Folder: in.Folder, Name: name,
			Version: DocumentVersionDoc{Version: version, BlobID: blobID, Size: f.Size, ContentType: f.ContentType, SHA256: hex.EncodeToString(sum[:]),
				UploadedBy: a.UserID, Note: in.Note, Width: f.Width, Height: f.Height}}}, nil
	})
	if err != nil {
		s.dropBlob(ctx, blobID)
		s.st.texts.Drop(ctx, blobID)
		return nil, err
	}
	s.mu.RLock()
	d := s.cur.docs[e.Ref]
	var info DocumentInfo
	if d != nil {
		info = s.docInfo(d, true)
	}
	s.mu.RUnlock()
	if d == nil {
		return nil, apperr.NotFound("not_found", "document not found")
	}
	s.announceDocument(ctx, a, sp, without(members, a.UserID), info, in.Note)
	return &info, nil
}

// checkDocumentUpload checks an upload's folder and note (defaulting the
// folder to the top and trimming the note).
func checkDocumentUpload(in *DocumentUpload) error {
	if in.Folder == "" {
		in.Folder = "/"
	}
	in.Note = strings.TrimSpace(in.Note)
	var v apperr.Validator
	v.Check(checkFolderPath(in.Folder), "folder", "invalid", "use a folder path such as / or /Overleg/2026")
	v.Check(utf8.RuneCountInString(in.Note) <= 500 && plaintext.Text(in.Note), "note", "too_long", "at most 500 characters", apperr.Params{"max": 500})
	return v.Err()
}

// nextDocumentVersion is the document an upload becomes a version of: the
// one of that name in that folder (whose name it keeps), with its next
// version, or a new document named from the log's sequence number.
func nextDocumentVersion(st *state, spaceID, folder, name string, seq int64) (ref string, version int, docName string) {
	if sd := st.peek(spaceID); sd != nil {
		for _, d := range sd.docs {
			if d.Folder == folder && strings.EqualFold(d.Name, name) {
				return d.ID, d.Current().Version + 1, d.Name
			}
		}
	}
	return refID('d', seq), 1, name
}

// announceDocument tells the space's members about a new document or version.
func (s *Service) announceDocument(ctx context.Context, a *identity.Actor, sp spaceRef, to []string, info DocumentInfo, note string) {
	title := "Nieuw document in " + sp.name + ": " + info.Name
	if info.Version > 1 {
		title = fmt.Sprintf("Nieuwe versie (%d) van %s in %s", info.Version, info.Name, sp.name)
	}
	s.deliver(ctx, to, Notice{Kind: NoticeDocument, Title: title, Text: note,
		Link: SpaceLink(sp.id, "documenten/"+info.ID), ActorID: a.UserID, ActorName: a.Name, Place: sp.name})
}

// GetDocument returns a document with its versions, newest first.
func (s *Service) GetDocument(ctx context.Context, a *identity.Actor, spaceID, docID string) (*DocumentInfo, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var out DocumentInfo
	err := s.read(ctx, func(st *state) error {
		d, err := s.visibleDoc(st, a, spaceID, docID)
		if err != nil {
			return err
		}
		out = s.docInfo(d, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *Service) visibleDoc(st *state, a *identity.Actor, spaceID, docID string) (*document, error) {
	if _, err := s.docAccess(st, a, spaceID, false); err != nil {
		return nil, err
	}
	d := st.docs[docID]
	if d == nil || d.SpaceID != spaceID {
		return nil, apperr.NotFound("not_found", "document not found")
	}
	return d, nil
}

// DocumentContent opens the bytes of a version (0: the latest), or for an
// image its variant of width w (0: the original).
func (s *Service) DocumentContent(ctx context.Context, a *identity.Actor, spaceID, docID string, version, w int) (*FileContent, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var v DocumentVersionDoc
	var name string
	err := s.read(ctx, func(st *state) error {
		d, err := s.visibleDoc(st, a, spaceID, docID)
		if err != nil {
			return err
		}
		name = d.Name
		if version == 0 {
			v = d.Current()
			return nil
		}
		i := slices.IndexFunc(d.Versions, func(x DocumentVersionDoc) bool { return x.Version == version })
		if i < 0 {
			return apperr.NotFound("not_found", "no such version")
		}
		v = d.Versions[i]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.blobContent(ctx, v.BlobID, name, w)
}

// DeleteDocument marks a document deleted (members). Its versions stay in
// the store; it disappears from the library and from search.
func (s *Service) DeleteDocument(ctx context.Context, a *identity.Actor, spaceID, docID string) error {
	if err := requireActor(a); err != nil {
		return err
	}
	_, err := s.write(ctx, func(st *state, _ int64) (*entry, error) {
		if _, err := s.visibleDoc(st, a, spaceID, docID); err != nil {
			return nil, err
		}
		if _, err := s.docAccess(st, a, spaceID, true); err != nil {
			return nil, err
		}
		return &entry{Kind: kDocDelete, By: a.UserID, Space: spaceID, Ref: docID}, nil
	})
	return err
}
