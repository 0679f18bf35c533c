package landscape_test

import (
	"context"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/landscape/expr"
)

// TestSearchCriticalOddFunctions runs the search on functions that are
// undefined, infinite, overflowing, discontinuous or flat on parts of the
// box, on small and huge boxes: it never fails, never lists a NaN or an
// infinity, never flags a global minimum when it reports the function
// unbounded below, and stays within CriticalMaxEvaluations.
func TestSearchCriticalOddFunctions(t *testing.T) {
	srcs := []string{
		"tan(x) + y^2", "x^y", "asin(x) + acos(y)", "min(x, y)", "max(abs(x), abs(y))",
		"atan2(y, x)", "1e300*x*y", "exp(x^2 + y^2)", "exp(-x^2 - y^2)", "sqrt(x*y)",
		"log(x*y)", "1/x + 1/y", "sigmoid(100x) + y^2", "x^0.5 + y^1.5", "0*x",
		"sin(1/x) + y^2", "floor", "-exp(x) + y^2", "(x^2 + y^2)^-1", "-log(x^2 + y^2)",
	}
	boxes := []landscape.Domain{
		{XMin: -1, XMax: 1, YMin: -1, YMax: 1},
		{XMin: 1e-9, XMax: 2e-9, YMin: -1e-9, YMax: 1e-9},
		{XMin: -1e6, XMax: 1e6, YMin: -1e6, YMax: 1e6},
	}
	for _, src := range srcs {
		f, err := expr.Compile(src)
		if err != nil {
			continue // "floor" is not a function: the parser says so
		}
		for _, d := range boxes {
			set, err := landscape.SearchCritical(context.Background(), f, d)
			if err != nil {
				t.Fatalf("%s on %v: %v", src, d, err)
			}
			for _, cp := range set.Points {
				if !finitePoint(cp) || (set.UnboundedBelow && cp.Global) || !d.Contains(cp.At) {
					t.Errorf("%s on %v: %+v (unbounded below %v)", src, d, cp, set.UnboundedBelow)
				}
			}
			if set.Evaluations > landscape.CriticalMaxEvaluations || set.FiniteShare < 0 || set.FiniteShare > 1 {
				t.Errorf("%s on %v: %d evaluations, finite share %v", src, d, set.Evaluations, set.FiniteShare)
			}
		}
	}
}
