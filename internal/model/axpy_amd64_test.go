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

// TestGradientWithoutFMA reruns the finite-difference test on the Go loop.
func TestGradientWithoutFMA(t *testing.T) {
	saved := hasFMA
	hasFMA = false
	defer func() { hasFMA = saved }()
	TestGradientFiniteDifferences(t)
}
