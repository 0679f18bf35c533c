package optim

import (
	"math"

	"github.com/basin-dev/basin/internal/landscape"
)

// nadam is torch.optim.NAdam: Adam with Nesterov momentum and Dozat's
// momentum schedule, following the rule PyTorch documents (and implements
// since 2.0).
//
// Per coordinate, with t the step (from 1):
//
//	g = g + weight_decay*p                       (if weight_decay != 0)
//	mu_t = beta1*(1 - 0.5*0.96^(t*momentum_decay));  P_t = P_{t-1}*mu_t  (P_0 = 1)
//	m = beta1*m + (1-beta1)*g
//	v = beta2*v + (1-beta2)*g*g
//	d = sqrt(v)/sqrt(1-beta2^t) + eps
//	p = p - lr*(1-mu_t)/(1-P_t) * g/d - lr*mu_{t+1}/(1-P_t*mu_{t+1}) * m/d
//
// PyTorch 1.13's default single-tensor path wrote the last denominator as
// 1 - P_t*mu_t*mu_{t+1} (fixed upstream in pytorch PR #92699); its
// multi-tensor (foreach) path already matched the documentation, and its
// operation order is the one followed here, rounded as PyTorch rounds it
// (torchmath.go).
//
// Hyperparameters: lr > 0; betas each in [0, 1); eps >= 0;
// weight_decay >= 0; momentum_decay >= 0.
type nadam struct {
	lr, beta1, beta2, eps, weightDecay, momentumDecay float64
	t, muProduct                                      float64
	sched                                             schedulePow
	schedNext                                         float64 // 0.96^(t*momentum_decay) for the coming step
	pow2                                              powSeq  // beta2^t
	m, v                                              landscape.Vec
}

var nadamInfo = Info{
	Name:    "nadam",
	Display: "NAdam",
	Doc: "NAdam is Adam with Nesterov momentum: each step already looks ahead along the momentum direction, " +
		"so it reacts to a bend in the valley one step earlier than Adam and usually overshoots less. " +
		"Its momentum is also warmed up very slowly (momentum_decay): with the default 0.004 the factor mu_t starts at half of beta1 and is still only about 0.58 of beta1 after 1,000 steps, which keeps the start cautious.",
	Rule: "g = grad + weight_decay*p; mu_t = beta1*(1 - 0.5*0.96^(t*momentum_decay)); P_t = mu_1*...*mu_t; " +
		"m = beta1*m + (1-beta1)*g; v = beta2*v + (1-beta2)*g^2; d = sqrt(v)/sqrt(1-beta2^t) + eps; " +
		"p = p - lr*(1-mu_t)/(1-P_t)*g/d - lr*mu_(t+1)/(1-P_t*mu_(t+1))*m/d",
	Params: []Param{
		lrParam(2e-3),
		betasParam(0.9, 0.999, true),
		epsParam(1e-8),
		weightDecayParam(0),
		{Name: "momentum_decay", Kind: Number, Default: []float64{4e-3}, Min: 0, Max: math.Inf(1), Scale: Linear,
			Doc: "How fast the momentum schedule warms up toward beta1; 0 holds it at beta1/2."},
	},
}

// lnScheduleBase is ln 0.96 (of the float64 nearest 0.96) as a
// double-double: 0.96 is the base of Dozat's momentum schedule
// mu_t = beta1*(1 - 0.5*0.96^(t*momentum_decay)).
var lnScheduleBase = dd{-0.040821994520255166, -8.893492737632459e-19}

func newNAdam(v Values) Optimizer {
	o := &nadam{
		lr:            v["lr"][0],
		beta1:         v["betas"][0],
		beta2:         v["betas"][1],
		eps:           v["eps"][0],
		weightDecay:   v["weight_decay"][0],
		momentumDecay: v["momentum_decay"][0],
		muProduct:     1,
		sched:         newSchedulePow(lnScheduleBase),
		pow2:          newPowSeq(v["betas"][1]),
	}
	o.schedNext = o.sched.advance(o.momentumDecay) // t = 1
	return o
}

func (o *nadam) SetLR(lr float64) { o.lr = lr }

func (o *nadam) Step(p, g landscape.Vec) landscape.Vec {
	o.t++
	bc2Sqrt := math.Sqrt(1 - o.pow2.next())
	sched := o.schedNext
	o.schedNext = o.sched.advance(float64((o.t + 1) * o.momentumDecay))
	mu := float64(o.beta1 * (1 - float64(0.5*sched)))
	muNext := float64(o.beta1 * (1 - float64(0.5*o.schedNext)))
	o.muProduct = float64(o.muProduct * mu)
	sizeGrad := float64(o.lr*(1-mu)/(1-o.muProduct)) * -1
	sizeAvg := float64(o.lr*muNext/(1-float64(o.muProduct*muNext))) * -1
	p.X = o.coord(bc2Sqrt, sizeGrad, sizeAvg, &o.m.X, &o.v.X, p.X, g.X)
	p.Y = o.coord(bc2Sqrt, sizeGrad, sizeAvg, &o.m.Y, &o.v.Y, p.Y, g.Y)
	return p
}

func (o *nadam) coord(bc2Sqrt, sizeGrad, sizeAvg float64, m, v *float64, p, d float64) float64 {
	if o.weightDecay != 0 {
		d = addScaled(d, o.weightDecay, p)
	}
	*m = addScaled(float64(*m*o.beta1), 1-o.beta1, d)
	*v = addcmul(float64(*v*o.beta2), 1-o.beta2, d, d)
	denom := math.Sqrt(*v)/bc2Sqrt + o.eps
	p = addcdiv(p, sizeGrad, d, denom)
	return addcdiv(p, sizeAvg, *m, denom)
}

// State reports lr, step, PyTorch's mu_product (P_t, the product of the
// momentum schedule so far), exp_avg (m), exp_avg_sq (v) and, after the
// first step, effective_lr = lr/(sqrt(v)/sqrt(1-beta2^t) + eps): the
// per-coordinate step size of the latest step, which moved p by
// -effective_lr*((1-mu_t)/(1-P_t)*g + mu_(t+1)/(1-P_t*mu_(t+1))*m), a blend
// of the new gradient and the momentum.
func (o *nadam) State(dst []StateVar) []StateVar {
	dst = append(dst[:0],
		scalarVar("lr", labelLR, o.lr),
		scalarVar("step", labelStep, o.t),
		scalarVar("mu_product", "product of the momentum schedule", o.muProduct),
		StateVar{Name: "exp_avg", Label: "first moment: running average of gradients", Kind: StateGradient, Value: o.m},
		StateVar{Name: "exp_avg_sq", Label: "second moment: running average of squared gradients", Kind: StatePerCoordinate, Value: o.v})
	if o.t > 0 {
		bc2Sqrt := math.Sqrt(1 - o.pow2.hi)
		dst = append(dst, StateVar{Name: "effective_lr", Label: labelEffectiveLR, Kind: StatePerCoordinate, Value: landscape.Vec{
			X: o.lr / (math.Sqrt(o.v.X)/bc2Sqrt + o.eps),
			Y: o.lr / (math.Sqrt(o.v.Y)/bc2Sqrt + o.eps),
		}})
	}
	return dst
}
