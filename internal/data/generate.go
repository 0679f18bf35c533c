package data

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// GenParam is one setting of a generator beyond n, noise and seed.
type GenParam struct {
	Name     string
	Default  float64
	Min, Max float64
	Doc      string
}

// GeneratorInfo describes a generator for clients and documentation.
type GeneratorInfo struct {
	Name         string
	Task         Task
	Doc          string
	DefaultN     int
	DefaultNoise float64 // standard deviation of the Gaussian noise
	Params       []GenParam
}

// Generated asks for a generated dataset. A nil pointer means "not given"
// and takes the generator's default; an explicit 0 stays 0.
type Generated struct {
	Name   string
	N      *int
	Noise  *float64
	Seed   uint64
	Params map[string]float64 // the generator's own settings, e.g. "separation"
}

// generatorStream is the PCG stream word for dataset generation, so that a
// dataset depends on its seed alone and never shares a sequence with
// another use of the same seed (initialization, shuffling).
const generatorStream = 0x62617369_6e646174 // "basindat"

type generator struct {
	info GeneratorInfo
	make func(r *rand.Rand, n int, noise float64, p map[string]float64) *Set
}

// generators lists the generators in display order.
var generators = []generator{
	{GeneratorInfo{Name: "moons", Task: Classification, DefaultN: 200, DefaultNoise: 0.1,
		Doc: "Two interleaving half circles (as scikit-learn's make_moons): no line separates them, a small network does."}, moons},
	{GeneratorInfo{Name: "circles", Task: Classification, DefaultN: 200, DefaultNoise: 0.05,
		Doc: "A ring around a disc (radii 1 and 0.5): the boundary is a circle, so a model needs hidden units to draw it."}, circles},
	{GeneratorInfo{Name: "xor", Task: Classification, DefaultN: 200, DefaultNoise: 0.05,
		Doc: "Points in the square [-1, 1]^2, labelled 1 where x1 and x2 have the same sign: the classic problem no linear model solves."}, xor},
	{GeneratorInfo{Name: "gaussians", Task: Classification, DefaultN: 200, DefaultNoise: 1,
		Doc: "Two round Gaussian clouds (standard deviation = noise) whose centres lie separation apart on the diagonal through the origin: " +
			"large separations are linearly separable, small ones overlap.",
		Params: []GenParam{{Name: "separation", Default: 3, Min: 0, Max: 20, Doc: "Distance between the two centres."}}}, gaussians},
	{GeneratorInfo{Name: "spiral", Task: Classification, DefaultN: 200, DefaultNoise: 0.05,
		Doc: "Two interleaved spirals of 1.75 turns each, radius up to 1: hard, needs a deeper network."}, spiral},
	{GeneratorInfo{Name: "line", Task: Regression, DefaultN: 100, DefaultNoise: 0.3,
		Doc: "y = slope*x + intercept plus Gaussian noise, x uniform in [-2, 2]: linear regression's home ground.",
		Params: []GenParam{
			{Name: "slope", Default: 1.5, Min: -100, Max: 100, Doc: "Slope of the true line."},
			{Name: "intercept", Default: 0.5, Min: -100, Max: 100, Doc: "Intercept of the true line."},
		}}, line},
	{GeneratorInfo{Name: "sine", Task: Regression, DefaultN: 100, DefaultNoise: 0.1,
		Doc: "y = sin(x) plus Gaussian noise, x uniform in [-3, 3]: a curve a line cannot fit and a small network can."}, sine},
}

// Generators describes every generator in display order (a copy).
func Generators() []GeneratorInfo {
	out := make([]GeneratorInfo, len(generators))
	for i, g := range generators {
		out[i] = g.info
		out[i].Params = append([]GenParam(nil), g.info.Params...)
	}
	return out
}

// IsGenerator reports whether name is a generator's.
func IsGenerator(name string) bool {
	_, ok := findGenerator(name)
	return ok
}

func findGenerator(name string) (generator, bool) {
	for _, g := range generators {
		if g.info.Name == name {
			return g, true
		}
	}
	return generator{}, false
}

// Generate draws the dataset g asks for. The same request always gives the
// same rows, in the same (shuffled) order. Errors are *FieldError.
func Generate(g Generated) (*Set, error) {
	gen, ok := findGenerator(g.Name)
	if !ok {
		return nil, unknownDataset(g.Name)
	}
	n := gen.info.DefaultN
	if g.N != nil {
		n = *g.N
	}
	if n < MinGenerated || n > MaxGenerated {
		return nil, fieldErrorf("n", "must be in [%d, %d], got %d", MinGenerated, MaxGenerated, n)
	}
	noise := gen.info.DefaultNoise
	if g.Noise != nil {
		noise = *g.Noise
	}
	if !(noise >= 0 && noise <= MaxNoise) {
		return nil, fieldErrorf("noise", "must be in [0, %g], got %g", MaxNoise, noise)
	}
	params := map[string]float64{}
	for _, p := range gen.info.Params {
		params[p.Name] = p.Default
	}
	for name, v := range g.Params {
		spec, ok := findParam(gen.info.Params, name)
		if !ok {
			return nil, &FieldError{Field: name, Msg: "unknown field " + strconv.Quote(name) + " for dataset " + g.Name + knownParams(gen.info.Params)}
		}
		if !(v >= spec.Min && v <= spec.Max) {
			return nil, fieldErrorf(name, "must be in [%g, %g], got %g", spec.Min, spec.Max, v)
		}
		params[name] = v
	}
	r := rand.New(rand.NewPCG(g.Seed, generatorStream))
	s := gen.make(r, n, noise, params)
	shuffle(r, s)
	return s, nil
}

func findParam(ps []GenParam, name string) (GenParam, bool) {
	for _, p := range ps {
		if p.Name == name {
			return p, true
		}
	}
	return GenParam{}, false
}

func knownParams(ps []GenParam) string {
	if len(ps) == 0 {
		return " (it has only n, noise and seed)"
	}
	s := " (known: n, noise, seed"
	for _, p := range ps {
		s += ", " + p.Name
	}
	return s + ")"
}

func classification(n int) *Set {
	return &Set{Task: Classification, X: make([]float64, 0, 2*n), Y: make([]float64, 0, n), Columns: []string{"x1", "x2", "label"}}
}

func regression(n int) *Set {
	return &Set{Task: Regression, X: make([]float64, 0, n), Y: make([]float64, 0, n), Columns: []string{"x", "y"}}
}

func (s *Set) add2(r *rand.Rand, noise, x1, x2, label float64) {
	s.X = append(s.X, x1+noise*r.NormFloat64(), x2+noise*r.NormFloat64())
	s.Y = append(s.Y, label)
}

// shuffle permutes the rows, so that a generator's classes are mixed and
// explicit batches of consecutive indices are not of one class.
func shuffle(r *rand.Rand, s *Set) {
	f := s.Features()
	r.Shuffle(s.Rows(), func(i, j int) {
		s.Y[i], s.Y[j] = s.Y[j], s.Y[i]
		for k := range f {
			s.X[i*f+k], s.X[j*f+k] = s.X[j*f+k], s.X[i*f+k]
		}
	})
}

// linspace is the k-th of n evenly spaced values from 0 to hi inclusive.
func linspace(hi float64, k, n int) float64 {
	if n == 1 {
		return 0
	}
	return hi * float64(k) / float64(n-1)
}

func moons(r *rand.Rand, n int, noise float64, _ map[string]float64) *Set {
	s := classification(n)
	outer := n / 2
	for k := range outer {
		t := linspace(math.Pi, k, outer)
		s.add2(r, noise, math.Cos(t), math.Sin(t), 0)
	}
	for k := range n - outer {
		t := linspace(math.Pi, k, n-outer)
		s.add2(r, noise, 1-math.Cos(t), 0.5-math.Sin(t), 1)
	}
	return s
}

func circles(r *rand.Rand, n int, noise float64, _ map[string]float64) *Set {
	s := classification(n)
	outer := n / 2
	for k := range outer {
		t := 2 * math.Pi * float64(k) / float64(outer)
		s.add2(r, noise, math.Cos(t), math.Sin(t), 0)
	}
	inner := n - outer
	for k := range inner {
		t := 2 * math.Pi * float64(k) / float64(inner)
		s.add2(r, noise, 0.5*math.Cos(t), 0.5*math.Sin(t), 1)
	}
	return s
}

func xor(r *rand.Rand, n int, noise float64, _ map[string]float64) *Set {
	s := classification(n)
	for range n {
		x1, x2 := 2*r.Float64()-1, 2*r.Float64()-1
		label := 0.0
		if x1*x2 > 0 {
			label = 1
		}
		s.add2(r, noise, x1, x2, label)
	}
	return s
}

func gaussians(r *rand.Rand, n int, noise float64, p map[string]float64) *Set {
	s := classification(n)
	c := p["separation"] / 2 / math.Sqrt2 // each centre's coordinates
	for k := range n {
		label := float64(k % 2)
		sign := 2*label - 1
		s.add2(r, noise, sign*c, sign*c, label)
	}
	return s
}

func spiral(r *rand.Rand, n int, noise float64, _ map[string]float64) *Set {
	s := classification(n)
	half := n / 2
	for c, count := range []int{half, n - half} {
		for k := range count {
			frac := float64(k) / float64(count)
			rad := frac
			t := 1.75*2*math.Pi*frac + math.Pi*float64(c)
			s.add2(r, noise, rad*math.Sin(t), rad*math.Cos(t), float64(c))
		}
	}
	return s
}

func line(r *rand.Rand, n int, noise float64, p map[string]float64) *Set {
	s := regression(n)
	for range n {
		x := 4*r.Float64() - 2
		s.X = append(s.X, x)
		s.Y = append(s.Y, p["slope"]*x+p["intercept"]+noise*r.NormFloat64())
	}
	return s
}

func sine(r *rand.Rand, n int, noise float64, _ map[string]float64) *Set {
	s := regression(n)
	for range n {
		x := 6*r.Float64() - 3
		s.X = append(s.X, x)
		s.Y = append(s.Y, math.Sin(x)+noise*r.NormFloat64())
	}
	return s
}
