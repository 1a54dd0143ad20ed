package notify

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/store/storetest"
)

// TestRetentionEmptiesOldItemsOnTwoInstances: with a fixed clock, items
// older than the period lose their content and newer ones keep it; two
// instances sweeping at once agree; numbering stays dense, so the next
// notification gets the next number.
func TestRetentionEmptiesOldItemsOnTwoInstances(t *testing.T) {
	st := storetest.New(t)
	clk := newClock()
	a := open(t, st, Options{Now: clk.Now})
	b := open(t, st, Options{Now: clk.Now})
	a.Notify(ctx, []string{"u-bram"}, notice("Oud"))
	clk.Advance(100 * 24 * time.Hour)
	cut := clk.Now().Add(-90 * 24 * time.Hour)
	a.Notify(ctx, []string{"u-bram"}, notice("Nieuw"))

	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i, svc := range []*Service{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := svc.SweepItems(ctx, cut)
			if err != nil {
				t.Errorf("sweep: %v", err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	// Each sweep empties the one old item at most once; both may report it,
	// because an update on the embedded store is read-modify-write and two
	// at once can both see it unemptied (the result is the same: emptying
	// is idempotent). What is stored is checked below.
	if counts[0]+counts[1] < 1 || counts[0] > 1 || counts[1] > 1 {
		t.Errorf("emptied %v, want the one old item, by one or both", counts)
	}
	var old, fresh itemDoc
	_ = st.DB.Collection(itemsColl).FindOne(ctx, bson.D{{Key: "_id", Value: itemID("u-bram", 1)}}).Decode(&old)
	_ = st.DB.Collection(itemsColl).FindOne(ctx, bson.D{{Key: "_id", Value: itemID("u-bram", 2)}}).Decode(&fresh)
	if old.Kind != KindExpired || old.Title != "" || old.Text != "" || old.ActorName != "" || old.Link != "" {
		t.Errorf("old item: %+v", old)
	}
	if fresh.Title != "Nieuw" || fresh.ActorName != "Anouk de Vries" {
		t.Errorf("new item: %+v", fresh)
	}
	a.Notify(ctx, []string{"u-bram"}, notice("Daarna"))
	if n := stored(t, st, itemsColl, bson.D{{Key: "_id", Value: itemID("u-bram", 3)}}); n != 1 {
		t.Error("the next notification did not get number 3")
	}
}

// TestPersonalDataAndPseudonym: a person's export lists their items; erasing
// the actor replaces the name on other people's items, and only there.
func TestPersonalDataAndPseudonym(t *testing.T) {
	svc, _, st := newTest(t)
	svc.Notify(ctx, []string{"u-bram", "u-chris"}, notice("Anouk noemde je"))
	svc.Notify(ctx, []string{"u-bram"}, Notice{Kind: KindReply, Title: "Reactie van Chris", ActorID: "u-chris", ActorName: "Chris"})
	x, err := svc.PersonalData(ctx, "u-bram")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(x)
	if !strings.Contains(string(b), "Anouk noemde je") || !strings.Contains(string(b), "Reactie van Chris") {
		t.Errorf("export: %s", b)
	}
	if err := svc.Pseudonymise(ctx, "u-anouk", "Oud-medewerker 4F2A"); err != nil {
		t.Fatal(err)
	}
	if n := stored(t, st, itemsColl, bson.D{{Key: "an", Value: "Oud-medewerker 4F2A"}}); n != 2 {
		t.Errorf("%d items carry the pseudonym, want 2", n)
	}
	if n := stored(t, st, itemsColl, bson.D{{Key: "an", Value: "Chris"}}); n != 1 {
		t.Errorf("another actor's name changed")
	}
}
