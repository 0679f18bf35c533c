package optim

import "math"

// The three helpers below are the element-wise kernels torch.optim's update
// rules are built from, rounded exactly as PyTorch 1.13's CPU kernels round
// them for float64 (found by comparing against the kernels bit for bit on
// random inputs: tools/torchref/kernels.py): add with alpha and addcmul
// are computed with one fused multiply-add, addcdiv with separate roundings.
// (That is PyTorch on a CPU with AVX2, where it dispatches to kernels built
// with FMA, as on the machine that made the reference data; on an older CPU
// PyTorch itself would differ in the last place.)
//
// They are written with math.FMA and explicit float64(...) conversions, so
// the result is the same on every GOARCH and GOAMD64 level: the Go compiler
// fuses a*b+c into an FMA on some targets and not on others, but never
// changes an explicit math.FMA, nor fuses across an explicit conversion.
// Matching PyTorch's rounding, not just its formula, is what lets the
// reference tests follow sensitive trajectories (near ridges and saddles)
// for hundreds of steps.

// addScaled is torch's a.add(b, alpha=s): a + s*b with one rounding.
func addScaled(a, s, b float64) float64 { return math.FMA(s, b, a) }

// addcmul is torch's a.addcmul(t1, t2, value=s): a + (s*t1)*t2, the last
// multiply and the add fused.
func addcmul(a, s, t1, t2 float64) float64 { return math.FMA(float64(s*t1), t2, a) }

// addcdiv is torch's a.addcdiv(t1, t2, value=s): a + (s*t1)/t2, rounded
// after each operation.
func addcdiv(a, s, t1, t2 float64) float64 { return a + float64(s*t1)/t2 }

// PyTorch's optimizers compute bias corrections and schedules such as
// 1 - beta**t with Python floats, whose ** is the C library's pow: glibc's
// is accurate to 0.52 units in the last place and correctly rounded in all
// but about 1 in 1,500 cases (tools/torchref/kernels.py). Go's math.Pow is
// off by several units for beta^t, enough to make long trajectories drift
// from PyTorch's. The helpers below compute in double-double arithmetic
// (about 106 bits, error-free products with math.FMA) and round once at the
// end: correctly rounded, so they agree with glibc except in those rare
// cases, where one step differs in the last place (no reference row does).

// powSeq yields base^1, base^2, ... correctly rounded, at the cost of one
// double-double multiplication per power.
type powSeq struct{ base, hi, lo float64 }

func newPowSeq(base float64) powSeq { return powSeq{base: base, hi: 1} }

// next advances to the following power and returns it rounded to float64.
func (s *powSeq) next() float64 {
	p := float64(s.hi * s.base)
	e := math.FMA(s.hi, s.base, -p) + float64(s.lo*s.base)
	s.hi, s.lo = quickTwoSum(p, e)
	return s.hi
}

// dd is a double-double: the unevaluated sum hi + lo with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) (float64, float64) {
	s := a + b
	return s, b - (s - a)
}

func (a dd) add(b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	hi, lo := quickTwoSum(s.hi, s.lo+t.hi)
	hi, lo = quickTwoSum(hi, lo+t.lo)
	return dd{hi, lo}
}

func (a dd) mul(b dd) dd {
	p := float64(a.hi * b.hi)
	e := math.FMA(a.hi, b.hi, -p) + (float64(a.hi*b.lo) + float64(a.lo*b.hi))
	hi, lo := quickTwoSum(p, e)
	return dd{hi, lo}
}

func (a dd) divFloat(d float64) dd {
	q1 := a.hi / d
	p := float64(q1 * d)
	r := ((a.hi - p) - math.FMA(q1, d, -p)) + a.lo
	hi, lo := quickTwoSum(q1, r/d)
	return dd{hi, lo}
}

// ln2DD is ln 2 as a double-double.
var ln2DD = dd{0.6931471805599453, 2.3190468138462996e-17}

// expTerms is how many Taylor terms expDD sums; after reduction |r| <= ln2/2
// and the 27th term is below 2^-110 of the sum.
const expTerms = 27

// powLn returns b^y correctly rounded, where lnB is ln b as a double-double
// (b itself is implicit), for the moderate y a schedule uses.
func powLn(lnB dd, y float64) float64 {
	r := expLn(lnB, y)
	return r.hi + r.lo
}

// expLn returns b^y = exp(y*ln b) as a double-double.
func expLn(lnB dd, y float64) dd {
	zh := float64(y * lnB.hi)
	z := dd{zh, math.FMA(y, lnB.hi, -zh) + float64(y*lnB.lo)}
	z.hi, z.lo = quickTwoSum(z.hi, z.lo)
	k := math.Round(z.hi / ln2DD.hi)
	kh := float64(k * ln2DD.hi)
	kln2 := dd{kh, math.FMA(k, ln2DD.hi, -kh) + float64(k*ln2DD.lo)}
	r := z.add(dd{-kln2.hi, -kln2.lo})
	s := dd{1, 0}
	for n := expTerms; n >= 1; n-- {
		s = dd{1, 0}.add(r.mul(s).divFloat(float64(n)))
	}
	return dd{math.Ldexp(s.hi, int(k)), math.Ldexp(s.lo, int(k))}
}

// schedulePow yields b^y_1, b^y_2, ... correctly rounded for a rising
// sequence of exponents y_t such as fl(t*momentum_decay), at the cost of
// one double-double multiplication per step: b^y_t = b^y_(t-1) * b^d with
// d = y_t - y_(t-1), which is exact (Sterbenz) and takes only a few
// distinct values, so each factor b^d is computed once and cached.
type schedulePow struct {
	lnB    dd
	y      float64 // the exponent reached so far
	acc    dd      // b^y
	factor [scheduleFactors]struct {
		d float64
		f dd
	}
	n int // factors cached
}

// scheduleFactors bounds the cache of b^d; a miss costs one expLn.
const scheduleFactors = 4

func newSchedulePow(lnB dd) schedulePow { return schedulePow{lnB: lnB, acc: dd{1, 0}} }

// advance moves to exponent y (y >= the previous one) and returns b^y.
func (s *schedulePow) advance(y float64) float64 {
	d := y - s.y
	s.y = y
	f, ok := dd{}, false
	for i := range s.n {
		if s.factor[i].d == d {
			f, ok = s.factor[i].f, true
			break
		}
	}
	if !ok {
		f = expLn(s.lnB, d)
		i := s.n % scheduleFactors
		if s.n < scheduleFactors {
			s.n++
		}
		s.factor[i].d, s.factor[i].f = d, f
	}
	s.acc = s.acc.mul(f)
	return s.acc.hi + s.acc.lo
}
