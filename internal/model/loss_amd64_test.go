package model

import (
	"math"
	"testing"
)

// TestBCESumKernel checks the vector loss (AVX2, and AVX-512 where the
// machine has it) row by row against the scalar bceWithLogits (eight equal
// rows sum to exactly eight times one row's loss) over logits from -750 to
// 750, at exp's and log1p's table points and midpoints, for both labels;
// and that a call with a logit beyond 700 or NaN, and rows after the last
// whole vector, fall back to Go.
func TestBCESumKernel(t *testing.T) {
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
		tol := 2.5e-16 // the scalar code's method: within about an ulp of it
		if wide {
			// Its own exp table and series: at the largest differences
			// (4.6e-16) each side was within 3.1e-16 of the exact value.
			tol = 5e-16
		}
		testBCESum(t, tol)
	}
}

func testBCESum(t *testing.T, tol float64) {
	var xs []float64
	for i := -150000; i <= 150000; i++ {
		xs = append(xs, float64(i)/200)
	}
	for k := range 4000 {
		c := float64(k) * math.Ln2 / (2 * expSteps)
		xs = append(xs, c, -c, math.Nextafter(c, 0), math.Nextafter(c, 1))
	}
	for k := range 2*log1pSteps + 1 {
		a := -math.Log(float64(k) / (2 * log1pSteps)) // exp(-a) at log1p's points and midpoints
		xs = append(xs, a, -a, math.Nextafter(a, 0), math.Nextafter(a, 800))
	}
	xs = append(xs, 700, -700, 701, math.Inf(1), math.Inf(-1), math.NaN())
	z, y := make([]float64, 8), make([]float64, 8)
	worst := 0.0
	defer func() { t.Logf("largest relative difference %.3g", worst) }()
	for _, x := range xs {
		if math.Abs(x) > 1e300 && !math.IsInf(x, 0) {
			continue // eight of them overflow the sum
		}
		for _, t1 := range []float64{0, 1} {
			for i := range z {
				z[i], y[i] = x, t1
			}
			want := bceWithLogits(x, t1)
			got := bceSum(z, y) / 8
			if math.IsNaN(want) {
				if !math.IsNaN(got) {
					t.Fatalf("x %v y %v: kernel %v, want NaN", x, t1, got)
				}
				continue
			}
			if d := math.Abs(got-want) / want; d > worst && want > 1e-300 {
				worst = d
			}
			if math.Abs(got-want) > tol*want+1e-305 { // below, sums of subnormals round
				t.Fatalf("x %.17g y %v: kernel %.17g, bceWithLogits %.17g", x, t1, got, want)
			}
		}
	}
	// Mixed rows and lengths, blocks with and without a large logit.
	for _, big := range []int{-1, 2, 6, 10, 17} {
		z = []float64{0.3, -2, 5, 40, -0.01, 1e-9, 12, -33, 0, 2.5, 71, -3, 7, 0.5, -1, 3, 2, -4, 9}
		y = []float64{1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0}
		if big >= 0 {
			z[big] = 701
		}
		for n := range len(z) + 1 {
			got, want := bceSum(z[:n], y[:n]), bceSumGo(z[:n], y[:n])
			if math.Abs(got-want) > 1e-14*math.Max(1, want) {
				t.Errorf("%d rows, 701 at %d: kernel %.17g, Go %.17g", n, big, got, want)
			}
		}
	}
}
