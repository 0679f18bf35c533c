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

// TestGradientWithoutFMA reruns the finite-difference, plain-loop and
// columns tests on the Go loops.
func TestGradientWithoutFMA(t *testing.T) {
	saved := hasFMA
	hasFMA = false
	defer func() { hasFMA = saved }()
	TestGradientFiniteDifferences(t)
	TestLossMatchesPlainLoops(t)
	TestLossColumns(t)
}

// TestLayer4Kernel: the four-unit layer kernels (AVX2, and AVX-512 where
// the machine has it) give the Go loop's bits (the same fused
// multiply-adds in the same order) for every input count up to a layer of
// MaxUnits and past it, every row count of a chunk, and both modes, and
// write nothing past the last block of rows.
func TestLayer4Kernel(t *testing.T) {
	if !hasFMA {
		t.Skip("no AVX2 and FMA")
	}
	saved := hasAVX512
	defer func() { hasAVX512 = saved }()
	for _, wide := range []bool{false, true} {
		if wide && !saved {
			t.Log("no AVX-512: the AVX-512 kernel is not tested")
			continue
		}
		hasAVX512 = wide
		testLayer4(t, wide)
	}
}

func testLayer4(t *testing.T, wide bool) {
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
		for n := 1; n <= stride; n++ {
			for _, fuse := range []bool{false, true} {
				got, want := make([]float64, 4*stride), make([]float64, 4*stride)
				for i := range got {
					got[i] = 42
					want[i] = 42
				}
				layer4(got, w, in, &bias, a, stride, n, fuse)
				layer4Go(want, w, in, &bias, a, stride, n, fuse)
				for i := range got {
					row := i % stride
					if row >= n && row < (n+15)/16*16 {
						continue // the last block's spare rows
					}
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
						t.Fatalf("avx512 %v, in %d, %d rows, relu %v: z[%d] kernel %v, Go %v", wide, in, n, fuse, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestLayer8Kernel: the eight-unit AVX-512 kernel gives the bits of the Go
// loop on units 0-3 and 4-7 for every input count, row count of a chunk
// and mode, and writes nothing past the last block of rows.
func TestLayer8Kernel(t *testing.T) {
	if !hasAVX512 {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(3, 3))
	const stride = chunkRows
	for in := 1; in <= MaxUnits+1; in++ {
		a := make([]float64, in*stride)
		for i := range a {
			a[i] = r.NormFloat64()
		}
		w := make([]float64, 8*in)
		for i := range w {
			w[i] = r.NormFloat64()
		}
		var bias [8]float64
		for i := range bias {
			bias[i] = r.NormFloat64()
		}
		lo, hi := (*[4]float64)(bias[:4]), (*[4]float64)(bias[4:])
		for n := 1; n <= stride; n++ {
			for _, fuse := range []bool{false, true} {
				got, want := make([]float64, 8*stride), make([]float64, 8*stride)
				for i := range got {
					got[i] = 42
					want[i] = 42
				}
				layer8(got, w, in, &bias, a, stride, n, fuse)
				layer4Go(want, w, in, lo, a, stride, n, fuse)
				layer4Go(want[4*stride:], w[4*in:], in, hi, a, stride, n, fuse)
				for i := range got {
					row := i % stride
					if row >= n && row < (n+15)/16*16 {
						continue // the last block's spare rows
					}
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
						t.Fatalf("in %d, %d rows, relu %v: z[%d] kernel %v, Go %v", in, n, fuse, i, got[i], want[i])
					}
				}
			}
		}
	}
}
