package optim

import (
	"math"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

// TestVecStateMatchesPlane replays every PyTorch reference case with the
// 2-D optimizer and with its vector twin on a 5-element vector holding the
// case two and a half times: after every step the twin's StateVec must
// list the 2-D State's variables in order, with each coordinate's value
// equal to the 2-D one bit for bit (the odd length checks the last, lone
// coordinate).
func TestVecStateMatchesPlane(t *testing.T) {
	cases := 0
	for _, path := range referenceFiles {
		rf := loadReference(t, path)
		for _, c := range rf.Cases {
			cases++
			grad := torchGrads[c.Function]
			name := strings.ToLower(c.TorchClass)
			plane, _, err := New(name, caseValues(t, c))
			if err != nil {
				t.Fatal(err)
			}
			vec, _, err := NewVec(name, caseValues(t, c), 5)
			if err != nil {
				t.Fatal(err)
			}
			p := landscape.Vec{X: c.Start[0], Y: c.Start[1]}
			q := []float64{p.X, p.Y, p.X, p.Y, p.X}
			g5 := make([]float64, 5)
			for k := 0; k <= c.Steps && !diverged(p); k++ {
				want := plane.(Inspector).State(nil)
				got := vec.(VecInspector).StateVec()
				if len(got) != len(want) {
					t.Fatalf("%s step %d: %d vector state vars, plane has %d", c.ID, k, len(got), len(want))
				}
				for i, w := range want {
					g := got[i]
					if g.Name != w.Name || g.Label != w.Label || g.Kind != w.Kind {
						t.Fatalf("%s step %d var %d: %s/%s, plane %s/%s", c.ID, k, i, g.Name, g.Kind, w.Name, w.Kind)
					}
					wantVals := []float64{w.Value.X, w.Value.Y, w.Value.X, w.Value.Y, w.Value.X}
					if w.Kind == StateScalar {
						wantVals = wantVals[:1]
					}
					if len(g.Values) != len(wantVals) {
						t.Fatalf("%s step %d %s: %d values, want %d", c.ID, k, w.Name, len(g.Values), len(wantVals))
					}
					for j, v := range wantVals {
						if math.Float64bits(g.Values[j]) != math.Float64bits(v) && !(math.IsNaN(g.Values[j]) && math.IsNaN(v)) {
							t.Fatalf("%s step %d %s[%d]: vector %.17g, plane %.17g", c.ID, k, w.Name, j, g.Values[j], v)
						}
					}
				}
				if k == c.Steps {
					break
				}
				gr := grad(p)
				g5[0], g5[1], g5[2], g5[3], g5[4] = gr.X, gr.Y, gr.X, gr.Y, gr.X
				p = plane.Step(p, gr)
				vec.StepVec(q, g5)
			}
		}
	}
	if cases == 0 {
		t.Fatal("no reference cases")
	}
}

// TestVecStateLeavesStepsAlone checks that reading the state between steps
// changes nothing the next step computes.
func TestVecStateLeavesStepsAlone(t *testing.T) {
	for _, info := range List() {
		a, _, _ := NewVec(info.Name, Values{}, 3)
		b, _, _ := NewVec(info.Name, Values{}, 3)
		p, q := []float64{1, -2, 0.5}, []float64{1, -2, 0.5}
		for k := range 5 {
			g := []float64{0.3 * float64(k+1), -1, 2}
			a.StepVec(p, g)
			b.(VecInspector).StateVec()
			b.StepVec(q, g)
		}
		for i := range p {
			if math.Float64bits(p[i]) != math.Float64bits(q[i]) {
				t.Fatalf("%s: coordinate %d is %.17g after reading the state, %.17g without", info.Name, i, q[i], p[i])
			}
		}
	}
}
