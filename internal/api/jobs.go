package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// The many-run jobs (learning-rate sweeps, basin maps) and the optimizer
// inspection take a run spec with a few fields of their own at its top
// level, so a client sends the spec it already has (the page's permalink
// state) plus, say, "grid": 128. The extra fields are split off here; the
// rest is decoded and validated exactly as a run spec, with the same
// messages.

// decodeJobSpec splits raw into the run spec and the job's own fields
// (named in extra), each decoded by its own member. An unknown field is an
// error that suggests the closest spec or job field.
func decodeJobSpec(raw []byte, extra []string) (RunSpec, map[string]json.RawMessage, error) {
	ms, err := decodeObject("", raw)
	if err != nil {
		return RunSpec{}, nil, err
	}
	own := make(map[string]json.RawMessage, len(extra))
	rest := make([]byte, 0, len(raw))
	rest = append(rest, '{')
	for _, m := range ms {
		switch {
		case slices.Contains(extra, m.Name):
			own[m.Name] = m.Value
			continue
		case !slices.Contains(specFields, m.Name):
			return RunSpec{}, nil, unknownField("", m.Name, append(slices.Clone(extra), specFields...))
		}
		if len(rest) > 1 {
			rest = append(rest, ',')
		}
		rest = appendJSONString(rest, m.Name)
		rest = append(rest, ':')
		rest = append(rest, m.Value...)
	}
	rest = append(rest, '}')
	spec, err := DecodeSpec(rest)
	return spec, own, err
}

// jobNumber decodes the job field name as a finite number; absent or null
// gives def.
func jobNumber(own map[string]json.RawMessage, name string, def float64) (float64, error) {
	raw, ok := own[name]
	if !ok || isNull(raw) {
		return def, nil
	}
	var v float64
	if err := json.Unmarshal(raw, &v); err != nil {
		return 0, errorf(name, "%s must be a finite number, got %s", name, clip(raw))
	}
	return v, nil
}

// jobInt decodes the job field name as an integer in [lo, hi]; absent or
// null gives def, and def < 0 makes the field required.
func jobInt(own map[string]json.RawMessage, name string, def, lo, hi int64) (int64, error) {
	raw, ok := own[name]
	if !ok || isNull(raw) {
		if def < 0 {
			return 0, errorf(name, "%s is required", name)
		}
		return def, nil
	}
	var v int64
	if err := json.Unmarshal(raw, &v); err != nil {
		return 0, errorf(name, "%s must be an integer in [%d, %d], got %s", name, lo, hi, clip(raw))
	}
	if v < lo || v > hi {
		return 0, errorf(name, "%s must be an integer in [%d, %d], got %d", name, lo, hi, v)
	}
	return v, nil
}

// pickOptimizer chooses the optimizer a single-optimizer job runs: the
// "optimizer" index into the spec's list, which may be left out when the
// list has exactly one entry, so a client can send its whole multi-optimizer
// spec and name the one to use.
func pickOptimizer(r *run, own map[string]json.RawMessage) (*resolvedOpt, int, error) {
	def := int64(-1)
	if len(r.opts) == 1 {
		def = 0
	}
	raw, ok := own["optimizer"]
	if (!ok || isNull(raw)) && def < 0 {
		return nil, 0, errorf("optimizer", "optimizer (an index into optimizers) is required when optimizers lists %d", len(r.opts))
	}
	i, err := jobInt(own, "optimizer", def, 0, int64(len(r.opts)-1))
	if err != nil {
		return nil, 0, err
	}
	return &r.opts[i], int(i), nil
}

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
		if !errors.As(err, new(*Error)) {
			s.h.log.Error(what, "id", j.id, "err", err)
		}
		s.enqueue(ctx, j, true, errorMsg(j.id, err))
		return
	}
	s.enqueue(ctx, j, true, last())
}

// readBody reads a POST body of at most BodyBytesLimit bytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, BodyBytesLimit))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, errorf("", "request body must be at most %d bytes", BodyBytesLimit)
		}
		return nil, errorf("", "reading the request body: %v", err)
	}
	return body, nil
}

// heavyLimit is the number of many-run jobs (sweeps, basin maps) that may
// compute at once on a server with maxRuns run slots: a quarter of them,
// at least one. Each such job also holds one run slot while it computes,
// so at least three quarters of the slots always remain for trajectory
// runs, and a flood of basin maps can delay a slider drag but never block
// it (with maxRuns of 1 a trajectory run waits for at most one job, whose
// size BasinWorkLimit bounds).
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
	start := time.Now()
	return func() { h.releaseRun(); <-h.heavy; h.metrics.observeJob(time.Since(start)) }, nil
}

// appendNumberOrNull appends v, or null when it is not finite: inspection
// snapshots may hold the Inf of a step that overflowed.
func appendNumberOrNull(b []byte, v float64) []byte {
	if !finite(v) {
		return append(b, "null"...)
	}
	return appendFloat(b, v)
}

// appendPair appends [x,y], each component a number or null.
func appendPair(b []byte, x, y float64) []byte {
	b = append(b, '[')
	b = appendNumberOrNull(b, x)
	b = append(b, ',')
	b = appendNumberOrNull(b, y)
	return append(b, ']')
}

// appendInt appends an integer.
func appendInt(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }

// positiveFinite checks a job's learning-rate bound.
func positiveFinite(name string, v float64) error {
	if !(v > 0) || math.IsInf(v, 0) {
		return errorf(name, "%s must be > 0, got %s", name, formatNumber(v))
	}
	return nil
}

// outbox hands a many-run job's messages to the writer without ever
// blocking while the job holds server slots, so a client that reads slowly
// keeps no other client's map or sweep waiting (the rule execute follows
// for trajectories). Messages the send queue cannot take at once wait here
// in order and go out as room appears, the rest by flush after the job has
// released its slots. What waits is at most one map's rows (1.6 MB binary
// at 256², about the engine's own cell array) and lives no longer than the
// writer's deadline lets a stalled client stay.
type outbox struct {
	s       *session
	ctx     context.Context
	j       *job
	pending []outMsg
}

// put queues m after everything pending, without blocking.
func (o *outbox) put(m outMsg) {
	m.job = o.j
	o.pending = append(o.pending, m)
	for len(o.pending) > 0 {
		select {
		case o.s.send <- o.pending[0]:
			o.pending[0] = outMsg{}
			o.pending = o.pending[1:]
		default:
			return
		}
	}
}

// finish ends the job's streaming once it has released its slots: after
// a failure (err) it drops what is pending and returns err; else it sends
// what is pending, waiting for the writer until the job's context ends.
func (o *outbox) finish(err error) error {
	for i, m := range o.pending {
		if err == nil {
			err = o.s.enqueue(o.ctx, o.j, false, m) // returns m's buffer on failure
		} else {
			putMsg(m.data)
		}
		o.pending[i] = outMsg{}
	}
	o.pending = nil
	return err
}
