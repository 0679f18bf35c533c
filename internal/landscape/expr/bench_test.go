package expr

import (
	"strings"
	"testing"
	"time"

	"github.com/basin-dev/basin/internal/landscape"
)

// compileBudget is how long parsing and compiling any input may take; the
// issue asks for "a few milliseconds".
const compileBudget = 5 * time.Millisecond

// worstInputs are the largest inputs the limits allow, of each shape.
var worstInputs = map[string]string{
	"deepest":      strings.Repeat("(", MaxDepth-1) + "x" + strings.Repeat(")", MaxDepth-1),
	"most-nodes":   strings.Repeat("x", MaxNodes/2),
	"longest-sum":  strings.Repeat("sin(x)+", MaxLength/7-1) + "x",
	"deep-powers":  strings.Repeat("x^", MaxDepth-2) + "x",
	"parens-10000": strings.Repeat("(", 10000) + "x" + strings.Repeat(")", 10000),
	"bad-names":    strings.Repeat("xyzw", MaxLength/4),
}

// TestCompileTime checks the budget on the worst inputs. It takes the
// fastest of several tries, so a loaded machine does not make it fail, while
// anything super-linear still would.
func TestCompileTime(t *testing.T) {
	for name, src := range worstInputs {
		best := time.Hour
		for range 20 {
			start := time.Now()
			_, _ = Compile(src)
			best = min(best, time.Since(start))
		}
		if best > compileBudget {
			t.Errorf("%s: compiling took %v, budget %v", name, best, compileBudget)
		}
	}
}

// BenchmarkCompileWorst times Parse+Compile on the largest inputs the limits
// allow, the cost a hostile user can impose per request (issue 3: "a few
// milliseconds" at most).
func BenchmarkCompileWorst(b *testing.B) {
	for name, src := range worstInputs {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_, _ = Compile(src)
			}
		})
	}
}

// sinkDual keeps benchmark results alive.
var sinkDual float64

// BenchmarkValueGrad times evaluation of expressions of each compiled
// shape through the landscape.Function interface, the way callers use it:
// "x" is the fixed cost of a call, the others add one closure each or fuse.
func BenchmarkValueGrad(b *testing.B) {
	for _, src := range []string{"x", "x*y", "(1-x)^2", "100(y-x^2)^2", "(1-x)^2 + 100(y-x^2)^2", "sin(x)"} {
		f, err := Compile(src)
		if err != nil {
			b.Fatal(err)
		}
		var fn landscape.Function = f
		b.Run(src, func(b *testing.B) {
			b.ReportAllocs()
			p := landscape.Vec{X: 0.5, Y: 0.25}
			acc := 0.0
			for b.Loop() {
				v, g := fn.ValueGrad(p)
				acc += v + g.X + g.Y
				p.X += 1e-9
			}
			sinkDual = acc
		})
	}
}
