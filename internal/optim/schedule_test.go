package optim

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

// TestScheduleValues checks each schedule against values of PyTorch's closed
// form computed by hand in Python (the formula of _get_closed_form_lr with
// Python floats, printed with repr).
func TestScheduleValues(t *testing.T) {
	tests := []struct {
		name  string
		given Values
		base  float64
		step  int
		want  float64
		ulps  float64 // allowed error in units of the last place (the final product, cos)
	}{
		{"constant", nil, 0.05, 0, 0.05, 0},
		{"constant", nil, 0.05, 99_999, 0.05, 0},
		{"constantlr", nil, 0.05, 0, 0.016666666666666666, 0},
		{"constantlr", nil, 0.05, 4, 0.016666666666666666, 0},
		{"constantlr", nil, 0.05, 5, 0.05, 0},
		{"steplr", Values{"step_size": {3}}, 0.05, 2, 0.05, 0},
		{"steplr", Values{"step_size": {3}}, 0.05, 7, 0.0005000000000000001, 0},
		{"steplr", Values{"step_size": {4}, "gamma": {0.5}}, 0.05, 10, 0.0125, 0},
		{"steplr", Values{"step_size": {4}, "gamma": {0.5}}, 0.05, 12, 0.00625, 0},
		{"exponentiallr", Values{"gamma": {0.99}}, 0.05, 0, 0.05, 0},
		{"exponentiallr", Values{"gamma": {0.99}}, 0.05, 37, 0.034472454293453886, 1},
		{"exponentiallr", Values{"gamma": {0.9}}, 0.1, 250, 3.6360291795870163e-13, 1},
		{"cosineannealinglr", Values{"T_max": {100}, "eta_min": {0.001}}, 0.05, 0, 0.05, 0},
		{"cosineannealinglr", Values{"T_max": {100}, "eta_min": {0.001}}, 0.05, 1, 0.04998791072896043, 2},
		{"cosineannealinglr", Values{"T_max": {100}, "eta_min": {0.001}}, 0.05, 50, 0.025500000000000002, 2},
		{"cosineannealinglr", Values{"T_max": {100}, "eta_min": {0.001}}, 0.05, 99, 0.0010120892710395759, 2},
		{"cosineannealinglr", Values{"T_max": {100}, "eta_min": {0.001}}, 0.05, 100, 0.001, 0},
		{"cosineannealinglr", Values{"T_max": {100}, "eta_min": {0.001}}, 0.05, 150, 0.025499999999999995, 2},
		{"cosineannealinglr", Values{"T_max": {100}}, 0.05, 100, 0, 0},
		{"linearlr", nil, 0.05, 0, 0.016666666666666666, 0},
		{"linearlr", nil, 0.05, 1, 0.023333333333333334, 0},
		{"linearlr", nil, 0.05, 2, 0.030000000000000006, 0},
		{"linearlr", nil, 0.05, 5, 0.05, 0},
		{"linearlr", nil, 0.05, 6, 0.05, 0},
		{"linearlr", Values{"start_factor": {1}, "end_factor": {0}, "total_iters": {10}}, 0.2, 5, 0.1, 0},
	}
	for _, tt := range tests {
		s, _, err := NewSchedule(tt.name, tt.given)
		if err != nil {
			t.Fatalf("%s %v: %v", tt.name, tt.given, err)
		}
		got := s.LR(tt.base, tt.step)
		ulp := math.Nextafter(tt.want, math.Inf(1)) - tt.want
		if math.Abs(got-tt.want) > tt.ulps*ulp {
			t.Errorf("%s %v at step %d: lr %v, want %v (±%v ulp)", tt.name, tt.given, tt.step, got, tt.want, tt.ulps)
		}
	}
}

func TestNewScheduleErrors(t *testing.T) {
	tests := []struct {
		name  string
		given Values
		param string // the parameter the error must name
		text  string // and a fragment of its message
	}{
		{"warmup", nil, "name", `unknown schedule "warmup"`},
		{"steplr", nil, "step_size", "step_size is required"},
		{"steplr", Values{"step_size": {2.5}}, "step_size", "whole number, got 2.5"},
		{"steplr", Values{"step_size": {0}}, "step_size", "step_size must be in [1, 100000], got 0"},
		{"steplr", Values{"step_size": {10}, "gamma": {2}}, "gamma", "gamma must be in (0, 1], got 2"},
		{"steplr", Values{"step_size": {10}, "gama": {0.5}}, "gama", "unknown hyperparameter"},
		{"exponentiallr", nil, "gamma", "gamma is required"},
		{"exponentiallr", Values{"gamma": {0}}, "gamma", "gamma must be in (0, 1], got 0"},
		{"cosineannealinglr", Values{"eta_min": {0.1}}, "T_max", "T_max is required"},
		{"cosineannealinglr", Values{"T_max": {10}, "eta_min": {-1}}, "eta_min", ">= 0"},
		{"linearlr", Values{"start_factor": {0}}, "start_factor", "start_factor must be in (0, 1], got 0"},
		{"linearlr", Values{"total_iters": {math.NaN()}}, "total_iters", "got NaN"},
		{"constantlr", Values{"factor": {1, 2}}, "factor", "single number"},
	}
	for _, tt := range tests {
		_, _, err := NewSchedule(tt.name, tt.given)
		var pe *ParamError
		if !errors.As(err, &pe) {
			t.Errorf("%s %v: error %v, want a *ParamError", tt.name, tt.given, err)
			continue
		}
		if pe.Param != tt.param || !strings.Contains(pe.Msg, tt.text) {
			t.Errorf("%s %v: error %q on %q, want %q on %q", tt.name, tt.given, pe.Msg, pe.Param, tt.text, tt.param)
		}
	}
}

func TestSchedulesDescribeThemselves(t *testing.T) {
	for _, info := range Schedules() {
		if info.Name == "" || info.Display == "" || info.Doc == "" || info.Formula == "" {
			t.Errorf("%q is missing a name, display name, doc or formula", info.Name)
		}
		// Given every required value (the smallest allowed), the defaults
		// fill the rest and the resolved values name every Param.
		given := Values{}
		for _, p := range info.Params {
			if p.Doc == "" {
				t.Errorf("%s.%s has no doc", info.Name, p.Name)
			}
			if p.Default == nil {
				given[p.Name] = []float64{math.Max(p.Min, 0.5)}
				if p.Max <= 1 {
					given[p.Name] = []float64{p.Max}
				}
			}
		}
		s, resolved, err := NewSchedule(info.Name, given)
		if err != nil {
			t.Errorf("%s with %v: %v", info.Name, given, err)
			continue
		}
		if len(resolved) != len(info.Params) {
			t.Errorf("%s resolved %v, want all of %d params", info.Name, resolved, len(info.Params))
		}
		if lr := s.LR(0.1, 0); !(lr > 0) {
			t.Errorf("%s: first lr %v", info.Name, lr)
		}
	}
	// Schedules returns copies.
	Schedules()[1].Params[0].Default[0] = 42
	if Schedules()[1].Params[0].Default[0] == 42 {
		t.Error("Schedules shares its Defaults with the registry")
	}
}

// TestRunSchedule checks that Run sets the scheduled rate before every step
// and that the trajectory is the one a hand-scheduled loop gives.
func TestRunSchedule(t *testing.T) {
	sched, _, err := NewSchedule("steplr", Values{"step_size": {3}, "gamma": {0.5}})
	if err != nil {
		t.Fatal(err)
	}
	const base, steps = 0.2, 10
	rec := &recorder{Optimizer: &runSGD{99}} // the optimizer's own lr is overridden
	cfg := Config{Func: bowl{1}, Start: landscape.Vec{X: 1, Y: -2}, Steps: steps, Schedule: sched, LR: base}
	pts, _, err := Run(context.Background(), cfg, rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025}
	if len(rec.lrs) != steps {
		t.Fatalf("SetLR called %d times, want %d", len(rec.lrs), steps)
	}
	x, y := 1.0, -2.0
	for k, lr := range rec.lrs {
		if lr != want[k] {
			t.Errorf("step %d: lr %v, want %v", k+1, lr, want[k])
		}
		x, y = x-want[k]*x, y-want[k]*y
		if pts[k+1].X != x || pts[k+1].Y != y {
			t.Errorf("point %d = (%v, %v), want (%v, %v)", k+1, pts[k+1].X, pts[k+1].Y, x, y)
		}
	}
}

// torchSchedules is testdata/torch-schedules.json, written by
// testdata/gen_schedules.py from PyTorch 1.13's own schedulers.
type torchSchedules struct {
	Cases []struct {
		Schedule string             `json:"schedule"`
		Params   map[string]float64 `json:"params"`
		Base     float64            `json:"base"`
		Closed   []float64          `json:"closed"` // _get_closed_form_lr at each step
		Used     []float64          `json:"used"`   // the lr optimizer.step() saw
	} `json:"cases"`
}

// TestSchedulesMatchTorch compares every schedule with PyTorch's over 400
// steps. Against the closed form (what Basin computes) the rates must be
// bit-identical, but for the last-place rounding of cos in
// CosineAnnealingLR. Against the rates PyTorch's recursive
// scheduler.step() actually sets, they agree up to the rounding the
// recursion accumulates.
func TestSchedulesMatchTorch(t *testing.T) {
	raw, err := os.ReadFile("testdata/torch-schedules.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref torchSchedules
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) == 0 {
		t.Fatal("no cases")
	}
	seen := map[string]bool{}
	for _, c := range ref.Cases {
		seen[c.Schedule] = true
		given := Values{}
		for k, v := range c.Params {
			given[k] = []float64{v}
		}
		s, _, err := NewSchedule(c.Schedule, given)
		if err != nil {
			t.Fatalf("%s %v: %v", c.Schedule, c.Params, err)
		}
		// Go's math.Cos and C's cos may differ in the last place: that
		// moves the rate by up to 2^-53*(base-eta_min), plus one rounding
		// of the result, which is all the cosine may differ by.
		closedTol := 0.0
		if c.Schedule == "cosineannealinglr" {
			closedTol = 0x1p-52 * c.Base
		}
		worstClosed, worstUsed := 0.0, 0.0
		for step := range c.Closed {
			got := s.LR(c.Base, step)
			if d := math.Abs(got - c.Closed[step]); d > closedTol {
				t.Errorf("%s %v step %d: lr %v, PyTorch's closed form %v", c.Schedule, c.Params, step, got, c.Closed[step])
			} else {
				worstClosed = max(worstClosed, d/c.Base)
			}
			// The recursion drifts from the closed form by rounding only,
			// and nowhere by more than 1e-12 of the base rate.
			d := math.Abs(got - c.Used[step])
			if d > 1e-12*c.Base {
				t.Errorf("%s %v step %d: lr %v, PyTorch's scheduler set %v", c.Schedule, c.Params, step, got, c.Used[step])
			}
			worstUsed = max(worstUsed, d/c.Base)
		}
		t.Logf("%s %v: within %.2g of the closed form and %.2g of the recursion (relative to lr)", c.Schedule, c.Params, worstClosed, worstUsed)
	}
	for _, info := range Schedules() {
		if info.Name != "constant" && !seen[info.Name] {
			t.Errorf("no PyTorch case for %s", info.Name)
		}
	}
}
