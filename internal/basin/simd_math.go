//go:build goexperiment.simd && amd64

package basin

import "math"

// Go's math.Sincos and math.Exp on eight lanes, computed exactly as Go
// computes them on amd64, so that the presets built on them (Rastrigin,
// Ackley, Lévy N.13, McCormick) keep their cells bit-identical to
// optim.Run. gen_avx2.py derives the four-lane forms from this file.
//
// math.Sincos (sincos.go) is plain Go: Cody-Waite reduction by π/4 in
// three parts, then two polynomials, each operation rounded on its own
// (the compiler does not fuse a*b+c below GOAMD64=v3, see trigExact).
// Arguments at or beyond reduceThreshold take Payne-Hanek reduction there,
// which sincos8 does not do: the kernel never needs it (see
// TestTrigArgumentsBelowReduceThreshold).
//
// math.Exp is assembly on amd64 (exp_amd64.s) with two paths, chosen once
// by the CPU; expFMA8 is the path with fused multiply-adds, the one Go
// takes on every CPU with AVX and FMA (expMatchesKernel).

// reduceThreshold is math's: from 2^29 on, Sincos reduces its argument by
// Payne-Hanek instead of Cody-Waite.
const reduceThreshold = 1 << 29

// twoPi is landscape's 2π, rounded once.
const twoPi = 2 * math.Pi

// mathConsts are the constants of sincos8 and expFMA8 as whole vectors.
type mathConsts struct {
	zero, inf, half, two splat
	signMask             splat // only the sign bit
	// Sincos.
	fourOverPi, pi4a, pi4b, pi4c splat
	sin, cos                     [6]splat
	magic                        splat // 2^52: x + 2^52 holds an integer x < 2^52 in its low bits
	bit1, bit2, bits3            splat // the integers 1, 2 and 3 as bit patterns
	// Exp.
	log2e, negLn2U, negLn2L, sixteenth, overflow splat
	exp                                          [8]splat // the Taylor coefficients, highest first
	bias, denormBias                             splat    // 2^52 + 1023, 2^52 + 2045
	minNormalExp, minDenormExp, maxExp           splat    // -1022, -1075, 1023
	twoToMinus1022                               splat
}

func newMathConsts() mathConsts {
	const (
		// sin.go's π/4 in three parts and its polynomials.
		pi4a = 7.85398125648498535156e-1
		pi4b = 3.77489470793079817668e-8
		pi4c = 2.69515142907905952645e-15
		// exp_amd64.s's constants.
		log2e    = 1.4426950408889634073599246810018920
		ln2U     = 0.69314718055966295651160180568695068359375
		ln2L     = 0.28235290563031577122588448175013436025525412068e-12
		overflow = 7.09782712893384e+02
	)
	sin := [6]float64{
		1.58962301576546568060e-10, -2.50507477628578072866e-8, 2.75573136213857245213e-6,
		-1.98412698295895385996e-4, 8.33333333332211858878e-3, -1.66666666666666307295e-1,
	}
	cos := [6]float64{
		-1.13585365213876817300e-11, 2.08757008419747316778e-9, -2.75573141792967388112e-7,
		2.48015872888517045348e-5, -1.38888888888730564116e-3, 4.16666666666665929218e-2,
	}
	exp := [8]float64{
		2.4801587301587301587e-5, 1.9841269841269841270e-4, 1.3888888888888888889e-3,
		8.3333333333333333333e-3, 4.1666666666666666667e-2, 1.6666666666666666667e-1, 0.5, 1.0,
	}
	m := mathConsts{
		zero: splatOf(0), inf: splatOf(math.Inf(1)), half: splatOf(0.5), two: splatOf(2),
		signMask:   splatOf(math.Float64frombits(1 << 63)),
		fourOverPi: splatOf(4 / math.Pi), pi4a: splatOf(pi4a), pi4b: splatOf(pi4b), pi4c: splatOf(pi4c),
		magic: splatOf(1 << 52),
		bit1:  splatOf(math.Float64frombits(1)), bit2: splatOf(math.Float64frombits(2)),
		bits3: splatOf(math.Float64frombits(3)),
		log2e: splatOf(log2e), negLn2U: splatOf(-ln2U), negLn2L: splatOf(-ln2L),
		sixteenth: splatOf(0.0625), overflow: splatOf(overflow),
		bias: splatOf(1<<52 + 1023), denormBias: splatOf(1<<52 + 2045),
		minNormalExp: splatOf(-1022), minDenormExp: splatOf(-1075), maxExp: splatOf(1023),
		twoToMinus1022: splatOf(math.Float64frombits(1 << 52)),
	}
	for i := range sin {
		m.sin[i], m.cos[i] = splatOf(sin[i]), splatOf(cos[i])
	}
	for i := range exp {
		m.exp[i] = splatOf(exp[i])
	}
	return m
}

// sincos8 is math.Sincos(x) in each lane whose |x| < reduceThreshold,
// NaN or ±Inf (beyond the threshold the lane's result is meaningless).
func sincos8(c *simdConsts, x f8) (sin, cos f8) {
	m := &c.mathConsts
	ax := x.AsUint64x8().And(c.absMask.v().AsUint64x8()).AsFloat64x8()
	// j = uint64(x * (4/Pi)), and an odd j moves up by one; h = j/2 after
	// that, y = 2h is the float64 of the new j, h mod 4 the quadrant.
	j := ax.Mul(m.fourOverPi.v()).TruncScaled(0)
	h := j.Mul(m.half.v()).CeilScaled(0)
	y := h.Add(h)
	z := ax.Sub(y.Mul(m.pi4a.v())).Sub(y.Mul(m.pi4b.v())).Sub(y.Mul(m.pi4c.v()))
	zz := z.Mul(z)
	pc := m.cos[0].v().Mul(zz).Add(m.cos[1].v()).Mul(zz).Add(m.cos[2].v()).Mul(zz).
		Add(m.cos[3].v()).Mul(zz).Add(m.cos[4].v()).Mul(zz).Add(m.cos[5].v())
	co := c.one.v().Sub(m.half.v().Mul(zz)).Add(zz.Mul(zz).Mul(pc))
	ps := m.sin[0].v().Mul(zz).Add(m.sin[1].v()).Mul(zz).Add(m.sin[2].v()).Mul(zz).
		Add(m.sin[3].v()).Mul(zz).Add(m.sin[4].v()).Mul(zz).Add(m.sin[5].v())
	si := z.Add(z.Mul(zz).Mul(ps))

	// Quadrant q: sin is ±sin or ±cos of z, and so is cos. Sincos's sign
	// flips are negations, which are sign-bit flips: sin's sign is bit 1
	// of q (and the argument's sign), cos's is bit 1 of q+1; q odd swaps.
	q := h.Add(m.magic.v()).AsUint64x8().And(m.bits3.v().AsUint64x8())
	bit1, bit2 := m.bit1.v().AsUint64x8(), m.bit2.v().AsUint64x8()
	swap := q.And(bit1).Equal(bit1)
	sin = co.Merge(si, swap)
	cos = si.Merge(co, swap)
	sinSign := q.And(bit2).ShiftAllLeft(62).Xor(x.AsUint64x8().And(m.signMask.v().AsUint64x8()))
	cosSign := q.Add(bit1).And(bit2).ShiftAllLeft(62)
	sin = sin.AsUint64x8().Xor(sinSign).AsFloat64x8()
	cos = cos.AsUint64x8().Xor(cosSign).AsFloat64x8()

	// Sincos's special cases: ±0 gives (±0, 1), NaN and ±Inf give NaNs.
	zero := x.Equal(m.zero.v())
	sin = x.Merge(sin, zero)
	cos = c.one.v().Merge(cos, zero)
	finite := ax.Less(m.inf.v())
	sin = sin.Merge(c.nan.v(), finite)
	cos = cos.Merge(c.nan.v(), finite)
	return sin, cos
}

// expFMA8 is math.Exp(x) in each lane, as exp_amd64.s computes it on a CPU
// with AVX and FMA: every branch of it (overflow, denormal results,
// underflow, NaN and ±Inf) by lane.
func expFMA8(c *simdConsts, x f8) f8 {
	m := &c.mathConsts
	// The exponent n: CVTSD2SL rounds to nearest even; adding 0 makes a
	// -0 into the +0 that the integer conversion gives.
	n := roundToEven8(m.log2e.v().Mul(x)).Add(m.zero.v())
	r := n.MulAdd(m.negLn2U.v(), x) // VFNMADD231SD: x - n*LN2U, one rounding
	r = n.MulAdd(m.negLn2L.v(), r)
	r = r.Mul(m.sixteenth.v())
	t := m.exp[0].v().MulAdd(r, m.exp[1].v())
	t = t.MulAdd(r, m.exp[2].v())
	t = t.MulAdd(r, m.exp[3].v())
	t = t.MulAdd(r, m.exp[4].v())
	t = t.MulAdd(r, m.exp[5].v())
	t = t.MulAdd(r, m.exp[6].v())
	t = t.MulAdd(r, m.exp[7].v())
	r = r.Mul(t)
	// Squared four times back from x/16: (r+2)r, the last fused with +1.
	r = r.Mul(r.Add(m.two.v()))
	r = r.Mul(r.Add(m.two.v()))
	r = r.Mul(r.Add(m.two.v()))
	r = r.MulAdd(r.Add(m.two.v()), c.one.v())

	// Scale by 2^n: one multiplication by 2^n for a normal result; for a
	// denormal one, by 2^(n+1022) and then 2^-1022, as the assembly does.
	// The powers of two are built from the integer n+1023 (n+2045) in the
	// low bits of n + 2^52+1023 (2^52+2045), shifted into the exponent.
	den := n.Less(m.minNormalExp.v())
	bias := m.denormBias.v().Merge(m.bias.v(), den)
	s1 := n.Add(bias).AsUint64x8().ShiftAllLeft(52).AsFloat64x8()
	s2 := m.twoToMinus1022.v().Merge(c.one.v(), den)
	e := r.Mul(s1).Mul(s2)
	e = m.zero.v().Merge(e, n.Less(m.minDenormExp.v()))
	e = m.inf.v().Merge(e, n.Greater(m.maxExp.v()).Or(x.Greater(m.overflow.v())))
	return x.Merge(e, x.IsNaN())
}
