package train

import (
	"context"
	"slices"

	"github.com/basin-dev/basin/internal/optim"
)

// Snapshot is one training step seen from inside the optimizer: the
// parameters at a timeline row, the minibatch the next step used and the
// gradient it gave beside the full-data gradient (their difference is
// SGD's noise), what the optimizer received after clipping, the update it
// made and its state around it. Its slices have one value per parameter.
//
// Its numbers are finite except where the step itself overflowed (Stop is
// Diverged: Next, Update and After may then hold ±Inf or NaN); encoders
// must check.
type Snapshot struct {
	// Step is the timeline row: Params is row Step of the run, and the
	// rest describes the step that leaves it, the run's step Step+1.
	Step int
	// Values are the run's hyperparameters, every one resolved.
	Values optim.Values
	// Names are the parameters' names, in order.
	Names    []string
	Params   []float64
	Loss     float64   // the mean loss over every training row at Params
	FullGrad []float64 // its gradient
	// Taken reports whether a step left Params: false at the end of the
	// budget and at a row after which the run diverged; then Batch,
	// BatchLoss, Grad, Seen, LR, Next and Update are zero and After equals
	// Before.
	Taken bool
	// Batch is the training rows of the step's minibatch, BatchLoss their
	// mean loss at Params and Grad its gradient, before clipping.
	Batch     []int
	BatchLoss float64
	Grad      []float64
	// Seen is the gradient the optimizer received: Grad after clip_norm.
	Seen []float64
	// LR is the step's learning rate: the schedule's value when there is
	// one, else the optimizer's lr.
	LR float64
	// Next is row Step+1 of the run, Update = Next - Params: the move
	// actually made, weight decay included.
	Next, Update []float64
	// Diverged reports that this step ended the run (Taken) or that the
	// run ended at Params (not Taken).
	Diverged bool
	// Before and After are the optimizer's state before and after the
	// step, by PyTorch's names (optim.VecInspector).
	Before, After []optim.VecStateVar
}

// Inspect replays run optimizer of spec up to timeline row step and returns
// what happens there. It runs the very loop Run runs, with the optimizer
// wrapped in a probe and the budget cut to step+1 steps (which changes
// nothing before it), so the snapshot is bit for bit the run: same batches,
// clipping and schedule. It costs one run to that step: no other run, no
// slice and no grid.
//
// Validation errors are *FieldError: the spec's own, "optimizer" (an index
// into optimizers) and "step" (0 to the steps of the run; a row after the
// run diverged names the step it diverged at).
func Inspect(ctx context.Context, spec Spec, optimizer, step int) (*Snapshot, error) {
	pl, err := check(spec)
	if err != nil {
		return nil, err
	}
	if optimizer < 0 || optimizer >= len(pl.runs) {
		return nil, fieldErrorf("optimizer", "must be an index into optimizers in [0, %d], got %d", len(pl.runs)-1, optimizer)
	}
	if step < 0 || step > pl.steps {
		return nil, fieldErrorf("step", "must be in [0, %d] (the run's steps), got %d", pl.steps, step)
	}
	pl.steps = min(pl.steps, step+1)
	pl.probe = &probe{at: step}
	r, err := pl.run(ctx, optimizer, RestJudge(), nil)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	if r.Rows() <= step {
		return nil, fieldErrorf("step", "%d is beyond the run's end: it diverged at step %d", step, r.Outcome.Step)
	}
	np := pl.model.NumParams()
	pr := pl.probe
	s := &Snapshot{Step: step, Values: pl.runs[optimizer].values, Names: pl.model.Names(), Params: slices.Clone(r.Params[step*np : (step+1)*np]), FullGrad: make([]float64, np)}
	ws := pl.model.NewWorkspace()
	s.Loss, _ = ws.Eval(s.Params, s.FullGrad, pl.train, nil)
	// The step leaving Params diverged, or the run stopped at Params (its
	// parameters grew past the divergence bound there).
	s.Diverged = r.Outcome.Status == optim.Diverged && (r.Outcome.Step == step+1 || r.Outcome.Step == step)
	if !pr.done {
		s.Before = pr.state()
		s.After = s.Before
		return s, nil
	}
	s.Taken = true
	s.Before, s.After, s.Seen, s.Next = pr.before, pr.after, pr.seen, pr.next
	s.Update = make([]float64, np)
	for i := range s.Update {
		s.Update[i] = s.Next[i] - s.Params[i]
	}
	// The run's batcher is gone; a fresh one with the same seed hands out
	// the same batches, and the gradient before clipping is recomputed
	// from the same rows at the same parameters.
	b := newBatcher(pl.batches, pl.train.Rows(), pl.batchSize, pl.shuffle)
	var batch []int
	for range step + 1 {
		batch = b.next()
	}
	s.Batch = slices.Clone(batch)
	s.Grad = make([]float64, np)
	s.BatchLoss = ws.LossGrad(s.Params, s.Grad, pl.train, s.Batch)
	s.LR = pl.runs[optimizer].values["lr"][0]
	if pl.schedule != nil {
		s.LR = pr.lr
	}
	return s, nil
}

// probe passes the run's calls through to its optimizer and records what
// goes in and out of the step that leaves timeline row at. The state
// before is read before the schedule's SetLR for that step, so it is the
// state the previous step left.
type probe struct {
	optim.VecOptimizer
	at         int // timeline row to record
	n          int // steps taken so far
	done, took bool
	lr         float64
	seen, next []float64
	before     []optim.VecStateVar
	after      []optim.VecStateVar
}

func (pr *probe) state() []optim.VecStateVar {
	if ins, ok := pr.VecOptimizer.(optim.VecInspector); ok {
		return ins.StateVec()
	}
	return nil
}

func (pr *probe) SetLR(lr float64) {
	if pr.n == pr.at {
		pr.takeBefore()
		pr.lr = lr
	}
	pr.VecOptimizer.SetLR(lr)
}

func (pr *probe) StepVec(p, g []float64) {
	if pr.n != pr.at {
		pr.n++
		pr.VecOptimizer.StepVec(p, g)
		return
	}
	pr.takeBefore()
	pr.seen = slices.Clone(g)
	pr.VecOptimizer.StepVec(p, g)
	pr.n++
	pr.done, pr.next = true, slices.Clone(p)
	pr.after = pr.state()
}

func (pr *probe) takeBefore() {
	if !pr.took {
		pr.took = true
		pr.before = pr.state()
	}
}
