package expr

import "github.com/basin-dev/basin/internal/landscape"

// Value returns f(p). It runs the same instructions as ValueGrad, so the two
// agree bit for bit.
func (f *Func) Value(p landscape.Vec) float64 {
	v, _ := f.ValueGrad(p)
	return v
}

// ValueGrad returns f(p) and its exact gradient.
func (f *Func) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	var a dual
	if f.stack <= smallStack {
		a = run[[smallStack]dual](f.prog, p.X, p.Y)
	} else {
		a = run[[largeStack]dual](f.prog, p.X, p.Y)
	}
	return a.v, landscape.Vec{X: a.dx, Y: a.dy}
}

// stack is the evaluator's scratch: a fixed-size array on the goroutine
// stack, sized at compile time so a small expression zeroes only a few slots.
type stack interface {
	[smallStack]dual | [largeStack]dual
}

// run executes prog at (x, y). The stack depth was checked by Compile.
func run[S stack](prog []instr, x, y float64) dual {
	var st S
	sp := 0
	var a dual
	for i := range prog {
		in := &prog[i]
		switch in.code {
		case iLoadX:
			if in.push {
				st[sp] = a
				sp++
			}
			a = dual{x, 1, 0}
		case iLoadY:
			if in.push {
				st[sp] = a
				sp++
			}
			a = dual{y, 0, 1}
		case iLoadC:
			if in.push {
				st[sp] = a
				sp++
			}
			a = dual{in.k, 0, 0}
		case iLinX:
			if in.push {
				st[sp] = a
				sp++
			}
			a = dual{float64(in.k*x) + in.c, in.k, 0}
		case iLinY:
			if in.push {
				st[sp] = a
				sp++
			}
			a = dual{float64(in.k*y) + in.c, 0, in.k}
		case iAxpyP:
			sp--
			b := st[sp]
			a = dual{b.v + float64(in.k*a.v), b.dx + float64(in.k*a.dx), b.dy + float64(in.k*a.dy)}
		case iPush:
			st[sp] = a
			sp++
		case iNeg:
			a = dNeg(a)
		case iSq:
			a = dSq(a)
		case iCube:
			a = dCube(a)
		case iPowC:
			a = dPowC(a, in.k)
		case iSin:
			a = dSin(a)
		case iCos:
			a = dCos(a)
		case iTan:
			a = dTan(a)
		case iAsin:
			a = dAsin(a)
		case iAcos:
			a = dAcos(a)
		case iAtan:
			a = dAtan(a)
		case iSinh:
			a = dSinh(a)
		case iCosh:
			a = dCosh(a)
		case iTanh:
			a = dTanh(a)
		case iExp:
			a = dExp(a)
		case iLog:
			a = dLog(a)
		case iLog10:
			a = dLog10(a)
		case iSqrt:
			a = dSqrt(a)
		case iAbs:
			a = dAbs(a)
		case iSigmoid:
			a = dSigmoid(a)

		case iAddX:
			a.v += x
			a.dx++
		case iAddY:
			a.v += y
			a.dy++
		case iAddC:
			a.v += in.k
		case iAddP:
			sp--
			a = dAdd(st[sp], a)

		case iSubX:
			a.v -= x
			a.dx--
		case iSubY:
			a.v -= y
			a.dy--
		case iSubC:
			a.v -= in.k
		case iSubP:
			sp--
			a = dSub(a, st[sp])

		case iRsubX:
			a = dual{x - a.v, 1 - a.dx, -a.dy}
		case iRsubY:
			a = dual{y - a.v, -a.dx, 1 - a.dy}
		case iRsubC:
			a = dual{in.k - a.v, -a.dx, -a.dy}
		case iRsubP:
			sp--
			a = dSub(st[sp], a)

		case iMulX:
			a = dMul(a, dual{x, 1, 0})
		case iMulY:
			a = dMul(a, dual{y, 0, 1})
		case iMulC:
			a = dual{a.v * in.k, a.dx * in.k, a.dy * in.k}
		case iMulP:
			sp--
			a = dMul(st[sp], a)

		case iDivX:
			a = dDiv(a, dual{x, 1, 0})
		case iDivY:
			a = dDiv(a, dual{y, 0, 1})
		case iDivC:
			a = dual{a.v / in.k, a.dx / in.k, a.dy / in.k}
		case iDivP:
			sp--
			a = dDiv(a, st[sp])

		case iRdivX:
			a = dDiv(dual{x, 1, 0}, a)
		case iRdivY:
			a = dDiv(dual{y, 0, 1}, a)
		case iRdivC:
			a = dDiv(dual{in.k, 0, 0}, a)
		case iRdivP:
			sp--
			a = dDiv(st[sp], a)

		case iBin:
			var b dual
			switch in.mode {
			case modeX:
				b = dual{x, 1, 0}
			case modeY:
				b = dual{y, 0, 1}
			case modeC:
				b = dual{in.k, 0, 0}
			default:
				sp--
				b = st[sp]
			}
			if in.rev {
				a = apply(in.fn, b, a)
			} else {
				a = apply(in.fn, a, b)
			}
		}
		if in.sq {
			a = dSq(a)
		}
	}
	return a
}
