package optim

import (
	"math"

	"github.com/basin-dev/basin/internal/landscape"
)

// rmsprop is torch.optim.RMSprop: steps divided by the root of a running
// average of squared gradients, optionally centered and with momentum.
//
// Per coordinate:
//
//	g = g + weight_decay*p                 (if weight_decay != 0)
//	v = alpha*v + (1-alpha)*g*g
//	a = alpha*a + (1-alpha)*g;  r = sqrt(v - a*a)   (centered)
//	r = sqrt(v)                                      (otherwise)
//	r = r + eps
//	b = momentum*b + g/r;  p = p - lr*b    (if momentum > 0)
//	p = p - lr*g/r                         (otherwise)
//
// No bias correction: v starts at 0, so the first steps are large (about
// lr/sqrt(1-alpha) times the gradient's sign).
//
// Hyperparameters: lr > 0; alpha in [0, 1]; eps >= 0; weight_decay >= 0;
// momentum in [0, 1); centered true or false.
//
// The arithmetic follows PyTorch 1.13's _single_tensor_rmsprop operation by
// operation, rounded as PyTorch rounds it (torchmath.go).
type rmsprop struct {
	lr, alpha, eps, weightDecay, momentum float64
	centered                              bool
	sq, avg, buf                          landscape.Vec
	t                                     int // steps taken, for State
}

var rmspropInfo = Info{
	Name:    "rmsprop",
	Display: "RMSprop",
	Doc: "RMSprop divides each coordinate's step by the root of a running average of its recent squared gradients. " +
		"Like Adagrad it evens out badly scaled directions, but because the average forgets old gradients the steps do not shrink forever. " +
		"The centered variant divides by an estimate of the gradient's variance instead, which can be steadier; momentum smooths the steps further.",
	Rule: "g = grad + weight_decay*p; v = alpha*v + (1-alpha)*g^2; r = sqrt(v) (centered: a = alpha*a + (1-alpha)*g, r = sqrt(v - a^2)) + eps; " +
		"p = p - lr*g/r (momentum > 0: b = momentum*b + g/r, p = p - lr*b)",
	Params: []Param{
		lrParam(1e-2),
		{Name: "alpha", Kind: Number, Default: []float64{0.99}, Min: 0, Max: 1, Scale: Linear,
			Doc: "Smoothing constant of the running average of squared gradients; closer to 1 means a longer memory."},
		epsParam(1e-8),
		weightDecayParam(0),
		{Name: "momentum", Kind: Number, Default: []float64{0}, Min: 0, Max: 1, MaxOpen: true, Scale: Linear,
			Doc: "Momentum applied to the scaled steps; 0 turns it off."},
		{Name: "centered", Kind: Bool, Default: []float64{0}, Min: 0, Max: 1, Scale: Linear,
			Doc: "Normalise by the estimated variance of the gradient (subtracting its squared running mean) instead of its raw second moment."},
	},
}

func newRMSprop(v Values) Optimizer {
	return &rmsprop{
		lr:          v["lr"][0],
		alpha:       v["alpha"][0],
		eps:         v["eps"][0],
		weightDecay: v["weight_decay"][0],
		momentum:    v["momentum"][0],
		centered:    v["centered"][0] == 1,
	}
}

func (o *rmsprop) SetLR(lr float64) { o.lr = lr }

func (o *rmsprop) Step(p, g landscape.Vec) landscape.Vec {
	o.t++
	p.X = o.coord(&o.sq.X, &o.avg.X, &o.buf.X, p.X, g.X)
	p.Y = o.coord(&o.sq.Y, &o.avg.Y, &o.buf.Y, p.Y, g.Y)
	return p
}

func (o *rmsprop) coord(sq, avg, buf *float64, p, d float64) float64 {
	if o.weightDecay != 0 {
		d = addScaled(d, o.weightDecay, p)
	}
	*sq = addcmul(float64(*sq*o.alpha), 1-o.alpha, d, d)
	var r float64
	if o.centered {
		*avg = addScaled(float64(*avg*o.alpha), 1-o.alpha, d)
		r = math.Sqrt(addcmul(*sq, -1, *avg, *avg))
	} else {
		r = math.Sqrt(*sq)
	}
	r = r + o.eps
	if o.momentum > 0 {
		*buf = addcdiv(float64(*buf*o.momentum), 1, d, r)
		return addScaled(p, -o.lr, *buf)
	}
	return addcdiv(p, -o.lr, d, r)
}

// State reports lr, step, PyTorch's square_avg, grad_avg (centered only),
// momentum_buffer and velocity = -lr*momentum_buffer (momentum only: the
// whole update, p = p + velocity) and, after the first step, effective_lr
// = lr/r with r = sqrt(square_avg) (centered: sqrt(square_avg -
// grad_avg^2)) + eps: the factor the latest step multiplied each
// coordinate's gradient by (update = -effective_lr*g without momentum;
// with momentum that is the new gradient's share of the velocity).
func (o *rmsprop) State(dst []StateVar) []StateVar {
	dst = append(dst[:0],
		scalarVar("lr", labelLR, o.lr),
		scalarVar("step", labelStep, float64(o.t)),
		StateVar{Name: "square_avg", Label: "running average of squared gradients", Kind: StatePerCoordinate, Value: o.sq})
	if o.centered {
		dst = append(dst, StateVar{Name: "grad_avg", Label: "running average of gradients", Kind: StateGradient, Value: o.avg})
	}
	if o.momentum > 0 {
		dst = append(dst,
			StateVar{Name: "momentum_buffer", Label: "momentum buffer: decaying sum of scaled gradients", Kind: StateGradient, Value: o.buf},
			StateVar{Name: "velocity", Label: labelVelocity, Kind: StateDisplacement, Value: o.buf.Scale(-o.lr)})
	}
	if o.t > 0 {
		dst = append(dst, StateVar{Name: "effective_lr", Label: labelEffectiveLR, Kind: StatePerCoordinate, Value: landscape.Vec{
			X: o.lr / o.denom(o.sq.X, o.avg.X),
			Y: o.lr / o.denom(o.sq.Y, o.avg.Y),
		}})
	}
	return dst
}

// denom is r of the latest step, computed as Step computes it.
func (o *rmsprop) denom(sq, avg float64) float64 {
	if o.centered {
		return math.Sqrt(addcmul(sq, -1, avg, avg)) + o.eps
	}
	return math.Sqrt(sq) + o.eps
}
