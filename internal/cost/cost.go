// Package cost prices work before it is admitted. A job's estimate is the
// CPU its evaluations will take: the cost of one value-and-gradient
// evaluation of its function, from a fixed per-operation table and never
// from timing (so every replica admits the same jobs), plus what the
// engine spends around each evaluation, times how many evaluations the job
// makes (steps × optimizers, grid points, cells × steps, ...). A job over
// the budget is refused before it starts with a message that names the
// estimate, the limit and what to make smaller; a job within it is never
// cut short.
//
// Nanoseconds here are CPU nanoseconds on the reference core, a 2020s x86
// core such as the one docs/BENCHMARKS.md measures on: landscape's cost
// units. Its price table rounds up what that core takes, so the estimate
// errs towards refusing.
package cost

import (
	"fmt"
	"math"
	"time"

	"github.com/basin-dev/basin/internal/landscape"
)

// DefaultBudget is the CPU one job may ask for: a basin map or a sweep of
// a costly expression at its largest, on a server that computes several
// jobs at once on few cores, still answers within about a minute, and a
// client that floods them gets its refusals at once.
const DefaultBudget = 20 * time.Second

// Engine costs around each evaluation, in nanoseconds on the reference
// core, added to the function's own.
const (
	// OptimizerStepNanos is one optimizer step around its gradient: the
	// update rule, the schedule, divergence checks and recording the
	// point (Adam's 1,024 steps take about 40 µs, docs/BENCHMARKS.md).
	OptimizerStepNanos = 40
	// GridPointNanos is one landscape grid point around its evaluation:
	// the coordinates and the float32 store.
	GridPointNanos = 4
)

// PerEval is the CPU of one value-and-gradient evaluation of fn in
// nanoseconds: its price from landscape.CostOf (a fixed per-operation
// table for expressions, presets priced as their formulas).
func PerEval(fn landscape.Function) float64 { return landscape.CostOf(fn) }

// Estimate is a job's predicted CPU.
type Estimate struct {
	// What names the job for messages ("this basin map").
	What string
	// Nanos is the predicted CPU in nanoseconds on the reference core.
	Nanos float64
	// Smaller says how to ask for less ("use a smaller grid or fewer
	// steps").
	Smaller string
}

// Duration is the estimate as a duration, saturating.
func (e Estimate) Duration() time.Duration {
	if e.Nanos >= math.MaxInt64 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(e.Nanos)
}

// NoisyFactor is what judging noisy runs multiplies a job's CPU by: the
// outcome of a run with gradient noise is judged by a noise-free descent
// from each point of its final stay, about 16 times the run itself
// (BenchmarkBasinsNoisy, docs/BENCHMARKS.md; api.NoisyBasinWorkFactor
// counts noisy steps against the basin work limit the same way).
const NoisyFactor = 16

// Noisy is e for runs with gradient noise of scale noise: NoisyFactor
// times dearer when noise > 0.
func (e Estimate) Noisy(noise float64) Estimate {
	if noise > 0 {
		e.Nanos *= NoisyFactor
	}
	return e
}

// Plus is the estimate of doing e and then f.
func (e Estimate) Plus(f Estimate) Estimate {
	e.Nanos += f.Nanos
	return e
}

// OverBudgetError refuses a job whose estimate exceeds the budget; its
// text is for the client: "this basin map would take about 14 min of CPU;
// the limit is 20 s; use a smaller grid or fewer steps".
type OverBudgetError struct {
	Estimate Estimate
	Budget   time.Duration
}

func (e *OverBudgetError) Error() string {
	return fmt.Sprintf("%s would take about %s of CPU; the limit is %s; %s",
		e.Estimate.What, Human(e.Estimate.Duration()), Human(e.Budget), e.Estimate.Smaller)
}

// Check refuses e when it exceeds budget.
func Check(e Estimate, budget time.Duration) error {
	if e.Nanos > float64(budget) {
		return &OverBudgetError{Estimate: e, Budget: budget}
	}
	return nil
}

// Run prices a trajectory run: steps optimizer steps (plus the start
// point) for each of optimizers optimizers.
func Run(fn landscape.Function, steps, optimizers int) Estimate {
	evals := float64(steps+1) * float64(optimizers)
	return Estimate{What: "this run", Nanos: evals * (PerEval(fn) + OptimizerStepNanos),
		Smaller: "use fewer steps or optimizers"}
}

// Landscape prices sampling fn on an nx × ny grid.
func Landscape(fn landscape.Function, nx, ny int) Estimate {
	return Estimate{What: "this landscape grid", Nanos: float64(nx) * float64(ny) * (PerEval(fn) + GridPointNanos),
		Smaller: "use a smaller grid (nx, ny)"}
}

// Basin prices a basin map of grid × grid runs of steps steps each.
func Basin(fn landscape.Function, grid, steps int) Estimate {
	evals := float64(grid) * float64(grid) * float64(steps)
	return Estimate{What: "this basin map", Nanos: evals * (PerEval(fn) + OptimizerStepNanos),
		Smaller: "use a smaller grid or fewer steps"}
}

// Sweep prices a learning-rate sweep of count runs of steps steps each.
func Sweep(fn landscape.Function, count, steps int) Estimate {
	evals := float64(count) * float64(steps+1)
	return Estimate{What: "this learning-rate sweep", Nanos: evals * (PerEval(fn) + OptimizerStepNanos),
		Smaller: "use fewer learning rates (count) or fewer steps"}
}

// Critical prices the critical-point search of fn at its evaluation bound
// (landscape.CriticalCost).
func Critical(fn landscape.Function) Estimate {
	return Estimate{What: "finding this function's critical points", Nanos: landscape.CriticalCost(fn),
		Smaller: "use a simpler expression"}
}

// Human writes a duration the way the refusal message reads: "14 min",
// "20 s", "350 ms", "3 h".
func Human(d time.Duration) string {
	switch {
	case d >= 2*time.Hour:
		return fmt.Sprintf("%.0f h", d.Hours())
	case d >= 2*time.Minute:
		return fmt.Sprintf("%.0f min", d.Minutes())
	case d >= 10*time.Second:
		return fmt.Sprintf("%.0f s", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
}
