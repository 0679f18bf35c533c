package landscape

import "math"

// This file computes the critical-point lists of the rugged presets, which
// have too many minima to type in: Rastrigin (121 in its default domain),
// Ackley (121) and Lévy N.13. They are computed once, on first use of
// Presets, and verified by tests (every entry is a point where the gradient
// vanishes to rounding and the Hessian is positive definite, and
// FindCritical re-finds the ones near the global minimum).
//
// These lists hold minima only. Rastrigin also has 220 saddles and 100
// maxima in its domain, Ackley a similar number: marking all of them would
// bury the picture, and an optimizer that stalls on one is still reported
// as converged to a saddle by the run's own test of the Hessian.

// rastriginAxisRoots returns the zeros of d/dt (t² - 10cos 2πt) in
// [lo, hi]: the 1D minima near each integer and the maxima near each
// half-integer, by Newton's method from those seeds.
func rastriginAxisRoots(lo, hi float64) (minima, maxima []float64) {
	newton := func(t float64) float64 {
		for it := 0; it < 50; it++ {
			s, c := math.Sincos(twoPi * t)
			g := float64(2*t) + float64(20*math.Pi*s) // no FMA: see functions.go
			h := 2 + float64(40*math.Pi*math.Pi*c)
			step := g / h
			t -= step
			if math.Abs(step) <= 1e-16*math.Max(1, math.Abs(t)) {
				break
			}
		}
		return t
	}
	for k := math.Floor(lo) - 1; k <= math.Ceil(hi)+1; k++ {
		if t := newton(k); t >= lo && t <= hi {
			minima = append(minima, t)
		}
		if t := newton(k + 0.5); t >= lo && t <= hi {
			maxima = append(maxima, t)
		}
	}
	return minima, maxima
}

// rastriginCritical lists Rastrigin's minima in d. The function is a sum of
// one 1D function per axis, so its minima are exactly the pairs of 1D
// minima, which Newton's method finds to the last bit.
func rastriginCritical(d Domain) []CriticalPoint {
	xs, _ := rastriginAxisRoots(d.XMin, d.XMax)
	ys, _ := rastriginAxisRoots(d.YMin, d.YMax)
	var out []CriticalPoint
	for _, y := range ys {
		for _, x := range xs {
			p := Vec{x, y}
			out = append(out, CriticalPoint{Kind: Minimum, At: p, Value: Rastrigin{}.Value(p), Global: x == 0 && y == 0})
		}
	}
	sortCritical(out)
	return out
}

// ackleyCritical lists Ackley's minima in d: the global one at the origin
// (the tip of a cone, where the gradient does not exist) and the local ones
// found by Newton's method on the gradient from every other integer point,
// near which the cosine ripples put them. Points where Newton fails or that
// are not minima are left out.
func ackleyCritical(d Domain) []CriticalPoint {
	s := newSearch(Ackley{}, d)
	out := []CriticalPoint{{Kind: Minimum, At: Vec{}, Value: Ackley{}.Value(Vec{}), Global: true}}
	for j := math.Ceil(d.YMin); j <= d.YMax; j++ {
		for i := math.Ceil(d.XMin); i <= d.XMax; i++ {
			if i == 0 && j == 0 {
				continue
			}
			p, ok := s.polish(Vec{i, j})
			if !ok {
				continue
			}
			if cp := s.classify(p); cp.Kind == Minimum {
				s.add(cp)
			}
		}
	}
	out = append(out, s.found...)
	sortCritical(out)
	return out
}

// levyDomain is Lévy N.13's default box: the literature's [-10, 10]² holds
// several hundred local minima and shows the global one as a speck; this box
// around the global minimum (1, 1) shows the grooves that trap optimizers.
var levyDomain = Domain{-1, 3, -1, 3}

// levySeedsPerUnit is the density of the seed grid for levyCritical: the
// shortest ripple of Lévy N.13 has period 1/3, so 24 seeds per unit put
// about four in the basin of every minimum along each axis.
const levySeedsPerUnit = 24

// levyCritical lists Lévy N.13's minima in levyDomain. The function is not
// separable and its minima have no lattice, so Newton's method on the
// gradient runs from every point of a fine grid (levySeedsPerUnit per unit)
// and the minima it reaches are kept, deduplicated. This is denser than
// FindCritical's general-purpose grid and costs about 30 ms, once.
func levyCritical() []CriticalPoint {
	d := levyDomain
	s := newSearch(Levy13{}, d)
	nx := int(math.Round((d.XMax-d.XMin)*levySeedsPerUnit)) + 1
	ny := int(math.Round((d.YMax-d.YMin)*levySeedsPerUnit)) + 1
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			seed := Vec{
				d.XMin + float64(i)*(d.XMax-d.XMin)/float64(nx-1),
				d.YMin + float64(j)*(d.YMax-d.YMin)/float64(ny-1),
			}
			p, ok := s.polish(seed)
			if !ok {
				continue
			}
			if cp := s.classify(p); cp.Kind == Minimum {
				s.add(cp)
			}
		}
	}
	return s.result()
}
