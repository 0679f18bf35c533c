package expr

import (
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
	"gonum.org/v1/gonum/diff/fd"
)

// gradExprs are checked against central differences and, bit for bit,
// against a tree walk. They cover every function and every closure shape
// (terms, constants and sub-trees as operands, both argument orders, the
// fused squares and the roots ValueGrad finishes); coverage shows none is
// missed.
var gradExprs = []string{
	"x", "y", "3", "x+y", "x-y", "y-x", "x*y", "x/y", "y/x", "2-x", "x-2", "2/x", "x/2",
	"2x+3", "3-2y", "x^2+y^2", "(1-x)^2 + 100(y-x^2)^2",
	"(x^2+y-11)^2 + (x+y^2-7)^2",
	"(4 - 2.1x^2 + x^4/3)x^2 + xy + (-4 + 4y^2)y^2",
	"0.5(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y)",
	"(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
	"20 + x^2 - 10cos(2pi x) + y^2 - 10cos(2pi y)",
	"-20exp(-0.2sqrt(0.5(x^2+y^2))) - exp(0.5(cos(2pi x)+cos(2pi y))) + e + 20",
	"sin(x)cos(y)", "tan(x/3) + atan(y)", "asin(x/3) + acos(y/3)",
	"sinh(x/2) - cosh(y/2) + tanh(x y)", "exp(-x^2-y^2)", "log(x^2+y^2+1)",
	"log10(1 + x^2) * y", "sqrt(x^2 + y^2 + 1)", "abs(x - 0.3) + abs(y + 0.2)",
	"sigmoid(3x - y)", "sigmoid(-40 + x)", "atan2(y, x + 3)", "atan2(x - 3, y)",
	"min(x, y^2)", "max(x^2, y)", "min(x*y, x+y)", "max(sin(x), cos(y))",
	"x^y", "(x^2+1)^(y/2)", "2^x * 3^-y", "e^(x y)", "x^3 - 3x y^2", "x^-2 + y^0.5",
	"(x*y)/(x^2+y^2+1)", "(x+y)(x-y)/(1+x^2)", "-(x-y)^3", "--x*y", "x^x",
	"(sin(x)+cos(y))*(sin(y)-cos(x))", "1/(1+exp(-(x-y)))", "pow(x^2+1, 1.5)",
	"x*(y*(x*(y*(x + 1) + 1) + 1) + 1)", "(x+y)^2 - (x-y)^2 + (x*y+1)*(x/3-y)",
	"atan2(x*y + 1, x - y + 5) + max(x-y, x*y) * min(x+y, 2.5)",
	// a root that adds or subtracts a term, done in ValueGrad, each way round
	"x - sin(y)", "cos(y) - (2x+1)", "y^2 + exp(x)", "sin(x*y) + (3 - y)^2",
	// squares fused with what they square, and scaled
	"(x^2 - 1)^2", "(2 - sin(x))^2", "(2 + sin(x))^2", "3(sin(x) + y)^2", "(cos(y) - x)^2*0.5",
	"(x*y + y)^2", "(sin(x) + cos(y))^2", "2(x+y)^3", "(3x - y^2)^2", "-(y - x^2)^2",
	"sin(x)^2", "3sin(y)^2", "(y - sin(x))^2", "(x + sin(y))^2",
	"(x^2 - y)^2", "2(x^2 - (y-1)^2)^2", "(x^2 + y^2)^2", "(x^2 + y^2 - 1)^2*3", "(x - y + 1)^2",
	// roots finished in ValueGrad: each order, with a plain or squared term
	"sin(x) - cos(y)", "sin(x) + cos(y)*2", "sin(x) + 2y", "sin(x) + (y-1)^2", "sin(x) - (y+1)^2", "(2x-1)^2 - sin(y)", "x*3 + sin(y)",
	// terms and constants inside the tree, each way round
	"3 - sin(x)*y", "exp(x*y) - 2", "sin(y + sin(x))", "sin(2x - cos(y))", "sin(y)/x", "x/sin(y)", "sin(y)^x",
}

// gradPoints avoid the documented kinks (abs at 0, min/max ties) and the
// edges of domains (x^y needs x > 0, asin needs |x/3| < 1).
var gradPoints = []landscape.Vec{
	{X: 0.7, Y: 1.3}, {X: 1.9, Y: 0.4}, {X: 0.35, Y: 2.2}, {X: 1.1, Y: 1.7}, {X: 2.6, Y: 0.9},
}

func TestGradientMatchesFiniteDifferences(t *testing.T) {
	for _, src := range gradExprs {
		f, err := Compile(src)
		if err != nil {
			t.Fatalf("Compile(%q): %v", src, err)
		}
		value := func(v []float64) float64 { return f.Value(landscape.Vec{X: v[0], Y: v[1]}) }
		for _, p := range gradPoints {
			v, g := f.ValueGrad(p)
			if v2 := f.Value(p); math.Float64bits(v) != math.Float64bits(v2) {
				t.Errorf("%q at %v: ValueGrad value %v != Value %v", src, p, v, v2)
			}
			want := fd.Gradient(nil, value, []float64{p.X, p.Y}, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			for i, got := range []float64{g.X, g.Y} {
				tol := 1e-5 * math.Max(1, math.Abs(want[i]))
				if math.IsNaN(got) || math.Abs(got-want[i]) > tol {
					t.Errorf("%q at %v: d/d%c = %v, finite differences %v", src, p, "xy"[i], got, want[i])
				}
			}
		}
	}
}

// TestValueMatchesTree evaluates every test expression by walking the
// unfolded tree and compares with the compiled code bit for bit: folding,
// operand forms, evaluation order and fusion must not change a result.
func TestValueMatchesTree(t *testing.T) {
	for _, src := range gradExprs {
		e, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := e.Compile()
		for _, p := range gradPoints {
			want := walk(e.root, p)
			v, g := f.ValueGrad(p)
			if !same(v, want.v) || !same(g.X, want.dx) || !same(g.Y, want.dy) {
				t.Errorf("%q at %v: compiled (%v, %v, %v), tree walk (%v, %v, %v)", src, p, v, g.X, g.Y, want.v, want.dx, want.dy)
			}
		}
	}
}

func same(a, b float64) bool { return a == b || a != a && b != b }

// walk is the reference evaluator: the tree, recursively, no compilation.
func walk(n *node, p landscape.Vec) dual {
	switch n.op {
	case opNum:
		return dual{v: n.val}
	case opX:
		return dual{p.X, 1, 0}
	case opY:
		return dual{p.Y, 0, 1}
	case opPi:
		return dual{v: math.Pi}
	case opE:
		return dual{v: math.E}
	}
	a := walk(n.a, p)
	if n.b == nil {
		return apply(n.op, a, dual{})
	}
	b := walk(n.b, p)
	if n.op == opPow && n.b.op == opNum || n.op == opPow && isConstTree(n.b) {
		switch b.v {
		case 2:
			return dSq(a)
		case 3:
			return dCube(a)
		}
		return dPowC(a, b.v)
	}
	if n.op == opMul && isConstTree(n.a) && !isConstTree(n.b) {
		return dual{b.v * a.v, b.dx * a.v, b.dy * a.v}
	}
	if n.op == opMul && isConstTree(n.b) && !isConstTree(n.a) {
		return dual{a.v * b.v, a.dx * b.v, a.dy * b.v}
	}
	if n.op == opDiv && isConstTree(n.b) && !isConstTree(n.a) {
		return dual{a.v / b.v, a.dx / b.v, a.dy / b.v}
	}
	return apply(n.op, a, b)
}

func isConstTree(n *node) bool {
	if n == nil {
		return true
	}
	if n.op == opX || n.op == opY {
		return false
	}
	return isConstTree(n.a) && isConstTree(n.b)
}

// TestSpecialPoints pins the documented choices at points where a function
// is not differentiable or not defined.
func TestSpecialPoints(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	tests := []struct {
		src    string
		at     landscape.Vec
		v      float64
		gx, gy float64
	}{
		{"abs(x)", landscape.Vec{}, 0, 0, 0},
		{"abs(x) + y", landscape.Vec{Y: 2}, 2, 0, 1},
		{"sqrt(x)", landscape.Vec{Y: 1}, 0, inf, 0},
		{"sqrt(x^2 + y^2)", landscape.Vec{}, 0, 0, 0},
		{"-20exp(-0.2sqrt(0.5(x^2+y^2)))", landscape.Vec{}, -20, 0, 0},
		{"min(x, y)", landscape.Vec{X: 1, Y: 1}, 1, 1, 0},
		{"min(y, x)", landscape.Vec{X: 1, Y: 1}, 1, 0, 1},
		{"max(x, y)", landscape.Vec{X: 2, Y: 2}, 2, 1, 0},
		{"max(y, x)", landscape.Vec{X: 2, Y: 2}, 2, 0, 1},
		{"atan2(y, x)", landscape.Vec{}, 0, 0, 0},
		{"log(x)", landscape.Vec{X: -1}, nan, -1, 0},
		{"sqrt(x)", landscape.Vec{X: -1}, nan, nan, 0},
		{"log(x)", landscape.Vec{}, math.Inf(-1), inf, 0},
		{"x^0", landscape.Vec{}, 1, 0, 0},
		{"x^y", landscape.Vec{X: 0, Y: 2}, 0, 0, 0},
		{"1/x", landscape.Vec{Y: 1}, inf, math.Inf(-1), 0},
		{"x/y", landscape.Vec{X: 1}, inf, inf, math.Inf(-1)},
		{"sigmoid(x)", landscape.Vec{X: -1000}, 0, 0, 0},
		{"sigmoid(x)", landscape.Vec{X: 1000}, 1, 0, 0},
		{"min(x, log(y))", landscape.Vec{X: 1, Y: -1}, nan, nan, nan},
	}
	for _, tt := range tests {
		f, err := Compile(tt.src)
		if err != nil {
			t.Fatal(err)
		}
		v, g := f.ValueGrad(tt.at)
		if !same(v, tt.v) || !same(g.X, tt.gx) || !same(g.Y, tt.gy) {
			t.Errorf("%q at %v = %v, (%v, %v); want %v, (%v, %v)", tt.src, tt.at, v, g.X, g.Y, tt.v, tt.gx, tt.gy)
		}
	}
}

// TestRemovableSingularities checks the 0·∞ = 0 rule where a function is
// smooth but a factor of its derivative is not: at the origin, and where
// x² + y² underflows to 0 while x and y do not (x = 1e-163), so sqrt of it
// has an infinite tangent. The true gradient there is at most ~1e-160, and
// each case gave NaN before the rule.
func TestRemovableSingularities(t *testing.T) {
	const tiny = 1e-163 // tiny² underflows to 0
	dropWave := "-(1 + cos(12*sqrt(x^2+y^2)))/(0.5*(x^2+y^2) + 2)"
	tests := []struct {
		src string
		at  landscape.Vec
		v   float64
	}{
		{"sqrt(x^2+y^2)^2", landscape.Vec{}, 0},
		{"sqrt(x^2+y^2)^2", landscape.Vec{X: tiny, Y: tiny}, 0},
		{"sqrt(x^2+y^2)^2", landscape.Vec{X: tiny}, 0},
		{"sqrt(x^2+y^2)^3", landscape.Vec{X: tiny, Y: -tiny}, 0},
		{"sqrt(x^2+y^2)*sqrt(x^2+y^2)", landscape.Vec{X: tiny, Y: tiny}, 0},
		{"pow(x^2+y^2, 0.5)^2", landscape.Vec{X: -tiny, Y: tiny}, 0},
		{"(x^2+y^2)^0.5*(x^2+y^2)^0.5", landscape.Vec{X: -tiny, Y: tiny}, 0},
		{"cos(sqrt(x^2+y^2))", landscape.Vec{X: tiny, Y: tiny}, 1},
		{"x^2/(1 + sqrt(x^2+y^2))", landscape.Vec{X: tiny, Y: tiny}, 0},
		{dropWave, landscape.Vec{}, -1},
		{dropWave, landscape.Vec{X: 7.6e-163, Y: 4.6e-163}, -1},
		{"abs(x)*abs(x) + abs(y)*abs(y)", landscape.Vec{}, 0},
		{"abs(x)^2 + abs(y)^3", landscape.Vec{}, 0},
		{"sqrt(abs(x))^2 + y^2", landscape.Vec{}, 0},
		{"abs(sqrt(x^2+y^2))^2", landscape.Vec{X: tiny, Y: tiny}, 0},
	}
	for _, tt := range tests {
		f, err := Compile(tt.src)
		if err != nil {
			t.Fatal(err)
		}
		v, g := f.ValueGrad(tt.at)
		if v != tt.v || !g.IsFinite() || g.Norm() > 1e-150 {
			t.Errorf("%q at %v = %v, %v; want %v and a finite gradient of at most 1e-150", tt.src, tt.at, v, g, tt.v)
		}
	}
}

func TestZeroAllocs(t *testing.T) {
	for _, src := range gradExprs {
		f, err := Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		var fn landscape.Function = f
		p := gradPoints[0]
		if n := testing.AllocsPerRun(100, func() { fn.ValueGrad(p); fn.Value(p) }); n != 0 {
			t.Errorf("%q: %v allocations per evaluation, want 0", src, n)
		}
	}
}

// TestConcurrentUse runs one Func from several goroutines; with -race it
// proves there is no shared scratch.
func TestConcurrentUse(t *testing.T) {
	f, err := Compile("atan2(x*y + 1, x - y + 5) + max(x-y, x*y) * min(x+y, 2) + (x+y)^2 - (x-y)^2")
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float64, len(gradPoints))
	for i, p := range gradPoints {
		want[i], _ = f.ValueGrad(p)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				for i, p := range gradPoints {
					if v, _ := f.ValueGrad(p); v != want[i] {
						t.Errorf("concurrent value %v, want %v", v, want[i])
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestDeepTrees builds the largest complete binary tree of
// non-commutative operations between non-leaves that the limits allow, and
// the longest chain, and checks that they compile and evaluate: evaluation
// recurses through one closure per node, so its depth is bounded by the
// tree's.
func TestDeepTrees(t *testing.T) {
	leaf := "sin(x)"
	src := leaf
	for {
		next := "(" + src + ")-(" + src + ")"
		if len(next) > MaxLength {
			break
		}
		src = next
	}
	f, err := Compile(src)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	if v, _ := f.ValueGrad(landscape.Vec{X: 1, Y: 2}); v != 0 {
		t.Errorf("value %v, want 0", v)
	}
	chain := strings.Repeat("sin(x)*", 60) + "x"
	f, err = Compile(chain)
	if err != nil {
		t.Fatal(err)
	}
	want := 1.0
	for range 60 {
		want *= math.Sin(1) // left to right, as the product parses
	}
	if v, _ := f.ValueGrad(landscape.Vec{X: 1}); v != want {
		t.Errorf("chain: value %v, want sin(1)^60 = %v", v, want)
	}
}

func TestConstantFolding(t *testing.T) {
	// 2*pi*x + e^2 folds to a linear form (one closure); - sqrt(4) adds one.
	if f, err := Compile("2*pi*x + e^2 - sqrt(4)"); err != nil || f.nodes != 2 {
		t.Errorf("got %d closures (err %v), want folding and fusion to leave 2", f.nodes, err)
	}
	f, _ := Compile("sin(pi/6)*cos(0) + 1")
	if f.nodes != 1 {
		t.Errorf("constant expression compiled to %d closures, want one constant", f.nodes)
	}
	for _, p := range gradPoints {
		if v, g := f.ValueGrad(p); v != math.Sin(math.Pi/6)*math.Cos(0)+1 || g != (landscape.Vec{}) {
			t.Errorf("constant at %v = %v, %v", p, v, g)
		}
	}
}
