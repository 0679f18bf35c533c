//go:build goexperiment.simd && amd64

package optim

import (
	"context"
	"simd/archsimd"
	"slices"
	"testing"

	"github.com/basin-dev/basin/internal/cpucheck"
	"github.com/basin-dev/basin/internal/landscape"
)

// dirtyAtStep is a function that leaves the upper state dirty once, at its
// n-th evaluation, as a preemption in the middle of a run would.
type dirtyAtStep struct {
	landscape.Function
	n int
	v float64
}

func (f *dirtyAtStep) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	if f.n--; f.n == 0 {
		cpucheck.DirtyUpper(f.v)
	}
	return f.Function.ValueGrad(p)
}

// dirtyRunWays are the ways of running Adam on Rosenbrock: clean, or with
// the upper state dirtied before the run or at its 100th step, with Run's
// clearing on or off. Each way leaves canClearUpper as it found it.
func dirtyRunWays(tb testing.TB) []cpucheck.Way[[]Point] {
	const midStep = 100
	cfg := adamRosenbrock.config(tb)
	way := func(name string, dirty, mid, clear bool) cpucheck.Way[[]Point] {
		var buf []Point
		return cpucheck.Way[[]Point]{Name: name, Run: func(round int) []Point {
			defer func(v bool) { canClearUpper = v }(canClearUpper)
			canClearUpper = clear
			o, _, err := New(adamRosenbrock.opt, adamRosenbrock.values)
			if err != nil {
				tb.Fatal(err)
			}
			run := cfg
			if mid {
				run.Func = &dirtyAtStep{Function: cfg.Func, n: midStep, v: float64(round)}
			}
			if dirty {
				cpucheck.DirtyUpper(float64(round))
			} else {
				archsimd.ClearAVXUpperBits()
			}
			buf, _, err = Run(context.Background(), run, o, buf[:0])
			if err != nil {
				tb.Fatal(err)
			}
			return buf
		}}
	}
	return []cpucheck.Way[[]Point]{
		way("clean", false, false, false),
		way("dirty", true, false, false),
		way("dirty, cleared", true, false, true),
		way("dirty mid-run, cleared", false, true, true),
	}
}

// TestRunClearsDirtyUpperState dirties the upper state before a run, or
// once in its middle, as a preemption would, and checks that the points
// are the clean run's, bit for bit. BenchmarkRunDirtyUpper reports each
// way's time against a clean run's; the test logs the same ratios.
func TestRunClearsDirtyUpperState(t *testing.T) {
	cpucheck.Check(t, dirtyRunWays(t), 5, slices.Equal[[]Point])
}

// BenchmarkRunDirtyUpper reports the median time of a run in each way
// against a clean run's ("dirty-x" is the hazard itself, ~30x on the
// project's machine; the cleared ways should stay near 1x).
func BenchmarkRunDirtyUpper(b *testing.B) {
	ways := cpucheck.Bench(b, func() []cpucheck.Way[[]Point] { return dirtyRunWays(b) }, 5, "", "dirty-x", "cleared-x", "mid-cleared-x")
	b.ReportMetric(float64(ways[0].Median())/float64(adamRosenbrock.config(b).Steps), "clean-ns/step")
}
