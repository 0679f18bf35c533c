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
	nodes int // closures built; tests read it to check folding and fusion
	expr  *Expr
}

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
	f := &Func{expr: e, eval: c.build(fold(e.root))}
	f.nodes = c.nodes
	return f, nil
}

// String gives the canonical form of the source expression.
func (f *Func) String() string { return f.expr.String() }

// Value returns f(p). It runs the same closures as ValueGrad, so the two
// agree bit for bit.
func (f *Func) Value(p landscape.Vec) float64 {
	return f.eval(p.X, p.Y).v
}

// ValueGrad returns f(p) and its exact gradient.
func (f *Func) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	a := f.eval(p.X, p.Y)
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
// closure computes as float64(k*v) + c. The forms it stands for (v + c,
// c - v, k*v, k*v - c, ...) perform the same rounded operations: c - v is
// -v + c, and v - c is v + (-c), which IEEE arithmetic rounds identically.
type linear struct {
	isY  bool
	k, c float64
	dz   float64 // the other variable's derivative, 0*k as the tree gives it
	sum  bool    // false for a bare k*v, whose value is not k*v + 0 when k*v is -0
}

// scaled matches v, k*v and v*k.
func scaled(n *node) (linear, bool) {
	if isVar(n) {
		return linear{isY: n.op == opY, k: 1}, true
	}
	if n.op != opMul {
		return linear{}, false
	}
	switch {
	case isVar(n.a) && n.b.op == opNum:
		return linear{isY: n.a.op == opY, k: n.b.val, dz: 0 * n.b.val}, true
	case isVar(n.b) && n.a.op == opNum:
		return linear{isY: n.b.op == opY, k: n.a.val, dz: 0 * n.a.val}, true
	}
	return linear{}, false
}

// linearOf matches the linear forms; a bare variable is not one (it has a
// cheaper closure of its own).
func linearOf(n *node) (linear, bool) {
	if isVar(n) {
		return linear{}, false
	}
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
			l.k = -l.k
		}
	default:
		return linear{}, false
	}
	l.sum = true
	return l, true
}
