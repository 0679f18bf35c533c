package optim

import "math"

// VecOptimizer is one stateful optimizer instance for a parameter vector of
// any length, such as the weights and biases of a model on data. It follows
// the same PyTorch rules as Optimizer: each twin below keeps the 2-D type's
// hyperparameters and calls its per-coordinate update (coord), so a
// 2-element VecOptimizer computes exactly what the 2-D one does, bit for
// bit (TestVecMatchesPlane), and the 2-D hot loop stays as it was.
type VecOptimizer interface {
	// StepVec updates p in place from the gradient g (len(g) == len(p) ==
	// the dimension given to NewVec). It must not allocate.
	StepVec(p, g []float64)
	// SetLR changes the learning rate for the following steps.
	SetLR(lr float64)
}

// NewVec builds a fresh optimizer for dim parameters; name and given are
// validated and resolved as by New, and errors are the same *ParamError.
func NewVec(name string, given Values, dim int) (VecOptimizer, Values, error) {
	if dim < 1 {
		return nil, nil, &ParamError{Param: "dim", Msg: "dimension must be >= 1, got " + formatFloat(float64(dim))}
	}
	opt, resolved, err := New(name, given)
	if err != nil {
		return nil, nil, err
	}
	z := func() []float64 { return make([]float64, dim) }
	switch o := opt.(type) {
	case *sgd:
		return &sgdVec{sgd: o, buf: z()}, resolved, nil
	case *rmsprop:
		return &rmspropVec{rmsprop: o, sq: z(), avg: z(), buf: z()}, resolved, nil
	case *adagrad:
		sum := z()
		for i := range sum {
			sum[i] = o.sum.X // initial_accumulator_value
		}
		return &adagradVec{adagrad: o, sum: sum}, resolved, nil
	case *adam:
		return &adamVec{adam: o, m: z(), v: z(), vmax: z()}, resolved, nil
	case *nadam:
		return &nadamVec{nadam: o, m: z(), v: z()}, resolved, nil
	case *adamax:
		return &adamaxVec{adamax: o, m: z(), u: z()}, resolved, nil
	case *adadelta:
		return &adadeltaVec{adadelta: o, v: z(), a: z()}, resolved, nil
	case *lion:
		return &lionVec{lion: o, m: z()}, resolved, nil
	}
	panic("optim: no vector form for " + name) // every registry entry has one (TestNewVecEveryOptimizer)
}

type sgdVec struct {
	*sgd
	buf []float64
}

func (o *sgdVec) StepVec(p, g []float64) {
	first := !o.started
	o.started = true
	buf := o.buf[:len(p)]
	g = g[:len(p)]
	for i := range p {
		p[i] = o.coord(first, &buf[i], p[i], g[i])
	}
}

type rmspropVec struct {
	*rmsprop
	sq, avg, buf []float64
}

func (o *rmspropVec) StepVec(p, g []float64) {
	o.t++
	sq, avg, buf, g := o.sq[:len(p)], o.avg[:len(p)], o.buf[:len(p)], g[:len(p)]
	for i := range p {
		p[i] = o.coord(&sq[i], &avg[i], &buf[i], p[i], g[i])
	}
}

type adagradVec struct {
	*adagrad
	sum []float64
}

func (o *adagradVec) StepVec(p, g []float64) {
	o.t++
	clr := o.lr / (1 + float64((o.t-1)*o.lrDecay))
	sum, g := o.sum[:len(p)], g[:len(p)]
	for i := range p {
		p[i] = o.coord(clr, &sum[i], p[i], g[i])
	}
}

type adamVec struct {
	*adam
	m, v, vmax []float64
}

func (o *adamVec) StepVec(p, g []float64) {
	o.t++
	if o.decoupled {
		shrink := 1 - float64(o.lr*o.weightDecay)
		for i := range p {
			p[i] = float64(p[i] * shrink)
		}
	}
	stepSize := o.lr / (1 - o.pow1.next())
	bc2Sqrt := math.Sqrt(1 - o.pow2.next())
	m, v, vmax, g := o.m[:len(p)], o.v[:len(p)], o.vmax[:len(p)], g[:len(p)]
	for i := range p {
		p[i] = o.coord(stepSize, bc2Sqrt, &m[i], &v[i], &vmax[i], p[i], g[i])
	}
}

type nadamVec struct {
	*nadam
	m, v []float64
}

func (o *nadamVec) StepVec(p, g []float64) {
	o.t++
	bc2Sqrt := math.Sqrt(1 - o.pow2.next())
	sched := o.schedNext
	o.schedNext = o.sched.advance(float64((o.t + 1) * o.momentumDecay))
	mu := float64(o.beta1 * (1 - float64(0.5*sched)))
	muNext := float64(o.beta1 * (1 - float64(0.5*o.schedNext)))
	o.muProduct = float64(o.muProduct * mu)
	sizeGrad := float64(o.lr*(1-mu)/(1-o.muProduct)) * -1
	sizeAvg := float64(o.lr*muNext/(1-float64(o.muProduct*muNext))) * -1
	m, v, g := o.m[:len(p)], o.v[:len(p)], g[:len(p)]
	for i := range p {
		p[i] = o.coord(bc2Sqrt, sizeGrad, sizeAvg, &m[i], &v[i], p[i], g[i])
	}
}

type adamaxVec struct {
	*adamax
	m, u []float64
}

func (o *adamaxVec) StepVec(p, g []float64) {
	o.t++
	clr := o.lr / (1 - o.pow1.next())
	m, u, g := o.m[:len(p)], o.u[:len(p)], g[:len(p)]
	for i := range p {
		p[i] = o.coord(clr, &m[i], &u[i], p[i], g[i])
	}
}

type adadeltaVec struct {
	*adadelta
	v, a []float64
}

func (o *adadeltaVec) StepVec(p, g []float64) {
	o.t++
	v, a, g := o.v[:len(p)], o.a[:len(p)], g[:len(p)]
	for i := range p {
		p[i] = o.coord(&v[i], &a[i], p[i], g[i])
	}
}

type lionVec struct {
	*lion
	m []float64
}

func (o *lionVec) StepVec(p, g []float64) {
	shrink := 1 - float64(o.lr*o.weightDecay)
	m, g := o.m[:len(p)], g[:len(p)]
	for i := range p {
		p[i] = o.coord(shrink, &m[i], p[i], g[i])
	}
}

// ClipGradNorm is torch.nn.utils.clip_grad_norm_(max_norm) on a gradient
// vector, in place: when the Euclidean norm exceeds maxNorm the vector is
// scaled by maxNorm/(norm+1e-6). For two elements it rounds exactly as the
// 2-D runs do (clipNorm); for more, PyTorch's vectorised norm sums in an
// order of its own, so the result agrees to rounding. It returns the norm
// before clipping.
func ClipGradNorm(g []float64, maxNorm float64) float64 {
	s := 0.0
	for _, x := range g {
		s = math.FMA(x, x, s)
	}
	n := math.Sqrt(s)
	if c := float64(1/(n+clipEps)) * maxNorm; c < 1 {
		for i := range g {
			g[i] *= c
		}
	}
	return n
}
