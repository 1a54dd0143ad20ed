package teamspace

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// importItems are one of every kind of change, in time order, each with
// its Key.
func importItems() ([]ImportedProfile, []ImportItem) {
	at := func(h int) time.Time { return testNow.Add(time.Duration(h-100) * time.Hour) }
	doc := func(text string) *ImportedDocument {
		return &ImportedDocument{Folder: "/Afspraken", Name: "afspraken.txt", Data: []byte(text + "\n")}
	}
	profiles := []ImportedProfile{{Team: "den-helder-centrum", By: anouk, At: at(0), Description: "Wijkteam in de binnenstad.", WorkingArea: []string{"1781"}}}
	items := []ImportItem{
		{Kind: ImportCommunity, Key: "c", By: ilse, Space: "c-wondzorg", At: at(1), Community: &ImportedCommunity{Name: "Wondzorg"}},
		{Kind: ImportJoin, Key: "c/join", By: anouk, Space: "c-wondzorg", At: at(2)},
		{Kind: ImportPost, Key: "p1", By: anouk, Space: "den-helder-centrum", At: at(3), Text: "Eerste bericht", Visibility: VisibilityTeam},
		{Kind: ImportPin, Key: "p1/pin", By: anouk, Space: "den-helder-centrum", Ref: "p1", At: at(4)},
		{Kind: ImportComment, Key: "p1/c1", By: sanne, Space: "den-helder-centrum", Ref: "p1", At: at(5), Text: "Goed idee"},
		{Kind: ImportReaction, Key: "p1/r1", By: fatima, Space: "den-helder-centrum", Ref: "p1", At: at(6), Text: "👍"},
		{Kind: ImportPost, Key: "p2", By: anouk, Space: "c-wondzorg", At: at(7), Text: "Wie heeft ervaring met negatieve druk?", Visibility: VisibilityOrganisation},
		{Kind: ImportEvent, Key: "e1", By: sanne, Space: "den-helder-centrum", At: at(8), Visibility: VisibilityTeam,
			Event: &ImportedEvent{Title: "Teamoverleg", Start: testNow.Add(48 * time.Hour), End: testNow.Add(49 * time.Hour)}},
		{Kind: ImportAnnouncement, Key: "a1", By: ilse, At: at(9), Text: "Nieuwe werkwijze",
			Announcement: &ImportedAnnouncement{Title: "Werkwijze", Audience: Audience{Everyone: true, Regions: []string{}, Teams: []string{}}, RequiresAck: true}},
		{Kind: ImportAck, Key: "a1/ack", By: daan, Ref: "a1", At: at(10)},
		{Kind: ImportFolder, Key: "f1", By: anouk, Space: "den-helder-centrum", At: at(11), Text: "/Afspraken"},
		{Kind: ImportDocument, Key: "d1", By: anouk, Space: "den-helder-centrum", At: at(12), Document: doc("Versie een")},
		{Kind: ImportDocument, Key: "d1/v2", Ref: "d1", By: sanne, Space: "den-helder-centrum", At: at(13), Document: doc("Versie twee")},
	}
	return profiles, items
}

// logOf is the change log as stored, one line per entry (blob ids left out:
// each run stores the bytes anew).
func logOf(t *testing.T, e *env) []string {
	t.Helper()
	ctx := context.Background()
	names, err := e.st.DB.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range names {
		if !strings.HasPrefix(n, logPrefix) {
			continue
		}
		cur, err := e.st.DB.Collection(n).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var es []entry
		if err := cur.All(ctx, &es); err != nil {
			t.Fatal(err)
		}
		for _, x := range es {
			line := strings.Join([]string{x.ID, x.Kind, x.By, x.Space, x.Ref, x.Text, x.At.Format(time.RFC3339)}, " ")
			if x.Document != nil {
				line += " " + x.Document.Name + " v" + string(rune('0'+x.Document.Version.Version))
			}
			out = append(out, line)
		}
	}
	return out
}

// An import that stopped half-way is completed by running it again: every
// change is in the log once, as one run would have written it.
func TestImportCompletesAfterAFailureHalfWay(t *testing.T) {
	ctx := context.Background()
	profiles, items := importItems()
	whole := newEnv(t)
	if err := whole.svc.Import(ctx, profiles, items); err != nil {
		t.Fatal(err)
	}
	want := logOf(t, whole)
	if len(want) != len(items)+1 {
		t.Fatalf("one run wrote %d entries for %d items and a profile", len(want), len(items))
	}
	for _, stop := range []int{1, 5, 12} { // after the community, the comment, the first version
		e := newEnv(t)
		if err := e.svc.Import(ctx, profiles, items[:stop]); err != nil {
			t.Fatal(err)
		}
		again := newEnvOn(t, e.st, e) // the next start
		if err := again.svc.Import(ctx, profiles, items); err != nil {
			t.Fatalf("stopped after %d: %v", stop, err)
		}
		if got := logOf(t, again); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("stopped after %d, run again: log\n%s\nwant\n%s", stop, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		list, err := again.svc.ListDocuments(ctx, again.actor(anouk), "den-helder-centrum", "/Afspraken")
		if err != nil || len(list.Items) != 1 || list.Items[0].Version != 2 {
			t.Fatalf("stopped after %d: documents %v %+v", stop, err, list)
		}
	}
}
