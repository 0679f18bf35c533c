package expr

import (
	"testing"

	"github.com/basin-dev/basin/internal/cpucheck"
)

// TestNoImplicitFMA compiles the package for targets where Go fuses a*b+c
// into one instruction and checks that it never does here. Closures inline
// the dual-number helpers, so a product one helper returns meets the sum of
// another in the same function, where the compiler may fuse them unless the
// product is rounded explicitly with float64(). A fused result differs in
// the last bit from the tree walk and from amd64, and permalinks promise the
// same bits everywhere.
func TestNoImplicitFMA(t *testing.T) {
	for _, env := range [][]string{
		{"GOARCH=arm64"},
		{"GOARCH=ppc64le"},
		{"GOARCH=amd64", "GOAMD64=v3"},
	} {
		for _, line := range cpucheck.FusedLines(t, env...) {
			t.Errorf("%v: fused multiply-add: %s", env, line)
		}
	}
}
