//go:build goexperiment.simd && amd64

package optim

import (
	"context"
	"simd/archsimd"
	"slices"
	"testing"
	"time"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/simdtest"
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
		var sink [8]float64
		simdtest.DirtyUpper(&sink, f.v)
	}
	return f.Function.ValueGrad(p)
}

// dirtyKind is one way of running: clean, or with the upper state dirtied
// before the run or at its 100th step, with Run's clearing on or off.
type dirtyKind struct {
	name       string
	dirty, mid bool // dirty before the run, or at its 100th step
	clear      bool // Run clears the upper state
	took       []time.Duration
	last       []Point // the points of the kind's last run
}

// runDirtyKinds runs Adam on Rosenbrock rounds times in each kind, the kinds
// alternating so that a neighbour's load falls on all of them alike, and
// returns the kinds with their times.
func runDirtyKinds(tb testing.TB, rounds int) []dirtyKind {
	defer func(v bool) { canClearUpper = v }(canClearUpper)
	const midStep = 100
	cfg := adamRosenbrock.config(tb)
	var sink [8]float64
	kinds := []dirtyKind{
		{name: "clean"},
		{name: "dirty", dirty: true},
		{name: "dirty, cleared", dirty: true, clear: true},
		{name: "dirty mid-run, cleared", mid: true, clear: true},
	}
	for i := range rounds {
		for k := range kinds {
			kind := &kinds[k]
			o, _, err := New(adamRosenbrock.opt, adamRosenbrock.values)
			if err != nil {
				tb.Fatal(err)
			}
			canClearUpper = kind.clear
			run := cfg
			if kind.mid {
				run.Func = &dirtyAtStep{Function: cfg.Func, n: midStep, v: float64(i)}
			}
			if kind.dirty {
				simdtest.DirtyUpper(&sink, float64(i))
			} else {
				archsimd.ClearAVXUpperBits()
			}
			t0 := time.Now()
			kind.last, _, err = Run(context.Background(), run, o, kind.last[:0])
			kind.took = append(kind.took, time.Since(t0))
			if err != nil {
				tb.Fatal(err)
			}
		}
	}
	return kinds
}

// median is the median of a kind's times.
func (k *dirtyKind) median() time.Duration {
	slices.Sort(k.took)
	return k.took[len(k.took)/2]
}

// TestRunClearsDirtyUpperState dirties the upper state before a run, or
// once in its middle, as a preemption would, and checks that the points
// are the clean run's, bit for bit. What the clearing saves is speed, which
// a test on a shared machine cannot judge (the project measures speed only
// with benchmarks): BenchmarkRunDirtyUpper reports each kind's time against
// a clean run's; the test logs the same ratios.
func TestRunClearsDirtyUpperState(t *testing.T) {
	if !archsimd.X86.AVX2() {
		t.Skip("the runtime saves only 128-bit registers on this CPU")
	}
	kinds := runDirtyKinds(t, 5)
	clean := kinds[0].median()
	for _, kind := range kinds {
		t.Logf("%-22s %v per run, %.2fx clean", kind.name, kind.median(), float64(kind.median())/float64(clean))
		if !slices.Equal(kind.last, kinds[0].last) {
			t.Errorf("%s: the points differ from a clean run's", kind.name)
		}
	}
}

// BenchmarkRunDirtyUpper reports the median time of a run in each kind
// against a clean run's ("dirty-x" is the hazard itself, ~30x on the
// project's machine; the cleared kinds should stay near 1x).
func BenchmarkRunDirtyUpper(b *testing.B) {
	if !archsimd.X86.AVX2() {
		b.Skip("the runtime saves only 128-bit registers on this CPU")
	}
	var kinds []dirtyKind
	for b.Loop() {
		kinds = runDirtyKinds(b, 5)
	}
	clean := float64(kinds[0].median())
	b.ReportMetric(clean/float64(adamRosenbrock.config(b).Steps), "clean-ns/step")
	for k, unit := range []string{"", "dirty-x", "cleared-x", "mid-cleared-x"} {
		if unit != "" {
			b.ReportMetric(float64(kinds[k].median())/clean, unit)
		}
	}
}
