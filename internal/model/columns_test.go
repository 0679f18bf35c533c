package model

import (
	"math"
	"testing"

	"github.com/basin-dev/basin/internal/data"
)

// TestLossColumns: the loss over laid-out columns has Loss's bits for
// every kind of model, both tasks and row counts that end mid-chunk (and
// TestGradientWithoutFMA reruns it on the Go loops); it allocates nothing,
// and leaves the workspace as it was.
func TestLossColumns(t *testing.T) {
	for _, rows := range []int{10, 127, 128, 129, 300} {
		moons, sine := gen(t, "moons", rows), gen(t, "sine", rows)
		for _, tc := range []struct {
			spec Spec
			set  *data.Set
		}{
			{Spec{Kind: Linear}, sine},
			{Spec{Kind: Logistic}, moons},
			{Spec{Kind: MLP, Hidden: []int{16, 16}, Activation: ReLU}, moons},
			{Spec{Kind: MLP, Hidden: []int{5, 3}, Activation: Tanh}, moons},
			{Spec{Kind: MLP, Hidden: []int{7}, Activation: Sigmoid}, sine},
		} {
			m, err := New(tc.spec, tc.set.Task)
			if err != nil {
				t.Fatal(err)
			}
			ws, cols, p := m.NewWorkspace(), m.Columns(tc.set), m.Init(7)
			got, want := ws.LossColumns(p, cols), ws.Loss(p, tc.set, nil)
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("%v, %d rows: LossColumns %.17g, Loss %.17g", tc.spec, rows, got, want)
			}
			if again := ws.Loss(p, tc.set, nil); again != want {
				t.Errorf("%v: Loss after LossColumns %v, before %v", tc.spec, again, want)
			}
			if n := testing.AllocsPerRun(10, func() { ws.LossColumns(p, cols) }); n != 0 {
				t.Errorf("%v allocations per LossColumns", n)
			}
		}
	}
}
