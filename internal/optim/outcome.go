package optim

import (
	"math"

	"github.com/basin-dev/basin/internal/landscape"
)

// Status is how a run ended. Its String form is the word the API sends.
type Status int

const (
	// NotConverged: the run used its whole budget and did not end at rest
	// (see Converged).
	NotConverged Status = iota
	// Converged: the run used its whole budget and ended at rest: a
	// noise-free run met the tolerances at every step of a final stretch; a
	// noisy run settled in one basin (see Run). Outcome.Reached names where
	// it ended.
	Converged
	// Diverged: a coordinate or the loss stopped being finite, or |x|+|y|
	// exceeded DivergenceBound.
	Diverged
	// LeftDomain: the coordinates are finite but the loss is NaN, i.e. the
	// function is undefined there (log of a negative number, say).
	LeftDomain
	// Wandering: a noisy run used its whole budget and its final stretch
	// keeps moving between basins; Outcome.Between names their critical
	// points. It comes last so that the other statuses keep their codes.
	Wandering
)

func (s Status) String() string {
	switch s {
	case NotConverged:
		return "not_converged"
	case Converged:
		return "converged"
	case Diverged:
		return "diverged"
	case LeftDomain:
		return "left_domain"
	case Wandering:
		return "wandering"
	}
	return "unknown"
}

// Outcome says how a run ended and when.
type Outcome struct {
	Status Status
	// Step is the step at which the run diverged or left the domain; for
	// Converged, the step at which it came to rest for good: for a
	// noise-free run the first step at which the tolerances were met,
	// unless the run met them and then moved on (creeping past a saddle),
	// in which case the first step of the final stay; for a noisy run the
	// first step of its final stay in the basin it settled in (0 when it
	// never left it); for NotConverged and Wandering, the number of steps
	// run.
	Step int
	// Reached is set for Converged: the critical point itself, not where
	// the run ended. It is the known critical point (an element of
	// Config.Critical, not a copy) within ReachTol of the end point (of a
	// noisy run: of where the noise-free descent from its final mean ends),
	// or, if none is that close, that point classified by its Hessian.
	Reached *landscape.CriticalPoint
	// Hover is set for a noisy Converged run: the radius around
	// Reached.At that holds every point of the final window (see Window),
	// i.e. how closely the run hovers around the point at its end. It is 0
	// for noise-free runs, which come to rest.
	Hover float64
	// Between is set for Wandering: the critical points of the basins the
	// final window moves among, in the order of Config.Critical (elements
	// of it, or classified points for basins it does not list).
	Between []*landscape.CriticalPoint
	// OutsideBox is set when the run spent its budget and its end (the
	// last point, or the point a noisy run hovers around) is outside
	// Config.Box; no point outside the box is then called global (see
	// judgeEnd).
	OutsideBox bool
	// BelowGlobal is set when the run spent its budget and the loss at its
	// end is lower than every known global minimum of Config.Critical.
	BelowGlobal bool
}

// Convergence tolerances. They are absolute because a 2D landscape is drawn
// at a human scale (domains of a few units): a point that moves less than
// StepTol per step where the slope is below GradTol is at rest on any plot
// the page draws, and the known critical points are tabulated far more
// precisely than ReachTol.
const (
	// GradTol bounds the norm of the exact (noise-free) gradient at rest.
	GradTol = 1e-6
	// StepTol bounds the length of the last step at rest (noise-free runs
	// only: with noise the step measures the noise, not progress).
	StepTol = 1e-6
	// ReachTol is how close the end point must be to a known critical point
	// to be named as that point.
	ReachTol = 1e-3
)

// explainFactor bounds how far a noisy run's final mean may lie from the
// critical point it is said to have reached, in units of the final
// window's spread (the root-mean-square distance of its points from their
// mean). Hovering around a point puts the mean well within one spread of
// it, even when successive points are correlated; a run still crawling
// towards its minimum has its mean far outside that, and is not there yet.
const explainFactor = 2

// Hessian classification of an end point that is not a known critical
// point. hessStep is the relative finite-difference step for the gradient;
// eigTol is the relative size below which an eigenvalue counts as zero.
const (
	hessStep = 1e-5
	eigTol   = 1e-8
	// globalTol is the relative tolerance within which a classified minimum
	// ties the lowest known minimum and is flagged global.
	globalTol = 1e-8
)

// nearestCritical returns the element of crit nearest to p within radius,
// or nil.
func nearestCritical(crit []landscape.CriticalPoint, p landscape.Vec, radius float64) *landscape.CriticalPoint {
	var best *landscape.CriticalPoint
	bestD := radius
	for i := range crit {
		d := math.Hypot(p.X-crit[i].At.X, p.Y-crit[i].At.Y)
		if d <= bestD {
			best, bestD = &crit[i], d
		}
	}
	return best
}

// classify describes the end point p of a converged run that is not near a
// known critical point: its kind from the eigenvalues of a central-difference
// Hessian of the exact gradient, its value, and Global when it is a minimum
// tying the lowest known minimum. It is called once per run, not per step.
func classify(f landscape.Function, crit []landscape.CriticalPoint, p landscape.Vec, loss float64) *landscape.CriticalPoint {
	// Explicit roundings keep p.X+hx and the like unfused (FMA), so the
	// classification is the same on every GOARCH and GOAMD64 level.
	hx := float64(hessStep * max(1, math.Abs(p.X)))
	hy := float64(hessStep * max(1, math.Abs(p.Y)))
	_, gxp := f.ValueGrad(landscape.Vec{X: p.X + hx, Y: p.Y})
	_, gxm := f.ValueGrad(landscape.Vec{X: p.X - hx, Y: p.Y})
	_, gyp := f.ValueGrad(landscape.Vec{X: p.X, Y: p.Y + hy})
	_, gym := f.ValueGrad(landscape.Vec{X: p.X, Y: p.Y - hy})
	a := (gxp.X - gxm.X) / (2 * hx)
	c := (gyp.Y - gym.Y) / (2 * hy)
	b := ((gxp.Y-gxm.Y)/(2*hx) + (gyp.X-gym.X)/(2*hy)) / 2
	// Eigenvalues of [[a b] [b c]].
	mean, rad := (a+c)/2, math.Hypot((a-c)/2, b)
	lo, hi := mean-rad, mean+rad
	zero := eigTol * max(1, math.Abs(lo), math.Abs(hi))

	cp := &landscape.CriticalPoint{At: p, Value: loss}
	switch {
	case lo > zero || (lo >= -zero && hi > zero):
		cp.Kind = landscape.Minimum // strict, or a flat valley floor
	case hi < -zero || (hi <= zero && lo < -zero):
		cp.Kind = landscape.Maximum
	case lo < -zero && hi > zero:
		cp.Kind = landscape.Saddle
	default:
		cp.Kind = kindByNeighbours(f, p, loss, hx, hy)
	}
	if cp.Kind == landscape.Minimum {
		lowest, known := math.Inf(1), false
		for _, k := range crit {
			if k.Kind == landscape.Minimum {
				lowest, known = min(lowest, k.Value), true
			}
		}
		cp.Global = known && loss <= lowest+globalTol*max(1, math.Abs(lowest))
	}
	return cp
}

// kindByNeighbours classifies a point whose Hessian vanishes (x^4 at 0) by
// comparing the loss with eight neighbours a little further out.
func kindByNeighbours(f landscape.Function, p landscape.Vec, loss, hx, hy float64) landscape.Kind {
	const reach = 100 // neighbours at 100 finite-difference steps
	above, below := 0, 0
	for _, d := range [8][2]float64{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {1, -1}, {-1, 1}, {-1, -1}} {
		v := f.Value(landscape.Vec{X: p.X + float64(reach*hx*d[0]), Y: p.Y + float64(reach*hy*d[1])})
		switch {
		case v > loss:
			above++
		case v < loss:
			below++
		}
	}
	switch {
	case below == 0:
		return landscape.Minimum
	case above == 0:
		return landscape.Maximum
	}
	return landscape.Saddle
}
