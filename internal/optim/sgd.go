package optim

import "github.com/basin-dev/basin/internal/landscape"

// sgd is torch.optim.SGD: plain gradient descent, optionally with heavy-ball
// or Nesterov momentum, dampening and L2 weight decay.
//
// Per coordinate, with g the gradient and t the step (from 1):
//
//	g = g + weight_decay*p                      (if weight_decay != 0)
//	b = g at t = 1, else momentum*b + (1-dampening)*g   (if momentum != 0)
//	g = g + momentum*b if nesterov, else g = b  (if momentum != 0)
//	p = p - lr*g
//
// Hyperparameters: lr > 0; momentum in [0, 1); dampening in [0, 1];
// weight_decay >= 0; nesterov needs momentum > 0 and dampening == 0.
//
// The arithmetic follows PyTorch 1.13's _single_tensor_sgd operation by
// operation, each rounded as PyTorch's CPU kernels round it (torchmath.go):
// the results are PyTorch's bit for bit, on every GOARCH and GOAMD64 level.
type sgd struct {
	lr, momentum, dampening, weightDecay float64
	nesterov                             bool
	started                              bool // the momentum buffer holds a value
	buf                                  landscape.Vec
}

var sgdInfo = Info{
	Name:    "sgd",
	Display: "SGD",
	Doc: "Stochastic gradient descent steps straight downhill, a fixed fraction (the learning rate) of the gradient at a time. " +
		"It is the baseline every other method improves on: simple and predictable, but slow in long narrow valleys, where it zig-zags across the walls, " +
		"and stuck wherever the gradient vanishes. Momentum lets it build up speed along a consistent direction and roll through small bumps; " +
		"Nesterov momentum looks ahead along that direction before correcting, which overshoots less.",
	Rule: "g = grad + weight_decay*p; b = momentum*b + (1-dampening)*g (b = g on the first step); " +
		"g = g + momentum*b (nesterov) or g = b (momentum > 0); p = p - lr*g",
	Params: []Param{
		lrParam(sgdDefaultLR),
		{Name: "momentum", Kind: Number, Default: []float64{0}, Min: 0, Max: 1, MaxOpen: true, Scale: Linear,
			Doc: "Fraction of the previous step's velocity kept each step (heavy ball). 0 is plain SGD; 0.9 is the usual choice. Values of 1 or more never forget and are excluded."},
		{Name: "dampening", Kind: Number, Default: []float64{0}, Min: 0, Max: 1, Scale: Linear,
			Doc: "Scales down the new gradient's contribution to the velocity by (1 - dampening). Must be 0 for Nesterov momentum."},
		weightDecayParam(0),
		{Name: "nesterov", Kind: Bool, Default: []float64{0}, Min: 0, Max: 1, Scale: Linear,
			Doc: "Use Nesterov momentum: step with the gradient plus momentum times the updated velocity. Needs momentum > 0 and dampening 0."},
	},
}

// sgdDefaultLR is used when no learning rate is given. PyTorch's SGD has no
// default (lr is required); 0.01 is the common textbook and Keras choice.
const sgdDefaultLR = 0.01

func newSGD(v Values) Optimizer {
	return &sgd{
		lr:          v["lr"][0],
		momentum:    v["momentum"][0],
		dampening:   v["dampening"][0],
		weightDecay: v["weight_decay"][0],
		nesterov:    v["nesterov"][0] == 1,
	}
}

func (o *sgd) SetLR(lr float64) { o.lr = lr }

func (o *sgd) Step(p, g landscape.Vec) landscape.Vec {
	first := !o.started
	o.started = true
	p.X = o.coord(first, &o.buf.X, p.X, g.X)
	p.Y = o.coord(first, &o.buf.Y, p.Y, g.Y)
	return p
}

func (o *sgd) coord(first bool, buf *float64, p, d float64) float64 {
	if o.weightDecay != 0 {
		d = addScaled(d, o.weightDecay, p)
	}
	if o.momentum != 0 {
		if first {
			*buf = d
		} else {
			*buf = addScaled(float64(*buf*o.momentum), 1-o.dampening, d)
		}
		if o.nesterov {
			d = addScaled(d, o.momentum, *buf)
		} else {
			d = *buf
		}
	}
	return addScaled(p, -o.lr, d)
}

// State reports lr and, with momentum, PyTorch's momentum_buffer b and the
// velocity -lr*b: the heavy ball's velocity in the textbook form
// v = momentum*v - lr*g, which is the whole update for heavy-ball momentum
// (p = p + v) and the part Nesterov's update adds to -lr*g times momentum
// (p = p + momentum*v - lr*g), both with dampening 0 and a constant lr.
// Without momentum PyTorch keeps no state and neither does this.
func (o *sgd) State(dst []StateVar) []StateVar {
	dst = append(dst[:0], scalarVar("lr", labelLR, o.lr))
	if o.momentum != 0 {
		dst = append(dst,
			StateVar{Name: "momentum_buffer", Label: "momentum buffer: decaying sum of gradients", Kind: StateGradient, Value: o.buf},
			StateVar{Name: "velocity", Label: labelVelocity, Kind: StateDisplacement, Value: o.buf.Scale(-o.lr)})
	}
	return dst
}
