package optim

import (
	"math"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

// TestLionHandWorked checks Lion against steps worked by hand, since
// PyTorch 1.13 has no Lion. lr = 0.1, betas = (0.9, 0.99),
// weight_decay = 0.5, so each step first shrinks p by 1 - 0.1*0.5 = 0.95.
//
//	start p = (1, 1), m = (0, 0)
//	step 1, g = (2, -1):
//	  p*0.95 = (0.95, 0.95)
//	  c = 0.9*m + 0.1*g = (0.2, -0.1), sign (1, -1)
//	  p = (0.95 - 0.1, 0.95 + 0.1) = (0.85, 1.05)
//	  m = 0.99*m + 0.01*g = (0.02, -0.01)
//	step 2, g = (-3, 0.5):
//	  p*0.95 = (0.8075, 0.9975)
//	  c = (0.018 - 0.3, -0.009 + 0.05) = (-0.282, 0.041), sign (-1, 1)
//	  p = (0.8075 + 0.1, 0.9975 - 0.1) = (0.9075, 0.8975)
//	  m = (0.0198 - 0.03, -0.0099 + 0.005) = (-0.0102, -0.0049)
//	step 3, g = (0.5, 0):
//	  p*0.95 = (0.862125, 0.852625)
//	  c = (-0.00918 + 0.05, -0.00441) = (0.04082, -0.00441), sign (1, -1)
//	  p = (0.762125, 0.952625)
//	  m = (-0.010098 + 0.005, -0.004851) = (-0.005098, -0.004851)
//	step 4, g = (0, 0): the momentum alone decides
//	  p*0.95 = (0.72401875, 0.90499375)
//	  c = 0.9*m = (-0.0045882, -0.0043659), sign (-1, -1)
//	  p = (0.82401875, 1.00499375)
func TestLionHandWorked(t *testing.T) {
	opt, _, err := New("lion", Values{"lr": {0.1}, "weight_decay": {0.5}})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct{ g, want landscape.Vec }{
		{landscape.Vec{X: 2, Y: -1}, landscape.Vec{X: 0.85, Y: 1.05}},
		{landscape.Vec{X: -3, Y: 0.5}, landscape.Vec{X: 0.9075, Y: 0.8975}},
		{landscape.Vec{X: 0.5, Y: 0}, landscape.Vec{X: 0.762125, Y: 0.952625}},
		{landscape.Vec{X: 0, Y: 0}, landscape.Vec{X: 0.82401875, Y: 1.00499375}},
	}
	p := landscape.Vec{X: 1, Y: 1}
	for i, s := range steps {
		p = opt.Step(p, s.g)
		if !near(p.X, s.want.X) || !near(p.Y, s.want.Y) {
			t.Fatalf("step %d: got %v, want %v", i+1, p, s.want)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-14*math.Max(1, math.Abs(b)) }

// TestLionSign covers the edges of sign: a zero interpolation does not
// move (torch.sign(0) = 0), a NaN gradient propagates instead of freezing
// the point, and without weight decay every move is exactly lr.
func TestLionSign(t *testing.T) {
	opt, _, _ := New("lion", Values{"lr": {0.25}})
	p := opt.Step(landscape.Vec{X: 3, Y: -2}, landscape.Vec{X: 0, Y: 7})
	if p != (landscape.Vec{X: 3, Y: -2.25}) {
		t.Fatalf("got %v, want (3, -2.25)", p)
	}
	p = opt.Step(p, landscape.Vec{X: math.NaN(), Y: 1})
	if !math.IsNaN(p.X) || p.Y != -2.5 {
		t.Fatalf("got %v, want (NaN, -2.5)", p)
	}
}
