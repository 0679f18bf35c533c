package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
)

// resolveInspection validates an inspection request and prices it: it
// costs what a run to that step costs.
func (h *Handler) resolveInspection(ctx context.Context, raw []byte) (*runspec.Inspection, error) {
	ij, err := h.resolver.ResolveInspection(ctx, raw)
	if err != nil {
		return nil, err
	}
	if err := h.checkCost("step", cost.Run(ij.Config.Func, ij.Step, 1)); err != nil {
		return nil, err
	}
	return ij, nil
}

// inspect replays the run to the step with a fresh optimizer, holding a
// run slot: it costs what a run to that step costs.
func (h *Handler) inspect(ctx context.Context, ij *runspec.Inspection) (optim.Snapshot, error) {
	release, err := h.acquireRun(ctx)
	if err != nil {
		return optim.Snapshot{}, err
	}
	defer release()
	opt, _, err := optim.New(ij.Optimizer.Info.Name, ij.Optimizer.Values)
	if err != nil {
		return optim.Snapshot{}, err
	}
	snap, err := optim.Inspect(ctx, ij.Config, opt, ij.Step)
	if err != nil && ctx.Err() == nil {
		// The spec is valid and step within the budget, so what is left
		// is a step after the run stopped: the client's to fix.
		return snap, runspec.Errorf("step", "step: %v", err)
	}
	return snap, err
}

// snapshotJSON is what happens at one step: the optimizer's index ("run")
// and settings, the point and gradient, for a taken step what the
// optimizer saw and did, why the run would stop there, and the optimizer's
// state before and after. A number that is not finite (a step that
// overflowed, a gradient at a kink) is written null.
type snapshotJSON struct {
	Type      string       `json:"type,omitempty"`
	ID        text         `json:"id,omitempty"`
	Run       int          `json:"run"`
	Optimizer resolvedJSON `json:"optimizer"`
	Step      int          `json:"step"`
	Point     [3]maybe     `json:"point"`
	Grad      [2]maybe     `json:"grad"`
	Taken     bool         `json:"taken"`
	Seen      *[2]maybe    `json:"seen,omitempty"`
	LR        *maybe       `json:"lr,omitempty"`
	Next      *[2]maybe    `json:"next,omitempty"`
	Update    *[2]maybe    `json:"update,omitempty"`
	Stop      string       `json:"stop"`
	Before    []stateJSON  `json:"before"`
	After     []stateJSON  `json:"after"`
}

// stateJSON is one variable of an optimizer's state (x and y are equal for
// a scalar); a state list is null for an optimizer that cannot show it.
type stateJSON struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Kind  string `json:"kind"`
	X     maybe  `json:"x"`
	Y     maybe  `json:"y"`
}

func newSnapshotJSON(ij *runspec.Inspection, s optim.Snapshot) snapshotJSON {
	pair := func(v landscape.Vec) *[2]maybe { return &[2]maybe{maybe(v.X), maybe(v.Y)} }
	out := snapshotJSON{
		Run: ij.Index, Optimizer: resolvedJSON{ij.Optimizer}, Step: s.Step,
		Point: [3]maybe{maybe(s.Point.X), maybe(s.Point.Y), maybe(s.Point.Loss)},
		Grad:  *pair(s.Grad), Taken: s.Taken, Stop: s.Stop.String(),
		Before: newStateJSON(s.Before), After: newStateJSON(s.After),
	}
	if s.Taken {
		lr := maybe(s.LR)
		out.Seen, out.LR, out.Next, out.Update = pair(s.Seen), &lr, pair(s.Next), pair(s.Update)
	}
	return out
}

func newStateJSON(vars []optim.StateVar) []stateJSON {
	if vars == nil {
		return nil
	}
	out := make([]stateJSON, len(vars))
	for i, v := range vars {
		out[i] = stateJSON{v.Name, v.Label, v.Kind.String(), maybe(v.Value.X), maybe(v.Value.Y)}
	}
	return out
}

// postInspect answers one snapshot.
func (h *Handler) postInspect(w http.ResponseWriter, r *http.Request) {
	answerJob(h, w, r, h.resolveInspection, noneHeld, h.inspect, func(ij *runspec.Inspection, snap optim.Snapshot, _ spill) ([]byte, error) {
		return marshalJSON(newSnapshotJSON(ij, snap))
	})
}

// inspectJobWS answers an inspect message with
// {"type":"inspection","id",...the snapshot's members}. A new inspect
// replaces the one in flight, as the page scrubs the timeline.
func (s *session) inspectJobWS(ctx context.Context, j *job, raw json.RawMessage, _ bool) {
	ij, err := s.h.resolveInspection(ctx, raw)
	var snap optim.Snapshot
	if err == nil {
		snap, err = s.h.inspect(ctx, ij)
	}
	s.endJob(ctx, j, "inspect failed", err, func() outMsg {
		msg := newSnapshotJSON(ij, snap)
		msg.Type, msg.ID = "inspection", text(j.id)
		m, err := jsonMsg(msg)
		if err != nil {
			return errorMsg(j.id, err)
		}
		return m
	})
}
