package globalsearch

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/teamspace"
)

// smallWorld: two teams of two, documents with texts.
func smallWorld() *fakeWorld {
	w := &fakeWorld{teamOf: map[string]string{"u00000": "t00", "u00001": "t01"}, texts: map[string]string{},
		members: map[string]map[string]bool{"t00": {"u00000": true}, "t01": {"u00001": true}}}
	for _, id := range []string{"u00000", "u00001"} {
		w.users = append(w.users, identity.User{ID: id, Name: "Medewerker " + id, Active: true})
	}
	return w
}

func doc(id, space, name, blob string) teamspace.DocumentDoc {
	return teamspace.DocumentDoc{ID: id, SpaceID: space, Folder: "/Afspraken", Name: name,
		Versions: []teamspace.DocumentVersionDoc{{Version: 1, BlobID: blob, UploadedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}}}
}

func startSearch(t *testing.T, w *fakeWorld) (*Service, func()) {
	t.Helper()
	s, err := New(context.Background(), w, w, w, w, w)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	settle := func() {
		t.Helper()
		sctx, c := context.WithTimeout(ctx, 10*time.Second)
		defer c()
		if err := s.Settle(sctx); err != nil {
			t.Fatal(err)
		}
	}
	settle()
	return s, settle
}

func docHits(t *testing.T, s *Service, user, q string) []Item {
	t.Helper()
	g, err := s.Search(context.Background(), &identity.Actor{UserID: user}, Query{Text: q, Types: []string{"document"}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	return g[0].Items
}

func TestDocumentContentsAreSearchable(t *testing.T) {
	w := smallWorld()
	w.texts["b1"] = "Werkafspraken weekend. De achterwacht is bereikbaar tot 23.00 uur. Sleutelkluizen: code alleen in het dossier."
	w.texts["b2"] = "Notulen: de griepvaccinatie is op donderdag."
	w.docs = []teamspace.DocumentDoc{doc("d1", "t00", "Werkafspraken.pdf", "b1"), doc("d2", "t01", "Notulen.md", "b2")}
	s, settle := startSearch(t, w)

	hits := docHits(t, s, "u00000", "sleutelkluizen")
	if len(hits) != 1 || hits[0].ID != "d1" || hits[0].Link != "/teams/t00/documenten/d1" {
		t.Fatalf("content search: %+v", hits)
	}
	if sn := hits[0].Snippet; !strings.Contains(sn.Text, "Sleutelkluizen") || len(sn.Marks) == 0 {
		t.Fatalf("snippet from the contents: %+v", sn)
	}
	if hits := docHits(t, s, "u00000", "werkafspraken"); len(hits) != 1 || hits[0].Snippet.Text == "" {
		t.Fatalf("by name: %+v", hits)
	}
	// Another team's member finds neither the name nor the contents.
	if hits := docHits(t, s, "u00001", "sleutelkluizen achterwacht"); len(hits) != 0 {
		t.Fatalf("another team's document leaked: %+v", hits)
	}
	if hits := docHits(t, s, "u00000", "griepvaccinatie"); len(hits) != 0 {
		t.Fatalf("another team's document leaked: %+v", hits)
	}

	// A new version replaces the contents; the old text is no longer found.
	w.texts["b3"] = "Herzien: de achterwacht is bereikbaar tot 23.30 uur."
	d := doc("d1", "t00", "Werkafspraken.pdf", "b1")
	d.Versions = append(d.Versions, teamspace.DocumentVersionDoc{Version: 2, BlobID: "b3", UploadedAt: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)})
	s.PutDocument(&d)
	settle()
	if hits := docHits(t, s, "u00000", "sleutelkluizen"); len(hits) != 0 {
		t.Fatalf("the old version's text is still found: %+v", hits)
	}
	if hits := docHits(t, s, "u00000", "herzien"); len(hits) != 1 {
		t.Fatalf("the new version's text: %+v", hits)
	}
	// The same version again (a folder listing change, say) keeps its text without reading it.
	w.textErr = errors.New("store down")
	s.PutDocument(&d)
	settle()
	if hits := docHits(t, s, "u00000", "herzien"); len(hits) != 1 {
		t.Fatalf("text lost on a repeated put: %+v", hits)
	}
	// A version without text (a scan) drops the previous version's text.
	w.textErr = nil
	d.Versions = append(d.Versions, teamspace.DocumentVersionDoc{Version: 3, BlobID: "b-scan", UploadedAt: time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)})
	s.PutDocument(&d)
	settle()
	if hits := docHits(t, s, "u00000", "herzien"); len(hits) != 0 {
		t.Fatalf("the previous version's text is still found: %+v", hits)
	}
	if hits := docHits(t, s, "u00000", "werkafspraken"); len(hits) != 1 || strings.Contains(hits[0].Snippet.Text, "Herzien") {
		t.Fatalf("by name after a version without text: %+v", hits)
	}
	s.DeleteDocument("d1")
	if hits := docHits(t, s, "u00000", "werkafspraken"); len(hits) != 0 {
		t.Fatalf("a deleted document is found: %+v", hits)
	}
}

func TestDocumentTextUnavailableStillFindsByName(t *testing.T) {
	w := smallWorld()
	w.textErr = errors.New("store down")
	w.docs = []teamspace.DocumentDoc{doc("d1", "t00", "Inwerkmap.pdf", "b1")}
	s, _ := startSearch(t, w)
	if hits := docHits(t, s, "u00000", "inwerkmap"); len(hits) != 1 {
		t.Fatalf("by name while texts are unavailable: %+v", hits)
	}
}

// msgHits counts the messages found with the words as typed (hits for a
// typo-corrected word do not count).
func msgHits(t *testing.T, s *Service, user, q string) int {
	t.Helper()
	g, err := s.Search(context.Background(), &identity.Actor{UserID: user}, Query{Text: q, Types: []string{"message"}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if g[0].Corrected != "" {
		return 0
	}
	return g[0].Total
}

// The stored chat is scanned in the background, in no particular order,
// while live entries arrive: edits and deletions win whatever the order.
func TestChatMessagesLoadInAnyOrder(t *testing.T) {
	w := smallWorld()
	w.members["t00"]["u00000"] = true
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	msg := func(seq int64, body string) ChatEntry {
		return ChatEntry{Ch: "t-t00", Seq: seq, Kind: ChatMessage, ByName: "Anouk", Body: body, At: at}
	}
	edit := func(seq, target int64, body string) ChatEntry {
		return ChatEntry{Ch: "t-t00", Seq: seq, Kind: ChatEdit, Target: target, Body: body, At: at}
	}
	del := func(seq, target int64) ChatEntry {
		return ChatEntry{Ch: "t-t00", Seq: seq, Kind: ChatDelete, Target: target, At: at}
	}
	// Stored: edits and a deletion before their messages; two edits of one
	// message in the wrong order.
	w.msgs = []ChatEntry{
		edit(2, 1, "gewijzigd rooster"), msg(1, "oud rooster"),
		del(4, 3), msg(3, "verwijderd bericht"),
		edit(7, 5, "laatste versie"), edit(6, 5, "tussenversie"), msg(5, "eerste versie"),
		msg(8, "gewoon bericht"),
	}
	w.gate = make(chan struct{})
	s, err := New(context.Background(), w, w, w, w, w)
	if err != nil {
		t.Fatal(err)
	}
	// Live, before the scan reaches them: message 8 is edited, message 3's
	// deletion comes again, and a new message arrives.
	s.ObserveEntry(&ChatEntry{Ch: "t-t00", Seq: 8, Kind: ChatMessage, ByName: "Anouk", Body: "gewoon bericht", At: at})
	e9 := edit(9, 8, "bijgewerkt bericht")
	s.ObserveEntry(&e9)
	e10 := msg(10, "live bericht")
	s.ObserveEntry(&e10)
	close(w.gate)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{
		"gewijzigd": 1, "oud": 0, // edit before its message
		"verwijderd": 0,                                 // deletion before its message
		"laatste":    1, "tussenversie": 0, "eerste": 0, // the newest edit wins
		"bijgewerkt": 1, "gewoon": 0, // a live edit is not undone by the stored original
		"live": 1,
	} {
		if got := msgHits(t, s, "u00000", q); got != want {
			t.Errorf("%q: %d hits, want %d", q, got, want)
		}
	}
	if got := msgHits(t, s, "u00001", "gewijzigd"); got != 0 {
		t.Errorf("a non-member finds %d messages", got)
	}
	// After the load, an edit of an unknown message is not kept.
	late := edit(12, 11, "spook")
	s.ObserveEntry(&late)
	s.mu.RLock()
	pending := len(s.pendEdit)
	s.mu.RUnlock()
	if pending != 0 {
		t.Fatalf("%d pending edits after the load", pending)
	}
}

// An acknowledged identifier is stored but neither searchable nor shown in
// a snippet or a title: the index and the snippets hold it masked.
func TestIdentifiersAreMaskedInSearch(t *testing.T) {
	w := smallWorld()
	w.texts["b1"] = "Zorgplan. Cliënt met BSN 111222333 woont Kerkstraat 12."
	w.docs = []teamspace.DocumentDoc{doc("d1", "t00", "Zorgplan 123456782.pdf", "b1")}
	s, _ := startSearch(t, w)
	s.PutPost(&teamspace.PostDoc{ID: "p1", SpaceID: "t00", Visibility: teamspace.VisibilityTeam, AuthorID: "u00000",
		Body: "Wondzorg bij mevrouw, BSN 123456782", CreatedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	s.ObserveEntry(&ChatEntry{Ch: "t-t00", Seq: 1, Kind: ChatMessage, ByName: "Anouk", Body: "wondzorg BSN 123456782", At: time.Now()})

	for _, q := range []string{"123456782", "111222333", "Kerkstraat"} {
		g, err := s.Search(context.Background(), &identity.Actor{UserID: "u00000"}, Query{Text: q, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, gr := range g {
			if len(gr.Items) > 0 {
				t.Errorf("%q finds %s: %+v", q, gr.Type, gr.Items)
			}
		}
	}
	g, err := s.Search(context.Background(), &identity.Actor{UserID: "u00000"}, Query{Text: "wondzorg", Types: []string{"post", "message"}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, gr := range g {
		for _, it := range gr.Items {
			n++
			if strings.Contains(it.Snippet.Text+it.Title, "123456782") || !strings.Contains(it.Snippet.Text, "•••••••••") {
				t.Errorf("%s snippet %q title %q", gr.Type, it.Snippet.Text, it.Title)
			}
		}
	}
	if n != 2 {
		t.Fatalf("%d hits for the words around the number, want 2", n)
	}
	hits := docHits(t, s, "u00000", "zorgplan")
	if len(hits) != 1 || strings.Contains(hits[0].Title, "123456782") || strings.Contains(hits[0].Snippet.Text, "111222333") ||
		strings.Contains(hits[0].Snippet.Text, "Kerkstraat") {
		t.Fatalf("document hit: %+v", hits)
	}
}
