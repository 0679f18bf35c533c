//go:build goexperiment.simd && amd64

package basin

import (
	"context"
	"math"
	"simd/archsimd"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// The SIMD engine is the lock-step engine with eight cells per AVX-512
// instruction (or four per AVX2 instruction: simd_avx2.go, generated from
// this file by gen_avx2.py). It performs exactly the lock-step engine's operations: the
// same roundings, the same explicit fused multiply-adds (MulAdd is one
// VFMADD, as math.FMA is one VFMADD), and separate multiplies and adds
// everywhere else (archsimd never fuses Mul and Add on its own;
// TestNoImplicitFMA checks the kernel's instructions). Every lane is a
// cell; a lane that stops is handled by scalar code and then carries NaN,
// masked out.
//
// The kernel function holds no scalar float64: constants are loaded as
// whole vectors, per-step values are broadcast straight from their tables,
// and its branches test flags decided in the plan. A scalar float64 held or
// compared in the loop compiles to legacy SSE instructions, and mixing
// those with AVX-512 code costs far more than the arithmetic itself on this
// class of CPU (measured: 5 to 9 times slower);
// TestKernelHasNoLegacySSE keeps them out.

//go:generate python3 gen_avx2.py

type f8 = archsimd.Float64x8

// lanes is the number of cells per vector.
const lanes = 8

// SIMDAvailable reports whether the SIMD kernel is compiled in and the CPU
// can run it: the 8-wide kernel needs AVX-512, its 4-wide twin
// (simd_avx2.go) AVX2 and FMA.
func SIMDAvailable() bool {
	return archsimd.X86.AVX512() || archsimd.X86.AVX2() && archsimd.X86.FMA()
}

// narrowKernel makes the engine use the 4-wide kernel even where AVX-512
// is available; the tests set it to check that kernel on this machine.
var narrowKernel = false

func simdAvailable() bool { return SIMDAvailable() }

// clearUpper ends any dirty upper state of the vector registers
// (VZEROUPPER). In GOEXPERIMENT=simd builds the runtime's asynchronous
// preemption saves and restores the vector registers with AVX-512 moves
// (runtime/preempt_amd64.s), which leaves their upper halves dirty at
// unpredictable times; scalar code that mixes legacy SSE instructions with
// VEX ones (math.FMA compiles to VFMADD) then runs 10 to 35 times slower on
// this CPU (measured: optim's Adam run loop goes from 30 to 1,000 ns per
// step; GODEBUG=asyncpreemptoff=1 makes it 30 again). The engines call this
// before their scalar loops; it is cheap next to a row's work.
func clearUpper() {
	if canClearUpper {
		archsimd.ClearAVXUpperBits()
	}
}

// canClearUpper is whether VZEROUPPER exists on this CPU: it is an AVX
// instruction (a CPU without AVX would fault on it), and without AVX the
// runtime never dirties the upper state.
var canClearUpper = archsimd.X86.AVX()

// expMatchesKernel is whether math.Exp takes the path of exp_amd64.s that
// expFMA8 ports: math's useFMA, which is exactly this.
var expMatchesKernel = archsimd.X86.AVX() && archsimd.X86.FMA()

// splat is a float64 broadcast to a whole vector in memory.
type splat [lanes]float64

func splatOf(v float64) splat { return splat{v, v, v, v, v, v, v, v} }

func (s *splat) v() f8 { return load8((*[lanes]float64)(s)) }

// simdConsts are the kernel's constants as whole vectors.
type simdConsts struct {
	beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, wd splat
	momentum, oneMinusDampening                         splat
	bound, gtol2, stol2, one, nan                       splat
	absMask                                             splat // every bit but the sign
	// Function constants.
	c2, cMinus2, c4, c5, c5p25, c1p25, c2p625, c7, c10, c11, c100, c200, c400, cHalf splat
	c0p26, c0p48, c0p52, c1p05, c6, c4p2, c2p1, c3, cMinus4, c8, c8p4, c16, c32      splat
	twoPi, threePi, pi, c4Pi, c6Pi, c20Pi, cMinus0p2, c1p5, c2p5                     splat
	mathConsts
}

type simdEngine struct{ p *plan }

func (e simdEngine) newWorker() rowWorker {
	n := e.p.cfg.N
	w := &simdWorker{p: e.p, kind: e.p.vec.kind, blocks: make([]laneBlock, (n+lanes-1)/lanes),
		wide: archsimd.X86.AVX512() && !narrowKernel}
	w.c = newSimdConsts(e.p)
	return w
}

// newSimdConsts returns the kernel's constants for plan p.
func newSimdConsts(p *plan) simdConsts {
	gtol2, stol2 := tolerances()
	return simdConsts{
		beta1: splatOf(p.beta1), oneMinusBeta1: splatOf(p.oneMinusBeta1),
		beta2: splatOf(p.beta2), oneMinusBeta2: splatOf(p.oneMinusBeta2),
		eps: splatOf(p.eps), wd: splatOf(p.wd),
		momentum: splatOf(p.momentum), oneMinusDampening: splatOf(p.oneMinusDampening),
		bound: splatOf(optim.DivergenceBound), gtol2: splatOf(gtol2), stol2: splatOf(stol2),
		one: splatOf(1), nan: splatOf(nan()),
		absMask: splatOf(math.Float64frombits(1<<63 - 1)),
		c2:      splatOf(2), cMinus2: splatOf(-2), c4: splatOf(4), c5: splatOf(5),
		c5p25: splatOf(5.25), c1p25: splatOf(1.25), c2p625: splatOf(2.625),
		c7: splatOf(7), c10: splatOf(10), c11: splatOf(11), c100: splatOf(100), c200: splatOf(200),
		c400: splatOf(400), cHalf: splatOf(0.5),
		c0p26: splatOf(0.26), c0p48: splatOf(0.48), c0p52: splatOf(0.52), c1p05: splatOf(1.05),
		c6: splatOf(6), c4p2: splatOf(4.2), c2p1: splatOf(2.1), c3: splatOf(3), cMinus4: splatOf(-4),
		c8: splatOf(8), c8p4: splatOf(8.4), c16: splatOf(16), c32: splatOf(32),
		twoPi: splatOf(twoPi), threePi: splatOf(3 * math.Pi), pi: splatOf(math.Pi),
		c4Pi: splatOf(4 * math.Pi), c6Pi: splatOf(6 * math.Pi), c20Pi: splatOf(20 * math.Pi),
		cMinus0p2: splatOf(-0.2), c1p5: splatOf(1.5), c2p5: splatOf(2.5),
		mathConsts: newMathConsts(),
	}
}

// laneBlock is the state of eight cells, one per lane, kept together so
// the kernel reaches all of it from one pointer: one bounds check per
// block instead of one per array.
type laneBlock struct {
	x, y, gx, gy, mx, my, vx, vy [lanes]float64
	wx, wy                       [lanes]float64 // AMSGrad's running maxima
	moved                        [lanes]float64 // last step that was not at rest, 0 if none
	done                         uint8          // lanes that stopped (or are padding)
}

type simdWorker struct {
	p      *plan
	wide   bool // the 8-wide (AVX-512) kernel, else the 4-wide (AVX2) one
	kind   int
	c      simdConsts
	blocks []laneBlock
	kv     splat // the step number k in every lane
	// stopX, stopY pass the new points of stopping lanes to stopLanes
	// (a local array would be zeroed with legacy SSE in the kernel).
	stopX, stopY [lanes]float64
	out          []Cell
}

func (w *simdWorker) row(ctx context.Context, r int, out []Cell) error {
	p, cfg := w.p, &w.p.cfg
	n := len(out)
	w.out = out
	for b := range w.blocks {
		w.blocks[b] = laneBlock{x: splatOf(nan()), y: splatOf(nan())} // NaN: padding lanes
	}
	var xs, ys, loss, gx, gy [GridLimit]float64
	for i := range n {
		s := cfg.start(i, r)
		xs[i], ys[i] = s.X, s.Y
	}
	p.batch.ValueGradN(xs[:n], ys[:n], loss[:n], gx[:n], gy[:n])
	for i := range len(w.blocks) * lanes {
		b, l := &w.blocks[i/lanes], i%lanes
		if i >= n {
			b.done |= 1 << l
			continue
		}
		s := landscape.Vec{X: xs[i], Y: ys[i]}
		if st, keep := stopStatus(s, loss[i]); st != optim.NotConverged {
			out[i] = Cell{Status: st, Reached: -1}
			if keep {
				out[i].End = s
			}
			b.done |= 1 << l
			continue
		}
		b.x[l], b.y[l], b.gx[l], b.gy[l] = xs[i], ys[i], gx[i], gy[i]
	}
	w.kv = splat{}
	for k := 1; k <= cfg.Steps; k += ctxCheckSteps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if w.wide {
			w.steps(k, min(k+ctxCheckSteps, cfg.Steps+1))
		} else {
			w.steps4(k, min(k+ctxCheckSteps, cfg.Steps+1))
		}
	}
	clearUpper()
	for i := range n {
		b, l := &w.blocks[i/lanes], i%lanes
		if b.done&(1<<l) == 0 {
			// Run's settledFrom, the first step of the final stretch at
			// rest, is the step after the last one that moved.
			settled := int32(-1)
			if moved := int(b.moved[l]); moved < cfg.Steps {
				settled = int32(moved + 1)
			}
			out[i] = finalCell(cfg, landscape.Vec{X: b.x[l], Y: b.y[l]}, settled)
		}
	}
	return nil
}

func nan() float64 { return math.NaN() }

// steps advances every live lane from step k0 to step k1-1. It is the hot
// loop: per step, every block of eight cells takes one Adam update, one
// function evaluation, the stop test and the at-rest test.
func (w *simdWorker) steps(k0, k1 int) {
	c := &w.c
	p := w.p
	sgd, decoupled, ams := p.rule == ruleSGD, p.decoupled, p.amsgrad
	coupledWD, momentum, nesterov := p.coupledWD, p.hasMomentum, p.nesterov
	kind := w.kind
	kv := w.kv.v()
	for k := k0; k < k1; k++ {
		nst := archsimd.BroadcastFloat64x8(p.negStepSize[k-1])
		bc := nst // Adam's sqrt(1-beta2^k); unused by SGD
		if !sgd {
			bc = archsimd.BroadcastFloat64x8(p.bc2Sqrt[k-1])
		}
		first := k == 1
		kv = kv.Add(c.one.v())
		for bi := range w.blocks {
			b := &w.blocks[bi]
			if b.done == 1<<lanes-1 {
				continue
			}
			x, y := load8(&b.x), load8(&b.y)
			dx, dy := load8(&b.gx), load8(&b.gy)

			var qx, qy f8
			if sgd {
				// sgd.Step: weight decay, momentum buffer (in mx, my;
				// step 1 starts it at the gradient), Nesterov.
				if coupledWD {
					dx = c.wd.v().MulAdd(x, dx)
					dy = c.wd.v().MulAdd(y, dy)
				}
				if momentum {
					bx, by := dx, dy
					if !first {
						bx = c.oneMinusDampening.v().MulAdd(dx, load8(&b.mx).Mul(c.momentum.v()))
						by = c.oneMinusDampening.v().MulAdd(dy, load8(&b.my).Mul(c.momentum.v()))
					}
					store8(bx, &b.mx)
					store8(by, &b.my)
					if nesterov {
						dx = c.momentum.v().MulAdd(bx, dx)
						dy = c.momentum.v().MulAdd(by, dy)
					} else {
						dx, dy = bx, by
					}
				}
				qx = nst.MulAdd(dx, x)
				qy = nst.MulAdd(dy, y)
			} else {
				// adam.Step: shrink (AdamW), weight decay (Adam), moments.
				px, py := x, y
				if decoupled {
					sh := archsimd.BroadcastFloat64x8(p.shrink[k-1])
					px, py = x.Mul(sh), y.Mul(sh)
				}
				if coupledWD {
					dx = c.wd.v().MulAdd(px, dx)
					dy = c.wd.v().MulAdd(py, dy)
				}
				mx := c.oneMinusBeta1.v().MulAdd(dx, load8(&b.mx).Mul(c.beta1.v()))
				my := c.oneMinusBeta1.v().MulAdd(dy, load8(&b.my).Mul(c.beta1.v()))
				vx := c.oneMinusBeta2.v().Mul(dx).MulAdd(dx, load8(&b.vx).Mul(c.beta2.v()))
				vy := c.oneMinusBeta2.v().Mul(dy).MulAdd(dy, load8(&b.vy).Mul(c.beta2.v()))
				store8(mx, &b.mx)
				store8(my, &b.my)
				store8(vx, &b.vx)
				store8(vy, &b.vy)
				sx, sy := vx, vy
				if ams {
					// math.Max(vmax, v): v is never -0, and a NaN v makes
					// the new point NaN whichever maximum is kept.
					sx = load8(&b.wx).Max(vx)
					sy = load8(&b.wy).Max(vy)
					store8(sx, &b.wx)
					store8(sy, &b.wy)
				}
				qx = px.Add(nst.Mul(mx).Div(sx.Sqrt().Div(bc).Add(c.eps.v())))
				qy = py.Add(nst.Mul(my).Div(sy.Sqrt().Div(bc).Add(c.eps.v())))
			}

			var gx, gy f8
			switch kind {
			case vgHimmelblau:
				_, gx, gy = himmelblau8(c, qx, qy)
			case vgRosenbrock:
				_, gx, gy = rosenbrock8(c, qx, qy)
			case vgDoubleWell:
				_, gx, gy = doubleWell8(c, qx, qy)
			case vgQuadratic:
				_, gx, gy = quadratic8(c, qx, qy)
			case vgElliptic:
				_, gx, gy = elliptic8(c, qx, qy)
			case vgBooth:
				_, gx, gy = booth8(c, qx, qy)
			case vgMatyas:
				_, gx, gy = matyas8(c, qx, qy)
			case vgSaddle:
				_, gx, gy = saddle8(c, qx, qy)
			case vgThreeHumpCamel:
				_, gx, gy = threeHumpCamel8(c, qx, qy)
			case vgSixHumpCamel:
				_, gx, gy = sixHumpCamel8(c, qx, qy)
			case vgStyblinskiTang:
				_, gx, gy = styblinskiTang8(c, qx, qy)
			case vgRastrigin:
				gx, gy = rastriginGrad8(c, qx, qy)
			case vgAckley:
				gx, gy = ackleyGrad8(c, qx, qy)
			case vgLevy13:
				gx, gy = levy13Grad8(c, qx, qy)
			case vgMcCormick:
				gx, gy = mcCormickGrad8(c, qx, qy)
			}

			// Stop test: |x|+|y| <= bound passes (a non-finite coordinate
			// makes the sum Inf or NaN, which fails). The loss need not be
			// checked: every function with a vector form is a polynomial
			// of degree at most 6 with small coefficients, or such a
			// polynomial plus bounded sines, cosines and exponentials of
			// it, finite wherever |x|+|y| <= 1e6
			// (TestVectorFunctionsFiniteWithinBound), so the kernel never
			// computes it; stopLanes does, for the lanes that stop. The
			// gradients of the lanes that go on are thus taken where every
			// sine's argument is below reduceThreshold.
			abs := c.absMask.v().AsUint64x8()
			ax := qx.AsUint64x8().And(abs).AsFloat64x8()
			ay := qy.AsUint64x8().And(abs).AsFloat64x8()
			ok := ax.Add(ay).LessEqual(c.bound.v())
			bad := ^ok.ToBits() &^ b.done
			if bad != 0 {
				store8(qx, (*[lanes]float64)(w.stopX[:]))
				store8(qy, (*[lanes]float64)(w.stopY[:]))
				w.stopLanes(bi, 0, bad, k)
			}

			// Run's at-rest test; a step not at rest is the last that moved.
			ddx, ddy := qx.Sub(x), qy.Sub(y)
			rest := gx.Mul(gx).Add(gy.Mul(gy)).LessEqual(c.gtol2.v()).
				And(ddx.Mul(ddx).Add(ddy.Mul(ddy)).LessEqual(c.stol2.v()))
			store8(load8(&b.moved).Merge(kv, rest), &b.moved)

			store8(qx, &b.x)
			store8(qy, &b.y)
			store8(gx, &b.gx)
			store8(gy, &b.gy)
			if bad != 0 {
				w.poison(bi)
			}
		}
	}
	store8(kv, (*[lanes]float64)(&w.kv))
}

// stopLanes records the cells of block bi whose new point stops their run
// at step k: lanes off+l for each bit l of bits, whose new points the
// kernel left in (stopX[l], stopY[l]) (off is 0 for the 8-wide kernel, 0
// or 4 for the 4-wide one). It evaluates the loss there and applies Run's
// stopping rule lane by lane in scalar code, rarely (once per cell at
// most), so out of the hot loop, and marks the lanes done. The block still
// holds the previous points, the end points of runs that stop without
// keeping the new one.
//
//go:noinline
func (w *simdWorker) stopLanes(bi, off int, bits uint8, k int) {
	clearUpper()
	b := &w.blocks[bi]
	for l := range lanes {
		if bits&(1<<l) == 0 {
			continue
		}
		i := off + l
		q := landscape.Vec{X: w.stopX[l], Y: w.stopY[l]}
		loss, _ := w.p.cfg.Func.ValueGrad(q)
		st, keep := stopStatus(q, loss)
		c := Cell{End: landscape.Vec{X: b.x[i], Y: b.y[i]}, Status: st, Step: int32(k), Reached: -1}
		if keep {
			c.End = q
		}
		w.out[bi*lanes+i] = c
		b.done |= 1 << i
	}
}

// poison sets the state of block bi's stopped lanes to NaN, so they go on
// computing harmless NaNs (masked out by done) instead of values that might
// be slow (subnormal) to compute with.
//
//go:noinline
func (w *simdWorker) poison(bi int) {
	b := &w.blocks[bi]
	for l := range lanes {
		if b.done&(1<<l) != 0 {
			b.x[l], b.y[l], b.gx[l], b.gy[l] = nan(), nan(), nan(), nan()
		}
	}
}

// Vector forms of the presets' ValueGrad, operation for operation (see
// functions.go in landscape; each float64(...) there is one rounded
// operation here).

func himmelblau8(c *simdConsts, x, y f8) (f, gx, gy f8) {
	a := x.Mul(x).Add(y).Sub(c.c11.v())
	b := x.Add(y.Mul(y)).Sub(c.c7.v())
	f = a.Mul(a).Add(b.Mul(b))
	gx = c.c4.v().Mul(x).Mul(a).Add(c.c2.v().Mul(b))
	gy = c.c2.v().Mul(a).Add(c.c4.v().Mul(y).Mul(b))
	return
}

func rosenbrock8(c *simdConsts, x, y f8) (f, gx, gy f8) {
	a := c.one.v().Sub(x)
	b := y.Sub(x.Mul(x))
	f = a.Mul(a).Add(c.c100.v().Mul(b.Mul(b)))
	gx = c.cMinus2.v().Mul(a).Sub(c.c400.v().Mul(x).Mul(b))
	gy = c.c200.v().Mul(b)
	return
}

func doubleWell8(c *simdConsts, x, y f8) (f, gx, gy f8) {
	x2 := x.Mul(x)
	f = x2.Mul(x2).Sub(c.c2p625.v().Mul(x2)).Add(c.c1p25.v().Mul(x)).Add(y.Mul(y))
	gx = c.c4.v().Mul(x2).Mul(x).Sub(c.c5p25.v().Mul(x)).Add(c.c1p25.v())
	gy = c.c2.v().Mul(y)
	return
}

func quadratic8(c *simdConsts, x, y f8) (f, gx, gy f8) {
	return c.cHalf.v().Mul(x.Mul(x).Add(y.Mul(y))), x, y
}

func elliptic8(c *simdConsts, x, y f8) (f, gx, gy f8) {
	f = c.cHalf.v().Mul(x.Mul(x).Add(c.c10.v().Mul(y.Mul(y))))
	return f, x, c.c10.v().Mul(y)
}

func booth8(c *simdConsts, x, y f8) (f, gx, gy f8) {
	a := x.Add(c.c2.v().Mul(y)).Sub(c.c7.v())
	b := c.c2.v().Mul(x).Add(y).Sub(c.c5.v())
	f = a.Mul(a).Add(b.Mul(b))
	gx = c.c2.v().Mul(a).Add(c.c4.v().Mul(b))
	gy = c.c4.v().Mul(a).Add(c.c2.v().Mul(b))
	return
}

func matyas8(c *simdConsts, x, y f8) (f, gx, gy f8) {
	f = c.c0p26.v().Mul(x.Mul(x).Add(y.Mul(y))).Sub(c.c0p48.v().Mul(x).Mul(y))
	gx = c.c0p52.v().Mul(x).Sub(c.c0p48.v().Mul(y))
	gy = c.c0p52.v().Mul(y).Sub(c.c0p48.v().Mul(x))
	return
}

func saddle8(c *simdConsts, x, y f8) (f, gx, gy f8) {
	return x.Mul(x).Sub(y.Mul(y)), c.c2.v().Mul(x), c.cMinus2.v().Mul(y)
}

func threeHumpCamel8(c *simdConsts, x, y f8) (f, gx, gy f8) {
	x2 := x.Mul(x)
	x4 := x2.Mul(x2)
	f = c.c2.v().Mul(x2).Sub(c.c1p05.v().Mul(x4)).Add(x4.Mul(x2).Div(c.c6.v())).Add(x.Mul(y)).Add(y.Mul(y))
	gx = c.c4.v().Mul(x).Sub(c.c4p2.v().Mul(x2).Mul(x)).Add(x4.Mul(x)).Add(y)
	gy = x.Add(c.c2.v().Mul(y))
	return
}

func sixHumpCamel8(c *simdConsts, x, y f8) (f, gx, gy f8) {
	x2, y2 := x.Mul(x), y.Mul(y)
	a := c.c4.v().Sub(c.c2p1.v().Mul(x2)).Add(x2.Mul(x2).Div(c.c3.v()))
	b := c.cMinus4.v().Add(c.c4.v().Mul(y2))
	f = a.Mul(x2).Add(x.Mul(y)).Add(b.Mul(y2))
	gx = c.c8.v().Mul(x).Sub(c.c8p4.v().Mul(x2).Mul(x)).Add(c.c2.v().Mul(x2.Mul(x2)).Mul(x)).Add(y)
	gy = x.Sub(c.c8.v().Mul(y)).Add(c.c16.v().Mul(y2).Mul(y))
	return
}

func styblinskiTang8(c *simdConsts, x, y f8) (f, gx, gy f8) {
	x2, y2 := x.Mul(x), y.Mul(y)
	f = c.cHalf.v().Mul(x2.Mul(x2).Sub(c.c16.v().Mul(x2)).Add(c.c5.v().Mul(x)).
		Add(y2.Mul(y2)).Sub(c.c16.v().Mul(y2)).Add(c.c5.v().Mul(y)))
	gx = c.cHalf.v().Mul(c.c4.v().Mul(x2).Mul(x).Sub(c.c32.v().Mul(x)).Add(c.c5.v()))
	gy = c.cHalf.v().Mul(c.c4.v().Mul(y2).Mul(y).Sub(c.c32.v().Mul(y)).Add(c.c5.v()))
	return
}

// The presets built on sines, cosines and exponentials need only their
// gradients in the kernel.

func rastriginGrad8(c *simdConsts, x, y f8) (gx, gy f8) {
	sx, _ := sincos8(c, c.twoPi.v().Mul(x))
	sy, _ := sincos8(c, c.twoPi.v().Mul(y))
	gx = c.c2.v().Mul(x).Add(c.c20Pi.v().Mul(sx))
	gy = c.c2.v().Mul(y).Add(c.c20Pi.v().Mul(sy))
	return
}

func ackleyGrad8(c *simdConsts, x, y f8) (gx, gy f8) {
	r := c.cHalf.v().Mul(x.Mul(x).Add(y.Mul(y))).Sqrt()
	sx, cx := sincos8(c, c.twoPi.v().Mul(x))
	sy, cy := sincos8(c, c.twoPi.v().Mul(y))
	e1 := expFMA8(c, c.cMinus0p2.v().Mul(r))
	e2 := expFMA8(c, c.cHalf.v().Mul(cx.Add(cy)))
	k := c.c2.v().Mul(e1).Div(r)
	pe := c.pi.v().Mul(e2)
	px, py := pe.Mul(sx), pe.Mul(sy)
	// At r = 0 (or NaN) ValueGrad drops the cone's term.
	pos := r.Greater(c.zero.v())
	gx = k.Mul(x).Add(px).Merge(px, pos)
	gy = k.Mul(y).Add(py).Merge(py, pos)
	return
}

func levy13Grad8(c *simdConsts, x, y f8) (gx, gy f8) {
	sx, cx := sincos8(c, c.threePi.v().Mul(x))
	sy, cy := sincos8(c, c.threePi.v().Mul(y))
	sw, cw := sincos8(c, c.twoPi.v().Mul(y))
	a, b := x.Sub(c.one.v()), y.Sub(c.one.v())
	ky := c.one.v().Add(sy.Mul(sy))
	kw := c.one.v().Add(sw.Mul(sw))
	gx = c.c6Pi.v().Mul(sx).Mul(cx).Add(c.c2.v().Mul(a).Mul(ky))
	gy = c.c6Pi.v().Mul(a.Mul(a)).Mul(sy).Mul(cy).Add(c.c2.v().Mul(b).Mul(kw)).
		Add(c.c4Pi.v().Mul(b.Mul(b)).Mul(sw).Mul(cw))
	return
}

func mcCormickGrad8(c *simdConsts, x, y f8) (gx, gy f8) {
	_, co := sincos8(c, x.Add(y))
	d := x.Sub(y)
	gx = co.Add(c.c2.v().Mul(d)).Sub(c.c1p5.v())
	gy = co.Sub(c.c2.v().Mul(d)).Add(c.c2p5.v())
	return
}
