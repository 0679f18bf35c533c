//go:build goexperiment.simd && amd64

package landscape

import (
	"context"
	"slices"
	"testing"

	"github.com/basin-dev/basin/internal/cpucheck"
)

// dirtyAtRowEnd is Ackley that, at the last point of every row Sample
// fills, leaves the vector registers' upper halves dirty, as a preemption
// would: the next row then starts dirty unless Sample clears the state.
type dirtyAtRowEnd struct {
	xmax float64
}

func (f dirtyAtRowEnd) Value(p Vec) float64 {
	v := Ackley{}.Value(p)
	if p.X == f.xmax {
		cpucheck.DirtyUpper(v)
	}
	return v
}

func (f dirtyAtRowEnd) ValueGrad(p Vec) (float64, Vec) { return Ackley{}.ValueGrad(p) }

// dirtySampleWays are the ways of filling an n × n grid of Ackley: clean,
// or with rows that end with the upper state dirty, with Sample's clearing
// on or off. Each way leaves canClearUpper as it found it.
func dirtySampleWays(tb testing.TB, n int) []cpucheck.Way[[]float32] {
	box := Domain{-5, 5, -5, 5}
	way := func(name string, f Function, clear bool) cpucheck.Way[[]float32] {
		grid := make([]float32, n*n)
		return cpucheck.Way[[]float32]{Name: name, Run: func(int) []float32 {
			defer func(v bool) { canClearUpper = v }(canClearUpper)
			canClearUpper = clear
			if _, _, err := Sample(context.Background(), f, box, n, n, grid); err != nil {
				tb.Fatal(err)
			}
			return grid
		}}
	}
	return []cpucheck.Way[[]float32]{
		way("clean", Ackley{}, false),
		way("dirty", dirtyAtRowEnd{box.XMax}, false),
		way("dirty, cleared", dirtyAtRowEnd{box.XMax}, true),
	}
}

// TestSampleClearsDirtyUpperState fills grids whose rows each end with the
// upper state dirty and checks that they hold the clean grid's values, bit
// for bit. BenchmarkSampleDirtyUpper reports each way's time against a
// clean grid's; the test logs the same ratios.
func TestSampleClearsDirtyUpperState(t *testing.T) {
	cpucheck.Check(t, dirtySampleWays(t, 64), 3, slices.Equal[[]float32])
}

// BenchmarkSampleDirtyUpper reports the median time of a 64 × 64 grid in
// each way against a clean grid's ("dirty-x" is the hazard itself, 20-200x
// on the project's machine; "cleared-x" should stay near 1x).
func BenchmarkSampleDirtyUpper(b *testing.B) {
	cpucheck.Bench(b, func() []cpucheck.Way[[]float32] { return dirtySampleWays(b, 64) }, 5, "", "dirty-x", "cleared-x")
}
