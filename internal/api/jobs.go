package api

import (
	"context"
	"net/http"
)

// answerJob is the REST path of the jobs that take a run spec plus fields
// of their own (sweeps, basin maps, inspections): read the body, refuse any
// query parameter, decode and validate it, reserve the memory its result
// holds until written (held), compute, and stream what encode writes. A
// failed computation is answered only while the client is still there
// (its context ends when it leaves, and so does the computation). Runs do
// not come here: they also read a query (format) and may answer CSV.
func answerJob[J, R any](h *Handler, w http.ResponseWriter, r *http.Request,
	decode func(context.Context, []byte) (J, error),
	held func(J) int64,
	compute func(context.Context, J) (R, error),
	encode func(J, R, spill) ([]byte, error)) {
	answerJobAs(h, w, r, "application/json", decode, held, compute, encode)
}

// answerJobAs is answerJob with an answer of type contentType (a basin
// map may answer in its binary row layout).
func answerJobAs[J, R any](h *Handler, w http.ResponseWriter, r *http.Request, contentType string,
	decode func(context.Context, []byte) (J, error),
	held func(J) int64,
	compute func(context.Context, J) (R, error),
	encode func(J, R, spill) ([]byte, error)) {
	body, err := h.readBody(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, done := h.jobContext(r)
	defer done()
	job, err := decode(ctx, body)
	if err != nil {
		h.failJob(w, r, ctx, err)
		return
	}
	release, err := h.reserve(ctx, held(job)+2*streamChunk)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer release()
	res, err := compute(ctx, job)
	if err != nil {
		h.failJob(w, r, ctx, err)
		return
	}
	st := newStream(w, contentType)
	b, err := encode(job, res, st.spill)
	if err != nil {
		st.fail(h, r, err)
		return
	}
	st.finish(b)
}

// noneHeld is the held of a job whose answer is small (an inspection, a
// sweep): only the stream's buffer is reserved.
func noneHeld[J any](J) int64 { return 0 }

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
