package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/basin-dev/basin/internal/admission"
	"github.com/basin-dev/basin/internal/bytebudget"
	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/peer"
	"github.com/basin-dev/basin/internal/runspec"
)

// Admission: every computation, REST or websocket, is priced before it
// starts (cost, against Config.CPUBudget), reserves the memory its answer
// will hold while it waits to be written (bytebudget), and takes a slot of
// the run pool (and a many-run job slot first, for sweeps and basin maps)
// fairly shared between clients (admission). A refusal names its reason:
// 400 over the CPU budget, 429 with Retry-After when busy, 503 while
// shutting down.

// DefaultMemoryBudget bounds the bytes held for clients at once: request
// bodies being read and computed answers not yet written. The largest run
// holds 3.8 MB of points while it is written, so a client that never reads
// gets about 30 of them held (its half) before it is refused, and the
// server stays far below the memory of a small machine.
const DefaultMemoryBudget = 256 << 20

// clientKey carries the request's client in its context.
type clientKey struct{}

// withClient returns ctx carrying client id.
func withClient(ctx context.Context, id peer.ID) context.Context {
	return context.WithValue(ctx, clientKey{}, id)
}

// clientOf is the client a context's work is for; work without one (tests
// calling a handler's computation directly) shares one anonymous client.
func clientOf(ctx context.Context) string {
	id, _ := ctx.Value(clientKey{}).(peer.ID)
	return string(id)
}

// clientID names the client of r: its peer, or X-Forwarded-For from a
// trusted proxy.
func (h *Handler) clientID(r *http.Request) peer.ID {
	return h.ids.Identify(r.RemoteAddr, r.Header.Values("X-Forwarded-For"))
}

// secure reports whether the client reached us over https: TLS here, or a
// trusted proxy saying so in X-Forwarded-Proto.
func (h *Handler) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return h.ids.Trusted(r.RemoteAddr) && r.Header.Get("X-Forwarded-Proto") == "https"
}

// acquireRun takes a run slot for ctx's client, waiting its turn; the
// returned function gives it back. A refusal is an *Error: 429 after
// Config.QueueWait, 503 when the server is shutting down.
func (h *Handler) acquireRun(ctx context.Context) (release func(), err error) {
	return h.acquireFrom(ctx, h.runs)
}

// acquireHeavy takes a many-run job slot and then a run slot, so that at
// least three quarters of the run slots always remain for trajectories.
func (h *Handler) acquireHeavy(ctx context.Context) (release func(), err error) {
	heavy, err := h.acquireFrom(ctx, h.heavy)
	if err != nil {
		return nil, err
	}
	run, err := h.acquireFrom(ctx, h.runs)
	if err != nil {
		heavy()
		return nil, err
	}
	start := time.Now()
	return func() { run(); heavy(); h.metrics.observeJob(time.Since(start)) }, nil
}

// acquireFrom waits for a slot of p, giving up when ctx ends or the server
// begins shutting down.
func (h *Handler) acquireFrom(ctx context.Context, p *admission.Pool) (func(), error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(h.quit, cancel)
	defer stop()
	release, err := p.Acquire(ctx, clientOf(ctx))
	if err != nil {
		return nil, h.refusal(err)
	}
	return release, nil
}

// reserve holds n bytes of the memory budget for ctx's client.
func (h *Handler) reserve(ctx context.Context, n int64) (release func(), err error) {
	release, err = h.memory.Reserve(clientOf(ctx), n)
	if err != nil {
		return nil, h.refusal(err)
	}
	return release, nil
}

// checkCost refuses e with a 400 naming the estimate and the limit when it
// exceeds the CPU budget.
func (h *Handler) checkCost(field string, e cost.Estimate) error {
	if err := cost.Check(e, h.cfg.CPUBudget); err != nil {
		return runspec.Errorf(field, "%s", err.Error())
	}
	return nil
}

// refusal turns admission's and the memory budget's errors into the
// answers clients see: 429 (busy, with Retry-After), or 503 when the
// server is shutting down. Other errors pass unchanged.
func (h *Handler) refusal(err error) error {
	var busy *admission.BusyError
	var full *bytebudget.FullError
	switch {
	case h.quit.Err() != nil && errors.Is(err, context.Canceled):
		return errShuttingDown
	case errors.As(err, &busy):
		return statusError(http.StatusTooManyRequests, busy.Error())
	case errors.As(err, &full):
		return statusError(http.StatusTooManyRequests, full.Error())
	}
	return err
}

// errShuttingDown answers work the server will not do because it is
// stopping.
var errShuttingDown = statusError(http.StatusServiceUnavailable, "the server is shutting down; try again shortly")

// retryAfterFor is the Retry-After of a refusal with status code, or ""
// when it needs none.
func retryAfterFor(code int) string {
	if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
		return strconv.Itoa(int(admission.DefaultRetryAfter / time.Second))
	}
	return ""
}

// admitCritical admits the critical-point search of fn: priced at its
// evaluation bound, then a run slot like any computation.
func (h *Handler) admitCritical(ctx context.Context, fn landscape.Function) (func(), error) {
	if err := h.checkCost("expr", cost.Critical(fn)); err != nil {
		return nil, err
	}
	return h.acquireRun(ctx)
}

// jobContext is the context a REST computation runs under: it ends when
// the client goes away (the request's context) or when shutdown halts
// computing.
func (h *Handler) jobContext(r *http.Request) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(r.Context())
	stop := context.AfterFunc(h.halt, cancel)
	return ctx, func() { stop(); cancel() }
}

// failJob answers a REST computation's error: nothing when the client has
// gone, 503 when shutdown halted it, else the error.
func (h *Handler) failJob(w http.ResponseWriter, r *http.Request, ctx context.Context, err error) {
	switch {
	case r.Context().Err() != nil:
	case ctx.Err() != nil && h.halt.Err() != nil:
		w.Header().Set("Connection", "close")
		h.fail(w, r, errShuttingDown)
	default:
		h.fail(w, r, err)
	}
}
