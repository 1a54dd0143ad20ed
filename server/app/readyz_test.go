package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/plein/plein/server/app/apptest"
)

// /readyz means ready (issue 16): 503 warming_up until the start-up loads
// (search's scan of the stored chat messages and document texts) are done,
// then 200.
func TestReadyzWaitsForTheStartUpLoads(t *testing.T) {
	srv := apptest.Start(t) // background work not started: the loads have not run
	status, code := readyz(t, srv.URL)
	if status != http.StatusServiceUnavailable || code != "warming_up" {
		t.Fatalf("/readyz before the start-up loads: %d %q, want 503 warming_up", status, code)
	}
	srv.App.StartBackground()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	select {
	case <-srv.App.Warmed():
	case <-ctx.Done():
		t.Fatal("the start-up loads did not finish within a minute")
	}
	if status, code := readyz(t, srv.URL); status != http.StatusOK {
		t.Fatalf("/readyz after the start-up loads: %d %q, want 200", status, code)
	}
	sctx, scancel := context.WithTimeout(context.Background(), time.Second)
	defer scancel()
	if err := srv.App.Search.Settle(sctx); err != nil {
		t.Errorf("ready, but search has not settled: %v", err)
	}
}

func readyz(t *testing.T, base string) (int, string) {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p struct {
		Code string `json:"code"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&p)
	return resp.StatusCode, p.Code
}
