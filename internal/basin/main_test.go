package basin

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind: Map
// and Sweep must stop every worker before they return, cancelled or not.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
