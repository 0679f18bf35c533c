package landscape

import (
	"context"
	"math"
	"testing"
)

// TestFindCriticalRastriginComplete checks that FindCritical finds every
// critical point of Rastrigin in its default domain, saddles and maxima
// included: the function is separable, so they are exactly the pairs of the
// 1D critical points (121 minima, 220 saddles, 100 maxima), computed here
// independently by rastriginAxisRoots.
func TestFindCriticalRastriginComplete(t *testing.T) {
	d := Domain{-5.12, 5.12, -5.12, 5.12}
	mins, maxs := rastriginAxisRoots(d.XMin, d.XMax)
	type key struct{ i, j int } // position rounded to the half-integer grid
	round := func(v float64) int { return int(math.Round(2 * v)) }
	want := map[key]Kind{}
	for _, x := range mins {
		for _, y := range mins {
			want[key{round(x), round(y)}] = Minimum
		}
		for _, y := range maxs {
			want[key{round(x), round(y)}] = Saddle
			want[key{round(y), round(x)}] = Saddle
		}
	}
	for _, x := range maxs {
		for _, y := range maxs {
			want[key{round(x), round(y)}] = Maximum
		}
	}
	if len(want) != 441 {
		t.Fatalf("expected 441 critical points from the 1D roots, built %d", len(want))
	}
	got, err := FindCritical(context.Background(), Rastrigin{}, d)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[key]bool{}
	for _, cp := range got {
		k := key{round(cp.At.X), round(cp.At.Y)}
		if w, ok := want[k]; !ok || w != cp.Kind || seen[k] {
			t.Errorf("unexpected %v at %v (want %v, present %v, seen %v)", cp.Kind, cp.At, w, ok, seen[k])
		}
		seen[k] = true
		if _, g := (Rastrigin{}).ValueGrad(cp.At); g.Norm() > 1e-9 {
			t.Errorf("%v at %v: gradient %v", cp.Kind, cp.At, g)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("found %d of %d critical points", len(seen), len(want))
	}
}
