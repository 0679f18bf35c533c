package api

import (
	"context"
	"net/http"
)

// answerJob is the REST path of the jobs that take a run spec plus fields
// of their own (sweeps, basin maps, inspections): read the body, refuse any
// query parameter, decode and validate it, compute, and answer what encode
// writes, a complete JSON body. A failed computation is answered only while
// the client is still there (its context ends when it leaves). Runs do not
// come here: they also read a query (format) and may answer CSV.
func answerJob[J, R any](h *Handler, w http.ResponseWriter, r *http.Request,
	decode func(context.Context, []byte) (J, error),
	compute func(context.Context, J) (R, error),
	encode func(J, R) ([]byte, error)) {
	body, err := readBody(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	job, err := decode(ctx, body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := compute(ctx, job)
	if err != nil {
		if ctx.Err() == nil {
			h.fail(w, r, err)
		}
		return
	}
	b, err := encode(job, res)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeBody(w, http.StatusOK, "application/json", b)
}

// endJob sends the last message of a websocket job whose work is over:
// nothing once ctx has ended (whoever cancelled the job answers), the error
// if there is one (logged as what failed when it is not the client's
// mistake), else the message last builds.
func (s *session) endJob(ctx context.Context, j *job, what string, err error, last func() outMsg) {
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		if !isClientError(err) {
			s.h.log.Error(what, "id", j.id, "err", err)
		}
		s.enqueue(ctx, j, true, errorMsg(j.id, err))
		return
	}
	s.enqueue(ctx, j, true, last())
}

// heavyLimit is the number of many-run jobs (sweeps, basin maps) that may
// compute at once on a server with maxRuns run slots: a quarter of them,
// at least one. Each such job also holds one run slot while it computes,
// so at least three quarters of the slots always remain for trajectory
// runs, and a flood of basin maps can delay a slider drag but never block
// it (with maxRuns of 1 a trajectory run waits for at most one job, whose
// size runspec.BasinWorkLimit bounds).
func heavyLimit(maxRuns int) int { return max(1, maxRuns/4) }

// acquireHeavy takes a many-run job slot and then a run slot, waiting for
// each until ctx ends; release gives both back.
func (h *Handler) acquireHeavy(ctx context.Context) (release func(), err error) {
	select {
	case h.heavy <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := h.acquireRun(ctx); err != nil {
		<-h.heavy
		return nil, err
	}
	return func() { h.releaseRun(); <-h.heavy }, nil
}
