// Package basin computes the two many-run pictures Basin draws beside a
// single trajectory: the basin-of-attraction map (one full run from every
// start point of a grid, coloured by where it ends) and the learning-rate
// sweep (one run per learning rate on a log scale). It is an engine only:
// results stream through callbacks, and the api package puts them on the
// wire.
//
// Every cell and every sweep point is a real run: the same outcome and end
// point, bit for bit, as optim.Run from that start with those settings,
// which is what a user gets by clicking the start on the page. The generic
// engine simply calls optim.Run; the fast engines (lock-step batches of
// cells, and SIMD kernels for AVX-512 and for AVX2 when built with
// GOEXPERIMENT=simd) replay exactly the same floating-point operations in
// the same order, and the tests compare them with optim.Run on sampled
// cells.
package basin

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// Limits of a basin map.
const (
	// GridLimit is the largest side of a basin map: 256² = 65,536 runs,
	// the resolution at which a map drawn over a landscape of a few hundred
	// pixels stops gaining detail, and at 500 Adam steps a job of some tens
	// of milliseconds on the fast engine.
	GridLimit = 256
	// GridMin is the smallest side: a grid needs two points per axis to
	// include both edges of the box.
	GridMin = 2
	// CellStepsLimit bounds the work of one map, N*N*Steps optimizer steps:
	// 2^28, eight times the benchmark map (256² cells x 500 steps), about
	// half a second on the SIMD engine and several on the generic one. A
	// full 256² grid may thus take up to 4,096 steps, a 64² grid 65,536.
	CellStepsLimit = 1 << 28
)

// Engine selects how a basin map is computed. All engines give identical
// cells; they differ only in speed. The zero value picks the fastest one
// that supports the configuration.
type Engine int

const (
	// Auto uses the SIMD kernel when it is compiled in, the CPU has
	// AVX-512, or AVX2 with FMA, and the function has a vector form (the
	// polynomial presets, and those built on math.Sincos and math.Exp
	// where the kernel's ports of them give Go's bits: see vecGradOf),
	// else the lock-step kernel, for the configurations they support (Adam,
	// AdamW or SGD, without gradient noise or clipping), and the generic
	// engine for everything else.
	Auto Engine = iota
	// Generic runs optim.Run once per cell on every core: any function, any
	// optimizer, noise, clipping and schedules. Noisy cells are judged by
	// optim.Run's noisy-outcome rule (a descent per point of the final
	// stay), so they cost more than their steps alone.
	Generic
	// LockStep advances a whole row of cells one step at a time with
	// portable scalar code, sharing per-step factors (Adam's bias
	// corrections, the scheduled learning rate) across cells.
	LockStep
	// SIMD is LockStep with eight cells per AVX-512 instruction, or four
	// per AVX2 instruction on a CPU without AVX-512. It exists only in
	// builds with GOEXPERIMENT=simd on amd64 (see SIMDAvailable).
	SIMD
)

func (e Engine) String() string {
	switch e {
	case Auto:
		return "auto"
	case Generic:
		return "generic"
	case LockStep:
		return "lockstep"
	case SIMD:
		return "simd"
	}
	return "unknown"
}

// Cell is the outcome of the run from one start point of a basin map.
type Cell struct {
	// End is the last point of the run's trajectory: the position after its
	// final step, or, for a run that diverged or left the domain, the last
	// point it recorded (the one before it stopped, unless it crossed the
	// divergence bound at finite values).
	End landscape.Vec
	// Status is how the run ended.
	Status optim.Status
	// Step is optim.Outcome.Step: the step it stopped at, the step from
	// which it was at rest (Converged), or the budget (NotConverged).
	Step int32
	// Reached is the index in MapConfig.Critical of the known critical
	// point a converged run reached, or -1 (not converged, wandering, or
	// converged to a point that is not in the list).
	Reached int32
}

// MapConfig describes a basin map: one run per start point of an N x N
// grid over Box, all with the same function, optimizer and settings.
type MapConfig struct {
	Func landscape.Function
	// Critical lists the function's known critical points; Cell.Reached
	// indexes it.
	Critical []landscape.CriticalPoint
	// Box holds the start points. Grid point (i, j) is
	// (GridCoord(Box.XMin, Box.XMax, i, N), GridCoord(Box.YMin, Box.YMax, j, N)):
	// the edges are included, and row j = 0 is at YMin, as in the landscape
	// grid.
	Box landscape.Domain
	// N is the grid side, GridMin..GridLimit.
	N int
	// Optimizer is the registry name (optim.New) and Values its given
	// hyperparameters; missing ones take PyTorch's defaults as in optim.New.
	Optimizer string
	Values    optim.Values
	// Steps, Seed, Noise, ClipNorm, Schedule and LR are as in optim.Config.
	Steps    int
	Seed     uint64
	Noise    float64
	ClipNorm float64
	Schedule optim.Schedule
	LR       float64
	// Workers bounds the goroutines; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Engine forces an engine; Auto (the zero value) picks the fastest. A
	// forced engine that cannot run this configuration is an error.
	Engine Engine
}

// GridCoord is coordinate i of n grid points spanning [lo, hi] with both
// edges included: lo + i*(hi-lo)/(n-1), evaluated in that order (the
// landscape grid's formula), so a client that computes a cell's start the
// same way clicks exactly the start the cell ran from.
func GridCoord(lo, hi float64, i, n int) float64 {
	if i == n-1 {
		return hi
	}
	return lo + float64(i)*(hi-lo)/float64(n-1)
}

// Map computes the basin map of cfg and hands each finished row to
// emitRow: row j holds the N cells with start y = GridCoord(YMin, YMax, j,
// N), x ascending. Rows are computed on every core and emitted as they
// finish, so not in order; emitRow is called from Map's own goroutine,
// never concurrently, and the cells slice stays valid (and is not written
// again) after it returns. An error from emitRow, or the context's, stops
// the work and is returned; once the context is done no further row is
// emitted, and Map returns only after every worker has stopped.
func Map(ctx context.Context, cfg MapConfig, emitRow func(row int, cells []Cell) error) error {
	eng, err := newEngine(cfg)
	if err != nil {
		return err
	}
	n := cfg.N
	cells := make([]Cell, n*n)
	row := func(r int) []Cell { return cells[r*n : (r+1)*n] }
	return forEach(ctx, n, cfg.Workers,
		func() func(context.Context, int) error {
			w := eng.newWorker()
			return func(ctx context.Context, r int) error { return w.row(ctx, r, row(r)) }
		},
		func(r int) error { return emitRow(r, row(r)) })
}

// engine computes rows of one basin map; newWorker gives each goroutine its
// own scratch memory so rows never allocate per step.
type engine interface {
	newWorker() rowWorker
}

type rowWorker interface {
	row(ctx context.Context, r int, out []Cell) error
}

// newEngine validates cfg and picks the engine that computes it.
func newEngine(cfg MapConfig) (engine, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	ad, planErr := newPlan(cfg)
	switch cfg.Engine {
	case Auto:
		if planErr != nil {
			return genericEngine{cfg}, nil
		}
		if simdAvailable() && ad.vec != nil {
			return simdEngine{ad}, nil
		}
		return lockStepEngine{ad}, nil
	case Generic:
		return genericEngine{cfg}, nil
	case LockStep:
		if planErr != nil {
			return nil, fmt.Errorf("lock-step engine: %w", planErr)
		}
		return lockStepEngine{ad}, nil
	case SIMD:
		switch {
		case planErr != nil:
			return nil, fmt.Errorf("simd engine: %w", planErr)
		case !simdAvailable():
			return nil, errors.New("simd engine: not available in this build or on this CPU (build with GOEXPERIMENT=simd on amd64 with AVX-512, or AVX2 and FMA)")
		case ad.vec == nil:
			return nil, errors.New("simd engine: no vector gradient for this function")
		}
		return simdEngine{ad}, nil
	}
	return nil, fmt.Errorf("unknown engine %d", int(cfg.Engine))
}

func (cfg *MapConfig) validate() error {
	b := cfg.Box
	switch {
	case cfg.Func == nil:
		return errors.New("function is missing")
	case cfg.N < GridMin || cfg.N > GridLimit:
		return fmt.Errorf("grid side must be between %d and %d, got %d", GridMin, GridLimit, cfg.N)
	case !finite(b.XMin) || !finite(b.XMax) || !finite(b.YMin) || !finite(b.YMax):
		return fmt.Errorf("box must be finite, got %v", b)
	case !(b.XMin < b.XMax) || !(b.YMin < b.YMax):
		return fmt.Errorf("box must have xmin < xmax and ymin < ymax, got %v", b)
	case cfg.Steps > 0 && cfg.N*cfg.N > CellStepsLimit/cfg.Steps:
		return fmt.Errorf("a %d x %d map of %d steps is %d optimizer steps, more than the limit %d: use fewer steps or a smaller grid",
			cfg.N, cfg.N, cfg.Steps, cfg.N*cfg.N*cfg.Steps, CellStepsLimit)
	case len(cfg.Critical) > math.MaxInt32:
		return errors.New("too many critical points")
	}
	return checkRun(cfg.Optimizer, cfg.Values, cfg.runConfig(landscape.Vec{X: b.XMin, Y: b.YMin}))
}

// checkRun validates an optimizer and run settings with optim's own rules
// (a zero-step optim.Run from start), so this package and optim.Run agree on
// what is valid.
func checkRun(name string, values optim.Values, rc optim.Config) error {
	opt, _, err := optim.New(name, values)
	if err != nil {
		return err
	}
	if rc.Steps < 0 || rc.Steps > optim.MaxSteps {
		return fmt.Errorf("steps must be between 0 and %d, got %d", optim.MaxSteps, rc.Steps)
	}
	rc.Steps = 0
	var buf [1]optim.Point
	_, _, err = optim.Run(context.Background(), rc, opt, buf[:0])
	return err
}

// runConfig is the optim.Config of the run from start.
func (cfg *MapConfig) runConfig(start landscape.Vec) optim.Config {
	return optim.Config{
		Func:     cfg.Func,
		Critical: cfg.Critical,
		Start:    start,
		Steps:    cfg.Steps,
		Seed:     cfg.Seed,
		Noise:    cfg.Noise,
		ClipNorm: cfg.ClipNorm,
		Schedule: cfg.Schedule,
		LR:       cfg.LR,
	}
}

// start is the start point of cell (i, j).
func (cfg *MapConfig) start(i, j int) landscape.Vec {
	return landscape.Vec{
		X: GridCoord(cfg.Box.XMin, cfg.Box.XMax, i, cfg.N),
		Y: GridCoord(cfg.Box.YMin, cfg.Box.YMax, j, cfg.N),
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// genericEngine runs optim.Run for every cell.
type genericEngine struct{ cfg MapConfig }

func (e genericEngine) newWorker() rowWorker {
	return &genericWorker{cfg: e.cfg, buf: make([]optim.Point, 0, e.cfg.Steps+1)}
}

type genericWorker struct {
	cfg MapConfig
	buf []optim.Point
}

func (w *genericWorker) row(ctx context.Context, r int, out []Cell) error {
	for i := range out {
		opt, _, err := optim.New(w.cfg.Optimizer, w.cfg.Values)
		if err != nil {
			return err
		}
		clearUpper()
		pts, o, err := optim.Run(ctx, w.cfg.runConfig(w.cfg.start(i, r)), opt, w.buf)
		if err != nil {
			return err
		}
		out[i] = cellOf(pts, o, w.cfg.Critical)
		w.buf = pts
	}
	return nil
}

// cellOf turns what optim.Run returned into a Cell.
func cellOf(pts []optim.Point, o optim.Outcome, crit []landscape.CriticalPoint) Cell {
	c := Cell{Status: o.Status, Step: int32(o.Step), Reached: indexOf(crit, o.Reached)}
	if len(pts) > 0 {
		last := pts[len(pts)-1]
		c.End = landscape.Vec{X: last.X, Y: last.Y}
	}
	return c
}

// indexOf finds the element of crit that p points to, or -1: Run's
// Outcome.Reached points into Config.Critical when the end point is a known
// critical point, and elsewhere when it classified an unknown one.
func indexOf(crit []landscape.CriticalPoint, p *landscape.CriticalPoint) int32 {
	if p == nil {
		return -1
	}
	for i := range crit {
		if &crit[i] == p {
			return int32(i)
		}
	}
	return -1
}
