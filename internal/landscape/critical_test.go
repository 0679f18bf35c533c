package landscape_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

// Tolerances of the critical-point checks: values must hold to 1e-8 and
// positions to about 1e-6.
const (
	critValueTol    = 1e-8
	critPositionTol = 1e-6
)

// valueClose compares critical values to critValueTol, relative for the
// large values of Goldstein–Price.
func valueClose(a, b float64) bool {
	return math.Abs(a-b) <= critValueTol*math.Max(1, math.Abs(b))
}

func dist(a, b landscape.Vec) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }

// TestPresetCriticalRefound runs FindCritical on every preset's default
// domain and checks it against the preset's table both ways: every listed
// point is found (same kind, position to 1e-6, value to 1e-8, same Global
// flag), and every point found is listed. The tables are complete for the
// default domains, so both directions hold for every kind.
func TestPresetCriticalRefound(t *testing.T) {
	for _, p := range landscape.Presets() {
		t.Run(p.ID, func(t *testing.T) {
			found, err := landscape.FindCritical(context.Background(), p.Func, p.Domain)
			if err != nil {
				t.Fatal(err)
			}
			// The tables list the interior critical points; minima on the
			// box's edges are checked by TestFindCriticalEdges.
			found = interior(found)
			for _, want := range p.Critical {
				if !containsPoint(found, want) {
					t.Errorf("listed %v at %v (value %.15g, global %v) not found", want.Kind, want.At, want.Value, want.Global)
				}
			}
			for _, got := range found {
				if !containsPoint(p.Critical, got) {
					t.Errorf("found %v at %v (value %.15g, global %v) not listed", got.Kind, got.At, got.Value, got.Global)
				}
			}
		})
	}
}

// interior drops the points on the box's edges.
func interior(pts []landscape.CriticalPoint) []landscape.CriticalPoint {
	var out []landscape.CriticalPoint
	for _, cp := range pts {
		if !cp.Edge {
			out = append(out, cp)
		}
	}
	return out
}

func containsPoint(list []landscape.CriticalPoint, cp landscape.CriticalPoint) bool {
	for _, c := range list {
		if c.Kind == cp.Kind && dist(c.At, cp.At) <= critPositionTol && valueClose(c.Value, cp.Value) && c.Global == cp.Global {
			return true
		}
	}
	return false
}

// TestPresetCriticalLiterature checks the global minima against Surjanovic
// & Bingham's library, to the digits it gives, and the counts every
// description of these functions gives (Himmelblau's four, six-hump camel's six with two global,
// Styblinski–Tang's four).
func TestPresetCriticalLiterature(t *testing.T) {
	type point struct{ x, y, v float64 }
	tests := []struct {
		id      string
		global  []point
		posTol  float64 // precision of the literature's coordinates
		valTol  float64 // and of its values
		nMinima int     // 0: not checked
		nGlobal int
	}{
		{"quadratic", []point{{0, 0, 0}}, 1e-12, 1e-12, 1, 1},
		{"elliptic", []point{{0, 0, 0}}, 1e-12, 1e-12, 1, 1},
		{"rosenbrock", []point{{1, 1, 0}}, 1e-12, 1e-12, 1, 1},
		{"himmelblau", []point{{3, 2, 0}, {-2.805118, 3.131312, 0}, {-3.779310, -3.283186, 0}, {3.584428, -1.848126, 0}}, 1e-6, 1e-12, 4, 4},
		{"rastrigin", []point{{0, 0, 0}}, 1e-12, 1e-12, 121, 1},
		{"ackley", []point{{0, 0, 0}}, 1e-12, 1e-12, 0, 1},
		{"beale", []point{{3, 0.5, 0}}, 1e-12, 1e-12, 1, 1},
		{"booth", []point{{1, 3, 0}}, 1e-12, 1e-12, 1, 1},
		{"matyas", []point{{0, 0, 0}}, 1e-12, 1e-12, 1, 1},
		{"goldstein-price", []point{{0, -1, 3}}, 1e-12, 1e-12, 4, 1},
		{"six-hump-camel", []point{{0.0898, -0.7126, -1.0316}, {-0.0898, 0.7126, -1.0316}}, 1e-4, 1e-4, 6, 2},
		{"three-hump-camel", []point{{0, 0, 0}}, 1e-12, 1e-12, 3, 1},
		// S&B print f(x*) = -39.16599·d, but f at their own x* = -2.903534
		// is -39.1661657·d (checked to 40 digits); the tolerance admits both.
		{"styblinski-tang", []point{{-2.903534, -2.903534, 2 * -39.16599}}, 1e-6, 4e-4, 4, 1},
		{"levy13", []point{{1, 1, 0}}, 1e-12, 1e-12, 0, 1},
		{"mccormick", []point{{-0.54719, -1.54719, -1.9133}}, 1e-5, 1e-4, 2, 1},
		{"double-well", []point{{-1.25, 0, -3.22265625}}, 0, 0, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			p, ok := landscape.Lookup(tt.id)
			if !ok {
				t.Fatalf("no preset %q", tt.id)
			}
			var minima, globals []landscape.CriticalPoint
			for _, c := range p.Critical {
				if c.Kind == landscape.Minimum {
					minima = append(minima, c)
					if c.Global {
						globals = append(globals, c)
					}
				}
			}
			if tt.nMinima != 0 && len(minima) != tt.nMinima {
				t.Errorf("%d minima listed, want %d", len(minima), tt.nMinima)
			}
			if len(globals) != tt.nGlobal {
				t.Errorf("%d global minima listed, want %d", len(globals), tt.nGlobal)
			}
			for _, w := range tt.global {
				hit := false
				for _, g := range globals {
					if math.Abs(g.At.X-w.x) <= tt.posTol && math.Abs(g.At.Y-w.y) <= tt.posTol && math.Abs(g.Value-w.v) <= tt.valTol {
						hit = true
					}
				}
				if !hit {
					t.Errorf("literature global minimum (%v, %v) = %v not among %v", w.x, w.y, w.v, globals)
				}
			}
		})
	}
}

// TestPresetTables checks each table on its own, independently of
// FindCritical: entries lie in the domain, their values are f at their
// positions, the gradient vanishes there (to rounding, relative to the
// curvature), the Hessian's signs match the kind, minima come first and the
// Global flags mark exactly the lowest minima.
func TestPresetTables(t *testing.T) {
	for _, p := range landscape.Presets() {
		t.Run(p.ID, func(t *testing.T) {
			if len(p.Critical) == 0 {
				t.Fatal("no critical points listed")
			}
			lowest := math.Inf(1)
			for _, c := range p.Critical {
				if c.Kind == landscape.Minimum {
					lowest = math.Min(lowest, c.Value)
				}
			}
			seenOther := false
			for _, c := range p.Critical {
				if !p.Domain.Contains(c.At) {
					t.Errorf("%v at %v outside the domain %v", c.Kind, c.At, p.Domain)
				}
				if v := p.Func.Value(c.At); !valueClose(v, c.Value) {
					t.Errorf("%v at %v: listed value %.15g, f = %.15g", c.Kind, c.At, c.Value, v)
				}
				if c.Kind != landscape.Minimum {
					seenOther = true
				} else if seenOther {
					t.Errorf("minimum at %v listed after a saddle or maximum", c.At)
				}
				if wantGlobal := c.Kind == landscape.Minimum && valueClose(c.Value, lowest); c.Global != wantGlobal {
					t.Errorf("%v at %v: Global = %v, want %v", c.Kind, c.At, c.Global, wantGlobal)
				}
				if p.ID == "ackley" && c.At == (landscape.Vec{}) {
					continue // the tip of the cone: no gradient, no Hessian
				}
				l1, l2, scale := hessianEigen(p.Func, c.At)
				_, g := p.Func.ValueGrad(c.At)
				// Newton's step from c.At: how far the true point can be.
				if step := g.Norm() / math.Max(math.Min(math.Abs(l1), math.Abs(l2)), 1e-300); step > 1e-9 {
					t.Errorf("%v at %v: gradient %v, Newton step %.3g", c.Kind, c.At, g, step)
				}
				tol := 1e-6 * scale
				var kind landscape.Kind
				switch {
				case l1 > tol:
					kind = landscape.Minimum
				case l2 < -tol:
					kind = landscape.Maximum
				case l1 < -tol && l2 > tol:
					kind = landscape.Saddle
				default:
					t.Errorf("%v at %v: degenerate Hessian (%g, %g)", c.Kind, c.At, l1, l2)
					continue
				}
				if kind != c.Kind {
					t.Errorf("listed %v at %v, Hessian eigenvalues (%g, %g) say %v", c.Kind, c.At, l1, l2, kind)
				}
			}
		})
	}
}

// hessianEigen returns the ascending eigenvalues of f's Hessian at p (central
// differences of the exact gradient) and their largest magnitude.
func hessianEigen(f landscape.Function, p landscape.Vec) (l1, l2, scale float64) {
	const h = 1e-5
	_, gxp := f.ValueGrad(landscape.Vec{X: p.X + h, Y: p.Y})
	_, gxm := f.ValueGrad(landscape.Vec{X: p.X - h, Y: p.Y})
	_, gyp := f.ValueGrad(landscape.Vec{X: p.X, Y: p.Y + h})
	_, gym := f.ValueGrad(landscape.Vec{X: p.X, Y: p.Y - h})
	a := (gxp.X - gxm.X) / (2 * h)
	c := (gyp.Y - gym.Y) / (2 * h)
	b := ((gxp.Y - gxm.Y) + (gyp.X - gym.X)) / (4 * h)
	mid, rad := (a+c)/2, math.Hypot((a-c)/2, b)
	l1, l2 = mid-rad, mid+rad
	return l1, l2, math.Max(math.Abs(l1), math.Abs(l2))
}

// TestFindCritical covers the finder on its own: restricted domains,
// functions with no critical point, determinism and cancellation.
func TestFindCritical(t *testing.T) {
	type want struct {
		kind landscape.Kind
		at   landscape.Vec
	}
	tests := []struct {
		name string
		f    landscape.Function
		d    landscape.Domain
		want []want
	}{
		{"himmelblau quadrant", landscape.Himmelblau{}, landscape.Domain{XMin: 0, XMax: 5, YMin: 0, YMax: 5},
			[]want{{landscape.Minimum, landscape.Vec{X: 3, Y: 2}}, {landscape.Saddle, landscape.Vec{X: 3.385154183607021, Y: 0.07385187983774929}}, {landscape.Saddle, landscape.Vec{X: 0.08667750455539635, Y: 2.884254701174776}}}},
		{"saddle away from origin", landscape.SaddleFunc{}, landscape.Domain{XMin: 1, XMax: 2, YMin: 1, YMax: 2}, nil},
		{"tilted plane", plane{}, landscape.Domain{XMin: -3, XMax: 3, YMin: -3, YMax: 3}, nil},
		{"maximum", negQuadratic{}, landscape.Domain{XMin: -1, XMax: 2, YMin: -1, YMax: 2}, []want{{landscape.Maximum, landscape.Vec{X: 0.5, Y: 0.25}}}},
		{"line of minima", valley{}, landscape.Domain{XMin: -1, XMax: 1, YMin: -1, YMax: 1}, []want{{landscape.Minimum, landscape.Vec{X: 0, Y: anyY}}}},
		{"constant", constant{}, landscape.Domain{XMin: -1, XMax: 1, YMin: -1, YMax: 1}, []want{{landscape.Minimum, landscape.Vec{X: anyY, Y: anyY}}}},
		{"sine ridges", sineX{}, landscape.Domain{XMin: -3, XMax: 3, YMin: -3, YMax: 3}, []want{{landscape.Minimum, landscape.Vec{X: -math.Pi / 2, Y: anyY}}, {landscape.Maximum, landscape.Vec{X: math.Pi / 2, Y: anyY}}}},
		{"sine ridges repeated", sineX{}, landscape.Domain{XMin: -5, XMax: 5, YMin: -5, YMax: 5}, []want{{landscape.Minimum, landscape.Vec{X: anyY, Y: anyY}}, {landscape.Maximum, landscape.Vec{X: anyY, Y: anyY}}}},
		{"line of kinks", kinkLine{}, landscape.Domain{XMin: -2, XMax: 2, YMin: -2, YMax: 2}, []want{{landscape.Minimum, landscape.Vec{X: anyY, Y: anyY}}}},
		{"kink point", kinkPoint{}, landscape.Domain{XMin: -2, XMax: 3, YMin: -2, YMax: 3}, []want{{landscape.Minimum, landscape.Vec{X: 0.5, Y: -0.25}}}},
		{"quartic bowl", quartic{}, landscape.Domain{XMin: -1, XMax: 2, YMin: -1, YMax: 2}, []want{{landscape.Minimum, landscape.Vec{X: 0.5, Y: 0.5}}}},
		{"undefined half", halfLog{}, landscape.Domain{XMin: -2, XMax: 2, YMin: -2, YMax: 2}, []want{{landscape.Minimum, landscape.Vec{X: 1, Y: 0}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all, err := landscape.FindCritical(context.Background(), tt.f, tt.d)
			if err != nil {
				t.Fatal(err)
			}
			got := interior(all) // TestFindCriticalEdges checks the edges
			if len(got) != len(tt.want) {
				t.Fatalf("found %v, want %v", got, tt.want)
			}
			for i, w := range tt.want {
				at := got[i].At // with unchecked coordinates copied from w
				if w.at.X == anyY {
					at.X = anyY
				}
				if w.at.Y == anyY {
					at.Y = anyY
				}
				if got[i].Kind != w.kind || dist(at, w.at) > critPositionTol {
					t.Errorf("point %d: got %v at %v, want %v at %v", i, got[i].Kind, got[i].At, w.kind, w.at)
				}
			}
			for _, cp := range got {
				if !tt.d.Contains(cp.At) {
					t.Errorf("%v at %v outside %v", cp.Kind, cp.At, tt.d)
				}
			}
			again, _ := landscape.FindCritical(context.Background(), tt.f, tt.d)
			if !reflect.DeepEqual(all, again) {
				t.Errorf("not deterministic: %v then %v", all, again)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := landscape.FindCritical(ctx, landscape.Rastrigin{}, landscape.Domain{XMin: -5, XMax: 5, YMin: -5, YMax: 5}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
}

// TestFindCriticalEdges checks the minima of functions restricted to a box
// that lie on its edges and corners: every one listed, marked Edge, the
// lowest flagged Global, nothing else on the boundary.
func TestFindCriticalEdges(t *testing.T) {
	type want struct {
		at     landscape.Vec
		global bool
	}
	tests := []struct {
		name string
		f    landscape.Function
		d    landscape.Domain
		want []want // the minima on the boundary, lowest first
	}{
		{"minimum on the corner", landscape.Quadratic{}, landscape.Domain{XMin: 0, XMax: 1, YMin: 0, YMax: 1}, []want{{landscape.Vec{}, true}}},
		{"minimum of himmelblau on a corner", landscape.Himmelblau{}, landscape.Domain{XMin: 3, XMax: 4, YMin: 1, YMax: 2}, []want{{landscape.Vec{X: 3, Y: 2}, true}}},
		{"tilted plane", plane{}, landscape.Domain{XMin: -3, XMax: 3, YMin: -3, YMax: 3}, []want{{landscape.Vec{X: -3, Y: -3}, true}}},
		{"corners of a maximum", negQuadratic{}, landscape.Domain{XMin: -1, XMax: 2, YMin: -1, YMax: 2},
			[]want{{landscape.Vec{X: -1, Y: 2}, true}, {landscape.Vec{X: 2, Y: 2}, true}, {landscape.Vec{X: -1, Y: -1}, false}, {landscape.Vec{X: 2, Y: -1}, false}}},
		{"himmelblau quadrant", landscape.Himmelblau{}, landscape.Domain{XMin: 0, XMax: 5, YMin: 0, YMax: 5},
			// the 1D minima of f(x, 0) and f(0, y), where f falls out of the box
			[]want{{landscape.Vec{X: 3.3956910959564666, Y: 0}, false}, {landscape.Vec{X: 0, Y: 2.8979157616563596}, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := landscape.FindCritical(context.Background(), tt.f, tt.d)
			if err != nil {
				t.Fatal(err)
			}
			var edge []landscape.CriticalPoint
			for _, cp := range got {
				if cp.Edge {
					edge = append(edge, cp)
				}
			}
			if len(edge) != len(tt.want) {
				t.Fatalf("on the edges %v, want %v", edge, tt.want)
			}
			for i, w := range tt.want {
				if c := edge[i]; c.Kind != landscape.Minimum || dist(c.At, w.at) > critPositionTol || c.Global != w.global || !tt.d.Contains(c.At) {
					t.Errorf("edge point %d: %v, want a minimum at %v, global %v", i, c, w.at, w.global)
				}
			}
		})
	}
}

// anyY marks a coordinate the test does not check: on a line of critical
// points any representative will do.
const anyY = 1e300

// valley is x²: every point of x = 0 is a minimum.
type valley struct{}

func (valley) Value(p landscape.Vec) float64 { return p.X * p.X }
func (f valley) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	return f.Value(p), landscape.Vec{X: 2 * p.X}
}

// constant is 1 everywhere.
type constant struct{}

func (constant) Value(landscape.Vec) float64                      { return 1 }
func (constant) ValueGrad(landscape.Vec) (float64, landscape.Vec) { return 1, landscape.Vec{} }

// sineX is sin(x): lines of minima at x = -π/2 + 2πk and of maxima at
// x = π/2 + 2πk, one of each in [-3, 3] and two in [-5, 5], where all
// lines of one kind share a value and so one representative stands for
// them.
type sineX struct{}

func (sineX) Value(p landscape.Vec) float64 { return math.Sin(p.X) }
func (f sineX) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	return f.Value(p), landscape.Vec{X: math.Cos(p.X)}
}

// kinkLine is |x - y|: every point of the diagonal is a minimum where the
// gradient does not exist.
type kinkLine struct{}

func (kinkLine) Value(p landscape.Vec) float64 { return math.Abs(p.X - p.Y) }
func (f kinkLine) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	s := 1.0
	if p.X < p.Y {
		s = -1
	}
	return f.Value(p), landscape.Vec{X: s, Y: -s}
}

// kinkPoint is |x - 0.5| + 2|y + 0.25|: one minimum, at a kink.
type kinkPoint struct{}

func (kinkPoint) Value(p landscape.Vec) float64 { return math.Abs(p.X-0.5) + 2*math.Abs(p.Y+0.25) }
func (f kinkPoint) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	return f.Value(p), landscape.Vec{X: math.Copysign(1, p.X-0.5), Y: math.Copysign(2, p.Y+0.25)}
}

// quartic is (x-0.5)⁴ + (y-0.5)⁴: an isolated minimum with a zero Hessian,
// which must not be mistaken for a line of minima.
type quartic struct{}

func (quartic) Value(p landscape.Vec) float64 {
	a, b := p.X-0.5, p.Y-0.5
	return a*a*a*a + b*b*b*b
}
func (f quartic) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	a, b := p.X-0.5, p.Y-0.5
	return f.Value(p), landscape.Vec{X: 4 * a * a * a, Y: 4 * b * b * b}
}

// TestFindCriticalIndependentOfCores checks that the result does not depend
// on how many goroutines share the starts.
func TestFindCriticalIndependentOfCores(t *testing.T) {
	for _, id := range []string{"himmelblau", "levy13"} {
		p, _ := landscape.Lookup(id)
		var results [][]landscape.CriticalPoint
		for _, procs := range []int{1, 2, 5} {
			prev := runtime.GOMAXPROCS(procs)
			got, err := landscape.FindCritical(context.Background(), p.Func, p.Domain)
			runtime.GOMAXPROCS(prev)
			if err != nil {
				t.Fatal(err)
			}
			results = append(results, got)
		}
		for i := 1; i < len(results); i++ {
			if !reflect.DeepEqual(results[0], results[i]) {
				t.Errorf("%s: result with GOMAXPROCS run %d differs from run 0", id, i)
			}
		}
	}
}

// TestFindCriticalCancelMidway cancels a search while it runs, from inside
// the function after a few hundred evaluations, and expects it to stop
// promptly with the context's error. Promptly is counted, not timed: after
// the cancel, each worker may finish the evaluation it is in and at most
// one start, so the evaluations that follow are a small share of an
// uncancelled search's (on up to cancelWorkers workers, so that the bound
// holds on machines of many cores too).
func TestFindCriticalCancelMidway(t *testing.T) {
	const cancelWorkers = 8
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(min(runtime.GOMAXPROCS(0), cancelWorkers)))
	d := landscape.Domain{XMin: -2, XMax: 2, YMin: -1, YMax: 3}
	full := &counting{f: landscape.Rosenbrock{}}
	if _, err := landscape.FindCritical(context.Background(), full, d); err != nil {
		t.Fatal(err)
	}
	const cancelAfter = 500
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &cancelling{counting: counting{f: landscape.Rosenbrock{}}, after: cancelAfter, cancel: cancel}
	_, err := landscape.FindCritical(ctx, f, d)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	after := f.n.Load() - cancelAfter
	t.Logf("%d evaluations after the cancel, %d in a whole search", after, full.n.Load())
	if after > full.n.Load()/10 {
		t.Errorf("%d evaluations after the cancel, a whole search takes %d", after, full.n.Load())
	}
}

// cancelling counts evaluations and calls cancel at the after-th.
type cancelling struct {
	counting
	after  int64
	cancel context.CancelFunc
}

func (c *cancelling) Value(p landscape.Vec) float64 {
	if c.n.Add(1) == c.after {
		c.cancel()
	}
	return c.f.Value(p)
}

func (c *cancelling) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	if c.n.Add(1) == c.after {
		c.cancel()
	}
	return c.f.ValueGrad(p)
}

// plane is x + 2y: no critical point anywhere.
type plane struct{}

func (plane) Value(p landscape.Vec) float64 { return p.X + 2*p.Y }
func (f plane) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	return f.Value(p), landscape.Vec{X: 1, Y: 2}
}

// negQuadratic is -((x-0.5)² + 2(y-0.25)²): one maximum.
type negQuadratic struct{}

func (negQuadratic) Value(p landscape.Vec) float64 {
	return -((p.X-0.5)*(p.X-0.5) + 2*(p.Y-0.25)*(p.Y-0.25))
}
func (f negQuadratic) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	return f.Value(p), landscape.Vec{X: -2 * (p.X - 0.5), Y: -4 * (p.Y - 0.25)}
}

// halfLog is x - log(x) + y², undefined (NaN) for x <= 0, minimum at (1, 0).
type halfLog struct{}

func (halfLog) Value(p landscape.Vec) float64 {
	if p.X <= 0 {
		return math.NaN()
	}
	return p.X - math.Log(p.X) + p.Y*p.Y
}
func (f halfLog) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	if p.X <= 0 {
		return math.NaN(), landscape.Vec{X: math.NaN(), Y: math.NaN()}
	}
	return f.Value(p), landscape.Vec{X: 1 - 1/p.X, Y: 2 * p.Y}
}

// BenchmarkFindCritical times the finder on every preset's default domain,
// the figures recorded in docs/BENCHMARKS.md.
// Besides wall time it reports the function evaluations per search, which
// do not depend on the machine's load, and the CPU time (all cores).
func BenchmarkFindCritical(b *testing.B) {
	for _, p := range landscape.Presets() {
		b.Run(p.ID, func(b *testing.B) {
			f := &counting{f: p.Func}
			cpu0 := processCPU()
			for b.Loop() {
				if _, err := landscape.FindCritical(context.Background(), f, p.Domain); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(f.n.Load())/float64(b.N), "evals/op")
			b.ReportMetric(float64(processCPU()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

// counting counts the evaluations of f, safely from many goroutines.
type counting struct {
	f landscape.Function
	n atomic.Int64
}

func (c *counting) Value(p landscape.Vec) float64 { c.n.Add(1); return c.f.Value(p) }
func (c *counting) ValueGrad(p landscape.Vec) (float64, landscape.Vec) {
	c.n.Add(1)
	return c.f.ValueGrad(p)
}
