package train

import (
	"context"
	"testing"

	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

// windowOf returns the final window's rows of r's parameters and their mean.
func windowOf(r RunResult, np int) (rows [][]float64, mean []float64) {
	n := r.Rows()
	w := optim.Window(n)
	mean = make([]float64, np)
	for i := n - w; i < n; i++ {
		row := r.Params[i*np : (i+1)*np]
		rows = append(rows, row)
		for k, v := range row {
			mean[k] += v / float64(w)
		}
	}
	return rows, mean
}

// checkHover checks what a Converged noisy outcome promises: the hover
// radius holds the final window around the settled point, and no row of
// the window lies outside it.
func checkHover(t *testing.T, name string, r RunResult, np int) {
	t.Helper()
	if r.Outcome.Status != optim.Converged {
		return
	}
	if len(r.Ends) != 1 || len(r.Ends[0]) != np {
		t.Fatalf("%s: ends %v", name, r.Ends)
	}
	rows, _ := windowOf(r, np)
	far := 0.0
	for _, row := range rows {
		far = max(far, dist(row, r.Ends[0]))
	}
	if far != r.Outcome.Hover {
		t.Errorf("%s: hover %v, farthest window row %v", name, r.Outcome.Hover, far)
	}
	if r.Outcome.Step < 0 || r.Outcome.Step >= r.Rows()-optim.Window(r.Rows())+1 {
		t.Errorf("%s: step %d of %d rows is not the start of a stay that holds the window", name, r.Outcome.Step, r.Rows())
	}
}

func TestNoisyLinearRegression(t *testing.T) {
	line := Dataset{Name: "line", N: ptr(64), Seed: 5, Params: map[string]float64{"slope": 1.5, "intercept": -0.5}, Noise: ptr(0.5)}
	outcome := func(batch *int) (*Result, RunResult) {
		t.Helper()
		s := Spec{Dataset: line, Model: model.Spec{Kind: model.Linear}, Init: Init{Params: []float64{-2, 2}},
			BatchSize: batch, Steps: ptr(2000), ShuffleSeed: ptr(uint64(7)),
			Optimizers: []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {0.05}}}}}
		res, err := Run(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		return res, res.Runs[0]
	}
	res, full := outcome(nil)
	if full.Outcome.Status != optim.Converged || full.Outcome.Reached != &res.Critical[0] || full.Outcome.Hover != 0 {
		t.Errorf("full batch: %+v, want converged at the least-squares point %+v with no hover", full.Outcome, res.Critical)
	}
	_, b32 := outcome(ptr(32))
	_, b1 := outcome(ptr(1))
	t.Logf("batch 32: %+v; batch 1: %+v", b32.Outcome, b1.Outcome)
	if b32.Outcome.Status != optim.Converged || b32.Outcome.Reached == nil || b32.Outcome.Hover <= 0 {
		t.Errorf("batch 32: %+v, want converged, hovering around the minimum", b32.Outcome)
	}
	switch b1.Outcome.Status {
	case optim.Wandering:
	case optim.Converged:
		if !(b1.Outcome.Hover > b32.Outcome.Hover) {
			t.Errorf("batch 1 hovers within %v, batch 32 within %v: smaller batches must wander more", b1.Outcome.Hover, b32.Outcome.Hover)
		}
	default:
		t.Errorf("batch 1: %+v, want wandering or hovering", b1.Outcome)
	}
	checkHover(t, "batch 32", b32, 2)
	checkHover(t, "batch 1", b1, 2)
}

func TestNoisyLogisticSeparable(t *testing.T) {
	// Classes split by the line x1 = 0 through the origin: no minimum, and
	// minibatch SGD pushes the weights out for ever.
	var pts [][]float64
	for i := range 40 {
		x1 := 0.2 + float64(i%10)*0.1
		x2 := float64(i/10) - 1.5
		pts = append(pts, []float64{x1, x2, 1}, []float64{-x1, x2 + 0.3, 0})
	}
	s := Spec{Dataset: Dataset{Points: pts}, Model: model.Spec{Kind: model.Logistic}, Init: Init{Params: []float64{0, 0}},
		BatchSize: ptr(4), Steps: ptr(1000), Optimizers: []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {0.5}}}}}
	res, err := Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Runs[0]
	if !res.Separable || len(res.Critical) != 0 {
		t.Fatalf("separable %v, critical %v", res.Separable, res.Critical)
	}
	if r.Outcome.Status != optim.NotConverged || r.Outcome.Step != 1000 || r.Outcome.Reached != nil || r.Ends != nil {
		t.Errorf("outcome %+v, ends %v: want not converged after 1000 steps, naming nothing", r.Outcome, r.Ends)
	}
	n := r.Rows()
	if first, last := norm(r.Params[2*(n/2):2*(n/2)+2]), norm(r.Params[2*(n-1):]); !(last > first) {
		t.Errorf("weights' norm %v at the middle, %v at the end: they must keep growing", first, last)
	}
}

func TestNoisyNetwork(t *testing.T) {
	spec := func(lr float64, steps int) Spec {
		return Spec{Dataset: Dataset{Name: "sine", N: ptr(100), Seed: 1, Noise: ptr(0.3)},
			Model: model.Spec{Kind: model.MLP, Hidden: []int{4}, Activation: model.ReLU}, Init: Init{Seed: ptr(uint64(3))},
			BatchSize: ptr(20), Steps: ptr(steps), Optimizers: []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {lr}}}}}
	}
	for _, tc := range []struct {
		name  string
		lr    float64
		steps int
		want  optim.Status
	}{
		{"settles", 0.1, 3000, optim.Converged},
		{"still descending", 0.002, 200, optim.NotConverged},
	} {
		res, err := Run(context.Background(), spec(tc.lr, tc.steps))
		if err != nil {
			t.Fatal(err)
		}
		r := res.Runs[0]
		t.Logf("%s: %+v, loss %v", tc.name, r.Outcome, r.Loss[r.Rows()-1])
		if r.Outcome.Status != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, r.Outcome.Status, tc.want)
		}
		checkHover(t, tc.name, r, res.Model.NumParams())
		if r.Outcome.Status == optim.Converged {
			// The settled point is where the full-data gradient vanishes.
			ws := res.Model.NewWorkspace()
			g := make([]float64, res.Model.NumParams())
			ws.LossGrad(r.Ends[0], g, res.Train, nil)
			if norm(g) > optim.GradTol {
				t.Errorf("%s: gradient %v at the settled point", tc.name, norm(g))
			}
		}
		again, err := Run(context.Background(), spec(tc.lr, tc.steps))
		if err != nil {
			t.Fatal(err)
		}
		if a := again.Runs[0]; a.Outcome.Status != r.Outcome.Status || a.Outcome.Step != r.Outcome.Step || a.Outcome.Hover != r.Outcome.Hover {
			t.Errorf("%s: judged %+v, then %+v", tc.name, r.Outcome, a.Outcome)
		}
	}
}
