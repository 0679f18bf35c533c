package cost

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/landscape/expr"
)

// costlyExpr is a typed expression of the kind that made one client able
// to hold the server for minutes: long, and every term transcendental.
var costlyExpr = strings.Repeat("sin(x*y)^1.5 + exp(cos(x^y)) + atan2(y, tanh(x)) + ", 9) + "x^2"

func mustCompile(t testing.TB, src string) *expr.Func {
	t.Helper()
	f, err := expr.Compile(src)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestOverBudgetMessage(t *testing.T) {
	fn := mustCompile(t, costlyExpr)
	if ns := PerEval(fn); ns < 1000 {
		t.Fatalf("PerEval(costly) = %.0f ns, want the price of a long transcendental expression", ns)
	}
	err := Check(Basin(fn, 256, 2048), DefaultBudget)
	var over *OverBudgetError
	if !errors.As(err, &over) {
		t.Fatalf("a 256² × 2048-step basin map of a costly expression was admitted: %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"this basin map would take about ", " min of CPU; the limit is 20 s; use a smaller grid or fewer steps"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	// A small map of the same expression fits.
	if err := Check(Basin(fn, 32, 100), DefaultBudget); err != nil {
		t.Errorf("a 32² × 100-step map was refused: %v", err)
	}
}

// TestPresetsAdmitted checks that the budget refuses no preset's largest
// ordinary job: the longest run of every optimizer at once, the largest
// landscape grid, the critical-point search, and a sweep at its limits.
func TestPresetsAdmitted(t *testing.T) {
	for _, p := range landscape.Presets() {
		for _, e := range []Estimate{
			Run(p.Func, 10_000, 16),
			Landscape(p.Func, landscape.MaxGridSide, landscape.MaxGridSide),
			Critical(p.Func),
			Sweep(p.Func, 256, 10_000),
			Basin(p.Func, 256, 500),
		} {
			if err := Check(e, DefaultBudget); err != nil {
				t.Errorf("%s: %v", p.ID, err)
			}
		}
	}
}

func TestPerEval(t *testing.T) {
	rosen, _ := landscape.Lookup("rosenbrock")
	ackley, _ := landscape.Lookup("ackley")
	if !(PerEval(ackley.Func) > 5*PerEval(rosen.Func)) {
		t.Errorf("Ackley (%.1f ns) should cost several times Rosenbrock (%.1f ns)", PerEval(ackley.Func), PerEval(rosen.Func))
	}
	fn := mustCompile(t, costlyExpr)
	if got, want := PerEval(fn), fn.EvalCost(); got != want {
		t.Errorf("an expression is priced by its own table: %v, want %v", got, want)
	}
}

func TestNoisy(t *testing.T) {
	rosen, _ := landscape.Lookup("rosenbrock")
	e := Basin(rosen.Func, 64, 500)
	if e.Noisy(0) != e || e.Noisy(0.1).Nanos != NoisyFactor*e.Nanos {
		t.Errorf("Noisy: %v, %v from %v", e.Noisy(0), e.Noisy(0.1), e)
	}
}

func TestHuman(t *testing.T) {
	for d, want := range map[time.Duration]string{
		14 * time.Minute: "14 min", 20 * time.Second: "20 s", 1500 * time.Millisecond: "1.5 s",
		350 * time.Millisecond: "350 ms", 3 * time.Hour: "3 h", 40 * time.Microsecond: "40 µs",
	} {
		if got := Human(d); got != want {
			t.Errorf("Human(%s) = %q, want %q", d, got, want)
		}
	}
	if got := (Estimate{Nanos: 1e30}).Duration(); got != time.Duration(math.MaxInt64) {
		t.Errorf("a huge estimate saturates, got %v", got)
	}
}
