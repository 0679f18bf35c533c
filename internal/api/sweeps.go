package api

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"slices"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
)

// Learning-rate sweep defaults: the textbook range, from far too small to
// far too large for every preset, at a resolution that draws a smooth curve.
const (
	// SweepLRMinDefault is lr_min when none is given: SGD and Adam do not
	// converge in 500 steps from any preset's default start at this rate
	// (momentum SGD settles on Rastrigin's), so the chart starts "too
	// small".
	SweepLRMinDefault = 1e-5
	// SweepLRMaxDefault is lr_max when none is given: SGD, with or without
	// momentum, diverges there on every preset but Ackley (flat far out);
	// Adam moves at most about lr per step and need not.
	SweepLRMaxDefault = 10
	// SweepCountLimit bounds the learning rates of one sweep (the engine's
	// limit): 256 runs of up to runspec.StepsLimit steps are a fraction of a second.
	SweepCountLimit = basin.SweepCountLimit
)

// sweepFields are the fields a sweep adds to a run spec.
var sweepFields = []string{"optimizer", "lr_min", "lr_max", "count"}

// sweepJob is a validated sweep: the engine's configuration and what the
// answer echoes.
type sweepJob struct {
	cfg basin.SweepConfig
	opt *runspec.Resolved // without lr: the sweep sets it
	run *runspec.Plan
}

// decodeSweep validates a sweep request: a run spec plus lr_min, lr_max and
// count, for one optimizer (its index in "optimizer" when the spec lists
// several). The optimizer's own lr and the spec's lr are ignored: the sweep
// sets each run's lr.
func (h *Handler) decodeSweep(ctx context.Context, raw []byte) (*sweepJob, error) {
	spec, own, err := runspec.DecodeJob(raw, sweepFields)
	if err != nil {
		return nil, err
	}
	lo, err := own.Number("lr_min", SweepLRMinDefault)
	if err != nil {
		return nil, err
	}
	hi, err := own.Number("lr_max", SweepLRMaxDefault)
	if err != nil {
		return nil, err
	}
	count, err := own.Int("count", basin.SweepCountDefault, basin.SweepCountMin, SweepCountLimit)
	if err != nil {
		return nil, err
	}
	if err := positiveFinite("lr_min", lo); err != nil {
		return nil, err
	}
	if err := positiveFinite("lr_max", hi); err != nil {
		return nil, err
	}
	if !(hi > lo) {
		return nil, runspec.Errorf("lr_max", "lr_max must be > lr_min (%s), got %s", runspec.FormatNumber(lo), runspec.FormatNumber(hi))
	}
	r, err := h.resolver.Resolve(ctx, spec)
	if err != nil {
		return nil, err
	}
	if err := h.checkCost("count", cost.Sweep(r.Func, int(count), r.Config.Steps)); err != nil {
		return nil, err
	}
	o, _, err := own.Optimizer(r)
	if err != nil {
		return nil, err
	}
	cfg := basin.SweepConfig{
		Func: r.Func, Critical: r.Config.Critical, Start: r.Config.Start,
		Optimizer: o.Info.Name, Values: o.Values,
		LRMin: lo, LRMax: hi, Count: int(count),
		Steps: r.Config.Steps, Seed: r.Config.Seed, Noise: r.Config.Noise, ClipNorm: r.Config.ClipNorm,
		Schedule: r.Config.Schedule,
	}
	return &sweepJob{cfg: cfg, opt: withoutLR(o), run: r}, nil
}

// withoutLR is o without its lr, for answers in which something else sets
// the learning rate.
func withoutLR(o *runspec.Resolved) *runspec.Resolved {
	c := *o
	c.Info.Params = slices.DeleteFunc(slices.Clone(o.Info.Params), func(p optim.Param) bool { return p.Name == "lr" })
	return &c
}

// sweep runs the sweep, holding a many-run job slot, and hands each
// result to emit as it finishes; it returns all results in learning-rate
// order.
func (h *Handler) sweep(ctx context.Context, sj *sweepJob, emit func(i int, r basin.SweepResult) error) ([]basin.SweepResult, error) {
	release, err := h.acquireHeavy(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	out := make([]basin.SweepResult, sj.cfg.Count)
	err = basin.Sweep(ctx, sj.cfg, func(i int, r basin.SweepResult) error {
		out[i] = r
		if emit != nil {
			return emit(i, r)
		}
		return nil
	})
	return out, err
}

// postSweeps answers a learning-rate sweep at once.
func (h *Handler) postSweeps(w http.ResponseWriter, r *http.Request) {
	answerJob(h, w, r, h.decodeSweep, noneHeld, func(ctx context.Context, sj *sweepJob) ([]basin.SweepResult, error) {
		return h.sweep(ctx, sj, nil)
	}, (*sweepJob).appendAnswer)
}

// appendAnswer is the REST answer of a finished sweep:
// {"optimizer","sweep","results":[...],"summary":{...}}.
func (sj *sweepJob) appendAnswer(rs []basin.SweepResult, _ spill) ([]byte, error) {
	b := []byte(`{"optimizer":`)
	b = appendOptimizerJSON(b, sj.opt)
	b = append(b, `,"sweep":`...)
	b = sj.appendSettings(b)
	b = append(b, `,"results":[`...)
	for i := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = sj.appendResult(b, rs[i]); err != nil {
			return b, err
		}
	}
	b = append(b, `],"summary":`...)
	b = appendSweepSummary(b, rs)
	return append(b, "}\n"...), nil
}

// appendSettings appends {"lr_min","lr_max","count"} as run, then the
// resolved "schedule" member when the spec has one.
func (sj *sweepJob) appendSettings(b []byte) []byte {
	b = append(b, `{"lr_min":`...)
	b = runspec.AppendNumber(b, sj.cfg.LRMin)
	b = append(b, `,"lr_max":`...)
	b = runspec.AppendNumber(b, sj.cfg.LRMax)
	b = append(b, `,"count":`...)
	b = appendInt(b, sj.cfg.Count)
	b = append(b, '}')
	if sj.run.Schedule != nil {
		b = append(b, `,"schedule":`...)
		b = appendOptimizerJSON(b, sj.run.Schedule)
	}
	return b
}

// appendResult appends one learning rate's outcome:
// {"lr","status","step","final_loss","min_loss","steps_to_converge","points","end","reached"?}.
// steps_to_converge is null for a run that did not converge, end null for
// one that recorded no point.
func (sj *sweepJob) appendResult(b []byte, r basin.SweepResult) ([]byte, error) {
	if !finite(r.LR) || !finite(r.FinalLoss) || !finite(r.MinLoss) || !finite(r.End.X) || !finite(r.End.Y) {
		return b, errNonFinite
	}
	b = append(b, `{"lr":`...)
	b = appendFloat(b, r.LR)
	b = append(b, `,"status":"`...)
	b = append(b, r.Status.String()...)
	b = append(b, `","step":`...)
	b = appendInt(b, r.Step)
	b = append(b, `,"final_loss":`...)
	b = appendFloat(b, r.FinalLoss)
	b = append(b, `,"min_loss":`...)
	b = appendFloat(b, r.MinLoss)
	b = append(b, `,"steps_to_converge":`...)
	if r.StepsToConverge < 0 {
		b = append(b, "null"...)
	} else {
		b = appendInt(b, r.StepsToConverge)
	}
	b = append(b, `,"points":`...)
	b = appendInt(b, r.Points)
	b = append(b, `,"end":`...)
	if r.Points == 0 {
		b = append(b, "null"...)
	} else {
		b = appendPair(b, r.End.X, r.End.Y)
	}
	if crit := sj.cfg.Critical; r.Reached >= 0 && r.Reached < len(crit) {
		var err error
		b = append(b, `,"reached":`...)
		if b, err = appendCriticalJSON(b, crit[r.Reached], true); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendSweepSummary appends the textbook reading of a finished sweep:
// {"threshold": lr or null, "regions":[per result], "ranges":[{"region",
// "lr_min","lr_max"}]}, the ranges being the runs of equal region in
// learning-rate order, which a chart shades.
func appendSweepSummary(b []byte, rs []basin.SweepResult) []byte {
	s := basin.Summarize(rs)
	b = append(b, `{"threshold":`...)
	if s.Threshold > 0 {
		b = appendFloat(b, s.Threshold)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"regions":[`...)
	for i, g := range s.Regions {
		if i > 0 {
			b = append(b, ',')
		}
		b = runspec.AppendJSONString(b, g.String())
	}
	b = append(b, `],"ranges":[`...)
	for i := 0; i < len(s.Regions); {
		j := i
		for j+1 < len(s.Regions) && s.Regions[j+1] == s.Regions[i] {
			j++
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"region":`...)
		b = runspec.AppendJSONString(b, s.Regions[i].String())
		b = append(b, `,"lr_min":`...)
		b = appendFloat(b, rs[i].LR)
		b = append(b, `,"lr_max":`...)
		b = appendFloat(b, rs[j].LR)
		b = append(b, '}')
		i = j + 1
	}
	return append(b, "]}"...)
}

// sweepJobWS streams a sweep over the websocket: one sweep_point message
// per learning rate as it finishes (not in order; index places it), then
// sweep_done with the summary. A cancelled job just returns.
func (s *session) sweepJobWS(ctx context.Context, j *job, raw json.RawMessage, _ bool) {
	sj, err := s.h.decodeSweep(ctx, raw)
	var rs []basin.SweepResult
	if err == nil {
		out := &outbox{s: s, ctx: ctx, j: j}
		rs, err = s.h.sweep(ctx, sj, func(i int, r basin.SweepResult) error {
			b := jobMsg("sweep_point", j.id)
			*b = append(*b, `,"index":`...)
			*b = appendInt(*b, i)
			*b = append(*b, `,"result":`...)
			var err error
			if *b, err = sj.appendResult(*b, r); err != nil {
				putMsg(b)
				return err
			}
			*b = append(*b, '}')
			out.put(textMsg(b))
			return nil
		})
		err = out.finish(err)
	}
	s.endJob(ctx, j, "sweep failed", err, func() outMsg {
		b := jobMsg("sweep_done", j.id)
		*b = append(*b, `,"optimizer":`...)
		*b = appendOptimizerJSON(*b, sj.opt)
		*b = append(*b, `,"sweep":`...)
		*b = sj.appendSettings(*b)
		*b = append(*b, `,"summary":`...)
		*b = appendSweepSummary(*b, rs)
		*b = append(*b, '}')
		return textMsg(b)
	})
}

// positiveFinite checks a job's learning-rate bound.
func positiveFinite(name string, v float64) error {
	if !(v > 0) || math.IsInf(v, 0) {
		return runspec.Errorf(name, "%s must be > 0, got %s", name, runspec.FormatNumber(v))
	}
	return nil
}
