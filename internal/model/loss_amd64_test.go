package model

import (
	"math"
	"testing"
)

// TestBCESumKernel checks the vector loss row by row against the scalar
// bceWithLogits (four equal rows sum to exactly four times one row's
// loss) over logits from -750 to 750, at exp's and log1p's table points
// and midpoints, for both labels; and that a block with a logit beyond 700
// or NaN, and rows after the last whole block, fall back to Go.
func TestBCESumKernel(t *testing.T) {
	if !hasFMA {
		t.Skip("no AVX2 and FMA")
	}
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
	z, y := make([]float64, 4), make([]float64, 4)
	for _, x := range xs {
		if math.Abs(x) > 1e300 && !math.IsInf(x, 0) {
			continue // four of them overflow the sum
		}
		for _, t1 := range []float64{0, 1} {
			for i := range z {
				z[i], y[i] = x, t1
			}
			want := bceWithLogits(x, t1)
			got := bceSum(z, y) / 4
			if math.IsNaN(want) {
				if !math.IsNaN(got) {
					t.Fatalf("x %v y %v: kernel %v, want NaN", x, t1, got)
				}
				continue
			}
			if math.Abs(got-want) > 2.5e-16*want {
				t.Fatalf("x %.17g y %v: kernel %.17g, bceWithLogits %.17g", x, t1, got, want)
			}
		}
	}
	// Mixed rows and lengths, blocks with and without a large logit.
	z = []float64{0.3, -2, 5, 40, -0.01, 1e-9, 12, -33, 0, 2.5, 701, -3, 7}
	y = []float64{1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0}
	for n := range len(z) + 1 {
		got, want := bceSum(z[:n], y[:n]), bceSumGo(z[:n], y[:n])
		if math.Abs(got-want) > 1e-14*math.Max(1, want) {
			t.Errorf("%d rows: kernel %.17g, Go %.17g", n, got, want)
		}
	}
}
