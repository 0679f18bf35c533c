//go:build goexperiment.simd && amd64

package basin

import (
	"context"
	"simd/archsimd"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// The SIMD engine is the lock-step engine with eight cells per AVX-512
// instruction. It performs exactly the lock-step engine's operations: the
// same roundings, the same explicit fused multiply-adds (MulAdd is one
// VFMADD, as math.FMA is one VFMADD), and separate multiplies and adds
// everywhere else (archsimd never fuses Mul and Add on its own; TestNoFMA
// checks the kernel's instructions). Every lane is a cell; a lane that
// stops is handled by scalar code and then carries NaN, masked out.
//
// The kernel function holds no scalar float64: constants are loaded as whole
// vectors and per-step values are broadcast straight from their tables. A
// scalar float64 held across the loop would be spilled with legacy SSE
// instructions, and mixing those with AVX-512 code costs far more than the
// arithmetic itself on this class of CPU (measured: 5x slower).

type f8 = archsimd.Float64x8

// lanes is the number of cells per vector.
const lanes = 8

// vecGrad names a function whose value and gradient the kernel computes
// eight points at a time, with the same operations as its ValueGrad.
type vecGrad struct{ kind int }

const (
	vgHimmelblau = iota + 1
	vgRosenbrock
	vgDoubleWell
	vgQuadratic
	vgElliptic
	vgBooth
)

func vecGradOf(f landscape.Function) *vecGrad {
	switch f.(type) {
	case landscape.Himmelblau:
		return &vecGrad{vgHimmelblau}
	case landscape.Rosenbrock:
		return &vecGrad{vgRosenbrock}
	case landscape.DoubleWell:
		return &vecGrad{vgDoubleWell}
	case landscape.Quadratic:
		return &vecGrad{vgQuadratic}
	case landscape.Elliptic:
		return &vecGrad{vgElliptic}
	case landscape.Booth:
		return &vecGrad{vgBooth}
	}
	return nil
}

// SIMDAvailable reports whether the AVX-512 kernel is compiled in and the
// CPU can run it.
func SIMDAvailable() bool { return archsimd.X86.AVX512() }

func simdAvailable() bool { return SIMDAvailable() }

// clearUpper ends any dirty upper state of the vector registers
// (VZEROUPPER). In GOEXPERIMENT=simd builds something (the runtime's
// register save and restore, it seems) leaves the upper halves of the
// vector registers dirty at unpredictable times; scalar code that mixes
// legacy SSE instructions with VEX ones (math.FMA compiles to VFMADD) then
// runs 10 to 60 times slower on this CPU (measured: optim's Adam run loop
// goes from 30 to 980 ns per step). The engines call this before scalar
// hot loops; it costs a cycle.
func clearUpper() { archsimd.ClearAVXUpperBits() }

// splat is a float64 broadcast to a whole vector in memory.
type splat [lanes]float64

func splatOf(v float64) splat { return splat{v, v, v, v, v, v, v, v} }

func (s *splat) v() f8 { return archsimd.LoadFloat64x8((*[lanes]float64)(s)) }

// simdConsts are the kernel's constants as whole vectors.
type simdConsts struct {
	beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, wd splat
	bound, gtol2, stol2, zero, one, minusOne, nan       splat
	// Function constants.
	c2, cMinus2, c4, c5, c5p25, c1p25, c2p625, c7, c10, c11, c100, c200, c400, cHalf splat
}

type simdEngine struct{ p *adamPlan }

func (e simdEngine) newWorker() rowWorker {
	n := e.p.cfg.N
	blocks := (n + lanes - 1) / lanes
	w := &simdWorker{p: e.p, kind: e.p.vec.kind, done: make([]uint8, blocks)}
	for _, s := range []*[]float64{&w.x, &w.y, &w.gx, &w.gy, &w.mx, &w.my, &w.vx, &w.vy, &w.wx, &w.wy, &w.set, &w.loss} {
		*s = make([]float64, blocks*lanes)
	}
	gtol2, stol2 := tolerances()
	p := e.p
	w.c = simdConsts{
		beta1: splatOf(p.beta1), oneMinusBeta1: splatOf(p.oneMinusBeta1),
		beta2: splatOf(p.beta2), oneMinusBeta2: splatOf(p.oneMinusBeta2),
		eps: splatOf(p.eps), wd: splatOf(p.wd),
		bound: splatOf(optim.DivergenceBound), gtol2: splatOf(gtol2), stol2: splatOf(stol2),
		zero: splatOf(0), one: splatOf(1), minusOne: splatOf(-1), nan: splatOf(nan()),
		c2: splatOf(2), cMinus2: splatOf(-2), c4: splatOf(4), c5: splatOf(5), c5p25: splatOf(5.25), c1p25: splatOf(1.25), c2p625: splatOf(2.625),
		c7: splatOf(7), c10: splatOf(10), c11: splatOf(11), c100: splatOf(100), c200: splatOf(200),
		c400: splatOf(400), cHalf: splatOf(0.5),
	}
	return w
}

type simdWorker struct {
	p    *adamPlan
	kind int
	c    simdConsts
	// Row state, one element per lane, padded to whole vectors. set is the
	// first step of the current stretch at rest, -1 while moving.
	x, y, gx, gy, mx, my, vx, vy, wx, wy, set, loss []float64
	done                                            []uint8 // per vector: lanes that stopped (or are padding)
	kv                                              splat   // the step number k in every lane
	out                                             []Cell
}

func (w *simdWorker) row(ctx context.Context, r int, out []Cell) error {
	p, cfg := w.p, &w.p.cfg
	n := len(out)
	w.out = out
	for i := range w.x {
		w.mx[i], w.my[i], w.vx[i], w.vy[i], w.wx[i], w.wy[i], w.set[i] = 0, 0, 0, 0, 0, 0, -1
		w.x[i], w.y[i] = nan(), nan() // padding lanes
	}
	for b := range w.done {
		w.done[b] = 0
	}
	for i := range n {
		s := cfg.start(i, r)
		w.x[i], w.y[i] = s.X, s.Y
	}
	p.batch.ValueGradN(w.x[:n], w.y[:n], w.loss, w.gx, w.gy)
	for i := range w.x {
		if i >= n {
			w.done[i/lanes] |= 1 << (i % lanes)
			continue
		}
		s := landscape.Vec{X: w.x[i], Y: w.y[i]}
		if st, keep := stopStatus(s, w.loss[i]); st != optim.NotConverged {
			out[i] = Cell{Status: st, Reached: -1}
			if keep {
				out[i].End = s
			}
			w.done[i/lanes] |= 1 << (i % lanes)
			w.x[i], w.y[i] = nan(), nan()
		}
	}
	w.kv = splat{}
	for k := 1; k <= cfg.Steps; k += ctxCheckSteps {
		if err := ctx.Err(); err != nil {
			return err
		}
		w.steps(k, min(k+ctxCheckSteps, cfg.Steps+1))
	}
	clearUpper()
	for i := range n {
		if w.done[i/lanes]&(1<<(i%lanes)) == 0 {
			out[i] = finalCell(cfg, landscape.Vec{X: w.x[i], Y: w.y[i]}, int32(w.set[i]))
		}
	}
	return nil
}

func nan() float64 {
	var z float64
	return z / z
}

// steps advances every live lane from step k0 to step k1-1. It is the hot
// loop: per step, every vector of eight cells takes one Adam update, one
// function evaluation, the stop test and the at-rest test.
func (w *simdWorker) steps(k0, k1 int) {
	c := &w.c
	p := w.p
	decoupled, coupledWD, ams := p.decoupled, !p.decoupled && p.wd != 0, p.amsgrad
	kind := w.kind
	kv := w.kv.v()
	for k := k0; k < k1; k++ {
		nst := archsimd.BroadcastFloat64x8(p.negStepSize[k-1])
		bc := archsimd.BroadcastFloat64x8(p.bc2Sqrt[k-1])
		kv = kv.Add(c.one.v())
		for b := range w.done {
			if w.done[b] == 1<<lanes-1 {
				continue
			}
			o := b * lanes
			x := archsimd.LoadFloat64x8((*[lanes]float64)(w.x[o : o+lanes]))
			y := archsimd.LoadFloat64x8((*[lanes]float64)(w.y[o : o+lanes]))
			dx := archsimd.LoadFloat64x8((*[lanes]float64)(w.gx[o : o+lanes]))
			dy := archsimd.LoadFloat64x8((*[lanes]float64)(w.gy[o : o+lanes]))
			mx := archsimd.LoadFloat64x8((*[lanes]float64)(w.mx[o : o+lanes]))
			my := archsimd.LoadFloat64x8((*[lanes]float64)(w.my[o : o+lanes]))
			vx := archsimd.LoadFloat64x8((*[lanes]float64)(w.vx[o : o+lanes]))
			vy := archsimd.LoadFloat64x8((*[lanes]float64)(w.vy[o : o+lanes]))

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
			mx = c.oneMinusBeta1.v().MulAdd(dx, mx.Mul(c.beta1.v()))
			my = c.oneMinusBeta1.v().MulAdd(dy, my.Mul(c.beta1.v()))
			vx = c.oneMinusBeta2.v().Mul(dx).MulAdd(dx, vx.Mul(c.beta2.v()))
			vy = c.oneMinusBeta2.v().Mul(dy).MulAdd(dy, vy.Mul(c.beta2.v()))
			mx.Store((*[lanes]float64)(w.mx[o : o+lanes]))
			my.Store((*[lanes]float64)(w.my[o : o+lanes]))
			vx.Store((*[lanes]float64)(w.vx[o : o+lanes]))
			vy.Store((*[lanes]float64)(w.vy[o : o+lanes]))
			sx, sy := vx, vy
			if ams {
				// math.Max(vmax, v): v is never -0, and a NaN v makes
				// the new point NaN whichever maximum is kept.
				sx = archsimd.LoadFloat64x8((*[lanes]float64)(w.wx[o : o+lanes])).Max(vx)
				sy = archsimd.LoadFloat64x8((*[lanes]float64)(w.wy[o : o+lanes])).Max(vy)
				sx.Store((*[lanes]float64)(w.wx[o : o+lanes]))
				sy.Store((*[lanes]float64)(w.wy[o : o+lanes]))
			}
			qx := px.Add(nst.Mul(mx).Div(sx.Sqrt().Div(bc).Add(c.eps.v())))
			qy := py.Add(nst.Mul(my).Div(sy.Sqrt().Div(bc).Add(c.eps.v())))

			var f, gx, gy f8
			switch kind {
			case vgHimmelblau:
				f, gx, gy = himmelblau8(c, qx, qy)
			case vgRosenbrock:
				f, gx, gy = rosenbrock8(c, qx, qy)
			case vgDoubleWell:
				f, gx, gy = doubleWell8(c, qx, qy)
			case vgQuadratic:
				f, gx, gy = quadratic8(c, qx, qy)
			case vgElliptic:
				f, gx, gy = elliptic8(c, qx, qy)
			case vgBooth:
				f, gx, gy = booth8(c, qx, qy)
			}

			// Stop test: |x|+|y| <= bound and a finite loss pass; a
			// non-finite coordinate fails the first.
			zero := c.zero.v()
			ax, ay := qx.Max(zero.Sub(qx)), qy.Max(zero.Sub(qy))
			ok := ax.Add(ay).LessEqual(c.bound.v()).And(f.Sub(f).Equal(zero))
			if bad := ^ok.ToBits() &^ w.done[b]; bad != 0 {
				f.Store((*[lanes]float64)(w.loss[o : o+lanes]))
				w.stopLanes(o, bad, k, qx, qy)
				w.done[b] |= bad
				dm := archsimd.Mask64x8FromBits(w.done[b])
				nan := c.nan.v()
				qx, qy, gx, gy = nan.Merge(qx, dm), nan.Merge(qy, dm), nan.Merge(gx, dm), nan.Merge(gy, dm)
			}

			// At-rest test and the first step of the current stretch at rest.
			ddx, ddy := qx.Sub(x), qy.Sub(y)
			rest := gx.Mul(gx).Add(gy.Mul(gy)).LessEqual(c.gtol2.v()).
				And(ddx.Mul(ddx).Add(ddy.Mul(ddy)).LessEqual(c.stol2.v()))
			set := archsimd.LoadFloat64x8((*[lanes]float64)(w.set[o : o+lanes]))
			set = kv.Merge(set, set.Less(zero)).Merge(c.minusOne.v(), rest)
			set.Store((*[lanes]float64)(w.set[o : o+lanes]))

			qx.Store((*[lanes]float64)(w.x[o : o+lanes]))
			qy.Store((*[lanes]float64)(w.y[o : o+lanes]))
			gx.Store((*[lanes]float64)(w.gx[o : o+lanes]))
			gy.Store((*[lanes]float64)(w.gy[o : o+lanes]))
		}
	}
	kv.Store((*[lanes]float64)(&w.kv))
}

// stopLanes records the cells of the vector at offset o whose new point
// (qx, qy) with loss w.loss stops their run at step k: it applies Run's
// stopping rule lane by lane in scalar code, rarely (once per cell at
// most), and so out of the hot loop.
//
//go:noinline
func (w *simdWorker) stopLanes(o int, bits uint8, k int, qx, qy f8) {
	var xs, ys [lanes]float64
	qx.Store(&xs)
	qy.Store(&ys)
	for l := range lanes {
		if bits&(1<<l) == 0 {
			continue
		}
		i := o + l
		q := landscape.Vec{X: xs[l], Y: ys[l]}
		st, keep := stopStatus(q, w.loss[i])
		c := Cell{End: landscape.Vec{X: w.x[i], Y: w.y[i]}, Status: st, Step: int32(k), Reached: -1}
		if keep {
			c.End = q
		}
		w.out[i] = c
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
