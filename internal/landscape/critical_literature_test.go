package landscape_test

import (
	"bufio"
	"context"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/landscape/expr"
)

// literatureCase is one line of testdata/vlse2d.txt.
type literatureCase struct {
	name, src      string
	box            landscape.Domain
	fStar          float64
	valTol, posTol float64
	minima         []landscape.Vec
}

func readLiterature(t *testing.T) []literatureCase {
	t.Helper()
	file, err := os.Open("testdata/vlse2d.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			t.Fatalf("testdata/vlse2d.txt: %v", err)
		}
		return v
	}
	var cases []literatureCase
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, " | ")
		if len(f) != 7 {
			t.Fatalf("testdata/vlse2d.txt: %d columns in %q", len(f), line)
		}
		b := strings.Fields(f[2])
		c := literatureCase{name: strings.TrimSpace(f[0]), src: f[1],
			box:   landscape.Domain{XMin: num(b[0]), XMax: num(b[1]), YMin: num(b[2]), YMax: num(b[3])},
			fStar: num(f[3]), valTol: num(f[4]), posTol: num(f[5])}
		if strings.TrimSpace(f[6]) == "shubert" {
			c.minima = shubertMinima(t)
		} else {
			for _, xy := range strings.Fields(f[6]) {
				x, y, _ := strings.Cut(xy, ",")
				c.minima = append(c.minima, landscape.Vec{X: num(x), Y: num(y)})
			}
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// shubertMinima computes Shubert's 18 global minima on [-10, 10]² from its
// product form g(x)·g(y), g(t) = Σ i cos((i+1)t + i): the lowest product
// pairs a global maximum of g with a global minimum, each of which g takes
// at three points of [-10, 10] (its period is 2π). They are found by a
// scan of g and Newton's method on g', independently of SearchCritical.
func shubertMinima(t *testing.T) []landscape.Vec {
	g := func(x float64) (v, d1, d2 float64) {
		for i := 1.0; i <= 5; i++ {
			s, c := math.Sincos((i+1)*x + i)
			v += i * c
			d1 -= i * (i + 1) * s
			d2 -= i * (i + 1) * (i + 1) * c
		}
		return v, d1, d2
	}
	var maxima, minima []float64
	const n = 20000
	for k := 1; k < n; k++ {
		x := -10 + 20*float64(k)/n
		v, _, _ := g(x)
		vl, _, _ := g(x - 20.0/n)
		vr, _, _ := g(x + 20.0/n)
		if (v >= vl && v >= vr) || (v <= vl && v <= vr) {
			for it := 0; it < 50; it++ {
				_, d1, d2 := g(x)
				x -= d1 / d2
			}
			if v >= vl {
				maxima = append(maxima, x)
			} else {
				minima = append(minima, x)
			}
		}
	}
	extreme := func(xs []float64, better func(a, b float64) bool) []float64 {
		best := math.NaN()
		for _, x := range xs {
			if v, _, _ := g(x); math.IsNaN(best) || better(v, best) {
				best = v
			}
		}
		var out []float64
		for _, x := range xs {
			v, _, _ := g(x)
			dup := false
			for _, o := range out {
				dup = dup || math.Abs(o-x) < 1e-6
			}
			if math.Abs(v-best) < 1e-9 && !dup {
				out = append(out, x)
			}
		}
		return out
	}
	hi := extreme(maxima, func(a, b float64) bool { return a > b })
	lo := extreme(minima, func(a, b float64) bool { return a < b })
	if len(hi) != 3 || len(lo) != 3 {
		t.Fatalf("shubert: g has %d global maxima and %d global minima in [-10, 10], want 3 and 3", len(hi), len(lo))
	}
	var out []landscape.Vec
	for _, a := range hi {
		for _, b := range lo {
			out = append(out, landscape.Vec{X: a, Y: b}, landscape.Vec{X: b, Y: a})
		}
	}
	return out
}

// TestSearchCriticalLiterature types the classic 2D test functions as
// expressions on their standard boxes and checks, for each, that every
// global minimum of the literature is listed, flagged Global, at its
// published position and value; that no other point is flagged; that no
// point listed is lower; and that a sample of the box on a grid other than
// the search's own has no value below the lowest minimum listed.
func TestSearchCriticalLiterature(t *testing.T) {
	for _, tc := range readLiterature(t) {
		t.Run(tc.name, func(t *testing.T) {
			f, err := expr.Compile(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			set, err := landscape.SearchCritical(context.Background(), f, tc.box)
			if err != nil {
				t.Fatal(err)
			}
			if set.UnboundedBelow {
				t.Errorf("reported unbounded below")
			}
			vtol := tc.valTol * math.Max(1, math.Abs(tc.fStar))
			var globals []landscape.CriticalPoint
			lowest := math.Inf(1)
			for _, cp := range set.Points {
				if !finitePoint(cp) {
					t.Errorf("non-finite point %v", cp)
				}
				if cp.Global {
					globals = append(globals, cp)
				}
				if cp.Kind == landscape.Minimum {
					lowest = math.Min(lowest, cp.Value)
				}
				if cp.Value < tc.fStar-vtol {
					t.Errorf("%v at %v has value %.10g, below the global minimum %v", cp.Kind, cp.At, cp.Value, tc.fStar)
				}
			}
			for _, w := range tc.minima {
				hit := false
				for _, g := range globals {
					hit = hit || (math.Abs(g.At.X-w.X) <= tc.posTol && math.Abs(g.At.Y-w.Y) <= tc.posTol && math.Abs(g.Value-tc.fStar) <= vtol)
				}
				if !hit {
					t.Errorf("global minimum (%v, %v) = %v not listed as global", w.X, w.Y, tc.fStar)
				}
			}
			if len(globals) != len(tc.minima) {
				t.Errorf("%d points flagged global, want %d: %v", len(globals), len(tc.minima), globals)
			}
			// No minimum has a lower value on a small ring around it.
			r := 1e-6 * math.Max(tc.box.XMax-tc.box.XMin, tc.box.YMax-tc.box.YMin)
			for _, cp := range set.Points {
				if cp.Kind != landscape.Minimum {
					continue
				}
				for k := 0; k < 256; k++ {
					a := 2 * math.Pi * float64(k) / 256
					p := landscape.Vec{
						X: math.Min(math.Max(cp.At.X+r*math.Cos(a), tc.box.XMin), tc.box.XMax),
						Y: math.Min(math.Max(cp.At.Y+r*math.Sin(a), tc.box.YMin), tc.box.YMax),
					}
					if v := f.Value(p); v < cp.Value-1e-9*math.Max(1, math.Abs(cp.Value)) {
						t.Errorf("minimum %+v: f%v = %.12g is lower", cp, p, v)
						break
					}
				}
			}
			// An independent sample, on a grid that shares no line with
			// the search's own.
			const n = 331
			for j := 0; j < n; j++ {
				for i := 0; i < n; i++ {
					p := landscape.Vec{
						X: tc.box.XMin + (float64(i)+0.37)*(tc.box.XMax-tc.box.XMin)/n,
						Y: tc.box.YMin + (float64(j)+0.61)*(tc.box.YMax-tc.box.YMin)/n,
					}
					if v := f.Value(p); v < lowest-1e-9*math.Max(1, math.Abs(lowest)) {
						t.Fatalf("f%v = %.10g, below the lowest minimum listed, %.10g", p, v, lowest)
					}
				}
			}
			t.Logf("%d minima found (%d listed), %d global, %d evaluations", set.MinimaFound, countKind(set.Points, landscape.Minimum), len(globals), set.Evaluations)
		})
	}
}

func finitePoint(cp landscape.CriticalPoint) bool {
	return cp.At.IsFinite() && !math.IsNaN(cp.Value) && !math.IsInf(cp.Value, 0)
}

func countKind(pts []landscape.CriticalPoint, k landscape.Kind) int {
	n := 0
	for _, cp := range pts {
		if cp.Kind == k {
			n++
		}
	}
	return n
}
