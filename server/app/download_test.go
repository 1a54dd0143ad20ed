package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/plein/plein/server/app/apptest"
)

// TestDocumentDownloadRange: a 5 MiB team document is streamed (see
// blob.Bucket.Open): a Range request gets 206 and exactly the asked bytes,
// across chunk boundaries, with the file's security headers; the whole file
// comes back intact.
func TestDocumentDownloadRange(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	anouk := srv.Login(t, "anouk.devries")
	// Letters from a simple generator: no period that a wrong offset could
	// hide behind, and no digits (no identifier look-alikes).
	data := make([]byte, 5<<20)
	x := uint32(1)
	for i := range data {
		x = x*1664525 + 1013904223
		data[i] = 'a' + byte(x>>24)%26
		if i%80 == 79 {
			data[i] = '\n'
		}
	}
	st, b := anouk.Upload("/api/v1/spaces/den-helder-centrum/documents", "groot-verslag.txt", data, "folder", "/")
	if st != 201 {
		t.Fatalf("upload: %d %.300s", st, b)
	}
	var doc struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.ID == "" {
		t.Fatalf("upload answer %.300s: %v", b, err)
	}
	url := srv.URL + "/api/v1/spaces/den-helder-centrum/documents/" + doc.ID + "/content"
	get := func(rng string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		resp, err := anouk.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	// From the middle of the second 255 KiB chunk well into the ninth.
	from, to := 300_000, 2_200_000
	resp, body := get(fmt.Sprintf("bytes=%d-%d", from, to))
	if resp.StatusCode != 206 || string(body) != string(data[from:to+1]) {
		t.Fatalf("range: %d, %d bytes", resp.StatusCode, len(body))
	}
	if cr := resp.Header.Get("Content-Range"); cr != fmt.Sprintf("bytes %d-%d/%d", from, to, len(data)) {
		t.Fatalf("Content-Range %q", cr)
	}
	h := resp.Header
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "private, no-store" ||
		h.Get("Content-Security-Policy") == "" || h.Get("X-Frame-Options") != "DENY" || h.Get("Content-Disposition") == "" {
		t.Fatalf("headers of a range answer: %v", h)
	}
	// The last bytes (a suffix range), then the whole file.
	if resp, body := get("bytes=-1000"); resp.StatusCode != 206 || string(body) != string(data[len(data)-1000:]) {
		t.Fatalf("suffix range: %d, %d bytes", resp.StatusCode, len(body))
	}
	if resp, body := get(""); resp.StatusCode != 200 || len(body) != len(data) || string(body) != string(data) ||
		resp.Header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("whole file: %d, %d bytes, %v", resp.StatusCode, len(body), resp.Header)
	}
	// A range beyond the end: 416.
	if resp, _ := get(fmt.Sprintf("bytes=%d-", len(data)+10)); resp.StatusCode != 416 {
		t.Fatalf("range beyond the end: %d", resp.StatusCode)
	}
}
