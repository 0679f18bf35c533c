package runspec

import (
	"context"
	"errors"
	"math"
	"strconv"

	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/train"
)

// TrainResult is a computed training request: the engine's result and, for
// each run, the optimizer as an answer shows it (its display name and
// every hyperparameter), and the resolved schedule (nil without one).
type TrainResult struct {
	*train.Result
	Optimizers []Resolved
	Schedule   *Resolved
}

// Train validates s, trains, and computes the landscape. progress, when
// not nil, hears the steps done over all runs now and then. Every
// validation error is an *Error naming the field and the allowed range.
func Train(ctx context.Context, s TrainSpec, progress func(done, total int)) (*TrainResult, error) {
	es, res, err := s.engineSpec()
	if err != nil {
		return nil, err
	}
	es.Progress = progress
	r, err := train.Run(ctx, es)
	if err != nil {
		var fe *train.FieldError
		if errors.As(err, &fe) {
			return nil, &Error{Field: fe.Field, Msg: fe.Msg, Pos: -1}
		}
		return nil, err
	}
	res.Result = r
	for i := range res.Optimizers {
		res.Optimizers[i].Values = r.Runs[i].Values
	}
	return res, nil
}

// engineSpec turns what the client wrote into the engine's spec, resolving
// optimizer presets ("momentum") to the registry's optimizers and checking
// each hyperparameter's name and kind as runs do.
func (s TrainSpec) engineSpec() (train.Spec, *TrainResult, error) {
	d := s.Dataset
	es := train.Spec{
		Dataset: train.Dataset{Name: d.Name, Points: d.Points, CSV: d.CSV},
		Model:   model.Spec{Kind: s.Model.Kind, Hidden: s.Model.Hidden, Activation: s.Model.Activation},
		Batches: s.Batches,
		LR:      s.LR,
	}
	if d.N != nil {
		n := int(*d.N)
		es.Dataset.N = &n
	}
	es.Dataset.Noise = d.Noise
	if d.Seed != nil {
		es.Dataset.Seed = uint64(*d.Seed)
	}
	if len(d.Params) > 0 {
		es.Dataset.Params = make(map[string]float64, len(d.Params))
		for _, p := range d.Params {
			es.Dataset.Params[p.Name] = p.Value[0]
		}
	}
	if s.Standardize != nil {
		es.Standardize = *s.Standardize
	}
	if s.Validation != nil {
		es.Validation = *s.Validation
	}
	if s.ValidationSeed != nil {
		es.SplitSeed = uint64(*s.ValidationSeed)
	}
	if s.Init.Seed != nil {
		seed := uint64(*s.Init.Seed)
		es.Init.Seed = &seed
	}
	es.Init.Params = s.Init.Params
	es.Steps = intPtr(s.Steps)
	es.Epochs = intPtr(s.Epochs)
	es.BatchSize = intPtr(s.BatchSize)
	if s.ShuffleSeed != nil {
		seed := uint64(*s.ShuffleSeed)
		es.ShuffleSeed = &seed
	}
	if s.ClipNorm != nil {
		es.ClipNorm = *s.ClipNorm
	}
	es.Slice.Kind = s.Slice.Kind
	if s.Slice.Optimizer != nil {
		es.Slice.Optimizer = int(*s.Slice.Optimizer)
	}
	if s.Slice.Seed != nil {
		es.Slice.Seed = uint64(*s.Slice.Seed)
	}
	if s.Grid != nil {
		es.Grid = int(*s.Grid)
	}
	if s.Box != nil {
		es.Box = &[4]float64{s.Box[0], s.Box[1], s.Box[2], s.Box[3]}
	}
	if s.Line != nil {
		es.Line = int(*s.Line)
	}
	res := &TrainResult{}
	if len(s.Optimizers) == 0 {
		return es, nil, Errorf("optimizers", "optimizers must list 1 to %d optimizers, got 0", train.MaxOptimizers)
	}
	for i, o := range s.Optimizers {
		field := "optimizers[" + strconv.Itoa(i) + "]"
		ro, err := trainOptimizer(field, o)
		if err != nil {
			return es, nil, err
		}
		given := optim.Values{}
		for k, v := range ro.Values {
			given[k] = v
		}
		es.Optimizers = append(es.Optimizers, train.Optimizer{Name: ro.Info.Name, Values: given})
		res.Optimizers = append(res.Optimizers, ro)
	}
	if s.Schedule != nil {
		_, rs, err := resolveSchedule(*s.Schedule)
		if err != nil {
			return es, nil, err
		}
		es.Schedule = &train.Schedule{Name: rs.Info.Name, Values: rs.Values}
		res.Schedule = rs
	}
	return es, res, nil
}

// trainOptimizer finds a training run's optimizer by registry name or
// preset and checks the given hyperparameters' names and kinds; Values
// holds what was given (with a preset's own values), and the engine fills
// in the rest and checks the ranges.
func trainOptimizer(field string, o OptimizerSpec) (Resolved, error) {
	cat := optimCatalog()
	given := optim.Values{}
	info, ok := cat.infos[o.Name]
	display := info.Display
	if !ok {
		p, ok := cat.presets[o.Name]
		if !ok {
			return Resolved{}, unknownOptimizer(field, o.Name)
		}
		display, info = p.Display, cat.infos[p.Optimizer]
		for k, v := range p.Values {
			given[k] = v
		}
	}
	if err := givenValues(field, o.Params, info.Params, given); err != nil {
		return Resolved{}, err
	}
	return Resolved{Info: info, Display: display, Values: given}, nil
}

func intPtr(v *int64) *int {
	if v == nil {
		return nil
	}
	n := int(*v)
	return &n
}

// TrainSize sizes what s asks the engine to compute, for pricing before it
// is admitted: the dataset's rows, the model's parameters, the steps, the
// batch and the grid, each as the engine will resolve it. A part the
// engine will refuse (an unknown dataset, a bad model) sizes as 0: the
// request is refused by its own error, not by its price.
func TrainSize(s TrainSpec) cost.TrainSize {
	var set *data.Set
	d := s.Dataset
	switch {
	case d.Points != nil:
		set, _ = data.FromPoints(d.Points)
	case d.CSV != "":
		set, _ = data.ParseCSV(d.CSV)
	case data.IsReal(d.Name):
		set, _ = data.Real(d.Name)
	case data.IsGenerator(d.Name):
		for _, g := range data.Generators() {
			if g.Name == d.Name {
				n := g.DefaultN
				if d.N != nil && *d.N >= 0 && *d.N <= data.MaxGenerated {
					n = int(*d.N)
				}
				set = &data.Set{Task: g.Task, Y: make([]float64, n)}
			}
		}
	}
	if set == nil {
		return cost.TrainSize{}
	}
	rows := set.Rows()
	val := 0
	if s.Validation != nil && *s.Validation > 0 && *s.Validation <= data.MaxValidation {
		val = int(math.Ceil(*s.Validation * float64(rows)))
	}
	trainRows := max(1, rows-val)
	sz := cost.TrainSize{Runs: len(s.Optimizers), Rows: trainRows, ValRows: val, Batch: trainRows}
	if m, err := model.New(model.Spec{Kind: s.Model.Kind, Hidden: s.Model.Hidden, Activation: s.Model.Activation}, set.Task); err == nil {
		sz.Params = m.NumParams()
	}
	switch {
	case s.Batches != nil:
		sz.Steps = len(s.Batches)
		total := 0
		for _, b := range s.Batches {
			total += len(b)
		}
		sz.Batch = total / max(1, len(s.Batches))
	case s.Steps != nil:
		sz.Steps = int(min(max(*s.Steps, 0), train.MaxSteps))
	default:
		if s.BatchSize != nil && *s.BatchSize >= 1 && *s.BatchSize <= int64(trainRows) {
			sz.Batch = int(*s.BatchSize)
		}
		epochs := int64(train.DefaultEpochs)
		if s.Epochs != nil {
			epochs = min(max(*s.Epochs, 0), train.MaxEpochs)
		}
		sz.Steps = min(int(epochs)*((trainRows+sz.Batch-1)/sz.Batch), train.MaxSteps)
	}
	if s.Grid != nil && *s.Grid >= train.MinGrid && *s.Grid <= train.MaxGrid {
		sz.Grid = int(*s.Grid)
	}
	if s.Line != nil && *s.Line >= train.MinLine && *s.Line <= train.MaxLine {
		sz.Line = train.LinePoints(int(*s.Line))
	}
	return sz
}
