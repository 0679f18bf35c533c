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
// that held at every step of a final stretch. A noisy run's steps measure
// the noise, so it is at rest when the exact gradient's norm is below the
// noise level (noisyGradTol), and ends at rest when, from such a step on,
// no point lies further than reachRadius from the latest at-rest point
// before it. Outcome.Step is the
// first step of that final stay: the first step at which the tolerances
// were met unless the run moved on after meeting them (creeping past a
// saddle), which would otherwise report a convergence that did not last.
// The state kept for this is O(1), so batched engines (internal/basin) can
// reproduce it cell by cell.
func Run(ctx context.Context, cfg Config, opt Optimizer, buf []Point) ([]Point, Outcome, error) {
	buf = buf[:0]
	if err := cfg.validate(); err != nil {
		return buf, Outcome{}, err
	}
	f, sched, base := cfg.Func, cfg.Schedule, cfg.LR
	noisy := cfg.Noise > 0
	gtol := GradTol
	if noisy {
		gtol = noisyGradTol(cfg.Noise)
	}
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

	gtol2, stol2 := float64(gtol*gtol), float64(StepTol*StepTol)
	settledFrom := -1 // first step of the current stretch at rest; -1 = moving
	var anchor landscape.Vec
	hover := reachRadius(cfg.Noise)
	hover2 := float64(hover * hover)
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

		// Squared norms, with explicit roundings so that no fused
		// multiply-add changes which step counts as at rest.
		dx, dy := q.X-p.X, q.Y-p.Y
		atRest := float64(g.X*g.X)+float64(g.Y*g.Y) <= gtol2 &&
			(noisy || float64(dx*dx)+float64(dy*dy) <= stol2)
		if noisy {
			// A noisy run hovers: it stays settled while it stays near
			// the last point where it was at rest, whatever single steps
			// in between do.
			if settledFrom >= 0 {
				ax, ay := q.X-anchor.X, q.Y-anchor.Y
				if float64(ax*ax)+float64(ay*ay) > hover2 {
					settledFrom = -1
				}
			}
			if atRest {
				anchor = q
				if settledFrom < 0 {
					settledFrom = k
				}
			}
		} else {
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
	out := Outcome{Status: NotConverged, Step: cfg.Steps}
	if settledFrom >= 0 {
		out.Status, out.Step = Converged, settledFrom
		out.Reached = nearestCritical(cfg.Critical, p, reachRadius(cfg.Noise))
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
