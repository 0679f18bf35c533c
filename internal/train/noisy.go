package train

import (
	"context"
	"math"

	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

// Minibatch training is noisy: a step follows one batch's gradient, so the
// parameters keep moving even at the bottom of a basin and single steps
// say nothing about rest. It is judged as noisy runs on functions are
// (optim.Settle): the final window's mean and spread in parameter space,
// the basin of a point being where a noise-free descent along the
// full-data gradient from it ends.
//
// The descent is deterministic and bounded by evaluations, never by time:
// limited-memory BFGS with a backtracking (Armijo) line search, each step
// at most descentMoveMax long.
const (
	// descentEvals bounds the full-data loss-and-gradient evaluations of
	// one descent; a descent that has not come to rest by then is on a
	// plateau or heading off, and its point has no basin.
	descentEvals = 2000
	// judgeWork bounds the work of judging one run, in rows × parameters
	// summed over every evaluation (a full-data loss and gradient costs
	// about a nanosecond per row and parameter here, so about half a
	// second of one core, which keeps a page's redraw short): once it
	// is spent the points not yet placed have no basin, and the run is
	// not converged rather than judged on a guess.
	judgeWork = 5e8
	// descentMemory is the number of L-BFGS correction pairs.
	descentMemory = 8
	// descentMoveMax caps a descent step in parameter space, so it cannot
	// leap across a basin: initial weights are of order 1/sqrt(fan_in).
	descentMoveMax = 0.5
	// armijo is the line search's sufficient-decrease constant.
	armijo = 1e-4
	// stallRel is the step length, relative to the parameters' size, below
	// which the line search gives up: float64 precision is reached and the
	// descent ends where it is.
	stallRel = 1e-14
	// explainFactor bounds how far the final window's mean may lie from
	// the point of its basin, in units of the window's spread (plus
	// optim.ReachTol), for the run to be said to have reached it; the
	// same factor as runs on functions use.
	explainFactor = 2
)

// noisy reports whether the plan's steps use fewer rows than the training
// set, so that their gradients are noisy estimates of the full one.
func (pl *plan) noisy() bool {
	n := pl.train.Rows()
	if pl.batches == nil {
		return pl.batchSize < n
	}
	for _, b := range pl.batches {
		if len(b) < n {
			return true
		}
	}
	return false
}

// noisyJudge judges a minibatch run. It keeps the whole path (row 0
// included, so a path index is a step) and does all its work in Outcome.
type noisyJudge struct {
	ctx  context.Context
	m    *model.Model
	set  *data.Set
	crit []landscape.CriticalPoint
	np   int
	path []float64
	// ends are the basins' points found so far, in order of discovery:
	// a basin is an index into it.
	ends [][]float64
	// fits are each end's predictions on the training rows; fitNear is
	// how far apart two fits may lie and be one basin: optim.ReachTol
	// plus explainFactor times the final window's spread in predictions
	// (see sameFit).
	fits    [][]float64
	fitNear float64
	work    float64 // spent, in rows × parameters
	ws      *model.Workspace
	// scratch for the descent
	x, g, xn, gn, dir []float64
	s, y              [][]float64
	rho               []float64
	alpha             []float64
	// settled holds, after Outcome, the parameters of the basins' points
	// the outcome names (see RunResult.Ends).
	settled [][]float64
}

// newNoisyJudge makes the judge of a minibatch run that starts at init.
// crit are the two-parameter models' critical points; for them the basin
// is known without descending (see basin).
func newNoisyJudge(ctx context.Context, pl *plan, crit []landscape.CriticalPoint) *noisyJudge {
	np := pl.model.NumParams()
	j := &noisyJudge{ctx: ctx, m: pl.model, set: pl.train, crit: crit, np: np,
		path: append(make([]float64, 0, (pl.steps+1)*np), pl.init...), ws: pl.model.NewWorkspace()}
	for _, b := range []*[]float64{&j.x, &j.g, &j.xn, &j.gn, &j.dir} {
		*b = make([]float64, np)
	}
	j.s, j.y = make([][]float64, descentMemory), make([][]float64, descentMemory)
	for i := range descentMemory {
		j.s[i], j.y[i] = make([]float64, np), make([]float64, np)
	}
	j.rho, j.alpha = make([]float64, descentMemory), make([]float64, descentMemory)
	return j
}

func (j *noisyJudge) Observe(_ int, params, _ []float64, _ float64) {
	j.path = append(j.path, params...)
}

func (j *noisyJudge) point(i int) []float64 { return j.path[i*j.np : (i+1)*j.np] }

// Outcome applies optim.Settle to the path. Converged names the basin's
// point in Reached (two-parameter models) and settled, and the window's
// hover radius around it; Wandering names the basins' points in Between
// (two-parameter models) and settled.
func (j *noisyJudge) Outcome(steps int) optim.Outcome {
	out := optim.Outcome{Status: optim.NotConverged, Step: steps}
	n := len(j.path) / j.np
	if n < optim.WindowMin {
		return out
	}
	w := optim.Window(n)
	mean := make([]float64, j.np)
	for i := n - w; i < n; i++ {
		for k, v := range j.point(i) {
			mean[k] += v
		}
	}
	for k := range mean {
		mean[k] /= float64(w)
	}
	var ss float64
	for i := n - w; i < n; i++ {
		d := dist(j.point(i), mean)
		ss += d * d
	}
	spread := math.Sqrt(ss / float64(w))
	near := optim.ReachTol + explainFactor*spread
	if j.m.Kind() == model.MLP {
		j.fitNear = optim.ReachTol + explainFactor*j.fitSpread(n-w, n)
	}

	s := optim.Settle(n, j.basin(mean, near), func(i int) int { return j.basin(j.point(i), near) })
	switch s.Status {
	case optim.Wandering:
		out.Status = optim.Wandering
		for _, id := range s.Between {
			j.settled = append(j.settled, j.ends[id])
			if len(j.crit) > id {
				out.Between = append(out.Between, &j.crit[id])
			}
		}
	case optim.Converged:
		c := j.ends[s.Basin]
		if j.farFrom(mean, near, s.Basin) {
			return out // still on its way: farther from c than the noise explains
		}
		var hover float64
		for i := n - w; i < n; i++ {
			hover = max(hover, dist(j.point(i), c))
		}
		out = optim.Outcome{Status: optim.Converged, Step: s.From, Hover: hover}
		if len(j.crit) > s.Basin {
			out.Reached = &j.crit[s.Basin]
		}
		j.settled = [][]float64{c}
	}
	return out
}

// farFrom reports whether p lies farther from the end of basin id than
// the noise explains: in parameter space (near), or for a network, whose
// minima are not isolated, in its fit to the data (see sameFit).
func (j *noisyJudge) farFrom(p []float64, near float64, id int) bool {
	if j.m.Kind() != model.MLP {
		return dist(p, j.ends[id]) > near
	}
	fit := make([]float64, j.set.Rows())
	j.ws.Predict(p, j.set.X, fit)
	return !j.sameFit(fit, id)
}

// fitSpread is the root mean square, over the path's points lo..hi-1 and
// the training rows, of the predictions' deviation from their mean.
func (j *noisyJudge) fitSpread(lo, hi int) float64 {
	rows := j.set.Rows()
	fit, mean := make([]float64, rows), make([]float64, rows)
	for i := lo; i < hi; i++ {
		j.ws.Predict(j.point(i), j.set.X, fit)
		axpyv(mean, 1/float64(hi-lo), fit)
	}
	var ss float64
	for i := lo; i < hi; i++ {
		j.ws.Predict(j.point(i), j.set.X, fit)
		d := dist(fit, mean)
		ss += d * d
	}
	return math.Sqrt(ss / float64((hi-lo)*rows))
}

// basin returns the basin of p, or optim.NoBasin. For the two-parameter
// models the loss is convex: with a minimum every descent ends there
// (basin 0), without one (separable data) every descent heads off. For a
// network it is where the descent from p ends, ends that lie within near
// of each other or with no ridge between them sharing a basin.
func (j *noisyJudge) basin(p []float64, near float64) int {
	if j.m.Kind() != model.MLP {
		if len(j.crit) == 0 {
			return optim.NoBasin
		}
		if j.ends == nil {
			c := j.crit[0].At
			j.ends = [][]float64{{c.X, c.Y}}
		}
		return 0
	}
	if j.ctx.Err() != nil {
		return optim.NoBasin // the run's caller sees the error
	}
	end, ok := j.descend(p)
	if !ok || !j.spend() {
		return optim.NoBasin
	}
	fit := make([]float64, j.set.Rows())
	j.ws.Predict(end, j.set.X, fit)
	for id, e := range j.ends {
		if dist(end, e) <= near || j.sameFit(fit, id) {
			return id
		}
	}
	j.ends = append(j.ends, append([]float64(nil), end...))
	j.fits = append(j.fits, fit)
	return len(j.ends) - 1
}

// sameFit reports whether end's predictions on the training rows (fit)
// lie within fitNear of those of ends[id], as root mean square over the
// rows. A network's minima are not isolated points (rescaling a ReLU
// unit's weights in and out, or swapping two units, leaves the function
// unchanged, and flat valleys join fits that differ by less than the
// noise), so two ends that fit the data alike are one basin.
func (j *noisyJudge) sameFit(fit []float64, id int) bool {
	return dist(fit, j.fits[id])/math.Sqrt(float64(len(fit))) <= j.fitNear
}

// spend charges one full-data evaluation to the work budget and reports
// whether it was still there.
func (j *noisyJudge) spend() bool {
	cost := float64(j.set.Rows()) * float64(j.np)
	if j.work+cost > judgeWork {
		return false
	}
	j.work += cost
	return true
}

// descend runs the noise-free descent from p: L-BFGS along the full-data
// gradient until the gradient's norm is at most optim.GradTol or no
// decrease is left at float64 precision. ok is false when it diverged or
// ran out of evaluations (its own or the judge's). end aliases scratch
// memory, valid until the next descent.
func (j *noisyJudge) descend(p []float64) (end []float64, ok bool) {
	x, g, xn, gn, dir := j.x, j.g, j.xn, j.gn, j.dir
	copy(x, p)
	if !j.spend() {
		return nil, false
	}
	fx := j.ws.LossGrad(x, g, j.set, nil)
	if !finite(fx) {
		return nil, false
	}
	pairs, next := 0, 0 // stored correction pairs; the slot of the next
	for evals := 1; evals < descentEvals; {
		if norm(g) <= optim.GradTol {
			return x, j.atRest(x)
		}
		// Two-loop recursion: dir = -H g.
		for i := range dir {
			dir[i] = -g[i]
		}
		for k := 1; k <= pairs; k++ {
			m := (next - k + descentMemory) % descentMemory
			j.alpha[m] = j.rho[m] * dotv(j.s[m], dir)
			axpyv(dir, -j.alpha[m], j.y[m])
		}
		if pairs > 0 {
			m := (next - 1 + descentMemory) % descentMemory
			scale := dotv(j.s[m], j.y[m]) / dotv(j.y[m], j.y[m])
			for i := range dir {
				dir[i] *= scale
			}
		}
		for k := pairs; k >= 1; k-- {
			m := (next - k + descentMemory) % descentMemory
			beta := j.rho[m] * dotv(j.y[m], dir)
			axpyv(dir, j.alpha[m]-beta, j.s[m])
		}
		slope := dotv(dir, g)
		if !(slope < 0) {
			pairs = 0
			for i := range dir {
				dir[i] = -g[i]
			}
			slope = -dotv(g, g)
		}
		t := 1.0
		if l := norm(dir); l > descentMoveMax {
			t = descentMoveMax / l
		}
		var fn float64
		for {
			for i := range xn {
				xn[i] = x[i] + t*dir[i]
			}
			if !j.spend() {
				return nil, false
			}
			fn = j.ws.LossGrad(xn, gn, j.set, nil)
			evals++
			if finite(fn) && fn <= fx+armijo*t*slope {
				break
			}
			t /= 2
			if t*norm(dir) <= stallRel*max(1, norm(x)) {
				return x, j.atRest(x) // no decrease left to find at this precision
			}
			if evals >= descentEvals {
				return nil, false
			}
		}
		var l1 float64
		for _, v := range xn {
			l1 += math.Abs(v)
		}
		if !(l1 <= optim.DivergenceBound) {
			return nil, false
		}
		m := next
		for i := range x {
			j.s[m][i] = xn[i] - x[i]
			j.y[m][i] = gn[i] - g[i]
		}
		if sy := dotv(j.s[m], j.y[m]); sy > 0 {
			j.rho[m] = 1 / sy
			next = (next + 1) % descentMemory
			pairs = min(pairs+1, descentMemory)
		} else if pairs == descentMemory {
			pairs-- // slot m held the oldest pair, now overwritten
		}
		copy(x, xn)
		copy(g, gn)
		fx = fn
	}
	return nil, false
}

// atRest reports whether a descent that stopped at x can stop there. On
// classification data that x classifies without error the cross-entropy
// has no minimum: scaling the output layer up lowers every row's loss, so
// the gradient fades while the weights head off, and x is no basin's end.
func (j *noisyJudge) atRest(x []float64) bool {
	if j.set.Task != data.Classification {
		return true
	}
	if !j.spend() {
		return false
	}
	_, acc := j.ws.LossAccuracy(x, j.set, nil)
	return acc < 1
}

func dist(a, b []float64) float64 {
	var s float64
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return math.Sqrt(s)
}

func norm(a []float64) float64 { return math.Sqrt(dotv(a, a)) }

func dotv(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func axpyv(y []float64, a float64, x []float64) {
	for i := range y {
		y[i] += a * x[i]
	}
}
