//go:build goexperiment.simd && amd64

package landscape

import (
	"context"
	"simd/archsimd"
	"slices"
	"testing"
	"time"

	"github.com/basin-dev/basin/internal/simdtest"
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
		var sink [8]float64
		simdtest.DirtyUpper(&sink, v)
	}
	return v
}

func (f dirtyAtRowEnd) ValueGrad(p Vec) (float64, Vec) { return Ackley{}.ValueGrad(p) }

// sampleKind is one way of filling a grid: clean, or with rows that end
// with the upper state dirty, with Sample's clearing on or off.
type sampleKind struct {
	name  string
	f     Function
	clear bool
	took  []time.Duration
	grid  []float32 // the kind's last grid
}

// sampleDirtyKinds fills an n × n grid of Ackley rounds times in each kind,
// the kinds alternating so that a neighbour's load falls on all of them
// alike, and returns the kinds with their times.
func sampleDirtyKinds(tb testing.TB, n, rounds int) []sampleKind {
	defer func(v bool) { canClearUpper = v }(canClearUpper)
	box := Domain{-5, 5, -5, 5}
	kinds := []sampleKind{
		{name: "clean", f: Ackley{}},
		{name: "dirty", f: dirtyAtRowEnd{box.XMax}},
		{name: "dirty, cleared", f: dirtyAtRowEnd{box.XMax}, clear: true},
	}
	for k := range kinds {
		kinds[k].grid = make([]float32, n*n)
	}
	for range rounds {
		for k := range kinds {
			kind := &kinds[k]
			canClearUpper = kind.clear
			t0 := time.Now()
			if _, _, err := Sample(context.Background(), kind.f, box, n, n, kind.grid); err != nil {
				tb.Fatal(err)
			}
			kind.took = append(kind.took, time.Since(t0))
		}
	}
	return kinds
}

// median is the median of a kind's times.
func (k *sampleKind) median() time.Duration {
	slices.Sort(k.took)
	return k.took[len(k.took)/2]
}

// TestSampleClearsDirtyUpperState fills grids whose rows each end with the
// upper state dirty and checks that they hold the clean grid's values, bit
// for bit. What the clearing saves is speed, which a test on a shared
// machine cannot judge (the project measures speed only with benchmarks):
// BenchmarkSampleDirtyUpper reports each kind's time against a clean
// grid's; the test logs the same ratios.
func TestSampleClearsDirtyUpperState(t *testing.T) {
	if !archsimd.X86.AVX2() {
		t.Skip("the runtime saves only 128-bit registers on this CPU")
	}
	const n = 64
	kinds := sampleDirtyKinds(t, n, 3)
	clean := kinds[0].median()
	for _, kind := range kinds {
		t.Logf("%-15s %v per %d × %d grid, %.2fx clean", kind.name, kind.median(), n, n, float64(kind.median())/float64(clean))
		if !slices.Equal(kind.grid, kinds[0].grid) {
			t.Errorf("%s: the grid differs from a clean one", kind.name)
		}
	}
}

// BenchmarkSampleDirtyUpper reports the median time of a 64 × 64 grid in
// each kind against a clean grid's ("dirty-x" is the hazard itself, 20-200x
// on the project's machine; "cleared-x" should stay near 1x).
func BenchmarkSampleDirtyUpper(b *testing.B) {
	if !archsimd.X86.AVX2() {
		b.Skip("the runtime saves only 128-bit registers on this CPU")
	}
	var kinds []sampleKind
	for b.Loop() {
		kinds = sampleDirtyKinds(b, 64, 5)
	}
	clean := float64(kinds[0].median())
	b.ReportMetric(float64(kinds[1].median())/clean, "dirty-x")
	b.ReportMetric(float64(kinds[2].median())/clean, "cleared-x")
}
