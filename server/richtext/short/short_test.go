package short

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	idAnna   = "u0123456789abcdef01234567"
	idEvil   = "uaaaaaaaaaaaaaaaaaaaaaaaa"
	idQuote  = "ubbbbbbbbbbbbbbbbbbbbbbbb"
	idRTL    = "ucccccccccccccccccccccccc"
	idNobody = "uffffffffffffffffffffffff" // well-formed, unknown to the directory
)

// directory is the Lookup used by the tests; some names are hostile.
func directory(id string) (string, bool) {
	switch id {
	case idAnna:
		return "Anna de Vries", true
	case idEvil:
		return `<script>alert("x")</script>`, true
	case idQuote:
		return `Jan "the man" O'Brien & co`, true
	case idRTL:
		return "Eve\u202Egnp.exe\x00", true
	}
	return "", false
}

var testRenderer = New()

func render(src string) Result { return testRenderer.Render(src, directory) }

const relTarget = ` rel="nofollow noopener noreferrer" target="_blank"`

func TestFormatting(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"bold", "**vet** en __ook__", "<p><strong>vet</strong> en <strong>ook</strong></p>"},
		{"italic", "*schuin* _ook_", "<p><em>schuin</em> <em>ook</em></p>"},
		{"strike", "~~weg~~", "<p><del>weg</del></p>"},
		{"code", "`a <b> & c`", "<p><code>a &lt;b&gt; &amp; c</code></p>"},
		{"fenced", "```go\nx := a < b\n```", "<pre><code>x := a &lt; b\n</code></pre>"},
		{"indented code", "    code", "<pre><code>code\n</code></pre>"},
		{"quote", "> citaat\n> regel 2", "<blockquote>\n<p>citaat<br>\nregel 2</p>\n</blockquote>"},
		{"ul", "- een\n- twee", "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>"},
		{"ol", "1. een\n2. twee", "<ol>\n<li>een</li>\n<li>twee</li>\n</ol>"},
		{"ol start", "3. drie", "<ol start=\"3\">\n<li>drie</li>\n</ol>"},
		{"nested list", "- a\n  - b", "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"},
		{"newline is br", "regel 1\nregel 2", "<p>regel 1<br>\nregel 2</p>"},
		{"paragraphs", "a\n\nb", "<p>a</p>\n<p>b</p>"},
		{"link", "[site](https://e.nl/x?a=1&b=2)", `<p><a href="https://e.nl/x?a=1&amp;b=2"` + relTarget + `>site</a></p>`},
		{"link title dropped", `[x](http://e.nl "titel")`, `<p><a href="http://e.nl"` + relTarget + `>x</a></p>`},
		{"mailto", "[mail](mailto:zorg@e.nl)", `<p><a href="mailto:zorg@e.nl"` + relTarget + `>mail</a></p>`},
		{"autolink angle", "<https://e.nl>", `<p><a href="https://e.nl"` + relTarget + `>https://e.nl</a></p>`},
		{"linkify", "zie https://e.nl/pad.", `<p>zie <a href="https://e.nl/pad"` + relTarget + `>https://e.nl/pad</a>.</p>`},
		{"linkify www", "www.e.nl", `<p><a href="http://www.e.nl"` + relTarget + `>www.e.nl</a></p>`},
		{"linkify email", "mail a@e.nl", `<p>mail <a href="mailto:a@e.nl"` + relTarget + `>a@e.nl</a></p>`},
		{"linkify no ftp", "ftp://e.nl/x", "<p>ftp://e.nl/x</p>"},
		{"relative link is text", "[x](/logout)", "<p>x</p>"},
		{"protocol-relative is text", "[x](//evil.com)", "<p>x</p>"},
		{"image becomes link", "![foto](https://e.nl/a.png)", `<p><a href="https://e.nl/a.png"` + relTarget + `>foto</a></p>`},
		{"image no alt", "![](https://e.nl/a.png)", `<p><a href="https://e.nl/a.png"` + relTarget + `>https://e.nl/a.png</a></p>`},
		{"image in link", "[![i](http://img)](http://link)", `<p><a href="http://link"` + relTarget + `>i</a></p>`},
		{"heading", "# Titel", "<p><strong>Titel</strong></p>"},
		{"setext heading", "Titel\n---", "<p><strong>Titel</strong></p>"},
		{"thematic break dropped", "a\n\n***\n\nb", "<p>a</p>\n<p>b</p>"},
		{"tables off", "| a |\n|---|\n| 1 |", "<p>| a |<br>\n|---|<br>\n| 1 |</p>"},
		{"task lists off", "- [ ] taak", "<ul>\n<li>[ ] taak</li>\n</ul>"},
		{"raw html shown as text", "a <b>b</b> c", "<p>a &lt;b&gt;b&lt;/b&gt; c</p>"},
		{"html block shown as text", "<div>\nx\n</div>", "<p>&lt;div&gt;<br>\nx<br>\n&lt;/div&gt;</p>"},
		{"entity", "&amp; &lt; &copy;", "<p>&amp; &lt; ©</p>"},
		{"mention", "hoi <@" + idAnna + ">!", `<p>hoi <span class="mention" data-user="` + idAnna + `">@Anna de Vries</span>!</p>`},
		{"team", "hoi @team", `<p>hoi <span class="mention mention-team">@team</span></p>`},
		{"unknown mention", "<@" + idNobody + ">", "<p>@unknown</p>"},
		{"bad id literal", "<@u123>", "<p>&lt;@u123&gt;</p>"},
		{"uppercase id literal", "<@U0123456789ABCDEF01234567>", "<p>&lt;@U0123456789ABCDEF01234567&gt;</p>"},
		{"mention in code", "`<@" + idAnna + "> @team`", "<p><code>&lt;@" + idAnna + "&gt; @team</code></p>"},
		{"mention in link text", "[<@" + idAnna + "> @team](https://e.nl)", `<p><a href="https://e.nl"` + relTarget + `>@Anna de Vries @team</a></p>`},
		{"null byte", "a\x00b", "<p>a\uFFFDb</p>"},
		{"invalid utf8", "a\xff\xfeb", "<p>a\uFFFDb</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(tt.in).HTML
			if got != tt.want {
				t.Errorf("Render(%q)\n got: %q\nwant: %q", tt.in, got, tt.want)
			}
			if err := checkHTML(got); err != nil {
				t.Error(err)
			}
		})
	}
}

// xssPayloads are hostile inputs; each must render to allowlisted markup.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
	`<img src=x onerror=alert(1)>`,
	`<img src="javascript:alert(1)">`,
	`[x](javascript:alert(1))`,
	`[x](JAVASCRIPT:alert(1))`,
	`[x](JaVaScRiPt:alert(1))`,
	`[x](jav&#x09;ascript:alert(1))`,
	`[x](jav	ascript:alert(1))`,
	`[x](&#106;avascript:alert(1))`,
	`[x](javascript&colon;alert(1))`,
	`[x]( javascript:alert(1) )`,
	`[x](<javascript:alert(1)>)`,
	`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`[x](data:image/png;base64,iVBORw0KGgo=)`,
	`[x](vbscript:msgbox(1))`,
	`[x](file:///etc/passwd)`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="https://e.nl" onclick="alert(1)">x</a>`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
	`<iframe src="https://evil.example"></iframe>`,
	`<object data="x.swf"></object><embed src="x.swf">`,
	`<style>body{display:none}</style>`,
	`<p style="background:url(javascript:alert(1))">x</p>`,
	`<div style="position:fixed;top:0">x</div>`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`&#60;script&#62;alert(1)&#60;/script&#62;`,
	`[x](http://e.nl "\"><script>alert(1)</script>")`,
	`[x](http://e.nl '"><img src=x onerror=alert(1)>')`,
	`[x](http://e.nl/"onmouseover="alert(1))`,
	`[x](<http://e.nl/" onmouseover="alert(1)>)`,
	`[x](http://e.nl/?q="><script>alert(1)</script>)`,
	`<javascript:alert(1)>`,
	`<vbscript:msgbox(1)>`,
	`<data:text/html,<script>alert(1)</script>>`,
	`javascript:alert(1)`,
	`www.e.nl/"><script>alert(1)</script>`,
	`![x](javascript:alert(1))`,
	`![x" onerror="alert(1)](http://e.nl/a.png)`,
	`![x](http://e.nl/a.png "x\" onerror=\"alert(1)")`,
	`[x][r]` + "\n\n" + `[r]: javascript:alert(1)`,
	"<@" + idEvil + ">",
	"<@" + idQuote + ">",
	"<@" + idRTL + ">",
	"[<@" + idEvil + ">](https://e.nl)",
	`<@u0123456789abcdef0123456"><script>alert(1)</script>>`,
	`<@u0123456789abcdef0123456 onmouseover=alert(1)>`,
	`<span class="mention" data-user="` + idAnna + `" onclick="alert(1)">x</span>`,
	`<span class="evil" style="x">x</span>`,
	"\u202Egnp.exe <@" + idAnna + ">",
	"a\x00<script>alert(1)</script>",
	"<scr\x00ipt>alert(1)</scr\x00ipt>",
	"\x00<img src=x onerror=alert(1)>",
	`<!-- --><script>alert(1)</script> -->`,
	`<![CDATA[<script>alert(1)</script>]]>`,
	"```\n</code></pre><script>alert(1)</script>\n```",
	"`</code><script>alert(1)</script>`",
	`<base href="javascript:/">`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<form action="javascript:alert(1)"><button>x</button></form>`,
	`<details open ontoggle=alert(1)>`,
	`<a href="&#x6A;avascript:alert(1)">x</a>`,
	`[x](https://e.nl/&#x22;onmouseover=alert(1))`,
	`[x](\"javascript:alert(1))`,
	`**<img src=x onerror=alert(1)>**`,
	`> <script>alert(1)</script>`,
	`- [x](javascript:alert(1))`,
	`<a href="https://e.nl" target="_self" rel="opener">x</a>`,
}

func TestXSSPayloadsNeutralised(t *testing.T) {
	if len(xssPayloads) < 25 {
		t.Fatalf("only %d payloads", len(xssPayloads))
	}
	for _, p := range xssPayloads {
		res := render(p)
		if err := checkHTML(res.HTML); err != nil {
			t.Errorf("Render(%q) = %q: %v", p, res.HTML, err)
		}
		lower := strings.ToLower(res.HTML)
		for _, bad := range []string{"<script", "<img", "<iframe", "<svg", "<math", "<style", "<object", "<embed",
			"<base", "<meta", "<form", "style=", "javascript:", "vbscript:", "data:", "onerror=", "onload=", "onclick="} {
			// The forbidden strings may only appear as escaped text, never
			// as markup. Text may contain them only when the payload was
			// not markup in the first place (checked by checkHTML).
			if strings.Contains(lower, bad) && !textOnly(res.HTML, bad) {
				t.Errorf("Render(%q) = %q contains %q outside text", p, res.HTML, bad)
			}
		}
		for _, l := range res.Links {
			if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
				t.Errorf("Render(%q): link %q", p, l)
			}
		}
	}
}

// textOnly reports whether every occurrence of s in fragment h lies in text
// content (so it is displayed, not interpreted).
func textOnly(h, s string) bool {
	if strings.HasPrefix(s, "<") {
		return false // a raw '<' in the output is always markup
	}
	nodes, err := parseFragment(h)
	if err != nil {
		return false
	}
	var bad bool
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for _, a := range n.Attr {
			if strings.Contains(strings.ToLower(a.Key+"="+a.Val), s) {
				bad = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	for _, n := range nodes {
		visit(n)
	}
	return !bad
}

func TestHostileNamesEscaped(t *testing.T) {
	got := render("<@" + idEvil + "> <@" + idQuote + "> <@" + idRTL + ">").HTML
	want := `<p><span class="mention" data-user="` + idEvil + `">@&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</span> ` +
		`<span class="mention" data-user="` + idQuote + `">@Jan &#34;the man&#34; O&#39;Brien &amp; co</span> ` +
		`<span class="mention" data-user="` + idRTL + `">@Evegnp.exe</span></p>`
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestMentions(t *testing.T) {
	a, e, q := "<@"+idAnna+">", "<@"+idEvil+">", "<@"+idQuote+">"
	tests := []struct {
		name string
		in   string
		want []string
		team bool
	}{
		{"none", "hallo", nil, false},
		{"one", "hoi " + a, []string{idAnna}, false},
		{"dedup and order", q + " " + a + " " + q + " " + e + " " + a, []string{idQuote, idAnna, idEvil}, false},
		{"unknown ignored", "<@" + idNobody + "> " + a, []string{idAnna}, false},
		{"malformed ignored", "<@u123> <@" + strings.ToUpper(idAnna) + "> <@" + idAnna + "0>", nil, false},
		{"inline code ignored", "`" + a + "` en `@team`", nil, false},
		{"code block ignored", "```\n" + a + "\n@team\n```", nil, false},
		{"indented code ignored", "    " + a + " @team", nil, false},
		{"in link ignored", "[" + a + " @team](https://e.nl)", nil, false},
		{"in formatting", "**" + a + "** _@team_", []string{idAnna}, true},
		{"in quote and list", "> " + a + "\n\n- @team", []string{idAnna}, true},
		{"adjacent", a + q, []string{idAnna, idQuote}, false},
		{"nil lookup-safe after code", "`x` " + a, []string{idAnna}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := render(tt.in)
			if !slices.Equal(res.Mentions, tt.want) {
				t.Errorf("Mentions = %v, want %v (html %q)", res.Mentions, tt.want, res.HTML)
			}
			if res.MentionsTeam != tt.team {
				t.Errorf("MentionsTeam = %v, want %v (html %q)", res.MentionsTeam, tt.team, res.HTML)
			}
		})
	}
}

func TestNilLookup(t *testing.T) {
	res := New().Render("<@"+idAnna+"> @team", nil)
	if res.HTML != `<p>@unknown <span class="mention mention-team">@team</span></p>` || len(res.Mentions) != 0 || !res.MentionsTeam {
		t.Errorf("got %+v", res)
	}
}

func TestTeamMention(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"@team", true},
		{"hoi @team!", true},
		{"@Team, kijk even", true},
		{"@TEAM.", true},
		{"(@team)", true},
		{"**@team**", true},
		{"ok @team\nvolgende", true},
		{"email@team.nl", false},
		{"mail naar email@team.nl", false},
		{"x,email@team.nl", false},
		{"@team.nl", false},
		{"@teams", false},
		{"@team1", false},
		{"@team_a", false},
		{"@team-leiding", false},
		{"@teamé", false},
		{"a@team", false},
		{"`@team`", false},
		{"```\n@team\n```", false},
		{"[@team](https://e.nl)", false},
		{"https://e.nl/@team", false},
		{"<https://e.nl/@team>", false},
		{"@ team", false},
		{"@tea", false},
		{`\@team`, false},
	}
	for _, tt := range tests {
		res := render(tt.in)
		if res.MentionsTeam != tt.want {
			t.Errorf("Render(%q).MentionsTeam = %v, want %v (html %q)", tt.in, res.MentionsTeam, tt.want, res.HTML)
		}
		if strings.Contains(res.HTML, "mention-team") != tt.want {
			t.Errorf("Render(%q).HTML = %q: team span presence != %v", tt.in, res.HTML, tt.want)
		}
	}
}

func TestLinks(t *testing.T) {
	in := "zie https://e.nl/a en [b](http://e.nl/b) en <https://e.nl/a> en www.e.nl en " +
		"[m](mailto:a@e.nl) a@e.nl [j](javascript:x) [r](/rel) ![i](HTTPS://e.nl/i.png) [b2](http://e.nl/b)"
	want := []string{"https://e.nl/a", "http://e.nl/b", "http://www.e.nl", "https://e.nl/i.png"}
	if got := render(in).Links; !slices.Equal(got, want) {
		t.Errorf("Links = %q, want %q", got, want)
	}
	if got := render("geen links hier").Links; got != nil {
		t.Errorf("Links = %q, want nil", got)
	}
}

func TestDepthBounded(t *testing.T) {
	for _, in := range []string{
		strings.Repeat(">", 500) + " x",
		strings.Repeat("- ", 500) + "x",
		strings.Repeat("> 1. ", 300) + "x",
		strings.Repeat("*", 600) + "x" + strings.Repeat("*", 600),
		strings.Repeat("~~", 300) + "x" + strings.Repeat("~~", 300),
		strings.Repeat("[", 500) + "x" + strings.Repeat("](http://e.nl)", 500),
	} {
		res := render(in)
		if err := checkHTML(res.HTML); err != nil {
			t.Errorf("Render(%.20q...): %v", in, err)
		}
		if d := maxElementDepth(t, res.HTML); d > maxDepth+4 {
			t.Errorf("Render(%.20q...): element depth %d", in, d)
		}
	}
	// Content survives unwrapping.
	if got := render(strings.Repeat(">", 100) + " diep").HTML; !strings.Contains(got, "diep") {
		t.Errorf("content lost: %q", got)
	}
	if got := render(strings.Repeat("- ", 100) + "diep").HTML; !strings.Contains(got, "diep") {
		t.Errorf("content lost: %q", got)
	}
}

func maxElementDepth(t *testing.T, h string) int {
	t.Helper()
	nodes, err := parseFragment(h)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node, d int) int
	walk = func(n *html.Node, d int) int {
		m := d
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			m = max(m, walk(c, d+1))
		}
		return m
	}
	m := 0
	for _, n := range nodes {
		m = max(m, walk(n, 1))
	}
	return m
}

// TestPathological checks that huge and nasty inputs neither panic nor
// explode. Timings are logged (run with -v), not asserted.
func TestPathological(t *testing.T) {
	const big = 200 << 10
	patterns := []string{">", "*", "[", "- ", "> - ", "1. ", "[](", "[a](", "_", "~~", "`", "<", "![", "*_", "\\", "&#", "<@" + idAnna + ">", "@team "}
	for _, size := range []int{big, 1 << 20, MaxMarkdownRunes} {
		for _, p := range patterns {
			in := strings.Repeat(p, size/len(p)+1)[:size]
			if size == MaxMarkdownRunes {
				in = in[:size-2] // just under the limit: the markdown path
			}
			start := time.Now()
			res := render(in)
			d := time.Since(start)
			t.Logf("%6d x %-8q %8d bytes in, %8d out, %v", size/len(p), p, len(in), len(res.HTML), d)
			if len(res.HTML) > 8*len(in)+1024 {
				t.Errorf("%q x %d: output %d bytes", p, size/len(p), len(res.HTML))
			}
			if size == MaxMarkdownRunes {
				if err := checkHTML(res.HTML); err != nil {
					t.Errorf("%q: %v", p, err)
				}
			}
		}
	}
	// Above the limit: escaped plain text, still safe.
	res := render(strings.Repeat("<script>x</script>\n", 1000))
	if err := checkHTML(res.HTML); err != nil || strings.Contains(res.HTML, "<script") {
		t.Errorf("plain fallback unsafe: %v", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	r := New()
	in := "hoi <@" + idAnna + "> @team, zie https://e.nl/x en **dit**"
	want := r.Render(in, directory)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				got := r.Render(in, directory)
				if got.HTML != want.HTML || !slices.Equal(got.Mentions, want.Mentions) || !slices.Equal(got.Links, want.Links) {
					t.Errorf("concurrent render differs: %+v", got)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// ---------------------------------------------------------------------------
// Fuzzing.

func FuzzRender(f *testing.F) {
	for _, p := range xssPayloads {
		f.Add(p)
	}
	for _, s := range []string{
		"**b** *i* ~~s~~ `c`", "> q\n- l\n1. o", "[l](https://e.nl) <https://e.nl> www.e.nl a@e.nl",
		"hoi <@" + idAnna + "> @team", "```\n<@" + idAnna + ">\n```", strings.Repeat(">", 100) + "x",
		strings.Repeat("- ", 50) + "x", strings.Repeat("*", 40) + "x" + strings.Repeat("*", 40),
	} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, in string) {
		res := r.Render(in, directory)
		if err := checkHTML(res.HTML); err != nil {
			t.Fatalf("Render(%q) = %q: %v", in, res.HTML, err)
		}
		seen := map[string]bool{}
		for _, id := range res.Mentions {
			if _, ok := directory(id); !ok || seen[id] {
				t.Fatalf("Render(%q): bad mentions %q", in, res.Mentions)
			}
			seen[id] = true
		}
		for _, l := range res.Links {
			u, err := url.Parse(l)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || seen[l] {
				t.Fatalf("Render(%q): bad links %q", in, res.Links)
			}
			seen[l] = true
		}
	})
}

var (
	userIDRe  = regexp.MustCompile(`^u[0-9a-f]{24}$`)
	bareElems = map[atom.Atom]bool{
		atom.P: true, atom.Br: true, atom.Strong: true, atom.Em: true, atom.Del: true, atom.Code: true,
		atom.Pre: true, atom.Blockquote: true, atom.Ul: true, atom.Li: true,
	}
)

func parseFragment(h string) ([]*html.Node, error) {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	return html.ParseFragment(strings.NewReader(h), ctx)
}

// checkHTML verifies that h parses as HTML and only contains allowlisted
// elements and attributes, with links only to http, https and mailto.
func checkHTML(h string) error {
	if !strings.HasPrefix(h, "<") && h != "" {
		return fmt.Errorf("output does not start with an element: %q", h)
	}
	nodes, err := parseFragment(h)
	if err != nil {
		return fmt.Errorf("parse: %v", err)
	}
	var check func(n *html.Node) error
	check = func(n *html.Node) error {
		switch n.Type {
		case html.TextNode:
		case html.ElementNode:
			if err := checkElement(n); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unexpected node type %v (%q)", n.Type, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if err := check(c); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range nodes {
		if err := check(n); err != nil {
			return err
		}
	}
	return nil
}

func checkElement(n *html.Node) error {
	bad := func(a html.Attribute) error {
		return fmt.Errorf("attribute %s=%q not allowed on <%s>", a.Key, a.Val, n.Data)
	}
	switch {
	case bareElems[n.DataAtom]:
		if len(n.Attr) > 0 {
			return bad(n.Attr[0])
		}
	case n.DataAtom == atom.Ol:
		for _, a := range n.Attr {
			if a.Namespace != "" || a.Key != "start" || !regexp.MustCompile(`^[0-9]+$`).MatchString(a.Val) {
				return bad(a)
			}
		}
	case n.DataAtom == atom.A:
		for _, a := range n.Attr {
			switch {
			case a.Namespace != "":
				return bad(a)
			case a.Key == "href":
				u, err := url.Parse(a.Val)
				if err != nil {
					return fmt.Errorf("href %q: %v", a.Val, err)
				}
				switch u.Scheme {
				case "http", "https":
					if u.Host == "" {
						return fmt.Errorf("href %q without host", a.Val)
					}
				case "mailto":
				default:
					return fmt.Errorf("href %q: scheme %q not allowed", a.Val, u.Scheme)
				}
			case a.Key == "rel" && a.Val == "nofollow noopener noreferrer":
			case a.Key == "target" && a.Val == "_blank":
			default:
				return bad(a)
			}
		}
	case n.DataAtom == atom.Span:
		for _, a := range n.Attr {
			switch {
			case a.Namespace != "":
				return bad(a)
			case a.Key == "class" && (a.Val == "mention" || a.Val == "mention mention-team"):
			case a.Key == "data-user" && userIDRe.MatchString(a.Val):
			default:
				return bad(a)
			}
		}
	default:
		return fmt.Errorf("element <%s> not allowed", n.Data)
	}
	return nil
}

// ---------------------------------------------------------------------------
// Benchmark.

// A typical message: ~200 characters with a mention and a link.
var benchMessage = "Hoi <@" + idAnna + ">, kun je vanavond de medicatie van mevrouw Jansen " +
	"controleren? Het protocol staat op https://intranet.example.nl/protocollen/medicatie " +
	"— **graag voor 18:00** afvinken. Dank!"

func BenchmarkRender(b *testing.B) {
	r := New()
	b.SetBytes(int64(len(benchMessage)))
	b.ReportAllocs()
	for b.Loop() {
		r.Render(benchMessage, directory)
	}
}
