package expr

import "math"

// dual is a value with its partial derivatives by x and y: forward-mode
// automatic differentiation carries one through every operation.
//
// Every product that feeds a sum is wrapped in float64(), which the Go spec
// defines as rounding, so no target may fuse it into a multiply-add: results
// are the same bits on every platform, as permalinks promise. The helpers
// round every product they return, since once inlined into a closure their
// results feed the caller's sums directly.
type dual struct{ v, dx, dy float64 }

// scale multiplies an incoming derivative d by the local derivative f,
// treating 0·∞ (and 0·NaN) as 0 either way round: see tmul.
func scale(d, f float64) float64 { return tmul(d, f) }

// tmul is the rounded product a·b of two factors of a derivative (a
// tangent and a local derivative, or a value and a tangent), except that an
// exact zero times an infinite or undefined factor is 0, the limit along
// the path, where IEEE arithmetic gives NaN. sqrt(x) at x = 0 has an
// infinite x-derivative but a zero y-derivative, not NaN; where x² + y²
// underflows to 0 while x does not, sqrt(x² + y²) has an infinite tangent,
// and its square, or cos of it (whose derivative factor -sin(0) is 0), has
// the finite gradient 0, not NaN. The test costs one compare on the common
// path: only a NaN product looks at its factors.
func tmul(a, b float64) float64 {
	p := float64(a * b)
	if p != p && (a == 0 || b == 0) {
		return 0
	}
	return p
}

// chain applies a local derivative f to a.
func chain(a dual, v, f float64) dual { return dual{v, scale(a.dx, f), scale(a.dy, f)} }

func dAdd(a, b dual) dual { return dual{a.v + b.v, a.dx + b.dx, a.dy + b.dy} }
func dSub(a, b dual) dual { return dual{a.v - b.v, a.dx - b.dx, a.dy - b.dy} }
func dMul(a, b dual) dual {
	return dual{float64(a.v * b.v), tmul(a.dx, b.v) + tmul(a.v, b.dx), tmul(a.dy, b.v) + tmul(a.v, b.dy)}
}

func dDiv(a, b dual) dual {
	v := a.v / b.v
	// (a/b)' = (a' - v b') / b
	return dual{v, quot(a.dx-scale(b.dx, v), b.v), quot(a.dy-scale(b.dy, v), b.v)}
}

// quot is n/d with an exact-zero numerator giving 0 even when d is 0, so
// 1/x at x = 0 has y-derivative 0, not NaN.
func quot(n, d float64) float64 {
	if n == 0 {
		return 0
	}
	return n / d
}

func dNeg(a dual) dual { return dual{-a.v, -a.dx, -a.dy} }

// dSq is a². Its derivative 2a·a' is computed as a·(a'+a'), which rounds the
// same as (2a)·a' but lets the doubling run before a is known.
func dSq(a dual) dual {
	return dual{float64(a.v * a.v), tmul(a.v, a.dx+a.dx), tmul(a.v, a.dy+a.dy)}
}

// dSqTerm is dSq for a linear term, whose tangent is a finite constant, so
// it needs no 0·∞ rule.
func dSqTerm(a dual) dual {
	return dual{float64(a.v * a.v), float64(a.v * (a.dx + a.dx)), float64(a.v * (a.dy + a.dy))}
}

func dCube(a dual) dual {
	s := a.v * a.v
	return dual{float64(s * a.v), tmul(3*s, a.dx), tmul(3*s, a.dy)}
}

// dPowC is a^k for a constant k: k a^(k-1) a'. A zero exponent gives the
// constant 1 with a zero derivative everywhere.
func dPowC(a dual, k float64) dual {
	v := math.Pow(a.v, k)
	if k == 0 {
		return dual{v, 0, 0}
	}
	return chain(a, v, k*math.Pow(a.v, k-1))
}

// dPow is a^b with both sides varying:
// (a^b)' = b a^(b-1) a' + a^b ln(a) b'.
// Where a^b is 0 the second term is taken as 0 (its limit from a > 0); where
// a < 0 it is NaN, as a^b is undefined around such points.
func dPow(a, b dual) dual {
	v := math.Pow(a.v, b.v)
	fa := 0.0
	if a.dx != 0 || a.dy != 0 {
		fa = b.v * math.Pow(a.v, b.v-1)
	}
	fb := 0.0
	if (b.dx != 0 || b.dy != 0) && v != 0 {
		fb = v * math.Log(a.v)
	}
	return dual{v, scale(a.dx, fa) + scale(b.dx, fb), scale(a.dy, fa) + scale(b.dy, fb)}
}

// dAtan2 is atan2(a, b) with derivative (b a' - a b')/(a² + b²); at a = b = 0,
// where the function jumps, the derivative is taken as 0.
func dAtan2(a, b dual) dual {
	v := math.Atan2(a.v, b.v)
	r := float64(a.v*a.v) + float64(b.v*b.v)
	if r == 0 {
		return dual{v, 0, 0}
	}
	return dual{v, (tmul(b.v, a.dx) - tmul(a.v, b.dx)) / r, (tmul(b.v, a.dy) - tmul(a.v, b.dy)) / r}
}

// dMin picks the smaller argument with its derivative; on a tie the first
// argument wins. NaN in either argument gives NaN.
func dMin(a, b dual) dual {
	if a.v != a.v || b.v != b.v {
		return dual{math.NaN(), math.NaN(), math.NaN()}
	}
	if b.v < a.v {
		return b
	}
	return a
}

// dMax is dMin's mirror: larger argument, first wins ties.
func dMax(a, b dual) dual {
	if a.v != a.v || b.v != b.v {
		return dual{math.NaN(), math.NaN(), math.NaN()}
	}
	if b.v > a.v {
		return b
	}
	return a
}

func dSin(a dual) dual {
	s, c := math.Sincos(a.v)
	return chain(a, s, c)
}

func dCos(a dual) dual {
	s, c := math.Sincos(a.v)
	return chain(a, c, -s)
}

func dTan(a dual) dual {
	t := math.Tan(a.v)
	return chain(a, t, 1+float64(t*t))
}

func dAsin(a dual) dual { return chain(a, math.Asin(a.v), 1/math.Sqrt(1-float64(a.v*a.v))) }
func dAcos(a dual) dual { return chain(a, math.Acos(a.v), -1/math.Sqrt(1-float64(a.v*a.v))) }
func dAtan(a dual) dual { return chain(a, math.Atan(a.v), 1/(1+float64(a.v*a.v))) }
func dSinh(a dual) dual { return chain(a, math.Sinh(a.v), math.Cosh(a.v)) }
func dCosh(a dual) dual { return chain(a, math.Cosh(a.v), math.Sinh(a.v)) }

func dTanh(a dual) dual {
	t := math.Tanh(a.v)
	return chain(a, t, 1-float64(t*t))
}

func dExp(a dual) dual {
	v := math.Exp(a.v)
	return chain(a, v, v)
}

func dLog(a dual) dual   { return chain(a, math.Log(a.v), 1/a.v) }
func dLog10(a dual) dual { return chain(a, math.Log10(a.v), 1/(a.v*math.Ln10)) }

// dSqrt has an infinite derivative at 0 (where the inner derivative is not
// zero), so a run that reaches sqrt(0) stops as diverged.
func dSqrt(a dual) dual {
	v := math.Sqrt(a.v)
	return chain(a, v, 0.5/v)
}

// dAbs uses sign(a) as the derivative, with sign(0) = 0: the subgradient that
// leaves an optimizer standing at the kink.
func dAbs(a dual) dual {
	switch {
	case a.v > 0:
		return a
	case a.v < 0:
		return dNeg(a)
	}
	if a.v != a.v {
		return a
	}
	return dual{0, 0, 0}
}

// dSigmoid is 1/(1+exp(-a)), computed without overflow on either side, with
// derivative s(1-s).
func dSigmoid(a dual) dual {
	var s float64
	if a.v >= 0 {
		s = 1 / (1 + math.Exp(-a.v))
	} else {
		t := math.Exp(a.v)
		s = t / (1 + t)
	}
	return chain(a, s, s*(1-s))
}

// apply evaluates one node's operation on its arguments' duals. Constant
// folding uses it, so folded constants are computed exactly as at run time.
func apply(o op, a, b dual) dual {
	switch o {
	case opNeg:
		return dNeg(a)
	case opAdd:
		return dAdd(a, b)
	case opSub:
		return dSub(a, b)
	case opMul:
		return dMul(a, b)
	case opDiv:
		return dDiv(a, b)
	case opPow:
		return dPow(a, b)
	case opAtan2:
		return dAtan2(a, b)
	case opMin:
		return dMin(a, b)
	case opMax:
		return dMax(a, b)
	}
	return applyUnary(o, a)
}

func applyUnary(o op, a dual) dual {
	switch o {
	case opSin:
		return dSin(a)
	case opCos:
		return dCos(a)
	case opTan:
		return dTan(a)
	case opAsin:
		return dAsin(a)
	case opAcos:
		return dAcos(a)
	case opAtan:
		return dAtan(a)
	case opSinh:
		return dSinh(a)
	case opCosh:
		return dCosh(a)
	case opTanh:
		return dTanh(a)
	case opExp:
		return dExp(a)
	case opLog:
		return dLog(a)
	case opLog10:
		return dLog10(a)
	case opSqrt:
		return dSqrt(a)
	case opAbs:
		return dAbs(a)
	case opSigmoid:
		return dSigmoid(a)
	}
	panic("expr: apply of unknown op " + opName(o))
}
