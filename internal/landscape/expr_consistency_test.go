package landscape_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/landscape/expr"
	"github.com/basin-dev/basin/internal/optim"
)

// typedPresets are presets as a person would type them, in forms other than
// the preset's Formula (implicit products, ** and spacing differ), so these
// tests exercise the parser's forgiving side too.
var typedPresets = []struct {
	id, src string
}{
	{"rosenbrock", "(1-x)^2 + 100(y-x^2)^2"},
	{"himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"},
	{"six-hump-camel", "(4 - 2.1x^2 + x**4/3)x^2 + xy + (-4 + 4y^2)y^2"},
	{"styblinski-tang", "0.5(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y)"},
	{"beale", "(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2"},
}

// consistencySteps and consistencyTol are the promise typed functions keep:
// an expression typed to equal a preset follows the preset's Adam
// trajectory to a relative error of 1e-9 over 300 steps. Coordinates are
// compared relative to max(|x|, 1), so a coordinate passing through 0 is
// not held to an impossible relative standard.
const (
	consistencySteps = 300
	consistencyTol   = 1e-9
	consistencyLR    = 0.02 // Adam's step length, well inside each domain
)

func TestTypedPresetFollowsPresetTrajectory(t *testing.T) {
	for _, tp := range typedPresets {
		t.Run(tp.id, func(t *testing.T) {
			p, ok := landscape.Lookup(tp.id)
			if !ok {
				t.Fatalf("no preset %q", tp.id)
			}
			f, err := expr.Compile(tp.src)
			if err != nil {
				t.Fatal(err)
			}
			run := func(fn landscape.Function) ([]optim.Point, optim.Outcome) {
				opt, _, err := optim.New("adam", optim.Values{"lr": {consistencyLR}})
				if err != nil {
					t.Fatal(err)
				}
				cfg := optim.Config{Func: fn, Critical: p.Critical, Start: p.Start, Steps: consistencySteps}
				pts, out, err := optim.Run(context.Background(), cfg, opt, nil)
				if err != nil {
					t.Fatal(err)
				}
				return pts, out
			}
			want, wantOut := run(p.Func)
			got, gotOut := run(f)
			if len(got) != consistencySteps+1 || len(want) != len(got) {
				t.Fatalf("%d points from the expression, %d from the preset, want %d", len(got), len(want), consistencySteps+1)
			}
			if gotOut.Status != wantOut.Status {
				t.Errorf("outcome %v, preset %v", gotOut.Status, wantOut.Status)
			}
			worst := 0.0
			for k := range got {
				for _, c := range [][2]float64{{got[k].X, want[k].X}, {got[k].Y, want[k].Y}} {
					e := math.Abs(c[0]-c[1]) / math.Max(math.Abs(c[1]), 1)
					worst = math.Max(worst, e)
					if e > consistencyTol {
						t.Fatalf("step %d: expression at (%v, %v), preset at (%v, %v)", k, got[k].X, got[k].Y, want[k].X, want[k].Y)
					}
				}
			}
			t.Logf("worst relative difference over %d steps: %.3g", consistencySteps, worst)
		})
	}
}

// TestPresetFormulasCompile checks every preset's plain-text Formula in the
// expression language: it must parse and agree with the preset in value
// and gradient, so the page can offer "edit this preset as an expression".
func TestPresetFormulasCompile(t *testing.T) {
	for _, p := range landscape.Presets() {
		f, err := expr.Compile(p.Formula)
		if err != nil {
			t.Errorf("%s: formula %q: %v", p.ID, p.Formula, err)
			continue
		}
		agree(t, p.ID, f, p)
	}
}

// typedForms are every preset as docs/EXPRESSIONS.md shows it typed.
var typedForms = []struct{ id, src string }{
	{"quadratic", "0.5(x^2 + y^2)"},
	{"elliptic", "0.5(x^2 + 10y^2)"},
	{"rosenbrock", "(1-x)^2 + 100(y-x^2)^2"},
	{"himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"},
	{"double-well", "x^4 - 2.625x^2 + 1.25x + y^2"},
	{"rastrigin", "20 + x^2 - 10cos(2pi x) + y^2 - 10cos(2pi y)"},
	{"ackley", "-20exp(-0.2sqrt(0.5(x^2+y^2))) - exp(0.5(cos(2pi x)+cos(2pi y))) + e + 20"},
	{"beale", "(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2"},
	{"booth", "(x + 2y - 7)^2 + (2x + y - 5)^2"},
	{"matyas", "0.26(x^2 + y^2) - 0.48xy"},
	{"goldstein-price", "(1 + (x+y+1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)) (30 + (2x-3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2))"},
	{"six-hump-camel", "(4 - 2.1x^2 + x^4/3)x^2 + xy + (-4 + 4y^2)y^2"},
	{"three-hump-camel", "2x^2 - 1.05x^4 + x^6/6 + xy + y^2"},
	{"styblinski-tang", "0.5(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y)"},
	{"levy13", "sin(3pi x)^2 + (x-1)^2 (1 + sin(3pi y)^2) + (y-1)^2 (1 + sin(2pi y)^2)"},
	{"mccormick", "sin(x + y) + (x - y)^2 - 1.5x + 2.5y + 1"},
	{"saddle", "x^2 - y^2"},
}

// TestTypedPresetsAgree checks the typed forms of docs/EXPRESSIONS.md
// against the presets in value and gradient.
func TestTypedPresetsAgree(t *testing.T) {
	if len(typedForms) != len(landscape.Presets()) {
		t.Errorf("%d typed forms for %d presets", len(typedForms), len(landscape.Presets()))
	}
	for _, tf := range typedForms {
		p, ok := landscape.Lookup(tf.id)
		if !ok {
			t.Errorf("no preset %q", tf.id)
			continue
		}
		f, err := expr.Compile(tf.src)
		if err != nil {
			t.Errorf("%s: %v", tf.id, err)
			continue
		}
		agree(t, tf.id, f, p)
	}
}

// agree compares f with the preset on a 7x7 grid inside its domain: values
// to 1e-12 and gradients to 1e-9, relative (the operations differ in order).
func agree(t *testing.T, id string, f landscape.Function, p landscape.Preset) {
	t.Helper()
	d := p.Domain
	for i := 1; i < 8; i++ {
		for j := 1; j < 8; j++ {
			q := landscape.Vec{X: d.XMin + (d.XMax-d.XMin)*float64(i)/8, Y: d.YMin + (d.YMax-d.YMin)*float64(j)/8}
			v, g := f.ValueGrad(q)
			wv, wg := p.Func.ValueGrad(q)
			if math.Abs(v-wv) > 1e-12*(1+math.Abs(wv)) {
				t.Errorf("%s at %v: expression %v, preset %v", id, q, v, wv)
			}
			gs := 1 + wg.Norm()
			if math.Abs(g.X-wg.X) > 1e-9*gs || math.Abs(g.Y-wg.Y) > 1e-9*gs {
				t.Errorf("%s at %v: expression gradient %v, preset %v", id, q, g, wg)
			}
		}
	}
}

// TestRunStopsWhenExpressionIsUndefined: a step into the region where the
// expression is undefined ends the run with left_domain, not a crash.
func TestRunStopsWhenExpressionIsUndefined(t *testing.T) {
	f, err := expr.Compile("sqrt(x) + y^2")
	if err != nil {
		t.Fatal(err)
	}
	opt, _, err := optim.New("sgd", optim.Values{"lr": {1}})
	if err != nil {
		t.Fatal(err)
	}
	// x: 1 -> 0.5 -> 0.5 - 0.5/sqrt(0.5) < 0, where sqrt is NaN.
	pts, out, err := optim.Run(context.Background(), optim.Config{Func: f, Start: landscape.Vec{X: 1, Y: 1}, Steps: 50}, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != optim.LeftDomain || out.Step != 2 || len(pts) != 2 {
		t.Errorf("outcome %v at step %d with %d points, want left_domain at step 2 with 2 points", out.Status, out.Step, len(pts))
	}
}

// TestRunThroughRemovableSingularity runs SGD into the origin of functions
// that are smooth there but whose derivative has an infinite factor
// (sqrt of x² + y² once that underflows to 0): each run ends converged at
// the minimum rather than diverged on a NaN gradient.
func TestRunThroughRemovableSingularity(t *testing.T) {
	tests := []struct {
		src   string
		start landscape.Vec
		lrs   []float64
		min   float64
	}{
		{"sqrt(x^2+y^2)^2", landscape.Vec{X: 1, Y: 1}, []float64{0.01, 0.1, 0.3}, 0},
		{"-(1 + cos(12*sqrt(x^2+y^2)))/(0.5*(x^2+y^2) + 2)", landscape.Vec{X: 0.05, Y: 0.03}, []float64{0.003, 0.01, 0.02}, -1},
		{"abs(x)*abs(x) + abs(y)*abs(y)", landscape.Vec{X: 1, Y: -1}, []float64{0.1, 0.3}, 0},
		{"pow(x^2+y^2, 0.5)^2", landscape.Vec{X: -1, Y: 0.5}, []float64{0.1}, 0},
	}
	for _, tt := range tests {
		f, err := expr.Compile(tt.src)
		if err != nil {
			t.Fatal(err)
		}
		for _, lr := range tt.lrs {
			opt, _, err := optim.New("sgd", optim.Values{"lr": {lr}})
			if err != nil {
				t.Fatal(err)
			}
			pts, out, err := optim.Run(context.Background(), optim.Config{Func: f, Start: tt.start, Steps: 20000}, opt, nil)
			if err != nil {
				t.Fatal(err)
			}
			end := pts[len(pts)-1]
			if out.Status != optim.Converged || math.Abs(end.Loss-tt.min) > 1e-9 {
				t.Errorf("%s, lr %v: %v at step %d, loss %v at (%v, %v); want converged at %v", tt.src, lr, out.Status, out.Step, end.Loss, end.X, end.Y, tt.min)
			}
		}
	}
}

// literature minima, to 6 significant digits as published.
type knownMin struct {
	x, y, v float64
	global  bool
}

func TestFindCriticalOnTypedExpressions(t *testing.T) {
	const stOpt, stOpt2 = -2.903534, 2.746803
	tests := []struct {
		name, src string
		domain    landscape.Domain
		minima    []knownMin
		exact     bool // the listed minima are all the minima in the domain
	}{
		{"himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", landscape.Domain{XMin: -5, XMax: 5, YMin: -5, YMax: 5},
			[]knownMin{{3, 2, 0, true}, {-2.805118, 3.131312, 0, true}, {-3.779310, -3.283186, 0, true}, {3.584428, -1.848126, 0, true}}, true},
		{"six-hump camel", "(4 - 2.1x^2 + x^4/3)x^2 + xy + (-4 + 4y^2)y^2", landscape.Domain{XMin: -2, XMax: 2, YMin: -1, YMax: 1},
			[]knownMin{
				{0.0898420, -0.7126564, -1.0316285, true}, {-0.0898420, 0.7126564, -1.0316285, true},
				{-1.7036067, 0.7960836, -0.2154638, false}, {1.7036067, -0.7960836, -0.2154638, false},
				{1.6071048, 0.5686515, 2.1042503, false}, {-1.6071048, -0.5686515, 2.1042503, false},
			}, true},
		{"styblinski-tang", "0.5(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y)", landscape.Domain{XMin: -5, XMax: 5, YMin: -5, YMax: 5},
			[]knownMin{
				{stOpt, stOpt, -78.332331, true}, {stOpt, stOpt2, -64.195612, false},
				{stOpt2, stOpt, -64.195612, false}, {stOpt2, stOpt2, -50.058893, false},
			}, true},
		{"rastrigin", "20 + x^2 - 10cos(2pi x) + y^2 - 10cos(2pi y)", landscape.Domain{XMin: -5.12, XMax: 5.12, YMin: -5.12, YMax: 5.12},
			[]knownMin{
				{0, 0, 0, true},
				{0.994959, 0, 0.994959, false}, {-0.994959, 0, 0.994959, false},
				{0, 0.994959, 0.994959, false}, {0, -0.994959, 0.994959, false},
				{0.994959, 0.994959, 1.989918, false}, {-0.994959, -0.994959, 1.989918, false},
			}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := expr.Compile(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			cps, err := landscape.FindCritical(context.Background(), f, tt.domain)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d critical points in %v", len(cps), time.Since(start))
			var minima []landscape.CriticalPoint
			globals := 0
			for _, cp := range cps {
				if cp.Kind == landscape.Minimum {
					minima = append(minima, cp)
					if cp.Global {
						globals++
					}
				}
			}
			wantGlobals := 0
			for _, m := range tt.minima {
				if m.global {
					wantGlobals++
				}
				found := false
				for _, cp := range minima {
					if math.Hypot(cp.At.X-m.x, cp.At.Y-m.y) < 1e-5 {
						found = true
						if math.Abs(cp.Value-m.v) > 1e-5*(1+math.Abs(m.v)) {
							t.Errorf("minimum at (%v, %v): value %v, literature %v", m.x, m.y, cp.Value, m.v)
						}
						if cp.Global != m.global {
							t.Errorf("minimum at (%v, %v): global %v, want %v", m.x, m.y, cp.Global, m.global)
						}
					}
				}
				if !found {
					t.Errorf("literature minimum (%v, %v) not found; found %v", m.x, m.y, minima)
				}
			}
			if globals != wantGlobals {
				t.Errorf("%d global minima flagged, want %d", globals, wantGlobals)
			}
			if tt.exact && len(minima) != len(tt.minima) {
				t.Errorf("%d minima found, want exactly %d: %v", len(minima), len(tt.minima), minima)
			}
		})
	}
}

// TestSampleOnExpression: grid sampling works on a compiled expression as on
// the preset it types (the grid stores float32, so they agree exactly unless
// a value sits on a float32 rounding boundary, hence the tolerance), and
// marks undefined points NaN.
func TestSampleOnExpression(t *testing.T) {
	const n = 64
	p, _ := landscape.Lookup("himmelblau")
	f, err := expr.Compile("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
	if err != nil {
		t.Fatal(err)
	}
	got, want := make([]float32, n*n), make([]float32, n*n)
	gmin, gmax, err := landscape.Sample(context.Background(), f, p.Domain, n, n, got)
	if err != nil {
		t.Fatal(err)
	}
	wmin, wmax, _ := landscape.Sample(context.Background(), p.Func, p.Domain, n, n, want)
	if math.Abs(gmin-wmin) > 1e-12*(1+math.Abs(wmin)) || math.Abs(gmax-wmax) > 1e-12*(1+math.Abs(wmax)) {
		t.Errorf("range [%v, %v], preset [%v, %v]", gmin, gmax, wmin, wmax)
	}
	for i := range got {
		if d := math.Abs(float64(got[i] - want[i])); d > 1e-6*(1+math.Abs(float64(want[i]))) {
			t.Fatalf("cell %d: %v, preset %v", i, got[i], want[i])
		}
	}

	g, err := expr.Compile("log(x)")
	if err != nil {
		t.Fatal(err)
	}
	grid := make([]float32, 4)
	if _, _, err := landscape.Sample(context.Background(), g, landscape.Domain{XMin: -1, XMax: 1, YMin: 0, YMax: 1}, 2, 2, grid); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(float64(grid[0])) || grid[1] != 0 {
		t.Errorf("log(x) sampled at x = -1, 1: %v, want NaN, 0", grid[:2])
	}
}
