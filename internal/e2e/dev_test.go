package e2e

import (
	"log/slog"
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/basin-dev/basin/internal/api"
)

// TestDevServe serves the page from the web/ directory on disk (not the
// embedded copy) at BASIN_DEV_ADDR until the test binary's timeout, so the
// page can be edited and reloaded without rebuilding. It is a tool for
// working on the page, skipped unless BASIN_DEV_ADDR is set:
//
//	BASIN_DEV_ADDR=127.0.0.1:8090 go test ./internal/e2e -run TestDevServe -timeout 0
func TestDevServe(t *testing.T) {
	addr := os.Getenv("BASIN_DEV_ADDR")
	if addr == "" {
		t.Skip("BASIN_DEV_ADDR not set")
	}
	// The server reads and compresses the page once, at start-up; here a
	// fresh one is built whenever the page itself is asked for, so a reload
	// shows the edits (with new version stamps, so nothing stale is reused).
	var mu sync.Mutex
	var h http.Handler
	serve := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if h == nil || r.URL.Path == "/" {
			h = api.NewHandler(api.Config{Logger: slog.Default(), Web: os.DirFS("../../web")})
		}
		cur := h
		mu.Unlock()
		cur.ServeHTTP(w, r)
	})
	t.Logf("serving web/ from disk at http://%s/", addr)
	if err := http.ListenAndServe(addr, serve); err != nil {
		t.Fatal(err)
	}
}
