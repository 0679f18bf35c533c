package expr

import (
	"strings"
	"testing"
)

// TestEvalCost pins the price of a few expressions worked out by hand from
// the table, and checks that folding constants makes them free.
func TestEvalCost(t *testing.T) {
	tests := []struct {
		src  string
		want float64
	}{
		{"x", CostBase + CostCall},                     // one term closure
		{"x^2 + y^2", CostBase + 1 + 2 + 2 + CostCall}, // two squared terms summed in one closure
		{"sin(x)", CostBase + 20 + 2*CostCall},         // sin's closure and x's
		{"sin(1) + x", CostBase + 1 + CostCall},        // sin(1) folds: c + x is one term
		{"x^y", CostBase + costPowVar + CostCall},      // x and y are terms, computed inside the power
		{"sqrt(x)^0.5", CostBase + 6 + costPowConst + 3*CostCall},
	}
	for _, tt := range tests {
		f, err := Compile(tt.src)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.EvalCost(); got != tt.want {
			t.Errorf("%q: EvalCost %v, want %v", tt.src, got, tt.want)
		}
	}
	// The longest sum of transcendental calls the limits allow costs
	// thousands of units, a hundred times Rosenbrock's.
	long, err := Compile(strings.Repeat("sin(x)+", MaxLength/7-1) + "x")
	if err != nil {
		t.Fatal(err)
	}
	rosen, _ := Compile("(1-x)^2 + 100(y-x^2)^2")
	if r := long.EvalCost() / rosen.EvalCost(); r < 50 {
		t.Errorf("longest sum costs %v, only %.0f times Rosenbrock's %v", long.EvalCost(), r, rosen.EvalCost())
	}
}
