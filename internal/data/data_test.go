package data

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestGenerate(t *testing.T) {
	for _, info := range Generators() {
		t.Run(info.Name, func(t *testing.T) {
			g := Generated{Name: info.Name, N: ptr(101), Seed: 7}
			s, err := Generate(g)
			if err != nil {
				t.Fatal(err)
			}
			if s.Rows() != 101 || len(s.X) != 101*info.Task.Features() || s.Task != info.Task {
				t.Fatalf("%d rows, %d features, task %v", s.Rows(), len(s.X), s.Task)
			}
			again, _ := Generate(g)
			if !equal(s.X, again.X) || !equal(s.Y, again.Y) {
				t.Error("same seed, different data")
			}
			other, _ := Generate(Generated{Name: info.Name, N: ptr(101), Seed: 8})
			if equal(s.X, other.X) {
				t.Error("different seeds, same data")
			}
			ones := 0.0
			for _, y := range s.Y {
				if math.IsNaN(y) || math.IsInf(y, 0) {
					t.Fatal("non-finite target")
				}
				ones += y
			}
			if info.Task == Classification {
				if ones < 30 || ones > 71 {
					t.Errorf("%v of 101 labels are 1", ones)
				}
			}
		})
	}
}

func TestGenerateShapes(t *testing.T) {
	zero := ptr(0.0)
	// Without noise each generator's points lie exactly on its shape.
	check := func(name string, params map[string]float64, ok func(x []float64, y float64) bool) {
		s, err := Generate(Generated{Name: name, N: ptr(200), Noise: zero, Seed: 3, Params: params})
		if err != nil {
			t.Fatal(err)
		}
		for i := range s.Rows() {
			if !ok(s.Row(i), s.Y[i]) {
				t.Fatalf("%s: row %d %v %v off the shape", name, i, s.Row(i), s.Y[i])
			}
		}
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	check("circles", nil, func(x []float64, y float64) bool { return near(math.Hypot(x[0], x[1]), 1-0.5*y) })
	check("moons", nil, func(x []float64, y float64) bool {
		if y == 0 {
			return near(math.Hypot(x[0], x[1]), 1) && x[1] >= -1e-12
		}
		return near(math.Hypot(x[0]-1, x[1]-0.5), 1) && x[1] <= 0.5+1e-12
	})
	check("xor", nil, func(x []float64, y float64) bool { return (x[0]*x[1] > 0) == (y == 1) })
	check("line", map[string]float64{"slope": -2, "intercept": 3}, func(x []float64, y float64) bool { return near(y, -2*x[0]+3) })
	check("sine", nil, func(x []float64, y float64) bool { return near(y, math.Sin(x[0])) })
	check("gaussians", map[string]float64{"separation": 4}, func(x []float64, y float64) bool {
		return near(math.Hypot(x[0], x[1]), 2) && (x[0] > 0) == (y == 1)
	})
	check("spiral", nil, func(x []float64, y float64) bool { return math.Hypot(x[0], x[1]) < 1 })
}

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		g     Generated
		field string
		want  string
	}{
		{Generated{Name: "moons", N: ptr(9)}, "n", "n must be in [10, 2000], got 9"},
		{Generated{Name: "moons", N: ptr(2001)}, "n", "n must be in [10, 2000], got 2001"},
		{Generated{Name: "moons", Noise: ptr(-0.1)}, "noise", "noise must be in [0, 10], got -0.1"},
		{Generated{Name: "moons", Noise: ptr(math.NaN())}, "noise", "noise must be in [0, 10]"},
		{Generated{Name: "gaussians", Params: map[string]float64{"separation": 21}}, "separation", "separation must be in [0, 20], got 21"},
		{Generated{Name: "moons", Params: map[string]float64{"slope": 1}}, "slope", `unknown field "slope" for dataset moons`},
		{Generated{Name: "moon"}, "name", `unknown dataset "moon" (known: moons, circles`},
	}
	for _, tt := range tests {
		_, err := Generate(tt.g)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: got %v, want field %s and %q", tt.g, err, tt.field, tt.want)
		}
	}
}

func TestRealDatasets(t *testing.T) {
	for _, info := range Reals() {
		s, err := Real(info.Name)
		if err != nil {
			t.Fatalf("%s: %v", info.Name, err)
		}
		if s.Task != info.Task || info.Source == "" || info.Licence == "" {
			t.Errorf("%s: task %v, source %q, licence %q", info.Name, s.Task, info.Source, info.Licence)
		}
	}
	p, _ := Real("penguins")
	ones := 0.0
	for _, y := range p.Y {
		ones += y
	}
	if p.Rows() != 219 || ones != 68 || p.Separable() {
		t.Errorf("penguins: %d rows, %v chinstraps, separable %v", p.Rows(), ones, p.Separable())
	}
	if _, err := Real("iris"); err == nil {
		t.Error("unknown real dataset accepted")
	}
}

func TestFromPoints(t *testing.T) {
	s, err := FromPoints([][]float64{{0.1, 0.7, 1}, {0.2, -1, 0}})
	if err != nil || s.Task != Classification || !equal(s.X, []float64{0.1, 0.7, 0.2, -1}) || !equal(s.Y, []float64{1, 0}) {
		t.Fatalf("%v %+v", err, s)
	}
	bad := []struct {
		pts   [][]float64
		field string
	}{
		{[][]float64{{1, 2}}, "points"},
		{[][]float64{{1, 2, 3, 4}, {1, 2, 3, 4}}, "points[0]"},
		{[][]float64{{1, 2}, {1, 2, 3}}, "points[1]"},
		{[][]float64{{1, 2}, {1, math.Inf(1)}}, "points[1][1]"},
		{[][]float64{{1, 2, 0}, {1, 2, 0.5}}, "points[1][2]"},
	}
	for _, b := range bad {
		_, err := FromPoints(b.pts)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != b.field || !strings.HasPrefix(err.Error(), b.field+" ") {
			t.Errorf("%v: got %v, want field %s", b.pts, err, b.field)
		}
	}
	big := make([][]float64, MaxRows+1)
	for i := range big {
		big[i] = []float64{1, 2}
	}
	if _, err := FromPoints(big); err == nil || !strings.Contains(err.Error(), "2 to 10000 rows") {
		t.Errorf("too many rows: %v", err)
	}
}

func TestStandardize(t *testing.T) {
	s, _ := Generate(Generated{Name: "gaussians", N: ptr(300), Seed: 1, Params: map[string]float64{"separation": 10}})
	y := append([]float64(nil), s.Y...)
	sc := s.Standardize()
	for k := range 2 {
		mean, sq := 0.0, 0.0
		for i := range s.Rows() {
			mean += s.Row(i)[k]
		}
		mean /= 300
		for i := range s.Rows() {
			sq += (s.Row(i)[k] - mean) * (s.Row(i)[k] - mean)
		}
		if math.Abs(mean) > 1e-12 || math.Abs(sq/300-1) > 1e-12 || sc.Std[k] <= 1 {
			t.Errorf("feature %d: mean %v var %v, scaling %+v", k, mean, sq/300, sc)
		}
	}
	if !equal(y, s.Y) {
		t.Error("labels changed")
	}
	c, _ := FromPoints([][]float64{{2, 1}, {2, 3}})
	c.Standardize()
	if !equal(c.X, []float64{0, 0}) {
		t.Errorf("constant feature: %v", c.X)
	}
}

func TestSplit(t *testing.T) {
	s, _ := Generate(Generated{Name: "line", N: ptr(100), Seed: 1})
	tr, va, err := s.Split(0.2, 5)
	if err != nil || tr.Rows() != 80 || va.Rows() != 20 {
		t.Fatalf("%v: %d + %d rows", err, tr.Rows(), va.Rows())
	}
	seen := map[float64]int{}
	for _, x := range append(append([]float64(nil), tr.X...), va.X...) {
		seen[x]++
	}
	for _, x := range s.X {
		if seen[x] == 0 {
			t.Fatal("a row was lost")
		}
	}
	tr2, _, _ := s.Split(0.2, 5)
	tr3, _, _ := s.Split(0.2, 6)
	if !equal(tr.X, tr2.X) || equal(tr.X, tr3.X) {
		t.Error("split not determined by its seed")
	}
	if same, v, _ := s.Split(0, 1); same != s || v != nil {
		t.Error("fraction 0 should keep the set")
	}
	for _, f := range []float64{-0.1, 0.51, math.NaN()} {
		if _, _, err := s.Split(f, 1); err == nil || !strings.HasPrefix(err.Error(), "validation must be in [0, 0.5]") {
			t.Errorf("fraction %v: %v", f, err)
		}
	}
	small, _ := FromPoints([][]float64{{1, 2}, {3, 4}})
	if _, _, err := small.Split(0.1, 1); err == nil {
		t.Error("a split leaving no validation row was accepted")
	}
}

func TestSeparable(t *testing.T) {
	sep, _ := FromPoints([][]float64{{1, 1, 1}, {2, 0.5, 1}, {-1, -2, 0}, {-0.5, -0.1, 0}})
	mixed, _ := FromPoints([][]float64{{1, 1, 1}, {2, 0.5, 0}, {-1, -2, 0}, {1, 1.1, 0}})
	if !sep.Separable() || mixed.Separable() {
		t.Errorf("separable %v, mixed %v", sep.Separable(), mixed.Separable())
	}
	far, _ := Generate(Generated{Name: "gaussians", Seed: 1, Noise: ptr(0.5), Params: map[string]float64{"separation": 10}})
	near, _ := Generate(Generated{Name: "gaussians", Seed: 1, Params: map[string]float64{"separation": 1}})
	if !far.Separable() || near.Separable() {
		t.Errorf("far %v, near %v", far.Separable(), near.Separable())
	}
}

func TestFaithful(t *testing.T) {
	s, err := Real("faithful")
	if err != nil {
		t.Fatal(err)
	}
	// R: mean(faithful$waiting) = 70.89706, mean(faithful$eruptions) = 3.487783.
	mx, my := 0.0, 0.0
	for i := range s.Rows() {
		mx += s.X[i]
		my += s.Y[i]
	}
	if s.Rows() != 272 || s.Task != Regression || math.Abs(mx/272-70.89706) > 1e-5 || math.Abs(my/272-3.487783) > 1e-6 {
		t.Errorf("%d rows, means %v %v", s.Rows(), mx/272, my/272)
	}
}
