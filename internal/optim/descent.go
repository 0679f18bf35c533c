package optim

import (
	"cmp"
	"math"
	"slices"

	"github.com/basin-dev/basin/internal/landscape"
)

// The basin of a point is where a noise-free descent from it ends. The
// descent is a fixed procedure, so a point gets the same basin every time
// and on every machine (products are rounded explicitly, so no fused
// multiply-add changes it on another GOARCH or GOAMD64 level): quasi-Newton
// (BFGS) steps along the exact gradient with a backtracking (Armijo) line
// search, each step no longer than a quarter of the smallest distance
// between two known critical points (so it cannot jump over a basin it
// should fall into), bounded by a number of function evaluations, never by
// time.
const (
	// DescentEvals bounds the function evaluations of one descent. A
	// descent from a point near a minimum of a smooth landscape ends in a
	// few dozen; one that has not ended after this many is on a plateau or
	// heading off, and its point gets NoBasin.
	DescentEvals = 2000
	// descentMoveMax caps a descent step when fewer than two critical
	// points are known to set the cap: the landscapes are drawn at a human
	// scale of a few units.
	descentMoveMax = 1.0
	// armijo is the sufficient-decrease constant of the line search.
	armijo = 1e-4
	// stallRel is the step length, relative to the point's size, below
	// which the line search gives up: the descent has reached the limit of
	// float64 precision and ends where it is.
	stallRel = 1e-14
)

// basinFinder names the basins of a landscape's points: the index in crit
// of the known critical point a descent ends at (within ReachTol), or,
// for a descent that ends at a point not in crit, len(crit)+k for the k-th
// such end found. Ends within ReachTol of an earlier end share its basin.
//
// Functions such as Rastrigin list hundreds of critical points, and every
// descent step asks which are near, so the finder keeps their indices
// sorted by x and looks only at the slice within reach in x.
//
// The function is not a field but an argument of of and descend: calling
// through an interface held in the finder would make the whole finder,
// scratch memory included, escape to the heap.
type basinFinder struct {
	crit    []landscape.CriticalPoint
	byX     []int32 // indices into crit, by ascending At.X
	maxMove float64
	// found points to the ends not in crit, in order of discovery; it is
	// a pointer so that growing it does not make the finder escape.
	found *[]landscape.Vec
}

// newBasinFinder prepares the finder; small is scratch for byX, so a
// landscape with few critical points costs no allocation, and found
// receives the ends not in crit.
func newBasinFinder(crit []landscape.CriticalPoint, small []int32, found *[]landscape.Vec) basinFinder {
	b := basinFinder{crit: crit, byX: small[:0], maxMove: descentMoveMax, found: found}
	for i := range crit {
		b.byX = append(b.byX, int32(i))
	}
	slices.SortFunc(b.byX, func(i, j int32) int {
		if c := cmp.Compare(crit[i].At.X, crit[j].At.X); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	for k, i := range b.byX {
		for _, j := range b.byX[k+1:] {
			if crit[j].At.X-crit[i].At.X >= 4*b.maxMove {
				break // and so are all later ones
			}
			if d := math.Hypot(crit[i].At.X-crit[j].At.X, crit[i].At.Y-crit[j].At.Y); d > 0 {
				b.maxMove = min(b.maxMove, d/4)
			}
		}
	}
	return b
}

// near returns the indices of the critical points whose x is within r of
// x (a superset of those within distance r).
func (b *basinFinder) near(x, r float64) []int32 {
	lo, _ := slices.BinarySearchFunc(b.byX, x-r, func(i int32, t float64) int { return cmp.Compare(b.crit[i].At.X, t) })
	hi := lo
	for hi < len(b.byX) && b.crit[b.byX[hi]].At.X <= x+r {
		hi++
	}
	return b.byX[lo:hi]
}

// nearest is nearestCritical(b.crit, p, ReachTol) through the index: the
// nearest within ReachTol, the later in crit winning ties, or -1.
func (b *basinFinder) nearest(p landscape.Vec) int {
	best, bestD := -1, float64(ReachTol)
	for _, i := range b.near(p.X, ReachTol) {
		d := math.Hypot(p.X-b.crit[i].At.X, p.Y-b.crit[i].At.Y)
		if d < bestD || d == bestD && int(i) > best {
			best, bestD = int(i), d
		}
	}
	return best
}

// of returns the basin of p on f.
func (b *basinFinder) of(f landscape.Function, p landscape.Vec) int {
	end, ok := b.descend(f, p)
	if !ok {
		return NoBasin
	}
	if i := b.nearest(end); i >= 0 {
		return i
	}
	for k, e := range *b.found {
		if math.Hypot(end.X-e.X, end.Y-e.Y) <= ReachTol {
			return len(b.crit) + k
		}
	}
	*b.found = append(*b.found, end)
	return len(b.crit) + len(*b.found) - 1
}

// basinPoint returns the critical point of basin id: the element of crit,
// or found[id-len(crit)] classified by its Hessian. It is a function of
// its own, not a finder method, so that handing out a pointer into crit
// does not make the finder's scratch memory escape to the heap.
func basinPoint(f landscape.Function, crit []landscape.CriticalPoint, found []landscape.Vec, id int) *landscape.CriticalPoint {
	if id < len(crit) {
		return &crit[id]
	}
	end := found[id-len(crit)]
	return classify(f, crit, end, f.Value(end))
}

// descend runs the noise-free descent from p and returns where it ended;
// ok is false when it diverged or ran out of evaluations. It ends early
// within ReachTol of a known minimum, since it would go on into it.
func (b *basinFinder) descend(f landscape.Function, p landscape.Vec) (end landscape.Vec, ok bool) {
	x := p
	fx, g := f.ValueGrad(x)
	if !x.IsFinite() || !finite(fx) {
		return x, false
	}
	// Inverse Hessian estimate [[h11 h12] [h12 h22]], reset to the
	// identity whenever it stops giving a descent direction.
	h11, h12, h22 := 1.0, 0.0, 1.0
	for evals := 1; evals < DescentEvals; {
		if math.Hypot(g.X, g.Y) <= GradTol || b.nearMinimum(x) {
			return x, true
		}
		dx, dy := -(float64(h11*g.X) + float64(h12*g.Y)), -(float64(h12*g.X) + float64(h22*g.Y))
		slope := float64(dx*g.X) + float64(dy*g.Y)
		if !(slope < 0) {
			h11, h12, h22 = 1, 0, 1
			dx, dy, slope = -g.X, -g.Y, -(float64(g.X*g.X) + float64(g.Y*g.Y))
		}
		t := 1.0
		if l := math.Hypot(dx, dy); l > b.maxMove {
			t = b.maxMove / l
		}
		var xn landscape.Vec
		var fn float64
		var gn landscape.Vec
		for {
			xn = landscape.Vec{X: x.X + float64(t*dx), Y: x.Y + float64(t*dy)}
			fn, gn = f.ValueGrad(xn)
			evals++
			if finite(fn) && xn.IsFinite() && fn <= fx+float64(armijo*t*slope) {
				break
			}
			t /= 2
			if t*math.Hypot(dx, dy) <= stallRel*max(1, math.Abs(x.X), math.Abs(x.Y)) || evals >= DescentEvals {
				// No decrease left to find at this precision: x is
				// where the descent ends.
				return x, evals < DescentEvals
			}
		}
		if math.Abs(xn.X)+math.Abs(xn.Y) > DivergenceBound {
			return xn, false
		}
		// BFGS update of the inverse Hessian with s = xn - x, y = gn - g.
		sx, sy := xn.X-x.X, xn.Y-x.Y
		yx, yy := gn.X-g.X, gn.Y-g.Y
		if sy1 := float64(sx*yx) + float64(sy*yy); sy1 > 0 {
			rho := 1 / sy1
			hyx, hyy := float64(h11*yx)+float64(h12*yy), float64(h12*yx)+float64(h22*yy) // H y
			yhy := float64(yx*hyx) + float64(yy*hyy)
			c := (1 + float64(rho*yhy)) * rho
			h11 += float64(c*sx*sx) - float64(rho*2*hyx*sx)
			h12 += float64(c*sx*sy) - float64(rho*(float64(hyx*sy)+float64(hyy*sx)))
			h22 += float64(c*sy*sy) - float64(rho*2*hyy*sy)
		}
		x, fx, g = xn, fn, gn
	}
	return x, false
}

// nearMinimum reports whether x is within ReachTol of a known minimum.
func (b *basinFinder) nearMinimum(x landscape.Vec) bool {
	for _, i := range b.near(x.X, ReachTol) {
		c := &b.crit[i]
		if c.Kind == landscape.Minimum && math.Hypot(x.X-c.At.X, x.Y-c.At.Y) <= ReachTol {
			return true
		}
	}
	return false
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
