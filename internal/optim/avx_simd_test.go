//go:build goexperiment.simd && amd64

package optim

import (
	"context"
	"simd/archsimd"
	"slices"
	"testing"
	"time"
)

// dirtyUpper leaves the upper halves of the vector registers dirty, as the
// runtime's asynchronous preemption does in this build: a 512-bit (or
// 256-bit) register write with no VZEROUPPER after it.
//
//go:noinline
func dirtyUpper(dst *[8]float64, v float64) {
	if archsimd.X86.AVX512() {
		archsimd.BroadcastFloat64x8(v).Store(dst)
		return
	}
	archsimd.BroadcastFloat64x4(v).Store((*[4]float64)(dst[:4]))
}

// TestRunClearsDirtyUpperState dirties the upper state before a run, or
// once in its middle, as a preemption would, and checks that the run
// costs about what a clean one costs. With Run's clearing switched off it
// also measures the hazard itself, so it knows its dirtying works: on a CPU
// without the penalty there is nothing to test. The kinds of run alternate
// so that a neighbour's load falls on all of them alike.
func TestRunClearsDirtyUpperState(t *testing.T) {
	if !archsimd.X86.AVX2() {
		t.Skip("the runtime saves only 128-bit registers on this CPU")
	}
	defer func(v bool) { canClearUpper = v }(canClearUpper)
	const runs, batch = 21, 100
	cfg := adamRosenbrock.config(t)
	buf := make([]Point, 0, cfg.Steps+1)
	var sink [8]float64
	kinds := []struct {
		name       string
		dirty, mid bool // dirty before the run, or at its first batch
		clear      bool // Run clears the upper state
		took       []time.Duration
	}{
		{name: "clean"},
		{name: "dirty", dirty: true},
		{name: "dirty, cleared", dirty: true, clear: true},
		{name: "dirty mid-run, cleared", mid: true, clear: true},
	}
	for i := range runs {
		for k := range kinds {
			kind := &kinds[k]
			o, _, err := New(adamRosenbrock.opt, adamRosenbrock.values)
			if err != nil {
				t.Fatal(err)
			}
			canClearUpper = kind.clear
			emits := 0
			emit := func(int, []Point) error {
				if emits++; kind.mid && emits == 1 {
					dirtyUpper(&sink, float64(i))
				}
				return nil
			}
			if kind.dirty {
				dirtyUpper(&sink, float64(i))
			} else {
				archsimd.ClearAVXUpperBits()
			}
			t0 := time.Now()
			buf, _, err = Run(context.Background(), cfg, o, buf, batch, emit)
			kind.took = append(kind.took, time.Since(t0))
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	med := make([]time.Duration, len(kinds))
	for k, kind := range kinds {
		slices.Sort(kind.took)
		med[k] = kind.took[runs/2]
		t.Logf("%-22s %v per run of %d steps", kind.name, med[k], cfg.Steps)
	}
	clean, hazard := med[0], med[1]
	// The hazard is ~30x on the project's machine, ~3x under the race
	// detector, whose own cost is not slowed.
	if hazard < 2*clean {
		t.Skip("no dirty-upper penalty on this CPU")
	}
	if med[2] > clean*3/2 {
		t.Errorf("a run started dirty takes %v, a clean one %v: Run does not clear the upper state at its start", med[2], clean)
	}
	// Dirtied after step 99, the state stays dirty until step 128.
	if med[3] > clean*3 {
		t.Errorf("a run dirtied mid-run takes %v, a clean one %v: Run does not clear the upper state as it goes", med[3], clean)
	}
}
