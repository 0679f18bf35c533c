package landscape

import "math"

// This file holds the descent SearchCritical runs within the box from the
// sample's seeds: projected Newton steps that keep to the box, so that
// minima on its edges and corners are found as readily as inside it.

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
