package expr

import (
	"testing"
	"time"

	"github.com/basin-dev/basin/internal/landscape"
)

// ratioPoints is a fixed sweep over [-2, 2]², the same sequence as the
// landscape package's benchPoints, so the figures here and there describe
// the same work.
var ratioPoints = func() []landscape.Vec {
	pts := make([]landscape.Vec, 1024)
	s := uint64(0x9E3779B97F4A7C15)
	next := func() float64 {
		s = s*6364136223846793005 + 1442695040888963407
		return float64(s>>11)/float64(1<<53)*4 - 2
	}
	for i := range pts {
		pts[i] = landscape.Vec{X: next(), Y: next()}
	}
	return pts
}()

// BenchmarkVsPreset times typed presets against the hand-written ones on a
// shared machine. Each iteration sweeps ratioPoints once with each function
// in turn and keeps the fastest sweep of each: other processes only ever
// add time, so the minimum over many short sweeps is the cost without them,
// and alternating the functions exposes both to the same conditions. Run
// with -benchtime 2000x or so; the ratio metric is what the project
// bounds (Rosenbrock at most 3x). BenchmarkExprRosenbrock and
// BenchmarkPresetRosenbrock in internal/landscape give the plain averages.
func BenchmarkVsPreset(b *testing.B) {
	for _, tc := range []struct {
		name, src string
		preset    landscape.Function
	}{
		{"rosenbrock", "(1-x)^2 + 100(y-x^2)^2", landscape.Rosenbrock{}},
		{"ackley", "-20exp(-0.2sqrt(0.5(x^2+y^2))) - exp(0.5(cos(2pi x)+cos(2pi y))) + e + 20", landscape.Ackley{}},
		{"himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", landscape.Himmelblau{}},
	} {
		f, err := Compile(tc.src)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name, func(b *testing.B) {
			fns := []landscape.Function{tc.preset, f}
			best := []time.Duration{time.Hour, time.Hour}
			acc := 0.0
			for b.Loop() {
				for i, fn := range fns {
					start := time.Now()
					for _, p := range ratioPoints {
						v, g := fn.ValueGrad(p)
						acc += v + g.X + g.Y
					}
					best[i] = min(best[i], time.Since(start))
				}
			}
			sinkDual = acc
			per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(len(ratioPoints)) }
			b.ReportMetric(per(best[0]), "preset-ns/eval")
			b.ReportMetric(per(best[1]), "expr-ns/eval")
			b.ReportMetric(float64(best[1])/float64(best[0]), "ratio")
		})
	}
}
