package train

import (
	"math"

	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

// critical finds the critical points of a two-parameter model's mean loss:
// its one minimum when there is one (both losses are convex), none
// otherwise (a network's are not sought), and none when the loss there
// overflows, since no value of it may be infinite.
func critical(pl *plan) []landscape.CriticalPoint {
	var w, b float64
	var ok bool
	switch pl.model.Kind() {
	case model.Linear:
		w, b, ok = leastSquares(pl.train)
	case model.Logistic:
		w, b, ok = logisticMinimum(pl.train)
	}
	if !ok {
		return nil
	}
	value := pl.model.NewWorkspace().Loss([]float64{w, b}, pl.train, nil)
	if !finite(value) || !finite(w) || !finite(b) {
		return nil // data so large that the minimum's loss overflows float64
	}
	return []landscape.CriticalPoint{{Kind: landscape.Minimum, At: landscape.Vec{X: w, Y: b}, Value: value, Global: true}}
}

// leastSquares is the ordinary least-squares line y = w*x + b from
// centred sums (stable when the x are far from 0). With every x equal the
// loss has a valley of minima, not one, and ok is false.
func leastSquares(s *data.Set) (w, b float64, ok bool) {
	n := float64(s.Rows())
	mx, my := 0.0, 0.0
	for i := range s.Rows() {
		mx += s.X[i]
		my += s.Y[i]
	}
	mx /= n
	my /= n
	sxx, sxy := 0.0, 0.0
	for i := range s.Rows() {
		dx := s.X[i] - mx
		sxx += dx * dx
		sxy += dx * (s.Y[i] - my)
	}
	if sxx == 0 {
		return 0, 0, false
	}
	w = sxy / sxx
	return w, my - w*mx, true
}

// Newton's method on the mean binary cross-entropy of logistic regression
// without bias: newtonSteps bounds the iterations, newtonTol is the step
// length (relative to the weights) at which it has converged.
const (
	newtonSteps = 100
	newtonTol   = 1e-13
)

// logisticMinimum minimizes the mean loss by Newton's method with
// backtracking from w = 0. The loss is convex; it has a minimum exactly
// when no line through the origin separates the classes, so separable data
// (and a singular Hessian) give ok = false.
func logisticMinimum(s *data.Set) (w1, w2 float64, ok bool) {
	if s.Separable() {
		return 0, 0, false
	}
	n := float64(s.Rows())
	loss := func(a, b float64) float64 {
		sum := 0.0
		for i := range s.Rows() {
			z := a*s.X[2*i] + b*s.X[2*i+1]
			sum += math.Max(z, 0) - z*s.Y[i] + math.Log1p(math.Exp(-math.Abs(z)))
		}
		return sum / n
	}
	for range newtonSteps {
		var g1, g2, h11, h12, h22 float64
		for i := range s.Rows() {
			x1, x2 := s.X[2*i], s.X[2*i+1]
			p := 1 / (1 + math.Exp(-(w1*x1 + w2*x2)))
			d := p - s.Y[i]
			g1 += d * x1
			g2 += d * x2
			c := p * (1 - p)
			h11 += c * x1 * x1
			h12 += c * x1 * x2
			h22 += c * x2 * x2
		}
		g1, g2, h11, h12, h22 = g1/n, g2/n, h11/n, h12/n, h22/n
		det := h11*h22 - h12*h12
		if !(det > 0) {
			return 0, 0, false
		}
		s1 := (h22*g1 - h12*g2) / det
		s2 := (h11*g2 - h12*g1) / det
		// Backtrack while the full Newton step raises the loss (far from
		// the minimum, where the loss is nearly linear).
		t, l0 := 1.0, loss(w1, w2)
		for t > 1e-10 && loss(w1-t*s1, w2-t*s2) > l0 {
			t /= 2
		}
		w1 -= t * s1
		w2 -= t * s2
		if math.Hypot(t*s1, t*s2) <= newtonTol*math.Max(1, math.Hypot(w1, w2)) {
			return w1, w2, true
		}
	}
	// Newton converges quadratically near the minimum; 100 iterations
	// without a negligible step mean it was still travelling.
	return w1, w2, finite(w1) && finite(w2) && math.Hypot(w1, w2) < optim.DivergenceBound
}

// nearest returns the critical point within optim.ReachTol of the last
// parameters p (two of them), or nil.
func nearest(crit []landscape.CriticalPoint, p []float64) *landscape.CriticalPoint {
	for i := range crit {
		if math.Hypot(p[0]-crit[i].At.X, p[1]-crit[i].At.Y) <= optim.ReachTol {
			return &crit[i]
		}
	}
	return nil
}
