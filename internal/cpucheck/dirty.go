//go:build goexperiment.simd && amd64

package cpucheck

import (
	"simd/archsimd"
	"slices"
	"testing"
	"time"
)

// In GOEXPERIMENT=simd builds the runtime's asynchronous preemption saves
// and restores the vector registers with 256- or 512-bit moves and no
// VZEROUPPER after them, so a preempted goroutine resumes with their upper
// halves dirty and its scalar float code runs many times slower until
// something clears them. The helpers here reproduce that state on purpose.

// RequireAVX2 skips the test on a CPU without AVX2, where the runtime saves
// only 128-bit registers and the state never gets dirty.
func RequireAVX2(tb testing.TB) {
	tb.Helper()
	if !archsimd.X86.AVX2() {
		tb.Skip("the runtime saves only 128-bit registers on this CPU")
	}
}

// DirtyUpper leaves the upper halves of the vector registers dirty, as a
// preemption does: a 512-bit (or 256-bit) register write with no
// VZEROUPPER after it.
//
//go:noinline
func DirtyUpper(v float64) {
	var sink [8]float64
	if archsimd.X86.AVX512() {
		store8(archsimd.BroadcastFloat64x8(v), &sink)
		return
	}
	store4(archsimd.BroadcastFloat64x4(v), (*[4]float64)(sink[:4]))
}

// Way is one way of running a computation in a dirty-state test: clean,
// or dirtied, with the code's own clearing on or off.
type Way[R any] struct {
	Name string
	// Run computes once, given the round, and returns the result.
	Run  func(round int) R
	Took []time.Duration
	Last R // the result of the last round
}

// Median is the median of the way's times.
func (w *Way[R]) Median() time.Duration {
	slices.Sort(w.Took)
	return w.Took[len(w.Took)/2]
}

// RunWays runs every way rounds times, the ways alternating so that a
// neighbour's load falls on all of them alike.
func RunWays[R any](ways []Way[R], rounds int) {
	for i := range rounds {
		for k := range ways {
			w := &ways[k]
			t0 := time.Now()
			w.Last = w.Run(i)
			w.Took = append(w.Took, time.Since(t0))
		}
	}
}

// Check runs the ways rounds times and requires every way's result to be
// the first (clean) way's, bit for bit. It logs each way's median time
// against the clean one's: what clearing the state saves is speed, which a
// test on a shared machine cannot judge (the project measures speed only
// with benchmarks, Bench).
func Check[R any](t *testing.T, ways []Way[R], rounds int, equal func(a, b R) bool) {
	t.Helper()
	RequireAVX2(t)
	RunWays(ways, rounds)
	clean := ways[0].Median()
	for k := range ways {
		w := &ways[k]
		t.Logf("%-22s %v, %.2fx clean", w.Name, w.Median(), float64(w.Median())/float64(clean))
		if !equal(w.Last, ways[0].Last) {
			t.Errorf("%s: the result differs from a clean run's", w.Name)
		}
	}
}

// Bench runs fresh ways rounds times per benchmark iteration and reports
// each way's median time against the first's as the metric named by its
// unit ("" for none). It returns the last iteration's ways.
func Bench[R any](b *testing.B, newWays func() []Way[R], rounds int, units ...string) []Way[R] {
	b.Helper()
	RequireAVX2(b)
	var ways []Way[R]
	for b.Loop() {
		ways = newWays()
		RunWays(ways, rounds)
	}
	clean := float64(ways[0].Median())
	for k, unit := range units {
		if unit != "" {
			b.ReportMetric(float64(ways[k].Median())/clean, unit)
		}
	}
	return ways
}
