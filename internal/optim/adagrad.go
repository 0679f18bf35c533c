package optim

import (
	"math"

	"github.com/basin-dev/basin/internal/landscape"
)

// adagrad is torch.optim.Adagrad: each coordinate's step is divided by the
// root of the sum of all its past squared gradients.
//
// Per coordinate, with t the step (from 1):
//
//	g = g + weight_decay*p          (if weight_decay != 0)
//	clr = lr / (1 + (t-1)*lr_decay)
//	s = s + g*g                     (s starts at initial_accumulator_value)
//	p = p - clr*g / (sqrt(s) + eps)
//
// Hyperparameters: lr > 0; lr_decay >= 0; weight_decay >= 0;
// initial_accumulator_value >= 0; eps >= 0.
//
// The arithmetic follows PyTorch 1.13's _single_tensor_adagrad operation by
// operation, rounded as PyTorch rounds it (torchmath.go).
type adagrad struct {
	lr, lrDecay, weightDecay, eps float64
	t                             float64
	sum                           landscape.Vec
}

var adagradInfo = Info{
	Name:    "adagrad",
	Display: "Adagrad",
	Doc: "Adagrad gives every coordinate its own learning rate: it divides each step by the root of the sum of all squared gradients seen so far in that coordinate. " +
		"Steep directions are slowed down and shallow ones keep moving, which helps on badly scaled problems and sparse features. " +
		"Because the sum only grows, the steps shrink forever, so it can stall before reaching a minimum on long runs.",
	Rule: "g = grad + weight_decay*p; clr = lr/(1 + (t-1)*lr_decay); s = s + g^2; p = p - clr*g/(sqrt(s) + eps)",
	Params: []Param{
		lrParam(1e-2),
		{Name: "lr_decay", Kind: Number, Default: []float64{0}, Min: 0, Max: math.Inf(1), Scale: Linear,
			Doc: "Shrinks the learning rate over time: step t uses lr/(1 + (t-1)*lr_decay)."},
		weightDecayParam(0),
		{Name: "initial_accumulator_value", Kind: Number, Default: []float64{0}, Min: 0, Max: math.Inf(1), Scale: Linear,
			Doc: "Starting value of the sum of squared gradients; a positive value makes the first steps smaller."},
		epsParam(1e-10),
	},
}

func newAdagrad(v Values) Optimizer {
	s := v["initial_accumulator_value"][0]
	return &adagrad{
		lr:          v["lr"][0],
		lrDecay:     v["lr_decay"][0],
		weightDecay: v["weight_decay"][0],
		eps:         v["eps"][0],
		sum:         landscape.Vec{X: s, Y: s},
	}
}

func (o *adagrad) SetLR(lr float64) { o.lr = lr }

func (o *adagrad) Step(p, g landscape.Vec) landscape.Vec {
	o.t++
	clr := o.lr / (1 + float64((o.t-1)*o.lrDecay))
	p.X = o.coord(clr, &o.sum.X, p.X, g.X)
	p.Y = o.coord(clr, &o.sum.Y, p.Y, g.Y)
	return p
}

func (o *adagrad) coord(clr float64, sum *float64, p, d float64) float64 {
	if o.weightDecay != 0 {
		d = addScaled(d, o.weightDecay, p)
	}
	*sum = addcmul(*sum, 1, d, d)
	std := math.Sqrt(*sum) + o.eps
	return addcdiv(p, -clr, d, std)
}

// State reports lr, step, PyTorch's sum (initial_accumulator_value plus
// every squared gradient so far) and, after the first step, effective_lr =
// clr/(sqrt(sum)+eps) with clr = lr/(1+(step-1)*lr_decay): the factor the
// latest step multiplied each coordinate's gradient by (update =
// -effective_lr*g, weight decay included in g), which only shrinks.
func (o *adagrad) State(dst []StateVar) []StateVar {
	dst = append(dst[:0],
		scalarVar("lr", labelLR, o.lr),
		scalarVar("step", labelStep, o.t),
		StateVar{Name: "sum", Label: "sum of squared gradients", Kind: StatePerCoordinate, Value: o.sum})
	if o.t > 0 {
		clr := o.lr / (1 + float64((o.t-1)*o.lrDecay))
		dst = append(dst, StateVar{Name: "effective_lr", Label: labelEffectiveLR, Kind: StatePerCoordinate, Value: landscape.Vec{
			X: clr / (math.Sqrt(o.sum.X) + o.eps),
			Y: clr / (math.Sqrt(o.sum.Y) + o.eps),
		}})
	}
	return dst
}
