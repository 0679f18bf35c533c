package train

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

// Each row of a sweep is the run Run makes at that learning rate, bit for
// bit: minibatch and full-batch, a preset's own values kept, the
// optimizer's own lr replaced.
func TestSweepRowsAreRuns(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
	}{
		{"mlp minibatch", baseSpec()},
		{"linear full batch", Spec{Dataset: Dataset{Name: "line", N: ptr(40), Seed: 2}, Model: model.Spec{Kind: model.Linear},
			Steps: ptr(60), Optimizers: []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {0.3}, "momentum": {0.9}}}, {Name: "adam"}}}},
	}
	lrs := []float64{1e-3, 0.1, 3, 1e5}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := map[[2]int]SweepRow{}
			err := Sweep(context.Background(), tc.spec, lrs, func(i, k int, r SweepRow) error {
				got[[2]int{i, k}] = r
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(lrs)*len(tc.spec.Optimizers) {
				t.Fatalf("%d rows", len(got))
			}
			statuses := map[optim.Status]bool{}
			for key, row := range got {
				one := tc.spec
				o := one.Optimizers[key[0]]
				vals := optim.Values{}
				for k, v := range o.Values {
					vals[k] = v
				}
				vals["lr"] = []float64{lrs[key[1]]}
				one.Optimizers = []Optimizer{{Name: o.Name, Values: vals}}
				res, err := Run(context.Background(), one)
				if err != nil {
					t.Fatal(err)
				}
				want := summarise(lrs[key[1]], &res.Runs[0])
				if row.LR != want.LR || row.FinalLoss != want.FinalLoss || row.MinLoss != want.MinLoss || row.Rows != want.Rows ||
					row.Outcome.Status != want.Outcome.Status || row.Outcome.Step != want.Outcome.Step {
					t.Errorf("optimizer %d at lr %g: sweep %+v, run %+v", key[0], lrs[key[1]], row, want)
				}
				statuses[row.Outcome.Status] = true
			}
			if !statuses[optim.Diverged] || len(statuses) < 2 {
				t.Errorf("statuses %v: the rates should reach from training to diverging", statuses)
			}
		})
	}
}

func TestSweepStopsWhenEmitFails(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := Sweep(context.Background(), baseSpec(), []float64{0.1, 0.2}, func(int, int, SweepRow) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("err %v after %d calls", err, calls)
	}
}

// Each cell of a basin map over starts is the run Run makes from that
// start, bit for bit.
func TestStartMapCellsAreRuns(t *testing.T) {
	s := Spec{Dataset: Dataset{Name: "moons", N: ptr(50), Seed: 1}, Model: model.Spec{Kind: model.Logistic},
		BatchSize: ptr(10), Epochs: ptr(3), Optimizers: []Optimizer{{Name: "sgd"}, {Name: "adam", Values: optim.Values{"lr": {0.2}}}}}
	box := [4]float64{-3, 5, -4, 4}
	const n = 3
	cells := make([]StartCell, n*n)
	seen := map[int]bool{}
	crit, err := StartMap(context.Background(), s, 1, box, n, nil, func(row int, c []StartCell) error {
		if seen[row] || len(c) != n {
			t.Fatalf("row %d again, or with %d cells", row, len(c))
		}
		seen[row] = true
		copy(cells[row*n:], c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for j := range n {
		for i := range n {
			one := s
			one.Optimizers = s.Optimizers[1:]
			w, b := box[0]+float64(i)*(box[1]-box[0])/(n-1), box[2]+float64(j)*(box[3]-box[2])/(n-1)
			one.Init = Init{Params: []float64{w, b}}
			res, err := Run(context.Background(), one)
			if err != nil {
				t.Fatal(err)
			}
			want := startCell(&res.Runs[0], res.Critical)
			if got := cells[j*n+i]; got.End != want.End || got.FinalLoss != want.FinalLoss || got.Reached != want.Reached ||
				got.Outcome.Status != want.Outcome.Status || got.Outcome.Step != want.Outcome.Step {
				t.Errorf("cell (%d, %d) from (%g, %g): map %+v, run %+v", i, j, w, b, got, want)
			}
		}
	}
	if len(crit) != 1 {
		t.Errorf("critical %v", crit)
	}
}

// Linear regression by full-batch gradient descent: a small learning rate
// reaches the least-squares minimum from every start, one beyond
// 2/λmax of the loss's Hessian diverges from every start.
func TestStartMapLinearKnownCases(t *testing.T) {
	s := Spec{Dataset: Dataset{Name: "line", N: ptr(30), Seed: 1}, Model: model.Spec{Kind: model.Linear},
		Steps: ptr(400), Optimizers: []Optimizer{{Name: "sgd", Values: optim.Values{"lr": {0.3}}}}}
	box := [4]float64{-4, 6, -5, 5}
	count := func(s Spec) map[string]int {
		out := map[string]int{}
		_, err := StartMap(context.Background(), s, 0, box, 4, nil, func(_ int, c []StartCell) error {
			for _, cell := range c {
				out[cell.Outcome.Status.String()]++
				if cell.Outcome.Status == optim.Converged && cell.Reached != 0 {
					t.Errorf("converged cell %+v did not reach the minimum", cell)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := count(s); got["converged"] != 16 {
		t.Errorf("lr 0.3: %v, want 16 converged", got)
	}
	s.Optimizers[0].Values["lr"] = []float64{1.5}
	if got := count(s); got["diverged"] != 16 {
		t.Errorf("lr 1.5: %v, want 16 diverged", got)
	}
}

func TestStartMapErrors(t *testing.T) {
	lin := Spec{Dataset: Dataset{Name: "line"}, Model: model.Spec{Kind: model.Linear}, Optimizers: []Optimizer{{Name: "sgd"}}}
	tests := []struct {
		name  string
		spec  Spec
		opt   int
		box   [4]float64
		n     int
		field string
		says  string
	}{
		{"network", baseSpec(), 0, [4]float64{0, 1, 0, 1}, 4, "model.kind", "a network's parameters do not lie on a plane"},
		{"optimizer", lin, 1, [4]float64{0, 1, 0, 1}, 4, "optimizer", "optimizer must be an index into optimizers in [0, 0], got 1"},
		{"grid", lin, 0, [4]float64{0, 1, 0, 1}, 65, "grid", "grid must be in [2, 64], got 65"},
		{"box order", lin, 0, [4]float64{1, 0, 0, 1}, 4, "box", "min < max"},
		{"box size", lin, 0, [4]float64{0, 1e7, 0, 1}, 4, "box[1]", "|v| <= 1000000"},
	}
	for _, tc := range tests {
		_, err := StartMap(context.Background(), tc.spec, tc.opt, tc.box, tc.n, nil, func(int, []StartCell) error { return nil })
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !strings.Contains(fe.Msg, tc.says) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
