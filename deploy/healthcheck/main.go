// Command healthcheck is the container health check of the Plein image: the
// distroless base has no shell, curl or wget. It GETs a URL and exits 0 on a
// 2xx answer within the timeout, 1 otherwise.
//
//	healthcheck [url]    (default http://127.0.0.1:8080/healthz)
package main

import (
	"fmt"
	"net/http"
	"os"
	"time"
)

func main() {
	url := "http://127.0.0.1:8080/healthz"
	if len(os.Args) > 1 {
		url = os.Args[1]
	}
	os.Exit(check(url, 3*time.Second))
}

func check(url string, timeout time.Duration) int {
	c := &http.Client{Timeout: timeout}
	resp, err := c.Get(url)
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthcheck:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		fmt.Fprintln(os.Stderr, "healthcheck:", resp.Status)
		return 1
	}
	return 0
}
