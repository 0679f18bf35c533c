package landscape_test

import (
	"math"
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/basin-dev/basin/internal/cpucheck"
	"github.com/basin-dev/basin/internal/landscape"
	"gonum.org/v1/gonum/diff/fd"
)

// gradPointsPerPreset is how many random points of each preset's domain
// TestPresetGradients checks.
const gradPointsPerPreset = 100

// TestPresetGradients checks every preset's exact gradient against central
// finite differences at deterministic random points of its domain, and that
// ValueGrad's value is bit-identical to Value's.
//
// Central differences with gonum's default step h≈6e-6 err by about
// h²·|f”'| (truncation) plus eps·|f|/h (rounding), so the tolerance is
// relative, 1e-6, with an absolute floor of 1e-6 and a term 1e-9·|f| for the
// rounding error on large values (Goldstein–Price reaches 1e6).
func TestPresetGradients(t *testing.T) {
	for _, p := range landscape.Presets() {
		t.Run(p.ID, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(len(p.ID))))
			d := p.Domain
			for k := 0; k < gradPointsPerPreset; k++ {
				pt := landscape.Vec{
					X: d.XMin + rng.Float64()*(d.XMax-d.XMin),
					Y: d.YMin + rng.Float64()*(d.YMax-d.YMin),
				}
				v, g := p.Func.ValueGrad(pt)
				if w := p.Func.Value(pt); math.Float64bits(v) != math.Float64bits(w) {
					t.Fatalf("at %v: ValueGrad value %v, Value %v", pt, v, w)
				}
				want := fd.Gradient(nil, func(x []float64) float64 {
					return p.Func.Value(landscape.Vec{X: x[0], Y: x[1]})
				}, []float64{pt.X, pt.Y}, &fd.Settings{Formula: fd.Central})
				for i, gi := range []float64{g.X, g.Y} {
					tol := 1e-6*math.Max(1, math.Abs(gi)) + 1e-9*math.Abs(v)
					if math.Abs(gi-want[i]) > tol {
						t.Errorf("at %v: grad[%d] = %.12g, central difference %.12g (tol %.2g)", pt, i, gi, want[i], tol)
					}
				}
			}
		})
	}
}

// TestPresetValueGradAllocs proves the hot path allocates nothing.
func TestPresetValueGradAllocs(t *testing.T) {
	for _, p := range landscape.Presets() {
		f := p.Func
		pt := p.Start
		var sink float64
		allocs := testing.AllocsPerRun(100, func() {
			v, g := f.ValueGrad(pt)
			sink += v + g.X + g.Y + f.Value(pt)
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per ValueGrad+Value, want 0", p.ID, allocs)
		}
		_ = sink
	}
}

// TestNoFMA compiles this package for targets where Go fuses a*b+c into a
// fused multiply-add (arm64, and amd64 at GOAMD64=v3) and checks that no
// such instruction comes from the preset formulas, so trajectories are the
// same on every machine (see the comment at the top of functions.go).
func TestNoFMA(t *testing.T) {
	guarded := regexp.MustCompile(`\((?:[^()]*/)?(functions|manyminima)\.go:\d+\)`)
	for _, env := range [][]string{{"GOARCH=arm64"}, {"GOARCH=amd64", "GOAMD64=v3"}} {
		fused := cpucheck.FusedLines(t, env...)
		for _, line := range fused {
			if guarded.MatchString(line) {
				t.Errorf("%v: fused multiply-add in a preset formula: %s", env, line)
			}
		}
		// The check is only meaningful if the compiler fuses somewhere
		// (it does in the critical-point finder, which needs no guard).
		if len(fused) == 0 {
			t.Errorf("%v: no FMA instruction anywhere; the check cannot see fusion", env)
		}
	}
}
