package api

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"slices"

	"github.com/basin-dev/basin/internal/basin"
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
	cfg  basin.SweepConfig
	opt  *runspec.Resolved // without lr: the sweep sets it
	plan *runspec.Plan
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
	plan, err := h.resolver.Resolve(ctx, spec)
	if err != nil {
		return nil, err
	}
	o, _, err := own.Optimizer(plan)
	if err != nil {
		return nil, err
	}
	cfg := basin.SweepConfig{
		Func: plan.Func, Critical: plan.Config.Critical, Start: plan.Config.Start,
		Optimizer: o.Info.Name, Values: o.Values,
		LRMin: lo, LRMax: hi, Count: int(count),
		Steps: plan.Config.Steps, Seed: plan.Config.Seed, Noise: plan.Config.Noise, ClipNorm: plan.Config.ClipNorm,
		Schedule: plan.Config.Schedule,
	}
	return &sweepJob{cfg: cfg, opt: withoutLR(o), plan: plan}, nil
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
	answerJob(h, w, r, h.decodeSweep, func(ctx context.Context, sj *sweepJob) ([]basin.SweepResult, error) {
		return h.sweep(ctx, sj, nil)
	}, (*sweepJob).appendAnswer)
}

// sweepJSON is the REST answer of a finished sweep, and with its results
// left out, the sweep_done message.
type sweepJSON struct {
	Type      string           `json:"type,omitempty"`
	ID        text             `json:"id,omitempty"`
	Optimizer resolvedJSON     `json:"optimizer"`
	Sweep     sweepSettings    `json:"sweep"`
	Schedule  *resolvedJSON    `json:"schedule,omitempty"`
	Results   []sweepPointJSON `json:"results,omitempty"`
	Summary   sweepSummaryJSON `json:"summary"`
}

// sweepSettings are the learning rates as run.
type sweepSettings struct {
	LRMin jsNumber `json:"lr_min"`
	LRMax jsNumber `json:"lr_max"`
	Count int      `json:"count"`
}

func (sj *sweepJob) answer(rs []basin.SweepResult, withResults bool) sweepJSON {
	a := sweepJSON{
		Optimizer: resolvedJSON{sj.opt},
		Sweep:     sweepSettings{jsNumber(sj.cfg.LRMin), jsNumber(sj.cfg.LRMax), sj.cfg.Count},
		Summary:   newSweepSummary(rs),
	}
	if sj.plan.Schedule != nil {
		a.Schedule = &resolvedJSON{sj.plan.Schedule}
	}
	if withResults {
		a.Results = make([]sweepPointJSON, len(rs))
		for i, r := range rs {
			a.Results[i] = sj.point(r)
		}
	}
	return a
}

// appendAnswer is the REST answer of a finished sweep:
// {"optimizer","sweep","schedule"?,"results":[...],"summary":{...}}.
func (sj *sweepJob) appendAnswer(rs []basin.SweepResult) ([]byte, error) {
	return marshalJSON(sj.answer(rs, true))
}

// sweepPointJSON is one learning rate's outcome. steps_to_converge is null
// for a run that did not converge, end null for one that recorded no point.
type sweepPointJSON struct {
	LR              coord        `json:"lr"`
	Status          string       `json:"status"`
	Step            int          `json:"step"`
	FinalLoss       coord        `json:"final_loss"`
	MinLoss         coord        `json:"min_loss"`
	StepsToConverge *int         `json:"steps_to_converge"`
	Points          int          `json:"points"`
	End             *[2]coord    `json:"end"`
	Reached         *reachedJSON `json:"reached,omitempty"`
}

func (sj *sweepJob) point(r basin.SweepResult) sweepPointJSON {
	p := sweepPointJSON{
		LR: coord(r.LR), Status: r.Status.String(), Step: r.Step,
		FinalLoss: coord(r.FinalLoss), MinLoss: coord(r.MinLoss), Points: r.Points,
	}
	if r.StepsToConverge >= 0 {
		p.StepsToConverge = &r.StepsToConverge
	}
	if r.Points > 0 {
		p.End = &[2]coord{coord(r.End.X), coord(r.End.Y)}
	}
	if crit := sj.cfg.Critical; r.Reached >= 0 && r.Reached < len(crit) {
		p.Reached = (*reachedJSON)(&crit[r.Reached])
	}
	return p
}

// sweepSummaryJSON is the textbook reading of a finished sweep: the
// threshold (null when none), the region of each result, and the ranges of
// equal region in learning-rate order, which a chart shades.
type sweepSummaryJSON struct {
	Threshold *coord           `json:"threshold"`
	Regions   []string         `json:"regions"`
	Ranges    []sweepRangeJSON `json:"ranges"`
}

type sweepRangeJSON struct {
	Region string `json:"region"`
	LRMin  coord  `json:"lr_min"`
	LRMax  coord  `json:"lr_max"`
}

func newSweepSummary(rs []basin.SweepResult) sweepSummaryJSON {
	s := basin.Summarize(rs)
	sum := sweepSummaryJSON{Regions: []string{}, Ranges: []sweepRangeJSON{}}
	if s.Threshold > 0 {
		t := coord(s.Threshold)
		sum.Threshold = &t
	}
	for _, g := range s.Regions {
		sum.Regions = append(sum.Regions, g.String())
	}
	for i := 0; i < len(s.Regions); {
		j := i
		for j+1 < len(s.Regions) && s.Regions[j+1] == s.Regions[i] {
			j++
		}
		sum.Ranges = append(sum.Ranges, sweepRangeJSON{s.Regions[i].String(), coord(rs[i].LR), coord(rs[j].LR)})
		i = j + 1
	}
	return sum
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
			m, err := jsonMsg(struct {
				Type   string         `json:"type"`
				ID     text           `json:"id"`
				Index  int            `json:"index"`
				Result sweepPointJSON `json:"result"`
			}{"sweep_point", text(j.id), i, sj.point(r)})
			if err != nil {
				return err
			}
			out.put(m)
			return nil
		})
		err = out.finish(err)
	}
	s.endJob(ctx, j, "sweep failed", err, func() outMsg {
		done := sj.answer(rs, false)
		done.Type, done.ID = "sweep_done", text(j.id)
		m, err := jsonMsg(done)
		if err != nil {
			return errorMsg(j.id, err)
		}
		return m
	})
}

// positiveFinite checks a job's learning-rate bound.
func positiveFinite(name string, v float64) error {
	if !(v > 0) || math.IsInf(v, 0) {
		return runspec.Errorf(name, "%s must be > 0, got %s", name, runspec.FormatNumber(v))
	}
	return nil
}
