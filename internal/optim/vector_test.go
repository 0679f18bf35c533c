package optim

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

// TestVecMatchesPlane replays every PyTorch reference case with the 2-D
// optimizer and with its vector twin on a 4-element vector holding the
// case twice: both halves must equal the 2-D trajectory bit for bit, so the
// vector form inherits every reference test the 2-D form passes.
func TestVecMatchesPlane(t *testing.T) {
	cases := 0
	for _, path := range referenceFiles {
		rf := loadReference(t, path)
		for _, c := range append(rf.Cases, rf.DivergenceCases...) {
			cases++
			grad := torchGrads[c.Function]
			name := strings.ToLower(c.TorchClass)
			plane, _, err := New(name, caseValues(t, c))
			if err != nil {
				t.Fatal(err)
			}
			vec, _, err := NewVec(name, caseValues(t, c), 4)
			if err != nil {
				t.Fatal(err)
			}
			p := landscape.Vec{X: c.Start[0], Y: c.Start[1]}
			q := []float64{p.X, p.Y, p.X, p.Y}
			g4 := make([]float64, 4)
			for k := 0; k < c.Steps && !diverged(p); k++ {
				g := grad(p)
				g4[0], g4[1], g4[2], g4[3] = g.X, g.Y, g.X, g.Y
				p = plane.Step(p, g)
				vec.StepVec(q, g4)
				for i, want := range []float64{p.X, p.Y, p.X, p.Y} {
					if math.Float64bits(q[i]) != math.Float64bits(want) && !(math.IsNaN(q[i]) && math.IsNaN(want)) {
						t.Fatalf("%s step %d coord %d: vector %.17g, plane %.17g", c.ID, k+1, i, q[i], want)
					}
				}
			}
		}
	}
	if cases == 0 {
		t.Fatal("no reference cases")
	}
}

func TestNewVecEveryOptimizer(t *testing.T) {
	for _, info := range List() {
		o, _, err := NewVec(info.Name, Values{}, 3)
		if err != nil {
			t.Fatalf("%s: %v", info.Name, err)
		}
		p, g := []float64{1, -2, 3}, []float64{0.5, -0.25, 1}
		o.StepVec(p, g)
		if p[0] >= 1 || p[1] <= -2 || p[2] >= 3 {
			t.Errorf("%s: step %v did not move against the gradient %v", info.Name, p, g)
		}
		if n := testing.AllocsPerRun(100, func() { o.StepVec(p, g) }); n != 0 {
			t.Errorf("%s: %v allocations per step", info.Name, n)
		}
	}
	if _, _, err := NewVec("adam", Values{}, 0); err == nil {
		t.Error("dimension 0 accepted")
	}
	if _, _, err := NewVec("adma", Values{}, 2); err == nil || !strings.Contains(err.Error(), "did you mean adam") {
		t.Errorf("unknown name: %v", err)
	}
}

// TestClipGradNormMatchesPlane: on two elements the vector clip is the 2-D
// clip bit for bit (which is PyTorch's, TestClipNormTorch).
func TestClipGradNormMatchesPlane(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		g := landscape.Vec{X: r.NormFloat64() * 10, Y: r.NormFloat64() * 10}
		maxNorm := r.ExpFloat64() * 5
		want := clipNorm(g, maxNorm)
		got := []float64{g.X, g.Y}
		ClipGradNorm(got, maxNorm)
		if got[0] != want.X || got[1] != want.Y {
			t.Fatalf("clip %v to %v: vector %v, plane %v", g, maxNorm, got, want)
		}
	}
	g := []float64{3, 4, 12}
	if n := ClipGradNorm(g, 1); n != 13 || math.Abs(math.Sqrt(g[0]*g[0]+g[1]*g[1]+g[2]*g[2])-1) > 1e-6 {
		t.Errorf("norm %v, clipped %v", n, g)
	}
}
