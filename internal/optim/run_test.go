package optim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

// runSGD is plain gradient descent written here so the run loop is tested
// independently of the registry's optimizers.
type runSGD struct{ lr float64 }

func (o *runSGD) Step(p, g landscape.Vec) landscape.Vec {
	return landscape.Vec{X: p.X - o.lr*g.X, Y: p.Y - o.lr*g.Y}
}
func (o *runSGD) SetLR(lr float64) { o.lr = lr }

// runHeavyBall is momentum SGD in PyTorch's form, a second rule that must
// see the same noise as runSGD.
type runHeavyBall struct {
	lr, mu float64
	b      landscape.Vec
	seen   []landscape.Vec // gradients received, if not nil
}

func (o *runHeavyBall) Step(p, g landscape.Vec) landscape.Vec {
	if o.seen != nil {
		o.seen = append(o.seen, g)
	}
	o.b = landscape.Vec{X: o.mu*o.b.X + g.X, Y: o.mu*o.b.Y + g.Y}
	return landscape.Vec{X: p.X - o.lr*o.b.X, Y: p.Y - o.lr*o.b.Y}
}
func (o *runHeavyBall) SetLR(lr float64) { o.lr = lr }

// recorder wraps an optimizer and keeps the gradients and learning rates
// it receives.
type recorder struct {
	Optimizer
	grads []landscape.Vec
	lrs   []float64
}

func (r *recorder) Step(p, g landscape.Vec) landscape.Vec {
	r.grads = append(r.grads, g)
	return r.Optimizer.Step(p, g)
}
func (r *recorder) SetLR(lr float64) { r.lrs = append(r.lrs, lr); r.Optimizer.SetLR(lr) }

// bowl is a*(x^2+y^2)/2.
type bowl struct{ a float64 }

func (b bowl) Value(p landscape.Vec) float64 { return b.a * (p.X*p.X + p.Y*p.Y) / 2 }
func (b bowl) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	return b.Value(p), landscape.Vec{X: b.a * p.X, Y: b.a * p.Y}
}

// logWall is log(x) + y^2: undefined (NaN) for x < 0.
type logWall struct{}

func (logWall) Value(p landscape.Vec) float64 { return math.Log(p.X) + p.Y*p.Y }
func (l logWall) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	return l.Value(p), landscape.Vec{X: 1 / p.X, Y: 2 * p.Y}
}

// tiltedWell is (x^2-1)^2 + x/2 + y^2: a global minimum near x = -1.06, a
// local one near x = 0.93 and a saddle between them.
type tiltedWell struct{}

func (tiltedWell) Value(p landscape.Vec) float64 {
	u := p.X*p.X - 1
	return u*u + p.X/2 + p.Y*p.Y
}
func (t tiltedWell) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	return t.Value(p), landscape.Vec{X: 4*p.X*(p.X*p.X-1) + 0.5, Y: 2 * p.Y}
}

// tiltedCritical finds tiltedWell's critical points by Newton's method on
// 4x^3 - 4x + 1/2 = 0, so the table is computed, not copied.
func tiltedCritical() []landscape.CriticalPoint {
	root := func(x float64) float64 {
		for range 50 {
			x -= (4*x*x*x - 4*x + 0.5) / (12*x*x - 4)
		}
		return x
	}
	var t tiltedWell
	g, l, s := root(-1), root(1), root(0)
	return []landscape.CriticalPoint{
		{Kind: landscape.Minimum, At: landscape.Vec{X: g}, Value: t.Value(landscape.Vec{X: g}), Global: true},
		{Kind: landscape.Minimum, At: landscape.Vec{X: l}, Value: t.Value(landscape.Vec{X: l})},
		{Kind: landscape.Saddle, At: landscape.Vec{X: s}, Value: t.Value(landscape.Vec{X: s})},
	}
}

// saddleFn is x^2 - y^2.
type saddleFn struct{}

func (saddleFn) Value(p landscape.Vec) float64 { return p.X*p.X - p.Y*p.Y }
func (s saddleFn) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	return s.Value(p), landscape.Vec{X: 2 * p.X, Y: -2 * p.Y}
}

// slope is c*x: a constant gradient (c, 0).
type slope struct{ c float64 }

func (s slope) Value(p landscape.Vec) float64 { return s.c * p.X }
func (s slope) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	return s.Value(p), landscape.Vec{X: s.c}
}

func TestRunOutcomes(t *testing.T) {
	crit := tiltedCritical()
	tests := []struct {
		name     string
		cfg      Config
		lr       float64
		status   Status
		step     int
		points   int
		reached  *landscape.CriticalPoint // for Converged: compared by value
		kind     landscape.Kind           // for Converged with no known point
		isGlobal bool
	}{
		{
			// x_k = (1-3)^k: |x_19| = 524288, |x_20| = 1048576 > 1e6, finite, so kept.
			name: "diverged past the bound", cfg: Config{Func: bowl{1}, Start: landscape.Vec{X: 1}, Steps: 100},
			lr: 3, status: Diverged, step: 20, points: 21,
		},
		{
			// x_1 = 1e-3 - 1e-303*1e307*1e-3 = -9.999: loss overflows to +Inf.
			name: "diverged by infinite loss", cfg: Config{Func: bowl{1e307}, Start: landscape.Vec{X: 1e-3}, Steps: 100},
			lr: 1e-303, status: Diverged, step: 1, points: 1,
		},
		{
			name: "diverged at the start", cfg: Config{Func: bowl{1}, Start: landscape.Vec{X: 2e6}, Steps: 10},
			lr: 0.1, status: Diverged, step: 0, points: 1,
		},
		{
			// x_1 = 0.5 - 1/0.5 = -1.5: log undefined.
			name: "left domain", cfg: Config{Func: logWall{}, Start: landscape.Vec{X: 0.5, Y: 1}, Steps: 100},
			lr: 1, status: LeftDomain, step: 1, points: 1,
		},
		{
			name: "left domain at the start", cfg: Config{Func: logWall{}, Start: landscape.Vec{X: -1}, Steps: 100},
			lr: 1, status: LeftDomain, step: 0, points: 0,
		},
		{
			name: "not converged: budget too small", cfg: Config{Func: bowl{1}, Start: landscape.Vec{X: 1, Y: 1}, Steps: 10},
			lr: 0.01, status: NotConverged, step: 10, points: 11,
		},
		{
			name: "not converged: zero steps", cfg: Config{Func: bowl{1}, Steps: 0},
			lr: 0.01, status: NotConverged, step: 0, points: 1,
		},
		{
			name: "converged to the global minimum", cfg: Config{Func: tiltedWell{}, Critical: crit, Start: landscape.Vec{X: -2, Y: 1}, Steps: 2000},
			lr: 0.01, status: Converged, points: 2001, reached: &crit[0], isGlobal: true,
		},
		{
			name: "converged to the local minimum", cfg: Config{Func: tiltedWell{}, Critical: crit, Start: landscape.Vec{X: 2, Y: -1}, Steps: 2000},
			lr: 0.01, status: Converged, points: 2001, reached: &crit[1],
		},
		{
			name: "converged to the saddle along its stable axis", cfg: Config{Func: tiltedWell{}, Critical: crit, Start: landscape.Vec{X: crit[2].At.X, Y: 1}, Steps: 2000},
			lr: 0.01, status: Converged, points: 2001, reached: &crit[2],
		},
		{
			name: "unknown minimum classified by Hessian", cfg: Config{Func: tiltedWell{}, Start: landscape.Vec{X: 2, Y: -1}, Steps: 2000},
			lr: 0.01, status: Converged, points: 2001, kind: landscape.Minimum,
		},
		{
			name: "unknown global minimum classified by Hessian", cfg: Config{Func: tiltedWell{}, Critical: crit[1:], Start: landscape.Vec{X: -2, Y: -1}, Steps: 2000},
			lr: 0.01, status: Converged, points: 2001, kind: landscape.Minimum, isGlobal: true,
		},
		{
			name: "unknown saddle classified by Hessian", cfg: Config{Func: saddleFn{}, Start: landscape.Vec{X: 3}, Steps: 2000},
			lr: 0.01, status: Converged, points: 2001, kind: landscape.Saddle,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pts, out, err := Run(context.Background(), tt.cfg, &runSGD{tt.lr}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if out.Status != tt.status || len(pts) != tt.points {
				t.Fatalf("got %v at step %d with %d points, want %v with %d points", out.Status, out.Step, len(pts), tt.status, tt.points)
			}
			if tt.status != Converged && out.Step != tt.step {
				t.Errorf("step = %d, want %d", out.Step, tt.step)
			}
			for i, p := range pts {
				if !(landscape.Vec{X: p.X, Y: p.Y}).IsFinite() || math.IsNaN(p.Loss) || math.IsInf(p.Loss, 0) {
					t.Fatalf("point %d not finite: %v", i, p)
				}
			}
			if tt.status != Converged {
				if out.Reached != nil {
					t.Errorf("Reached = %+v for %v", *out.Reached, out.Status)
				}
				return
			}
			if out.Step <= 0 || out.Step >= tt.cfg.Steps {
				t.Errorf("converged at step %d of %d", out.Step, tt.cfg.Steps)
			}
			// The recorded convergence step is where the tolerances first held.
			a, b := pts[out.Step-1], pts[out.Step]
			if d := math.Hypot(b.X-a.X, b.Y-a.Y); d > StepTol {
				t.Errorf("step length %g at the convergence step", d)
			}
			if a, b := pts[out.Step-2], pts[out.Step-1]; math.Hypot(b.X-a.X, b.Y-a.Y) <= StepTol {
				_, g := tt.cfg.Func.ValueGrad(landscape.Vec{X: b.X, Y: b.Y})
				if g.Norm() <= GradTol {
					t.Errorf("tolerances already met at step %d", out.Step-1)
				}
			}
			if out.Reached == nil {
				t.Fatal("Reached is nil for a converged run")
			}
			if tt.reached != nil {
				if *out.Reached != *tt.reached {
					t.Errorf("reached %+v, want %+v", *out.Reached, *tt.reached)
				}
			} else if out.Reached.Kind != tt.kind {
				t.Errorf("classified as %v, want %v", out.Reached.Kind, tt.kind)
			}
			if out.Reached.Global != tt.isGlobal {
				t.Errorf("Global = %v, want %v", out.Reached.Global, tt.isGlobal)
			}
		})
	}
}

func TestRunConvergedStepIsLastArrival(t *testing.T) {
	// Start on the saddle of x^2 - y^2 nudged off its stable axis: the run
	// is at rest for its first steps (gradient and steps below tolerance),
	// then slides away and diverges; with a bowl wall it would settle
	// elsewhere. Here it must not report the early rest as convergence.
	cfg := Config{Func: saddleFn{}, Start: landscape.Vec{Y: 1e-9}, Steps: 3000}
	_, out, err := Run(context.Background(), cfg, &runSGD{0.01}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != Diverged {
		t.Fatalf("got %v at %d, want diverged", out.Status, out.Step)
	}
	// tiltedWell from just right of the saddle: at rest near the saddle
	// for a while, then descends into the local minimum.
	crit := tiltedCritical()
	cfg = Config{Func: tiltedWell{}, Critical: crit, Start: landscape.Vec{X: crit[2].At.X + 1e-9}, Steps: 5000}
	pts, out, err := Run(context.Background(), cfg, &runSGD{0.01}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != Converged || *out.Reached != crit[1] {
		t.Fatalf("got %v reaching %+v", out.Status, out.Reached)
	}
	if d := math.Hypot(pts[out.Step].X-crit[1].At.X, pts[out.Step].Y-crit[1].At.Y); d > ReachTol {
		t.Errorf("convergence step %d is %g away from the minimum it reached", out.Step, d)
	}
}

func TestRunInvalidConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no function", Config{Steps: 1}},
		{"negative steps", Config{Func: bowl{1}, Steps: -1}},
		{"too many steps", Config{Func: bowl{1}, Steps: MaxSteps + 1}},
		{"negative noise", Config{Func: bowl{1}, Steps: 1, Noise: -1}},
		{"NaN noise", Config{Func: bowl{1}, Steps: 1, Noise: math.NaN()}},
		{"negative clip", Config{Func: bowl{1}, Steps: 1, ClipNorm: -1}},
		{"infinite start", Config{Func: bowl{1}, Steps: 1, Start: landscape.Vec{X: math.Inf(1)}}},
		{"schedule without lr", Config{Func: bowl{1}, Steps: 1, Schedule: constantSchedule{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := Run(context.Background(), tt.cfg, &runSGD{0.1}, nil); err == nil {
				t.Error("no error")
			}
		})
	}
}

// cancelAt is a bowl that cancels a context at its n-th evaluation, as a
// client leaving mid-run would.
type cancelAt struct {
	bowl
	n      int
	cancel context.CancelFunc
}

func (f *cancelAt) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	if f.n--; f.n == 0 {
		f.cancel()
	}
	return f.bowl.ValueGrad(p)
}

func TestRunCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := &cancelAt{bowl: bowl{1}, n: 1500, cancel: cancel}
	cfg := Config{Func: f, Start: landscape.Vec{X: 1, Y: 1}, Steps: 10_000}
	pts, _, err := Run(ctx, cfg, &runSGD{1e-4}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// Cancelled during step 1,499, noticed at the next check.
	if want := 2*contextCheckSteps + 1; len(pts) != want {
		t.Errorf("stopped after %d points, want %d", len(pts), want)
	}

	// Already cancelled: nothing runs.
	pts, _, err = Run(ctx, cfg, &runSGD{1e-4}, nil)
	if !errors.Is(err, context.Canceled) || len(pts) != 0 {
		t.Errorf("cancelled context: %d points, err %v", len(pts), err)
	}
}

func TestRunNoise(t *testing.T) {
	const steps, sigma = 20_000, 0.5
	flat := slope{0} // zero gradient: what an optimizer sees is the noise itself
	run := func(seed uint64, opt Optimizer) []landscape.Vec {
		rec := &recorder{Optimizer: opt}
		cfg := Config{Func: flat, Steps: steps, Seed: seed, Noise: sigma}
		if _, _, err := Run(context.Background(), cfg, rec, nil); err != nil {
			t.Fatal(err)
		}
		return rec.grads
	}
	a := run(7, &runSGD{0.1})
	b := run(7, &runHeavyBall{lr: 0.01, mu: 0.9})
	c := run(8, &runSGD{0.1})
	if !slices.Equal(a, b) {
		t.Error("two optimizers with the same seed saw different noise")
	}
	if slices.Equal(a, c) {
		t.Error("different seeds gave the same noise")
	}
	if !slices.Equal(a, run(7, &runSGD{0.1})) {
		t.Error("same seed, same optimizer: noise not reproducible")
	}
	// The noise is N(0, sigma^2) per component, independent across x and y.
	var sx, sy, sxx, syy, sxy float64
	for _, g := range a {
		sx, sy = sx+g.X, sy+g.Y
		sxx, syy, sxy = sxx+g.X*g.X, syy+g.Y*g.Y, sxy+g.X*g.Y
	}
	n := float64(len(a))
	se := sigma / math.Sqrt(n) // standard error of a mean
	for _, m := range []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"mean x", sx / n, 0, 4 * se},
		{"mean y", sy / n, 0, 4 * se},
		{"var x", sxx / n, sigma * sigma, 4 * sigma * sigma * math.Sqrt(2/n)},
		{"var y", syy / n, sigma * sigma, 4 * sigma * sigma * math.Sqrt(2/n)},
		{"cov xy", sxy / n, 0, 4 * sigma * sigma / math.Sqrt(n)},
	} {
		if math.Abs(m.got-m.want) > m.tol {
			t.Errorf("%s = %g, want %g ± %g", m.name, m.got, m.want, m.tol)
		}
	}

	// Convergence of a noisy run is judged on the exact gradient.
	crit := tiltedCritical()
	cfg := Config{Func: tiltedWell{}, Critical: crit, Start: landscape.Vec{X: -2, Y: 1}, Steps: 3000, Seed: 1, Noise: 0.05}
	_, out, err := Run(context.Background(), cfg, &runSGD{0.01}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != Converged || *out.Reached != crit[0] || out.Step > 300 {
		t.Errorf("noisy run: %v at step %d reaching %+v, want the global minimum within 300 steps", out.Status, out.Step, out.Reached)
	}
}

// TestRunNoisyConvergence checks the noisy-outcome rule on many runs
// against its definition, with tiltedWell's basins known exactly: the
// landscape is separable, so the descent from (x, y) ends in the global
// minimum when x is left of the saddle and in the local one when it is
// right of it. A run is Converged when its final window (Window) lies in
// the basin of the window's mean and the mean lies within ReachTol + 2
// spreads of that minimum, with Step the first step of the final stay and
// Hover the window's radius around the minimum; Wandering when the window
// lies in both basins. Every path must occur: settling at once, settling
// after crossing, wandering.
func TestRunNoisyConvergence(t *testing.T) {
	crit := tiltedCritical()
	f := tiltedWell{}
	ridge := crit[2].At.X
	basinOf := func(p Point) int {
		if p.X < ridge {
			return 0
		}
		return 1
	}
	count := map[string]int{}
	for _, c := range []struct {
		start landscape.Vec
		noise float64
		lr    float64
	}{{landscape.Vec{X: 1.5, Y: 0.5}, 0.05, 0.1}, {landscape.Vec{X: 1.5, Y: 0.5}, 1, 0.1}, {landscape.Vec{X: 1.5, Y: 0.5}, 1.5, 0.1}, {landscape.Vec{X: 1.5, Y: 0.5}, 3, 0.1}, {landscape.Vec{X: -2, Y: 1}, 1e-3, 0.01}} {
		for seed := range uint64(12) {
			cfg := Config{Func: f, Critical: crit, Start: c.start, Steps: 1500, Seed: seed, Noise: c.noise}
			pts, out, err := Run(context.Background(), cfg, &runSGD{c.lr}, nil)
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("noise %v seed %d", c.noise, seed)
			win := pts[len(pts)-Window(len(pts)):]
			var mx, my float64
			inWin := map[int]bool{}
			for _, q := range win {
				mx, my = mx+q.X, my+q.Y
				inWin[basinOf(q)] = true
			}
			mean := Point{X: mx / float64(len(win)), Y: my / float64(len(win))}
			var ss float64
			for _, q := range win {
				ss += (q.X-mean.X)*(q.X-mean.X) + (q.Y-mean.Y)*(q.Y-mean.Y)
			}
			spread := math.Sqrt(ss / float64(len(win)))
			b := basinOf(mean)
			dist := math.Hypot(mean.X-crit[b].At.X, mean.Y-crit[b].At.Y)
			switch {
			case len(inWin) == 2:
				if out.Status != Wandering || len(out.Between) != 2 || out.Between[0] != &crit[0] || out.Between[1] != &crit[1] || out.Reached != nil {
					t.Fatalf("%s: %v between %v, want wandering between both minima", name, out.Status, out.Between)
				}
				count["wandering"]++
			case !inWin[b] || dist > ReachTol+2*spread+1e-12:
				if out.Status != NotConverged {
					t.Fatalf("%s: %v, want not converged (mean %.3g from the minimum, spread %.3g)", name, out.Status, dist, spread)
				}
				count["not converged"]++
			default:
				from := len(pts)
				for from > 0 && basinOf(pts[from-1]) == b {
					from--
				}
				var hover float64
				for _, q := range win {
					hover = max(hover, math.Hypot(q.X-crit[b].At.X, q.Y-crit[b].At.Y))
				}
				if out.Status != Converged || out.Reached != &crit[b] || out.Step != from || math.Abs(out.Hover-hover) > 1e-12 {
					t.Fatalf("%s: %v at step %d reaching %v hover %v, want converged at %d reaching %v hover %v", name, out.Status, out.Step, out.Reached, out.Hover, from, crit[b], hover)
				}
				if from == 0 {
					count["settled at once"]++
				} else {
					count["settled after crossing"]++
				}
			}
		}
	}
	t.Log(count)
	for _, k := range []string{"wandering", "settled at once", "settled after crossing"} {
		if count[k] == 0 {
			t.Errorf("no run %s: the test needs every path (%v)", k, count)
		}
	}
}

// TestClipNormTorch checks clipNorm against gradients clipped by PyTorch
// 1.13's torch.nn.utils.clip_grad_norm_ (float64), printed with repr.
func TestClipNormTorch(t *testing.T) {
	tests := []struct{ x, y, maxNorm, wantX, wantY float64 }{
		{3.0, 4.0, 1.0, 0.599999880000024, 0.799999840000032},
		{0.1, -0.2, 0.05, 0.022360579775445106, -0.04472115955089021},
		{-123.456, 7.89, 2.5, -2.4949100508617574, 0.1594482269091763},
		{0.001, 0.002, 1.0, 0.001, 0.002},
		{2.5, -1.5, 2.9154759474226504, 2.4999991425073684, -1.499999485504421},
		{-0.7071067811865476, 0.7071067811865476, 0.3, -0.21213182222414206, 0.21213182222414206},
	}
	for _, tt := range tests {
		got := clipNorm(landscape.Vec{X: tt.x, Y: tt.y}, tt.maxNorm)
		if got.X != tt.wantX || got.Y != tt.wantY {
			t.Errorf("clip (%v, %v) to %v: got (%v, %v), PyTorch (%v, %v)", tt.x, tt.y, tt.maxNorm, got.X, got.Y, tt.wantX, tt.wantY)
		}
	}
}

func TestRunClip(t *testing.T) {
	tests := []struct {
		name  string
		f     landscape.Function
		noise float64
		clip  float64
		want  float64 // norm of every gradient seen (0: check <= clip only)
	}{
		{"clipped", slope{100}, 0, 1, 100 * (1 / (100 + clipEps))},
		{"below the norm unchanged", slope{0.5}, 0, 1, 0.5},
		{"off", slope{100}, 0, 0, 100},
		{"noise then clip", slope{0}, 3, 0.5, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{Optimizer: &runSGD{1e-3}}
			cfg := Config{Func: tt.f, Steps: 200, Seed: 3, Noise: tt.noise, ClipNorm: tt.clip}
			if _, _, err := Run(context.Background(), cfg, rec, nil); err != nil {
				t.Fatal(err)
			}
			clipped := 0
			for _, g := range rec.grads {
				n := g.Norm()
				switch {
				case tt.want != 0 && n != tt.want:
					t.Fatalf("seen gradient norm %v, want %v", n, tt.want)
				case tt.want == 0 && n > tt.clip:
					t.Fatalf("seen gradient norm %v above clip %v", n, tt.clip)
				case math.Abs(n-tt.clip) < 1e-6:
					clipped++
				}
			}
			if tt.noise > 0 && clipped < len(rec.grads)/2 {
				t.Errorf("only %d of %d noisy gradients clipped", clipped, len(rec.grads))
			}
		})
	}
}

func TestRunAllocs(t *testing.T) {
	crit := tiltedCritical()
	tests := []struct {
		name string
		cfg  Config
		opt  Optimizer
	}{
		{"sgd", Config{Func: tiltedWell{}, Critical: crit, Start: landscape.Vec{X: 2, Y: 1}, Steps: 2000}, &runSGD{0.01}},
		{"noise and clip", Config{Func: tiltedWell{}, Critical: crit, Start: landscape.Vec{X: 2, Y: 1}, Steps: 2000, Noise: 0.1, ClipNorm: 1}, &runHeavyBall{lr: 0.01, mu: 0.5}},
		{"constant schedule", Config{Func: tiltedWell{}, Critical: crit, Start: landscape.Vec{X: 2, Y: 1}, Steps: 2000, Schedule: constantSchedule{}, LR: 0.01}, &runSGD{0.01}},
		{"step schedule", Config{Func: tiltedWell{}, Critical: crit, Start: landscape.Vec{X: 2, Y: 1}, Steps: 2000, Schedule: stepLR{stepSize: 100, gamma: 0.9}, LR: 0.01}, &runSGD{0.01}},
		{"cosine schedule", Config{Func: tiltedWell{}, Critical: crit, Start: landscape.Vec{X: 2, Y: 1}, Steps: 2000, Schedule: cosineAnnealingLR{tMax: 500, etaMin: 1e-3}, LR: 0.01}, &runSGD{0.01}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := make([]Point, 0, tt.cfg.Steps+1)
			allocs := testing.AllocsPerRun(20, func() {
				var err error
				buf, _, err = Run(context.Background(), tt.cfg, tt.opt, buf)
				if err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("%v allocations per run with a pre-sized buffer", allocs)
			}
		})
	}
}

// TestRunReferenceDivergence runs the PyTorch reference divergence cases
// (plain SGD on Rosenbrock with too large a learning rate) through Run:
// the run must stop with Diverged at the reference's diverged_at_step,
// keeping that row exactly when it is finite, and follow the reference
// rows before it.
func TestRunReferenceDivergence(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/torch-trajectories.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			ID             string         `json:"id"`
			Function       string         `json:"function"`
			Start          [2]float64     `json:"start"`
			Optimizer      string         `json:"optimizer"`
			Hyper          map[string]any `json:"hyperparameters"`
			Steps          int            `json:"steps"`
			DivergedAtStep int            `json:"diverged_at_step"`
			Trajectory     [][3]any       `json:"trajectory"`
		} `json:"divergence_cases"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	num := func(v any) float64 {
		switch v := v.(type) {
		case float64:
			return v
		case string:
			f, err := strconv.ParseFloat(v, 64) // "nan", "inf", "-inf"
			if err != nil {
				t.Fatalf("bad number %q", v)
			}
			return f
		}
		t.Fatalf("bad number %v", v)
		return 0
	}
	if len(ref.Cases) == 0 {
		t.Fatal("no divergence cases")
	}
	for _, c := range ref.Cases {
		t.Run(c.ID, func(t *testing.T) {
			preset, ok := landscape.Lookup(c.Function)
			if !ok || c.Optimizer != "sgd" {
				t.Fatalf("case needs preset %q and optimizer %q", c.Function, c.Optimizer)
			}
			opt, _, err := New("sgd", Values{"lr": {c.Hyper["lr"].(float64)}})
			if err != nil {
				t.Fatal(err)
			}
			cfg := Config{Func: preset.Func, Start: landscape.Vec{X: c.Start[0], Y: c.Start[1]}, Steps: c.Steps}
			pts, out, err := Run(context.Background(), cfg, opt, nil)
			if err != nil {
				t.Fatal(err)
			}
			at := c.DivergedAtStep
			row := c.Trajectory[at]
			wantLen := at
			if x, y, f := num(row[0]), num(row[1]), num(row[2]); !math.IsNaN(x+y+f) && !math.IsInf(x+y+f, 0) {
				wantLen = at + 1
			}
			if out.Status != Diverged || out.Step != at || len(pts) != wantLen {
				t.Fatalf("%v at step %d with %d points, want diverged at %d with %d points", out.Status, out.Step, len(pts), at, wantLen)
			}
			for k, p := range pts {
				for i, got := range []float64{p.X, p.Y} {
					want := num(c.Trajectory[k][i])
					if math.Abs(got-want) > 1e-9*max(math.Abs(want), 1e-3) {
						t.Fatalf("row %d coord %d: %v, PyTorch %v", k, i, got, want)
					}
				}
			}
		})
	}
}

// TestRunInvariants runs every optimizer on every preset from random
// starts with learning rates from tiny to absurd, with and without noise,
// clipping and a schedule, and checks what every caller relies on: no
// error, only finite points, as many points as the outcome says, and a
// named end for converged runs.
func TestRunInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	presets := landscape.Presets()
	opts := List()
	sched, _, err := NewSchedule("cosineannealinglr", Values{"T_max": {50}})
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[Status]int{}
	for i := range 400 {
		p := presets[i%len(presets)]
		info := opts[(i/len(presets))%len(opts)]
		d := p.Domain
		start := landscape.Vec{X: d.XMin + rng.Float64()*(d.XMax-d.XMin), Y: d.YMin + rng.Float64()*(d.YMax-d.YMin)}
		lr := p.LR * math.Pow(10, rng.Float64()*6-3) // 1e-3x to 1e3x the preset's rate
		cfg := Config{Func: p.Func, Critical: p.Critical, Start: start, Steps: 200, Seed: rng.Uint64()}
		if rng.IntN(3) == 0 {
			cfg.Noise = rng.Float64() * 2
		}
		if rng.IntN(3) == 0 {
			cfg.ClipNorm = rng.Float64() * 5
		}
		if rng.IntN(4) == 0 {
			cfg.Schedule, cfg.LR = sched, lr
		}
		opt, _, err := New(info.Name, Values{"lr": {lr}})
		if err != nil {
			t.Fatal(err)
		}
		pts, out, err := Run(context.Background(), cfg, opt, nil)
		name := fmt.Sprintf("%s on %s from %v lr %g: %v at %d", info.Name, p.ID, start, lr, out.Status, out.Step)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		statuses[out.Status]++
		for _, q := range pts {
			if math.IsNaN(q.X+q.Y+q.Loss) || math.IsInf(q.X+q.Y+q.Loss, 0) {
				t.Fatalf("%s: non-finite point %v", name, q)
			}
		}
		switch out.Status {
		case Diverged, LeftDomain:
			if len(pts) != out.Step && len(pts) != out.Step+1 {
				t.Fatalf("%s: %d points", name, len(pts))
			}
		case NotConverged:
			if len(pts) != cfg.Steps+1 || out.Step != cfg.Steps || out.Reached != nil {
				t.Fatalf("%s: %d points, reached %v", name, len(pts), out.Reached)
			}
		case Converged:
			first := 1 // a noisy run that never left its basin settled at its start
			if cfg.Noise > 0 {
				first = 0
			}
			if len(pts) != cfg.Steps+1 || out.Step < first || out.Step > cfg.Steps || out.Reached == nil {
				t.Fatalf("%s: %d points, reached %v", name, len(pts), out.Reached)
			}
		case Wandering:
			if cfg.Noise == 0 || len(pts) != cfg.Steps+1 || out.Step != cfg.Steps || out.Reached != nil || len(out.Between) < 2 {
				t.Fatalf("%s: %d points, reached %v, between %v", name, len(pts), out.Reached, out.Between)
			}
		}
	}
	t.Logf("outcomes: %v", statuses)
	if statuses[Converged] == 0 || statuses[NotConverged] == 0 || statuses[Diverged] == 0 {
		t.Errorf("outcomes %v: the sample must include converged, not converged and diverged runs", statuses)
	}
}
