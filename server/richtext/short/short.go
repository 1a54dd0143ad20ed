// Package short renders short texts, chat messages and team-space posts (a
// CommonMark subset with mentions), to a sanitised HTML fragment. Long-form
// text (articles, team descriptions) is the parent package, richtext.
//
// The pipeline is: input → strings.ToValidUTF8 → goldmark parse (CommonMark,
// GFM strikethrough, linkify; raw HTML shown as escaped text) → AST pass (mention
// resolution, link collection, nesting limits) → goldmark render with our own
// link/image/heading/mention renderers → bluemonday allowlist policy.
//
// The bluemonday pass always runs, so even a bug in the goldmark stage cannot
// produce markup outside the allowlist.
package short

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Lookup resolves a user id to a display name; ok=false for unknown ids.
type Lookup func(userID string) (name string, ok bool)

// Result is the outcome of rendering one message body.
type Result struct {
	HTML         string   // sanitised HTML fragment
	Mentions     []string // user ids mentioned (deduplicated, in order of first appearance, only known ids)
	MentionsTeam bool     // body contains @team (the whole channel)
	Links        []string // http(s) URLs linked (deduplicated), for later previews
}

// maxDepth bounds the nesting of container nodes (block quotes, lists,
// emphasis, links) in the rendered tree. Deeper containers are unwrapped:
// their content is kept, the wrapper element is dropped. This keeps the DOM
// shallow for pathological input such as 100k nested block quotes.
const maxDepth = 16

// MaxMarkdownRunes is the longest body (in runes) rendered as markdown.
// Callers cap messages at 8,000 characters; anything longer is a bug or an
// abuse and is shown as escaped plain text instead. goldmark has a few
// super-linear corner cases (very deep nesting on one line, many unclosed
// "](" in one unbroken word); this bound keeps them at a few milliseconds and
// keeps Render linear for arbitrarily large input.
const MaxMarkdownRunes = 10_000

// userIDPattern is the syntax of a user id as used in mention tokens.
var userIDPattern = regexp.MustCompile(`^u[0-9a-f]{24}$`)

// Renderer renders message markdown. It is safe for concurrent use; build it
// once with New and share it.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New builds a Renderer.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.Strikethrough,
			extension.NewLinkify(
				extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"}),
			),
		),
		goldmark.WithParserOptions(
			parser.WithInlineParsers(
				// Before the autolink (300) and raw HTML (400) parsers, which
				// also trigger on '<'.
				util.Prioritized(mentionParser{}, 150),
			),
		),
		goldmark.WithRendererOptions(
			// Chat: a single newline is a line break.
			html.WithHardWraps(),
			// Lower value = higher priority: overrides the default
			// renderers for links, images, headings, etc.
			renderer.WithNodeRenderers(util.Prioritized(nodeRenderer{}, 1)),
		),
		// html.WithUnsafe() is deliberately NOT set: raw HTML is shown as
		// text (renderRawHTML, renderHTMLBlock), never as markup.
	)
	return &Renderer{md: md, policy: newPolicy()}
}

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "strong", "em", "del", "code", "pre",
		"blockquote", "ul", "ol", "li", "a", "span")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("ol")

	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^nofollow noopener noreferrer$`)).OnElements("a")
	p.AllowAttrs("target").Matching(regexp.MustCompile(`^_blank$`)).OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(false)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)

	p.AllowAttrs("class").Matching(regexp.MustCompile(`^mention( mention-team)?$`)).OnElements("span")
	p.AllowAttrs("data-user").Matching(userIDPattern).OnElements("span")
	return p
}

// Render converts src to a sanitised HTML fragment and extracts mentions and
// links. lookup may be nil (every user mention is then unknown).
func (r *Renderer) Render(src string, lookup Lookup) Result {
	src = strings.ToValidUTF8(src, "\uFFFD")
	if utf8.RuneCountInString(src) > MaxMarkdownRunes {
		return Result{HTML: r.policy.Sanitize(plainHTML(src))}
	}
	source := []byte(src)

	doc := r.md.Parser().Parse(text.NewReader(source))

	st := &walkState{
		source: source,
		lookup: lookup,
		names:  map[string]resolved{},
		seenU:  map[string]bool{},
		seenL:  map[string]bool{},
	}
	st.walk(doc, 0, false)

	var buf bytes.Buffer
	buf.Grow(len(source) + len(source)/4 + 64)
	if err := r.md.Renderer().Render(&buf, source, doc); err != nil {
		// Our renderers never fail and bytes.Buffer never fails; be safe anyway.
		return Result{HTML: r.policy.Sanitize(string(util.EscapeHTML(source)))}
	}

	res := Result{
		HTML:         strings.TrimSpace(string(r.policy.SanitizeBytes(buf.Bytes()))),
		Mentions:     st.mentions,
		MentionsTeam: st.team,
		Links:        st.links,
	}
	return res
}

// plainHTML renders text without any markdown: escaped, newlines as <br>.
func plainHTML(src string) string {
	var b strings.Builder
	b.Grow(len(src) + len(src)/8 + 16)
	b.WriteString("<p>")
	for i, line := range strings.Split(src, "\n") {
		if i > 0 {
			b.WriteString("<br>\n")
		}
		b.Write(util.EscapeHTML([]byte(strings.ReplaceAll(line, "\x00", "\uFFFD"))))
	}
	b.WriteString("</p>")
	return b.String()
}

// ---------------------------------------------------------------------------
// Mention AST node and inline parser.

// kindMention is the AST kind of mention nodes.
var kindMention = ast.NewNodeKind("Mention")

// mention is a `<@uXXXXXXXXXXXXXXXXXXXXXXXX>` or `@team` token.
type mention struct {
	ast.BaseInline
	userID string // empty for @team
	team   bool

	// Filled in by the AST pass.
	plain bool   // inside a link: render as text, not a mention
	known bool   // lookup knew userID
	name  string // display name (unescaped)
	raw   []byte // source text of the token
}

func (n *mention) Kind() ast.NodeKind { return kindMention }

func (n *mention) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{
		"UserID": n.userID,
		"Team":   boolString(n.team),
	}, nil)
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

type mentionParser struct{}

func (mentionParser) Trigger() []byte { return []byte{'<', '@'} }

const tokenLen = len("<@") + 25 + len(">") // <@ + u + 24 hex + >

func (mentionParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) == 0 {
		return nil
	}
	switch line[0] {
	case '<':
		if len(line) < tokenLen || line[1] != '@' || line[tokenLen-1] != '>' {
			return nil
		}
		id := line[2 : tokenLen-1]
		if !isUserID(id) {
			return nil
		}
		block.Advance(tokenLen)
		return &mention{userID: string(id), raw: line[:tokenLen]}
	case '@':
		const team = "team"
		if len(line) < 1+len(team) || !bytes.EqualFold(line[1:1+len(team)], []byte(team)) {
			return nil
		}
		if isHandleChar(block.PrecendingCharacter()) {
			return nil // email@team.nl, foo@team
		}
		rest := line[1+len(team):]
		if len(rest) > 0 {
			r, _ := utf8.DecodeRune(rest)
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return nil // @teams, @team1
			}
			// @team.nl, @team-leads, @team_a: a domain or a longer handle.
			// (A lone trailing '_' is emphasis: "_@team_".)
			if (r == '.' || r == '-' || r == '_') && len(rest) > 1 {
				r2, _ := utf8.DecodeRune(rest[1:])
				if isWordRune(r2) {
					return nil
				}
			}
		}
		block.Advance(1 + len(team))
		return &mention{team: true, raw: line[:1+len(team)]}
	}
	return nil
}

func isUserID(b []byte) bool {
	if len(b) != 25 || b[0] != 'u' {
		return false
	}
	for _, c := range b[1:] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isHandleChar reports whether r, directly before '@', makes it part of an
// email address or another token rather than a mention.
func isHandleChar(r rune) bool {
	switch r {
	case '.', '-', '+', '@', '/', '&', '=', '%', '\\':
		return true
	}
	// Not '_': "_@team_" is emphasis around a mention.
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// ---------------------------------------------------------------------------
// AST pass: resolve mentions, collect links, bound nesting.

type resolved struct {
	name string
	ok   bool
}

type walkState struct {
	source   []byte
	lookup   Lookup
	names    map[string]resolved
	mentions []string
	seenU    map[string]bool
	team     bool
	links    []string
	seenL    map[string]bool
}

func (st *walkState) resolve(id string) (string, bool) {
	if r, ok := st.names[id]; ok {
		return r.name, r.ok
	}
	var r resolved
	if st.lookup != nil {
		r.name, r.ok = st.lookup(id)
		r.name = cleanName(r.name)
	}
	st.names[id] = r
	return r.name, r.ok
}

func (st *walkState) addLink(href string) {
	if !strings.HasPrefix(href, "http") || st.seenL[href] {
		return // mailto: etc.
	}
	st.seenL[href] = true
	st.links = append(st.links, href)
}

// isWrapper reports whether n is an inline or block container whose element
// can be dropped while keeping its content.
func isWrapper(n ast.Node) bool {
	switch n.Kind() {
	case ast.KindBlockquote, ast.KindList, ast.KindListItem, ast.KindEmphasis,
		ast.KindLink, ast.KindImage, east.KindStrikethrough:
		return true
	}
	return false
}

// walk visits n's children; depth is n's depth, inLink whether n is (inside)
// a link. Recursion depth is bounded by maxDepth plus a small constant,
// because deeper wrappers are unwrapped instead of descended into.
func (st *walkState) walk(n ast.Node, depth int, inLink bool) {
	cd := depth + 1
	for c := n.FirstChild(); c != nil; {
		unwrap := false
		switch c.Kind() {
		case ast.KindListItem:
			unwrap = n.Kind() != ast.KindList
		case ast.KindList:
			unwrap = cd+1 > maxDepth // room for the items
		case ast.KindImage:
			// An image inside a link would become a nested <a>.
			unwrap = inLink || cd > maxDepth
		default:
			unwrap = isWrapper(c) && cd > maxDepth
		}
		if unwrap {
			c = unwrapNode(n, c)
			continue
		}

		childInLink := inLink
		switch v := c.(type) {
		case *mention:
			st.visitMention(v, inLink)
		case *ast.Link:
			if href, ok := safeHref(v.Destination); ok {
				st.addLink(href)
			}
			childInLink = true
		case *ast.Image:
			if href, ok := safeHref(v.Destination); ok {
				st.addLink(href)
			}
			childInLink = true
		case *ast.AutoLink:
			if href, ok := autoLinkHref(v, st.source); ok {
				st.addLink(href)
			}
		}
		if c.HasChildren() {
			st.walk(c, cd, childInLink)
		}
		c = c.NextSibling()
	}
}

func (st *walkState) visitMention(m *mention, inLink bool) {
	m.plain = inLink
	if m.team {
		if !inLink {
			st.team = true
		}
		return
	}
	m.name, m.known = st.resolve(m.userID)
	if m.known && !inLink && !st.seenU[m.userID] {
		st.seenU[m.userID] = true
		st.mentions = append(st.mentions, m.userID)
	}
}

// unwrapNode replaces c (a child of parent) by its children and returns the
// node to continue with (the first lifted child, or c's next sibling).
func unwrapNode(parent, c ast.Node) ast.Node {
	prev := c.PreviousSibling()
	for ch := c.FirstChild(); ch != nil; {
		next := ch.NextSibling()
		c.RemoveChild(c, ch)
		if tb, ok := ch.(*ast.TextBlock); ok && parent.Kind() != ast.KindListItem {
			// Tight list items hold TextBlocks (no <p>); outside a list
			// item give the text its own paragraph.
			p := ast.NewParagraph()
			p.SetLines(tb.Lines())
			for g := tb.FirstChild(); g != nil; {
				gn := g.NextSibling()
				tb.RemoveChild(tb, g)
				p.AppendChild(p, g)
				g = gn
			}
			ch = p
		}
		parent.InsertBefore(parent, c, ch)
		ch = next
	}
	parent.RemoveChild(parent, c)
	if prev == nil {
		return parent.FirstChild()
	}
	return prev.NextSibling()
}

// ---------------------------------------------------------------------------
// URLs.

// safeHref returns the href for a link destination if it is an absolute
// http(s) URL with a host or a mailto: URL.
func safeHref(dest []byte) (string, bool) {
	if len(dest) == 0 || len(dest) > 4096 {
		return "", false
	}
	href := string(util.URLEscape(dest, true))
	u, err := url.Parse(href)
	if err != nil {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return "", false
		}
		// Normalise the scheme so "HTTP://x" is collected as "http://x".
		href = strings.ToLower(u.Scheme) + href[len(u.Scheme):]
	case "mailto":
		if u.Opaque == "" {
			return "", false
		}
		href = "mailto" + href[len(u.Scheme):]
	default:
		return "", false
	}
	return href, true
}

func autoLinkHref(n *ast.AutoLink, source []byte) (string, bool) {
	u := n.URL(source)
	if n.AutoLinkType == ast.AutoLinkEmail {
		if !bytes.HasPrefix(bytes.ToLower(u), []byte("mailto:")) {
			u = append([]byte("mailto:"), u...)
		}
	} else if n.Protocol == nil && bytes.HasPrefix(bytes.ToLower(u), []byte("www.")) {
		// Linkified www.example.com (goldmark's URL() normally adds this).
		u = append([]byte("http://"), u...)
	}
	return safeHref(u)
}

// cleanName makes a directory display name safe to show inline: valid UTF-8,
// no control characters, no bidi embedding/override/isolate characters
// (which would otherwise reorder the rest of the message).
func cleanName(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r):
			return -1
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > 100 {
		s = string([]rune(s)[:100]) + "…"
	}
	return s
}

// ---------------------------------------------------------------------------
// HTML node renderers overriding goldmark's defaults.

type nodeRenderer struct{}

func (nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindMention, renderMention)
	reg.Register(ast.KindLink, renderLink)
	reg.Register(ast.KindImage, renderImage)
	reg.Register(ast.KindAutoLink, renderAutoLink)
	reg.Register(ast.KindHeading, renderHeading)
	reg.Register(ast.KindThematicBreak, renderNothing)
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
}

// renderRawHTML shows inline HTML as the text it is: a body that starts
// with "<script>" keeps its words on screen, escaped (#14 §7).
func renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		segs := node.(*ast.RawHTML).Segments
		for i := range segs.Len() {
			seg := segs.At(i)
			writeEscaped(w, seg.Value(source))
		}
	}
	return ast.WalkSkipChildren, nil
}

// renderHTMLBlock shows an HTML block as a paragraph of its escaped lines.
func renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var lines [][]byte
	for i := range n.Lines().Len() {
		seg := n.Lines().At(i)
		lines = append(lines, bytes.TrimRight(seg.Value(source), "\r\n"))
	}
	if n.HasClosure() {
		lines = append(lines, bytes.TrimRight(n.ClosureLine.Value(source), "\r\n"))
	}
	_, _ = w.WriteString("<p>")
	for i, l := range lines {
		if i > 0 {
			_, _ = w.WriteString("<br>\n")
		}
		writeEscaped(w, l)
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}

func writeEscaped(w util.BufWriter, s []byte) {
	_, _ = w.Write(util.EscapeHTML(s))
}

func openAnchor(w util.BufWriter, href string) {
	_, _ = w.WriteString(`<a href="`)
	writeEscaped(w, []byte(href))
	_, _ = w.WriteString(`" rel="nofollow noopener noreferrer" target="_blank">`)
}

func renderMention(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	m := node.(*mention)
	switch {
	case m.team && m.plain:
		writeEscaped(w, m.raw)
	case m.team:
		_, _ = w.WriteString(`<span class="mention mention-team">@team</span>`)
	case !m.known:
		_, _ = w.WriteString(`@unknown`)
	default:
		name := m.name
		if name == "" {
			name = "unknown"
		}
		if !m.plain {
			// userID matched ^u[0-9a-f]{24}$ in the parser: safe as is.
			_, _ = w.WriteString(`<span class="mention" data-user="` + m.userID + `">`)
		}
		_ = w.WriteByte('@')
		writeEscaped(w, []byte(name))
		if !m.plain {
			_, _ = w.WriteString(`</span>`)
		}
	}
	return ast.WalkContinue, nil
}

func renderLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	href, ok := safeHref(n.Destination)
	if !ok {
		return ast.WalkContinue, nil // text only
	}
	if entering {
		openAnchor(w, href)
	} else {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

// renderImage renders an image as a link to it (a chat message must not load
// remote content), or as its alt text.
func renderImage(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Image)
	href, ok := safeHref(n.Destination)
	if !ok {
		return ast.WalkContinue, nil
	}
	if entering {
		openAnchor(w, href)
		if !n.HasChildren() {
			writeEscaped(w, []byte(href))
		}
	} else {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func renderAutoLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	label := n.Label(source)
	href, ok := autoLinkHref(n, source)
	if !ok {
		writeEscaped(w, label)
		return ast.WalkContinue, nil
	}
	openAnchor(w, href)
	writeEscaped(w, label)
	_, _ = w.WriteString("</a>")
	return ast.WalkContinue, nil
}

// renderHeading renders "# Title" as a bold paragraph: no big type in chat.
func renderHeading(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<p><strong>")
	} else {
		_, _ = w.WriteString("</strong></p>\n")
	}
	return ast.WalkContinue, nil
}

func renderNothing(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}
