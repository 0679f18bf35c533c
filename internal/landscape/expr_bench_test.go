package landscape_test

import (
	"testing"

	"github.com/basin-dev/basin/internal/landscape/expr"
)

// The expressions below are the Rosenbrock and Ackley presets as a person
// would type them. Their benchmarks share benchValueGrad and the point sweep
// with BenchmarkPresetRosenbrock and BenchmarkPresetAckley, so the ratio of
// the ns/eval figures is the cost of typing a function instead of
// hand-writing it (at most 3x on Rosenbrock is allowed). Results are in
// docs/BENCHMARKS.md.
const (
	rosenbrockExpr = "(1-x)^2 + 100(y-x^2)^2"
	ackleyExpr     = "-20exp(-0.2sqrt(0.5(x^2+y^2))) - exp(0.5(cos(2pi x)+cos(2pi y))) + e + 20"
)

func BenchmarkExprRosenbrock(b *testing.B) { benchExpr(b, rosenbrockExpr) }
func BenchmarkExprAckley(b *testing.B)     { benchExpr(b, ackleyExpr) }

func benchExpr(b *testing.B, src string) {
	f, err := expr.Compile(src)
	if err != nil {
		b.Fatal(err)
	}
	benchValueGrad(b, f)
}
