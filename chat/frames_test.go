package chat

import (
	"encoding/json"
	"testing"
)

func TestDecodeFrame(t *testing.T) {
	ok := []string{
		`{"type":"ping"}`,
		`{"type":"send","ch":"t-a","clientId":"c","body":"hoi"}`,
		`{"type":"react","ch":"t-a","clientId":"c","target":3,"emoji":"👍","on":false}`,
		`{"type":"sync","ch":"t-a","after":0}`,
		`{"type":"presence","status":"away"}`,
	}
	for _, s := range ok {
		if _, err := DecodeFrame([]byte(s)); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	bad := []string{
		``, `{`, `null`, `[]`, `"x"`, `{"type":"nope"}`, `{"type":"send"}`,
		`{"type":"send","ch":"t-a","clientId":"c"}`,
		`{"type":"send","ch":"t-a","clientId":"c","body":5}`,
		`{"type":"send","ch":"t-a","clientId":"c","body":"x","admin":true}`,
		`{"type":"react","ch":"t-a","clientId":"c","target":3,"emoji":"👍"}`,
		`{"type":"read","ch":"t-a","seq":-1}`,
		`{"type":"sync","ch":"t-a","after":-5}`,
		`{"type":"presence","status":"invisible"}`,
		`{"type":"ping"}{"type":"ping"}`,
		`{"type":"ping"}]`,
		`{"type":"ping"}}`,
		`{"type":"ping"} x`,
		`{"type":"ping","id":"` + string(make([]byte, 65)) + `"}`,
	}
	for _, s := range bad {
		if _, err := DecodeFrame([]byte(s)); err == nil {
			t.Errorf("accepted %q", s)
		}
	}
}

// FuzzDecodeFrame: any input either fails with a FrameError or yields a
// frame of a known type with its required fields present.
func FuzzDecodeFrame(f *testing.F) {
	for _, s := range []string{`{"type":"ping"}`, `{"type":"send","ch":"t-a","clientId":"c","body":"hoi","reply":1}`,
		`{"type":"react","ch":"t","clientId":"c","target":1,"emoji":"x","on":true}`, `{"type":"sync","ch":"c","after":9,"limit":500}`,
		`{"TYPE":"send","CH":"x"}`, `{"type":"send","type":"ping"}`, "{\"type\":\"send\",\"body\":\"\xff\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := DecodeFrame(data)
		if err != nil {
			if _, ok := err.(*FrameError); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		req, ok := frameTypes[fr.Type]
		if !ok {
			t.Fatalf("unknown type accepted: %q", fr.Type)
		}
		for _, r := range req {
			if r == "ch" && (fr.Ch == "" || len(fr.Ch) > 80) {
				t.Fatalf("bad ch accepted")
			}
			if r == "clientId" && (fr.ClientID == "" || len(fr.ClientID) > 64) {
				t.Fatalf("bad clientId accepted")
			}
		}
		if fr.After < 0 || fr.Limit < 0 || len(fr.ID) > 64 {
			t.Fatalf("out-of-range field accepted: %+v", fr)
		}
		if _, err := json.Marshal(fr); err != nil {
			t.Fatal(err)
		}
	})
}
