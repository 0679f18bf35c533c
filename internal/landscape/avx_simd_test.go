//go:build goexperiment.simd && amd64

package landscape

import (
	"context"
	"simd/archsimd"
	"slices"
	"testing"
	"time"
)

// dirtyAtRowEnd is Ackley that, at the last point of every row Sample
// fills, leaves the vector registers' upper halves dirty, as a preemption
// would: the next row then starts dirty unless Sample clears the state.
type dirtyAtRowEnd struct {
	xmax float64
}

//go:noinline
func dirtyUpper(dst *[8]float64, v float64) {
	if archsimd.X86.AVX512() {
		archsimd.BroadcastFloat64x8(v).Store(dst)
		return
	}
	archsimd.BroadcastFloat64x4(v).Store((*[4]float64)(dst[:4]))
}

func (f dirtyAtRowEnd) Value(p Vec) float64 {
	v := Ackley{}.Value(p)
	if p.X == f.xmax {
		var sink [8]float64
		dirtyUpper(&sink, v)
	}
	return v
}

func (f dirtyAtRowEnd) ValueGrad(p Vec) (float64, Vec) { return Ackley{}.ValueGrad(p) }

// TestSampleClearsDirtyUpperState fills a grid whose rows each end with the
// upper state dirty and checks that it costs about what a clean grid
// costs. With Sample's clearing switched off it also measures the hazard
// itself, so it knows its dirtying works on this CPU. The kinds alternate
// so that a neighbour's load falls on all of them alike.
func TestSampleClearsDirtyUpperState(t *testing.T) {
	if !archsimd.X86.AVX2() {
		t.Skip("the runtime saves only 128-bit registers on this CPU")
	}
	defer func(v bool) { canClearUpper = v }(canClearUpper)
	const n, runs = 64, 11
	box := Domain{-5, 5, -5, 5}
	dst := make([]float32, n*n)
	kinds := []struct {
		name  string
		f     Function
		clear bool
		took  []time.Duration
	}{
		{name: "clean", f: Ackley{}},
		{name: "dirty", f: dirtyAtRowEnd{box.XMax}},
		{name: "dirty, cleared", f: dirtyAtRowEnd{box.XMax}, clear: true},
	}
	for range runs {
		for k := range kinds {
			kind := &kinds[k]
			canClearUpper = kind.clear
			t0 := time.Now()
			if _, _, err := Sample(context.Background(), kind.f, box, n, n, dst); err != nil {
				t.Fatal(err)
			}
			kind.took = append(kind.took, time.Since(t0))
		}
	}
	med := make([]time.Duration, len(kinds))
	for k, kind := range kinds {
		slices.Sort(kind.took)
		med[k] = kind.took[runs/2]
		t.Logf("%-15s %v per %d × %d grid", kind.name, med[k], n, n)
	}
	clean, hazard, fixed := med[0], med[1], med[2]
	if hazard < 2*clean {
		t.Skip("no dirty-upper penalty on this CPU")
	}
	// The hazard is 20-200x on the project's machine; under the race
	// detector the dirty stretch (from a row's last point to the next
	// row's check of ctx) runs its instrumentation slowly too.
	if fixed > 2*clean {
		t.Errorf("a grid whose rows end dirty takes %v, a clean one %v: Sample does not clear the upper state per row", fixed, clean)
	}
}
