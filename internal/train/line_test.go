package train

import (
	"context"
	"math"
	"strconv"
	"testing"

	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

func TestLineTs(t *testing.T) {
	tests := []struct {
		n          int
		first, end float64
		points     int
	}{
		{2, -0.5, 1.5, 5},
		{3, -1.0 / 3, 4.0 / 3, 6},
		{40, -0.5, 1.5, 81},
		{MaxLine, -0.5, 1.5, 513},
	}
	for _, tc := range tests {
		ts := lineTs(tc.n)
		if len(ts) != tc.points || LinePoints(tc.n) != tc.points || ts[0] != tc.first || ts[len(ts)-1] != tc.end {
			t.Errorf("line %d: %d points from %v to %v, want %d from %v to %v", tc.n, len(ts), ts[0], ts[len(ts)-1], tc.points, tc.first, tc.end)
		}
		zero, one := false, false
		for _, v := range ts {
			zero = zero || v == 0
			one = one || v == 1
		}
		if !zero || !one {
			t.Errorf("line %d misses t = 0 or t = 1: %v", tc.n, ts)
		}
	}
}

// The line's ends are the run's first and last full-data losses, bit for
// bit, for minibatch and full-batch runs, with and without validation.
func TestLineEndsAreTheRunsLosses(t *testing.T) {
	tests := []struct {
		name string
		edit func(s *Spec)
	}{
		{"mlp minibatch", func(s *Spec) {}},
		{"mlp validation", func(s *Spec) { s.Validation = 0.25 }},
		{"linear", func(s *Spec) {
			s.Dataset, s.Model, s.BatchSize = Dataset{Name: "line", N: ptr(40), Seed: 2}, model.Spec{Kind: model.Linear}, nil
		}},
		{"logistic two optimizers", func(s *Spec) {
			s.Model = model.Spec{Kind: model.Logistic}
			s.Optimizers = append(s.Optimizers, Optimizer{Name: "sgd"})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := baseSpec()
			tc.edit(&s)
			s.Line = 7
			res, err := Run(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res.Runs {
				ln := r.Line
				if ln == nil {
					t.Fatalf("run %d has no line", i)
				}
				z, o := 3, 10 // t = 0 and t = 1 for 7 intervals: k from -3 to 10
				if ln.T[z] != 0 || ln.T[o] != 1 || len(ln.T) != LinePoints(7) {
					t.Fatalf("t %v", ln.T)
				}
				last := r.Rows() - 1
				if ln.Loss[z] != r.Loss[0] || ln.Loss[o] != r.Loss[last] {
					t.Errorf("run %d: line ends %v, %v; losses %v, %v", i, ln.Loss[z], ln.Loss[o], r.Loss[0], r.Loss[last])
				}
				if (ln.ValLoss == nil) != (r.ValLoss == nil) {
					t.Fatalf("run %d: val line %v, val loss %v", i, ln.ValLoss != nil, r.ValLoss != nil)
				}
				if r.ValLoss != nil && (ln.ValLoss[z] != r.ValLoss[0] || ln.ValLoss[o] != r.ValLoss[last]) {
					t.Errorf("run %d: val line ends differ", i)
				}
			}
		})
	}
}

// For linear regression the mean squared error along any straight line is
// a parabola in t: its second differences are one positive constant.
func TestLineLinearIsABowl(t *testing.T) {
	s := Spec{Dataset: Dataset{Name: "line", N: ptr(50), Seed: 3}, Model: model.Spec{Kind: model.Linear},
		Steps: ptr(30), Optimizers: []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {0.1}}}}, Line: 20}
	res, err := Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	l := res.Runs[0].Line.Loss
	want := l[2] - 2*l[1] + l[0]
	if !(want > 0) {
		t.Fatalf("second difference %v", want)
	}
	for i := 1; i+1 < len(l); i++ {
		if d := l[i+1] - 2*l[i] + l[i-1]; math.Abs(d-want) > 1e-9*math.Abs(l[i]) {
			t.Errorf("second difference at %d is %v, want %v", i, d, want)
		}
	}
}

func TestLineDivergedAndErrors(t *testing.T) {
	s := Spec{Dataset: Dataset{Name: "line", N: ptr(30), Seed: 1}, Model: model.Spec{Kind: model.Linear},
		Steps: ptr(500), Optimizers: []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {1.5}}}}, Line: 8}
	res, err := Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Runs[0]; r.Outcome.Status != optim.Diverged || r.Line != nil {
		t.Errorf("diverged run: outcome %v, line %v", r.Outcome.Status, r.Line)
	}
	for _, n := range []int{-1, 1, MaxLine + 1} {
		s.Line = n
		_, err := Run(context.Background(), s)
		fe, ok := err.(*FieldError)
		if !ok || fe.Field != "line" || fe.Msg != "line must be 0 (no line) or in [2, 256], got "+itoa(n) {
			t.Errorf("line %d: %v", n, err)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
