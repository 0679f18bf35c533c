//go:build goexperiment.simd && amd64

package basin

import (
	"math"
	"math/rand/v2"
	"testing"

	"simd/archsimd"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// The kernel's ports of math.Sincos and math.Exp are checked lane by lane
// against the functions themselves, bit for bit, on millions of inputs:
// random ones over the ranges that matter and the edges of every branch.

// mathKernels are the widths this CPU can run: the 8-wide functions need
// AVX-512, the 4-wide ones AVX2.
func mathKernels(t *testing.T) []int {
	var widths []int
	if archsimd.X86.AVX512() {
		widths = append(widths, 8)
	}
	if archsimd.X86.AVX2() && archsimd.X86.FMA() {
		widths = append(widths, 4)
	}
	if len(widths) == 0 {
		t.Skip("no AVX2 or AVX-512 on this CPU")
	}
	return widths
}

// skipUnlessTrigExact skips a test of the port of math.Sincos in builds
// that fuse inside math.Sincos, where the kernel does not use the port.
func skipUnlessTrigExact(t *testing.T) {
	if !trigExact {
		t.Skip("math.Sincos is compiled with fused multiply-adds in this build")
	}
}

// sincosLanes applies sincos8 or sincos4 to xs, whose length is a multiple
// of 8.
func sincosLanes(c *simdConsts, width int, xs, sin, cos []float64) {
	for i := 0; i < len(xs); i += width {
		if width == 8 {
			s, co := sincos8(c, load8((*[8]float64)(xs[i:])))
			store8(s, (*[8]float64)(sin[i:]))
			store8(co, (*[8]float64)(cos[i:]))
		} else {
			s, co := sincos4(c, load4((*[4]float64)(xs[i:])))
			store4(s, (*[4]float64)(sin[i:]))
			store4(co, (*[4]float64)(cos[i:]))
		}
	}
}

func expLanes(c *simdConsts, width int, xs, e []float64) {
	for i := 0; i < len(xs); i += width {
		if width == 8 {
			store8(expFMA8(c, load8((*[8]float64)(xs[i:]))), (*[8]float64)(e[i:]))
		} else {
			store4(expFMA4(c, load4((*[4]float64)(xs[i:]))), (*[4]float64)(e[i:]))
		}
	}
}

// around appends x and its n neighbours on each side, ulp by ulp.
func around(xs []float64, x float64, n int) []float64 {
	up, down := x, x
	xs = append(xs, x)
	for range n {
		up, down = math.Nextafter(up, math.Inf(1)), math.Nextafter(down, math.Inf(-1))
		xs = append(xs, up, down)
	}
	return xs
}

// withNegatives appends -x for every x.
func withNegatives(xs []float64) []float64 {
	for _, x := range xs {
		xs = append(xs, -x)
	}
	return xs
}

// padTo8 pads xs with zeros to a multiple of 8 lanes.
func padTo8(xs []float64) []float64 {
	for len(xs)%8 != 0 {
		xs = append(xs, 0)
	}
	return xs
}

const mathSamples = 1 << 22 // random inputs per test, about four million

func sincosInputs() []float64 {
	rng := rand.New(rand.NewPCG(1, 29))
	xs := []float64{0, math.Copysign(0, -1), math.NaN(), math.Float64frombits(0x7ff8dead00000001),
		math.Float64frombits(0xfff0000000000001), math.Inf(1), math.Inf(-1)}
	var edges []float64
	for _, x := range []float64{5e-324, 1e-310, math.SmallestNonzeroFloat64 * 3, 2.2250738585072014e-308,
		1e-200, 1e-20, 1e-8, 1e-4, 0.5, 1, 2, 3, 10, 100, 1e4, 1e6, 3 * math.Pi * 1e6} {
		edges = around(edges, x, 4)
	}
	// Near multiples of π/4 (where the reduced argument is tiny and the
	// quadrant flips), small and large, and just below the threshold.
	for k := range 200 {
		edges = around(edges, float64(k)*math.Pi/4, 8)
	}
	for _, k := range []float64{1e3, 1e5, 1e7, 1e8, 6.8e8, 683565275} {
		edges = around(edges, k*math.Pi/4, 8)
	}
	edges = around(edges, reduceThreshold, 64) // those below it
	for _, x := range edges {
		if math.Abs(x) < reduceThreshold {
			xs = append(xs, x)
		}
	}
	xs = withNegatives(xs)
	for len(xs) < mathSamples {
		switch len(xs) % 4 {
		case 0: // the landscapes' range
			xs = append(xs, (rng.Float64()*2-1)*20)
		case 1: // every magnitude up to the threshold
			xs = append(xs, math.Copysign(math.Exp2(rng.Float64()*(29+1074)-1074), rng.Float64()-0.5))
		case 2: // the kernel's range: 3π times the divergence bound
			xs = append(xs, (rng.Float64()*2-1)*3*math.Pi*optim.DivergenceBound)
		default: // any bits below the threshold
			x := math.Float64frombits(rng.Uint64())
			if math.Abs(x) < reduceThreshold {
				xs = append(xs, x)
			}
		}
	}
	return padTo8(xs)
}

// TestSincosLanesMatchMath compares every lane of sincos8 and sincos4 with
// math.Sincos, and with math.Sin and math.Cos, bit for bit.
func TestSincosLanesMatchMath(t *testing.T) {
	skipUnlessTrigExact(t)
	xs := sincosInputs()
	consts := newSimdConsts(&plan{})
	c := &consts
	sin, cos := make([]float64, len(xs)), make([]float64, len(xs))
	for _, width := range mathKernels(t) {
		sincosLanes(c, width, xs, sin, cos)
		clearUpper()
		bad := 0
		for i, x := range xs {
			ws, wc := math.Sincos(x)
			ok := math.Float64bits(sin[i]) == math.Float64bits(ws) && math.Float64bits(cos[i]) == math.Float64bits(wc)
			// math.Sin(NaN) returns its argument, Sincos a fresh NaN.
			if !math.IsNaN(x) {
				ok = ok && math.Float64bits(sin[i]) == math.Float64bits(math.Sin(x)) &&
					math.Float64bits(cos[i]) == math.Float64bits(math.Cos(x))
			}
			if !ok {
				if bad++; bad <= 5 {
					t.Errorf("%d lanes: sincos(%v = %#x) = (%v, %v), math gives (%v, %v)", width, x, math.Float64bits(x), sin[i], cos[i], ws, wc)
				}
			}
		}
		if bad > 0 {
			t.Errorf("%d lanes: %d of %d inputs differ", width, bad, len(xs))
		}
	}
}

func expInputs() []float64 {
	rng := rand.New(rand.NewPCG(7, 709))
	xs := []float64{0, math.Copysign(0, -1), math.NaN(), math.Float64frombits(0x7ff8dead00000001),
		math.Float64frombits(0xfff0000000000001), math.Inf(1), math.Inf(-1),
		math.MaxFloat64, -math.MaxFloat64, 1e300, -1e300, -1.5e9, -2.9e9, 1.5e9}
	for _, x := range []float64{5e-324, 1e-300, 1e-20, 1e-8, 0.5, 1, 2, 10, 100, 700} {
		xs = around(xs, x, 4)
		xs = around(xs, -x, 4)
	}
	// The branches of exp_amd64.s: overflow (x > 7.09782712893384e+02),
	// an exponent of 1024, the smallest normal result, denormal results,
	// the last one before underflow, and the integer exponent's rounding
	// at half-way points.
	for _, x := range []float64{7.09782712893384e+02, 1024 * math.Ln2, -1022 * math.Ln2, -1022.5 * math.Ln2,
		-1023.5 * math.Ln2, -1050 * math.Ln2, -1074 * math.Ln2, -1075 * math.Ln2, -1075.5 * math.Ln2,
		-1076 * math.Ln2, -708.3964185322641, -745.1332191019411, -744.4400719213812} {
		xs = around(xs, x, 256)
	}
	for k := -1080; k <= 1030; k++ {
		xs = around(xs, (float64(k)+0.5)*math.Ln2, 2)
	}
	for len(xs) < mathSamples {
		switch len(xs) % 4 {
		case 0: // the whole range of results
			xs = append(xs, (rng.Float64()*2-1)*760)
		case 1: // Ackley's arguments: -0.2r and the mean of two cosines
			xs = append(xs, -rng.Float64()*0.2*optim.DivergenceBound, rng.Float64()*2-1)
		case 2: // denormal results
			xs = append(xs, -708.4-rng.Float64()*37)
		default: // any bits
			xs = append(xs, math.Float64frombits(rng.Uint64()))
		}
	}
	return padTo8(xs)
}

// TestExpLanesMatchMath compares every lane of expFMA8 and expFMA4 with
// math.Exp, bit for bit, on a CPU where math.Exp takes the FMA path.
func TestExpLanesMatchMath(t *testing.T) {
	if !expMatchesKernel {
		t.Skip("math.Exp takes its path without FMA on this CPU")
	}
	xs := expInputs()
	consts := newSimdConsts(&plan{})
	c := &consts
	e := make([]float64, len(xs))
	for _, width := range mathKernels(t) {
		expLanes(c, width, xs, e)
		clearUpper()
		bad := 0
		for i, x := range xs {
			if want := math.Exp(x); math.Float64bits(e[i]) != math.Float64bits(want) {
				if bad++; bad <= 5 {
					t.Errorf("%d lanes: exp(%v = %#x) = %v (%#x), math.Exp gives %v (%#x)", width, x, math.Float64bits(x), e[i], math.Float64bits(e[i]), want, math.Float64bits(want))
				}
			}
		}
		if bad > 0 {
			t.Errorf("%d lanes: %d of %d inputs differ", width, bad, len(xs))
		}
	}
}

// TestTrigArgumentsBelowReduceThreshold backs sincos8's range: the kernel
// takes gradients only at points within the divergence bound (the others
// stop), where every preset's sine argument, at most 3π|x| or |x+y|, is
// below the threshold beyond which math.Sincos reduces differently.
func TestTrigArgumentsBelowReduceThreshold(t *testing.T) {
	skipUnlessTrigExact(t)
	if largest := 3 * math.Pi * optim.DivergenceBound; !(largest < reduceThreshold) {
		t.Errorf("3π times the divergence bound is %g, not below %g", largest, float64(reduceThreshold))
	}
	// reduceThreshold is math's: Sincos agrees with its Cody-Waite port
	// just below it, and disagrees somewhere at and above it.
	consts := newSimdConsts(&plan{})
	c := &consts
	width := mathKernels(t)[0]
	var below []float64
	for _, x := range around(nil, reduceThreshold, 4000) {
		if x < reduceThreshold {
			below = append(below, x)
		}
	}
	below = padTo8(below)
	above := padTo8(around(nil, reduceThreshold*1.5, 4000))
	for _, tc := range []struct {
		xs    []float64
		agree bool
	}{{below, true}, {above, false}} {
		s, co := make([]float64, len(tc.xs)), make([]float64, len(tc.xs))
		sincosLanes(c, width, tc.xs, s, co)
		clearUpper()
		agree := true
		for i, x := range tc.xs {
			ws, wc := math.Sincos(x)
			agree = agree && math.Float64bits(s[i]) == math.Float64bits(ws) && math.Float64bits(co[i]) == math.Float64bits(wc)
		}
		if agree != tc.agree {
			t.Errorf("near %g: port agrees with math.Sincos: %v, want %v", tc.xs[0], agree, tc.agree)
		}
	}
}

// TestTrigGradLanesMatchValueGrad compares the vector gradients of the
// presets built on sines, cosines and exponentials with their ValueGrad,
// lane by lane and bit for bit, at a million points within the divergence
// bound: in the presets' boxes, far out, near the axes and the origin, and
// (Ackley) where the cone term is denormal or zero.
func TestTrigGradLanesMatchValueGrad(t *testing.T) {
	skipUnlessTrigExact(t)
	rng := rand.New(rand.NewPCG(3, 14))
	const n = 1 << 20
	xs, ys := make([]float64, 0, n), make([]float64, 0, n)
	for len(xs) < n {
		var x, y float64
		switch len(xs) % 6 {
		case 0: // the presets' boxes
			x, y = (rng.Float64()*2-1)*6, (rng.Float64()*2-1)*6
		case 1: // anywhere within the bound
			x = (rng.Float64()*2 - 1) * optim.DivergenceBound / 2
			y = (rng.Float64()*2 - 1) * optim.DivergenceBound / 2
		case 2: // Ackley's denormal and vanishing cone term
			r := 3400 + rng.Float64()*600
			a := rng.Float64() * 2 * math.Pi
			x, y = r*math.Cos(a)*math.Sqrt2, r*math.Sin(a)*math.Sqrt2
		case 3: // tiny, down to denormals
			x = math.Copysign(math.Exp2(-rng.Float64()*1074), rng.Float64()-0.5)
			y = math.Copysign(math.Exp2(-rng.Float64()*1074), rng.Float64()-0.5)
		case 4: // on an axis, or at the origin
			x, y = (rng.Float64()*2-1)*10, 0
			if rng.IntN(2) == 0 {
				x, y = y, x
			}
			if rng.IntN(8) == 0 {
				x, y = 0, math.Copysign(0, rng.Float64()-0.5)
			}
		default: // near multiples of 1/4 and 1/6, where the sines' quadrants change
			x = math.Round((rng.Float64()*2-1)*200)/12 + (rng.Float64()-0.5)*1e-12
			y = math.Round((rng.Float64()*2-1)*200)/12 + (rng.Float64()-0.5)*1e-12
		}
		xs, ys = append(xs, x), append(ys, y)
	}
	consts := newSimdConsts(&plan{})
	c := &consts
	gx, gy := make([]float64, n), make([]float64, n)
	for _, kind := range []struct {
		name string
		f    interface {
			ValueGrad(landscape.Vec) (float64, landscape.Vec)
		}
		g8 func(*simdConsts, f8, f8) (f8, f8)
		g4 func(*simdConsts, f4, f4) (f4, f4)
	}{
		{"rastrigin", landscape.Rastrigin{}, rastriginGrad8, rastriginGrad4},
		{"ackley", landscape.Ackley{}, ackleyGrad8, ackleyGrad4},
		{"levy13", landscape.Levy13{}, levy13Grad8, levy13Grad4},
		{"mccormick", landscape.McCormick{}, mcCormickGrad8, mcCormickGrad4},
	} {
		if vecGradOf(kind.f.(landscape.Function)) == nil {
			continue
		}
		for _, width := range mathKernels(t) {
			for i := 0; i < n; i += width {
				if width == 8 {
					a, b := kind.g8(c, load8((*[8]float64)(xs[i:])), load8((*[8]float64)(ys[i:])))
					store8(a, (*[8]float64)(gx[i:]))
					store8(b, (*[8]float64)(gy[i:]))
				} else {
					a, b := kind.g4(c, load4((*[4]float64)(xs[i:])), load4((*[4]float64)(ys[i:])))
					store4(a, (*[4]float64)(gx[i:]))
					store4(b, (*[4]float64)(gy[i:]))
				}
			}
			clearUpper()
			bad := 0
			for i := range n {
				_, g := kind.f.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]})
				if math.Float64bits(gx[i]) != math.Float64bits(g.X) || math.Float64bits(gy[i]) != math.Float64bits(g.Y) {
					if bad++; bad <= 3 {
						t.Errorf("%s, %d lanes, at (%v, %v): gradient (%v, %v), ValueGrad gives %v", kind.name, width, xs[i], ys[i], gx[i], gy[i], g)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%s, %d lanes: %d of %d points differ", kind.name, width, bad, n)
			}
		}
	}
}
