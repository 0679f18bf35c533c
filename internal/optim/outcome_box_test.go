package optim

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

// TestOutcomeAgainstBox: a run that ends outside the box its critical
// points were found on says so, describes its own end point and is never
// global there; a run that ends lower than every known global minimum says
// so; runs on the box and runs without a box are as before; and no run
// changes the list it is judged against.
func TestOutcomeAgainstBox(t *testing.T) {
	right := landscape.Domain{XMin: 1, XMax: 3, YMin: -1, YMax: 1}
	centred := landscape.Domain{XMin: -1, XMax: 1, YMin: -1, YMax: 1}
	// The lowest point of 0.5(x²+y²) on right is its edge point (1, 0).
	edge := []landscape.CriticalPoint{{At: landscape.Vec{X: 1}, Value: 0.5, Kind: landscape.Minimum, Global: true, Edge: true}}
	origin := []landscape.CriticalPoint{{Value: 0, Kind: landscape.Minimum, Global: true}}
	// A list that missed the lowest point, as a search of a rugged
	// function might.
	missed := []landscape.CriticalPoint{{At: landscape.Vec{X: 0.5}, Value: 0.125, Kind: landscape.Minimum, Global: true}}
	for _, tc := range []struct {
		name           string
		box            landscape.Domain
		crit           []landscape.CriticalPoint
		start          landscape.Vec
		lr, noise      float64
		steps          int
		status         Status
		outside, below bool
		reachedKnown   bool // Reached points into crit
		reachedGlobal  bool
	}{
		{"converged outside the box, below its edge minimum", right, edge, landscape.Vec{X: 2, Y: 0.5}, 0.5, 0, 200, Converged, true, true, false, false},
		{"the same without a box", landscape.Domain{}, edge, landscape.Vec{X: 2, Y: 0.5}, 0.5, 0, 200, Converged, false, false, false, true},
		{"converged inside at the known global", centred, origin, landscape.Vec{X: 0.5, Y: 0.5}, 0.5, 0, 200, Converged, false, false, true, true},
		{"converged inside below a list that missed it", centred, missed, landscape.Vec{X: 0.5, Y: 0.5}, 0.5, 0, 200, Converged, false, true, false, true},
		{"still moving outside the box", right, edge, landscape.Vec{X: 2}, 0.01, 0, 100, NotConverged, true, true, false, false},
		{"still moving inside the box", right, edge, landscape.Vec{X: 2}, 0.001, 0, 100, NotConverged, false, false, false, false},
		// A noisy run is judged by its own rule; where it ends is judged
		// against the box all the same.
		{"noisy, ended outside the box", right, edge, landscape.Vec{X: 2, Y: 0.5}, 0.5, 0.01, 200, Converged, true, true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := slices.Clone(tc.crit)
			cfg := Config{Func: landscape.Quadratic{}, Critical: tc.crit, Box: tc.box, Start: tc.start, Steps: tc.steps, Noise: tc.noise, Seed: 1}
			_, out, err := Run(context.Background(), cfg, &runSGD{lr: tc.lr}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if out.OutsideBox != tc.outside || out.BelowGlobal != tc.below || (tc.noise == 0 && out.Status != tc.status) {
				t.Errorf("status %v, outside %v, below %v; want %v, %v, %v", out.Status, out.OutsideBox, out.BelowGlobal, tc.status, tc.outside, tc.below)
			}
			if out.Reached != nil && tc.outside && out.Reached.Global {
				t.Errorf("reached %+v outside the box is called global", *out.Reached)
			}
			if tc.status == Converged && tc.noise == 0 {
				r := out.Reached
				if r == nil {
					t.Fatal("a converged run names no point")
				}
				if known := r == &tc.crit[0]; known != tc.reachedKnown || r.Global != tc.reachedGlobal {
					t.Errorf("reached %+v: known %v, global %v; want %v, %v", *r, known, r.Global, tc.reachedKnown, tc.reachedGlobal)
				}
				if !tc.reachedKnown && (r.Kind != landscape.Minimum || math.Hypot(r.At.X, r.At.Y) > 1e-5) {
					t.Errorf("reached %+v, want the end point, the minimum at the origin", *r)
				}
			}
			if !slices.Equal(tc.crit, before) {
				t.Errorf("the run changed the list it was judged against: %+v, was %+v", tc.crit, before)
			}
		})
	}
}
