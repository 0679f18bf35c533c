package api

import (
	"encoding/json"
	"testing"
	"time"
)

// TestCriticalTimeout checks that a custom expression whose critical points
// are not found in time is refused with 422 naming the limit, and that the
// cut-short search is not cached: with room again, the same expression
// answers. The timeout is made to pass before the search begins, so the
// test does not depend on the machine's speed.
func TestCriticalTimeout(t *testing.T) {
	h, srv := newServer(t, Config{})
	const url = "/api/v1/functions/custom?expr=x%5E2%2By%5E2"
	h.resolver.CriticalTimeout = time.Nanosecond
	res, body := get(t, srv.URL+url)
	var e errorBody
	json.Unmarshal(body, &e)
	if want := "expr: finding the critical points took longer than 1ns"; res.StatusCode != 422 || e.Error != want {
		t.Errorf("%d %s, want 422 %q", res.StatusCode, body, want)
	}
	h.resolver.CriticalTimeout = waitGuard
	if res, body := get(t, srv.URL+url); res.StatusCode != 200 {
		t.Errorf("with time to search: %d %s", res.StatusCode, body)
	}
}
