package expr

// pairSquare is s*((a ± b) + c)^2 for two terms a and b: the residual
// squares that test functions are sums of ((y - x^2)^2 in Rosenbrock,
// (x^2 + y - 11)^2 in Himmelblau). One closure computes it with no call and
// no branch: there is one closure for each combination of squared and plain
// terms, and an absent constant is -0 and an absent scale 1, which change
// no value (w + -0 and w*1 are w exactly).
type pairSquare struct {
	sub    bool
	ta, tb term
	c, s   float64
}

// pairSquareOf matches s*((a ± b) ± c)^2, (a ± b)^2*s and the forms
// without s or c.
func pairSquareOf(n *node) (pairSquare, bool) {
	s := 1.0
	switch {
	case n.op == opMul && n.a.op == opNum:
		s, n = n.a.val, n.b
	case n.op == opMul && n.b.op == opNum:
		s, n = n.b.val, n.a
	}
	if !constExp(n) || n.b.val != 2 {
		return pairSquare{}, false
	}
	in, c := n.a, negZero
	if (in.op == opAdd || in.op == opSub) && in.b.op == opNum {
		c = in.b.val
		if in.op == opSub {
			c = -c // w - c is w + (-c) exactly
		}
		in = in.a
	}
	if in.op != opAdd && in.op != opSub {
		return pairSquare{}, false
	}
	ta, aok := termOf(in.a)
	tb, bok := termOf(in.b)
	if !aok || !bok {
		return pairSquare{}, false
	}
	return pairSquare{sub: in.op == opSub, ta: ta, tb: tb, c: c, s: s}, true
}

// sqOf is s*(w + c)^2, the derivatives scaled as the tree walk scales a
// product by a constant.
func sqOf(w dual, c, s float64) dual {
	w.v += c
	return scaleBy(dSqTerm(w), s)
}

// fn builds the closure.
func (p pairSquare) fn() evalFn {
	a, b, c, s := p.ta.linear, p.tb.linear, p.c, p.s
	switch {
	case p.sub && !p.ta.sq && !p.tb.sq:
		return func(x, y float64) dual { return sqOf(dSub(a.lin(x, y), b.lin(x, y)), c, s) }
	case p.sub && !p.ta.sq:
		return func(x, y float64) dual { return sqOf(dSub(a.lin(x, y), dSqTerm(b.lin(x, y))), c, s) }
	case p.sub && !p.tb.sq:
		return func(x, y float64) dual { return sqOf(dSub(dSqTerm(a.lin(x, y)), b.lin(x, y)), c, s) }
	case p.sub:
		return func(x, y float64) dual { return sqOf(dSub(dSqTerm(a.lin(x, y)), dSqTerm(b.lin(x, y))), c, s) }
	case !p.ta.sq && !p.tb.sq:
		return func(x, y float64) dual { return sqOf(dAdd(a.lin(x, y), b.lin(x, y)), c, s) }
	case !p.ta.sq:
		return func(x, y float64) dual { return sqOf(dAdd(a.lin(x, y), dSqTerm(b.lin(x, y))), c, s) }
	case !p.tb.sq:
		return func(x, y float64) dual { return sqOf(dAdd(dSqTerm(a.lin(x, y)), b.lin(x, y)), c, s) }
	}
	return func(x, y float64) dual { return sqOf(dAdd(dSqTerm(a.lin(x, y)), dSqTerm(b.lin(x, y))), c, s) }
}
