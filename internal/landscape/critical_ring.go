package landscape

import "math"

// This file holds the ring check every listed minimum must pass.

// ringLower reports whether f has a value lower than fp (beyond rounding)
// on the ring of radius criticalRingFraction of the box around p, clamped
// to the box. The ring is sampled at criticalRingProbes points and refined
// by golden-section search in angle around its lowest samples, so a
// valley much narrower than the spacing of the probes is still seen.
func (s *search) ringLower(p Vec, fp float64) bool {
	// Three radii, a thousand times apart, so that a point near, not at,
	// a pole (-1/(x²+y²) a hair from the origin) is seen falling too.
	r := criticalRingFraction * s.span
	for k := 0; k < 3; k++ {
		if s.ringLowerAt(p, fp, r) {
			return true
		}
		r *= 1e-3
	}
	return false
}

// ringLowerAt is ringLower's check on one ring of radius r.
func (s *search) ringLowerAt(p Vec, fp, r float64) bool {
	tol := 1e-10 * math.Max(1, math.Abs(fp))
	at := func(a float64) float64 {
		v := s.val(s.clamp(Vec{p.X + r*math.Cos(a), p.Y + r*math.Sin(a)}))
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	const n = criticalRingProbes
	var vs [n]float64
	for k := range vs {
		vs[k] = at(2 * math.Pi * float64(k) / n)
		if vs[k] < fp-tol {
			return true
		}
	}
	// Refine around the (at most four lowest) local minima of the samples.
	var ks []int
	for k := range vs {
		if vs[k] <= vs[(k+n-1)%n] && vs[k] <= vs[(k+1)%n] {
			ks = append(ks, k)
		}
	}
	for len(ks) > 4 {
		hi := 0
		for i := range ks {
			if vs[ks[i]] > vs[ks[hi]] {
				hi = i
			}
		}
		ks = append(ks[:hi], ks[hi+1:]...)
	}
	step := 2 * math.Pi / n
	for _, k := range ks {
		a := 2 * math.Pi * float64(k) / n
		if _, v := golden(at, a-step, a+step, 40); v < fp-tol {
			return true
		}
	}
	return false
}

// golden minimizes g on [a, b] by golden-section search for iters steps
// and returns the best point seen and its value; NaN counts as +Inf.
func golden(g func(float64) float64, a, b float64, iters int) (float64, float64) {
	const invPhi = 0.6180339887498949
	val := func(t float64) float64 {
		v := g(t)
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	c, d := b-invPhi*(b-a), a+invPhi*(b-a)
	fc, fd := val(c), val(d)
	best, fbest := c, fc
	if fd < fbest {
		best, fbest = d, fd
	}
	for i := 0; i < iters; i++ {
		if fc <= fd {
			b, d, fd = d, c, fc
			c = b - invPhi*(b-a)
			fc = val(c)
			if fc < fbest {
				best, fbest = c, fc
			}
		} else {
			a, c, fc = c, d, fd
			d = a + invPhi*(b-a)
			fd = val(d)
			if fd < fbest {
				best, fbest = d, fd
			}
		}
	}
	return best, fbest
}
