package expr

// evalFn evaluates one compiled sub-tree at (x, y). Arguments and the dual
// result travel in registers, so a call costs about as much as one
// instruction dispatch of a stack machine, without a stack in memory.
type evalFn func(x, y float64) dual

// compiler turns a folded tree into closures. Each node becomes one closure
// specialised to its shape: leaves (x, y, constants and linear forms k*v + c)
// are computed inline by their parent rather than called, and common pairs
// of nodes (a square of a linear form, a constant times a square, a square
// of a difference) are fused into one closure. Every closure performs the
// same floating-point operations, in the same order, as the tree walk it
// replaces (TestValueMatchesTree checks this bit for bit).
//
// Evaluation recurses through the closures, so its depth is the tree's
// depth, which MaxNodes bounds; compiling recurses the same way.
type compiler struct {
	nodes int
}

// pick is the dual number of x or y.
func pick(isY bool, x, y float64) dual {
	if isY {
		return dual{y, 0, 1}
	}
	return dual{x, 1, 0}
}

// at is the dual number of a linear form at (x, y).
func (l *linear) at(x, y float64) dual {
	v := x
	if l.isY {
		v = y
	}
	if l.sum {
		v = float64(l.k*v) + l.c
	} else {
		v = l.k * v
	}
	if l.isY {
		return dual{v, l.dz, l.k}
	}
	return dual{v, l.k, l.dz}
}

func (c *compiler) build(n *node) evalFn {
	c.nodes++
	switch n.op {
	case opX:
		return func(x, y float64) dual { return dual{x, 1, 0} }
	case opY:
		return func(x, y float64) dual { return dual{y, 0, 1} }
	case opNum:
		k := n.val
		return func(x, y float64) dual { return dual{k, 0, 0} }
	}
	if l, ok := linearOf(n); ok {
		return linearFn(l)
	}
	switch {
	case n.op == opNeg:
		a := c.build(n.a)
		return func(x, y float64) dual { return dNeg(a(x, y)) }
	case n.b == nil:
		return unaryFn(n.op, c.build(n.a))
	case constExp(n):
		return c.power(n.a, n.b.val)
	}
	switch {
	case n.b.op == opNum:
		return c.withConst(n.op, c.build(n.a), n.b.val, false)
	case n.a.op == opNum:
		return c.withConst(n.op, c.build(n.b), n.a.val, true)
	case isVar(n.b) && !isVar(n.a):
		return c.withVar(n.op, c.build(n.a), n.b.op == opY, false)
	case isVar(n.a):
		return c.withVar(n.op, c.build(n.b), n.a.op == opY, true)
	}
	return binaryFn(n.op, c.build(n.a), c.build(n.b))
}

// linearFn computes a linear form, with x and y as separate closures so the
// common case does no branching.
func linearFn(l linear) evalFn {
	k, c, dz := l.k, l.c, l.dz
	switch {
	case !l.sum:
		return func(x, y float64) dual { return l.at(x, y) }
	case l.isY:
		return func(x, y float64) dual { return dual{float64(k*y) + c, dz, k} }
	}
	return func(x, y float64) dual { return dual{float64(k*x) + c, k, dz} }
}

// power compiles a^k for a constant k, fusing the base when it is a
// variable or a linear form: x^2 and (1-x)^2 are one closure each.
func (c *compiler) power(base *node, k float64) evalFn {
	if isVar(base) && k == 2 {
		if base.op == opY {
			return func(x, y float64) dual { return dSq(dual{y, 0, 1}) }
		}
		return func(x, y float64) dual { return dSq(dual{x, 1, 0}) }
	}
	if l, ok := linearOf(base); ok && k == 2 {
		return func(x, y float64) dual { return dSq(l.at(x, y)) }
	}
	if k == 2 {
		return c.square(base)
	}
	a := c.build(base)
	switch k {
	case 3:
		return func(x, y float64) dual { return dCube(a(x, y)) }
	}
	return func(x, y float64) dual { return dPowC(a(x, y), k) }
}

// square compiles b^2 for a sub-tree b that is not a leaf. Sums of squares
// of differences, (v - g)^2 and (g - c)^2, are the staple of test
// functions, so those fuse into one closure with their square.
func (c *compiler) square(b *node) evalFn {
	if b.op == opSub || b.op == opAdd {
		switch {
		case isVar(b.a) && b.b.op != opNum && !isVar(b.b):
			g, isY, sub := c.build(b.b), b.a.op == opY, b.op == opSub
			if sub {
				return func(x, y float64) dual { return dSq(dSub(pick(isY, x, y), g(x, y))) }
			}
			return func(x, y float64) dual { return dSq(dAdd(pick(isY, x, y), g(x, y))) }
		case b.b.op == opNum:
			g, k := c.build(b.a), b.b.val
			if b.op == opSub {
				return func(x, y float64) dual {
					a := g(x, y)
					return dSq(dual{a.v - k, a.dx, a.dy})
				}
			}
			return func(x, y float64) dual {
				a := g(x, y)
				return dSq(dual{a.v + k, a.dx, a.dy})
			}
		}
	}
	a := c.build(b)
	return func(x, y float64) dual { return dSq(a(x, y)) }
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
			return dual{b.v * k, b.dx * k, b.dy * k}
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

// withVar compiles a op v (v op a when rev is set) for a variable v.
func (c *compiler) withVar(o op, a evalFn, isY, rev bool) evalFn {
	switch {
	case o == opAdd && rev:
		return func(x, y float64) dual { return dAdd(pick(isY, x, y), a(x, y)) }
	case o == opAdd:
		return func(x, y float64) dual { return dAdd(a(x, y), pick(isY, x, y)) }
	case o == opSub && rev:
		return func(x, y float64) dual { return dSub(pick(isY, x, y), a(x, y)) }
	case o == opSub:
		return func(x, y float64) dual { return dSub(a(x, y), pick(isY, x, y)) }
	case o == opMul && rev:
		return func(x, y float64) dual { return dMul(pick(isY, x, y), a(x, y)) }
	case o == opMul:
		return func(x, y float64) dual { return dMul(a(x, y), pick(isY, x, y)) }
	}
	v := func(x, y float64) dual { return pick(isY, x, y) }
	if rev {
		return binaryFn(o, v, a)
	}
	return binaryFn(o, a, v)
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
