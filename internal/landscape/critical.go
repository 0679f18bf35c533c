package landscape

import (
	"context"
	"errors"
	"math"
	"slices"

	"gonum.org/v1/gonum/optimize"
)

// Limits and tolerances of the local searches SearchCritical starts on grids
// (BFGS for minima, Levenberg–Marquardt for every kind): enough starts to
// find every saddle and maximum of a landscape with about 150 minima
// (Rastrigin on [-5.12, 5.12]² has 121 minima and 220 saddles); the minima
// of more rugged ones come from the dense sample's seeds
// (critical_search.go).
const (
	// criticalDescentSide is the number of BFGS starts along each axis;
	// they sit at the centres of a criticalDescentSide² grid of cells.
	criticalDescentSide = 16
	// criticalRootSide is the number of Levenberg–Marquardt starts along
	// each axis. These searches cost a few microseconds each (no gonum
	// machinery), so they run on a finer grid and carry most of the
	// coverage, for minima as well as saddles.
	criticalRootSide = 40
	// criticalMajorIterations bounds each quasi-Newton descent.
	criticalMajorIterations = 200
	// criticalFuncEvaluations bounds the function calls of each descent.
	criticalFuncEvaluations = 600
	// criticalRootIterations bounds each Levenberg–Marquardt search for a
	// zero of the gradient (how saddles and maxima are found).
	criticalRootIterations = 30
	// criticalNewtonIterations bounds the final Newton polish of a point.
	criticalNewtonIterations = 8
	// criticalCompassIterations bounds the derivative-free refinement used
	// where the gradient does not vanish at a minimum (a kink, such as the
	// tip of Ackley's cone).
	criticalCompassIterations = 400
	// criticalPositionTol is the accepted Newton step at a critical point,
	// relative to the larger side of the domain.
	criticalPositionTol = 1e-7
	// criticalDedupTol is the distance, relative to the larger side of the
	// domain, within which two found points are taken to be one.
	criticalDedupTol = 1e-5
	// criticalBoundarySlack is how far, relative to the larger side of the
	// domain, a point may lie outside it and still count as inside.
	criticalBoundarySlack = 1e-12
	// criticalGlobalTol is how close, relative to max(1, |f_min|), a
	// minimum's value must be to the lowest one to count as global.
	criticalGlobalTol = 1e-9
)

// cellCentre returns the centre of cell k (row-major from the lower left)
// of an n × n grid over d.
func cellCentre(d Domain, k, n int) Vec {
	i, j := k%n, k/n
	return Vec{
		d.XMin + (float64(i)+0.5)*(d.XMax-d.XMin)/float64(n),
		d.YMin + (float64(j)+0.5)*(d.YMax-d.YMin)/float64(n),
	}
}

// errEscaped stops a descent that left the neighbourhood of the domain.
var errEscaped = errors.New("landscape: descent left the domain")

// search holds the state of one FindCritical call.
type search struct {
	f     Function
	d     Domain
	span  float64 // larger side of the domain
	found []CriticalPoint
	flat  []bool // flat[i]: found[i] is not isolated (see add)
	// scratch for gonum, reused between starts.
	x []float64
	// evals counts this search's evaluations; left is what the current
	// start may still spend (see startBudget), after which every
	// evaluation is NaN and the start fails. Both are per search, one per
	// worker, so the count and the result do not depend on scheduling.
	evals, left int
	// negInf is set when f is -Inf at a point of the box.
	negInf bool
}

// val is f.Value at p, counted against the start's budget.
func (s *search) val(p Vec) float64 {
	if s.left <= 0 {
		return math.NaN()
	}
	s.left--
	s.evals++
	v := s.f.Value(p)
	if math.IsInf(v, -1) && s.d.Contains(p) {
		s.negInf = true
	}
	return v
}

// vg is f.ValueGrad at p, counted against the start's budget.
func (s *search) vg(p Vec) (float64, Vec) {
	if s.left <= 0 {
		nan := math.NaN()
		return nan, Vec{nan, nan}
	}
	s.left--
	s.evals++
	v, g := s.f.ValueGrad(p)
	if math.IsInf(v, -1) && s.d.Contains(p) {
		s.negInf = true
	}
	return v, g
}

// startBudget gives the search a fresh budget of n evaluations.
func (s *search) startBudget(n int) { s.left = n }

func newSearch(f Function, d Domain) *search {
	span := math.Max(d.XMax-d.XMin, d.YMax-d.YMin)
	if !(span > 0) || math.IsInf(span, 0) {
		span = 1
	}
	return &search{f: f, d: d, span: span, x: make([]float64, 2), left: math.MaxInt}
}

// descend runs BFGS from start and returns the minimum it reaches, polished.
func (s *search) descend(ctx context.Context, start Vec) (CriticalPoint, bool) {
	// escaped ends a descent that has run far outside the domain (towards
	// -∞ on an unbounded function) instead of spending its whole budget.
	escaped := false
	problem := optimize.Problem{
		Func: func(x []float64) float64 {
			p := Vec{x[0], x[1]}
			escaped = escaped || !s.near(p)
			return s.val(p)
		},
		Grad: func(grad, x []float64) {
			_, g := s.vg(Vec{x[0], x[1]})
			grad[0], grad[1] = g.X, g.Y
		},
		Status: func() (optimize.Status, error) {
			if err := ctx.Err(); err != nil {
				return optimize.Failure, err
			}
			if escaped {
				return optimize.Failure, errEscaped
			}
			return optimize.NotTerminated, nil
		},
	}
	settings := &optimize.Settings{
		MajorIterations: criticalMajorIterations,
		FuncEvaluations: criticalFuncEvaluations,
		// Stop early: Newton's method polishes the point afterwards, so
		// BFGS need only reach the region where Newton converges.
		GradientThreshold: 1e-6,
		Converger: &optimize.FunctionConverge{
			Absolute:   1e-12,
			Relative:   1e-12,
			Iterations: 5,
		},
	}
	s.x[0], s.x[1] = start.X, start.Y
	res, err := optimize.Minimize(problem, s.x, settings, &optimize.BFGS{})
	if res == nil || escaped || (err != nil && ctx.Err() != nil) {
		// No result, or the descent ran away (f falls without bound
		// there): its best point is no critical point.
		return CriticalPoint{}, false
	}
	p := Vec{res.X[0], res.X[1]}
	if !p.IsFinite() || !s.near(p) {
		return CriticalPoint{}, false
	}
	if q, ok := s.polish(p); ok {
		return s.classify(q), true
	}
	// BFGS stopped where the gradient does not vanish: its line search
	// failed on a rough or kinked function. Walk downhill without
	// derivatives; if that ends near a smooth critical point, polish it,
	// otherwise accept a kink minimum.
	q, ok := s.compass(p)
	if !ok || !s.inside(q) {
		return CriticalPoint{}, false
	}
	if r, ok := s.polish(q); ok {
		return s.classify(r), true
	}
	return CriticalPoint{Kind: Minimum, At: q, Value: s.val(q)}, true
}

// root searches for a zero of the gradient from start by Levenberg–Marquardt
// on the residual ∇f, whose Jacobian is the Hessian, so it finds saddles and
// maxima as readily as minima.
func (s *search) root(start Vec) (CriticalPoint, bool) {
	p := start
	_, g := s.vg(p)
	r := g.X*g.X + g.Y*g.Y
	lambda := 1e-3
	maxStep := s.span / criticalRootSide
	for it := 0; it < criticalRootIterations && r > 0; it++ {
		h := s.hessian(p)
		// Solve (HᵀH + λ·diag(HᵀH)) step = -Hᵀg, with H symmetric.
		a11 := h[0]*h[0] + h[1]*h[1]
		a12 := h[0]*h[1] + h[1]*h[2]
		a22 := h[1]*h[1] + h[2]*h[2]
		b1 := -(h[0]*g.X + h[1]*g.Y)
		b2 := -(h[1]*g.X + h[2]*g.Y)
		improved, converged := false, false
		for tries := 0; tries < 10; tries++ {
			m11 := a11 * (1 + lambda)
			m22 := a22 * (1 + lambda)
			det := m11*m22 - a12*a12
			if !(math.Abs(det) > 0) {
				lambda *= 10
				continue
			}
			step := Vec{(b1*m22 - b2*a12) / det, (m11*b2 - a12*b1) / det}
			// Stay local: the first step moves at most one cell of the
			// start grid, and the limit doubles with each successful step,
			// so a search finds a critical point near its start rather than
			// wandering to one its neighbours also find, yet crosses a
			// smooth bowl in a few steps.
			if n := step.Norm(); n > maxStep {
				step = step.Scale(maxStep / n)
			}
			q := p.Add(step)
			_, gq := s.vg(q)
			rq := gq.X*gq.X + gq.Y*gq.Y
			if rq < r {
				p, g, r = q, gq, rq
				lambda = math.Max(lambda/10, 1e-12)
				maxStep = math.Min(2*maxStep, s.span)
				improved = true
				converged = step.Norm() <= 1e-3*criticalPositionTol*s.span
				break
			}
			lambda *= 10
		}
		if converged || !improved || !s.near(p) {
			break // polish finishes a converged search
		}
	}
	if !p.IsFinite() || !s.near(p) {
		return CriticalPoint{}, false
	}
	q, ok := s.polish(p)
	if !ok {
		return CriticalPoint{}, false
	}
	return s.classify(q), true
}

// polish refines p by Newton's method on the gradient and reports whether it
// ends at a critical point: the last Newton step is within
// criticalPositionTol of the domain size, the gradient has no component
// along directions where the Hessian vanishes, and the point lies in the
// domain. The Newton step is taken with the pseudo-inverse of the Hessian,
// so it also converges onto lines of critical points (x² along x = 0).
func (s *search) polish(p Vec) (Vec, bool) {
	tol := criticalPositionTol * s.span
	for it := 0; it < criticalNewtonIterations; it++ {
		_, g := s.vg(p)
		step, _, _ := newtonStep(g, s.hessian(p))
		if !step.IsFinite() || step.Norm() > 1e-2*s.span {
			return p, false
		}
		p = p.Add(step)
		if step.Norm() <= 1e-6*tol {
			break
		}
	}
	_, g := s.vg(p)
	if !g.IsFinite() || !p.IsFinite() || !s.inside(p) {
		return p, false
	}
	// Accept where one more Newton step would be tiny.
	step, null, big := newtonStep(g, s.hessian(p))
	return p, step.Norm() <= tol && null <= 1e-10*math.Max(big, 1)*s.span
}

// newtonStep returns the Newton step -H⁺g for the symmetric Hessian h
// (h11, h12, h22), using only eigen-directions whose eigenvalue is not
// negligible (above 1e-8 of the largest), the size of g's component along
// the neglected directions, and the largest eigenvalue's magnitude.
func newtonStep(g Vec, h [3]float64) (step Vec, null, big float64) {
	mid, rad := (h[0]+h[2])/2, math.Hypot((h[0]-h[2])/2, h[1])
	l1, l2 := mid-rad, mid+rad
	v1, v2 := Vec{1, 0}, Vec{0, 1}
	if rad > 0 {
		// A row of H - l2·I is orthogonal to l2's eigenvector.
		v2 = Vec{h[1], l2 - h[0]}
		if w := (Vec{l2 - h[2], h[1]}); w.Norm() > v2.Norm() {
			v2 = w
		}
		v2 = v2.Scale(1 / v2.Norm())
		v1 = Vec{-v2.Y, v2.X}
	} else {
		l1, l2 = mid, mid
	}
	big = math.Max(math.Abs(l1), math.Abs(l2))
	for _, e := range [2]struct {
		l float64
		v Vec
	}{{l1, v1}, {l2, v2}} {
		c := e.v.X*g.X + e.v.Y*g.Y
		if math.Abs(e.l) > 1e-8*big {
			step = step.Add(e.v.Scale(-c / e.l))
		} else {
			null += math.Abs(c)
		}
	}
	return step, null, big
}

// compass refines a candidate minimum by compass search in eight
// directions, doubling the step after a move and halving it when no
// neighbour is lower, and reports whether it reached a step of 1e-13 of the
// domain without finding a lower neighbour: a local minimum where the
// gradient need not vanish. It gives up when it leaves the neighbourhood of
// the domain.
func (s *search) compass(p Vec) (Vec, bool) {
	fp := s.val(p)
	step := 1e-3 * s.span
	stop := 1e-13 * s.span
	const r = 0.7071067811865476
	dirs := [8]Vec{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {r, r}, {r, -r}, {-r, r}, {-r, -r}}
	for it := 0; it < criticalCompassIterations; it++ {
		if step < stop {
			return p, !math.IsNaN(fp)
		}
		moved := false
		for _, d := range dirs {
			q := p.Add(d.Scale(step))
			if fq := s.val(q); fq < fp {
				p, fp, moved = q, fq, true
				break
			}
		}
		switch {
		case !moved:
			step /= 2
		case !s.near(p):
			return p, false
		default:
			step = math.Min(2*step, s.span)
		}
	}
	return p, false
}

// hessian returns the symmetric Hessian (h11, h12, h22) at p by central
// differences of the exact gradient.
func (s *search) hessian(p Vec) [3]float64 {
	hx := 6e-6 * math.Max(1, math.Abs(p.X))
	hy := 6e-6 * math.Max(1, math.Abs(p.Y))
	_, gxp := s.vg(Vec{p.X + hx, p.Y})
	_, gxm := s.vg(Vec{p.X - hx, p.Y})
	_, gyp := s.vg(Vec{p.X, p.Y + hy})
	_, gym := s.vg(Vec{p.X, p.Y - hy})
	h11 := (gxp.X - gxm.X) / (2 * hx)
	h22 := (gyp.Y - gym.Y) / (2 * hy)
	h12 := 0.5 * ((gxp.Y-gxm.Y)/(2*hx) + (gyp.X-gym.X)/(2*hy))
	return [3]float64{h11, h12, h22}
}

// classify names the kind of the critical point p by the signs of its
// Hessian's eigenvalues, or, where one is nearly zero, by comparing f on a
// small circle around p.
func (s *search) classify(p Vec) CriticalPoint {
	h := s.hessian(p)
	cp := CriticalPoint{At: p, Value: s.val(p)}
	// The eigenvalues of the symmetric 2×2 Hessian in closed form (gonum's
	// eigensolver panics on NaN and on extreme scales), ascending; a
	// Hessian that is not finite is classified by the probes below.
	if finite(h[0]) && finite(h[1]) && finite(h[2]) {
		mid, rad := (h[0]+h[2])/2, math.Hypot((h[0]-h[2])/2, h[1])
		l := [2]float64{mid - rad, mid + rad}
		tol := 1e-6 * math.Max(math.Abs(l[0]), math.Abs(l[1]))
		switch {
		case l[0] > tol:
			cp.Kind = Minimum
			return cp
		case l[1] < -tol:
			cp.Kind = Maximum
			return cp
		case l[0] < -tol && l[1] > tol:
			cp.Kind = Saddle
			return cp
		}
	}
	// Degenerate: look around.
	const probes = 16
	r := 1e-3 * s.span
	lower, higher := false, false
	for k := 0; k < probes; k++ {
		a := 2 * math.Pi * float64(k) / probes
		v := s.val(Vec{p.X + r*math.Cos(a), p.Y + r*math.Sin(a)})
		lower = lower || v < cp.Value
		higher = higher || v > cp.Value
	}
	switch {
	case lower && higher:
		cp.Kind = Saddle
	case lower:
		cp.Kind = Maximum
	default:
		cp.Kind = Minimum
	}
	return cp
}

// inside reports whether p lies in the domain, allowing rounding: a
// critical point on the boundary (the minimum of x² + y² on [0, 1]²) may be
// polished to -1e-17 and still belongs to the domain.
func (s *search) inside(p Vec) bool {
	e := criticalBoundarySlack * s.span
	return p.X >= s.d.XMin-e && p.X <= s.d.XMax+e && p.Y >= s.d.YMin-e && p.Y <= s.d.YMax+e
}

// near reports whether p is finite and within one domain size of d, so far
// escapes (a descent running off to -∞) are dropped early.
func (s *search) near(p Vec) bool {
	return p.IsFinite() && p.X >= s.d.XMin-s.span && p.X <= s.d.XMax+s.span &&
		p.Y >= s.d.YMin-s.span && p.Y <= s.d.YMax+s.span
}

// add records cp unless an equal point is already known; of two equal
// points it keeps the one with the smaller gradient, the better polished.
//
// A critical point that is not isolated (it lies on a line or region of
// critical points, as every point of x = 0 does for x², or every point of a
// constant function) would otherwise be reported once per start that lands
// on the line. Such points are kept only once per kind and value: one
// representative of each level set of non-isolated critical points.
func (s *search) add(cp CriticalPoint) {
	tol := criticalDedupTol * s.span
	for i := range s.found {
		if s.found[i].At.Add(cp.At.Scale(-1)).Norm() <= tol {
			_, g0 := s.vg(s.found[i].At)
			_, g1 := s.vg(cp.At)
			if g1.Norm() < g0.Norm() {
				s.found[i] = cp
			}
			return
		}
	}
	flat := s.nonIsolated(cp.At)
	if flat {
		vtol := criticalGlobalTol * math.Max(1, math.Abs(cp.Value))
		for i, f := range s.found {
			if s.flat[i] && f.Kind == cp.Kind && math.Abs(f.Value-cp.Value) <= vtol {
				return
			}
		}
	}
	s.found = append(s.found, cp)
	s.flat = append(s.flat, flat)
}

// nonIsolated reports whether the critical point p lies on a continuum of
// critical points: f keeps its value (to rounding) a small step away in some
// direction, which also catches lines of kinks such as abs(x - y), or the
// Hessian is singular and the gradient still vanishes a small step away
// along the null direction.
func (s *search) nonIsolated(p Vec) bool {
	const probes = 16 // directions over half a turn; each is tried both ways
	fp := s.val(p)
	r := 1e-3 * s.span
	vtol := 1e-14 * math.Max(1, math.Abs(fp))
	for k := 0; k < probes; k++ {
		u := Vec{math.Cos(math.Pi * float64(k) / probes), math.Sin(math.Pi * float64(k) / probes)}
		if math.Abs(s.val(p.Add(u.Scale(r)))-fp) <= vtol && math.Abs(s.val(p.Add(u.Scale(-r)))-fp) <= vtol {
			return true
		}
	}
	h := s.hessian(p)
	mid, rad := (h[0]+h[2])/2, math.Hypot((h[0]-h[2])/2, h[1])
	l1, l2 := mid-rad, mid+rad
	big, small := math.Max(math.Abs(l1), math.Abs(l2)), l1
	if math.Abs(l2) < math.Abs(l1) {
		small = l2
	}
	if math.Abs(small) > 1e-6*big {
		return false
	}
	// An eigenvector of small: a row of H - small·I is orthogonal to it.
	v := Vec{h[1], small - h[0]}
	if w := (Vec{small - h[2], h[1]}); w.Norm() > v.Norm() {
		v = w
	}
	if n := v.Norm(); n > 0 {
		v = v.Scale(1 / n)
	} else {
		v = Vec{1, 0} // H = small·I: every direction is null
	}
	step := 1e-3 * s.span
	_, g0 := s.vg(p)
	tol := 1e-9*math.Max(1, big*step) + 10*g0.Norm()
	_, gp := s.vg(p.Add(v.Scale(step)))
	_, gm := s.vg(p.Add(v.Scale(-step)))
	return gp.Norm() <= tol && gm.Norm() <= tol
}

// result orders the found points and flags the global minima. Points that
// rounding left just outside the domain (see inside) are moved onto its
// boundary, so callers may rely on d.Contains.
func (s *search) result() []CriticalPoint {
	out := s.found
	for i := range out {
		if p := out[i].At; !s.d.Contains(p) {
			p.X = math.Min(math.Max(p.X, s.d.XMin), s.d.XMax)
			p.Y = math.Min(math.Max(p.Y, s.d.YMin), s.d.YMax)
			out[i].At, out[i].Value = p, s.val(p)
		}
	}
	lowest := math.Inf(1)
	for _, cp := range out {
		if cp.Kind == Minimum && cp.Value < lowest {
			lowest = cp.Value
		}
	}
	tol := criticalGlobalTol * math.Max(1, math.Abs(lowest))
	for i := range out {
		out[i].Global = out[i].Kind == Minimum && out[i].Value <= lowest+tol
	}
	sortCritical(out)
	return out
}

// sortCritical orders points as Preset.Critical lists them: by kind
// (minima first), then value, then x, then y.
func sortCritical(pts []CriticalPoint) {
	slices.SortStableFunc(pts, func(a, b CriticalPoint) int {
		switch {
		case a.Kind != b.Kind:
			return int(a.Kind) - int(b.Kind)
		case a.Value != b.Value:
			if a.Value < b.Value {
				return -1
			}
			return 1
		case a.At.X != b.At.X:
			if a.At.X < b.At.X {
				return -1
			}
			return 1
		case a.At.Y < b.At.Y:
			return -1
		case a.At.Y > b.At.Y:
			return 1
		}
		return 0
	})
}
