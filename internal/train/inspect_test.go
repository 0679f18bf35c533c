package train

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

// TestInspectIsTheRun checks snapshots against the run they replay, bit for
// bit: the row's parameters, the next row, the full-data loss and the
// minibatch loss the run recorded, for every optimizer of specs with a
// schedule, clipping, explicit batches and the two-parameter models.
func TestInspectIsTheRun(t *testing.T) {
	specs := map[string]func(s *Spec){
		"mlp adam": func(s *Spec) {},
		"mlp four optimizers, clipped, scheduled": func(s *Spec) {
			s.Optimizers = []Optimizer{{Name: "sgd", Values: optim.Values{"momentum": {0.9}}}, {Name: "rmsprop", Values: optim.Values{"centered": {1}}},
				{Name: "adagrad"}, {Name: "adam", Values: optim.Values{"amsgrad": {1}}}}
			s.ClipNorm = 0.5
			s.Schedule = &Schedule{Name: "steplr", Values: optim.Values{"step_size": {3}, "gamma": {0.5}}}
		},
		"explicit batches": func(s *Spec) {
			s.BatchSize, s.Epochs = nil, nil
			s.Batches = [][]int{{3, 17, 5}, {8, 1, 12}, {0}, {59, 58, 2, 4}}
			s.Optimizers = []Optimizer{{Name: "nadam"}, {Name: "lion"}}
		},
		"linear": func(s *Spec) {
			s.Dataset, s.Model, s.Init = Dataset{Name: "line", N: ptr(40), Seed: 3}, model.Spec{Kind: model.Linear}, Init{}
			s.Optimizers = []Optimizer{{Name: "adadelta"}, {Name: "adamax"}}
		},
		"logistic": func(s *Spec) {
			s.Model, s.Init = model.Spec{Kind: model.Logistic}, Init{}
		},
	}
	for name, edit := range specs {
		t.Run(name, func(t *testing.T) {
			s := baseSpec()
			edit(&s)
			res, err := Run(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			np := len(res.Names)
			for i, r := range res.Runs {
				for _, step := range []int{0, 1, 2, res.Steps / 2, res.Steps - 1, res.Steps} {
					snap, err := Inspect(context.Background(), s, i, step)
					if err != nil {
						t.Fatalf("run %d step %d: %v", i, step, err)
					}
					row := r.Params[step*np : (step+1)*np]
					if !sameBits(snap.Params, row) || math.Float64bits(snap.Loss) != math.Float64bits(r.Loss[step]) {
						t.Fatalf("run %d step %d: params or loss differ from the run's row", i, step)
					}
					if step == res.Steps {
						if snap.Taken || !slices.EqualFunc(snap.Before, snap.After, func(a, b optim.VecStateVar) bool { return a.Name == b.Name }) {
							t.Fatalf("run %d: the last row took a step", i)
						}
						continue
					}
					if !snap.Taken || !sameBits(snap.Next, r.Params[(step+1)*np:(step+2)*np]) {
						t.Fatalf("run %d step %d: next %v is not the run's next row", i, step, snap.Next)
					}
					if math.Float64bits(snap.BatchLoss) != math.Float64bits(r.BatchLoss[step]) {
						t.Fatalf("run %d step %d: batch loss %.17g, the run's %.17g", i, step, snap.BatchLoss, r.BatchLoss[step])
					}
					for k := range snap.Update {
						if snap.Update[k] != snap.Next[k]-snap.Params[k] {
							t.Fatalf("update[%d] is not next - params", k)
						}
					}
					clipped := slices.Clone(snap.Grad)
					if s.ClipNorm > 0 {
						optim.ClipGradNorm(clipped, s.ClipNorm)
					}
					if !sameBits(clipped, snap.Seen) {
						t.Fatalf("run %d step %d: the optimizer saw %v, the clipped minibatch gradient is %v", i, step, snap.Seen, clipped)
					}
					if s.Schedule != nil {
						want := 0.05 * math.Pow(0.5, float64(step/3))
						if math.Abs(snap.LR-want) > 1e-15 {
							t.Fatalf("step %d: lr %g, StepLR gives %g", step, snap.LR, want)
						}
					}
				}
			}
		})
	}
}

// TestInspectFullGradient checks the full-data gradient against central
// differences of the full-data loss, and that a full-batch step's
// minibatch gradient is the full one (to rounding: the batch holds the
// rows shuffled, so they are summed in another order).
func TestInspectFullGradient(t *testing.T) {
	s := baseSpec()
	snap, err := Inspect(context.Background(), s, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	pl, _ := check(s)
	ws := pl.model.NewWorkspace()
	for i := range snap.Params {
		h := 1e-6
		p := slices.Clone(snap.Params)
		p[i] += h
		up := ws.Loss(p, pl.train, nil)
		p[i] -= 2 * h
		down := ws.Loss(p, pl.train, nil)
		if fd := (up - down) / (2 * h); math.Abs(fd-snap.FullGrad[i]) > 1e-7 {
			t.Fatalf("full gradient[%d] %g, central difference %g", i, snap.FullGrad[i], fd)
		}
	}
	s.BatchSize = nil
	snap, err = Inspect(context.Background(), s, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Batch) != 60 {
		t.Fatalf("full batch of %d rows", len(snap.Batch))
	}
	for i, g := range snap.Grad {
		if math.Abs(g-snap.FullGrad[i]) > 1e-14 {
			t.Fatalf("full batch: gradient[%d] %.17g, full %.17g", i, g, snap.FullGrad[i])
		}
	}
}

// TestInspectAdamState checks the state against Adam's rule as PyTorch
// writes it: the update is -effective_lr*exp_avg, coordinate by
// coordinate, and the step count is the timeline step + 1.
func TestInspectAdamState(t *testing.T) {
	snap, err := Inspect(context.Background(), baseSpec(), 0, 4)
	if err != nil {
		t.Fatal(err)
	}
	get := func(name string) []float64 {
		for _, v := range snap.After {
			if v.Name == name {
				return v.Values
			}
		}
		t.Fatalf("no %s in %v", name, snap.After)
		return nil
	}
	if get("step")[0] != 5 {
		t.Fatalf("step %v after timeline step 4", get("step"))
	}
	m, eff := get("exp_avg"), get("effective_lr")
	for i, u := range snap.Update {
		if want := -eff[i] * m[i]; math.Abs(u-want) > 1e-12*math.Abs(want)+1e-18 {
			t.Fatalf("update[%d] %g, -effective_lr*exp_avg %g", i, u, want)
		}
	}
}

func TestInspectErrors(t *testing.T) {
	tests := []struct {
		name             string
		optimizer, step  int
		edit             func(s *Spec)
		field, wantStart string
	}{
		{"optimizer", 1, 0, nil, "optimizer", "optimizer must be an index into optimizers in [0, 0], got 1"},
		{"step", 0, 9, nil, "step", "step must be in [0, 8] (the run's steps), got 9"},
		{"negative step", 0, -1, nil, "step", "step must be in [0, 8] (the run's steps), got -1"},
		{"spec", 0, 0, func(s *Spec) { s.LR = ptr(-1.0) }, "lr", "lr must be a finite number > 0, got -1"},
		{"grid checked though not computed", 0, 0, func(s *Spec) { s.Grid = 257 }, "grid", "grid must be 0 (no landscape) or in [2, 256], got 257"},
		{"after divergence", 0, 400, func(s *Spec) {
			*s = Spec{Dataset: Dataset{Name: "line", N: ptr(30), Seed: 1}, Model: model.Spec{Kind: model.Linear},
				Steps: ptr(500), Optimizers: []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {1.5}}}}}
		}, "step", "step 400 is beyond the run's end: it diverged at step"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := baseSpec()
			if tt.edit != nil {
				tt.edit(&s)
			}
			_, err := Inspect(context.Background(), s, tt.optimizer, tt.step)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field || len(fe.Msg) < len(tt.wantStart) || fe.Msg[:len(tt.wantStart)] != tt.wantStart {
				t.Fatalf("got %v, want %s: %s", err, tt.field, tt.wantStart)
			}
		})
	}
}

// TestInspectDivergence: the step that diverges says so, and so does the
// row the run ended at.
func TestInspectDivergence(t *testing.T) {
	s := Spec{Dataset: Dataset{Name: "line", N: ptr(30), Seed: 1}, Model: model.Spec{Kind: model.Linear},
		Steps: ptr(500), Optimizers: []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {1.5}}}}}
	res, err := Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	last := res.Runs[0].Rows() - 1
	for _, tc := range []struct {
		step            int
		taken, diverged bool
	}{{last - 2, true, false}, {last - 1, true, true}, {last, false, true}} {
		snap, err := Inspect(context.Background(), s, 0, tc.step)
		if err != nil {
			t.Fatal(err)
		}
		if snap.Taken != tc.taken || snap.Diverged != tc.diverged {
			t.Errorf("step %d of %d rows: taken %v, diverged %v; want %v, %v", tc.step, last+1, snap.Taken, snap.Diverged, tc.taken, tc.diverged)
		}
	}
}
