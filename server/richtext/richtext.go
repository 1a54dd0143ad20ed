// Package richtext renders long-form markdown (knowledge articles, team
// descriptions) to a sanitised HTML fragment: CommonMark with GFM tables,
// strikethrough, task lists and autolinks; raw HTML is dropped, headings
// start at h2 (the page owns h1), images are not rendered (files are
// attachments), and a bluemonday allowlist runs last, so even a bug in the
// markdown stage cannot produce markup outside it.
package richtext

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MaxRunes is the longest source rendered as markdown; longer input is a bug
// or abuse and is shown as escaped text.
const MaxRunes = 100_000

// Renderer is safe for concurrent use; build it once.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New builds a Renderer.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList,
			extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:", "mailto:"}))),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(shape{}, 100))),
	)
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "h2", "h3", "h4", "strong", "em", "del", "code", "pre", "blockquote",
		"ul", "ol", "li", "a", "hr", "table", "thead", "tbody", "tr", "th", "td")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("ol")
	p.AllowAttrs("style").Matching(regexp.MustCompile(`^text-align:(left|right|center)$`)).OnElements("th", "td")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^(|checked|disabled)$`)).OnElements("input")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.AllowRelativeURLs(false)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return &Renderer{md: md, policy: p}
}

// HTML renders src.
func (r *Renderer) HTML(src string) string {
	src = strings.ToValidUTF8(src, "\uFFFD")
	if len([]rune(src)) > MaxRunes {
		return "<p>" + escape(src) + "</p>"
	}
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "<p>" + escape(src) + "</p>"
	}
	return r.policy.Sanitize(buf.String())
}

func escape(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&#34;")
		case '\'':
			b.WriteString("&#39;")
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// shape moves headings down one level (h1→h2, capped at h4) and replaces
// images by their alt text.
type shape struct{}

func (shape) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	var images []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := n.(type) {
		case *ast.Heading:
			x.Level = min(x.Level+1, 4)
		case *ast.Image:
			images = append(images, x)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		parent := img.Parent()
		if parent == nil {
			continue
		}
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, img, c)
			c = next
		}
		parent.RemoveChild(parent, img)
	}
}
