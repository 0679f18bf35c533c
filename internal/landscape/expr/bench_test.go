package expr

import (
	"strings"
	"testing"
)

// BenchmarkCompileWorst times Parse+Compile on the largest inputs the limits
// allow, the cost a hostile user can impose per request (issue 3: "a few
// milliseconds" at most).
func BenchmarkCompileWorst(b *testing.B) {
	inputs := map[string]string{
		"deepest":      strings.Repeat("(", MaxDepth-1) + "x" + strings.Repeat(")", MaxDepth-1),
		"most-nodes":   strings.Repeat("x", MaxNodes/2),
		"longest-sum":  strings.Repeat("sin(x)+", MaxLength/7-1) + "x",
		"parens-10000": strings.Repeat("(", 10000) + "x" + strings.Repeat(")", 10000),
		"bad-names":    strings.Repeat("xyzw", MaxLength/4),
	}
	for name, src := range inputs {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_, _ = Compile(src)
			}
		})
	}
}
