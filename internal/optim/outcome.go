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
	// noisy run met them and from then on never strayed further than
	// reachRadius from the latest point where it met them. Outcome.Reached
	// names where it ended.
	Converged
	// Diverged: a coordinate or the loss stopped being finite, or |x|+|y|
	// exceeded DivergenceBound.
	Diverged
	// LeftDomain: the coordinates are finite but the loss is NaN, i.e. the
	// function is undefined there (log of a negative number, say).
	LeftDomain
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
	}
	return "unknown"
}

// Outcome says how a run ended and when.
type Outcome struct {
	Status Status
	// Step is the step at which the run diverged or left the domain; for
	// Converged, the step at which it came to rest for good: the first step
	// at which the tolerances were met, unless the run met them and then
	// moved on (creeping past a saddle, or noise carrying it to another
	// minimum), in which case the first step of the final stay; for
	// NotConverged, the number of steps run.
	Step int
	// Reached is set for Converged: the known critical point (an element of
	// Config.Critical, not a copy) within ReachTol of the end point, or, if
	// none is that close, the end point classified by its Hessian.
	Reached *landscape.CriticalPoint
	// OutsideBox is set when the run spent its budget and ended outside
	// Config.Box; Reached then describes the end point itself and is never
	// global (see judgeEnd).
	OutsideBox bool
	// BelowGlobal is set when the run spent its budget and ended lower
	// than every known global minimum of Config.Critical.
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

// noisyGradTol is the gradient tolerance for a run with gradient noise of
// standard deviation noise. A gradient smaller than the noise cannot be told
// from zero by the optimizer, so the run is as much at rest as the noise
// lets it be once the exact gradient falls below it; the test uses the exact
// gradient, so it does not itself fluctuate with the noise draw.
func noisyGradTol(noise float64) float64 { return max(GradTol, noise) }

// reachRadius is how far a known critical point may be from the end point
// to be named, and how far a noisy run may wander from where it came to
// rest and still count as resting there: ReachTol, widened by the noise
// level, since a noisy run hovers around the point it sits in. An
// optimizer's hover is typically far smaller than the noise's std dev; a
// noise as large as the distance between two minima hops between them,
// and "at rest" then means "somewhere in this region", as it should.
func reachRadius(noise float64) float64 { return ReachTol + noise }

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
