package optim

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/basin-dev/basin/internal/landscape"
)

// The benchmarks come in pairs: Run with a registry optimizer and a preset
// function, and a hand-written loop doing the same arithmetic with no
// interface, no registry and no shared helper (gradient, update, stopping
// and at-rest tests, recording). TestHandLoopsMatchRun proves the pairs
// compute bit-identical trajectories, so the ratio measures only the cost of
// the abstraction. docs/BENCHMARKS.md records the figures.

const benchSteps = 1000

// benchCase is one benchmarked run: a preset (function, known critical
// points, start), an optimizer and its settings.
type benchCase struct {
	preset string
	opt    string
	values Values
	seed   uint64
	noise  float64
}

// adamRosenbrock: Adam with PyTorch's defaults at lr 0.1 (the PyTorch
// reference data's Adam rate for Rosenbrock) from the preset's start.
var adamRosenbrock = benchCase{
	preset: "rosenbrock",
	opt:    "adam",
	values: Values{"lr": {0.1}},
}

// nesterovRastrigin: SGD with Nesterov momentum 0.9 and gradient noise of
// std dev 1 on Rastrigin at the preset's rate, so neither the optimizer nor
// the function of the first pair is the only one measured.
var nesterovRastrigin = benchCase{
	preset: "rastrigin",
	opt:    "sgd",
	values: Values{"lr": {0.002}, "momentum": {0.9}, "nesterov": {1}},
	seed:   42,
	noise:  1,
}

func (c benchCase) config(tb testing.TB) Config {
	p, ok := landscape.Lookup(c.preset)
	if !ok {
		tb.Fatalf("no preset %q", c.preset)
	}
	return Config{Func: p.Func, Critical: p.Critical, Start: p.Start, Steps: benchSteps, Seed: c.seed, Noise: c.noise}
}

// benchRun times b.N runs of c through Run. Optimizers are built before the
// timer starts: New validates and resolves a map of values, a per-run cost
// the API pays once per optimizer, not per step.
func benchRun(b *testing.B, c benchCase) {
	opts := make([]Optimizer, b.N)
	for i := range opts {
		o, _, err := New(c.opt, c.values)
		if err != nil {
			b.Fatal(err)
		}
		opts[i] = o
	}
	cfg := c.config(b)
	buf := make([]Point, 0, benchSteps+1)
	ctx := context.Background()
	took := make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		var err error
		buf, _, err = Run(ctx, cfg, opts[i], buf)
		if err != nil {
			b.Fatal(err)
		}
		took[i] = time.Since(t0)
	}
	reportPerStep(b, took)
}

// reportPerStep reports the median run's cost per step as ns/step. Runs
// are timed one by one because the median, unlike the mean ns/op, ignores
// the runs that a neighbour's burst of work slowed down on a shared
// machine.
func reportPerStep(b *testing.B, took []time.Duration) {
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds())/benchSteps, "ns/step")
}

func BenchmarkRunAdamRosenbrock(b *testing.B) { benchRun(b, adamRosenbrock) }

func BenchmarkHandAdamRosenbrock(b *testing.B) {
	cfg := adamRosenbrock.config(b)
	buf := make([]Point, 0, benchSteps+1)
	took := make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		clearUpper() // as Run does (avx.go)
		t0 := time.Now()
		buf, _ = handAdamRosenbrock(buf, cfg.Start, cfg.Critical)
		took[i] = time.Since(t0)
	}
	reportPerStep(b, took)
}

func BenchmarkRunNesterovRastrigin(b *testing.B) { benchRun(b, nesterovRastrigin) }

func BenchmarkHandNesterovRastrigin(b *testing.B) {
	cfg := nesterovRastrigin.config(b)
	buf := make([]Point, 0, benchSteps+1)
	took := make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		clearUpper() // as Run does (avx.go)
		t0 := time.Now()
		buf, _ = handNesterovRastrigin(buf, cfg.Start, cfg.Critical)
		took[i] = time.Since(t0)
	}
	reportPerStep(b, took)
}

// The Ratio benchmarks alternate one Run and one hand loop per iteration
// and report the median cost per step of each and the ratio of the medians.
// On a shared machine the load changes from second to second: interleaving
// exposes both loops to the same load, and the median ignores the runs a
// neighbour's burst slowed down, so the ratio is stable where two separate
// benchmarks are not.

func BenchmarkRatioAdamRosenbrock(b *testing.B) { benchRatio(b, adamRosenbrock, handAdamRosenbrock) }

func BenchmarkRatioNesterovRastrigin(b *testing.B) {
	benchRatio(b, nesterovRastrigin, handNesterovRastrigin)
}

func benchRatio(b *testing.B, c benchCase, hand func([]Point, landscape.Vec, []landscape.CriticalPoint) ([]Point, int)) {
	opts := make([]Optimizer, b.N)
	for i := range opts {
		o, _, err := New(c.opt, c.values)
		if err != nil {
			b.Fatal(err)
		}
		opts[i] = o
	}
	cfg := c.config(b)
	buf := make([]Point, 0, benchSteps+1)
	ctx := context.Background()
	inRun, inHand := make([]time.Duration, b.N), make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		buf, _, _ = Run(ctx, cfg, opts[i], buf)
		t1 := time.Now()
		buf, _ = hand(buf, cfg.Start, cfg.Critical)
		inRun[i], inHand[i] = t1.Sub(t0), time.Since(t1)
	}
	b.StopTimer()
	slices.Sort(inRun)
	slices.Sort(inHand)
	run, hnd := inRun[b.N/2], inHand[b.N/2]
	b.ReportMetric(float64(run.Nanoseconds())/benchSteps, "run-ns/step")
	b.ReportMetric(float64(hnd.Nanoseconds())/benchSteps, "hand-ns/step")
	b.ReportMetric(float64(run)/float64(hnd), "ratio")
}

// handAdamRosenbrock is adamRosenbrock written out: Rosenbrock's gradient,
// PyTorch's Adam (betas 0.9/0.999, eps 1e-8, rounded as torch's kernels
// round: see torchmath.go) and Run's per-step tests, inline. It returns the
// points and the step it converged at (or stopped, or the budget).
func handAdamRosenbrock(buf []Point, start landscape.Vec, crit []landscape.CriticalPoint) ([]Point, int) {
	// Variables, not constants: Go folds 1-0.9 exactly at compile time,
	// while PyTorch (and Run) round 1-beta1 at run time.
	lr, b1, b2, eps := 0.1, 0.9, 0.999, 1e-8
	x, y := start.X, start.Y
	a, c := 1-x, y-float64(x*x)
	f := float64(a*a) + float64(100*(c*c))
	gx, gy := float64(-2*a)-float64(400*x*c), 200*c
	buf = append(buf[:0], Point{x, y, f})
	var mx, my, vx, vy float64
	// beta^t as double-double running products, correctly rounded (see
	// powSeq).
	p1, p1lo, p2, p2lo := 1.0, 0.0, 1.0, 0.0
	settled := -1
	for k := 1; k <= benchSteps; k++ {
		h := float64(p1 * b1) // explicit rounding: keep h + e below unfused
		e := math.FMA(p1, b1, -h) + float64(p1lo*b1)
		p1 = h + e
		p1lo = e - (p1 - h)
		h = float64(p2 * b2)
		e = math.FMA(p2, b2, -h) + float64(p2lo*b2)
		p2 = h + e
		p2lo = e - (p2 - h)
		stepSize := lr / (1 - p1)
		bc2 := math.Sqrt(1 - p2)
		mx = math.FMA(1-b1, gx, mx*b1)
		vx = math.FMA(float64((1-b2)*gx), gx, vx*b2)
		nx := x + float64(-stepSize*mx)/(math.Sqrt(vx)/bc2+eps)
		my = math.FMA(1-b1, gy, my*b1)
		vy = math.FMA(float64((1-b2)*gy), gy, vy*b2)
		ny := y + float64(-stepSize*my)/(math.Sqrt(vy)/bc2+eps)

		a, c = 1-nx, ny-float64(nx*nx)
		f = float64(a*a) + float64(100*(c*c))
		gx, gy = float64(-2*a)-float64(400*nx*c), 200*c
		if handStops(nx, ny, f) {
			return buf, k
		}
		buf = append(buf, Point{nx, ny, f})
		dx, dy := nx-x, ny-y
		if float64(gx*gx)+float64(gy*gy) <= GradTol*GradTol && float64(dx*dx)+float64(dy*dy) <= StepTol*StepTol {
			if settled < 0 {
				settled = k
			}
		} else {
			settled = -1
		}
		x, y = nx, ny
	}
	return buf, handEnd(settled, x, y, crit)
}

// handNesterovRastrigin is nesterovRastrigin written out: Rastrigin's
// gradient, the noise draw (PCG and the polar method), PyTorch's SGD with
// Nesterov momentum and Run's per-step tests, inline.
func handNesterovRastrigin(buf []Point, start landscape.Vec, crit []landscape.CriticalPoint) ([]Point, int) {
	lr, mu, sigma := 0.002, 0.9, 1.0
	var pcg rand.PCG
	pcg.Seed(42, noiseStream)
	x, y := start.X, start.Y
	sx, cx := math.Sincos(2 * math.Pi * x)
	sy, cy := math.Sincos(2 * math.Pi * y)
	f := 20 + float64(x*x) - float64(10*cx) + float64(y*y) - float64(10*cy)
	gx, gy := float64(2*x)+float64(20*math.Pi*sx), float64(2*y)+float64(20*math.Pi*sy)
	buf = append(buf[:0], Point{x, y, f})
	var bx, by float64
	for k := 1; k <= benchSteps; k++ {
		var u, v, s float64
		for {
			u = float64(pcg.Uint64()>>11)*0x1p-52 - 1
			v = float64(pcg.Uint64()>>11)*0x1p-52 - 1
			s = float64(u*u) + float64(v*v)
			if s < 1 && s != 0 {
				break
			}
		}
		m := math.Sqrt(-2 * math.Log(s) / s)
		dx := gx + float64(sigma*(u*m))
		dy := gy + float64(sigma*(v*m))
		if k == 1 {
			bx, by = dx, dy
		} else {
			bx = math.FMA(1-0, dx, bx*mu)
			by = math.FMA(1-0, dy, by*mu)
		}
		nx := math.FMA(-lr, math.FMA(mu, bx, dx), x)
		ny := math.FMA(-lr, math.FMA(mu, by, dy), y)

		sx, cx = math.Sincos(2 * math.Pi * nx)
		sy, cy = math.Sincos(2 * math.Pi * ny)
		f = 20 + float64(nx*nx) - float64(10*cx) + float64(ny*ny) - float64(10*cy)
		gx, gy = float64(2*nx)+float64(20*math.Pi*sx), float64(2*ny)+float64(20*math.Pi*sy)
		if handStops(nx, ny, f) {
			return buf, k
		}
		buf = append(buf, Point{nx, ny, f})
		x, y = nx, ny
	}
	// A noisy run's end is judged once from its points, the same work
	// after either loop, so the hand loop calls Run's judge.
	rastrigin, _ := landscape.Lookup("rastrigin")
	out, _ := judgeNoisy(context.Background(), &Config{Func: rastrigin.Func, Critical: crit, Steps: benchSteps}, buf)
	return buf, out.Step
}

// handEnd is Run's end-of-run work for the hand loops: find the known
// critical point a converged run reached (the benchmarked runs reach a
// known one or none, never needing a Hessian).
func handEnd(settled int, x, y float64, crit []landscape.CriticalPoint) int {
	if settled < 0 {
		return benchSteps
	}
	best := ReachTol
	for _, c := range crit {
		if d := math.Hypot(x-c.At.X, y-c.At.Y); d <= best {
			best = d
		}
	}
	return settled
}

// handStops is Run's stopping test written for the hand loops (inlined by
// the compiler).
func handStops(x, y, f float64) bool {
	return math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) ||
		math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(x)+math.Abs(y) > DivergenceBound
}

// TestHandLoopsMatchRun checks that each hand loop computes exactly what
// Run computes, so the benchmark ratios compare like with like.
func TestHandLoopsMatchRun(t *testing.T) {
	tests := []struct {
		name string
		c    benchCase
		hand func([]Point, landscape.Vec, []landscape.CriticalPoint) ([]Point, int)
	}{
		{"adam rosenbrock", adamRosenbrock, handAdamRosenbrock},
		{"nesterov rastrigin", nesterovRastrigin, handNesterovRastrigin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, _, err := New(tt.c.opt, tt.c.values)
			if err != nil {
				t.Fatal(err)
			}
			cfg := tt.c.config(t)
			got, out, err := Run(context.Background(), cfg, o, nil)
			if err != nil {
				t.Fatal(err)
			}
			want, step := tt.hand(nil, cfg.Start, cfg.Critical)
			if out.Step != step {
				t.Errorf("Run ended %v at step %d, the hand loop at %d", out.Status, out.Step, step)
			}
			if len(got) != benchSteps+1 || !slices.Equal(got, want) {
				i := 0
				for i < min(len(got), len(want)) && got[i] == want[i] {
					i++
				}
				t.Fatalf("Run and the hand loop differ from point %d (lengths %d, %d): %v vs %v", i, len(got), len(want), got[i], want[i])
			}
		})
	}
}

// BenchmarkJudgeNesterovRastrigin times judgeNoisy alone on the
// NesterovRastrigin run's points, in ns per step of that run, so that its
// share of BenchmarkRunNesterovRastrigin (which includes it) is a ratio of
// two figures measured side by side.
func BenchmarkJudgeNesterovRastrigin(b *testing.B) {
	cfg := nesterovRastrigin.config(b)
	o, _, err := New(nesterovRastrigin.opt, nesterovRastrigin.values)
	if err != nil {
		b.Fatal(err)
	}
	pts, _, err := Run(context.Background(), cfg, o, nil)
	if err != nil {
		b.Fatal(err)
	}
	took := make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		judgeNoisy(context.Background(), &cfg, pts)
		took[i] = time.Since(t0)
	}
	reportPerStep(b, took)
}
