package landscape

import "math"

// This file computes the critical-point lists of the rugged presets, which
// have too many points to type in: Rastrigin (121 minima, 220 saddles and
// 100 maxima in its default domain), Ackley (the same counts) and Lévy N.13.
// They are computed once, on first use of Presets (a few milliseconds), by
// methods independent of FindCritical, and tests check each entry (the
// gradient vanishes, the Hessian agrees with the kind) and that FindCritical
// finds the same set. The lists are long; a page that marks them can filter
// by kind.

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

// rastriginCritical lists Rastrigin's critical points in d. The function is
// a sum of one 1D function per axis, so its critical points are exactly the
// pairs of 1D ones (minimum × minimum is a minimum, maximum × maximum a
// maximum, mixed pairs are saddles), which Newton's method finds to the last
// bit.
func rastriginCritical(d Domain) []CriticalPoint {
	xMin, xMax := rastriginAxisRoots(d.XMin, d.XMax)
	yMin, yMax := rastriginAxisRoots(d.YMin, d.YMax)
	var out []CriticalPoint
	add := func(xs, ys []float64, k Kind) {
		for _, y := range ys {
			for _, x := range xs {
				p := Vec{x, y}
				out = append(out, CriticalPoint{Kind: k, At: p, Value: Rastrigin{}.Value(p), Global: k == Minimum && x == 0 && y == 0})
			}
		}
	}
	add(xMin, yMin, Minimum)
	add(xMin, yMax, Saddle)
	add(xMax, yMin, Saddle)
	add(xMax, yMax, Maximum)
	sortCritical(out)
	return out
}

// ackleyCritical lists Ackley's critical points in d: the global minimum at
// the origin (the tip of a cone, where the gradient does not exist, so no
// Newton method finds it) and the smooth critical points found by
// seededCritical. The cosine ripples have period 1, so 8 seeds per unit put
// several in every basin.
func ackleyCritical(d Domain) []CriticalPoint {
	origin := CriticalPoint{Kind: Minimum, At: Vec{}, Value: Ackley{}.Value(Vec{}), Global: true}
	return seededCritical(Ackley{}, d, 8, origin)
}

// levyDomain is Lévy N.13's default box: the literature's [-10, 10]² holds
// several hundred local minima and shows the global one as a speck; this box
// around the global minimum (1, 1) shows the grooves that trap optimizers.
var levyDomain = Domain{-1, 3, -1, 3}

// levyCritical lists Lévy N.13's critical points in levyDomain with
// seededCritical. The shortest ripple has period 1/3, so 24 seeds per unit
// put about four in the basin of every point along each axis.
func levyCritical() []CriticalPoint {
	return seededCritical(Levy13{}, levyDomain, 24)
}

// seededCritical finds the critical points of f in d by Newton's method on
// the gradient from every point of a grid with perUnit points per unit
// length (edges included), then deduplicates and classifies them, with
// known points (such as kinks Newton cannot reach) added first. It is a
// brute-force, derivative-exact method independent of FindCritical's
// multi-start search, used for the rugged presets whose critical points have
// no closed form; it costs a few tens of milliseconds, once.
func seededCritical(f Function, d Domain, perUnit float64, known ...CriticalPoint) []CriticalPoint {
	s := newSearch(f, d)
	for _, k := range known {
		s.add(k)
	}
	nx := int(math.Round((d.XMax-d.XMin)*perUnit)) + 1
	ny := int(math.Round((d.YMax-d.YMin)*perUnit)) + 1
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			seed := Vec{gridCoord(d.XMin, d.XMax, i, nx), gridCoord(d.YMin, d.YMax, j, ny)}
			if p, ok := s.polish(seed); ok {
				s.add(s.classify(p))
			}
		}
	}
	return s.result()
}
