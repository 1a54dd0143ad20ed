package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer ok.Close()
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
	defer bad.Close()
	if c := check(ok.URL, time.Second); c != 0 {
		t.Fatalf("healthy: %d", c)
	}
	if c := check(bad.URL, time.Second); c != 1 {
		t.Fatalf("503: %d", c)
	}
	bad.Close()
	if c := check(bad.URL, time.Second); c != 1 {
		t.Fatalf("down: %d", c)
	}
}
