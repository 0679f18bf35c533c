package train

import (
	"context"
	"math"
	"strconv"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

// A basin map over starting parameters trains one optimizer from every
// node of a grid of initial parameters, everything else as the request
// has it (the same data, batches and shuffle), and records where each run
// went: the function mode's basin-of-attraction map, for the two-parameter
// models, whose starts are points of the landscape's own plane.

// StartCell is one start's run, summarised.
type StartCell struct {
	Outcome optim.Outcome
	// Reached indexes the critical points for a converged run that reached
	// one, else -1.
	Reached int
	// End is the last recorded parameters, FinalLoss the full-data loss
	// there; the start and its loss when the run recorded no step.
	End       [2]float64
	FinalLoss float64
}

// StartMap validates spec, then trains its optimizer opt from each node
// (i, j) of an n x n grid over box [w or w1 min, max, b or w2 min, max]:
// init = (box[0] + i·(box[1] − box[0])/(n − 1), box[2] + j·(...)/(n − 1)),
// row-major from j = 0 as basin maps are laid out, a row per core at a
// time. It hands the critical points that Reached indexes to start (nil:
// none) before the first run, and each row to emit as it finishes (so not
// in order; never concurrently); it returns the critical points too.
// Each cell is the run Run makes for the spec with that optimizer alone
// and init.params the cell's start, bit for bit. A network is refused:
// its starts do not lie on a plane. Validation errors are *FieldError.
func StartMap(ctx context.Context, spec Spec, opt int, box [4]float64, n int,
	start func(crit []landscape.CriticalPoint) error, emit func(row int, cells []StartCell) error) ([]landscape.CriticalPoint, error) {
	if err := checkStartMap(spec, opt, box, n); err != nil {
		return nil, err
	}
	spec.Init = Init{Params: []float64{box[0], box[2]}}
	pl, err := check(spec)
	if err != nil {
		return nil, err
	}
	crit := critical(pl)
	if start != nil {
		if err := start(crit); err != nil {
			return nil, err
		}
	}
	cells := make([]StartCell, n*n)
	err = basin.ForEach(ctx, n, 0,
		func() func(context.Context, int) error {
			one := *pl
			one.runs = pl.runs[opt : opt+1]
			return func(ctx context.Context, j int) error {
				b := box[2] + float64(j)*(box[3]-box[2])/float64(n-1)
				for i := range n {
					one.init = []float64{box[0] + float64(i)*(box[1]-box[0])/float64(n-1), b}
					r, err := one.judged(ctx, 0, one.judges(ctx, spec.Judge, crit), crit, nil)
					if err != nil {
						return err
					}
					cells[j*n+i] = startCell(&r, crit)
				}
				return nil
			}
		},
		func(j int) error { return emit(j, cells[j*n:(j+1)*n]) })
	if err != nil {
		return nil, err
	}
	return crit, nil
}

// LandscapeBox is the box the landscape of spec's training is drawn over
// (Result.Landscape.Box, with or without a grid): the default box of a
// basin map over starting parameters, so that the map lies on the picture
// the page shows.
func LandscapeBox(ctx context.Context, spec Spec) ([4]float64, error) {
	if spec.Box != nil {
		return *spec.Box, nil
	}
	res, err := Run(ctx, spec)
	if err != nil {
		return [4]float64{}, err
	}
	return frame(res), nil
}

func startCell(r *RunResult, crit []landscape.CriticalPoint) StartCell {
	c := StartCell{Outcome: r.Outcome, Reached: -1}
	if rows := r.Rows(); rows > 0 {
		c.End = [2]float64{r.Params[2*rows-2], r.Params[2*rows-1]}
		c.FinalLoss = r.Loss[rows-1]
	}
	for k := range crit {
		if r.Outcome.Reached == &crit[k] {
			c.Reached = k
		}
	}
	return c
}

// checkStartMap checks what a basin map over starts adds to a training
// request: a two-parameter model, the optimizer, the box and the grid.
func checkStartMap(spec Spec, opt int, box [4]float64, n int) error {
	if spec.Model.Kind == model.MLP {
		return &FieldError{Field: "model.kind", Msg: "model.kind must be linear or logistic for a basin map over starting parameters: " +
			"the map's starts are the points of the two-parameter landscape, and a network's parameters do not lie on a plane (use a learning-rate sweep, or the straight line from start to end)"}
	}
	if opt < 0 || opt >= len(spec.Optimizers) {
		return fieldErrorf("optimizer", "must be an index into optimizers in [0, %d], got %d", max(0, len(spec.Optimizers)-1), opt)
	}
	if n < MinStartGrid || n > MaxStartGrid {
		return fieldErrorf("grid", "must be in [%d, %d], got %d", MinStartGrid, MaxStartGrid, n)
	}
	return checkBox(box)
}

// checkBox checks a box of the two coordinates (a start map's, or the
// landscape's): finite, within MaxBoxCoord, and of some extent.
func checkBox(box [4]float64) error {
	for i, v := range box {
		if math.IsNaN(v) || math.Abs(v) > MaxBoxCoord {
			return fieldErrorf("box["+strconv.Itoa(i)+"]", "must be finite with |v| <= %s, got %g", strconv.FormatFloat(MaxBoxCoord, 'f', -1, 64), v)
		}
	}
	if !(box[0] < box[1]) || !(box[2] < box[3]) {
		return fieldErrorf("box", "must be [min, max, min, max] of the two coordinates with min < max, got %v", box)
	}
	return nil
}

// Limits of a basin map over starting parameters.
const (
	// MinStartGrid and MaxStartGrid bound its side: each cell is a whole
	// training, so the side stops at 64 (4,096 trainings) where the
	// function mode's stops at 256; the CPU budget bounds it further.
	MinStartGrid = 2
	MaxStartGrid = 64
	// MaxBoxCoord bounds the coordinates of a box (a start map's, or the
	// landscape's "box"), as the function mode's domains are bounded
	// (runspec.CoordLimit).
	MaxBoxCoord = 1e6
)
