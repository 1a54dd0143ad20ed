package chat

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identifiers"
)

// serverFrames is one value of every server → client frame type.
var serverFrames = []ServerFrame{
	ReadyFrame{}, EntryFrame{}, AckFrame{}, EntriesFrame{}, ReadFrame{}, TypingFrame{}, PresenceFrame{},
	PrefsFrame{}, ReceiptsFrame{}, ReceiptsMovedFrame{}, ChannelFrame{}, ChannelRemovedFrame{},
	NotifyFrame{}, NotificationFrame{}, ResyncFrame{}, PongFrame{}, ErrorFrame{},
}

// TestServerFramesWireFormat: the typed frames encode to what the untyped
// maps they replaced sent (the expected texts are those maps' output: keys
// sorted, which JSON readers ignore), so the app reads them as before.
func TestServerFramesWireFormat(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 12, 0, 0, time.UTC)
	e := &Entry{Ch: "t-a", Seq: 12, Kind: EntryMsg, By: "u1", ByName: "Anouk", ClientID: "c-7", At: at, Body: "hoi", HTML: "<p>hoi</p>"}
	sum := &Summary{ID: "t-a", Kind: KindTeam, Name: "A", LastSeq: 12}
	p := UserPrefs{HidePresence: true}
	entryJSON := `{"ch":"t-a","seq":12,"kind":"msg","by":"u1","byName":"Anouk","clientId":"c-7","at":"2026-12-07T09:12:00Z","body":"hoi","html":"\u003cp\u003ehoi\u003c/p\u003e"}`
	sumJSON := `{"id":"t-a","kind":"team","name":"A","lastSeq":12,"readSeq":0,"unread":0,"mentions":0}`
	cases := []struct {
		f    ServerFrame
		want string
	}{
		{ReadyFrame{User: FrameUser{"u1", "Anouk"}, Channels: []Summary{*sum}, Online: map[string]string{"u2": "away"},
			LastSeen: map[string]time.Time{"u3": at}, Instance: "i1", Receipts: true, Prefs: p},
			`{"channels":[` + sumJSON + `],"instance":"i1","lastSeen":{"u3":"2026-12-07T09:12:00Z"},"online":{"u2":"away"},"prefs":{"hidePresence":true},"receipts":true,"type":"ready","user":{"id":"u1","name":"Anouk"}}`},
		{PongFrame{ID: "7"}, `{"id":"7","type":"pong"}`},
		{AckFrame{ID: "7", ClientID: "c-7", Ch: "t-a", Seq: 12}, `{"ch":"t-a","clientId":"c-7","duplicate":false,"id":"7","seq":12,"type":"ack"}`},
		{EntriesFrame{ID: "7", Ch: "t-a", Entries: []*Entry{e}, More: true}, `{"ch":"t-a","entries":[` + entryJSON + `],"id":"7","more":true,"type":"entries"}`},
		{EntriesFrame{Ch: "t-a", Entries: []*Entry{}}, `{"ch":"t-a","entries":[],"id":"","more":false,"type":"entries"}`},
		{ReadFrame{Ch: "t-a", Seq: 12}, `{"ch":"t-a","seq":12,"type":"read"}`},
		{ReceiptsFrame{ID: "7", Ch: "t-a", Reads: map[string]int64{"u1": 12}, Names: map[string]string{"u1": "Anouk"}},
			`{"ch":"t-a","id":"7","names":{"u1":"Anouk"},"off":false,"reads":{"u1":12},"type":"receipts"}`},
		{ReceiptsFrame{Ch: "t-a", Reads: map[string]int64{}, Names: map[string]string{}, Off: true},
			`{"ch":"t-a","id":"","names":{},"off":true,"reads":{},"type":"receipts"}`},
		{ReceiptsMovedFrame{Ch: "t-a", Reads: map[string]int64{"u2": 11}}, `{"ch":"t-a","reads":{"u2":11},"type":"receipts"}`},
		{ErrorFrame{ID: "7", Code: "not_found", Message: "channel not found"}, `{"clientId":"","code":"not_found","id":"7","message":"channel not found","type":"error"}`},
		{ErrorFrame{ID: "7", Code: identifiers.Code, Message: "m", ClientID: "c-7", Findings: []identifiers.FieldFinding{{Field: "body", Kind: "bsn"}}},
			`{"clientId":"c-7","code":"identifier_suspected","findings":[{"field":"body","kind":"bsn"}],"id":"7","message":"m","type":"error"}`},
		{ErrorFrame{ID: "7", Code: "invalid", Message: "x", ClientID: "c-7", Errors: []apperr.FieldError{{Field: "body", Code: "too_long", Message: "too long", Params: apperr.Params{"max": 8000}}}},
			`{"clientId":"c-7","code":"invalid","errors":[{"field":"body","code":"too_long","message":"too long","params":{"max":8000}}],"id":"7","message":"x","type":"error"}`},
		{ChannelFrame{Channel: sum}, `{"channel":` + sumJSON + `,"type":"channel"}`},
		{PrefsFrame{Prefs: p}, `{"prefs":{"hidePresence":true},"type":"prefs"}`},
		{ResyncFrame{Ch: "t-a"}, `{"ch":"t-a","type":"resync"}`},
		{NotifyFrame{Kind: "mention", Ch: "t-a", Seq: 12, By: "u1", ByName: "Anouk", Excerpt: "hoi @Sanne"},
			`{"by":"u1","byName":"Anouk","ch":"t-a","excerpt":"hoi @Sanne","kind":"mention","seq":12,"type":"notify"}`},
		{TypingFrame{Ch: "t-a", User: "u1", Name: "Anouk"}, `{"ch":"t-a","name":"Anouk","type":"typing","user":"u1"}`},
		{ChannelRemovedFrame{Ch: "t-a"}, `{"ch":"t-a","type":"channel_removed"}`},
		{EntryFrame{Entry: e}, `{"entry":` + entryJSON + `,"type":"entry"}`},
		{PresenceFrame{User: "u2", Status: "online"}, `{"status":"online","type":"presence","user":"u2"}`},
		{PresenceFrame{User: "u2", Status: "offline", LastSeen: at}, `{"lastSeen":"2026-12-07T09:12:00Z","status":"offline","type":"presence","user":"u2"}`},
		{NotificationFrame{Item: map[string]any{"id": "n1"}, Unread: 3}, `{"item":{"id":"n1"},"type":"notification","unread":3}`},
	}
	for _, c := range cases {
		got := c.f.encode()
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(c.want), &w); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%T encodes\n%s\nwant\n%s", c.f, got, c.want)
		}
		if !strings.HasPrefix(string(got), `{"type":`) {
			t.Errorf("%T: type is not the first key: %s", c.f, got)
		}
	}
}

// protocolTable reads the table under heading in docs/protocol.md: type →
// the fields its second column names. A field is a back-quoted name outside
// parentheses (inside them are values and nested fields).
func protocolTable(t *testing.T, heading string) map[string][]string {
	t.Helper()
	doc, err := os.ReadFile("../docs/protocol.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("docs/protocol.md has no %q", heading)
	}
	if i := strings.Index(rest, "\n#"); i >= 0 {
		rest = rest[:i]
	}
	row := regexp.MustCompile("^`([a-z_]+)`$")
	out := map[string][]string{}
	for line := range strings.SplitSeq(rest, "\n") {
		cells := splitRow(line)
		if len(cells) < 3 {
			continue
		}
		m := row.FindStringSubmatch(strings.TrimSpace(cells[1]))
		if m == nil {
			continue
		}
		if _, dup := out[m[1]]; dup {
			t.Errorf("%s: %q documented twice", heading, m[1])
		}
		out[m[1]] = docFields(cells[2])
	}
	if len(out) == 0 {
		t.Fatalf("no frame rows under %q", heading)
	}
	return out
}

// splitRow splits a table row at the bars outside back quotes.
func splitRow(line string) []string {
	var cells []string
	quoted, from := false, 0
	for i, r := range line {
		switch {
		case r == '`':
			quoted = !quoted
		case r == '|' && !quoted:
			cells = append(cells, line[from:i])
			from = i + 1
		}
	}
	return append(cells, line[from:])
}

var fieldName = regexp.MustCompile(`^[A-Za-z]+$`)

// docFields lists the back-quoted names outside parentheses.
func docFields(cell string) []string {
	fields := []string{}
	depth, quoted, word := 0, false, ""
	for _, r := range cell {
		switch {
		case r == '`':
			if quoted && depth == 0 && fieldName.MatchString(word) {
				fields = append(fields, word)
			}
			quoted, word = !quoted, ""
		case quoted:
			word += string(r)
		case r == '(':
			depth++
		case r == ')':
			depth--
		}
	}
	return fields
}

// jsonFields lists the JSON names of a struct type's fields.
func jsonFields(typ reflect.Type) []string {
	var out []string
	for f := range typ.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return slices.Compact(s)
}

// TestProtocolDocMatchesFrames: docs/protocol.md documents every server →
// client frame type and exactly the JSON fields of its Go type(s), and every
// frame type in the code is in serverFrames.
func TestProtocolDocMatchesFrames(t *testing.T) {
	code := map[string][]string{} // type → fields (receipts has two Go types)
	for _, f := range serverFrames {
		var head struct{ Type string }
		if err := json.Unmarshal(f.encode(), &head); err != nil || head.Type == "" {
			t.Fatalf("%T: no type (%v)", f, err)
		}
		for _, name := range jsonFields(reflect.TypeOf(f)) {
			if name != "type" {
				code[head.Type] = append(code[head.Type], name)
			}
		}
	}
	doc := protocolTable(t, "## Server → client")
	for typ, fields := range code {
		documented, ok := doc[typ]
		if !ok {
			t.Errorf("docs/protocol.md, Server → client: frame %q is not documented", typ)
			continue
		}
		if got, want := sorted(documented), sorted(fields); !slices.Equal(got, want) {
			t.Errorf("docs/protocol.md, Server → client: %q documents fields %v; its Go type has %v", typ, got, want)
		}
	}
	for typ := range doc {
		if _, ok := code[typ]; !ok {
			t.Errorf("docs/protocol.md, Server → client: %q is documented but no frame type has it", typ)
		}
	}
	// Every type with an encode method is listed above (so checked here).
	listed := map[string]bool{}
	for _, f := range serverFrames {
		listed[reflect.TypeOf(f).Name()] = true
	}
	for _, typ := range encoders(t) {
		if !listed[typ] {
			t.Errorf("frame type %s is missing from serverFrames", typ)
		}
	}
}

// TestProtocolDocMatchesClientFrames: every client frame type of
// DecodeFrame is documented with its required fields; every documented
// field is a ClientFrame field, and every ClientFrame field is documented.
func TestProtocolDocMatchesClientFrames(t *testing.T) {
	doc := protocolTable(t, "## Client → server")
	have := jsonFields(reflect.TypeFor[ClientFrame]())
	used := map[string]bool{"type": true, "id": true} // every frame's, described above the table
	for typ, req := range frameTypes {
		documented, ok := doc[typ]
		if !ok {
			t.Errorf("docs/protocol.md, Client → server: frame %q is not documented", typ)
			continue
		}
		for _, r := range req {
			if !slices.Contains(documented, r) {
				t.Errorf("docs/protocol.md, Client → server: %q does not document its required field %q", typ, r)
			}
		}
	}
	for typ, fields := range doc {
		if _, ok := frameTypes[typ]; !ok {
			t.Errorf("docs/protocol.md, Client → server: %q is documented but DecodeFrame does not know it", typ)
		}
		for _, f := range fields {
			used[f] = true
			if !slices.Contains(have, f) {
				t.Errorf("docs/protocol.md, Client → server: %q documents %q, which ClientFrame does not have", typ, f)
			}
		}
	}
	for _, f := range have {
		if !used[f] {
			t.Errorf("ClientFrame field %q is not documented in docs/protocol.md", f)
		}
	}
}

// packageFiles parses this package's non-test files.
func packageFiles(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	names, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, n := range names {
		if !strings.HasSuffix(n.Name(), ".go") || strings.HasSuffix(n.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d files", len(files))
	}
	return fset, files
}

// encoders lists the types with an encode method: the frame types.
func encoders(t *testing.T) []string {
	_, files := packageFiles(t)
	var out []string
	for _, f := range files {
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil && fn.Name.Name == "encode" {
				if id, ok := fn.Recv.List[0].Type.(*ast.Ident); ok {
					out = append(out, id.Name)
				}
			}
		}
	}
	if len(out) < len(serverFrames) {
		t.Fatalf("found %d encode methods for %d frame types", len(out), len(serverFrames))
	}
	return out
}

// TestFramesAreTyped: no frame is built as a map with a "type" key.
func TestFramesAreTyped(t *testing.T) {
	fset, files := packageFiles(t)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			if lit, ok := kv.Key.(*ast.BasicLit); ok && lit.Value == `"type"` {
				t.Errorf("%s: a frame built as a map; use the frame types in frames.go", fset.Position(kv.Pos()))
			}
			return true
		})
	}
}

// TestHubUsesTheServiceFace (issue 13 §3): the hub, connection and HTTP code
// use only the service's exported methods.
func TestHubUsesTheServiceFace(t *testing.T) {
	fset, files := packageFiles(t)
	n := 0
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil {
				continue
			}
			star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			if id, ok := star.X.(*ast.Ident); !ok || (id.Name != "Hub" && id.Name != "Conn" && id.Name != "HTTP") {
				continue
			}
			ast.Inspect(fn.Body, func(node ast.Node) bool {
				sel, ok := node.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.SelectorExpr); ok && x.Sel.Name == "svc" {
					n++
					if !sel.Sel.IsExported() {
						t.Errorf("%s: %s uses the service's unexported %s", fset.Position(sel.Pos()), fn.Name.Name, sel.Sel.Name)
					}
				}
				return true
			})
		}
	}
	if n < 20 {
		t.Fatalf("found only %d uses of the service: is the walk looking in the right place?", n)
	}
}
