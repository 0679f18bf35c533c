package optim

import (
	"math"

	"github.com/basin-dev/basin/internal/landscape"
)

// lion is Lion (EvoLved Sign Momentum, Chen et al. 2023, "Symbolic
// Discovery of Optimization Algorithms"): every step moves each coordinate
// by exactly lr, in the direction of the sign of an interpolation between
// the momentum and the gradient.
//
// Per coordinate, following the lion-pytorch reference implementation:
//
//	p = p*(1 - lr*weight_decay)             (decoupled weight decay)
//	p = p - lr*sign(beta1*m + (1-beta1)*g)
//	m = beta2*m + (1-beta2)*g
//
// Hyperparameters: lr > 0 (default 1e-4); betas each in [0, 1] (default
// 0.9, 0.99; the reference allows both ends); weight_decay >= 0 (default 0).
//
// PyTorch 1.13 has no Lion, so it is tested by hand-worked steps; its
// kernels are the same torch ops as the others' (torchmath.go). sign(0) is
// 0 as in torch; sign(NaN) is NaN here (torch gives 0) so that a NaN
// gradient ends a run as diverged instead of freezing the point.
type lion struct {
	lr, beta1, beta2, weightDecay float64
	m                             landscape.Vec
}

var lionInfo = Info{
	Name:    "lion",
	Display: "Lion",
	Doc: "Lion, found by an automated program search at Google (2023), keeps only the sign of a momentum-weighted gradient, " +
		"so every coordinate moves by exactly the learning rate each step: it strides at constant speed across plateaus where gradient methods crawl, " +
		"and it chatters around a minimum with amplitude about lr instead of settling. " +
		"Use a learning rate 3-10x smaller than Adam's.",
	Rule: "p = p*(1 - lr*weight_decay); p = p - lr*sign(beta1*m + (1-beta1)*grad); m = beta2*m + (1-beta2)*grad",
	Params: []Param{
		lrParam(1e-4),
		betasParam(0.9, 0.99, false),
		decoupledWeightDecayParam(0),
	},
}

func newLion(v Values) Optimizer {
	return &lion{
		lr:          v["lr"][0],
		beta1:       v["betas"][0],
		beta2:       v["betas"][1],
		weightDecay: v["weight_decay"][0],
	}
}

func (o *lion) SetLR(lr float64) { o.lr = lr }

func (o *lion) Step(p, g landscape.Vec) landscape.Vec {
	shrink := 1 - float64(o.lr*o.weightDecay)
	p.X = o.coord(shrink, &o.m.X, p.X, g.X)
	p.Y = o.coord(shrink, &o.m.Y, p.Y, g.Y)
	return p
}

func (o *lion) coord(shrink float64, m *float64, p, d float64) float64 {
	p = float64(p * shrink)
	update := sign(addScaled(float64(*m*o.beta1), 1-o.beta1, d))
	p = addScaled(p, -o.lr, update)
	*m = addScaled(float64(*m*o.beta2), 1-o.beta2, d)
	return p
}

// sign is torch.sign except that NaN stays NaN.
func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	case math.IsNaN(x):
		return x
	}
	return 0
}

// State reports lr and exp_avg, the momentum m (the name lion-pytorch
// gives it). There is no per-coordinate step size to derive: every
// coordinate moves by exactly lr (after decay), in the direction of
// -sign(beta1*m + (1-beta1)*g), so the momentum decides only the sign.
func (o *lion) State(dst []StateVar) []StateVar {
	return append(dst[:0],
		scalarVar("lr", labelLR, o.lr),
		StateVar{Name: "exp_avg", Label: "momentum: running average of gradients", Kind: StateGradient, Value: o.m})
}
