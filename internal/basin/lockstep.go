package basin

import (
	"context"
	"errors"
	"math"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// ctxCheckSteps is how many lock-step steps pass between context checks: a
// row of 256 cells takes about a microsecond per step, so cancellation is
// noticed within a fraction of a millisecond.
const ctxCheckSteps = 64

// rule is an update rule the fast engines replay.
type rule int

const (
	ruleAdam rule = iota // torch.optim.Adam and AdamW
	ruleSGD              // torch.optim.SGD: momentum, dampening, Nesterov, weight decay
)

// plan is everything the fast engines need to replay one of optim's
// optimizers for many cells at once. Quantities that depend only on the
// step (the learning rate from the schedule, Adam's bias corrections,
// AdamW's shrink factor) are the same for every cell, so they are computed
// once per map, by the very expressions optim's Step methods evaluate.
type plan struct {
	cfg  MapConfig
	rule rule
	wd   float64 // weight_decay
	// Adam and AdamW.
	beta1, beta2, eps            float64
	oneMinusBeta1, oneMinusBeta2 float64
	amsgrad, decoupled           bool
	// SGD.
	momentum, oneMinusDampening float64
	nesterov                    bool
	// Flags the kernels branch on, decided once here: computed in the hot
	// loop from the float64 fields, a test like momentum != 0 compiles to
	// a legacy SSE compare, which the SIMD kernel must not contain (see
	// simd_on.go).
	coupledWD, hasMomentum bool
	// Per step k (index k-1). Adam: -lr/(1-beta1^k), sqrt(1-beta2^k) and
	// AdamW's 1 - lr*weight_decay; SGD: -lr in negStepSize.
	negStepSize, bc2Sqrt, shrink []float64
	batch                        BatchGrad
	vec                          *vecGrad // nil: no SIMD gradient
}

// newPlan prepares the fast engines for cfg, or says why they cannot run
// it. They serve Adam, AdamW and SGD (with any momentum, dampening,
// Nesterov and weight decay) without gradient noise or clipping: noise
// needs one random stream per cell, and both are rare in a basin map.
func newPlan(cfg MapConfig) (*plan, error) {
	var r rule
	switch cfg.Optimizer {
	case "adam", "adamw":
		r = ruleAdam
	case "sgd":
		r = ruleSGD
	default:
		return nil, errors.New("fast engines run adam, adamw and sgd only")
	}
	if cfg.Noise != 0 || cfg.ClipNorm != 0 {
		return nil, errors.New("fast engines run without gradient noise or clipping")
	}
	_, v, err := optim.New(cfg.Optimizer, cfg.Values)
	if err != nil {
		return nil, err
	}
	p := &plan{
		cfg:   cfg,
		rule:  r,
		wd:    v["weight_decay"][0],
		batch: batchOf(cfg.Func),
		vec:   vecGradOf(cfg.Func),
	}
	lrs := make([]float64, cfg.Steps)
	for k := range lrs {
		lrs[k] = v["lr"][0]
		if cfg.Schedule != nil {
			lrs[k] = cfg.Schedule.LR(cfg.LR, k) // Run's opt.SetLR before step k+1
		}
	}
	p.negStepSize = make([]float64, cfg.Steps)
	if r == ruleSGD {
		p.momentum, p.oneMinusDampening = v["momentum"][0], 1-v["dampening"][0]
		p.nesterov = v["nesterov"][0] == 1
		p.coupledWD, p.hasMomentum = p.wd != 0, p.momentum != 0
		for k, lr := range lrs {
			p.negStepSize[k] = -lr // sgd.coord's addScaled(p, -lr, d)
		}
		return p, nil
	}
	p.beta1, p.beta2, p.eps = v["betas"][0], v["betas"][1], v["eps"][0]
	p.amsgrad, p.decoupled = v["amsgrad"][0] == 1, cfg.Optimizer == "adamw"
	p.coupledWD = !p.decoupled && p.wd != 0
	p.oneMinusBeta1, p.oneMinusBeta2 = 1-p.beta1, 1-p.beta2
	p.bc2Sqrt = make([]float64, cfg.Steps)
	p.shrink = make([]float64, cfg.Steps)
	optim.AdamFactors(p.beta1, p.beta2, lrs, p.negStepSize, p.bc2Sqrt)
	for k, lr := range lrs {
		p.negStepSize[k] = -p.negStepSize[k]
		p.shrink[k] = 1 - float64(lr*p.wd) // adam.Step's AdamW shrink
	}
	return p, nil
}

// tolerances returns Run's squared at-rest tolerances, rounded at run time
// as Run rounds them (a constant expression would be exact, then rounded
// once, which can differ in the last bit).
func tolerances() (gtol2, stol2 float64) {
	g, s := float64(optim.GradTol), float64(optim.StepTol)
	return float64(g * g), float64(s * s)
}

// lockStepEngine advances a row of cells together with portable scalar
// code: the row's state lives in flat slices, each step updates every live
// cell, then evaluates the function for the whole row in one batched call.
// Independent cells keep the floating-point units busy where a single run
// waits on the latency of each division and square root.
type lockStepEngine struct{ p *plan }

func (e lockStepEngine) newWorker() rowWorker {
	n := e.p.cfg.N
	w := &lockStepWorker{p: e.p, settled: make([]int32, n), done: make([]bool, n)}
	for _, s := range []*[]float64{&w.x, &w.y, &w.qx, &w.qy, &w.loss, &w.gx, &w.gy, &w.mx, &w.my, &w.vx, &w.vy, &w.wx, &w.wy} {
		*s = make([]float64, n)
	}
	return w
}

type lockStepWorker struct {
	p                                          *plan
	x, y, qx, qy, loss, gx, gy, mx, my, vx, vy []float64
	wx, wy                                     []float64 // AMSGrad's running maxima
	settled                                    []int32   // first step of the current stretch at rest, -1 = moving
	done                                       []bool    // stopped (diverged or left the domain)
}

func (w *lockStepWorker) row(ctx context.Context, r int, out []Cell) error {
	p, cfg := w.p, &w.p.cfg
	n := len(out)
	for i := range n {
		s := cfg.start(i, r)
		w.x[i], w.y[i] = s.X, s.Y
		w.mx[i], w.my[i], w.vx[i], w.vy[i], w.wx[i], w.wy[i] = 0, 0, 0, 0, 0, 0
		w.settled[i], w.done[i] = -1, false
	}
	p.batch.ValueGradN(w.x[:n], w.y[:n], w.loss, w.gx, w.gy)
	for i := range n {
		s := landscape.Vec{X: w.x[i], Y: w.y[i]}
		if st, keep := stopStatus(s, w.loss[i]); st != optim.NotConverged {
			out[i] = Cell{Status: st, Reached: -1}
			if keep {
				out[i].End = s
			}
			w.done[i] = true
		}
	}

	gtol2, stol2 := tolerances()
	bound := float64(optim.DivergenceBound)
	for k := 1; k <= cfg.Steps; k++ {
		if k%ctxCheckSteps == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		clearUpper()
		if p.rule == ruleSGD {
			w.sgdStep(n, k)
		} else {
			w.adamStep(n, k)
		}
		p.batch.ValueGradN(w.qx[:n], w.qy[:n], w.loss, w.gx, w.gy)
		for i := range n {
			if w.done[i] {
				continue
			}
			q := landscape.Vec{X: w.qx[i], Y: w.qy[i]}
			// The common case in one test: |x|+|y| within the bound (false
			// for a non-finite coordinate) and a finite loss (f-f is 0).
			// Anything else takes Run's full rule.
			if l := w.loss[i]; !(math.Abs(q.X)+math.Abs(q.Y) <= bound && l-l == 0) {
				st, keep := stopStatus(q, l)
				out[i] = Cell{End: landscape.Vec{X: w.x[i], Y: w.y[i]}, Status: st, Step: int32(k), Reached: -1}
				if keep {
					out[i].End = q
				}
				w.done[i] = true
				continue
			}
			// optim.Run's at-rest test, with its explicit roundings.
			gx, gy := w.gx[i], w.gy[i]
			dx, dy := q.X-w.x[i], q.Y-w.y[i]
			atRest := float64(gx*gx)+float64(gy*gy) <= gtol2 && float64(dx*dx)+float64(dy*dy) <= stol2
			switch {
			case !atRest:
				w.settled[i] = -1
			case w.settled[i] < 0:
				w.settled[i] = int32(k)
			}
			w.x[i], w.y[i] = q.X, q.Y
		}
	}
	for i := range n {
		if !w.done[i] {
			out[i] = finalCell(cfg, landscape.Vec{X: w.x[i], Y: w.y[i]}, w.settled[i])
		}
	}
	return nil
}

// adamStep computes step k's new points qx, qy of the live cells: optim's
// adam.Step and adam.coord, one coordinate at a time, with the same
// explicit fused multiply-adds (torch's add with alpha and addcmul) and
// the same separate roundings elsewhere.
func (w *lockStepWorker) adamStep(n, k int) {
	p := w.p
	b1, b2, c1, c2, eps, wd := p.beta1, p.beta2, p.oneMinusBeta1, p.oneMinusBeta2, p.eps, p.wd
	coupledWD := !p.decoupled && wd != 0
	nst, bc, sh := p.negStepSize[k-1], p.bc2Sqrt[k-1], p.shrink[k-1]
	for i := range n {
		if w.done[i] {
			continue
		}
		px, py := w.x[i], w.y[i]
		if p.decoupled {
			px *= sh
			py *= sh
		}
		dx, dy := w.gx[i], w.gy[i]
		if coupledWD {
			dx = math.FMA(wd, px, dx)
			dy = math.FMA(wd, py, dy)
		}
		mx := math.FMA(c1, dx, float64(w.mx[i]*b1))
		my := math.FMA(c1, dy, float64(w.my[i]*b1))
		vx := math.FMA(float64(c2*dx), dx, float64(w.vx[i]*b2))
		vy := math.FMA(float64(c2*dy), dy, float64(w.vy[i]*b2))
		w.mx[i], w.my[i], w.vx[i], w.vy[i] = mx, my, vx, vy
		if p.amsgrad {
			w.wx[i] = math.Max(w.wx[i], vx)
			w.wy[i] = math.Max(w.wy[i], vy)
			vx, vy = w.wx[i], w.wy[i]
		}
		w.qx[i] = px + float64(nst*mx)/(math.Sqrt(vx)/bc+eps)
		w.qy[i] = py + float64(nst*my)/(math.Sqrt(vy)/bc+eps)
	}
}

// sgdStep computes step k's new points qx, qy of the live cells: optim's
// sgd.Step and sgd.coord, with the same fused multiply-adds. The momentum
// buffer lives in mx, my; step 1 starts it at the gradient.
func (w *lockStepWorker) sgdStep(n, k int) {
	p := w.p
	nlr, wd, mom, c1d := p.negStepSize[k-1], p.wd, p.momentum, p.oneMinusDampening
	for i := range n {
		if w.done[i] {
			continue
		}
		px, py := w.x[i], w.y[i]
		dx, dy := w.gx[i], w.gy[i]
		if wd != 0 {
			dx = math.FMA(wd, px, dx)
			dy = math.FMA(wd, py, dy)
		}
		if mom != 0 {
			if k == 1 {
				w.mx[i], w.my[i] = dx, dy
			} else {
				w.mx[i] = math.FMA(c1d, dx, float64(w.mx[i]*mom))
				w.my[i] = math.FMA(c1d, dy, float64(w.my[i]*mom))
			}
			if p.nesterov {
				dx = math.FMA(mom, w.mx[i], dx)
				dy = math.FMA(mom, w.my[i], dy)
			} else {
				dx, dy = w.mx[i], w.my[i]
			}
		}
		w.qx[i] = math.FMA(nlr, dx, px)
		w.qy[i] = math.FMA(nlr, dy, py)
	}
}

// finalCell is the cell of a run that spent its whole budget at end point
// end, at rest since step settled (-1: moving at the end).
func finalCell(cfg *MapConfig, end landscape.Vec, settled int32) Cell {
	if settled < 0 {
		return Cell{End: end, Status: optim.NotConverged, Step: int32(cfg.Steps), Reached: -1}
	}
	return Cell{End: end, Status: optim.Converged, Step: settled, Reached: nearestIndex(cfg.Critical, end)}
}
