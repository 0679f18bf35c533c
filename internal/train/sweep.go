package train

import (
	"context"
	"errors"
	"maps"
	"strconv"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/optim"
)

// A learning-rate sweep (a learning-rate range test) trains a request's
// optimizers once per learning rate, with everything else as the request
// has it, and keeps each run's summary rather than its rows: a row of a
// sweep is what POST /api/v1/train answers for that run at that rate.

// SweepRow is one run of a sweep, summarised.
type SweepRow struct {
	LR      float64
	Outcome optim.Outcome
	// FinalLoss is the full-data loss at the last recorded row, MinLoss
	// the lowest over the run; both 0 when the run recorded no row (its
	// initial loss was not finite).
	FinalLoss, MinLoss float64
	// Rows is the recorded rows: steps + 1, fewer when the run diverged.
	Rows int
}

// Sweep validates spec and trains each of its optimizers at each learning
// rate of lrs on every core, handing each run's summary to emit with the
// optimizer's index and the rate's as it finishes (so not in order; emit
// is never called concurrently, and a non-nil error from it stops the
// sweep and is returned). A run's learning rate replaces the optimizer's
// own and the spec's lr; each run is the run Run makes for a spec with
// that optimizer alone at that rate, bit for bit. The spec's grid, slice
// and line are not computed. Validation errors are *FieldError.
func Sweep(ctx context.Context, spec Spec, lrs []float64, emit func(opt, k int, r SweepRow) error) error {
	pl, err := check(spec)
	if err != nil {
		return err
	}
	crit := critical(pl)
	np := pl.model.NumParams()
	// Every optimizer's values at every rate, checked before any training.
	runs := make([]resolvedOptimizer, 0, len(spec.Optimizers)*len(lrs))
	for i, o := range spec.Optimizers {
		for _, lr := range lrs {
			given := maps.Clone(o.Values)
			if given == nil {
				given = optim.Values{}
			}
			given["lr"] = []float64{lr}
			_, resolved, err := optim.NewVec(o.Name, given, np)
			if err != nil {
				var pe *optim.ParamError
				if errors.As(err, &pe) {
					return prefixed("optimizers["+strconv.Itoa(i)+"]", pe.Param, pe.Msg)
				}
				return err
			}
			runs = append(runs, resolvedOptimizer{name: o.Name, values: resolved})
		}
	}
	rows := make([]SweepRow, len(runs))
	return basin.ForEach(ctx, len(runs), 0,
		func() func(context.Context, int) error {
			return func(ctx context.Context, item int) error {
				one := *pl
				one.runs = runs[item : item+1]
				r, err := one.judged(ctx, 0, one.judges(ctx, spec.Judge, crit), crit, nil)
				if err != nil {
					return err
				}
				rows[item] = summarise(lrs[item%len(lrs)], &r)
				return nil
			}
		},
		func(item int) error { return emit(item/len(lrs), item%len(lrs), rows[item]) })
}

func summarise(lr float64, r *RunResult) SweepRow {
	row := SweepRow{LR: lr, Outcome: r.Outcome, Rows: r.Rows()}
	if n := len(r.Loss); n > 0 {
		row.FinalLoss, row.MinLoss = r.Loss[n-1], r.Loss[0]
		for _, v := range r.Loss {
			row.MinLoss = min(row.MinLoss, v)
		}
	}
	return row
}
