package api

import (
	"fmt"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// leakGuard is how long the goroutines of the last tests may take to end
// before TestMain calls them leaked. A session ends some time after its
// client leaves (httptest.Server.Close does not wait for hijacked
// connections), and goleak's own retries give up after about half a
// second, which a loaded machine can exceed; a real leak stays forever.
const leakGuard = 30 * time.Second

// TestMain fails the package if any test leaves a goroutine behind.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := settled(leakGuard); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: errors on successful test run: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// settled waits up to guard for goleak to find no unexpected goroutine and
// returns its last finding.
func settled(guard time.Duration) error {
	deadline := time.Now().Add(guard)
	for {
		err := goleak.Find() // retries for about half a second itself
		if err == nil || time.Now().After(deadline) {
			return err
		}
	}
}
