package train

import (
	"context"
	"math"

	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

// Result is everything a training request computes. No float in it is NaN
// or infinite except where a field says so.
type Result struct {
	// Model is the validated model, for predictions at any row's
	// parameters (decision regions, fitted curves): Model.NewWorkspace
	// then Workspace.Predict.
	Model *model.Model
	// Train and Val are the rows trained on and held out (Val nil without
	// a split), after standardization.
	Train, Val *data.Set
	Task       data.Task
	Names      []string // each parameter's name, in order
	Rows       int      // training rows
	// ValRows is the number of validation rows, 0 without a split.
	ValRows int
	// Scaling is what standardization did, nil without it.
	Scaling  *data.Scaling
	Init     []float64 // the initial parameters
	Steps    int       // the step budget of every run
	Runs     []RunResult
	Slice    SliceResult
	Critical []landscape.CriticalPoint // two-parameter models only; X, Y are the parameters
	// Landscape is the loss over the slice's plane, nil without "grid".
	Landscape *Grid
	// Line is the line's intervals per unit asked (Spec.Line), 0 for none.
	Line int
	// Separable reports classification data that a line through the origin
	// separates: logistic regression then has no minimum.
	Separable bool
}

// RunResult is one optimizer's run: one row per recorded step, the initial
// parameters first. A run records every step of its budget unless it
// diverges (Outcome.Status == optim.Diverged), when it stops with the last
// finite row.
type RunResult struct {
	Optimizer string
	Values    optim.Values // every hyperparameter, resolved
	// Params holds the rows' parameters, row k at Params[k*P : (k+1)*P]
	// with P = len(Result.Names).
	Params []float64
	// Loss is the mean loss over all training rows at each row's
	// parameters.
	Loss []float64
	// BatchLoss[k-1] is the loss of step k's minibatch at the parameters
	// before the step (the loss the optimizer's gradient came from); row 0
	// has none, so it is one shorter than Loss.
	BatchLoss []float64
	// Accuracy is the fraction of training rows classified right at each
	// row (classification only; nil for regression).
	Accuracy []float64
	// ValLoss is the mean loss over the validation rows (nil without a
	// split).
	ValLoss []float64
	// Points are the rows on the landscape's plane: (a, b, loss), with a
	// and b the parameters themselves for SliceParams, the projections
	// otherwise.
	Points []optim.Point
	// Distance is each row's distance from the plane (SliceRandom only:
	// the PCA plane holds the paths' main movement, but a random one can
	// lie far from them).
	Distance []float64
	Outcome  optim.Outcome
	// Ends is set for a minibatch run judged Converged or Wandering: the
	// parameters of the point each basin's noise-free descent ends at
	// (the one it settled in, or those it wanders among, as
	// Outcome.Between), since a network's points do not fit a
	// two-coordinate landscape.CriticalPoint.
	Ends [][]float64
	// Line is the loss along the straight line from the run's first row to
	// its last (Spec.Line), nil without one or when the run diverged.
	Line *Line
}

// Rows is the number of recorded rows.
func (r *RunResult) Rows() int { return len(r.Loss) }

// progressEvery is how many steps pass between two Progress calls, and
// between two checks of the context.
const progressEvery = 256

// Run validates spec, trains one run per optimizer, and computes the slice,
// the critical points and the landscape. Validation errors are *FieldError;
// a cancelled context stops the work and returns ctx.Err().
func Run(ctx context.Context, spec Spec) (*Result, error) {
	pl, err := check(spec)
	if err != nil {
		return nil, err
	}
	res := &Result{
		Model: pl.model, Train: pl.train, Val: pl.val,
		Task: pl.train.Task, Names: pl.model.Names(), Rows: pl.train.Rows(),
		Scaling: pl.scaling, Init: pl.init, Steps: pl.steps, Line: pl.line,
	}
	if pl.val != nil {
		res.ValRows = pl.val.Rows()
	}
	res.Separable = pl.train.Separable()
	res.Critical = critical(pl)
	newJudge := pl.judges(ctx, spec.Judge, res.Critical)
	total := len(pl.runs) * pl.steps
	for i := range pl.runs {
		var progress func(int)
		if spec.Progress != nil {
			done := i * pl.steps
			progress = func(k int) { spec.Progress(done+k, total) }
		}
		r, err := pl.judged(ctx, i, newJudge, res.Critical, progress)
		if err != nil {
			return nil, err
		}
		if r.Line, err = pl.lineOf(ctx, &r); err != nil {
			return nil, err
		}
		res.Runs = append(res.Runs, r)
	}
	if err := pl.project(ctx, res); err != nil {
		return nil, err
	}
	return res, nil
}

// judges is what makes each run's judge: given, when the spec gives one;
// else full-batch training is noise-free and judged at rest, minibatch
// training by the noisy-run rule (see noisyJudge).
func (pl *plan) judges(ctx context.Context, given func() Judge, crit []landscape.CriticalPoint) func() Judge {
	if given != nil {
		return given
	}
	if pl.noisy() {
		return func() Judge { return newNoisyJudge(ctx, pl, crit) }
	}
	return RestJudge
}

// judged trains with optimizer i and judges its outcome, naming the
// critical point a converged run reached.
func (pl *plan) judged(ctx context.Context, i int, newJudge func() Judge, crit []landscape.CriticalPoint, progress func(int)) (RunResult, error) {
	judge := newJudge()
	r, err := pl.run(ctx, i, judge, progress)
	if err == nil {
		err = ctx.Err() // a cancelled judge gives up without saying so
	}
	if err != nil {
		return r, err
	}
	if nj, ok := judge.(*noisyJudge); ok {
		r.Ends = nj.settled
	}
	if r.Outcome.Status == optim.Converged && r.Outcome.Reached == nil && r.Ends == nil {
		r.Outcome.Reached = nearest(crit, r.Params[len(r.Params)-2:])
	}
	return r, nil
}

// run trains with optimizer i.
func (pl *plan) run(ctx context.Context, i int, judge Judge, progress func(int)) (RunResult, error) {
	ro := pl.runs[i]
	m := pl.model
	np := m.NumParams()
	opt, _, err := optim.NewVec(ro.name, ro.values, np)
	if err != nil {
		return RunResult{}, err
	}
	if pl.probe != nil {
		pl.probe.VecOptimizer = opt
		opt = pl.probe
	}
	classify := pl.train.Task == data.Classification
	rows := pl.steps + 1
	r := RunResult{Optimizer: ro.name, Values: ro.values,
		Params: make([]float64, 0, rows*np), Loss: make([]float64, 0, rows), BatchLoss: make([]float64, 0, rows-1)}
	if classify {
		r.Accuracy = make([]float64, 0, rows)
	}
	if pl.val != nil {
		r.ValLoss = make([]float64, 0, rows)
	}
	ws := m.NewWorkspace()
	p := append(make([]float64, 0, np), pl.init...)
	grad := make([]float64, np)
	full := make([]float64, np)
	batches := newBatcher(pl.batches, pl.train.Rows(), pl.batchSize, pl.shuffle)
	base := ro.values["lr"][0]

	record := func(loss, acc, valLoss float64) {
		r.Params = append(r.Params, p...)
		r.Loss = append(r.Loss, loss)
		if classify {
			r.Accuracy = append(r.Accuracy, acc)
		}
		if pl.val != nil {
			r.ValLoss = append(r.ValLoss, valLoss)
		}
	}
	loss, acc := ws.Eval(p, full, pl.train, nil)
	var valLoss float64
	if pl.val != nil {
		valLoss = ws.Loss(p, pl.val, nil)
	}
	if !finite(loss) || !finite(valLoss) {
		r.Outcome = optim.Outcome{Status: optim.Diverged}
		return r, nil
	}
	record(loss, acc, valLoss)
	for k := 1; k <= pl.steps; k++ {
		if k%progressEvery == 0 {
			if err := ctx.Err(); err != nil {
				return r, err
			}
			if progress != nil {
				progress(k)
			}
		}
		if pl.schedule != nil {
			opt.SetLR(pl.schedule.LR(base, k-1))
		}
		batchLoss := ws.LossGrad(p, grad, pl.train, batches.next())
		if pl.clip > 0 {
			optim.ClipGradNorm(grad, pl.clip)
		}
		opt.StepVec(p, grad)
		loss, acc = ws.Eval(p, full, pl.train, nil)
		l1, ok := 0.0, finite(loss)
		for _, v := range p {
			l1 += math.Abs(v)
		}
		ok = ok && finite(l1) && finite(batchLoss)
		if ok && pl.val != nil {
			valLoss = ws.Loss(p, pl.val, nil)
			ok = finite(valLoss)
		}
		if !ok {
			r.Outcome = optim.Outcome{Status: optim.Diverged, Step: k}
			return r, nil
		}
		r.BatchLoss = append(r.BatchLoss, batchLoss)
		record(loss, acc, valLoss)
		if l1 > optim.DivergenceBound {
			r.Outcome = optim.Outcome{Status: optim.Diverged, Step: k}
			return r, nil
		}
		judge.Observe(k, p, full, loss)
	}
	if progress != nil {
		progress(pl.steps)
	}
	r.Outcome = judge.Outcome(pl.steps)
	return r, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
