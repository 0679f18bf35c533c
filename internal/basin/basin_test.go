package basin

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

func preset(t testing.TB, id string) landscape.Preset {
	t.Helper()
	p, ok := landscape.Lookup(id)
	if !ok {
		t.Fatalf("no preset %q", id)
	}
	return p
}

// logBowl is x²+y²+log(x+6): undefined (NaN) for x < -6, so runs started
// or pushed there leave the domain. It is not a preset and has no batched
// form, so it also exercises the fallback loop over ValueGrad.
type logBowl struct{}

func (logBowl) Value(p landscape.Vec) float64 {
	return float64(p.X*p.X) + float64(p.Y*p.Y) + math.Log(p.X+6)
}

func (b logBowl) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	return b.Value(p), landscape.Vec{X: float64(2*p.X) + 1/(p.X+6), Y: 2 * p.Y}
}

// halving halves the learning rate every 50 steps, like PyTorch's StepLR.
type halving struct{}

func (halving) LR(base float64, step int) float64 {
	return base * math.Pow(0.5, float64(step/50))
}

// engineCases are basin maps chosen to reach every outcome: convergence to
// each of several minima, not converging, diverging and leaving the domain,
// with every Adam option the fast engines support.
func engineCases(t testing.TB) []struct {
	name string
	cfg  MapConfig
} {
	him, ros, dw := preset(t, "himmelblau"), preset(t, "rosenbrock"), preset(t, "double-well")
	return []struct {
		name string
		cfg  MapConfig
	}{
		{"adam himmelblau", MapConfig{Func: him.Func, Critical: him.Critical, Box: him.Domain, N: 24,
			Optimizer: "adam", Values: optim.Values{"lr": {0.05}}, Steps: 400}},
		{"adam himmelblau crossing the bound", MapConfig{Func: him.Func, Critical: him.Critical, Box: him.Domain, N: 16,
			Optimizer: "adam", Values: optim.Values{"lr": {6e5}, "betas": {0.5, 0.9}}, Steps: 60}},
		{"adam himmelblau overflowing", MapConfig{Func: him.Func, Critical: him.Critical, Box: him.Domain, N: 8,
			Optimizer: "adam", Values: optim.Values{"lr": {1e200}}, Steps: 10}},
		{"amsgrad weight decay rosenbrock", MapConfig{Func: ros.Func, Critical: ros.Critical, Box: ros.Domain, N: 16,
			Optimizer: "adam", Values: optim.Values{"lr": {0.02}, "amsgrad": {1}, "weight_decay": {0.01}, "eps": {1e-6}}, Steps: 300}},
		{"adamw double-well", MapConfig{Func: dw.Func, Critical: dw.Critical, Box: dw.Domain, N: 16,
			Optimizer: "adamw", Values: optim.Values{"lr": {0.1}, "betas": {0.8, 0.99}}, Steps: 300}},
		{"adam schedule himmelblau", MapConfig{Func: him.Func, Critical: him.Critical, Box: him.Domain, N: 16,
			Optimizer: "adam", Values: optim.Values{"lr": {0.3}}, Steps: 300, Schedule: halving{}, LR: 0.3}},
		{"adam starting beyond the bound", MapConfig{Func: him.Func, Critical: him.Critical, Box: landscape.Domain{XMin: -9e5, XMax: 9e5, YMin: -9e5, YMax: 9e5}, N: 8,
			Optimizer: "adam", Values: optim.Values{"lr": {1e3}}, Steps: 20}},
		{"adam zero steps", MapConfig{Func: him.Func, Critical: him.Critical, Box: him.Domain, N: 4,
			Optimizer: "adam", Steps: 0}},
		{"sgd himmelblau", MapConfig{Func: him.Func, Critical: him.Critical, Box: him.Domain, N: 16,
			Optimizer: "sgd", Values: optim.Values{"lr": {0.01}}, Steps: 300}},
		{"momentum dampening weight decay rosenbrock", MapConfig{Func: ros.Func, Critical: ros.Critical, Box: ros.Domain, N: 16,
			Optimizer: "sgd", Values: optim.Values{"lr": {2e-4}, "momentum": {0.9}, "dampening": {0.1}, "weight_decay": {0.01}}, Steps: 400}},
		{"nesterov double-well", MapConfig{Func: dw.Func, Critical: dw.Critical, Box: dw.Domain, N: 16,
			Optimizer: "sgd", Values: optim.Values{"lr": {0.02}, "momentum": {0.8}, "nesterov": {1}}, Steps: 300}},
		{"sgd schedule himmelblau diverging", MapConfig{Func: him.Func, Critical: him.Critical, Box: him.Domain, N: 16,
			Optimizer: "sgd", Values: optim.Values{"momentum": {0.5}}, Steps: 200, Schedule: halving{}, LR: 0.03}},
		{"noisy sgd double-well", MapConfig{Func: dw.Func, Critical: dw.Critical, Box: dw.Domain, N: 12,
			Optimizer: "sgd", Values: optim.Values{"lr": {0.0625}}, Steps: 300, Noise: 2.5, Seed: 2}},
		{"adam left domain", MapConfig{Func: logBowl{}, Box: landscape.Domain{XMin: -8, XMax: 3, YMin: -2, YMax: 2}, N: 16,
			Optimizer: "adam", Values: optim.Values{"lr": {0.8}, "betas": {0.5, 0.5}}, Steps: 200}},
	}
}

// runCell is the reference: optim.Run itself from cell (i, j).
func runCell(t testing.TB, cfg MapConfig, i, j int) Cell {
	t.Helper()
	opt, _, err := optim.New(cfg.Optimizer, cfg.Values)
	if err != nil {
		t.Fatal(err)
	}
	start := landscape.Vec{X: GridCoord(cfg.Box.XMin, cfg.Box.XMax, i, cfg.N), Y: GridCoord(cfg.Box.YMin, cfg.Box.YMax, j, cfg.N)}
	pts, o, err := optim.Run(context.Background(), cfg.runConfig(start), opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cellOf(pts, o, cfg.Critical)
}

func computeMapOnce(t testing.TB, cfg MapConfig) []Cell {
	t.Helper()
	grid := make([]Cell, cfg.N*cfg.N)
	seen := make([]bool, cfg.N)
	err := Map(context.Background(), cfg, func(r int, cells []Cell) error {
		if seen[r] {
			t.Errorf("row %d emitted twice", r)
		}
		seen[r] = true
		copy(grid[r*cfg.N:], cells)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for r, ok := range seen {
		if !ok {
			t.Fatalf("row %d never emitted", r)
		}
	}
	return grid
}

func sameCell(a, b Cell) bool {
	return a.Status == b.Status && a.Step == b.Step && a.Reached == b.Reached &&
		math.Float64bits(a.End.X) == math.Float64bits(b.End.X) &&
		math.Float64bits(a.End.Y) == math.Float64bits(b.End.Y)
}

func enginesUnderTest() []Engine {
	engines := []Engine{Generic, LockStep}
	if SIMDAvailable() {
		engines = append(engines, SIMD, simdNarrow)
	}
	return engines
}

func engineName(e Engine) string {
	if e == simdNarrow {
		return "simd4"
	}
	return e.String()
}

// simdNarrow is a test-only engine: SIMD forced to its 4-wide kernel, so
// machines with AVX-512 test the AVX2 kernel too.
const simdNarrow Engine = -1

// computeMap runs Map and collects the rows, checking that every row
// arrives exactly once.
func computeMap(t testing.TB, cfg MapConfig) []Cell {
	t.Helper()
	if cfg.Engine == simdNarrow {
		cfg.Engine = SIMD
		narrowKernel = true
		defer func() { narrowKernel = false }()
	}
	return computeMapOnce(t, cfg)
}

// TestEnginesMatchRun checks every cell of each engine's map against
// optim.Run from that start: outcome, step, minimum reached and end point,
// bit for bit.
func TestEnginesMatchRun(t *testing.T) {
	for _, tc := range engineCases(t) {
		want := make([]Cell, tc.cfg.N*tc.cfg.N)
		statuses := map[optim.Status]int{}
		for j := range tc.cfg.N {
			for i := range tc.cfg.N {
				want[j*tc.cfg.N+i] = runCell(t, tc.cfg, i, j)
				statuses[want[j*tc.cfg.N+i].Status]++
			}
		}
		t.Logf("%s: outcomes %v", tc.name, statuses)
		for _, eng := range enginesUnderTest() {
			if (eng == SIMD || eng == simdNarrow) && vecGradOf(tc.cfg.Func) == nil {
				continue
			}
			if _, err := newPlan(tc.cfg); eng != Generic && err != nil {
				continue // noisy maps run on the generic engine only
			}
			t.Run(tc.name+"/"+engineName(eng), func(t *testing.T) {
				cfg := tc.cfg
				cfg.Engine = eng
				got := computeMap(t, cfg)
				bad := 0
				for k := range got {
					if !sameCell(got[k], want[k]) {
						if bad++; bad <= 3 {
							t.Errorf("cell (%d, %d): got %+v, optim.Run gives %+v", k%cfg.N, k/cfg.N, got[k], want[k])
						}
					}
				}
				if bad > 0 {
					t.Errorf("%d of %d cells differ", bad, len(got))
				}
			})
		}
	}
}

// TestEngineCasesReachEveryOutcome guards the cases above: if a change of
// the presets made a case stop diverging, say, the comparison would no
// longer cover that path.
func TestEngineCasesReachEveryOutcome(t *testing.T) {
	seen := map[optim.Status]bool{}
	reachedMany := false
	for _, tc := range engineCases(t) {
		idx := map[int32]bool{}
		for j := 0; j < tc.cfg.N; j += 3 {
			for i := 0; i < tc.cfg.N; i += 3 {
				c := runCell(t, tc.cfg, i, j)
				seen[c.Status] = true
				if c.Reached >= 0 {
					idx[c.Reached] = true
				}
			}
		}
		reachedMany = reachedMany || len(idx) >= 3
	}
	for _, st := range []optim.Status{optim.Converged, optim.NotConverged, optim.Diverged, optim.LeftDomain, optim.Wandering} {
		if !seen[st] {
			t.Errorf("no case has a cell that ends %v", st)
		}
	}
	if !reachedMany {
		t.Error("no case reaches three different minima")
	}
}

func TestAutoPicksFastEngine(t *testing.T) {
	him := preset(t, "himmelblau")
	base := MapConfig{Func: him.Func, Critical: him.Critical, Box: him.Domain, N: 8, Optimizer: "adam", Steps: 10}
	fast := "basin.lockStepEngine"
	if SIMDAvailable() {
		fast = "basin.simdEngine"
	}
	for _, tc := range []struct {
		name   string
		change func(*MapConfig)
		want   string
	}{
		{"adam", func(*MapConfig) {}, fast},
		{"adamw", func(c *MapConfig) { c.Optimizer = "adamw" }, fast},
		{"sgd", func(c *MapConfig) { c.Optimizer = "sgd" }, fast},
		{"rmsprop", func(c *MapConfig) { c.Optimizer = "rmsprop" }, "basin.genericEngine"},
		{"noise", func(c *MapConfig) { c.Noise = 0.1 }, "basin.genericEngine"},
		{"clip", func(c *MapConfig) { c.ClipNorm = 1 }, "basin.genericEngine"},
		{"custom function", func(c *MapConfig) { c.Func = logBowl{} }, "basin.lockStepEngine"},
	} {
		cfg := base
		tc.change(&cfg)
		e, err := newEngine(cfg)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := typeName(e); got != tc.want {
			t.Errorf("%s: engine %s, want %s", tc.name, got, tc.want)
		}
	}
}

func typeName(e engine) string {
	switch e.(type) {
	case genericEngine:
		return "basin.genericEngine"
	case lockStepEngine:
		return "basin.lockStepEngine"
	case simdEngine:
		return "basin.simdEngine"
	}
	return "?"
}

func TestMapRejectsBadConfig(t *testing.T) {
	him := preset(t, "himmelblau")
	base := MapConfig{Func: him.Func, Critical: him.Critical, Box: him.Domain, N: 8, Optimizer: "adam", Steps: 10}
	for _, tc := range []struct {
		name   string
		change func(*MapConfig)
	}{
		{"no function", func(c *MapConfig) { c.Func = nil }},
		{"grid too small", func(c *MapConfig) { c.N = GridMin - 1 }},
		{"grid too large", func(c *MapConfig) { c.N = GridLimit + 1 }},
		{"empty box", func(c *MapConfig) { c.Box.XMax = c.Box.XMin }},
		{"infinite box", func(c *MapConfig) { c.Box.YMax = math.Inf(1) }},
		{"NaN box", func(c *MapConfig) { c.Box.XMin = math.NaN() }},
		{"unknown optimizer", func(c *MapConfig) { c.Optimizer = "adamz" }},
		{"bad hyperparameter", func(c *MapConfig) { c.Values = optim.Values{"lr": {-1}} }},
		{"negative steps", func(c *MapConfig) { c.Steps = -1 }},
		{"too many steps", func(c *MapConfig) { c.Steps = optim.MaxSteps + 1 }},
		{"too much work", func(c *MapConfig) { c.N, c.Steps = GridLimit, CellStepsLimit/(GridLimit*GridLimit)+1 }},
		{"negative noise", func(c *MapConfig) { c.Noise = -1 }},
		{"lockstep with rmsprop", func(c *MapConfig) { c.Optimizer, c.Engine = "rmsprop", LockStep }},
		{"lockstep with noise", func(c *MapConfig) { c.Noise, c.Engine = 0.1, LockStep }},
		{"unknown engine", func(c *MapConfig) { c.Engine = 99 }},
	} {
		cfg := base
		tc.change(&cfg)
		called := false
		err := Map(context.Background(), cfg, func(int, []Cell) error { called = true; return nil })
		if err == nil || called {
			t.Errorf("%s: err %v, emitted %v; want an error and nothing emitted", tc.name, err, called)
		}
	}
	if !SIMDAvailable() {
		cfg := base
		cfg.Engine = SIMD
		if err := Map(context.Background(), cfg, func(int, []Cell) error { return nil }); err == nil {
			t.Error("forced SIMD engine in a build without it: no error")
		}
	}
}

// TestMapLargestGrid runs the full 256 x 256 map briefly, so the limit
// itself is exercised on the engine Auto picks; and checks that the largest
// map within CellStepsLimit is accepted.
func TestMapLargestGrid(t *testing.T) {
	him := preset(t, "himmelblau")
	cfg := MapConfig{Func: him.Func, Critical: him.Critical, Box: him.Domain, N: GridLimit, Optimizer: "adam", Values: optim.Values{"lr": {0.05}}, Steps: 20}
	full := cfg
	full.Steps = CellStepsLimit / (GridLimit * GridLimit)
	if err := full.validate(); err != nil {
		t.Errorf("a map of exactly CellStepsLimit steps: %v", err)
	}
	grid := computeMap(t, cfg)
	for _, k := range []int{0, 1, GridLimit*GridLimit/2 + 77, GridLimit*GridLimit - 1} {
		if want := runCell(t, cfg, k%GridLimit, k/GridLimit); !sameCell(grid[k], want) {
			t.Errorf("cell %d: got %+v, want %+v", k, grid[k], want)
		}
	}
}

// TestMapCancel cancels a map from its row callback and checks that
// Map returns the context's error promptly and leaves no worker behind.
func TestMapCancel(t *testing.T) {
	him := preset(t, "himmelblau")
	for _, eng := range enginesUnderTest() {
		if eng == simdNarrow {
			continue // the same engine as SIMD as far as cancelling goes
		}
		t.Run(eng.String(), func(t *testing.T) {
			cfg := MapConfig{Func: him.Func, Critical: him.Critical, Box: him.Domain, N: 32,
				Optimizer: "adam", Values: optim.Values{"lr": {0.05}}, Steps: 5000, Engine: eng, Workers: 2}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rows := 0
			err := Map(ctx, cfg, func(int, []Cell) error {
				rows++
				cancel()
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if rows >= cfg.N {
				t.Errorf("all %d rows emitted despite cancellation", rows)
			}
		})
	}
}

func TestMapEmitErrorStops(t *testing.T) {
	him := preset(t, "himmelblau")
	cfg := MapConfig{Func: him.Func, Critical: him.Critical, Box: him.Domain, N: 32, Optimizer: "adam", Steps: 2000}
	stop := errors.New("client gone")
	var mu sync.Mutex
	calls := 0
	err := Map(context.Background(), cfg, func(int, []Cell) error {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return stop
	})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want %v", err, stop)
	}
	if calls != 1 {
		t.Errorf("emitRow called %d times after returning an error, want 1", calls)
	}
}

func TestGridCoord(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		i, n   int
		want   float64
	}{
		{-5, 5, 0, 256, -5},
		{-5, 5, 255, 256, 5},
		{-5, 5, 1, 3, 0},
		{0, 1, 1, 4, 1.0 / 3},
		{-4.5, 4.5, 2, 4, 1.5},
	} {
		if got := GridCoord(tc.lo, tc.hi, tc.i, tc.n); got != tc.want {
			t.Errorf("GridCoord(%v, %v, %d, %d) = %v, want %v", tc.lo, tc.hi, tc.i, tc.n, got, tc.want)
		}
	}
}

// TestEnginesMatchRunEveryPreset runs a small Adam map on every preset with
// its own domain and learning rate, through every engine that can run it,
// and compares all cells with optim.Run: the batched and vector forms of
// every preset's gradient are checked, not just the ones the cases above
// use.
func TestEnginesMatchRunEveryPreset(t *testing.T) {
	vector := 0
	for _, p := range landscape.Presets() {
		if vecGradOf(p.Func) != nil {
			vector++
		}
	}
	// Eleven presets are polynomials with a vector form; Rastrigin, Lévy
	// N.13 and McCormick (sines and cosines) and Ackley (also exp) have one
	// where the kernel's ports take Go's own path; Beale and
	// Goldstein-Price have none yet.
	want := 11
	if trigExact {
		want += 3
		if expMatchesKernel {
			want++
		}
	}
	if vector != want {
		t.Errorf("%d presets have a vector gradient, want %d", vector, want)
	}
	for _, p := range landscape.Presets() {
		for _, opt := range []struct {
			name   string
			values optim.Values
		}{
			{"adam", optim.Values{"lr": {p.LR}}},
			{"sgd", optim.Values{"lr": {p.LR}, "momentum": {0.9}}},
		} {
			testPresetMap(t, p, opt.name, opt.values)
		}
	}
}

// testPresetMap compares an 8 x 8 map of preset p under the optimizer
// with optim.Run, cell by cell, on every engine that can run it.
func testPresetMap(t *testing.T, p landscape.Preset, name string, values optim.Values) {
	cfg := MapConfig{Func: p.Func, Critical: p.Critical, Box: p.Domain, N: 8,
		Optimizer: name, Values: values, Steps: 150}
	want := make([]Cell, cfg.N*cfg.N)
	for k := range want {
		want[k] = runCell(t, cfg, k%cfg.N, k/cfg.N)
	}
	for _, eng := range enginesUnderTest() {
		if (eng == SIMD || eng == simdNarrow) && vecGradOf(p.Func) == nil {
			continue
		}
		cfg.Engine = eng
		got := computeMap(t, cfg)
		for k := range got {
			if !sameCell(got[k], want[k]) {
				t.Errorf("%s/%s/%v: cell (%d, %d): got %+v, optim.Run gives %+v", p.ID, name, eng, k%cfg.N, k/cfg.N, got[k], want[k])
				break
			}
		}
	}
}

// TestVectorFunctionsFiniteWithinBound backs the SIMD kernel's stop test,
// which checks |x|+|y| <= DivergenceBound and not the loss: every function
// with a vector form must have a finite value and gradient everywhere
// inside the bound. They are polynomials, whose largest values are at the
// boundary, or polynomials plus sines, cosines and exponentials bounded by
// constants, so the boundary's corners, axis points and a sweep along it
// stand for the whole region.
func TestVectorFunctionsFiniteWithinBound(t *testing.T) {
	const b = optim.DivergenceBound
	for _, p := range landscape.Presets() {
		if _, ok := p.Func.(interface {
			ValueGrad(landscape.Vec) (float64, landscape.Vec)
		}); !ok || vecGradOf(p.Func) == nil && SIMDAvailable() {
			continue
		}
		for i := 0; i <= 64; i++ {
			a := float64(i) / 64 * 2 * math.Pi
			c, s := math.Cos(a), math.Sin(a)
			scale := b / (math.Abs(c) + math.Abs(s))
			q := landscape.Vec{X: c * scale, Y: s * scale}
			f, g := p.Func.ValueGrad(q)
			if !finite(f) || !g.IsFinite() {
				t.Errorf("%s at (%g, %g): value %v gradient %v", p.ID, q.X, q.Y, f, g)
			}
		}
	}
}

// TestEnginesMatchRunRandomSettings draws optimizer settings at random
// (seeded, so a failure reproduces) over the ranges the fast engines
// accept, on random presets, and compares every cell of every engine with
// optim.Run: bit-identity must not depend on the settings the hand-picked
// cases happen to use.
func TestEnginesMatchRunRandomSettings(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2026))
	presets := landscape.Presets()
	logUniform := func(lo, hi float64) float64 {
		return math.Exp(math.Log(lo) + rng.Float64()*(math.Log(hi)-math.Log(lo)))
	}
	for trial := range 24 {
		p := presets[rng.IntN(len(presets))]
		var name string
		values := optim.Values{"lr": {p.LR * logUniform(0.1, 10)}}
		switch rng.IntN(3) {
		case 0, 1:
			name = []string{"adam", "adamw"}[rng.IntN(2)]
			values["betas"] = []float64{rng.Float64() * 0.99, 0.9 + rng.Float64()*0.0999}
			values["eps"] = []float64{logUniform(1e-12, 1e-4)}
			values["amsgrad"] = []float64{float64(rng.IntN(2))}
			if rng.IntN(2) == 0 {
				values["weight_decay"] = []float64{logUniform(1e-4, 0.1)}
			}
		default:
			name = "sgd"
			if rng.IntN(3) > 0 {
				values["momentum"] = []float64{rng.Float64() * 0.99}
				if rng.IntN(2) == 0 {
					values["nesterov"] = []float64{1}
				} else {
					values["dampening"] = []float64{rng.Float64() * 0.5}
				}
			}
			if rng.IntN(2) == 0 {
				values["weight_decay"] = []float64{logUniform(1e-4, 0.1)}
			}
		}
		cfg := MapConfig{Func: p.Func, Critical: p.Critical, Box: p.Domain, N: 6,
			Optimizer: name, Values: values, Steps: 1 + rng.IntN(200)}
		want := make([]Cell, cfg.N*cfg.N)
		for k := range want {
			want[k] = runCell(t, cfg, k%cfg.N, k/cfg.N)
		}
		for _, eng := range enginesUnderTest()[1:] { // the fast ones
			if (eng == SIMD || eng == simdNarrow) && vecGradOf(p.Func) == nil {
				continue
			}
			cfg.Engine = eng
			got := computeMap(t, cfg)
			for k := range got {
				if !sameCell(got[k], want[k]) {
					t.Errorf("trial %d (%s, %s %v, %d steps) on %s: cell %d: got %+v, optim.Run gives %+v",
						trial, p.ID, name, values, cfg.Steps, engineName(eng), k, got[k], want[k])
					break
				}
			}
		}
	}
}
