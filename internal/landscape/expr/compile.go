package expr

import (
	"math"

	"github.com/basin-dev/basin/internal/landscape"
)

// Func is a compiled expression. It implements landscape.Function: Value
// and ValueGrad allocate nothing and share no mutable state (the compiled
// closures capture only constants and their children), so one Func is safe
// for concurrent use.
type Func struct {
	eval  evalFn
	eval2 evalFn // the root's right operand, for outerPlus and outerMinus
	outer outer  // the root's own operation when it is done in ValueGrad
	t     linear // the root's term operand, for outer (squared per outer)
	nodes int    // closures built; tests read it to check folding and fusion
	cost  float64
	expr  *Expr
}

// outer says how ValueGrad combines eval's result with the term t. A root
// that adds or subtracts a term (Rosenbrock's (1-x)^2 + ...) is done in
// ValueGrad itself, which saves the one closure call that is most of the
// cost of a short expression.
type outer uint8

const (
	outerNone outer = iota
	outerAdd        // eval + t
	outerRadd       // t + eval
	outerSub        // eval - t
	outerRsub       // t - eval
	// the same with t squared: a case each, so that none branches on it
	outerAddSq
	outerRaddSq
	outerSubSq
	outerRsubSq
	// eval ± eval2: a root sum of two sub-trees costs two calls, not three
	outerPlus
	outerMinus
)

var _ landscape.Function = (*Func)(nil)

// Compile parses and compiles src in one step.
func Compile(src string) (*Func, error) {
	e, err := parse(src)
	if err != nil {
		return nil, err
	}
	return e.Compile()
}

// Compile folds constant sub-expressions and builds the evaluator: one
// closure per remaining node, specialised to the node's shape (see
// closures.go). It cannot fail on a parsed expression; the error is kept in
// the signature so a future limit can be reported without an API change.
func (e *Expr) Compile() (*Func, error) {
	var c compiler
	root := fold(e.root)
	f := &Func{expr: e, cost: CostBase + treeCost(root)}
	if sub := root.op == opSub; root.op == opAdd || sub {
		ta, aok := termOf(root.a)
		tb, bok := termOf(root.b)
		switch {
		case aok && bok:
		case aok && root.b.op != opNum:
			f.outer, f.t, root = outerRadd, ta.linear, root.b
			if sub {
				f.outer = outerRsub
			}
			if ta.sq {
				f.outer += outerAddSq - outerAdd
			}
		case bok && root.a.op != opNum:
			f.outer, f.t, root = outerAdd, tb.linear, root.a
			if sub {
				f.outer = outerSub
			}
			if tb.sq {
				f.outer += outerAddSq - outerAdd
			}
		case root.a.op != opNum && root.b.op != opNum:
			f.outer, f.eval2, root = outerPlus, c.build(root.b), root.a
			if sub {
				f.outer = outerMinus
			}
		}
	}
	f.eval = c.build(root)
	f.nodes = c.nodes
	f.cost += CostCall * float64(c.nodes)
	return f, nil
}

// String gives the canonical form of the source expression.
func (f *Func) String() string { return f.expr.String() }

// Value returns f(p). It runs the same closures as ValueGrad, so the two
// agree bit for bit.
func (f *Func) Value(p landscape.Vec) float64 {
	v, _ := f.ValueGrad(p)
	return v
}

// ValueGrad returns f(p) and its exact gradient. Its body is written out
// rather than shared with a helper, which the compiler would not inline:
// a level of calls is a third of the cost of a short expression.
func (f *Func) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	a := f.eval(p.X, p.Y)
	switch f.outer {
	case outerAdd:
		a = dAdd(a, f.t.lin(p.X, p.Y))
	case outerRadd:
		a = dAdd(f.t.lin(p.X, p.Y), a)
	case outerSub:
		a = dSub(a, f.t.lin(p.X, p.Y))
	case outerRsub:
		a = dSub(f.t.lin(p.X, p.Y), a)
	case outerAddSq:
		a = dAdd(a, dSqTerm(f.t.lin(p.X, p.Y)))
	case outerRaddSq:
		a = dAdd(dSqTerm(f.t.lin(p.X, p.Y)), a)
	case outerSubSq:
		a = dSub(a, dSqTerm(f.t.lin(p.X, p.Y)))
	case outerRsubSq:
		a = dSub(dSqTerm(f.t.lin(p.X, p.Y)), a)
	default:
		// outerNone, outerPlus and outerMinus: kept out of the jump table,
		// which measured 2% slower on Rosenbrock with them in it
		if f.outer == outerPlus {
			a = dAdd(a, f.eval2(p.X, p.Y))
		} else if f.outer == outerMinus {
			a = dSub(a, f.eval2(p.X, p.Y))
		}
	}
	return a.v, landscape.Vec{X: a.dx, Y: a.dy}
}

// fold returns a copy of n with every sub-tree that does not depend on x or
// y replaced by its value, computed with the same arithmetic as at run time.
// It does no algebra (0*x stays, as it is NaN when x is), so folding never
// changes a result.
func fold(n *node) *node {
	switch n.op {
	case opPi:
		return &node{op: opNum, val: math.Pi, pos: n.pos}
	case opE:
		return &node{op: opNum, val: math.E, pos: n.pos}
	}
	if n.isLeaf() {
		return n
	}
	c := *n
	c.a = fold(n.a)
	if n.b != nil {
		c.b = fold(n.b)
	}
	if c.a.op == opNum && (c.b == nil || c.b.op == opNum) {
		var b dual
		if c.b != nil {
			b = dual{v: c.b.val}
		}
		return &node{op: opNum, val: apply(c.op, dual{v: c.a.val}, b).v, pos: n.pos}
	}
	return &c
}

// isVar reports whether n is x or y.
func isVar(n *node) bool { return n.op == opX || n.op == opY }

// constExp reports whether n is a power with a constant exponent (after
// folding), compiled as a one-argument power.
func constExp(n *node) bool { return n.op == opPow && n.b.op == opNum }

// linear is a sub-tree of the form k*v + c for a variable v, which one
// closure computes as float64(k*v) + c. The forms it stands for (v, v + c,
// c - v, k*v, k*v - c, ...) perform the same rounded operations: c - v is
// -v + c, v - c is v + (-c) and v is 1*v, which IEEE arithmetic gives
// exactly; a form without a constant gets c = -0, as w + (-0) is w for
// every w, -0 included.
type linear struct {
	isY    bool
	k, c   float64
	dx, dy float64 // the derivatives: k for v, 0*k (as the tree gives it) for the other
}

// negZero is the additive identity that keeps -0.
var negZero = math.Copysign(0, -1)

// scaled matches v, k*v and v*k.
func scaled(n *node) (linear, bool) {
	k := 1.0
	v := n
	switch {
	case isVar(n):
	case n.op != opMul:
		return linear{}, false
	case isVar(n.a) && n.b.op == opNum:
		v, k = n.a, n.b.val
	case isVar(n.b) && n.a.op == opNum:
		v, k = n.b, n.a.val
	default:
		return linear{}, false
	}
	l := linear{isY: v.op == opY, k: k, c: negZero, dx: k, dy: 0 * k}
	if l.isY {
		l.dx, l.dy = l.dy, l.dx
	}
	return l, true
}

// linearOf matches the linear forms, the bare variable included.
func linearOf(n *node) (linear, bool) {
	if l, ok := scaled(n); ok {
		return l, true
	}
	if n.op != opAdd && n.op != opSub {
		return linear{}, false
	}
	var l linear
	var ok bool
	switch {
	case n.b.op == opNum:
		if l, ok = scaled(n.a); !ok {
			return linear{}, false
		}
		l.c = n.b.val
		if n.op == opSub {
			l.c = -l.c
		}
	case n.a.op == opNum:
		if l, ok = scaled(n.b); !ok {
			return linear{}, false
		}
		l.c = n.a.val
		if n.op == opSub {
			l.k, l.dx, l.dy = -l.k, -l.dx, -l.dy
		}
	default:
		return linear{}, false
	}
	return l, true
}
