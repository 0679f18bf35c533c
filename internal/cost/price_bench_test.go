package cost

import (
	"math"
	"testing"
	"time"

	"github.com/basin-dev/basin/internal/landscape"
)

// BenchmarkPriceVsMeasured evaluates functions over a fixed sweep of 256
// points and reports the fastest sweep's ns/eval (other processes only add
// time, so the minimum is the cost without them) next to the price
// (priced-ns) and their ratio (priced/measured): above 1 the table errs
// towards refusing, as it should.
func BenchmarkPriceVsMeasured(b *testing.B) {
	rosen, _ := landscape.Lookup("rosenbrock")
	ackley, _ := landscape.Lookup("ackley")
	for _, tc := range []struct {
		name string
		fn   landscape.Function
	}{
		{"preset-rosenbrock", rosen.Func},
		{"preset-ackley", ackley.Func},
		{"expr-rosenbrock", mustCompile(b, rosen.Formula)},
		{"expr-ackley", mustCompile(b, ackley.Formula)},
		{"expr-costly", mustCompile(b, costlyExpr)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var sink float64
			var p landscape.Vec
			best := time.Duration(math.MaxInt64)
			for b.Loop() {
				t0 := time.Now()
				for i := range 256 {
					p.X = float64(i%16)*0.2 - 1.5
					p.Y = float64(i/16)*0.2 - 1.5
					v, g := tc.fn.ValueGrad(p)
					sink += v + g.X
				}
				best = min(best, time.Since(t0))
			}
			measured := float64(best) / 256
			b.ReportMetric(measured, "ns/eval")
			b.ReportMetric(PerEval(tc.fn), "priced-ns")
			b.ReportMetric(PerEval(tc.fn)/measured, "priced/measured")
			_ = sink
		})
	}
}
