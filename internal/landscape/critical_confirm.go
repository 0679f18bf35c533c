package landscape

import (
	"context"
	"math"
	"slices"
)

// This file decides whether a candidate is a minimum: by its derivatives
// where they exist, by its neighbours where they do not.

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
func (s *search) checkKinks(ctx context.Context, kinks []CriticalPoint) {
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
		if i == criticalRefines || ctx.Err() != nil {
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
