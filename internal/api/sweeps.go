package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/runspec"
)

// sweepAnswer is a finished sweep: its results in learning-rate order and
// the divergence threshold refined beyond the grid (basin.RefineThreshold;
// 0 when nothing diverged).
type sweepAnswer struct {
	results   []basin.SweepResult
	threshold float64
}

// resolveSweep validates a sweep request and prices it against the CPU
// budget.
func (h *Handler) resolveSweep(ctx context.Context, raw []byte) (*runspec.Sweep, error) {
	sj, err := h.resolver.ResolveSweep(ctx, raw)
	if err != nil {
		return nil, err
	}
	if err := h.checkCost("count", cost.Sweep(sj.Config.Func, sj.Config.Count, sj.Config.Steps).Noisy(sj.Config.Noise)); err != nil {
		return nil, err
	}
	return sj, nil
}

// sweep runs the sweep, holding a many-run job slot, and hands each
// result to emit as it finishes; it returns all results in learning-rate
// order with the refined threshold.
func (h *Handler) sweep(ctx context.Context, sj *runspec.Sweep, emit func(i int, r basin.SweepResult) error) (sweepAnswer, error) {
	release, err := h.acquireHeavy(ctx)
	if err != nil {
		return sweepAnswer{}, err
	}
	defer release()
	out := make([]basin.SweepResult, sj.Config.Count)
	err = basin.Sweep(ctx, sj.Config, func(i int, r basin.SweepResult) error {
		out[i] = r
		if emit != nil {
			return emit(i, r)
		}
		return nil
	})
	ans := sweepAnswer{results: out}
	if err == nil {
		ans.threshold, err = basin.RefineThreshold(ctx, sj.Config, out)
	}
	return ans, err
}

// postSweeps answers a learning-rate sweep at once.
func (h *Handler) postSweeps(w http.ResponseWriter, r *http.Request) {
	answerJob(h, w, r, h.resolveSweep, noneHeld, func(ctx context.Context, sj *runspec.Sweep) (sweepAnswer, error) {
		return h.sweep(ctx, sj, nil)
	}, appendSweepAnswer)
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
	LRMin           jsNumber `json:"lr_min"`
	LRMax           jsNumber `json:"lr_max"`
	Count           int      `json:"count"`
	ThresholdDigits int      `json:"threshold_digits"`
}

func newSweepJSON(sj *runspec.Sweep, ans sweepAnswer, withResults bool) sweepJSON {
	rs := ans.results
	a := sweepJSON{
		Optimizer: resolvedJSON{sj.Optimizer},
		Sweep:     sweepSettings{jsNumber(sj.Config.LRMin), jsNumber(sj.Config.LRMax), sj.Config.Count, sj.Config.ThresholdDigits},
		Summary:   newSweepSummary(rs, ans.threshold),
	}
	if sj.Schedule != nil {
		a.Schedule = &resolvedJSON{sj.Schedule}
	}
	if withResults {
		a.Results = make([]sweepPointJSON, len(rs))
		for i, r := range rs {
			a.Results[i] = newSweepPoint(sj, r)
		}
	}
	return a
}

// appendAnswer is the REST answer of a finished sweep:
// {"optimizer","sweep","schedule"?,"results":[...],"summary":{...}}.
func appendSweepAnswer(sj *runspec.Sweep, ans sweepAnswer, _ spill) ([]byte, error) {
	return marshalJSON(newSweepJSON(sj, ans, true))
}

// sweepPointJSON is one learning rate's outcome. steps_to_converge is null
// for a run that did not converge, end null for one that recorded no point;
// hover (a noisy run's radius around what it reached) and between (the
// critical points a wandering run moves among) only when they apply.
type sweepPointJSON struct {
	LR              coord         `json:"lr"`
	Status          string        `json:"status"`
	Step            int           `json:"step"`
	FinalLoss       coord         `json:"final_loss"`
	MinLoss         coord         `json:"min_loss"`
	StepsToConverge *int          `json:"steps_to_converge"`
	Points          int           `json:"points"`
	End             *[2]coord     `json:"end"`
	Reached         *reachedJSON  `json:"reached,omitempty"`
	Hover           *coord        `json:"hover,omitempty"`
	Between         []reachedJSON `json:"between,omitempty"`
}

func newSweepPoint(sj *runspec.Sweep, r basin.SweepResult) sweepPointJSON {
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
	if crit := sj.Config.Critical; r.Reached >= 0 && r.Reached < len(crit) {
		p.Reached = (*reachedJSON)(&crit[r.Reached])
	}
	if r.Hover > 0 {
		h := coord(r.Hover)
		p.Hover = &h
	}
	for _, c := range r.Between {
		p.Between = append(p.Between, reachedJSON(c))
	}
	return p
}

// sweepSummaryJSON is the textbook reading of a finished sweep: the
// divergence threshold refined beyond the grid (null when none), the region of each result, and the ranges of
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

func newSweepSummary(rs []basin.SweepResult, threshold float64) sweepSummaryJSON {
	s := basin.Summarize(rs)
	sum := sweepSummaryJSON{Regions: []string{}, Ranges: []sweepRangeJSON{}}
	if threshold > 0 {
		t := coord(threshold)
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
	sj, err := s.h.resolveSweep(ctx, raw)
	var rs sweepAnswer
	if err == nil {
		out := &outbox{s: s, ctx: ctx, j: j}
		rs, err = s.h.sweep(ctx, sj, func(i int, r basin.SweepResult) error {
			m, err := jsonMsg(struct {
				Type   string         `json:"type"`
				ID     text           `json:"id"`
				Index  int            `json:"index"`
				Result sweepPointJSON `json:"result"`
			}{"sweep_point", text(j.id), i, newSweepPoint(sj, r)})
			if err != nil {
				return err
			}
			out.put(m)
			return nil
		})
		err = out.finish(err)
	}
	s.endJob(ctx, j, "sweep failed", err, func() outMsg {
		done := newSweepJSON(sj, rs, false)
		done.Type, done.ID = "sweep_done", text(j.id)
		m, err := jsonMsg(done)
		if err != nil {
			return errorMsg(j.id, err)
		}
		return m
	})
}
