package train

import (
	"errors"
	"math"
	"strconv"

	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

// plan is a validated Spec, ready to run.
type plan struct {
	train, val *data.Set
	scaling    *data.Scaling
	model      *model.Model
	init       []float64
	batches    [][]int // explicit, or nil
	batchSize  int
	shuffle    uint64
	steps      int
	runs       []resolvedOptimizer
	schedule   optim.Schedule
	schedVals  optim.Values
	clip       float64
	slice      Slice
	grid       int
	box        *[4]float64 // the landscape's, when the request gives one
	// probe, when not nil, wraps the optimizer of the run (Inspect).
	probe *probe
	line  int // intervals per unit of each run's line, 0 = none
}

type resolvedOptimizer struct {
	name   string
	values optim.Values // resolved: every hyperparameter present
}

// check validates s and fills every default. Errors are *FieldError.
func check(s Spec) (*plan, error) {
	set, err := loadDataset(s.Dataset)
	if err != nil {
		return nil, err
	}
	pl := &plan{}
	if s.Standardize {
		sc := set.Standardize()
		pl.scaling = &sc
	}
	pl.train, pl.val, err = set.Split(s.Validation, s.SplitSeed)
	if fe, ok := err.(*data.FieldError); ok {
		return nil, &FieldError{Field: fe.Field, Msg: fe.Msg}
	} else if err != nil {
		return nil, err
	}
	pl.model, err = model.New(s.Model, set.Task)
	if fe, ok := err.(*model.FieldError); ok {
		return nil, prefixed("model", fe.Field, fe.Msg)
	} else if err != nil {
		return nil, err
	}
	if err := pl.checkInit(s.Init); err != nil {
		return nil, err
	}
	if err := pl.checkBatches(s); err != nil {
		return nil, err
	}
	if err := pl.checkOptimizers(s); err != nil {
		return nil, err
	}
	if !(s.ClipNorm >= 0) || math.IsInf(s.ClipNorm, 0) {
		return nil, fieldErrorf("clip_norm", "must be a finite number >= 0 (0 = off), got %g", s.ClipNorm)
	}
	pl.clip = s.ClipNorm
	if err := pl.checkSlice(s); err != nil {
		return nil, err
	}
	if err := pl.checkLine(s.Line); err != nil {
		return nil, err
	}
	rows := len(pl.runs) * (pl.steps + 1) * (pl.model.NumParams() + 4)
	if rows > MaxRecorded {
		return nil, &FieldError{Field: "steps", Msg: "steps: " + strconv.Itoa(len(pl.runs)) + " runs of " + strconv.Itoa(pl.steps) +
			" steps recording " + strconv.Itoa(pl.model.NumParams()) + " parameters each make " + strconv.Itoa(rows) +
			" values, more than the " + strconv.Itoa(MaxRecorded) + " allowed: use fewer steps or epochs, a larger batch_size, fewer optimizers or a smaller model"}
	}
	return pl, nil
}

func (pl *plan) checkInit(in Init) error {
	switch {
	case in.Seed != nil && in.Params != nil:
		return &FieldError{Field: "init", Msg: "init must have seed or params, not both"}
	case in.Params != nil:
		if err := pl.model.CheckParams(in.Params); err != nil {
			fe := err.(*model.FieldError)
			return prefixed("init", fe.Field, fe.Msg)
		}
		pl.init = append([]float64(nil), in.Params...)
	default:
		var seed uint64
		if in.Seed != nil {
			seed = *in.Seed
		}
		pl.init = pl.model.Init(seed)
	}
	return nil
}

func (pl *plan) checkBatches(s Spec) error {
	n := pl.train.Rows()
	if s.Batches != nil {
		for _, f := range []struct {
			name  string
			given bool
		}{{"steps", s.Steps != nil}, {"epochs", s.Epochs != nil}, {"batch_size", s.BatchSize != nil}, {"shuffle_seed", s.ShuffleSeed != nil}} {
			if f.given {
				return &FieldError{Field: f.name, Msg: f.name + " must be absent when batches are given (the batches say every step)"}
			}
		}
		if len(s.Batches) > MaxSteps {
			return fieldErrorf("batches", "must have at most %d batches (one per step), got %d", MaxSteps, len(s.Batches))
		}
		for i, b := range s.Batches {
			name := "batches[" + strconv.Itoa(i) + "]"
			if len(b) == 0 {
				return fieldErrorf(name, "is empty: every step needs at least one row")
			}
			for j, r := range b {
				if r < 0 || r >= n {
					return fieldErrorf(name+"["+strconv.Itoa(j)+"]", "must be a training row index in [0, %d], got %d", n-1, r)
				}
			}
		}
		pl.batches = s.Batches
		pl.steps = len(s.Batches)
		return nil
	}
	pl.batchSize = n
	if s.BatchSize != nil {
		if *s.BatchSize < 1 || *s.BatchSize > n {
			return fieldErrorf("batch_size", "must be in [1, %d] (the training rows), got %d", n, *s.BatchSize)
		}
		pl.batchSize = *s.BatchSize
	}
	if s.ShuffleSeed != nil {
		pl.shuffle = *s.ShuffleSeed
	}
	perEpoch := (n + pl.batchSize - 1) / pl.batchSize
	switch {
	case s.Steps != nil && s.Epochs != nil:
		return &FieldError{Field: "steps", Msg: "steps and epochs are exclusive: give one of them"}
	case s.Steps != nil:
		if *s.Steps < 0 || *s.Steps > MaxSteps {
			return fieldErrorf("steps", "must be in [0, %d], got %d", MaxSteps, *s.Steps)
		}
		pl.steps = *s.Steps
	default:
		epochs := DefaultEpochs
		if s.Epochs != nil {
			epochs = *s.Epochs
			if epochs < 1 || epochs > MaxEpochs {
				return fieldErrorf("epochs", "must be in [1, %d], got %d", MaxEpochs, epochs)
			}
		}
		if epochs*perEpoch > MaxSteps {
			return fieldErrorf("epochs", "of %d with %d batches each make %d steps, more than %d: use fewer epochs or a larger batch_size", epochs, perEpoch, epochs*perEpoch, MaxSteps)
		}
		pl.steps = epochs * perEpoch
	}
	return nil
}

func (pl *plan) checkOptimizers(s Spec) error {
	lr := DefaultLR
	if s.LR != nil {
		lr = *s.LR
		if !(lr > 0) || math.IsInf(lr, 0) {
			return fieldErrorf("lr", "must be a finite number > 0, got %g", lr)
		}
	}
	if len(s.Optimizers) < 1 || len(s.Optimizers) > MaxOptimizers {
		return fieldErrorf("optimizers", "must list 1 to %d optimizers, got %d", MaxOptimizers, len(s.Optimizers))
	}
	for i, o := range s.Optimizers {
		given := optim.Values{}
		for k, v := range o.Values {
			given[k] = v
		}
		if _, ok := given["lr"]; !ok {
			given["lr"] = []float64{lr}
		}
		path := "optimizers[" + strconv.Itoa(i) + "]"
		_, resolved, err := optim.NewVec(o.Name, given, pl.model.NumParams())
		if err != nil {
			var pe *optim.ParamError
			if errors.As(err, &pe) {
				return prefixed(path, pe.Param, pe.Msg)
			}
			return err
		}
		pl.runs = append(pl.runs, resolvedOptimizer{name: o.Name, values: resolved})
	}
	if s.Schedule != nil {
		sched, vals, err := optim.NewSchedule(s.Schedule.Name, s.Schedule.Values)
		if err != nil {
			var pe *optim.ParamError
			if errors.As(err, &pe) {
				return prefixed("schedule", pe.Param, pe.Msg)
			}
			return err
		}
		if s.Schedule.Name != "constant" {
			pl.schedule = sched
		}
		pl.schedVals = vals
	}
	return nil
}

func (pl *plan) checkSlice(s Spec) error {
	two := pl.model.Kind() != model.MLP
	pl.slice = s.Slice
	switch s.Slice.Kind {
	case "":
		pl.slice.Kind = SlicePCA
		if two {
			pl.slice.Kind = SliceParams
		}
	case SliceParams:
		if !two {
			return &FieldError{Field: "slice.kind", Msg: "slice.kind params is for the two-parameter models (linear, logistic); a network has " +
				strconv.Itoa(pl.model.NumParams()) + ": use pca or random"}
		}
	case SlicePCA, SliceRandom:
		if two {
			return &FieldError{Field: "slice.kind", Msg: "slice.kind must be params for a " + pl.model.Kind() + " model: its landscape is exact, not a slice"}
		}
	default:
		return &FieldError{Field: "slice.kind", Msg: "slice.kind must be params, pca or random, got " + strconv.Quote(s.Slice.Kind)}
	}
	if s.Slice.Optimizer < 0 || s.Slice.Optimizer >= len(pl.runs) {
		return fieldErrorf("slice.optimizer", "must be a run index in [0, %d], got %d", len(pl.runs)-1, s.Slice.Optimizer)
	}
	if s.Grid != 0 && (s.Grid < MinGrid || s.Grid > MaxGrid) {
		return fieldErrorf("grid", "must be 0 (no landscape) or in [%d, %d], got %d", MinGrid, MaxGrid, s.Grid)
	}
	pl.grid = s.Grid
	if s.Box != nil {
		if s.Grid == 0 {
			return fieldErrorf("box", "is the landscape's box: give grid too (in [%d, %d])", MinGrid, MaxGrid)
		}
		if err := checkBox(*s.Box); err != nil {
			return err
		}
		box := *s.Box
		pl.box = &box
	}
	return nil
}
