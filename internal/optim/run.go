package optim

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/basin-dev/basin/internal/landscape"
)

// Point is one recorded row of a trajectory. Its memory layout is exactly
// three float64 (x, y, loss), so the API sends a []Point as float64
// triples without copying, and no Point ever holds NaN or Inf.
type Point struct{ X, Y, Loss float64 }

// Limits of a run.
const (
	// MaxSteps bounds the step budget of one run: 100,000 steps take a few
	// milliseconds and record 2.4 MB of points, the most one trajectory on
	// the page can usefully show.
	MaxSteps = 100_000
	// DivergenceBound is the |x|+|y| beyond which a run counts as diverged,
	// the same rule as the PyTorch reference data.
	DivergenceBound = 1e6
	// contextCheckSteps is how often (in steps) Run checks its context:
	// rarely enough to cost nothing per step, often enough that a
	// cancelled run stops within microseconds.
	contextCheckSteps = 1024
)

// Config describes one trajectory apart from its optimizer.
type Config struct {
	Func landscape.Function
	// Critical lists the known critical points, to name what a converged
	// run reached. Outcome.Reached may point into it.
	Critical []landscape.CriticalPoint
	// Box, when not the zero Domain, is the box Critical was found on:
	// Outcome.OutsideBox and Outcome.BelowGlobal compare the end with it.
	Box      landscape.Domain
	Start    landscape.Vec
	Steps    int     // step budget, 0..MaxSteps
	Seed     uint64  // seeds the gradient noise
	Noise    float64 // std dev of Gaussian noise added to each gradient component; 0 = none
	ClipNorm float64 // 0 = off; clip the (noisy) gradient's norm to this
	// Schedule, when not nil, sets the learning rate before every step from
	// LR; nil keeps the optimizer's own learning rate throughout.
	Schedule Schedule
	LR       float64 // base learning rate the schedule scales
}

func (c *Config) validate() error {
	switch {
	case c.Func == nil:
		return errors.New("function is missing")
	case c.Steps < 0 || c.Steps > MaxSteps:
		return fmt.Errorf("steps must be between 0 and %d, got %d", MaxSteps, c.Steps)
	case !(c.Noise >= 0) || math.IsInf(c.Noise, 0):
		return fmt.Errorf("noise must be finite and >= 0, got %v", c.Noise)
	case !(c.ClipNorm >= 0) || math.IsInf(c.ClipNorm, 0):
		return fmt.Errorf("clip_norm must be finite and >= 0 (0 = off), got %v", c.ClipNorm)
	case !c.Start.IsFinite():
		return fmt.Errorf("start must be finite, got (%v, %v)", c.Start.X, c.Start.Y)
	case c.Schedule != nil && !(c.LR > 0 && !math.IsInf(c.LR, 0)):
		return fmt.Errorf("lr must be finite and > 0 with a schedule, got %v", c.LR)
	}
	return nil
}

// Run drives opt from cfg.Start for up to cfg.Steps steps and returns the
// trajectory and how it ended.
//
// Points are appended to buf[:0]: the start point, then one point per step,
// so point k is the position after step k; pass a buf with capacity
// Steps+1 and Run allocates nothing. The context is checked every
// contextCheckSteps steps, so cancellation costs nothing per step; a
// cancelled run returns the points so far and ctx.Err().
//
// Step k feeds the optimizer the gradient at point k-1: exact, plus
// Gaussian noise of std dev Noise drawn from Seed, then clipped to norm
// ClipNorm. The run stops early with Diverged at step k when point k has a
// non-finite coordinate or loss or |x|+|y| > DivergenceBound, and with
// LeftDomain when its coordinates are finite but its loss is NaN. Point k is
// recorded only when it is finite, so a diverged run keeps it only when it
// crossed the bound at finite values. Otherwise the run spends its whole
// budget and is Converged when it ended at rest, else NotConverged. A
// noise-free run is at rest at a step when the exact gradient's norm is at
// most GradTol and the step's length at most StepTol, and ends at rest when
// that held at every step of a final stretch; Outcome.Step is the first
// step of that final stretch, so a run that came to rest and moved on
// (creeping past a saddle) does not report a convergence that did not last.
// The state kept for this is O(1), so batched engines (internal/basin) can
// reproduce it cell by cell.
//
// A noisy run's steps measure the noise, so its end is judged from its
// points instead (Settle): over the final window (Window: the last tenth of
// the points, at least WindowMin) the mean point and the spread; the basin
// the run is in is where a noise-free descent with the exact gradient from
// that mean ends (DescentEvals bounds it). The run is Converged when every
// point of the window lies in that basin and the mean lies within
// ReachTol plus twice the spread of the basin's critical point (never
// named when the run's end is farther from it than the noise explains);
// Outcome.Step is then the first step of its final stay in the basin and
// Outcome.Hover the radius around the point that holds the window. A run
// whose window lies in several basins is Wandering, with Outcome.Between
// naming them; anything else is NotConverged. Judging a noisy run costs
// one descent per point of its final stay, once, after the last step.
func Run(ctx context.Context, cfg Config, opt Optimizer, buf []Point) ([]Point, Outcome, error) {
	buf = buf[:0]
	if err := cfg.validate(); err != nil {
		return buf, Outcome{}, err
	}
	f, sched, base := cfg.Func, cfg.Schedule, cfg.LR
	noisy := cfg.Noise > 0
	pert := newGradPerturber(cfg.Seed, cfg.Noise, cfg.ClipNorm)

	if err := ctx.Err(); err != nil {
		return buf, Outcome{}, err
	}
	clearUpper() // see avx.go; again every clearUpperSteps steps below
	p := cfg.Start
	loss, g := f.ValueGrad(p)
	if st, keep := stop(p, loss); st != NotConverged {
		if keep {
			buf = append(buf, Point{p.X, p.Y, loss})
		}
		return buf, Outcome{Status: st}, nil
	}
	buf = append(buf, Point{p.X, p.Y, loss})

	gtol2, stol2 := float64(GradTol*GradTol), float64(StepTol*StepTol)
	settledFrom := -1 // first step of the current stretch at rest; -1 = moving
	for k := 1; k <= cfg.Steps; k++ {
		if k%clearUpperSteps == 0 {
			clearUpper()
		}
		if sched != nil {
			opt.SetLR(sched.LR(base, k-1))
		}
		q := opt.Step(p, pert.apply(g))
		loss, g = f.ValueGrad(q)
		if st, keep := stop(q, loss); st != NotConverged {
			if keep {
				buf = append(buf, Point{q.X, q.Y, loss})
			}
			return buf, Outcome{Status: st, Step: k}, nil
		}
		buf = append(buf, Point{q.X, q.Y, loss})

		if !noisy {
			// Squared norms, with explicit roundings so that no fused
			// multiply-add changes which step counts as at rest.
			dx, dy := q.X-p.X, q.Y-p.Y
			atRest := float64(g.X*g.X)+float64(g.Y*g.Y) <= gtol2 &&
				float64(dx*dx)+float64(dy*dy) <= stol2
			switch {
			case !atRest:
				settledFrom = -1
			case settledFrom < 0:
				settledFrom = k
			}
		}
		p = q

		if k%contextCheckSteps == 0 {
			if err := ctx.Err(); err != nil {
				return buf, Outcome{Status: NotConverged, Step: k}, err
			}
		}
	}
	if noisy {
		out, err := judgeNoisy(ctx, &cfg, buf)
		if err != nil {
			return buf, out, err
		}
		judgeEnd(&out, &cfg, p, loss)
		return buf, out, nil
	}
	out := Outcome{Status: NotConverged, Step: cfg.Steps}
	if settledFrom >= 0 {
		out.Status, out.Step = Converged, settledFrom
		out.Reached = nearestCritical(cfg.Critical, p, ReachTol)
		if out.Reached == nil {
			out.Reached = classify(f, cfg.Critical, p, loss)
		}
	}
	judgeEnd(&out, &cfg, p, loss)
	return buf, out, nil
}

// stop applies the stopping rules to a new point: Diverged when a
// coordinate or the loss is not finite or |x|+|y| > DivergenceBound,
// LeftDomain when only the loss is NaN, NotConverged to go on. keep reports
// whether the point is finite and so recorded although the run stops (it
// crossed the bound).
func stop(q landscape.Vec, loss float64) (st Status, keep bool) {
	if !q.IsFinite() {
		return Diverged, false
	}
	lossOK := !math.IsNaN(loss) && !math.IsInf(loss, 0)
	if math.Abs(q.X)+math.Abs(q.Y) > DivergenceBound {
		return Diverged, lossOK
	}
	switch {
	case math.IsNaN(loss):
		return LeftDomain, false
	case !lossOK:
		return Diverged, false
	}
	return NotConverged, false
}

// judgeNoisy is the outcome of a noisy run that spent its whole budget,
// judged from its points: Settle with the noise-free descent as the basin
// of a point, and the distance check Settle leaves to its caller. The
// context is checked every contextCheckSteps descents, as Run checks it every
// so many steps.
func judgeNoisy(ctx context.Context, cfg *Config, pts []Point) (Outcome, error) {
	out := Outcome{Status: NotConverged, Step: cfg.Steps}
	n := len(pts)
	if n < WindowMin {
		return out, nil
	}
	w := Window(n)
	win := pts[n-w:]
	var mx, my float64
	for _, q := range win {
		mx += q.X
		my += q.Y
	}
	mean := landscape.Vec{X: mx / float64(w), Y: my / float64(w)}
	var ss float64
	for _, q := range win {
		dx, dy := q.X-mean.X, q.Y-mean.Y
		ss += float64(dx*dx) + float64(dy*dy)
	}
	spread := math.Sqrt(ss / float64(w))

	var small [16]int32
	var found []landscape.Vec
	bf := newBasinFinder(cfg.Critical, small[:], &found)
	calls := 0
	var err error
	s := Settle(n, bf.of(cfg.Func, mean), func(i int) int {
		if calls++; calls%contextCheckSteps == 0 && err == nil {
			err = ctx.Err()
		}
		if err != nil {
			return NoBasin // ends the walk; the outcome is discarded
		}
		return bf.of(cfg.Func, landscape.Vec{X: pts[i].X, Y: pts[i].Y})
	})
	if err != nil {
		return out, err
	}
	switch s.Status {
	case Wandering:
		out.Status = Wandering
		out.Between = make([]*landscape.CriticalPoint, len(s.Between))
		for i, id := range s.Between {
			out.Between[i] = basinPoint(cfg.Func, cfg.Critical, found, id)
		}
	case Converged:
		c := basinPoint(cfg.Func, cfg.Critical, found, s.Basin)
		if math.Hypot(mean.X-c.At.X, mean.Y-c.At.Y) > ReachTol+float64(explainFactor*spread) {
			return out, nil // still on its way: farther from c than the noise explains
		}
		var hover float64
		for _, q := range win {
			hover = max(hover, math.Hypot(q.X-c.At.X, q.Y-c.At.Y))
		}
		out = Outcome{Status: Converged, Step: s.From, Reached: c, Hover: hover}
	}
	return out, nil
}
