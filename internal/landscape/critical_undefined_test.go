package landscape_test

import (
	"context"
	"math"
	"reflect"
	"runtime"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/landscape/expr"
)

// TestSearchCriticalUndefined runs the search on functions that are
// undefined or infinite on part or all of the box: no point listed is NaN
// or infinite, a function unbounded below says so and flags nothing
// global, and one that is nowhere finite lists nothing.
func TestSearchCriticalUndefined(t *testing.T) {
	box := landscape.Domain{XMin: -5, XMax: 5, YMin: -5, YMax: 5}
	// A box whose sample misses x = 0, so -Inf is never sampled and the
	// fall towards it has to be found by descending.
	skew := landscape.Domain{XMin: -5.01, XMax: 5, YMin: -5, YMax: 5}
	tests := []struct {
		src        string
		d          landscape.Domain
		unbounded  bool
		share      float64 // FiniteShare, to 0.01
		nPoints    int     // -1: not checked
		global     *landscape.Vec
		globalEdge bool
	}{
		{"log(x)", box, true, 0.5, -1, nil, false},
		{"log(x)", skew, true, 0.5, -1, nil, false},
		{"log(abs(x)) + y^2", box, true, 1, -1, nil, false},
		{"log(abs(x)) + y^2", skew, true, 1, -1, nil, false},
		{"-1/(x^2 + y^2)", landscape.Domain{XMin: -5.01, XMax: 5, YMin: -5.01, YMax: 5}, true, 1, -1, nil, false},
		{"0/0", box, false, 0, 0, nil, false},
		// +Inf everywhere: nowhere finite, and not unbounded below.
		{"1/0 + x", box, false, 0, 0, nil, false},
		// the minimum is where sqrt stops being defined, inside the box
		{"sqrt(x) + y^2", box, false, 0.5, -1, &landscape.Vec{X: 0, Y: 0}, false},
		{"x - log(x) + y^2", landscape.Domain{XMin: -2, XMax: 2, YMin: -2, YMax: 2}, false, 0.5, -1, &landscape.Vec{X: 1, Y: 0}, false},
		{"log(x) + y^2", landscape.Domain{XMin: 0.5, XMax: 2, YMin: -1, YMax: 1}, false, 1, -1, &landscape.Vec{X: 0.5, Y: 0}, true},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			f, err := expr.Compile(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			set, err := landscape.SearchCritical(context.Background(), f, tt.d)
			if err != nil {
				t.Fatal(err)
			}
			if set.UnboundedBelow != tt.unbounded {
				t.Errorf("UnboundedBelow = %v, want %v", set.UnboundedBelow, tt.unbounded)
			}
			if math.Abs(set.FiniteShare-tt.share) > 0.01 {
				t.Errorf("FiniteShare = %v, want %v", set.FiniteShare, tt.share)
			}
			if tt.nPoints >= 0 && len(set.Points) != tt.nPoints {
				t.Errorf("%d points, want %d: %v", len(set.Points), tt.nPoints, set.Points)
			}
			var globals []landscape.CriticalPoint
			for _, cp := range set.Points {
				if !finitePoint(cp) {
					t.Errorf("non-finite point %+v", cp)
				}
				if cp.Global {
					globals = append(globals, cp)
				}
			}
			switch {
			case tt.global == nil && len(globals) > 0:
				t.Errorf("global minima %v, want none", globals)
			case tt.global != nil && (len(globals) != 1 || dist(globals[0].At, *tt.global) > critPositionTol || globals[0].Edge != tt.globalEdge):
				t.Errorf("global minima %v, want one at %v (edge %v)", globals, *tt.global, tt.globalEdge)
			}
		})
	}
}

// TestSearchCriticalNamedCases pins what the search must say about the
// functions whose lists were wrong before: Eggholder's lowest point is on
// the box's edge, Griewank on [-600, 600]² has more minima than can be
// listed yet lists its global one, and no minimum listed for Bukin N.6 has
// a lower point along its valley.
func TestSearchCriticalNamedCases(t *testing.T) {
	search := func(src string, d landscape.Domain) (landscape.Function, landscape.CriticalSet) {
		f, err := expr.Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		set, err := landscape.SearchCritical(context.Background(), f, d)
		if err != nil {
			t.Fatal(err)
		}
		return f, set
	}
	t.Run("eggholder", func(t *testing.T) {
		_, set := search("-(y + 47)sin(sqrt(abs(y + x/2 + 47))) - x sin(sqrt(abs(x - (y + 47))))", landscape.Domain{XMin: -512, XMax: 512, YMin: -512, YMax: 512})
		g := globalsOf(set.Points)
		if len(g) != 1 || !g[0].Edge || g[0].At.X != 512 || math.Abs(g[0].At.Y-404.2319) > 1e-4 || math.Abs(g[0].Value+959.6407) > 1e-4 {
			t.Errorf("global minima %+v, want one on the edge at (512, 404.2319) = -959.6407", g)
		}
	})
	t.Run("griewank", func(t *testing.T) {
		_, set := search("(x^2 + y^2)/4000 - cos(x)cos(y/sqrt(2)) + 1", landscape.Domain{XMin: -600, XMax: 600, YMin: -600, YMax: 600})
		g := globalsOf(set.Points)
		if n := countKind(set.Points, landscape.Minimum); set.MinimaFound <= n || n != landscape.CriticalListed {
			t.Errorf("%d minima found, %d listed: want more found than listed, %d listed", set.MinimaFound, n, landscape.CriticalListed)
		}
		if len(g) != 1 || g[0].At.Norm() > 1e-6 || math.Abs(g[0].Value) > 1e-9 {
			t.Errorf("global minima %+v, want one at the origin, value 0", g)
		}
	})
	t.Run("bukin6", func(t *testing.T) {
		f, set := search("100sqrt(abs(y - 0.01x^2)) + 0.01abs(x + 10)", landscape.Domain{XMin: -15, XMax: -5, YMin: -3, YMax: 3})
		for _, cp := range set.Points {
			if cp.Kind != landscape.Minimum {
				continue
			}
			for _, dx := range []float64{-1e-3, 1e-3} {
				x := cp.At.X + dx
				if x < -15 || x > -5 {
					continue
				}
				p := landscape.Vec{X: x, Y: 0.01 * x * x}
				if v := f.Value(p); v < cp.Value-1e-9 {
					t.Errorf("minimum %+v: f%v = %v is lower, along the valley", cp, p, v)
				}
			}
		}
		if g := globalsOf(set.Points); len(g) != 1 || dist(g[0].At, landscape.Vec{X: -10, Y: 1}) > 1e-3 {
			t.Errorf("global minima %+v, want one at (-10, 1)", g)
		}
	})
}

func globalsOf(pts []landscape.CriticalPoint) []landscape.CriticalPoint {
	var g []landscape.CriticalPoint
	for _, cp := range pts {
		if cp.Global {
			g = append(g, cp)
		}
	}
	return g
}

// TestSearchCriticalIndependentOfCores checks a rugged typed function's
// whole result, counts and evaluations included, on one, two and five
// goroutines.
func TestSearchCriticalIndependentOfCores(t *testing.T) {
	f, err := expr.Compile("-(y + 47)sin(sqrt(abs(y + x/2 + 47))) - x sin(sqrt(abs(x - (y + 47))))")
	if err != nil {
		t.Fatal(err)
	}
	d := landscape.Domain{XMin: -512, XMax: 512, YMin: -512, YMax: 512}
	var first landscape.CriticalSet
	for i, procs := range []int{1, 2, 5} {
		prev := runtime.GOMAXPROCS(procs)
		set, err := landscape.SearchCritical(context.Background(), f, d)
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = set
		} else if !reflect.DeepEqual(first, set) {
			t.Errorf("GOMAXPROCS %d: result differs from GOMAXPROCS 1", procs)
		}
		if set.Evaluations > landscape.CriticalMaxEvaluations {
			t.Errorf("%d evaluations, more than CriticalMaxEvaluations %d", set.Evaluations, landscape.CriticalMaxEvaluations)
		}
	}
}
