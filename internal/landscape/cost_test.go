package landscape_test

import (
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/landscape/expr"
)

// TestPresetCostsMatchFormulas checks that every preset is priced, at the
// price of its Formula compiled as an expression, so presets and typed
// functions are priced by one table.
func TestPresetCostsMatchFormulas(t *testing.T) {
	for _, p := range landscape.Presets() {
		if _, ok := p.Func.(landscape.EvalCoster); !ok {
			t.Errorf("%s: %T has no EvalCost", p.ID, p.Func)
			continue
		}
		f, err := expr.Compile(p.Formula)
		if err != nil {
			t.Fatalf("%s: %v", p.ID, err)
		}
		if got, want := landscape.CostOf(p.Func), f.EvalCost(); got != want {
			t.Errorf("%s: EvalCost %v, its formula costs %v", p.ID, got, want)
		}
	}
	if got := landscape.CostOf(plane{}); got != landscape.UnknownEvalCost {
		t.Errorf("unpriced function: CostOf = %v, want UnknownEvalCost %v", got, landscape.UnknownEvalCost)
	}
}

// TestCriticalCost checks the search's price: its evaluation bound times
// the price of one evaluation.
func TestCriticalCost(t *testing.T) {
	f := landscape.Rosenbrock{}
	if got, want := landscape.CriticalCost(f), float64(landscape.CriticalMaxEvaluations)*f.EvalCost(); got != want {
		t.Errorf("CriticalCost = %v, want %v", got, want)
	}
}
