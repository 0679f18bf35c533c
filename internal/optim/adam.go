package optim

import (
	"math"

	"github.com/basin-dev/basin/internal/landscape"
)

// adam is torch.optim.Adam and, with decoupled set, torch.optim.AdamW:
// bias-corrected running averages of the gradient and its square.
//
// Per coordinate, with t the step (from 1):
//
//	p = p*(1 - lr*weight_decay)       (AdamW only: decoupled decay)
//	g = g + weight_decay*p            (Adam only, if weight_decay != 0)
//	m = beta1*m + (1-beta1)*g
//	v = beta2*v + (1-beta2)*g*g
//	vmax = max(vmax, v)               (amsgrad; then v below means vmax)
//	p = p - (lr/(1-beta1^t)) * m / (sqrt(v)/sqrt(1-beta2^t) + eps)
//
// Hyperparameters: lr > 0; betas each in [0, 1); eps >= 0;
// weight_decay >= 0 (Adam default 0, AdamW default 0.01); amsgrad true or
// false.
//
// The arithmetic follows PyTorch 1.13's _single_tensor_adam and
// _single_tensor_adamw operation by operation, rounded as PyTorch rounds it
// (torchmath.go; beta^t is correctly rounded, as Python's ** gives it).
type adam struct {
	lr, beta1, beta2, eps, weightDecay float64
	amsgrad, decoupled                 bool
	pow1, pow2                         powSeq // beta1^t, beta2^t
	m, v, vmax                         landscape.Vec
	t                                  int // steps taken, for State
}

var adamInfo = Info{
	Name:    "adam",
	Display: "Adam",
	Doc: "Adam combines momentum (a running average of the gradient) with RMSprop's per-coordinate scaling (a running average of the squared gradient), " +
		"and corrects both averages for starting at zero. Each step is then roughly lr in size whatever the gradient's scale, " +
		"which makes it a robust default on badly scaled problems; it can however hover or orbit near a minimum instead of settling. " +
		"AMSGrad keeps the largest second moment seen so far, so step sizes never grow again.",
	Rule: "g = grad + weight_decay*p; m = beta1*m + (1-beta1)*g; v = beta2*v + (1-beta2)*g^2 (amsgrad: v = max of all v so far); " +
		"p = p - lr/(1-beta1^t) * m/(sqrt(v)/sqrt(1-beta2^t) + eps)",
	Params: []Param{
		lrParam(1e-3),
		betasParam(0.9, 0.999, true),
		epsParam(1e-8),
		weightDecayParam(0),
		amsgradParam,
	},
}

var adamwInfo = Info{
	Name:    "adamw",
	Display: "AdamW",
	Doc: "AdamW is Adam with decoupled weight decay: instead of adding an L2 penalty to the gradient (which Adam's scaling then distorts), " +
		"it shrinks the parameters directly by a factor (1 - lr*weight_decay) each step. " +
		"On a landscape this pulls the path gently toward the origin; in deep learning it regularises more predictably than Adam with weight decay.",
	Rule: "p = p*(1 - lr*weight_decay); m = beta1*m + (1-beta1)*grad; v = beta2*v + (1-beta2)*grad^2 (amsgrad: v = max of all v so far); " +
		"p = p - lr/(1-beta1^t) * m/(sqrt(v)/sqrt(1-beta2^t) + eps)",
	Params: []Param{
		lrParam(1e-3),
		betasParam(0.9, 0.999, true),
		epsParam(1e-8),
		decoupledWeightDecayParam(1e-2),
		amsgradParam,
	},
}

var amsgradParam = Param{Name: "amsgrad", Kind: Bool, Default: []float64{0}, Min: 0, Max: 1, Scale: Linear,
	Doc: "Use the maximum of all past second moments instead of the current one, so the effective step size never increases (Reddi et al. 2018)."}

func newAdam(v Values) Optimizer {
	return &adam{
		lr:          v["lr"][0],
		beta1:       v["betas"][0],
		beta2:       v["betas"][1],
		eps:         v["eps"][0],
		weightDecay: v["weight_decay"][0],
		amsgrad:     v["amsgrad"][0] == 1,
		pow1:        newPowSeq(v["betas"][0]),
		pow2:        newPowSeq(v["betas"][1]),
	}
}

func newAdamW(v Values) Optimizer {
	o := newAdam(v).(*adam)
	o.decoupled = true
	return o
}

func (o *adam) SetLR(lr float64) { o.lr = lr }

func (o *adam) Step(p, g landscape.Vec) landscape.Vec {
	o.t++
	if o.decoupled {
		shrink := 1 - float64(o.lr*o.weightDecay)
		p.X = float64(p.X * shrink)
		p.Y = float64(p.Y * shrink)
	}
	stepSize := o.lr / (1 - o.pow1.next())
	bc2Sqrt := math.Sqrt(1 - o.pow2.next())
	p.X = o.coord(stepSize, bc2Sqrt, &o.m.X, &o.v.X, &o.vmax.X, p.X, g.X)
	p.Y = o.coord(stepSize, bc2Sqrt, &o.m.Y, &o.v.Y, &o.vmax.Y, p.Y, g.Y)
	return p
}

func (o *adam) coord(stepSize, bc2Sqrt float64, m, v, vmax *float64, p, d float64) float64 {
	if !o.decoupled && o.weightDecay != 0 {
		d = addScaled(d, o.weightDecay, p)
	}
	*m = addScaled(float64(*m*o.beta1), 1-o.beta1, d)
	*v = addcmul(float64(*v*o.beta2), 1-o.beta2, d, d)
	second := *v
	if o.amsgrad {
		*vmax = math.Max(*vmax, *v)
		second = *vmax
	}
	denom := math.Sqrt(second)/bc2Sqrt + o.eps
	return addcdiv(p, -stepSize, *m, denom)
}

// State reports lr, step, PyTorch's exp_avg (m), exp_avg_sq (v),
// max_exp_avg_sq (amsgrad only) and, after the first step, effective_lr =
// (lr/(1-beta1^t)) / (sqrt(v)/sqrt(1-beta2^t) + eps), v being
// max_exp_avg_sq with amsgrad: the per-coordinate step size of the latest
// step, which moved p by -effective_lr*m (after AdamW's decay). It is about
// lr/|g| where gradients are steady, so a steep coordinate takes no bigger a
// step than a shallow one.
func (o *adam) State(dst []StateVar) []StateVar {
	dst = append(dst[:0],
		scalarVar("lr", labelLR, o.lr),
		scalarVar("step", labelStep, float64(o.t)),
		StateVar{Name: "exp_avg", Label: "first moment: running average of gradients", Kind: StateGradient, Value: o.m},
		StateVar{Name: "exp_avg_sq", Label: "second moment: running average of squared gradients", Kind: StatePerCoordinate, Value: o.v})
	second := o.v
	if o.amsgrad {
		second = o.vmax
		dst = append(dst, StateVar{Name: "max_exp_avg_sq", Label: "largest second moment so far", Kind: StatePerCoordinate, Value: o.vmax})
	}
	if o.t > 0 {
		// The powers are those of the latest step, so these are the
		// scalars Step used.
		stepSize := o.lr / (1 - o.pow1.hi)
		bc2Sqrt := math.Sqrt(1 - o.pow2.hi)
		dst = append(dst, StateVar{Name: "effective_lr", Label: labelEffectiveLR, Kind: StatePerCoordinate, Value: landscape.Vec{
			X: stepSize / (math.Sqrt(second.X)/bc2Sqrt + o.eps),
			Y: stepSize / (math.Sqrt(second.Y)/bc2Sqrt + o.eps),
		}})
	}
	return dst
}
