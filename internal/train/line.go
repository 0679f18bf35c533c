package train

import (
	"context"
	"math"

	"github.com/basin-dev/basin/internal/optim"
)

// The straight line from a run's initial to its final parameters
// (Goodfellow, Vinyals and Saxe 2015, "Qualitatively characterizing neural
// network optimization problems"): the full-data loss at
// θ(t) = (1 − t)·θ0 + t·θ_final. Written that way, not θ0 + t·(θ_final − θ0),
// so that t = 0 and t = 1 give θ0 and θ_final exactly, and the line's ends
// are the run's first and last losses bit for bit.
const (
	// MinLine and MaxLine bound "line": the intervals between t = 0 and
	// t = 1. 256 intervals resolve any bump a page can draw; the line's
	// cost is that many full-data losses per run, about one step's each.
	MinLine = 2
	MaxLine = 256
	// LineMargin is how far the line reaches beyond each end, in units of
	// the segment: Goodfellow et al. plot t from −0.5 to 1.5, so that a
	// minimum at the end shows as the bottom of a valley, rising on both
	// sides, and a start on a slope shows the slope going on.
	LineMargin = 0.5
)

// Line is the loss along a run's straight line: T holds the t of each
// point, Loss the mean loss over the training rows there, ValLoss over the
// validation rows (nil without a split). A loss that overflows is +Inf, as
// in a Grid.
type Line struct {
	T, Loss, ValLoss []float64
}

// lineTs are the line's t for n intervals per unit: t = k/n for every
// integer k with −LineMargin ≤ k/n ≤ 1 + LineMargin, so t = 0 and t = 1
// are among them exactly.
func lineTs(n int) []float64 {
	h := int(LineMargin * float64(n))
	ts := make([]float64, 0, n+2*h+1)
	for k := -h; k <= n+h; k++ {
		ts = append(ts, float64(k)/float64(n))
	}
	return ts
}

// LinePoints is the number of points of a line of n intervals per unit.
func LinePoints(n int) int { return n + 2*int(LineMargin*float64(n)) + 1 }

func (pl *plan) checkLine(n int) error {
	if n != 0 && (n < MinLine || n > MaxLine) {
		return fieldErrorf("line", "must be 0 (no line) or in [%d, %d], got %d", MinLine, MaxLine, n)
	}
	pl.line = n
	return nil
}

// lineOf computes r's line, or nil for a run that diverged (its end is the
// last finite row, not where training went) or recorded no row.
func (pl *plan) lineOf(ctx context.Context, r *RunResult) (*Line, error) {
	rows := r.Rows()
	if pl.line == 0 || rows == 0 || r.Outcome.Status == optim.Diverged {
		return nil, nil
	}
	np := pl.model.NumParams()
	start, end := r.Params[:np], r.Params[(rows-1)*np:rows*np]
	ts := lineTs(pl.line)
	ln := &Line{T: ts, Loss: make([]float64, len(ts))}
	if pl.val != nil {
		ln.ValLoss = make([]float64, len(ts))
	}
	ws := pl.model.NewWorkspace()
	p := make([]float64, np)
	for i, t := range ts {
		if i%16 == 15 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for j := range p {
			p[j] = (1-t)*start[j] + t*end[j]
		}
		ln.Loss[i] = overflowed(ws.Loss(p, pl.train, nil))
		if pl.val != nil {
			ln.ValLoss[i] = overflowed(ws.Loss(p, pl.val, nil))
		}
	}
	return ln, nil
}

// overflowed maps a loss that is not finite to +Inf, the one value the
// encoders write as null.
func overflowed(v float64) float64 {
	if finite(v) {
		return v
	}
	return math.Inf(1)
}
