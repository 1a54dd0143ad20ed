package chat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/photo/phototest"
	"github.com/plein/plein/server/store/storetest"
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

// Files uploaded but never sent are swept; sent ones stay; a file swept
// before its send is refused.
func TestSweepUnsentAttachments(t *testing.T) {
	raw := storetest.New(t)
	s := newSvc(t, NewStore(raw))
	s.EnableAttachments(raw)
	ctx := context.Background()
	png := phototest.PNG(t, 2, 2)
	sent, err := s.AddAttachment(ctx, "a1", "t-alpha", "a.png", png, false)
	if err != nil {
		t.Fatal(err)
	}
	unsent, err := s.AddAttachment(ctx, "a1", "t-alpha", "b.png", png, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, "a1", Input{Ch: "t-alpha", ClientID: "c1", Kind: EntryMsg, Attachments: []string{sent.ID}}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SweepUnsentAttachments(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("young files swept: %d %v", n, err)
	}
	if n, err := s.SweepUnsentAttachments(ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("swept %d %v, want 1", n, err)
	}
	if _, _, _, err := s.AttachmentContent(ctx, "a2", "t-alpha", sent.ID, 0); err != nil {
		t.Fatalf("the sent file: %v", err)
	}
	if _, _, _, err := s.AttachmentContent(ctx, "a2", "t-alpha", unsent.ID, 0); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("the unsent file: %v", err)
	}
	if _, err := s.Append(ctx, "a1", Input{Ch: "t-alpha", ClientID: "c2", Kind: EntryMsg, Attachments: []string{unsent.ID}}); err == nil {
		t.Fatal("a swept file was sent")
	}
	// Non-members neither upload nor download.
	if _, err := s.AddAttachment(ctx, "b1", "t-alpha", "c.png", png, false); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("outsider upload: %v", err)
	}
	if _, _, _, err := s.AttachmentContent(ctx, "b1", "t-alpha", sent.ID, 320); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("outsider download: %v", err)
	}
}
