package expr

// evalFn evaluates one compiled sub-tree at (x, y). Arguments and the dual
// result travel in registers, so a call costs about as much as one
// instruction dispatch of a stack machine, without a stack in memory.
type evalFn func(x, y float64) dual

// compiler turns a folded tree into closures. Each node becomes one closure
// specialised to its shape: terms (a variable, a linear form k*v + c, or its
// square) and constants are computed inline by their parent rather than
// called, and the shapes test functions are made of are fused into one
// closure: a constant times a square (power), the square of two terms
// combined (pairSquare, pair.go), an operation with a constant (withConst)
// or a term (withTerm). Calls, not arithmetic, are most of the cost of a
// short expression, and a branch on a flag costs almost as much as the
// arithmetic it chooses, so the fused closures come in one variant per
// shape rather than one closure that tests flags. Every closure performs
// the same rounded operations, in the same order, as the tree walk it
// replaces (TestValueMatchesTree and FuzzParse check this bit for bit).
//
// Evaluation recurses through the closures, so its depth is the tree's
// depth, which MaxNodes bounds; compiling recurses the same way.
type compiler struct {
	nodes int
}

// term is a leaf a closure computes inline instead of calling: a linear
// form k*v + c (a bare variable included) or its square.
type term struct {
	linear
	sq bool
}

// at is the term's dual number at (x, y). It is small enough to be inlined
// into the closures that use it.
func (t *term) at(x, y float64) dual {
	v := x
	if t.isY {
		v = y
	}
	a := dual{float64(t.k*v) + t.c, t.dx, t.dy}
	if t.sq {
		a = dSqTerm(a)
	}
	return a
}

// lin is the dual number of a linear form at (x, y).
func (l *linear) lin(x, y float64) dual {
	v := x
	if l.isY {
		v = y
	}
	return dual{float64(l.k*v) + l.c, l.dx, l.dy}
}

// termOf matches the terms.
func termOf(n *node) (term, bool) {
	if l, ok := linearOf(n); ok {
		return term{linear: l}, true
	}
	if constExp(n) && n.b.val == 2 {
		if l, ok := linearOf(n.a); ok {
			return term{linear: l, sq: true}, true
		}
	}
	return term{}, false
}

// build compiles n and counts the closure in c.nodes.
func (c *compiler) build(n *node) evalFn {
	c.nodes++
	switch n.op {
	case opNum:
		k := n.val
		return func(x, y float64) dual { return dual{k, 0, 0} }
	}
	if t, ok := termOf(n); ok {
		return termFn(t)
	}
	if ps, ok := pairSquareOf(n); ok {
		return ps.fn()
	}
	switch {
	case n.op == opNeg:
		a := c.build(n.a)
		return func(x, y float64) dual { return dNeg(a(x, y)) }
	case n.b == nil:
		return unaryFn(n.op, c.build(n.a))
	case constExp(n):
		return c.power(n.a, n.b.val, 1, false)
	}
	switch {
	case n.op == opMul && n.a.op == opNum && n.b.op == opPow && constExp(n.b) && n.b.b.val == 2:
		return c.power(n.b.a, 2, n.a.val, true)
	case n.op == opMul && n.b.op == opNum && n.a.op == opPow && constExp(n.a) && n.a.b.val == 2:
		return c.power(n.a.a, 2, n.b.val, true)
	case n.b.op == opNum:
		return c.withConst(n.op, c.build(n.a), n.b.val, false)
	case n.a.op == opNum:
		return c.withConst(n.op, c.build(n.b), n.a.val, true)
	}
	ta, aok := termOf(n.a)
	tb, bok := termOf(n.b)
	switch {
	case aok && bok:
		return termsFn(n.op, ta, tb)
	case bok:
		return c.withTerm(n.op, c.build(n.a), tb, false)
	case aok:
		return c.withTerm(n.op, c.build(n.b), ta, true)
	}
	return binaryFn(n.op, c.build(n.a), c.build(n.b))
}

// termFn computes a term on its own, with the common ones as separate
// closures so they do no branching.
func termFn(t term) evalFn {
	k, c, dx, dy := t.k, t.c, t.dx, t.dy
	switch {
	case t.sq:
		return func(x, y float64) dual { return t.at(x, y) }
	case t.isY:
		return func(x, y float64) dual { return dual{float64(k*y) + c, dx, dy} }
	}
	return func(x, y float64) dual { return dual{float64(k*x) + c, dx, dy} }
}

// power compiles base^p for a constant p, times a constant s when scaled is
// set (only for p = 2: s*base^2 is common enough to fuse). The square of a
// sum or difference of a sub-tree with a term or a constant, such as
// (y - sin(x))^2 and (g - c)^2, is one closure with its square and scale;
// pairSquare has taken the squares of two terms before power is called.
func (c *compiler) power(base *node, p, s float64, scaled bool) evalFn {
	if p != 2 {
		a := c.build(base)
		if p == 3 {
			return func(x, y float64) dual { return dCube(a(x, y)) }
		}
		return func(x, y float64) dual { return dPowC(a(x, y), p) }
	}
	if t, ok := termOf(base); ok {
		return func(x, y float64) dual { return scaleIf(dSqTerm(t.at(x, y)), s, scaled) }
	}
	if base.op != opAdd && base.op != opSub {
		a := c.build(base)
		return func(x, y float64) dual { return scaleIf(dSq(a(x, y)), s, scaled) }
	}
	sub := base.op == opSub
	ta, aok := termOf(base.a)
	tb, bok := termOf(base.b)
	switch {
	case base.b.op == opNum:
		g, k := c.build(base.a), base.b.val
		if sub {
			k = -k // g - k is g + (-k) exactly
		}
		return func(x, y float64) dual {
			a := g(x, y)
			return scaleIf(dSq(dual{a.v + k, a.dx, a.dy}), s, scaled)
		}
	case base.a.op == opNum && sub:
		g, k := c.build(base.b), base.a.val
		return func(x, y float64) dual {
			b := g(x, y)
			return scaleIf(dSq(dual{k - b.v, -b.dx, -b.dy}), s, scaled)
		}
	case base.a.op == opNum:
		g, k := c.build(base.b), base.a.val
		return func(x, y float64) dual {
			b := g(x, y)
			return scaleIf(dSq(dual{k + b.v, b.dx, b.dy}), s, scaled)
		}
	case aok && sub:
		g := c.build(base.b)
		return func(x, y float64) dual { b := g(x, y); return scaleIf(dSq(dSub(ta.at(x, y), b)), s, scaled) }
	case aok:
		g := c.build(base.b)
		return func(x, y float64) dual { b := g(x, y); return scaleIf(dSq(dAdd(ta.at(x, y), b)), s, scaled) }
	case bok && sub:
		g := c.build(base.a)
		return func(x, y float64) dual { a := g(x, y); return scaleIf(dSq(dSub(a, tb.at(x, y))), s, scaled) }
	case bok:
		g := c.build(base.a)
		return func(x, y float64) dual { a := g(x, y); return scaleIf(dSq(dAdd(a, tb.at(x, y))), s, scaled) }
	}
	a := c.build(base)
	return func(x, y float64) dual { return scaleIf(dSq(a(x, y)), s, scaled) }
}

// scaleBy is s*a with the derivatives scaled as the tree walk scales a
// product by a constant.
func scaleBy(a dual, s float64) dual {
	return dual{float64(a.v * s), float64(a.dx * s), float64(a.dy * s)}
}

// scaleIf is s*a when scaled is set, with the derivatives scaled as the
// tree walk scales a product by a constant.
func scaleIf(a dual, s float64, scaled bool) dual {
	if scaled {
		return scaleBy(a, s)
	}
	return a
}

// withConst compiles a op k (or k op a when rev is set) for a constant k.
// Products and quotients by a constant scale the derivatives without the
// product rule's terms, as the tree walk does.
func (c *compiler) withConst(o op, a evalFn, k float64, rev bool) evalFn {
	switch o {
	case opAdd:
		if rev {
			return func(x, y float64) dual {
				b := a(x, y)
				return dual{k + b.v, b.dx, b.dy}
			}
		}
		return func(x, y float64) dual {
			b := a(x, y)
			return dual{b.v + k, b.dx, b.dy}
		}
	case opSub:
		if rev {
			return func(x, y float64) dual {
				b := a(x, y)
				return dual{k - b.v, -b.dx, -b.dy}
			}
		}
		return func(x, y float64) dual {
			b := a(x, y)
			return dual{b.v - k, b.dx, b.dy}
		}
	case opMul:
		return func(x, y float64) dual {
			b := a(x, y)
			return scaleBy(b, k)
		}
	case opDiv:
		if rev {
			return func(x, y float64) dual { return dDiv(dual{k, 0, 0}, a(x, y)) }
		}
		return func(x, y float64) dual {
			b := a(x, y)
			return dual{b.v / k, b.dx / k, b.dy / k}
		}
	}
	kf := func(x, y float64) dual { return dual{k, 0, 0} }
	if rev {
		return binaryFn(o, kf, a)
	}
	return binaryFn(o, a, kf)
}

// withTerm compiles a op t (t op a when rev is set) for a term t.
func (c *compiler) withTerm(o op, a evalFn, t term, rev bool) evalFn {
	switch {
	case o == opAdd && rev:
		return func(x, y float64) dual { b := a(x, y); return dAdd(t.at(x, y), b) }
	case o == opAdd:
		return func(x, y float64) dual { b := a(x, y); return dAdd(b, t.at(x, y)) }
	case o == opSub && rev:
		return func(x, y float64) dual { b := a(x, y); return dSub(t.at(x, y), b) }
	case o == opSub:
		return func(x, y float64) dual { b := a(x, y); return dSub(b, t.at(x, y)) }
	case o == opMul && rev:
		return func(x, y float64) dual { b := a(x, y); return dMul(t.at(x, y), b) }
	case o == opMul:
		return func(x, y float64) dual { b := a(x, y); return dMul(b, t.at(x, y)) }
	}
	v := termFn(t)
	if rev {
		return binaryFn(o, v, a)
	}
	return binaryFn(o, a, v)
}

// termsFn compiles a op b for two terms, x*y or x^2 + y^2, with no call.
func termsFn(o op, a, b term) evalFn {
	switch o {
	case opAdd:
		return func(x, y float64) dual { return dAdd(a.at(x, y), b.at(x, y)) }
	case opSub:
		return func(x, y float64) dual { return dSub(a.at(x, y), b.at(x, y)) }
	case opMul:
		return func(x, y float64) dual { return dMul(a.at(x, y), b.at(x, y)) }
	}
	return binaryFn(o, termFn(a), termFn(b))
}

// binaryFn compiles a two-argument operation on two sub-trees.
func binaryFn(o op, a, b evalFn) evalFn {
	switch o {
	case opAdd:
		return func(x, y float64) dual { return dAdd(a(x, y), b(x, y)) }
	case opSub:
		return func(x, y float64) dual { return dSub(a(x, y), b(x, y)) }
	case opMul:
		return func(x, y float64) dual { return dMul(a(x, y), b(x, y)) }
	case opDiv:
		return func(x, y float64) dual { return dDiv(a(x, y), b(x, y)) }
	case opPow:
		return func(x, y float64) dual { return dPow(a(x, y), b(x, y)) }
	case opAtan2:
		return func(x, y float64) dual { return dAtan2(a(x, y), b(x, y)) }
	case opMin:
		return func(x, y float64) dual { return dMin(a(x, y), b(x, y)) }
	case opMax:
		return func(x, y float64) dual { return dMax(a(x, y), b(x, y)) }
	}
	panic("expr: binaryFn of unknown op " + opName(o))
}

// unaryFn compiles a one-argument function of a sub-tree.
func unaryFn(o op, a evalFn) evalFn {
	switch o {
	case opSin:
		return func(x, y float64) dual { return dSin(a(x, y)) }
	case opCos:
		return func(x, y float64) dual { return dCos(a(x, y)) }
	case opTan:
		return func(x, y float64) dual { return dTan(a(x, y)) }
	case opAsin:
		return func(x, y float64) dual { return dAsin(a(x, y)) }
	case opAcos:
		return func(x, y float64) dual { return dAcos(a(x, y)) }
	case opAtan:
		return func(x, y float64) dual { return dAtan(a(x, y)) }
	case opSinh:
		return func(x, y float64) dual { return dSinh(a(x, y)) }
	case opCosh:
		return func(x, y float64) dual { return dCosh(a(x, y)) }
	case opTanh:
		return func(x, y float64) dual { return dTanh(a(x, y)) }
	case opExp:
		return func(x, y float64) dual { return dExp(a(x, y)) }
	case opLog:
		return func(x, y float64) dual { return dLog(a(x, y)) }
	case opLog10:
		return func(x, y float64) dual { return dLog10(a(x, y)) }
	case opSqrt:
		return func(x, y float64) dual { return dSqrt(a(x, y)) }
	case opAbs:
		return func(x, y float64) dual { return dAbs(a(x, y)) }
	case opSigmoid:
		return func(x, y float64) dual { return dSigmoid(a(x, y)) }
	}
	panic("expr: unaryFn of unknown op " + opName(o))
}
