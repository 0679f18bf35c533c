package optim

import (
	"math"

	"github.com/basin-dev/basin/internal/landscape"
)

// adadelta is torch.optim.Adadelta: steps whose size is the ratio of the
// running RMS of past updates to the running RMS of past gradients, so it
// needs no learning rate in principle (lr only scales the result).
//
// Per coordinate:
//
//	g = g + weight_decay*p              (if weight_decay != 0)
//	v = rho*v + (1-rho)*g*g
//	d = sqrt(a + eps)/sqrt(v + eps) * g
//	a = rho*a + (1-rho)*d*d
//	p = p - lr*d
//
// Hyperparameters: lr > 0 (default 1); rho in [0, 1]; eps >= 0;
// weight_decay >= 0.
//
// The arithmetic follows PyTorch 1.13's _single_tensor_adadelta operation by
// operation, rounded as PyTorch rounds it (torchmath.go).
type adadelta struct {
	lr, rho, eps, weightDecay float64
	v, a                      landscape.Vec
	t                         int // steps taken, for State
}

var adadeltaInfo = Info{
	Name:    "adadelta",
	Display: "Adadelta",
	Doc: "Adadelta fixes Adagrad's ever-shrinking steps by using running averages, and makes each step's size the ratio of recent update sizes to recent gradient sizes, " +
		"so the units work out without a hand-tuned learning rate. " +
		"It starts very slowly (its first updates are about sqrt(eps) in size) and then accelerates, which the paths show clearly.",
	Rule: "g = grad + weight_decay*p; v = rho*v + (1-rho)*g^2; d = sqrt(a + eps)/sqrt(v + eps)*g; a = rho*a + (1-rho)*d^2; p = p - lr*d",
	Params: []Param{
		lrParam(1.0),
		{Name: "rho", Kind: Number, Default: []float64{0.9}, Min: 0, Max: 1, Scale: Linear,
			Doc: "Decay rate of the running averages of squared gradients and squared updates."},
		epsParam(1e-6),
		weightDecayParam(0),
	},
}

func newAdadelta(v Values) Optimizer {
	return &adadelta{
		lr:          v["lr"][0],
		rho:         v["rho"][0],
		eps:         v["eps"][0],
		weightDecay: v["weight_decay"][0],
	}
}

func (o *adadelta) SetLR(lr float64) { o.lr = lr }

func (o *adadelta) Step(p, g landscape.Vec) landscape.Vec {
	o.t++
	p.X = o.coord(&o.v.X, &o.a.X, p.X, g.X)
	p.Y = o.coord(&o.v.Y, &o.a.Y, p.Y, g.Y)
	return p
}

func (o *adadelta) coord(v, a *float64, p, d float64) float64 {
	if o.weightDecay != 0 {
		d = addScaled(d, o.weightDecay, p)
	}
	*v = addcmul(float64(*v*o.rho), 1-o.rho, d, d)
	std := math.Sqrt(*v + o.eps)
	delta := float64(math.Sqrt(*a+o.eps) / std * d)
	*a = addcmul(float64(*a*o.rho), 1-o.rho, delta, delta)
	return addScaled(p, -o.lr, delta)
}

// State reports lr, step, PyTorch's square_avg (running average of g^2),
// acc_delta (running average of squared updates) and, after the first
// step, effective_lr = lr*sqrt(acc_delta+eps)/sqrt(square_avg+eps): the
// ratio of the RMS of recent updates to the RMS of recent gradients that
// gives Adadelta its step sizes, from the accumulators as they stand. The
// latest step used acc_delta before its own update was averaged in, so its
// move was -lr*sqrt(old acc_delta+eps)/sqrt(square_avg+eps)*g; this is the
// factor the next step would apply with square_avg unchanged.
func (o *adadelta) State(dst []StateVar) []StateVar {
	dst = append(dst[:0],
		scalarVar("lr", labelLR, o.lr),
		scalarVar("step", labelStep, float64(o.t)),
		StateVar{Name: "square_avg", Label: "running average of squared gradients", Kind: StatePerCoordinate, Value: o.v},
		StateVar{Name: "acc_delta", Label: "running average of squared updates", Kind: StatePerCoordinate, Value: o.a})
	if o.t > 0 {
		dst = append(dst, StateVar{Name: "effective_lr", Label: labelEffectiveLR, Kind: StatePerCoordinate, Value: landscape.Vec{
			X: o.lr * (math.Sqrt(o.a.X+o.eps) / math.Sqrt(o.v.X+o.eps)),
			Y: o.lr * (math.Sqrt(o.a.Y+o.eps) / math.Sqrt(o.v.Y+o.eps)),
		}})
	}
	return dst
}
