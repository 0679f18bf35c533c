package api

import (
	"context"
	"sync"

	"github.com/basin-dev/basin/internal/optim"
)

// emitFunc receives each batch of points of optimizer run as computed.
type emitFunc func(run, from int, pts []optim.Point) error

// pointBufs recycles the streaming buffers (StepsLimit+1 points, 240 KB) so
// a thousand sessions dragging sliders do not make that much garbage per
// request.
var pointBufs = sync.Pool{New: func() any {
	b := make([]optim.Point, 0, StepsLimit+1)
	return &b
}}

// execute computes every trajectory of r in spec order, holding one slot of
// the server's run semaphore. With keep, each result keeps its points (the
// REST answer); without, points go only to emit and one pooled buffer is
// reused (streaming).
func (h *Handler) execute(ctx context.Context, r *run, keep bool, emit emitFunc) ([]result, error) {
	if err := h.acquireRun(ctx); err != nil {
		return nil, err
	}
	defer h.releaseRun()
	rs := make([]result, len(r.opts))
	var buf []optim.Point
	if !keep {
		pb := pointBufs.Get().(*[]optim.Point)
		defer pointBufs.Put(pb)
		buf = *pb
	}
	for i := range r.opts {
		if keep {
			buf = make([]optim.Point, 0, r.cfg.Steps+1)
		}
		var e func(from int, pts []optim.Point) error
		if emit != nil {
			e = func(from int, pts []optim.Point) error { return emit(i, from, pts) }
		}
		cfg := r.cfg
		cfg.LR = r.opts[i].values["lr"][0] // the base the schedule scales
		pts, out, err := optim.Run(ctx, cfg, r.opts[i].opt, buf, pointsBatch, e)
		if err != nil {
			return nil, err
		}
		rs[i] = result{opt: &r.opts[i], outcome: out}
		if keep {
			rs[i].points = pts
		}
	}
	return rs, nil
}
