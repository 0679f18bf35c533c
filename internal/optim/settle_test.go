package optim

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

func TestWindow(t *testing.T) {
	for _, tt := range []struct{ n, want int }{
		{0, 0}, {5, 5}, {20, 20}, {21, 20}, {200, 20}, {201, 21}, {501, 51}, {100_001, 10_001},
	} {
		if got := Window(tt.n); got != tt.want {
			t.Errorf("Window(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

// TestSettle runs the rule on sequences of basins written out by hand.
func TestSettle(t *testing.T) {
	seq := func(parts ...[2]int) []int { // {basin, count} runs
		var s []int
		for _, p := range parts {
			for range p[1] {
				s = append(s, p[0])
			}
		}
		return s
	}
	tests := []struct {
		name  string
		seq   []int
		mean  int
		want  Settlement
		calls int // basinOf calls at most
	}{
		{"never left", seq([2]int{3, 100}), 3, Settlement{Status: Converged, Basin: 3}, 100},
		{"crossed once", seq([2]int{1, 30}, [2]int{0, 70}), 0, Settlement{Status: Converged, Basin: 0, From: 30}, 71},
		{"crossed back and forth before the window", seq([2]int{1, 30}, [2]int{0, 10}, [2]int{1, 5}, [2]int{0, 55}), 0, Settlement{Status: Converged, Basin: 0, From: 45}, 56},
		{"hops in the window", seq([2]int{0, 90}, [2]int{2, 5}, [2]int{0, 5}), 0, Settlement{Status: Wandering, Between: []int{0, 2}}, 20},
		{"hops among three", seq([2]int{5, 85}, [2]int{2, 5}, [2]int{7, 5}, [2]int{5, 5}), 5, Settlement{Status: Wandering, Between: []int{2, 5, 7}}, 20},
		{"window in one basin, mean in another", seq([2]int{1, 100}), 0, Settlement{Status: NotConverged}, 20},
		{"mean in no basin", seq([2]int{1, 100}), NoBasin, Settlement{Status: NotConverged}, 0},
		{"a point in no basin", seq([2]int{1, 95}, [2]int{NoBasin, 1}, [2]int{1, 4}), 1, Settlement{Status: NotConverged}, 20},
		{"too short to judge", seq([2]int{1, 19}), 1, Settlement{Status: NotConverged}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := map[int]int{}
			got := Settle(len(tt.seq), tt.mean, func(i int) int { calls[i]++; return tt.seq[i] })
			if got.Status != tt.want.Status || got.Basin != tt.want.Basin || got.From != tt.want.From || !slices.Equal(got.Between, tt.want.Between) {
				t.Errorf("Settle = %+v, want %+v", got, tt.want)
			}
			if len(calls) > tt.calls {
				t.Errorf("basinOf asked about %d points, want at most %d", len(calls), tt.calls)
			}
			for i, c := range calls {
				if c > 1 {
					t.Errorf("basinOf asked %d times about point %d", c, i)
				}
			}
		})
	}
}

// TestDescentBasins checks the noise-free descent against basins known
// exactly: the double-well x^4 - 2.625x^2 + 1.25x + y^2 is separable, so
// points left of the saddle's x = 0.25 descend into the global minimum at
// x = -1.25 and points right of it into the local one at x = 1, however far
// up the walls they start.
func TestDescentBasins(t *testing.T) {
	p, _ := landscape.Lookup("double-well")
	glob, local := -1, -1
	for i, c := range p.Critical {
		switch {
		case c.Kind == landscape.Minimum && c.Global:
			glob = i
		case c.Kind == landscape.Minimum:
			local = i
		}
	}
	var found []landscape.Vec
	bf := newBasinFinder(p.Critical, nil, &found)
	for _, x := range []float64{-3, -2, -1.25, -0.5, 0.2, 0.249, 0.251, 0.3, 1, 2, 3} {
		for _, y := range []float64{-3, 0, 0.7, 3} {
			want := glob
			if x > 0.25 {
				want = local
			}
			if got := bf.of(p.Func, landscape.Vec{X: x, Y: y}); got != want {
				t.Errorf("basin of (%v, %v) = %d, want %d", x, y, got, want)
			}
		}
	}
	if len(found) != 0 {
		t.Errorf("descents ended at unlisted points %v", found)
	}
}

// TestNoisyRunNotThereYet: a noisy run crawling along Rosenbrock's valley
// lies in the basin of the minimum all along, but its end is far from it,
// farther than its small noise explains, so it has not converged; the same
// run given the steps to arrive has, and hovers close to the minimum.
func TestNoisyRunNotThereYet(t *testing.T) {
	p, _ := landscape.Lookup("rosenbrock")
	for _, tt := range []struct {
		steps int
		want  Status
	}{{2000, NotConverged}, {100_000, Converged}} {
		cfg := Config{Func: p.Func, Critical: p.Critical, Start: landscape.Vec{X: -1.5, Y: 2}, Steps: tt.steps, Seed: 1, Noise: 0.01}
		pts, out, err := Run(context.Background(), cfg, &runSGD{1e-3}, nil)
		if err != nil {
			t.Fatal(err)
		}
		end := pts[len(pts)-1]
		if out.Status != tt.want {
			t.Fatalf("%d steps: %v (end (%.3g, %.3g)), want %v", tt.steps, out.Status, end.X, end.Y, tt.want)
		}
		if out.Status == Converged && (out.Hover > 0.05 || out.Hover <= 0 || math.Hypot(end.X-out.Reached.At.X, end.Y-out.Reached.At.Y) > out.Hover) {
			t.Errorf("hover %v, end (%v, %v) from %v", out.Hover, end.X, end.Y, out.Reached.At)
		}
	}
}

// lateCancel is a context that is cancelled from its n-th Err call on.
type lateCancel struct {
	context.Context
	n, calls int
}

func (c *lateCancel) Err() error {
	if c.calls++; c.calls >= c.n {
		return context.Canceled
	}
	return nil
}

// TestJudgeNoisyCancel: judging a long noisy run (a descent per point of
// its final stay) notices a cancellation, as the steps do.
func TestJudgeNoisyCancel(t *testing.T) {
	p, _ := landscape.Lookup("double-well")
	cfg := Config{Func: p.Func, Critical: p.Critical, Start: landscape.Vec{X: -1, Y: 0}, Steps: 20_000, Seed: 1, Noise: 0.5}
	// Run checks the context once before the first step and every 1,024
	// steps: 20 times; the 21st check is the judge's.
	ctx := &lateCancel{Context: context.Background(), n: 21}
	_, _, err := Run(ctx, cfg, &runSGD{0.05}, nil)
	if err != context.Canceled {
		t.Fatalf("err %v, want context.Canceled from the judge (%d checks)", err, ctx.calls)
	}
	_, out, err := Run(context.Background(), cfg, &runSGD{0.05}, nil)
	if err != nil || out.Status != Converged || out.Step != 0 {
		t.Fatalf("uncancelled: %v at step %d, %v; want converged at step 0 (it never leaves the basin)", out.Status, out.Step, err)
	}
}
