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

// adamPlan is everything the fast engines need to replay optim's Adam (and
// AdamW) for many cells at once. Quantities that depend only on the step
// (the learning rate from the schedule, the bias corrections, AdamW's
// shrink factor) are the same for every cell, so they are computed once per
// map, by the very expressions optim's adam.Step evaluates.
type adamPlan struct {
	cfg                          BasinConfig
	beta1, beta2, eps, wd        float64
	oneMinusBeta1, oneMinusBeta2 float64
	amsgrad, decoupled           bool
	// Per step k (index k-1): -lr/(1-beta1^k), sqrt(1-beta2^k) and AdamW's
	// 1 - lr*weight_decay.
	negStepSize, bc2Sqrt, shrink []float64
	batch                        BatchGrad
	vec                          *vecGrad // nil: no SIMD gradient
}

// newAdamPlan prepares the fast engines for cfg, or says why they cannot
// run it. They serve Adam and AdamW without gradient noise or clipping
// (noise needs one random stream per cell; both are rare in a basin map).
func newAdamPlan(cfg BasinConfig) (*adamPlan, error) {
	if cfg.Optimizer != "adam" && cfg.Optimizer != "adamw" {
		return nil, errors.New("fast engines run adam and adamw only")
	}
	if cfg.Noise != 0 || cfg.ClipNorm != 0 {
		return nil, errors.New("fast engines run without gradient noise or clipping")
	}
	_, v, err := optim.New(cfg.Optimizer, cfg.Values)
	if err != nil {
		return nil, err
	}
	p := &adamPlan{
		cfg:       cfg,
		beta1:     v["betas"][0],
		beta2:     v["betas"][1],
		eps:       v["eps"][0],
		wd:        v["weight_decay"][0],
		amsgrad:   v["amsgrad"][0] == 1,
		decoupled: cfg.Optimizer == "adamw",
		batch:     batchOf(cfg.Func),
		vec:       vecGradOf(cfg.Func),
	}
	p.oneMinusBeta1, p.oneMinusBeta2 = 1-p.beta1, 1-p.beta2
	lrs := make([]float64, cfg.Steps)
	for k := range lrs {
		lrs[k] = v["lr"][0]
		if cfg.Schedule != nil {
			lrs[k] = cfg.Schedule.LR(cfg.LR, k) // Run's opt.SetLR before step k+1
		}
	}
	p.negStepSize = make([]float64, cfg.Steps)
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
type lockStepEngine struct{ p *adamPlan }

func (e lockStepEngine) newWorker() rowWorker {
	n := e.p.cfg.N
	w := &lockStepWorker{p: e.p, settled: make([]int32, n), done: make([]bool, n)}
	for _, s := range []*[]float64{&w.x, &w.y, &w.qx, &w.qy, &w.loss, &w.gx, &w.gy, &w.mx, &w.my, &w.vx, &w.vy, &w.wx, &w.wy} {
		*s = make([]float64, n)
	}
	return w
}

type lockStepWorker struct {
	p                                          *adamPlan
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
	b1, b2, c1, c2, eps, wd := p.beta1, p.beta2, p.oneMinusBeta1, p.oneMinusBeta2, p.eps, p.wd
	coupledWD := !p.decoupled && wd != 0
	for k := 1; k <= cfg.Steps; k++ {
		if k%ctxCheckSteps == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		clearUpper()
		nst, bc, sh := p.negStepSize[k-1], p.bc2Sqrt[k-1], p.shrink[k-1]
		for i := range n {
			if w.done[i] {
				continue
			}
			// optim's adam.Step and adam.coord, one coordinate at a time,
			// with the same explicit fused multiply-adds (torch's add with
			// alpha and addcmul) and the same separate roundings elsewhere.
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
		p.batch.ValueGradN(w.qx[:n], w.qy[:n], w.loss, w.gx, w.gy)
		for i := range n {
			if w.done[i] {
				continue
			}
			q := landscape.Vec{X: w.qx[i], Y: w.qy[i]}
			if st, keep := stopStatus(q, w.loss[i]); st != optim.NotConverged {
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

// finalCell is the cell of a run that spent its whole budget at end point
// end, at rest since step settled (-1: moving at the end).
func finalCell(cfg *BasinConfig, end landscape.Vec, settled int32) Cell {
	if settled < 0 {
		return Cell{End: end, Status: optim.NotConverged, Step: int32(cfg.Steps), Reached: -1}
	}
	return Cell{End: end, Status: optim.Converged, Step: settled, Reached: nearestIndex(cfg.Critical, end)}
}
