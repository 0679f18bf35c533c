package optim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

// inspectCases are every optimizer with each option that adds state turned
// on somewhere, so the tests below see every StateVar there is.
var inspectCases = []struct {
	name string
	opt  string
	vals Values
}{
	{"sgd", "sgd", Values{"lr": {0.05}}},
	{"sgd momentum", "sgd", Values{"lr": {0.02}, "momentum": {0.9}}},
	{"sgd nesterov decay", "sgd", Values{"lr": {0.02}, "momentum": {0.8}, "nesterov": {1}, "weight_decay": {0.1}}},
	{"rmsprop", "rmsprop", Values{"lr": {0.01}}},
	{"rmsprop centered momentum", "rmsprop", Values{"lr": {0.01}, "centered": {1}, "momentum": {0.5}}},
	{"adagrad", "adagrad", Values{"lr": {0.3}, "lr_decay": {0.01}, "initial_accumulator_value": {0.1}}},
	{"adam", "adam", Values{"lr": {0.05}}},
	{"adam amsgrad", "adam", Values{"lr": {0.05}, "amsgrad": {1}, "weight_decay": {0.01}}},
	{"adamw", "adamw", Values{"lr": {0.05}, "weight_decay": {0.1}}},
	{"nadam", "nadam", Values{"lr": {0.05}}},
	{"adamax", "adamax", Values{"lr": {0.05}}},
	{"adadelta", "adadelta", Values{"lr": {1}}},
	{"lion", "lion", Values{"lr": {0.01}, "weight_decay": {0.1}}},
}

func newInspected(t testing.TB, name string, vals Values) (Optimizer, Inspector) {
	t.Helper()
	opt, _, err := New(name, vals)
	if err != nil {
		t.Fatal(err)
	}
	ins, ok := opt.(Inspector)
	if !ok {
		t.Fatalf("%s does not implement Inspector", name)
	}
	return opt, ins
}

func stateMap(vars []StateVar) map[string]landscape.Vec {
	m := make(map[string]landscape.Vec, len(vars))
	for _, v := range vars {
		m[v.Name] = v.Value
	}
	return m
}

func stateNames(vars []StateVar) []string {
	var names []string
	for _, v := range vars {
		names = append(names, v.Name)
	}
	return names
}

func closeTo(got, want float64) bool {
	return got == want || math.Abs(got-want) <= 1e-12*math.Max(math.Abs(got), math.Abs(want))
}

func TestEveryOptimizerIsInspector(t *testing.T) {
	for _, info := range List() {
		opt, _, err := New(info.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := opt.(Inspector); !ok {
			t.Errorf("%s does not implement Inspector", info.Name)
		}
	}
}

// TestStateOneStep checks every state value after one step from p with
// gradient g against the update rule worked by hand.
func TestStateOneStep(t *testing.T) {
	g := landscape.Vec{X: 3, Y: -0.5}
	p := landscape.Vec{X: 1, Y: 2}
	sq := func(v landscape.Vec) landscape.Vec { return landscape.Vec{X: v.X * v.X, Y: v.Y * v.Y} }
	per := func(v landscape.Vec, f func(float64) float64) landscape.Vec {
		return landscape.Vec{X: f(v.X), Y: f(v.Y)}
	}
	both := func(x float64) landscape.Vec { return landscape.Vec{X: x, Y: x} }
	mu1 := 0.9 * (1 - 0.5*math.Pow(0.96, 0.004))
	tests := []struct {
		name string
		opt  string
		vals Values
		want []StateVar // names in order, values by hand
	}{
		{"sgd", "sgd", Values{"lr": {0.1}}, []StateVar{{Name: "lr", Value: both(0.1)}}},
		{"sgd momentum", "sgd", Values{"lr": {0.1}, "momentum": {0.9}}, []StateVar{
			{Name: "lr", Value: both(0.1)},
			{Name: "momentum_buffer", Value: g},
			{Name: "velocity", Value: g.Scale(-0.1)},
		}},
		{"adagrad", "adagrad", Values{"lr": {0.1}, "initial_accumulator_value": {0.5}}, []StateVar{
			{Name: "lr", Value: both(0.1)},
			{Name: "step", Value: both(1)},
			{Name: "sum", Value: sq(g).Add(both(0.5))},
			{Name: "effective_lr", Value: per(g, func(g float64) float64 { return 0.1 / (math.Sqrt(0.5+g*g) + 1e-10) })},
		}},
		{"rmsprop centered momentum", "rmsprop", Values{"lr": {0.1}, "alpha": {0.9}, "centered": {1}, "momentum": {0.5}}, []StateVar{
			{Name: "lr", Value: both(0.1)},
			{Name: "step", Value: both(1)},
			{Name: "square_avg", Value: sq(g).Scale(0.1)},
			{Name: "grad_avg", Value: g.Scale(0.1)},
			{Name: "momentum_buffer", Value: per(g, func(g float64) float64 { return g / (math.Sqrt(0.09*g*g) + 1e-8) })},
			{Name: "velocity", Value: per(g, func(g float64) float64 { return -0.1 * g / (math.Sqrt(0.09*g*g) + 1e-8) })},
			{Name: "effective_lr", Value: per(g, func(g float64) float64 { return 0.1 / (math.Sqrt(0.09*g*g) + 1e-8) })},
		}},
		{"adam", "adam", Values{"lr": {0.1}}, []StateVar{
			{Name: "lr", Value: both(0.1)},
			{Name: "step", Value: both(1)},
			{Name: "exp_avg", Value: g.Scale(0.1)},
			{Name: "exp_avg_sq", Value: sq(g).Scale(0.001)},
			{Name: "effective_lr", Value: per(g, func(g float64) float64 { return 0.1 / 0.1 / (math.Abs(g) + 1e-8) })},
		}},
		{"adam amsgrad", "adam", Values{"lr": {0.1}, "amsgrad": {1}}, []StateVar{
			{Name: "lr", Value: both(0.1)},
			{Name: "step", Value: both(1)},
			{Name: "exp_avg", Value: g.Scale(0.1)},
			{Name: "exp_avg_sq", Value: sq(g).Scale(0.001)},
			{Name: "max_exp_avg_sq", Value: sq(g).Scale(0.001)},
			{Name: "effective_lr", Value: per(g, func(g float64) float64 { return 1 / (math.Abs(g) + 1e-8) })},
		}},
		{"nadam", "nadam", Values{"lr": {0.1}}, []StateVar{
			{Name: "lr", Value: both(0.1)},
			{Name: "step", Value: both(1)},
			{Name: "mu_product", Value: both(mu1)},
			{Name: "exp_avg", Value: g.Scale(0.1)},
			{Name: "exp_avg_sq", Value: sq(g).Scale(0.001)},
			{Name: "effective_lr", Value: per(g, func(g float64) float64 { return 0.1 / (math.Abs(g) + 1e-8) })},
		}},
		{"adamax", "adamax", Values{"lr": {0.1}}, []StateVar{
			{Name: "lr", Value: both(0.1)},
			{Name: "step", Value: both(1)},
			{Name: "exp_avg", Value: g.Scale(0.1)},
			{Name: "exp_inf", Value: per(g, func(g float64) float64 { return math.Abs(g) + 1e-8 })},
			{Name: "effective_lr", Value: per(g, func(g float64) float64 { return 1 / (math.Abs(g) + 1e-8) })},
		}},
		{"adadelta", "adadelta", Values{"lr": {1}}, []StateVar{
			{Name: "lr", Value: both(1)},
			{Name: "step", Value: both(1)},
			{Name: "square_avg", Value: sq(g).Scale(0.1)},
			{Name: "acc_delta", Value: per(g, func(g float64) float64 {
				d := math.Sqrt(1e-6) / math.Sqrt(0.1*g*g+1e-6) * g
				return 0.1 * d * d
			})},
			{Name: "effective_lr", Value: per(g, func(g float64) float64 {
				d := math.Sqrt(1e-6) / math.Sqrt(0.1*g*g+1e-6) * g
				return math.Sqrt(0.1*d*d+1e-6) / math.Sqrt(0.1*g*g+1e-6)
			})},
		}},
		{"lion", "lion", Values{"lr": {0.1}}, []StateVar{
			{Name: "lr", Value: both(0.1)},
			{Name: "exp_avg", Value: g.Scale(0.01)},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt, ins := newInspected(t, tc.opt, tc.vals)
			opt.Step(p, g)
			got := ins.State(nil)
			if !slices.Equal(stateNames(got), stateNames(tc.want)) {
				t.Fatalf("names %v, want %v", stateNames(got), stateNames(tc.want))
			}
			for i, w := range tc.want {
				v := got[i].Value
				if !closeTo(v.X, w.Value.X) || !closeTo(v.Y, w.Value.Y) {
					t.Errorf("%s = %v, want %v", w.Name, v, w.Value)
				}
				if got[i].Label == "" {
					t.Errorf("%s has no label", w.Name)
				}
				if got[i].Kind == StateScalar && v.X != v.Y {
					t.Errorf("scalar %s holds two values %v", w.Name, v)
				}
			}
		})
	}
}

// TestStateBeforeFirstStep: a fresh optimizer reports its initial state,
// step 0 and nothing about a latest step.
func TestStateBeforeFirstStep(t *testing.T) {
	for _, tc := range inspectCases {
		t.Run(tc.name, func(t *testing.T) {
			_, ins := newInspected(t, tc.opt, tc.vals)
			for _, v := range ins.State(nil) {
				switch {
				case v.Name == "effective_lr":
					t.Errorf("effective_lr reported before any step: %v", v.Value)
				case v.Name == "step" && v.Value != (landscape.Vec{}):
					t.Errorf("step = %v before any step", v.Value)
				case v.Name == "lr" && v.Value.X != tc.vals["lr"][0]:
					t.Errorf("lr = %v, want %v", v.Value.X, tc.vals["lr"][0])
				case v.Kind == StateGradient && v.Value != (landscape.Vec{}):
					t.Errorf("%s = %v before any step, want 0", v.Name, v.Value)
				}
			}
		})
	}
}

// TestStateExplainsUpdate checks that the derived quantities say what
// their documentation claims: over random gradients, the update each step
// applies is effective_lr times the documented vector, or the velocity.
func TestStateExplainsUpdate(t *testing.T) {
	mul := func(a, b landscape.Vec) landscape.Vec { return landscape.Vec{X: a.X * b.X, Y: a.Y * b.Y} }
	tests := []struct {
		name string
		opt  string
		vals Values
		// predict gives the update from the state after the step, the
		// gradient the step saw and the point it left.
		predict func(st map[string]landscape.Vec, g, p landscape.Vec) landscape.Vec
	}{
		{"sgd heavy ball", "sgd", Values{"lr": {0.05}, "momentum": {0.9}},
			func(st map[string]landscape.Vec, _, _ landscape.Vec) landscape.Vec { return st["velocity"] }},
		{"rmsprop", "rmsprop", Values{"lr": {0.01}},
			func(st map[string]landscape.Vec, g, _ landscape.Vec) landscape.Vec {
				return mul(st["effective_lr"], g).Scale(-1)
			}},
		{"rmsprop centered", "rmsprop", Values{"lr": {0.01}, "centered": {1}},
			func(st map[string]landscape.Vec, g, _ landscape.Vec) landscape.Vec {
				return mul(st["effective_lr"], g).Scale(-1)
			}},
		{"rmsprop momentum", "rmsprop", Values{"lr": {0.01}, "momentum": {0.7}},
			func(st map[string]landscape.Vec, _, _ landscape.Vec) landscape.Vec { return st["velocity"] }},
		{"adagrad", "adagrad", Values{"lr": {0.3}, "lr_decay": {0.05}},
			func(st map[string]landscape.Vec, g, _ landscape.Vec) landscape.Vec {
				return mul(st["effective_lr"], g).Scale(-1)
			}},
		{"adam", "adam", Values{"lr": {0.05}},
			func(st map[string]landscape.Vec, _, _ landscape.Vec) landscape.Vec {
				return mul(st["effective_lr"], st["exp_avg"]).Scale(-1)
			}},
		{"adam amsgrad", "adam", Values{"lr": {0.05}, "amsgrad": {1}},
			func(st map[string]landscape.Vec, _, _ landscape.Vec) landscape.Vec {
				return mul(st["effective_lr"], st["exp_avg"]).Scale(-1)
			}},
		{"adamw", "adamw", Values{"lr": {0.05}, "weight_decay": {0.5}},
			func(st map[string]landscape.Vec, _, p landscape.Vec) landscape.Vec {
				return p.Scale(-0.05 * 0.5).Add(mul(st["effective_lr"], st["exp_avg"]).Scale(-1))
			}},
		{"nadam", "nadam", Values{"lr": {0.05}},
			func(st map[string]landscape.Vec, g, _ landscape.Vec) landscape.Vec {
				t, prod := st["step"].X, st["mu_product"].X
				mu := func(t float64) float64 { return 0.9 * (1 - 0.5*math.Pow(0.96, t*0.004)) }
				cg := (1 - mu(t)) / (1 - prod)
				cm := mu(t+1) / (1 - prod*mu(t+1))
				return mul(st["effective_lr"], g.Scale(cg).Add(st["exp_avg"].Scale(cm))).Scale(-1)
			}},
		{"adamax", "adamax", Values{"lr": {0.05}},
			func(st map[string]landscape.Vec, _, _ landscape.Vec) landscape.Vec {
				return mul(st["effective_lr"], st["exp_avg"]).Scale(-1)
			}},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt, ins := newInspected(t, tc.opt, tc.vals)
			p := landscape.Vec{X: 0.5, Y: -1}
			buf := make([]StateVar, 0, MaxStateVars)
			for k := range 50 {
				g := landscape.Vec{X: rng.NormFloat64() * 3, Y: rng.NormFloat64() * 0.01}
				q := opt.Step(p, g)
				buf = ins.State(buf)
				want := tc.predict(stateMap(buf), g, p)
				got := landscape.Vec{X: q.X - p.X, Y: q.Y - p.Y}
				// The update is rounded once more against p.
				tol := 1e-15 * (math.Abs(p.X) + math.Abs(p.Y))
				if math.Abs(got.X-want.X) > tol+1e-12*math.Abs(want.X) || math.Abs(got.Y-want.Y) > tol+1e-12*math.Abs(want.Y) {
					t.Fatalf("step %d: update %v, state predicts %v", k+1, got, want)
				}
				p = q
			}
		})
	}
}

func TestStateAllocs(t *testing.T) {
	for _, tc := range inspectCases {
		t.Run(tc.name, func(t *testing.T) {
			opt, ins := newInspected(t, tc.opt, tc.vals)
			opt.Step(landscape.Vec{X: 1, Y: 1}, landscape.Vec{X: 0.5, Y: -2})
			buf := make([]StateVar, 0, MaxStateVars)
			var n int
			if a := testing.AllocsPerRun(100, func() { n = len(ins.State(buf)) }); a != 0 {
				t.Errorf("State allocates %v times", a)
			}
			if n > MaxStateVars {
				t.Errorf("%d state vars, MaxStateVars is %d", n, MaxStateVars)
			}
		})
	}
}

// TestInspectMatchesRun replays noisy, clipped, scheduled runs of every
// optimizer and checks each snapshot against Run bit for bit, and its
// states against an optimizer stepped by hand with the gradients Run fed.
func TestInspectMatchesRun(t *testing.T) {
	preset, ok := landscape.Lookup("himmelblau")
	if !ok {
		t.Fatal("no himmelblau preset")
	}
	sched, _, err := NewSchedule("steplr", Values{"step_size": {7}, "gamma": {0.7}})
	if err != nil {
		t.Fatal(err)
	}
	const steps = 40
	for _, tc := range inspectCases {
		for _, scheduled := range []bool{false, true} {
			cfg := Config{Func: preset.Func, Critical: preset.Critical, Start: landscape.Vec{X: -0.3, Y: 0.4},
				Steps: steps, Seed: 7, Noise: 2, ClipNorm: 20}
			if scheduled {
				cfg.Schedule, cfg.LR = sched, tc.vals["lr"][0]
			}
			opt, _ := newInspected(t, tc.opt, tc.vals)
			rec := &recorder{Optimizer: opt}
			pts, _, err := Run(context.Background(), cfg, rec, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(pts) != steps+1 {
				t.Fatalf("%s: run stopped early (%d points)", tc.name, len(pts))
			}
			var prevAfter []StateVar
			for s := 0; s <= steps; s++ {
				opt, _ := newInspected(t, tc.opt, tc.vals)
				snap, err := Inspect(context.Background(), cfg, opt, s)
				if err != nil {
					t.Fatalf("%s step %d: %v", tc.name, s, err)
				}
				if snap.Step != s || snap.Point != pts[s] || snap.Stop != NotConverged {
					t.Fatalf("%s step %d: snapshot at %+v (%v), run has %+v", tc.name, s, snap.Point, snap.Stop, pts[s])
				}
				if _, g := cfg.Func.ValueGrad(landscape.Vec{X: pts[s].X, Y: pts[s].Y}); snap.Grad != g {
					t.Errorf("%s step %d: grad %v, want %v", tc.name, s, snap.Grad, g)
				}
				if prevAfter != nil && !slices.Equal(snap.Before, prevAfter) {
					t.Errorf("%s step %d: state before %v, but the previous step left %v", tc.name, s, snap.Before, prevAfter)
				}
				prevAfter = snap.After
				if s == steps {
					if snap.Taken || !slices.Equal(snap.After, snap.Before) {
						t.Errorf("%s: a step was taken from the last point: %+v", tc.name, snap)
					}
					continue
				}
				next := landscape.Vec{X: pts[s+1].X, Y: pts[s+1].Y}
				wantLR := tc.vals["lr"][0]
				if scheduled {
					wantLR = rec.lrs[s]
				}
				if !snap.Taken || snap.Next != next || snap.Seen != rec.grads[s] || snap.LR != wantLR {
					t.Fatalf("%s step %d: taken %v next %v seen %v lr %v; run: next %v seen %v lr %v",
						tc.name, s, snap.Taken, snap.Next, snap.Seen, snap.LR, next, rec.grads[s], wantLR)
				}
				if u := (landscape.Vec{X: next.X - pts[s].X, Y: next.Y - pts[s].Y}); snap.Update != u {
					t.Errorf("%s step %d: update %v, want %v", tc.name, s, snap.Update, u)
				}
				// The same steps by hand give the same state.
				opt, ins := newInspected(t, tc.opt, tc.vals)
				for k := 0; k <= s; k++ {
					if scheduled {
						opt.SetLR(rec.lrs[k])
					}
					opt.Step(landscape.Vec{X: pts[k].X, Y: pts[k].Y}, rec.grads[k])
				}
				if want := ins.State(nil); !slices.Equal(snap.After, want) {
					t.Errorf("%s step %d: state after %v, want %v", tc.name, s, snap.After, want)
				}
			}
		}
	}
}

// TestInspectAtTheEnd covers the steps around where a run stops.
func TestInspectAtTheEnd(t *testing.T) {
	sgd := func(lr float64) Optimizer {
		o, _, err := New("sgd", Values{"lr": {lr}})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	// Plain SGD with lr 10 on x^2/2 multiplies x by -9 each step: beyond
	// the divergence bound (recorded, finite) at step 7.
	diverging := Config{Func: bowl{1}, Start: landscape.Vec{X: 1}, Steps: 50}
	// x - 1/x from 0.5 lands at -1.5, where log is undefined: left the
	// domain at step 1, not recorded.
	leaving := Config{Func: logWall{}, Start: landscape.Vec{X: 0.5}, Steps: 50}
	tests := []struct {
		name    string
		cfg     Config
		lr      float64
		step    int
		taken   bool
		stop    Status
		wantErr string
	}{
		{"step before divergence", diverging, 10, 6, true, Diverged, ""},
		{"diverged point", diverging, 10, 7, false, Diverged, ""},
		{"after divergence", diverging, 10, 8, false, 0, "beyond the run's end: it diverged at step 7"},
		{"step that leaves the domain", leaving, 1, 0, true, LeftDomain, ""},
		{"after leaving the domain", leaving, 1, 1, false, 0, "beyond the run's end: it left the function's domain at step 1"},
		{"last point of the budget", Config{Func: bowl{1}, Start: landscape.Vec{X: 1}, Steps: 5}, 0.1, 5, false, NotConverged, ""},
		{"beyond the budget", Config{Func: bowl{1}, Start: landscape.Vec{X: 1}, Steps: 5}, 0.1, 6, false, 0, "beyond the run's budget of 5 steps"},
		{"negative step", Config{Func: bowl{1}, Start: landscape.Vec{X: 1}, Steps: 5}, 0.1, -1, false, 0, "step must be >= 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap, err := Inspect(context.Background(), tc.cfg, sgd(tc.lr), tc.step)
			if tc.wantErr != "" {
				var se *StepError
				if !errors.As(err, &se) || se.Step != tc.step || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want a *StepError containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			pts, _, _ := Run(context.Background(), tc.cfg, sgd(tc.lr), nil)
			if snap.Taken != tc.taken || snap.Stop != tc.stop || snap.Point != pts[tc.step] {
				t.Errorf("taken %v stop %v at %+v; want taken %v stop %v at %+v", snap.Taken, snap.Stop, snap.Point, tc.taken, tc.stop, pts[tc.step])
			}
			if !snap.Taken && (snap.Update != landscape.Vec{} || snap.LR != 0 || len(snap.After) == 0) {
				t.Errorf("no step taken, yet %+v", snap)
			}
			if snap.Taken && tc.stop == Diverged && len(pts) > tc.step+1 && snap.Next != (landscape.Vec{X: pts[tc.step+1].X, Y: pts[tc.step+1].Y}) {
				t.Errorf("next %v, run has %+v", snap.Next, pts[tc.step+1])
			}
		})
	}
}

func TestInspectErrorsFromRun(t *testing.T) {
	opt, _, _ := New("adam", nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Inspect(ctx, Config{Func: bowl{1}, Steps: 10}, opt, 3); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
	var se *StepError
	if _, err := Inspect(context.Background(), Config{Func: bowl{1}, Steps: 10, Noise: -1}, opt, 3); err == nil || errors.As(err, &se) || !strings.Contains(err.Error(), "noise") {
		t.Errorf("invalid config: got %v", err)
	}
}

// TestInspectOpaqueOptimizer: an optimizer without Inspector still gets a
// snapshot, without state.
func TestInspectOpaqueOptimizer(t *testing.T) {
	snap, err := Inspect(context.Background(), Config{Func: bowl{2}, Start: landscape.Vec{X: 1, Y: -1}, Steps: 3}, &runSGD{0.1}, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := landscape.Vec{X: 0.8 * 0.8, Y: -0.8 * 0.8}
	if !snap.Taken || snap.Before != nil || snap.After != nil || snap.LR != 0 ||
		math.Abs(snap.Next.X-want.X) > 1e-15 || math.Abs(snap.Next.Y-want.Y) > 1e-15 {
		t.Errorf("snapshot %+v", snap)
	}
}

// ExampleInspect looks inside Adam at the first step of a run on
// Himmelblau's function: the first moment is a tenth of the gradient, and
// the effective step size makes the move about lr in each coordinate
// whatever the gradient's scale.
func ExampleInspect() {
	preset, _ := landscape.Lookup("himmelblau")
	opt, _, _ := New("adam", Values{"lr": {0.1}})
	cfg := Config{Func: preset.Func, Start: landscape.Vec{X: 0, Y: 0}, Steps: 100}
	snap, err := Inspect(context.Background(), cfg, opt, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("gradient (%.1f, %.1f), update (%.3f, %.3f)\n", snap.Grad.X, snap.Grad.Y, snap.Update.X, snap.Update.Y)
	for _, v := range snap.After {
		fmt.Printf("%-13s %-14s (%.4g, %.4g)\n", v.Name, v.Kind, v.Value.X, v.Value.Y)
	}
	// Output:
	// gradient (-14.0, -22.0), update (0.100, 0.100)
	// lr            scalar         (0.1, 0.1)
	// step          scalar         (1, 1)
	// exp_avg       gradient       (-1.4, -2.2)
	// exp_avg_sq    per_coordinate (0.196, 0.484)
	// effective_lr  per_coordinate (0.07143, 0.04545)
}

// BenchmarkInspect measures a snapshot deep into a long run: the cost is
// replaying the run to that step.
func BenchmarkInspect(b *testing.B) {
	preset, _ := landscape.Lookup("himmelblau")
	cfg := Config{Func: preset.Func, Start: landscape.Vec{X: 0, Y: 0}, Steps: MaxSteps, Seed: 1, Noise: 0.5}
	for b.Loop() {
		opt, _, _ := New("adam", Values{"lr": {0.01}})
		if _, err := Inspect(context.Background(), cfg, opt, MaxSteps-1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInspectRun is Run over the same steps, the floor Inspect's cost
// is measured against.
func BenchmarkInspectRun(b *testing.B) {
	preset, _ := landscape.Lookup("himmelblau")
	cfg := Config{Func: preset.Func, Start: landscape.Vec{X: 0, Y: 0}, Steps: MaxSteps, Seed: 1, Noise: 0.5}
	buf := make([]Point, 0, MaxSteps+1)
	for b.Loop() {
		opt, _, _ := New("adam", Values{"lr": {0.01}})
		if _, _, err := Run(context.Background(), cfg, opt, buf); err != nil {
			b.Fatal(err)
		}
	}
}
