package basin

import "github.com/basin-dev/basin/internal/landscape"

// BatchGrad is an optional ability of a landscape.Function: the value and
// gradient at many points in one call, so the lock-step engine pays one
// dynamic call per row and step instead of one per cell. Results must be
// bit-identical to ValueGrad at each point (the engine's cells must equal
// optim.Run's), and it must not allocate.
type BatchGrad interface {
	// ValueGradN sets vals[i], gxs[i], gys[i] to the value and gradient at
	// (xs[i], ys[i]) for every i < len(xs); the other slices are at least
	// as long.
	ValueGradN(xs, ys, vals, gxs, gys []float64)
}

// batchOf returns f's batched form: f itself if it implements BatchGrad,
// this package's wrapper for a preset type, or else a loop over f.ValueGrad
// (correct for any function, only without inlining).
func batchOf(f landscape.Function) BatchGrad {
	if b, ok := f.(BatchGrad); ok {
		return b
	}
	if b := presetBatch(f); b != nil {
		return b
	}
	return loopBatch{f}
}

// loopBatch is the batched form of any function: one ValueGrad per point.
type loopBatch struct{ f landscape.Function }

func (l loopBatch) ValueGradN(xs, ys, vals, gxs, gys []float64) {
	for i := range xs {
		vals[i], gxs[i], gys[i] = unpack(l.f.ValueGrad(landscape.Vec{X: xs[i], Y: ys[i]}))
	}
}

func unpack(v float64, g landscape.Vec) (float64, float64, float64) { return v, g.X, g.Y }
