package landscape

import "math"

// This file holds the derivative-free search along non-smooth valleys.

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
