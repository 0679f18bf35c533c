package basin

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// collectSweep runs Sweep and returns the results by index, checking that
// each index arrives exactly once.
func collectSweep(t *testing.T, cfg SweepConfig) []SweepResult {
	t.Helper()
	out := make([]SweepResult, cfg.count())
	seen := make([]bool, len(out))
	err := Sweep(context.Background(), cfg, func(i int, r SweepResult) error {
		if seen[i] {
			t.Errorf("index %d emitted twice", i)
		}
		seen[i] = true
		out[i] = r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.Index(seen, false); i >= 0 {
		t.Fatalf("index %d never emitted", i)
	}
	return out
}

// TestSweepMatchesRun compares every sweep point with optim.Run at that
// learning rate, and the learning rates with LogSpace.
func TestSweepMatchesRun(t *testing.T) {
	him := preset(t, "himmelblau")
	for _, cfg := range []SweepConfig{
		{Func: him.Func, Critical: him.Critical, Start: him.Start, Optimizer: "adam", LRMin: 1e-4, LRMax: 10, Count: 24, Steps: 300},
		{Func: him.Func, Critical: him.Critical, Start: him.Start, Optimizer: "sgd", Values: optim.Values{"momentum": {0.9}, "lr": {123}},
			LRMin: 1e-5, LRMax: 1, Count: 17, Steps: 200, Noise: 0.1, Seed: 7},
		{Func: logBowl{}, Start: landscape.Vec{X: -7, Y: 1}, Optimizer: "sgd", LRMin: 1e-3, LRMax: 1, Count: 3, Steps: 10},
	} {
		got := collectSweep(t, cfg)
		lrs := LogSpace(cfg.LRMin, cfg.LRMax, cfg.count())
		for i, r := range got {
			if r.LR != lrs[i] {
				t.Errorf("result %d: lr %v, want %v", i, r.LR, lrs[i])
			}
			opt, _, err := optim.New(cfg.Optimizer, cfg.values(lrs[i]))
			if err != nil {
				t.Fatal(err)
			}
			pts, o, err := optim.Run(context.Background(), cfg.runConfig(lrs[i]), opt, nil)
			if err != nil {
				t.Fatal(err)
			}
			c := cellOf(pts, o, cfg.Critical)
			want := SweepResult{LR: lrs[i], Status: o.Status, Step: o.Step, Reached: int(c.Reached), End: c.End,
				Points: len(pts), StepsToConverge: -1, Hover: o.Hover}
			for _, b := range o.Between {
				want.Between = append(want.Between, *b)
			}
			if o.Status == optim.Converged {
				want.StepsToConverge = o.Step
			}
			if len(pts) > 0 {
				want.FinalLoss, want.MinLoss = pts[len(pts)-1].Loss, math.Inf(1)
				for _, p := range pts {
					want.MinLoss = min(want.MinLoss, p.Loss)
				}
			}
			if !reflect.DeepEqual(r, want) {
				t.Errorf("%s lr %v: got %+v, optim.Run gives %+v", cfg.Optimizer, lrs[i], r, want)
			}
		}
	}
}

// TestSweepQuadraticThreshold checks the sweep against theory: plain SGD
// on 0.5(x²+y²) multiplies the distance to the minimum by |1-lr| per step,
// so it diverges exactly for lr > 2, converges fast near lr = 1 and crawls
// for tiny lr.
func TestSweepQuadraticThreshold(t *testing.T) {
	q := preset(t, "quadratic")
	cfg := SweepConfig{Func: q.Func, Critical: q.Critical, Start: landscape.Vec{X: 1, Y: -1},
		Optimizer: "sgd", LRMin: 1e-4, LRMax: 100, Count: 40, Steps: 2000}
	res := collectSweep(t, cfg)
	sum := Summarize(res)
	lrs := LogSpace(cfg.LRMin, cfg.LRMax, cfg.count())
	want := lrs[slices.IndexFunc(lrs, func(lr float64) bool { return lr > 2 })]
	if sum.Threshold != want {
		t.Errorf("threshold %v, want %v (the first lr above 2)", sum.Threshold, want)
	}
	for i, r := range res {
		var region Region
		switch {
		case r.LR > 2:
			region = TooLarge
		case r.Status == optim.Converged:
			region = Good
		}
		if r.LR <= 2 && r.Status == optim.Diverged {
			t.Errorf("lr %v diverged", r.LR)
		}
		if sum.Regions[i] != region && !(region == TooSmall && sum.Regions[i] == Good) {
			t.Errorf("lr %v (%v): region %v, want %v", r.LR, r.Status, sum.Regions[i], region)
		}
	}
	if sum.Regions[0] != TooSmall || slices.Index(sum.Regions, Good) < 0 {
		t.Errorf("regions %v: want too_small, then good, then too_large", sum.Regions)
	}
}

func TestSummarize(t *testing.T) {
	const (
		c = optim.Converged
		n = optim.NotConverged
		d = optim.Diverged
		l = optim.LeftDomain
	)
	for _, tc := range []struct {
		name      string
		statuses  []optim.Status
		regions   string // s = too small, g = good, l = too large
		threshold int    // index, -1 = none
	}{
		{"textbook", []optim.Status{n, n, c, c, c, d, d}, "ssgggll", 5},
		{"noisy middle", []optim.Status{n, c, n, c, d, c, d}, "sggglll", 4},
		{"left domain counts as too large", []optim.Status{n, c, l, d}, "sgll", 2},
		{"never converges", []optim.Status{n, n, d}, "ssl", 2},
		{"never diverges", []optim.Status{n, c, c}, "sgg", -1},
		{"all converge", []optim.Status{c, c}, "gg", -1},
		{"diverges from the start", []optim.Status{d, c}, "ll", 0},
		{"empty", nil, "", -1},
	} {
		res := make([]SweepResult, len(tc.statuses))
		for i, st := range tc.statuses {
			res[i] = SweepResult{LR: float64(i + 1), Status: st}
		}
		s := Summarize(res)
		got := ""
		for _, r := range s.Regions {
			got += map[Region]string{TooSmall: "s", Good: "g", TooLarge: "l"}[r]
		}
		wantT := 0.0
		if tc.threshold >= 0 {
			wantT = float64(tc.threshold + 1)
		}
		if got != tc.regions || s.Threshold != wantT {
			t.Errorf("%s: regions %q threshold %v, want %q %v", tc.name, got, s.Threshold, tc.regions, wantT)
		}
	}
}

func TestLogSpace(t *testing.T) {
	got := LogSpace(1e-5, 10, 64)
	if len(got) != 64 || got[0] != 1e-5 || got[63] != 10 {
		t.Fatalf("ends: %v .. %v (%d values)", got[0], got[len(got)-1], len(got))
	}
	ratio := math.Pow(1e6, 1.0/63)
	for i := 1; i < len(got); i++ {
		if r := got[i] / got[i-1]; math.Abs(r-ratio) > 1e-10 {
			t.Errorf("ratio %d: %v, want %v", i, r, ratio)
		}
	}
	if got := LogSpace(0.1, 1, 2); !slices.Equal(got, []float64{0.1, 1}) {
		t.Errorf("two values: %v", got)
	}
	// Decades print as decades: the page shows these numbers.
	if got := LogSpace(1e-5, 10, 7); !slices.Equal(got, []float64{1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10}) {
		t.Errorf("decades: %v", got)
	}
}

func TestSweepRejectsBadConfig(t *testing.T) {
	q := preset(t, "quadratic")
	base := SweepConfig{Func: q.Func, Start: q.Start, Optimizer: "adam", LRMin: 1e-3, LRMax: 1, Steps: 10}
	for _, tc := range []struct {
		name   string
		change func(*SweepConfig)
	}{
		{"no function", func(c *SweepConfig) { c.Func = nil }},
		{"one lr", func(c *SweepConfig) { c.Count = 1 }},
		{"too many", func(c *SweepConfig) { c.Count = SweepCountLimit + 1 }},
		{"zero lr", func(c *SweepConfig) { c.LRMin = 0 }},
		{"reversed range", func(c *SweepConfig) { c.LRMin, c.LRMax = 1, 1e-3 }},
		{"infinite max", func(c *SweepConfig) { c.LRMax = math.Inf(1) }},
		{"NaN min", func(c *SweepConfig) { c.LRMin = math.NaN() }},
		{"unknown optimizer", func(c *SweepConfig) { c.Optimizer = "adan" }},
		{"bad hyperparameter", func(c *SweepConfig) { c.Values = optim.Values{"betas": {1.5, 0.9}} }},
		{"too many steps", func(c *SweepConfig) { c.Steps = optim.MaxSteps + 1 }},
		{"infinite start", func(c *SweepConfig) { c.Start.X = math.Inf(-1) }},
	} {
		cfg := base
		tc.change(&cfg)
		called := false
		err := Sweep(context.Background(), cfg, func(int, SweepResult) error { called = true; return nil })
		if err == nil || called {
			t.Errorf("%s: err %v, emitted %v; want an error and nothing emitted", tc.name, err, called)
		}
	}
	// The limits themselves are accepted, and Count 0 means the default.
	for _, n := range []int{0, SweepCountMin, SweepCountLimit} {
		cfg := base
		cfg.Count, cfg.Steps = n, 1
		got := 0
		if err := Sweep(context.Background(), cfg, func(int, SweepResult) error { got++; return nil }); err != nil {
			t.Fatalf("count %d: %v", n, err)
		}
		if want := cfg.count(); got != want {
			t.Errorf("count %d: %d results, want %d", n, got, want)
		}
	}
}

func TestSweepCancel(t *testing.T) {
	ros := preset(t, "rosenbrock")
	cfg := SweepConfig{Func: ros.Func, Start: ros.Start, Optimizer: "adam", LRMin: 1e-4, LRMax: 1e-2, Count: 64,
		Steps: optim.MaxSteps, Workers: 2}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	err := Sweep(ctx, cfg, func(int, SweepResult) error { n++; cancel(); return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n >= cfg.Count {
		t.Errorf("all %d results emitted despite cancellation", n)
	}
	stop := errors.New("client gone")
	calls := 0
	err = Sweep(context.Background(), cfg, func(int, SweepResult) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("emit error: err %v after %d calls, want %v after 1", err, calls, stop)
	}
}
