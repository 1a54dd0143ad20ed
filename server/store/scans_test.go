package store

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestScanOf(t *testing.T) {
	raw := func(d bson.D) bson.Raw {
		b, err := bson.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	id := bson.D{{Key: "_id", Value: "a"}}
	tests := []struct {
		name string
		cmd  bson.D
		scan bool
	}{
		{"find", bson.D{{Key: "find", Value: "c"}, {Key: "filter", Value: id}}, false},
		{"find", bson.D{{Key: "find", Value: "c"}, {Key: "filter", Value: bson.D{}}}, true},
		{"find", bson.D{{Key: "find", Value: "c"}}, true},
		{"find", bson.D{{Key: "find", Value: "c"}, {Key: "filter", Value: bson.D{{Key: "team", Value: "x"}}}}, true},
		{"find", bson.D{{Key: "find", Value: "c"}, {Key: "filter", Value: bson.D{{Key: "_id", Value: "a"}, {Key: "v", Value: 1}}}}, true},
		{"find", bson.D{{Key: "find", Value: "c"}, {Key: "filter", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{"a"}}}}}}}, true},
		{"find", bson.D{{Key: "find", Value: "c"}, {Key: "filter", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: "a"}}}}}}, true},
		{"count", bson.D{{Key: "count", Value: "c"}, {Key: "query", Value: id}}, false},
		{"aggregate", bson.D{{Key: "aggregate", Value: "c"}, {Key: "pipeline", Value: bson.A{}}}, true},
		{"update", bson.D{{Key: "update", Value: "c"}, {Key: "updates", Value: bson.A{bson.D{{Key: "q", Value: id}, {Key: "u", Value: bson.D{}}}}}}, false},
		{"update", bson.D{{Key: "update", Value: "c"}, {Key: "updates", Value: bson.A{bson.D{{Key: "q", Value: bson.D{{Key: "user", Value: "u"}}}}}}}, true},
		{"delete", bson.D{{Key: "delete", Value: "c"}, {Key: "deletes", Value: bson.A{bson.D{{Key: "q", Value: id}}, bson.D{{Key: "q", Value: id}}}}}, false},
		{"delete", bson.D{{Key: "delete", Value: "c"}, {Key: "deletes", Value: bson.A{bson.D{{Key: "q", Value: id}}, bson.D{{Key: "q", Value: bson.D{}}}}}}, true},
		{"findAndModify", bson.D{{Key: "findAndModify", Value: "c"}, {Key: "query", Value: id}}, false},
		{"insert", bson.D{{Key: "insert", Value: "c"}}, false},
	}
	for _, tc := range tests {
		coll, scan := scanOf(tc.name, raw(tc.cmd))
		if scan != tc.scan || (scan && coll != "c") {
			t.Errorf("%v: scan %v on %q, want %v", tc.cmd, scan, coll, tc.scan)
		}
	}
}
