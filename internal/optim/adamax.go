package optim

import (
	"math"

	"github.com/basin-dev/basin/internal/landscape"
)

// adamax is torch.optim.Adamax: Adam with the second moment replaced by an
// exponentially weighted infinity norm.
//
// Per coordinate, with t the step (from 1):
//
//	g = g + weight_decay*p              (if weight_decay != 0)
//	m = beta1*m + (1-beta1)*g
//	u = max(beta2*u, |g| + eps)
//	p = p - (lr/(1-beta1^t)) * m/u
//
// Hyperparameters: lr > 0; betas each in [0, 1); eps >= 0;
// weight_decay >= 0.
//
// The arithmetic follows PyTorch 1.13's _single_tensor_adamax operation by
// operation, rounded as PyTorch rounds it (torchmath.go).
type adamax struct {
	lr, beta1, beta2, eps, weightDecay float64
	pow1                               powSeq // beta1^t
	m, u                               landscape.Vec
	t                                  int // steps taken, for State
}

var adamaxInfo = Info{
	Name:    "adamax",
	Display: "Adamax",
	Doc: "Adamax is the variant of Adam from the same paper that scales each coordinate by a decaying maximum of past gradient magnitudes instead of a root-mean-square. " +
		"A single huge gradient then sets the scale for a while rather than being averaged in, which makes its steps steadier where gradients vary wildly.",
	Rule: "g = grad + weight_decay*p; m = beta1*m + (1-beta1)*g; u = max(beta2*u, |g| + eps); p = p - lr/(1-beta1^t) * m/u",
	Params: []Param{
		lrParam(2e-3),
		betasParam(0.9, 0.999, true),
		epsParam(1e-8),
		weightDecayParam(0),
	},
}

func newAdamax(v Values) Optimizer {
	return &adamax{
		lr:          v["lr"][0],
		beta1:       v["betas"][0],
		beta2:       v["betas"][1],
		eps:         v["eps"][0],
		weightDecay: v["weight_decay"][0],
		pow1:        newPowSeq(v["betas"][0]),
	}
}

func (o *adamax) SetLR(lr float64) { o.lr = lr }

func (o *adamax) Step(p, g landscape.Vec) landscape.Vec {
	o.t++
	clr := o.lr / (1 - o.pow1.next())
	p.X = o.coord(clr, &o.m.X, &o.u.X, p.X, g.X)
	p.Y = o.coord(clr, &o.m.Y, &o.u.Y, p.Y, g.Y)
	return p
}

func (o *adamax) coord(clr float64, m, u *float64, p, d float64) float64 {
	if o.weightDecay != 0 {
		d = addScaled(d, o.weightDecay, p)
	}
	*m = addScaled(float64(*m*o.beta1), 1-o.beta1, d)
	*u = math.Max(float64(*u*o.beta2), math.Abs(d)+o.eps)
	return addcdiv(p, -clr, *m, *u)
}

// State reports lr, step, PyTorch's exp_avg (m), exp_inf (u, the decaying
// maximum of |g|) and, after the first step, effective_lr =
// (lr/(1-beta1^t))/u: the per-coordinate step size of the latest step,
// which moved p by -effective_lr*m.
func (o *adamax) State(dst []StateVar) []StateVar {
	dst = append(dst[:0],
		scalarVar("lr", labelLR, o.lr),
		scalarVar("step", labelStep, float64(o.t)),
		StateVar{Name: "exp_avg", Label: "first moment: running average of gradients", Kind: StateGradient, Value: o.m},
		StateVar{Name: "exp_inf", Label: "decaying maximum of gradient magnitudes", Kind: StatePerCoordinate, Value: o.u})
	if o.t > 0 {
		clr := o.lr / (1 - o.pow1.hi)
		dst = append(dst, StateVar{Name: "effective_lr", Label: labelEffectiveLR, Kind: StatePerCoordinate, Value: landscape.Vec{
			X: clr / o.u.X,
			Y: clr / o.u.Y,
		}})
	}
	return dst
}
