package landscape_test

import (
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

// sinkValue keeps benchmark results alive.
var sinkValue float64

// benchValueGrad evaluates f's value and gradient over benchPoints once per
// iteration and reports the cost per evaluation.
func benchValueGrad(b *testing.B, f landscape.Function) {
	b.ReportAllocs()
	var acc float64
	for b.Loop() {
		landscape.ClearUpper() // as every caller of ValueGrad does (avx_simd.go)
		for _, p := range benchPoints {
			v, g := f.ValueGrad(p)
			acc += v + g.X + g.Y
		}
	}
	sinkValue = acc
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(benchPoints)), "ns/eval")
}

// BenchmarkPresetRosenbrock is the baseline of BenchmarkExprRosenbrock.
func BenchmarkPresetRosenbrock(b *testing.B) { benchValueGrad(b, landscape.Rosenbrock{}) }

// BenchmarkPresetAckley is the baseline of BenchmarkExprAckley, a function
// dominated by transcendental calls.
func BenchmarkPresetAckley(b *testing.B) { benchValueGrad(b, landscape.Ackley{}) }
