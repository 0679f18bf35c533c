package expr

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/basin-dev/basin/internal/landscape"
)

// compileBudget is how long parsing and compiling any input may take: "a
// few milliseconds" at most, so a hostile request costs little. BenchmarkCompileWorst measures it.
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

// TestCompileWorst checks that the worst inputs the limits allow compile to
// a function that evaluates, or fail with an error positioned inside the
// input, and logs the fastest of a few compile times against
// compileBudget. The budget itself is measured by BenchmarkCompileWorst
// (docs/BENCHMARKS.md), not asserted: a test's wall time says more about
// the machine's load than about the code.
func TestCompileWorst(t *testing.T) {
	for name, src := range worstInputs {
		best := time.Duration(math.MaxInt64)
		var f *Func
		var err error
		for range 3 {
			start := time.Now()
			f, err = Compile(src)
			best = min(best, time.Since(start))
		}
		t.Logf("%s: compiled in %v (budget %v)", name, best, compileBudget)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Pos < 1 || e.Pos > utf8.RuneCountInString(src)+1 {
				t.Errorf("%s: error %v is not an *Error positioned inside the input", name, err)
			}
			continue
		}
		if v, g := f.ValueGrad(landscape.Vec{X: 0.5, Y: 0.25}); math.IsInf(v, 0) || math.IsInf(g.X, 0) || math.IsInf(g.Y, 0) {
			t.Errorf("%s: ValueGrad = %v, %v", name, v, g)
		}
	}
}

// BenchmarkCompileWorst times Parse+Compile on the largest inputs the limits
// allow, the cost a hostile user can impose per request (a few milliseconds at
// most).
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
