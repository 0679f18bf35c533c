package e2e

import (
	"log/slog"
	"net/http"
	"os"
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
	h := api.NewHandler(api.Config{Logger: slog.Default(), Web: os.DirFS("../../web")})
	t.Logf("serving web/ from disk at http://%s/", addr)
	if err := http.ListenAndServe(addr, h); err != nil {
		t.Fatal(err)
	}
}
