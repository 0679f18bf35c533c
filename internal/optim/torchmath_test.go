package optim

import (
	"math"
	"math/big"
	"testing"
)

// exactPow is b^n correctly rounded to float64, computed with enough bits
// that the product is exact.
func exactPow(b float64, n int) float64 {
	x := new(big.Float).SetPrec(uint(53*n + 64)).SetFloat64(b)
	r := new(big.Float).SetPrec(uint(53*n + 64)).SetFloat64(1)
	for range n {
		r.Mul(r, x)
	}
	f, _ := r.Float64()
	return f
}

// TestPowSeqCorrectlyRounded: beta^t from powSeq is the correctly rounded
// power for every step of a long run, where math.Pow is not.
func TestPowSeqCorrectlyRounded(t *testing.T) {
	const steps = 400
	for _, b := range []float64{0.9, 0.99, 0.999, 0.95, 0.8, 0.5, 0} {
		s := newPowSeq(b)
		powDiffers := 0
		for n := 1; n <= steps; n++ {
			got, want := s.next(), exactPow(b, n)
			if got != want {
				t.Fatalf("%v^%d = %v, want %v", b, n, got, want)
			}
			if math.Pow(b, float64(n)) != want {
				powDiffers++
			}
		}
		t.Logf("base %v: math.Pow differs from the correctly rounded power at %d of %d steps", b, powDiffers, steps)
	}
}

// TestPowLnCorrectlyRounded checks the double-double exp at integer
// exponents, where the exact answer is known, and at y = 0.
func TestPowLnCorrectlyRounded(t *testing.T) {
	if got := powLn(lnScheduleBase, 0); got != 1 {
		t.Fatalf("0.96^0 = %v", got)
	}
	for n := 1; n <= 300; n++ {
		if got, want := powLn(lnScheduleBase, float64(n)), exactPow(0.96, n); got != want {
			t.Fatalf("0.96^%d = %v, want %v", n, got, want)
		}
	}
	// The constant is ln of the float64 0.96, to double-double accuracy.
	if lnScheduleBase.hi != math.Log(0.96) || math.Abs(lnScheduleBase.lo) > 0x1p-53*math.Abs(lnScheduleBase.hi) {
		t.Fatalf("lnScheduleBase %v does not match math.Log(0.96) = %v", lnScheduleBase, math.Log(0.96))
	}
}

// TestKernels pins the rounding of each torch kernel on an input where the
// fused and unfused results differ.
func TestKernels(t *testing.T) {
	a, s, b := 1.0, 1.0+0x1p-30, 1.0-0x1p-30 // s*b = 1 - 2^-60 exactly; rounded alone it is 1
	if got := addScaled(-a, s, b); got != -0x1p-60 {
		t.Errorf("addScaled fused: got %v, want -2^-60", got)
	}
	if got := addcmul(-a, 1, s, b); got != -0x1p-60 {
		t.Errorf("addcmul fused: got %v, want -2^-60", got)
	}
	if got := addcdiv(-a, s, b, 1); got != 0 {
		t.Errorf("addcdiv unfused: got %v, want 0", got)
	}
}

// TestSchedulePow: the cached-factor schedule gives the correctly rounded
// 0.96^fl(t*momentum_decay) at every step, as a fresh powLn does.
func TestSchedulePow(t *testing.T) {
	for _, md := range []float64{0.004, 0.01, 0.1, 1, 0.3, 0} {
		s := newSchedulePow(lnScheduleBase)
		for step := 1.0; step <= 3000; step++ {
			y := float64(step * md)
			if got, want := s.advance(y), powLn(lnScheduleBase, y); got != want {
				t.Fatalf("momentum_decay %v, step %v: %v, want %v", md, step, got, want)
			}
		}
	}
}
