package runspec

import (
	"context"
	"errors"
	"maps"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/train"
)

// The many-run tools of the "Model on data" mode: a learning-rate sweep
// over a training request (POST /api/v1/train/sweeps, the websocket's
// train_sweep job) and a basin map over starting parameters
// (POST /api/v1/train/basins, train_basin). Each body is a training
// request plus the fields of the function mode's job of the same name.

// Training sweep limits and defaults. Every run of a training sweep is a
// whole training, so the count stops lower than a function sweep's.
const (
	// TrainSweepLRMinDefault and TrainSweepLRMaxDefault are the rates
	// swept when none are given: the range test's usual span, from a rate
	// that barely moves a small model in the steps a page shows to one at
	// which SGD diverges on every dataset here.
	TrainSweepLRMinDefault = 1e-4
	TrainSweepLRMaxDefault = 10
	// TrainSweepCountDefault is the number of rates when none is given:
	// four per decade over the default range.
	TrainSweepCountDefault = 21
	// TrainSweepCountLimit bounds the rates of one training sweep; the CPU
	// budget bounds rates × optimizers × steps further.
	TrainSweepCountLimit = 64
	// TrainBasinGridDefault is a training basin map's side when none is
	// given; train.MaxStartGrid bounds it.
	TrainBasinGridDefault = 24
)

var (
	trainSweepFields = []string{"lr_min", "lr_max", "count", "optimizer"}
	trainBasinFields = []string{"optimizer", "grid", "box"}
)

// TrainSweep is a validated learning-rate sweep over a training request.
type TrainSweep struct {
	spec   TrainSpec
	engine train.Spec
	// Optimizers are the swept runs' optimizers as an answer shows them,
	// without lr (the sweep sets it); Index their places in the request.
	Optimizers []Resolved
	Index      []int
	LRs        []float64
	Count      int
	// LRMin and LRMax are the range swept.
	LRMin, LRMax float64
}

// DecodeTrainSweep decodes and checks a training sweep: a training
// request plus lr_min, lr_max and count (as a function sweep's), and
// optimizer, the index of the one optimizer to sweep (absent: every
// optimizer of the request, each a sweep of its own). The optimizers' own
// lr and the request's are replaced by each rate; its grid, slice and
// line are not computed.
func DecodeTrainSweep(raw []byte) (*TrainSweep, error) {
	s, own, err := DecodeTrainJob(raw, trainSweepFields)
	if err != nil {
		return nil, err
	}
	lo, err := own.Number("lr_min", TrainSweepLRMinDefault)
	if err != nil {
		return nil, err
	}
	hi, err := own.Number("lr_max", TrainSweepLRMaxDefault)
	if err != nil {
		return nil, err
	}
	count, err := own.Int("count", TrainSweepCountDefault, basin.SweepCountMin, TrainSweepCountLimit)
	if err != nil {
		return nil, err
	}
	if err := positiveFinite("lr_min", lo); err != nil {
		return nil, err
	}
	if err := positiveFinite("lr_max", hi); err != nil {
		return nil, err
	}
	if !(hi > lo) {
		return nil, Errorf("lr_max", "lr_max must be > lr_min (%s), got %s", FormatNumber(lo), FormatNumber(hi))
	}
	es, res, err := s.engineSpec()
	if err != nil {
		return nil, err
	}
	ts := &TrainSweep{spec: s, LRs: basin.LogSpace(lo, hi, int(count)), Count: int(count), LRMin: lo, LRMax: hi}
	only := int64(-1) // every optimizer
	if _, ok := own["optimizer"]; ok {
		if only, err = own.Int("optimizer", 0, 0, int64(len(es.Optimizers)-1)); err != nil {
			return nil, err
		}
	}
	for i := range es.Optimizers {
		if only >= 0 && int64(i) != only {
			continue
		}
		ts.Index = append(ts.Index, i)
		ts.Optimizers = append(ts.Optimizers, *withoutLR(resolvedValues(res.Optimizers[i], TrainSweepLRMinDefault)))
		delete(es.Optimizers[i].Values, "lr")
	}
	es.Optimizers = pick(es.Optimizers, ts.Index)
	es.Grid, es.Line = 0, 0
	ts.engine = es
	return ts, nil
}

// resolvedValues is o with every hyperparameter filled in as the engine
// fills it, lr (when o has none) included, for an answer to show; the
// engine checks the values' ranges, so o stays as it is when they fail.
func resolvedValues(o Resolved, lr float64) *Resolved {
	given := maps.Clone(o.Values)
	if given == nil {
		given = optim.Values{}
	}
	if _, ok := given["lr"]; !ok {
		given["lr"] = []float64{lr}
	}
	if _, vals, err := optim.New(o.Info.Name, given); err == nil {
		o.Values = vals
	}
	return &o
}

func pick[T any](all []T, idx []int) []T {
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = all[i]
	}
	return out
}

// Price is what the sweep will compute: a training per rate and optimizer.
func (ts *TrainSweep) Price() cost.Estimate {
	sz := trainSizeOf(ts.spec)
	sz.Runs = len(ts.Index) * ts.Count
	e := cost.Train(sz)
	e.What, e.Smaller = "this learning-rate sweep", "use fewer learning rates (count), fewer optimizers, fewer steps or epochs, fewer rows or a smaller model"
	return e
}

// Run trains every swept optimizer at every rate, handing each run's
// summary to emit: opt indexes Optimizers, k the rates.
func (ts *TrainSweep) Run(ctx context.Context, emit func(opt, k int, r train.SweepRow) error) error {
	return engineErr(train.Sweep(ctx, ts.engine, ts.LRs, emit))
}

// TrainBasinMap is a validated basin map over starting parameters.
type TrainBasinMap struct {
	spec   TrainSpec
	engine train.Spec
	// Optimizer is the optimizer run from every start, Index its place in
	// the request.
	Optimizer Resolved
	Index     int
	Grid      int
	// Box is the starts' box; nil until resolved when none was given
	// (BoxFor computes the landscape's).
	Box *[4]float64
}

// DecodeTrainBasin decodes and checks a basin map over starting
// parameters: a training request (linear or logistic) plus grid (the
// map's side), box ([min, max, min, max] of the two parameters; absent:
// the box of the request's own landscape) and optimizer (an index into
// optimizers, required when there are several), as a function basin
// map's. The request's init is replaced by each start; "grid" is the map's
// side here, not a landscape's.
func DecodeTrainBasin(raw []byte) (*TrainBasinMap, error) {
	s, own, err := DecodeTrainJob(raw, trainBasinFields)
	if err != nil {
		return nil, err
	}
	n, err := own.Int("grid", TrainBasinGridDefault, train.MinStartGrid, train.MaxStartGrid)
	if err != nil {
		return nil, err
	}
	box, err := own.Numbers("box", 4, "[min, max, min, max] of the two parameters")
	if err != nil {
		return nil, err
	}
	es, res, err := s.engineSpec()
	if err != nil {
		return nil, err
	}
	def := int64(-1)
	if len(es.Optimizers) == 1 {
		def = 0
	}
	if _, ok := own["optimizer"]; !ok && def < 0 {
		return nil, Errorf("optimizer", "optimizer (an index into optimizers) is required when optimizers lists %d", len(es.Optimizers))
	}
	i, err := own.Int("optimizer", def, 0, int64(len(es.Optimizers)-1))
	if err != nil {
		return nil, err
	}
	lr := train.DefaultLR
	if s.LR != nil {
		lr = *s.LR
	}
	bm := &TrainBasinMap{spec: s, Optimizer: *resolvedValues(res.Optimizers[i], lr), Index: int(i), Grid: int(n)}
	if box != nil {
		if err := checkBox(box); err != nil {
			return nil, err
		}
		bm.Box = &[4]float64{box[0], box[1], box[2], box[3]}
	}
	es.Grid, es.Line = 0, 0
	bm.engine = es
	return bm, nil
}

// Price is what the map will compute: a training per cell, and one more
// for the default box.
func (bm *TrainBasinMap) Price() cost.Estimate {
	sz := trainSizeOf(bm.spec)
	sz.Runs = bm.Grid * bm.Grid
	if bm.Box == nil {
		sz.Runs += len(bm.spec.Optimizers)
	}
	e := cost.Train(sz)
	e.What, e.Smaller = "this basin map", "use a smaller grid, fewer steps or epochs, fewer rows or a larger batch_size"
	return e
}

// Run computes the map (the box first, when none was given), handing the
// critical points the cells' reached index to start (Box is set by then)
// and each row to emit; it returns the critical points.
func (bm *TrainBasinMap) Run(ctx context.Context, start func(crit []landscape.CriticalPoint) error, emit func(row int, cells []train.StartCell) error) ([]landscape.CriticalPoint, error) {
	if bm.Box == nil {
		box, err := train.LandscapeBox(ctx, bm.engine)
		if err != nil {
			return nil, engineErr(err)
		}
		bm.Box = &box
	}
	crit, err := train.StartMap(ctx, bm.engine, bm.Index, *bm.Box, bm.Grid, start, emit)
	return crit, engineErr(err)
}

// trainSizeOf sizes one run of s without its landscape or line.
func trainSizeOf(s TrainSpec) cost.TrainSize {
	s.Grid, s.Line = nil, nil
	return TrainSize(s)
}

// engineErr turns the engine's field errors into this package's.
func engineErr(err error) error {
	var fe *train.FieldError
	if errors.As(err, &fe) {
		return &Error{Field: fe.Field, Msg: fe.Msg, Pos: -1}
	}
	return err
}
