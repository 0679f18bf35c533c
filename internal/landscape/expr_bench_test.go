package landscape_test

import (
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/landscape/expr"
)

// The expressions below are the Rosenbrock and Ackley presets as a person
// would type them. Their benchmarks walk the same point sweep as
// BenchmarkPresetRosenbrock and BenchmarkPresetAckley, so the ratio of the
// ns/op figures is the cost of compiling instead of hand-writing a function
// (issue 3 asks for at most 3x on Rosenbrock). Results are in
// docs/BENCHMARKS.md.
const (
	rosenbrockExpr = "(1-x)^2 + 100(y-x^2)^2"
	ackleyExpr     = "-20exp(-0.2sqrt(0.5(x^2+y^2))) - exp(0.5(cos(2pi x)+cos(2pi y))) + e + 20"
)

func BenchmarkExprRosenbrock(b *testing.B) { benchExpr(b, rosenbrockExpr) }
func BenchmarkExprAckley(b *testing.B)     { benchExpr(b, ackleyExpr) }

// benchExpr times one ValueGrad per iteration through the landscape.Function
// interface, as the run loop calls it.
func benchExpr(b *testing.B, src string) {
	f, err := expr.Compile(src)
	if err != nil {
		b.Fatal(err)
	}
	var fn landscape.Function = f
	var sink float64
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v, g := fn.ValueGrad(benchPoints[i%benchPointCount])
		sink += v + g.X + g.Y
		i++
	}
	if sink == 0.5 {
		b.Log(sink) // keep sink alive
	}
}
