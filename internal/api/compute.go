package api

import (
	"context"
	"sync"

	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/optim"
)

// emitFunc receives each batch of points of optimizer run as computed. It
// calls wait, if it has to block (a full send queue), before blocking, so
// that the run's semaphore slot goes to another run in the meantime.
type emitFunc func(run, from int, pts []optim.Point, wait func()) error

// pointBufs recycles the streaming buffers (StepsLimit+1 points, 240 KB) so
// a thousand sessions dragging sliders do not make that much garbage per
// request.
var pointBufs = sync.Pool{New: func() any {
	b := make([]optim.Point, 0, StepsLimit+1)
	return &b
}}

// execute computes every trajectory of r in spec order. With keep, each
// result keeps its points (the REST answer); without, one pooled buffer is
// reused (streaming). When emit is set it receives each trajectory's points
// in batches of pointsBatch right after that trajectory is computed.
//
// The run holds one slot of the server's run semaphore from its first
// trajectory to its last, so under load runs finish in the order they
// started instead of taking turns per trajectory. If emit has to wait for a
// slow client, the slot is released first (wait) and taken again before the
// next trajectory: a client that reads slowly never keeps another client's
// run waiting.
func (h *Handler) execute(ctx context.Context, r *run, keep bool, emit emitFunc) ([]result, error) {
	if err := h.checkCost("steps", cost.Run(r.fn, r.cfg.Steps, len(r.opts))); err != nil {
		return nil, err
	}
	rs := make([]result, len(r.opts))
	var buf []optim.Point
	if !keep {
		pb := pointBufs.Get().(*[]optim.Point)
		defer pointBufs.Put(pb)
		buf = *pb
	}
	var release func() // the held run slot's, or nil
	defer func() {
		if release != nil {
			release()
		}
	}()
	wait := func() {
		if release != nil {
			release()
			release = nil
		}
	}
	for i := range r.opts {
		if keep {
			buf = make([]optim.Point, 0, r.cfg.Steps+1)
		}
		cfg := r.cfg
		cfg.LR = r.opts[i].values["lr"][0] // the base the schedule scales
		if release == nil {
			var err error
			if release, err = h.acquireRun(ctx); err != nil {
				return nil, err
			}
		}
		pts, out, err := optim.Run(ctx, cfg, r.opts[i].opt, buf, 0, nil)
		if err != nil {
			return nil, err
		}
		rs[i] = result{opt: &r.opts[i], outcome: out}
		if keep {
			rs[i].points = pts
		}
		for from := 0; emit != nil && from < len(pts); from += pointsBatch {
			if err := emit(i, from, pts[from:min(from+pointsBatch, len(pts))], wait); err != nil {
				return nil, err
			}
		}
	}
	return rs, nil
}
