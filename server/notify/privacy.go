package notify

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Collections are the collections notifications keep (for the privacy register).
var Collections = []string{itemsColl, usersColl, keysColl, jobsColl, metaColl, changesColl}

// ItemData is one notification as a person's export shows it.
type ItemData struct {
	Seq       int64     `json:"seq"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Text      string    `json:"text,omitempty"`
	Link      string    `json:"link,omitempty"`
	ActorName string    `json:"actorName,omitempty"`
	At        time.Time `json:"at"`
}

// PersonalData is a person's notifications and their read state and
// preferences. A person's items are "<user>:<seq>" with dense sequences, so
// they are read by point lookups: the newest found by probing (lastSeq),
// then each by its id — never a read of the whole item collection.
func (s *Service) PersonalData(ctx context.Context, userID string) (any, error) {
	last, err := s.st.lastSeq(ctx, userID, 0)
	if err != nil {
		return nil, err
	}
	docs, err := s.st.itemsRange(ctx, userID, 1, last)
	if err != nil {
		return nil, err
	}
	items := make([]ItemData, 0, len(docs))
	for _, d := range docs {
		items = append(items, ItemData{Seq: d.Seq, Kind: d.Kind, Title: d.Title, Text: d.Text, Link: d.Link, ActorName: d.ActorName, At: d.At})
	}
	st, err := s.st.loadState(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"items": items}
	if st != nil {
		out["settings"] = map[string]any{"readTo": st.ReadTo, "mutedKinds": st.Off, "quiet": st.Quiet}
	}
	return out, nil
}

// Pseudonymise replaces the person's name where it is stored as the actor
// of other people's notifications. Idempotent.
func (s *Service) Pseudonymise(ctx context.Context, userID, pseudonym string) error {
	if _, err := s.st.items.UpdateMany(ctx, bson.D{{Key: "a", Value: userID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "an", Value: pseudonym}}}}); err != nil {
		return unavailable("pseudonymise notifications", err)
	}
	return nil
}

// SweepItems empties notifications created before before (retention).
// Items are not deleted: a person's sequence numbers must stay dense (the
// newest is found by probing), so an old item keeps its number and time
// and loses its title, text, link and actor. Repeating it is harmless.
func (s *Service) SweepItems(ctx context.Context, before time.Time) (int, error) {
	res, err := s.st.items.UpdateMany(ctx,
		bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: before}}}, {Key: "k", Value: bson.D{{Key: "$ne", Value: KindExpired}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "k", Value: KindExpired}, {Key: "t", Value: ""}}},
			{Key: "$unset", Value: bson.D{{Key: "x", Value: ""}, {Key: "l", Value: ""}, {Key: "a", Value: ""}, {Key: "an", Value: ""}, {Key: "p", Value: ""}}}})
	if err != nil {
		return 0, unavailable("sweep notifications", err)
	}
	return int(res.ModifiedCount), nil
}

// KindExpired marks a notification emptied by the retention sweep.
const KindExpired = "expired"
