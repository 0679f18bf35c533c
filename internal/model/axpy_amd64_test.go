package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAxpy8Kernel: the assembly kernel agrees with the Go loop to rounding
// at every length (vector body and scalar tail) and in every mode.
func TestAxpy8Kernel(t *testing.T) {
	if !hasFMA {
		t.Skip("no AVX2 and FMA")
	}
	r := rand.New(rand.NewPCG(1, 1))
	const stride = 40
	x := make([]float64, 8*stride)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	s := make([]float64, 8)
	for i := range s {
		s[i] = r.NormFloat64()
	}
	for mode := range 4 {
		for n := range stride + 1 {
			y, want := make([]float64, n), make([]float64, n)
			for i := range y {
				y[i] = r.NormFloat64()
				want[i] = y[i]
			}
			bias := r.NormFloat64()
			axpy8(y, s, x, stride, bias, mode)
			axpy8Go(want, s, x, stride, bias, mode)
			for i := range y {
				if math.Abs(y[i]-want[i]) > 1e-14*(1+math.Abs(want[i])) || math.Signbit(y[i]) != math.Signbit(want[i]) {
					t.Fatalf("mode %d n %d row %d: kernel %v, Go %v", mode, n, i, y[i], want[i])
				}
				if mode&kernelReLU != 0 && math.Signbit(y[i]) {
					t.Fatalf("mode %d: ReLU left %v", mode, y[i])
				}
			}
		}
	}
}

// TestGradientWithoutFMA reruns the finite-difference and plain-loop
// tests on the Go loops.
func TestGradientWithoutFMA(t *testing.T) {
	saved := hasFMA
	hasFMA = false
	defer func() { hasFMA = saved }()
	TestGradientFiniteDifferences(t)
	TestLossMatchesPlainLoops(t)
}

// TestLayer4Kernel: the four-unit layer kernel gives the Go loop's bits
// (the same fused multiply-adds in the same order) for every input count
// up to a layer of MaxUnits and past it, every block count of a chunk, and
// both modes, and writes nothing past its rows.
func TestLayer4Kernel(t *testing.T) {
	if !hasFMA {
		t.Skip("no AVX2 and FMA")
	}
	r := rand.New(rand.NewPCG(2, 2))
	const stride = chunkRows
	for in := 1; in <= MaxUnits+1; in++ {
		a := make([]float64, in*stride)
		for i := range a {
			a[i] = r.NormFloat64()
		}
		w := make([]float64, 4*in)
		for i := range w {
			w[i] = r.NormFloat64()
		}
		bias := [4]float64{r.NormFloat64(), r.NormFloat64(), r.NormFloat64(), r.NormFloat64()}
		for blocks := 1; blocks <= stride/8; blocks++ {
			for _, fuse := range []bool{false, true} {
				got, want := make([]float64, 4*stride), make([]float64, 4*stride)
				for i := range got {
					got[i] = 42
					want[i] = 42
				}
				layer4(got, w, in, &bias, a, stride, blocks, fuse)
				layer4Go(want, w, in, &bias, a, stride, blocks, fuse)
				for i := range got {
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
						t.Fatalf("in %d blocks %d relu %v: z[%d] kernel %v, Go %v", in, blocks, fuse, i, got[i], want[i])
					}
				}
			}
		}
	}
}
