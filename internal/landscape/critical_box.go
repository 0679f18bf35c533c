package landscape

import (
	"math"
	"slices"
)

// This file holds the searches SearchCritical runs within the box: a
// projected Newton descent from the sample's seeds, the ring check a
// minimum must pass, a derivative-free search along non-smooth valleys,
// and the stage that makes sure nothing sampled is lower than the lowest
// minimum listed.

// criticalBoxIterations bounds the steps of one descent in the box.
const criticalBoxIterations = 200

// clamp moves p into the box.
func (s *search) clamp(p Vec) Vec {
	return Vec{math.Min(math.Max(p.X, s.d.XMin), s.d.XMax), math.Min(math.Max(p.Y, s.d.YMin), s.d.YMax)}
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// seedDescent descends from a seed of the sample within the box and
// returns the minimum it reaches: an interior one polished by Newton's
// method and confirmed by its Hessian, or one on the box's edge, or, where
// the gradient does not vanish inside (a kink), the point the descent
// stopped at, left for the ring check to confirm.
func (s *search) seedDescent(p Vec) (CriticalPoint, bool) {
	q, fq, ok := s.boxDescend(p)
	if !ok {
		return CriticalPoint{}, false
	}
	if !s.onEdge(q) {
		if r, ok := s.polish(q); ok && !s.onEdge(r) {
			cp := s.classify(r)
			return cp, cp.Kind == Minimum && finitePoint(cp)
		}
	}
	return CriticalPoint{Kind: Minimum, At: q, Value: fq}, true
}

// freeGrad is g without the components that push out of the box where p
// is on its boundary: moving along them would leave the box.
func (s *search) freeGrad(p, g Vec) (Vec, bool, bool) {
	fx := !((p.X <= s.d.XMin && g.X > 0) || (p.X >= s.d.XMax && g.X < 0))
	fy := !((p.Y <= s.d.YMin && g.Y > 0) || (p.Y >= s.d.YMax && g.Y < 0))
	if !fx {
		g.X = 0
	}
	if !fy {
		g.Y = 0
	}
	return g, fx, fy
}

// boxDescend minimizes f over the box from p by projected Newton steps
// (Newton's step on the free coordinates where the Hessian there is
// positive definite, else a steepest-descent step of adaptive length),
// each accepted by an Armijo backtracking search along the path projected
// onto the box. It stops where no step lowers f, at the starting value of
// an exhausted budget, or after criticalBoxIterations steps.
func (s *search) boxDescend(p Vec) (Vec, float64, bool) {
	p = s.clamp(p)
	fp, g := s.vg(p)
	if !finite(fp) || !g.IsFinite() {
		return p, fp, false
	}
	trust := 1e-3 * s.span // length of a steepest-descent step
	for it := 0; it < criticalBoxIterations; it++ {
		gf, fx, fy := s.freeGrad(p, g)
		gn := gf.Norm()
		if gn == 0 {
			break
		}
		dir, newton := s.newtonDir(p, gf, fx, fy)
		if !newton {
			dir = gf.Scale(-trust / gn)
		}
		accepted := false
		var q Vec
		var fq float64
		t := 1.0
		for ls := 0; ls < 50; ls++ {
			q = s.clamp(p.Add(dir.Scale(t)))
			fq = s.val(q)
			if fq <= fp+1e-4*(g.X*(q.X-p.X)+g.Y*(q.Y-p.Y)) && !math.IsNaN(fq) {
				accepted = true
				break
			}
			t /= 2
		}
		if !accepted || q == p {
			break
		}
		moved := q.Add(p.Scale(-1)).Norm()
		if !newton {
			if t == 1 {
				trust = math.Min(2*trust, s.span)
			} else {
				trust = math.Max(moved, 1e-300)
			}
		}
		p, fp = q, fq
		var v float64
		v, g = s.vg(p)
		if !g.IsFinite() || !finite(v) {
			// -Inf, or a gradient that does not exist here: stop at p.
			return p, fp, finite(fp)
		}
		if moved <= 1e-15*s.span {
			break
		}
	}
	return p, fp, finite(fp)
}

// newtonDir is Newton's step on the free coordinates of p, if the Hessian
// there is positive definite and finite.
func (s *search) newtonDir(p, g Vec, fx, fy bool) (Vec, bool) {
	h := s.hessian(p)
	for _, v := range h {
		if !finite(v) {
			return Vec{}, false
		}
	}
	switch {
	case fx && fy:
		det := h[0]*h[2] - h[1]*h[1]
		if !(h[0] > 0 && det > 0) {
			return Vec{}, false
		}
		return Vec{-(h[2]*g.X - h[1]*g.Y) / det, -(h[0]*g.Y - h[1]*g.X) / det}, true
	case fx:
		if !(h[0] > 0) {
			return Vec{}, false
		}
		return Vec{-g.X / h[0], 0}, true
	case fy:
		if !(h[2] > 0) {
			return Vec{}, false
		}
		return Vec{0, -g.Y / h[2]}, true
	}
	return Vec{}, false
}

// smooth reports whether the candidate minimum cp is one where the
// derivatives settle it: inside the box, Newton's method on the gradient
// converges there and the Hessian (or, where it is singular, f on a small
// circle) says minimum; on the box's edge, the gradient's components along
// the edge vanish with positive curvature and the others point out of the
// box. Elsewhere (kinks, non-smooth valleys) the neighbours must decide
// (checkKinks).
func (s *search) smooth(cp CriticalPoint) bool {
	p := cp.At
	v, g := s.vg(p)
	if !finite(v) || !g.IsFinite() {
		return false
	}
	if !s.onEdge(p) {
		if _, ok := s.polish(p); !ok {
			return false
		}
		return s.classify(p).Kind == Minimum
	}
	gf, fx, fy := s.freeGrad(p, g)
	h := s.hessian(p)
	tol := criticalPositionTol * s.span
	if fx && !(h[0] > 0 && math.Abs(gf.X/h[0]) <= tol) {
		return false
	}
	if fy && !(h[2] > 0 && math.Abs(gf.Y/h[2]) <= tol) {
		return false
	}
	return true
}

// checkKinks decides the candidate minima where the derivatives do not
// (see smooth): the lowest criticalRefines of them, by a valley search
// from each (refineValley). A candidate the search finds nothing lower
// than is a minimum by its neighbours, if its ring agrees; one it finds
// lower is replaced by the point it converged to, or left out if it did
// not converge. The rest are left out: SearchCritical's last stage still
// lists the lowest point.
func (s *search) checkKinks(kinks []CriticalPoint) {
	slices.SortStableFunc(kinks, func(a, b CriticalPoint) int {
		switch {
		case a.Value < b.Value:
			return -1
		case a.Value > b.Value:
			return 1
		}
		return 0
	})
	for i, cp := range kinks {
		if i == criticalRefines {
			break
		}
		s.startBudget(criticalRefineBudget)
		if m, ok := s.confirmKink(cp); ok {
			s.startBudget(criticalMergeBudget)
			s.add(m)
		}
	}
}

// confirmKink is checkKinks' decision on one candidate.
func (s *search) confirmKink(cp CriticalPoint) (CriticalPoint, bool) {
	q, fq, converged := s.refineValley(cp.At)
	if !(fq < cp.Value-1e-10*math.Max(1, math.Abs(cp.Value))) {
		return cp, !s.ringLower(cp.At, cp.Value)
	}
	if !converged {
		return cp, false
	}
	return CriticalPoint{Kind: Minimum, At: q, Value: fq}, true
}

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

// Sizes of refineValley's nested searches.
const (
	valleyWindow = 0.05 // half-width of the window, relative to the box
	valleyOuter  = 60   // golden-section steps along the valley
	valleyInner  = 80   // and across it, to the last bit
	valleyMoves  = 3    // re-centrings of the window when the best is at its edge
)

// refineValley minimizes f near p without derivatives, for valleys where
// the Hessian does not exist (Bukin N.6's |y - 0.01x²| under a square
// root): for each coordinate u, it minimizes φ(u) = min over v of f by
// golden-section search in u, each φ a golden-section search in v across
// the valley, in a window of valleyWindow of the box around p, moved when
// the best point is at its edge. It returns the lower of the two orders,
// and whether that one ended inside its window (or on the box's edge)
// rather than still moving.
func (s *search) refineValley(p Vec) (Vec, float64, bool) {
	best, fbest, conv := p, s.val(p), true
	for _, xOuter := range [2]bool{true, false} {
		q, fq, c := s.nested(p, xOuter)
		if fq < fbest {
			best, fbest, conv = q, fq, c
		}
	}
	return best, fbest, conv
}

// nested is one order of refineValley.
func (s *search) nested(p Vec, xOuter bool) (Vec, float64, bool) {
	w := valleyWindow * s.span
	uLo, uHi, vLo, vHi := s.d.XMin, s.d.XMax, s.d.YMin, s.d.YMax
	u, v := p.X, p.Y
	if !xOuter {
		uLo, uHi, vLo, vHi = vLo, vHi, uLo, uHi
		u, v = v, u
	}
	point := func(u, v float64) Vec {
		if xOuter {
			return Vec{u, v}
		}
		return Vec{v, u}
	}
	best, fbest := p, math.Inf(1)
	for move := 0; move < valleyMoves; move++ {
		a, b := math.Max(u-w, uLo), math.Min(u+w, uHi)
		c, d := math.Max(v-w, vLo), math.Min(v+w, vHi)
		phi := func(t float64) float64 {
			_, fv := golden(func(r float64) float64 { return s.val(point(t, r)) }, c, d, valleyInner)
			return fv
		}
		ub, fb := golden(phi, a, b, valleyOuter)
		vb, fv := golden(func(r float64) float64 { return s.val(point(ub, r)) }, c, d, valleyInner)
		if fv < fb {
			fb = fv
		}
		if fb < fbest {
			best, fbest = point(ub, vb), fb
		}
		edge := 1e-6 * (b - a)
		if !(ub-a < edge && a > uLo) && !(b-ub < edge && b < uHi) {
			return best, fbest, true
		}
		u, v = ub, vb
	}
	return best, fbest, false
}

// ensureLowest makes sure no sampled value of the box is lower than the
// lowest minimum listed: while one is (or none is listed while f is
// finite somewhere), it descends from the lowest sample, checks the
// minimum it reaches and lists it. It reports whether f is unbounded
// below: a descent from there falls without end (fall). If after
// criticalGlobalRounds the lowest point still fails its ring check, it is
// listed anyway, the best the search knows, so the lowest point is never
// left out.
func (s *search) ensureLowest(smp *boxSample) bool {
	if smp.lowAt < 0 {
		return false // f is nowhere finite on the sample
	}
	start := smp.at(smp.lowAt)
	for round := 0; round < criticalGlobalRounds; round++ {
		low := math.Inf(1)
		for _, cp := range s.found {
			if cp.Kind == Minimum {
				low = math.Min(low, cp.Value)
			}
		}
		if smp.lowest >= low-1e-9*math.Max(1, math.Abs(low)) {
			return false
		}
		s.startBudget(criticalRefineBudget)
		cp, ok := s.seedDescent(start)
		if !ok {
			cp = CriticalPoint{Kind: Minimum, At: start, Value: smp.lowest}
		}
		s.startBudget(criticalRefineBudget)
		v, listed := cp, false
		if s.smooth(cp) {
			listed = !s.ringLower(cp.At, cp.Value)
		} else {
			v, listed = s.confirmKink(cp)
		}
		if listed {
			s.startBudget(criticalMergeBudget)
			s.add(v)
			continue
		}
		s.startBudget(criticalRefineBudget)
		if s.fall(cp.At, smp) {
			return true
		}
		if round == criticalGlobalRounds-1 || cp.Value >= low {
			s.startBudget(criticalMergeBudget)
			s.add(cp)
			return false
		}
	}
	return false
}

// fall descends from p by steepest-descent steps within the box, with a
// step that doubles after each success and halves after each failure, and
// reports whether f falls below the sample's lowest value by
// criticalFallFactor times the sample's spread without coming to rest: f
// is unbounded below (log(x) towards x = 0). A bounded f stops falling.
func (s *search) fall(p Vec, smp *boxSample) bool {
	spread := smp.highest - smp.lowest
	if !(spread > 0) {
		spread = math.Max(1, math.Abs(smp.lowest))
	}
	floor := smp.lowest - criticalFallFactor*spread
	fp, g := s.vg(p)
	step := 1e-3 * s.span
	for s.left > 0 && step > 1e-300 {
		if fp < floor || math.IsInf(fp, -1) {
			return true
		}
		gf, _, _ := s.freeGrad(p, g)
		n := gf.Norm()
		if !(n > 0) || !finite(n) {
			return false
		}
		q := s.clamp(p.Add(gf.Scale(-step / n)))
		fq, gq := s.vg(q)
		if fq < fp && gq.IsFinite() {
			p, fp, g = q, fq, gq
			step *= 2
		} else {
			step /= 2
		}
	}
	return fp < floor
}
