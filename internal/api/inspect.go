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

// inspectFields are the fields an inspection adds to a run spec.
var inspectFields = []string{"optimizer", "step"}

// inspectJob is a validated inspection: one optimizer's run up to a step.
type inspectJob struct {
	opt  *runspec.Resolved
	idx  int // the optimizer's index in the spec
	cfg  optim.Config
	step int
}

// decodeInspect validates an inspection request: a run spec plus "step"
// (required, 0 to the spec's steps) and "optimizer" (the index of the run
// to look into; may be left out when the spec lists one optimizer).
func (h *Handler) decodeInspect(ctx context.Context, raw []byte) (*inspectJob, error) {
	spec, own, err := runspec.DecodeJob(raw, inspectFields)
	if err != nil {
		return nil, err
	}
	r, err := h.resolver.Resolve(ctx, spec)
	if err != nil {
		return nil, err
	}
	o, idx, err := own.Optimizer(r)
	if err != nil {
		return nil, err
	}
	step, err := own.Int("step", -1, 0, int64(r.Config.Steps))
	if err != nil {
		return nil, err
	}
	if err := h.checkCost("step", cost.Run(r.Func, int(step), 1)); err != nil {
		return nil, err
	}
	return &inspectJob{opt: o, idx: idx, cfg: r.ConfigFor(idx), step: int(step)}, nil
}

// inspect replays the run to the step with a fresh optimizer, holding a
// run slot: it costs what a run to that step costs.
func (h *Handler) inspect(ctx context.Context, ij *inspectJob) (optim.Snapshot, error) {
	release, err := h.acquireRun(ctx)
	if err != nil {
		return optim.Snapshot{}, err
	}
	defer release()
	opt, _, err := optim.New(ij.opt.Info.Name, ij.opt.Values)
	if err != nil {
		return optim.Snapshot{}, err
	}
	snap, err := optim.Inspect(ctx, ij.cfg, opt, ij.step)
	if err != nil && ctx.Err() == nil {
		// The spec is valid and step within the budget, so what is left
		// is a step after the run stopped: the client's to fix.
		return snap, runspec.Errorf("step", "step: %v", err)
	}
	return snap, err
}

// appendSnapshotJSON appends what happens at one step:
// {"run" (the optimizer's index),"optimizer","step","point":[x,y,loss],"grad":[gx,gy],"taken",
// then for a taken step "seen","lr","next","update", then "stop",
// "before" and "after"}. A number that is not finite (a step that
// overflowed, a gradient at a kink) is written null.
func appendSnapshotJSON(b []byte, ij *inspectJob, s optim.Snapshot) []byte {
	b = append(b, `"run":`...)
	b = appendInt(b, ij.idx)
	b = append(b, `,"optimizer":`...)
	b = appendOptimizerJSON(b, ij.opt)
	b = append(b, `,"step":`...)
	b = appendInt(b, s.Step)
	b = append(b, `,"point":[`...)
	b = appendNumberOrNull(b, s.Point.X)
	b = append(b, ',')
	b = appendNumberOrNull(b, s.Point.Y)
	b = append(b, ',')
	b = appendNumberOrNull(b, s.Point.Loss)
	b = append(b, `],"grad":`...)
	b = appendVec(b, s.Grad)
	b = append(b, `,"taken":`...)
	if s.Taken {
		b = append(b, `true,"seen":`...)
		b = appendVec(b, s.Seen)
		b = append(b, `,"lr":`...)
		b = appendNumberOrNull(b, s.LR)
		b = append(b, `,"next":`...)
		b = appendVec(b, s.Next)
		b = append(b, `,"update":`...)
		b = appendVec(b, s.Update)
	} else {
		b = append(b, "false"...)
	}
	b = append(b, `,"stop":`...)
	b = runspec.AppendJSONString(b, s.Stop.String())
	b = append(b, `,"before":`...)
	b = appendStateJSON(b, s.Before)
	b = append(b, `,"after":`...)
	return appendStateJSON(b, s.After)
}

func appendVec(b []byte, v landscape.Vec) []byte { return appendPair(b, v.X, v.Y) }

// appendStateJSON appends an optimizer's state as
// [{"name","label","kind","x","y"},...] (x and y are equal for a scalar),
// or null for an optimizer that cannot show it.
func appendStateJSON(b []byte, vars []optim.StateVar) []byte {
	if vars == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, v := range vars {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = runspec.AppendJSONString(b, v.Name)
		b = append(b, `,"label":`...)
		b = runspec.AppendJSONString(b, v.Label)
		b = append(b, `,"kind":`...)
		b = runspec.AppendJSONString(b, v.Kind.String())
		b = append(b, `,"x":`...)
		b = appendNumberOrNull(b, v.Value.X)
		b = append(b, `,"y":`...)
		b = appendNumberOrNull(b, v.Value.Y)
		b = append(b, '}')
	}
	return append(b, ']')
}

// postInspect answers one snapshot: {...the snapshot's members}.
func (h *Handler) postInspect(w http.ResponseWriter, r *http.Request) {
	answerJob(h, w, r, h.decodeInspect, noneHeld, h.inspect, func(ij *inspectJob, snap optim.Snapshot, _ spill) ([]byte, error) {
		b := appendSnapshotJSON([]byte{'{'}, ij, snap)
		return append(b, "}\n"...), nil
	})
}

// inspectJobWS answers an inspect message with
// {"type":"inspection","id",...the snapshot's members}. A new inspect
// replaces the one in flight, as the page scrubs the timeline.
func (s *session) inspectJobWS(ctx context.Context, j *job, raw json.RawMessage, _ bool) {
	ij, err := s.h.decodeInspect(ctx, raw)
	var snap optim.Snapshot
	if err == nil {
		snap, err = s.h.inspect(ctx, ij)
	}
	s.endJob(ctx, j, "inspect failed", err, func() outMsg {
		b := jobMsg("inspection", j.id)
		*b = append(*b, ',')
		*b = appendSnapshotJSON(*b, ij, snap)
		*b = append(*b, '}')
		return textMsg(b)
	})
}
