package api

import (
	"context"
	"sync"

	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
)

// pointBufs recycles the streaming buffers (runspec.StepsLimit+1 points,
// 240 KB) so a thousand sessions dragging sliders do not make that much
// garbage per request.
var pointBufs = sync.Pool{New: func() any {
	b := make([]optim.Point, 0, runspec.StepsLimit+1)
	return &b
}}

// runSlot is a run's hold on one slot of the server's run semaphore. A run
// holds it from its first trajectory to its last, so under load runs finish
// in the order they started instead of taking turns per trajectory; it gives
// it up (release) before waiting for a slow client and takes it again before
// its next trajectory, so a client that reads slowly never keeps another
// client's run waiting.
type runSlot struct {
	h        *Handler
	giveBack func() // the held slot's release, nil when none is held
}

// take holds a slot, waiting for ctx's client's turn until ctx ends.
func (s *runSlot) take(ctx context.Context) error {
	if s.giveBack != nil {
		return nil
	}
	giveBack, err := s.h.acquireRun(ctx)
	if err != nil {
		return err
	}
	s.giveBack = giveBack
	return nil
}

// release gives the slot back if it is held.
func (s *runSlot) release() {
	if s.giveBack != nil {
		s.giveBack()
		s.giveBack = nil
	}
}

// execute computes every trajectory of p in spec order, holding slot while
// it computes and releasing it when done. With keep, each result keeps its
// points (the REST answer); without, one pooled buffer is reused
// (streaming). When emit is set it receives each trajectory's points right
// after they are computed, and may release slot before it waits.
func (h *Handler) execute(ctx context.Context, p *runspec.Plan, slot *runSlot, keep bool, emit func(i int, pts []optim.Point) error) ([]runspec.Result, error) {
	defer slot.release()
	if err := h.checkCost("steps", cost.Run(p.Func, p.Config.Steps, len(p.Optimizers)).Noisy(p.Config.Noise)); err != nil {
		return nil, err
	}
	rs := make([]runspec.Result, len(p.Optimizers))
	var buf []optim.Point
	if !keep {
		pb := pointBufs.Get().(*[]optim.Point)
		defer pointBufs.Put(pb)
		buf = *pb
	}
	for i := range p.Optimizers {
		if keep {
			buf = make([]optim.Point, 0, p.Config.Steps+1)
		}
		if err := slot.take(ctx); err != nil {
			return nil, err
		}
		pts, out, err := p.Trajectory(ctx, i, buf)
		if err != nil {
			return nil, err
		}
		rs[i] = runspec.Result{Optimizer: &p.Optimizers[i], Outcome: out}
		if keep {
			rs[i].Points = pts
		}
		if emit != nil {
			if err := emit(i, pts); err != nil {
				return nil, err
			}
		}
	}
	return rs, nil
}
