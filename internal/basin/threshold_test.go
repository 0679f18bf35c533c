package basin

import (
	"context"
	"math"
	"strconv"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

func TestRoundUp(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		d    int
		want float64
	}{
		{2.07e-3, 3, 2.07e-3}, {2.0701e-3, 3, 2.08e-3}, {2.0749e-3, 3, 2.08e-3}, {2.0699e-3, 3, 2.07e-3},
		{9.991, 3, 10}, {9.999e-5, 2, 1e-4}, {1, 1, 1}, {1.0000001, 1, 2}, {123456, 6, 123456}, {0.30000000000000004, 2, 0.31},
	} {
		if got := roundUp(tt.v, tt.d); got != tt.want {
			t.Errorf("roundUp(%v, %d) = %v, want %v", tt.v, tt.d, got, tt.want)
		}
	}
}

// TestRefineThreshold: SGD on Rosenbrock from (-1.5, 2). The grid of 64
// rates only brackets the divergence threshold; the refined one must be a
// rate of the asked resolution, no larger than the grid's first diverging
// rate rounded up, whose next smaller rate of that resolution does not
// diverge, the same on every call; at 2 and 3 digits (the default) its own
// run diverges (at 4 it need not: divergence is not monotone in the rate
// that close to the edge).
func TestRefineThreshold(t *testing.T) {
	ros := preset(t, "rosenbrock")
	run := func(cfg SweepConfig, lr float64) optim.Status {
		opt, _, err := optim.New(cfg.Optimizer, cfg.values(lr))
		if err != nil {
			t.Fatal(err)
		}
		_, o, err := optim.Run(context.Background(), cfg.runConfig(lr), opt, nil)
		if err != nil {
			t.Fatal(err)
		}
		return o.Status
	}
	for _, digits := range []int{2, 0, 4} {
		cfg := SweepConfig{Func: ros.Func, Critical: ros.Critical, Start: landscape.Vec{X: -1.5, Y: 2}, Optimizer: "sgd",
			LRMin: 1e-5, LRMax: 10, Count: 64, Steps: 500, ThresholdDigits: digits}
		rs := collectSweep(t, cfg)
		grid := Summarize(rs).Threshold
		got, err := RefineThreshold(context.Background(), cfg, rs)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := RefineThreshold(context.Background(), cfg, rs)
		d := cfg.digits()
		// The next smaller rate of d digits: one unit in the last place.
		exp := math.Floor(math.Log10(got))
		below, _ := strconv.ParseFloat(strconv.FormatFloat(got-math.Pow(10, exp-float64(d-1)), 'e', d-1, 64), 64)
		t.Logf("%d digits: grid threshold %v, refined %v, next below %v", d, grid, got, below)
		switch {
		case again != got:
			t.Errorf("%d digits: %v, then %v", d, got, again)
		case !(got > 0 && got <= roundUp(grid, d)):
			t.Errorf("%d digits: refined %v, grid %v", d, got, grid)
		case roundUp(got, d) != got || len(strconv.FormatFloat(got, 'e', -1, 64)) > len(strconv.FormatFloat(got, 'e', d-1, 64)):
			t.Errorf("%d digits: %v has more digits", d, got)
		case d <= 3 && !diverges(run(cfg, got)):
			t.Errorf("%d digits: %v does not diverge", d, got)
		case diverges(run(cfg, below)):
			t.Errorf("%d digits: %v diverges too", d, below)
		}
	}
}

func TestRefineThresholdEdges(t *testing.T) {
	q := preset(t, "quadratic")
	base := SweepConfig{Func: q.Func, Critical: q.Critical, Start: q.Start, Optimizer: "sgd", Count: 8, Steps: 100}
	none, all := base, base
	none.LRMin, none.LRMax = 1e-4, 1e-2
	all.LRMin, all.LRMax = 100, 1000
	for _, tt := range []struct {
		name string
		cfg  SweepConfig
		want func(rs []SweepResult) float64
	}{
		{"nothing diverges", none, func([]SweepResult) float64 { return 0 }},
		{"everything diverges", all, func(rs []SweepResult) float64 { return rs[0].LR }},
	} {
		rs := collectSweep(t, tt.cfg)
		got, err := RefineThreshold(context.Background(), tt.cfg, rs)
		if err != nil || got != tt.want(rs) {
			t.Errorf("%s: %v, %v", tt.name, got, err)
		}
	}
	bad := base
	bad.LRMin, bad.LRMax, bad.ThresholdDigits = 1e-3, 1, ThresholdDigitsLimit+1
	if _, err := RefineThreshold(context.Background(), bad, nil); err == nil {
		t.Error("threshold digits above the limit accepted")
	}
}
