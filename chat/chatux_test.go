package chat

import (
	"context"
	"errors"
	"github.com/plein/plein/server/search"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/store/storetest"
)

// Ids in the mention token syntax (u + 24 hex digits).
const (
	uMe      = "u000000000000000000000001"
	uTeam    = "u000000000000000000000002"
	uTeam2   = "u000000000000000000000003"
	uContact = "u000000000000000000000004"
	uRegion  = "u000000000000000000000005"
	uOther   = "u000000000000000000000006"
)

// orgDir is a small organisation: team alpha (me, Anouk Zwart, Sanne
// Anouksdochter) and beta in region north, gamma in north, delta in south.
type orgDir struct{}

var orgPeople = []Person{
	{ID: uMe, Name: "Mila Mens", TeamIDs: []string{"alpha"}, RegionIDs: []string{"north"}},
	{ID: uTeam, Name: "Anouk Zwart", TeamIDs: []string{"alpha"}, RegionIDs: []string{"north"}},
	{ID: uTeam2, Name: "Sanne Anouksdochter", TeamIDs: []string{"alpha"}, RegionIDs: []string{"north"}},
	{ID: uContact, Name: "Anouk Bos", TeamIDs: []string{"delta"}, RegionIDs: []string{"south"}},
	{ID: uRegion, Name: "Anouk Appel", TeamIDs: []string{"gamma"}, RegionIDs: []string{"north"}},
	{ID: uOther, Name: "Anouk Aa", TeamIDs: []string{"delta"}, RegionIDs: []string{"south"}},
}

func (orgDir) person(u string) (Person, bool) {
	i := slices.IndexFunc(orgPeople, func(p Person) bool { return p.ID == u })
	if i < 0 {
		return Person{}, false
	}
	return orgPeople[i], true
}
func (d orgDir) TeamsOf(u string) []string { p, _ := d.person(u); return p.TeamIDs }
func (d orgDir) RegionsOf(u string) []string {
	p, _ := d.person(u)
	return p.RegionIDs
}
func (orgDir) TeamMembers(t string) []string {
	var out []string
	for _, p := range orgPeople {
		if slices.Contains(p.TeamIDs, t) {
			out = append(out, p.ID)
		}
	}
	return out
}
func (orgDir) Team(t string) (string, bool) { return strings.ToUpper(t), t != "" }
func (d orgDir) Person(u string) (string, bool) {
	p, ok := d.person(u)
	return p.Name, ok
}
func (orgDir) People(q string, limit int) []Person {
	var out []Person
	for _, p := range orgPeople {
		if strings.Contains(search.Fold(p.Name), search.Fold(q)) {
			out = append(out, p)
		}
	}
	return out
}

func newOrgSvc(t *testing.T, st *Store) *Service {
	t.Helper()
	s, err := NewService(context.Background(), st, orgDir{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type notices struct {
	mu  sync.Mutex
	got []struct {
		users []string
		n     Notice
	}
}

func (r *notices) Notify(_ context.Context, users []string, n Notice) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, struct {
		users []string
		n     Notice
	}{users, n})
}

func TestRankPeopleByCloseness(t *testing.T) {
	s := newOrgSvc(t, NewStore(storetest.New(t)))
	if _, err := s.OpenDM(context.Background(), uMe, []string{uContact}); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range s.RankPeople(uMe, "anou", 10) {
		names = append(names, p.Name)
	}
	want := []string{"Anouk Zwart", "Sanne Anouksdochter", "Anouk Bos", "Anouk Appel", "Anouk Aa"}
	if !slices.Equal(names, want) {
		t.Fatalf("ranked %q, want %q", names, want)
	}
	if got := s.RankPeople(uMe, "anou", 2); len(got) != 2 || got[0].ID != uTeam {
		t.Fatalf("limit 2: %v", got)
	}
	// Without the conversation, the contact falls to "everyone" (after the region).
	s2 := newOrgSvc(t, NewStore(storetest.New(t)))
	names = names[:0]
	for _, p := range s2.RankPeople(uMe, "Anoûk", 10) {
		names = append(names, p.Name)
	}
	if want := []string{"Anouk Zwart", "Sanne Anouksdochter", "Anouk Appel", "Anouk Aa", "Anouk Bos"}; !slices.Equal(names, want) {
		t.Fatalf("ranked %q, want %q", names, want)
	}
}

func TestMentionNotices(t *testing.T) {
	ctx := context.Background()
	s := newOrgSvc(t, NewStore(storetest.New(t)))
	rec := &notices{}
	s.SetNotifier(rec)
	ch := TeamChannelID("alpha")

	// A named member, a non-member (uOther) and the author herself.
	res, err := s.Append(ctx, uMe, Input{Ch: ch, ClientID: "c1", Kind: EntryMsg,
		Body: "Kun jij <@" + uTeam + "> bij mevrouw langs? BSN 123.456.782 en <@" + uOther + "> <@" + uMe + ">", AcknowledgeIdentifiers: true})
	if err != nil {
		t.Fatal(err)
	}
	s.NotifyMentions(ctx, res.Entry)
	if len(rec.got) != 1 || !slices.Equal(rec.got[0].users, []string{uTeam}) {
		t.Fatalf("notified %+v, want only the named member", rec.got)
	}
	n := rec.got[0].n
	if n.Title != "Mila Mens noemde je in ALPHA" || n.Link != "/chat/"+ch+"?m=1" || n.Key != "chat:"+ch+":1" || n.ActorID != uMe {
		t.Fatalf("notice %+v", n)
	}
	if strings.Contains(n.Text, "782") || !strings.Contains(n.Text, "@Anouk Zwart") || strings.Contains(n.Text, "<@") {
		t.Fatalf("text not masked or mentions not named: %q", n.Text)
	}

	// @team reaches every other member except those who muted the channel.
	if err := s.SetChannelPrefs(ctx, uTeam2, ch, ChannelPrefsInput{Muted: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	res, err = s.Append(ctx, uMe, Input{Ch: ch, ClientID: "c2", Kind: EntryMsg, Body: "@team overdracht om 14:00", Reply: 1})
	if err != nil {
		t.Fatal(err)
	}
	s.NotifyMentions(ctx, res.Entry)
	if len(rec.got) != 2 || !slices.Equal(rec.got[1].users, []string{uTeam}) || rec.got[1].n.Link != "/chat/"+ch+"/thread/1?m=2" {
		t.Fatalf("@team notified %+v", rec.got[1:])
	}
	// A muted member who is named is still notified.
	res, err = s.Append(ctx, uMe, Input{Ch: ch, ClientID: "c3", Kind: EntryMsg, Body: "<@" + uTeam2 + "> kijk even"})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.MentionRecipients(res.Entry); !slices.Equal(got, []string{uTeam2}) {
		t.Fatalf("named muted member: %v", got)
	}
	// Plain messages, reactions and deleted messages notify nobody.
	for _, e := range []*Entry{{Ch: ch, Kind: EntryMsg, Body: "hoi"}, {Ch: ch, Kind: EntryReact, Mentions: []string{uTeam}},
		{Ch: ch, Kind: EntryMsg, Mentions: []string{uTeam}, Deleted: true}} {
		if got := s.MentionRecipients(e); got != nil {
			t.Fatalf("%+v notifies %v", e, got)
		}
	}
}

// TestMessageNotices: a message in a conversation tells the other members
// (push only: Message, no text, a link to the message), except the author,
// who muted it, and who the message mentions (they get the mention). A
// team channel message does not.
func TestMessageNotices(t *testing.T) {
	ctx := context.Background()
	s := newOrgSvc(t, NewStore(storetest.New(t)))
	rec := &notices{}
	s.SetNotifier(rec)
	dm, err := s.OpenDM(ctx, uMe, []string{uContact})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Append(ctx, uMe, Input{Ch: dm.ID, ClientID: "d1", Kind: EntryMsg, Body: "insuline bij mevrouw Jansen?"})
	if err != nil {
		t.Fatal(err)
	}
	s.NotifyMessage(ctx, res.Entry)
	if len(rec.got) != 1 || !slices.Equal(rec.got[0].users, []string{uContact}) {
		t.Fatalf("notified %+v, want the other member", rec.got)
	}
	n := rec.got[0].n
	if !n.Message || n.Text != "" || n.Place != "" || n.Link != "/chat/"+dm.ID+"?m=1" || n.ActorID != uMe || n.Title != "Nieuw bericht van Mila Mens" {
		t.Fatalf("notice %+v", n)
	}
	// Muted: nothing.
	if err := s.SetChannelPrefs(ctx, uContact, dm.ID, ChannelPrefsInput{Muted: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	res, _ = s.Append(ctx, uMe, Input{Ch: dm.ID, ClientID: "d2", Kind: EntryMsg, Body: "nog iets"})
	s.NotifyMessage(ctx, res.Entry)
	// A team channel message: nothing either.
	res, _ = s.Append(ctx, uMe, Input{Ch: TeamChannelID("alpha"), ClientID: "t1", Kind: EntryMsg, Body: "hoi team"})
	s.NotifyMessage(ctx, res.Entry)
	if len(rec.got) != 1 {
		t.Fatalf("notified %+v after a muted conversation and a team message", rec.got[1:])
	}
}

func ptr[T any](v T) *T { return &v }

func TestChannelPrefsAndChatList(t *testing.T) {
	ctx := context.Background()
	st := NewStore(storetest.New(t))
	s := newOrgSvc(t, st)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	s.now = func() time.Time { now = now.Add(time.Minute); return now }
	team := TeamChannelID("alpha")
	dm, err := s.OpenDM(ctx, uMe, []string{uContact})
	if err != nil {
		t.Fatal(err)
	}
	dm2, err := s.OpenDM(ctx, uMe, []string{uRegion})
	if err != nil {
		t.Fatal(err)
	}
	send := func(by, ch, id, body string) {
		t.Helper()
		if _, err := s.Append(ctx, by, Input{Ch: ch, ClientID: id, Kind: EntryMsg, Body: body, AcknowledgeIdentifiers: true}); err != nil {
			t.Fatal(err)
		}
	}
	send(uTeam, team, "t1", "Eerste")
	send(uContact, dm.ID, "d1", "Hallo **Mila**,\n\nbel je <@"+uMe+">? BSN 123456782")
	order := func(s *Service) []string {
		t.Helper()
		sums, err := s.Summaries(ctx, uMe)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, x := range sums {
			ids = append(ids, x.ID)
		}
		return ids
	}
	// Newest first; a conversation without messages last.
	if got := order(s); !slices.Equal(got, []string{dm.ID, team, dm2.ID}) {
		t.Fatalf("order %v", got)
	}
	sum, err := s.Summary(ctx, uMe, dm.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Last == nil || sum.Last.Text != "Hallo Mila, bel je @Mila Mens? BSN •••••••••" || sum.Last.ByName != "Anouk Bos" || sum.Unread != 1 {
		t.Fatalf("preview %+v", sum.Last)
	}
	// Edits and deletions show in the preview.
	if _, err := s.Append(ctx, uTeam, Input{Ch: team, ClientID: "t2", Kind: EntryEdit, Target: 1, Body: "Eerste, aangepast"}); err != nil {
		t.Fatal(err)
	}
	if sum, _ := s.Summary(ctx, uMe, team); sum.Last.Text != "Eerste, aangepast" {
		t.Fatalf("edited preview %+v", sum.Last)
	}
	if _, err := s.Append(ctx, uTeam, Input{Ch: team, ClientID: "t3", Kind: EntryDelete, Target: 1}); err != nil {
		t.Fatal(err)
	}
	if sum, _ := s.Summary(ctx, uMe, team); !sum.Last.Deleted || sum.Last.Text != "" {
		t.Fatalf("deleted preview %+v", sum.Last)
	}

	// Pins come first, in the order pinned; mute shows in the summary.
	if err := s.SetChannelPrefs(ctx, uMe, dm2.ID, ChannelPrefsInput{Pinned: ptr(true), Muted: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetChannelPrefs(ctx, uMe, team, ChannelPrefsInput{Pinned: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if got := order(s); !slices.Equal(got, []string{dm2.ID, team, dm.ID}) {
		t.Fatalf("pinned order %v", got)
	}
	// Stored server-side: another instance (or device) sees the same.
	s2 := newOrgSvc(t, st)
	if got := order(s2); !slices.Equal(got, []string{dm2.ID, team, dm.ID}) {
		t.Fatalf("order on another instance %v", got)
	}
	if sum, _ := s2.Summary(ctx, uMe, dm2.ID); !sum.Muted || !sum.Pinned {
		t.Fatalf("settings on another instance %+v", sum)
	}
	// Unpin and unmute.
	if err := s.SetChannelPrefs(ctx, uMe, dm2.ID, ChannelPrefsInput{Pinned: ptr(false), Muted: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if sum, _ := s.Summary(ctx, uMe, dm2.ID); sum.Muted || sum.Pinned {
		t.Fatalf("after unpin/unmute %+v", sum)
	}
	// Settings are only for members, and need something to change.
	if err := s.SetChannelPrefs(ctx, uOther, dm.ID, ChannelPrefsInput{Muted: ptr(true)}); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("outsider: %v", err)
	}
	if err := s.SetChannelPrefs(ctx, uMe, dm.ID, ChannelPrefsInput{}); fieldCode(err) != "required" {
		t.Fatalf("empty: %v", err)
	}
	if s.Muted(uOther, dm.ID) || s.Prefs(uOther).Pinned != nil {
		t.Fatal("a refused change was stored")
	}

	// Hiding one's presence.
	if _, err := s.SetPrefs(ctx, uMe, PrefsInput{}); fieldCode(err) != "required" {
		t.Fatalf("empty prefs: %v", err)
	}
	if p, err := s.SetPrefs(ctx, uMe, PrefsInput{HidePresence: ptr(true)}); err != nil || !p.HidePresence || !s.PresenceHidden(uMe) {
		t.Fatalf("hide presence: %+v %v", p, err)
	}
	if err := s2.RefreshPrefs(ctx, uMe); err != nil || !s2.PresenceHidden(uMe) {
		t.Fatalf("hidden on another instance: %v", err)
	}
}

func fieldCode(err error) apperr.Code {
	var ve *apperr.ValidationError
	if errors.As(err, &ve) && len(ve.Fields) == 1 {
		return ve.Fields[0].Code
	}
	return ""
}

func TestReceiptBatchCoalesces(t *testing.T) {
	var b receiptBatch
	b.add("t-alpha", uTeam, 3)
	b.add("t-alpha", uTeam, 5)
	b.add("t-alpha", uTeam, 4) // an older marker never moves it back
	b.add("t-alpha", uTeam2, 2)
	b.add("d-x", uMe, 7)
	got := b.take()
	if len(got) != 2 || got["t-alpha"][uTeam] != 5 || got["t-alpha"][uTeam2] != 2 || got["d-x"][uMe] != 7 {
		t.Fatalf("batch %v", got)
	}
	if b.take() != nil {
		t.Fatal("take did not empty the batch")
	}
}

func TestReceiptsOf(t *testing.T) {
	ctx := context.Background()
	s := newOrgSvc(t, NewStore(storetest.New(t)))
	ch := TeamChannelID("alpha")
	for i, by := range []string{uMe, uMe, uTeam} {
		if _, err := s.Append(ctx, by, Input{Ch: ch, ClientID: "r" + string(rune('0'+i)), Kind: EntryMsg, Body: "bericht"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.MarkRead(ctx, uTeam, ch, 2); err != nil {
		t.Fatal(err)
	}
	r, err := s.ReceiptsOf(ctx, uMe, ch, true)
	if err != nil {
		t.Fatal(err)
	}
	if r.Off || len(r.Reads) != 3 || r.Reads[uTeam] != 2 || r.Reads[uTeam2] != 0 || r.Names[uTeam] != "Anouk Zwart" {
		t.Fatalf("receipts %+v", r)
	}
	if r, err := s.ReceiptsOf(ctx, uMe, ch, false); err != nil || !r.Off || len(r.Reads) != 0 {
		t.Fatalf("switched off: %+v %v", r, err)
	}
	if _, err := s.ReceiptsOf(ctx, uOther, ch, true); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("outsider: %v", err)
	}
}
