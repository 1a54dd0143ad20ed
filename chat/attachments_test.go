package chat

import (
	"fmt"
	"strings"
	"testing"
)

func TestSendFrameAttachments(t *testing.T) {
	ids := func(n int) string {
		var s []string
		for i := range n {
			s = append(s, fmt.Sprintf("%q", fmt.Sprintf("ca-%032d", i)))
		}
		return "[" + strings.Join(s, ",") + "]"
	}
	for _, c := range []struct {
		frame string
		ok    bool
	}{
		{`{"type":"send","ch":"t-a","clientId":"c","attachments":` + ids(1) + `}`, true}, // a file without text
		{`{"type":"send","ch":"t-a","clientId":"c","body":"kijk","attachments":` + ids(10) + `}`, true},
		{`{"type":"send","ch":"t-a","clientId":"c","body":"kijk","attachments":` + ids(11) + `}`, false},
		{`{"type":"send","ch":"t-a","clientId":"c","attachments":[]}`, false}, // neither text nor file
		{`{"type":"send","ch":"t-a","clientId":"c","attachments":[""]}`, false},
		{`{"type":"send","ch":"t-a","clientId":"c","attachments":["` + strings.Repeat("x", 65) + `"]}`, false},
		{`{"type":"send","ch":"t-a","clientId":"c","attachments":"ca-1"}`, false},
		{`{"type":"edit","ch":"t-a","clientId":"c","target":1,"attachments":` + ids(1) + `}`, false}, // an edit needs a body
	} {
		_, err := DecodeFrame([]byte(c.frame))
		if (err == nil) != c.ok {
			t.Errorf("%s: err %v, want ok=%v", c.frame, err, c.ok)
		}
		if fe, isFE := err.(*FrameError); err != nil && (!isFE || fe.Code != "bad_frame") {
			t.Errorf("%s: %v, want bad_frame", c.frame, err)
		}
	}
}
