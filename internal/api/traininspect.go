package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
	"github.com/basin-dev/basin/internal/train"
)

// inspectTrain replays one run of a training request to a step, priced as
// one run to that step and holding a heavy-job slot as training does.
func (h *Handler) inspectTrain(ctx context.Context, ti runspec.TrainInspection) (*runspec.TrainResult, *train.Snapshot, error) {
	if err := h.checkCost("", cost.Train(runspec.TrainInspectSize(ti))); err != nil {
		return nil, nil, err
	}
	release, err := h.acquireHeavy(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer release()
	return runspec.InspectTrain(ctx, ti)
}

// trainSnapshotJSON is one training step seen from inside the optimizer,
// named as the function inspection's snapshotJSON: "grad" is the exact
// gradient at the point (here over every training row), "seen" what the
// optimizer received (the minibatch's gradient, "batch_grad", after
// clip_norm), "update" the move it made. Vectors have one value per
// parameter, in the order of "names". A number that is not finite (a step
// that overflowed) is written null.
type trainSnapshotJSON struct {
	Type      string         `json:"type,omitempty"`
	ID        text           `json:"id,omitempty"`
	Run       int            `json:"run"`
	Optimizer resolvedJSON   `json:"optimizer"`
	Step      int            `json:"step"`
	Names     []string       `json:"names"`
	Params    []maybe        `json:"params"`
	Loss      maybe          `json:"loss"`
	Grad      []maybe        `json:"grad"`
	Taken     bool           `json:"taken"`
	Batch     []int          `json:"batch,omitempty"`
	BatchLoss *maybe         `json:"batch_loss,omitempty"`
	BatchGrad []maybe        `json:"batch_grad,omitempty"`
	Seen      []maybe        `json:"seen,omitempty"`
	LR        *maybe         `json:"lr,omitempty"`
	Next      []maybe        `json:"next,omitempty"`
	Update    []maybe        `json:"update,omitempty"`
	Stop      string         `json:"stop"`
	Before    []vecStateJSON `json:"before"`
	After     []vecStateJSON `json:"after"`
}

// vecStateJSON is one variable of an optimizer's state: "value" for a
// scalar (kind "scalar"), "values" (one per parameter) otherwise.
type vecStateJSON struct {
	Name   string  `json:"name"`
	Label  string  `json:"label"`
	Kind   string  `json:"kind"`
	Value  *maybe  `json:"value,omitempty"`
	Values []maybe `json:"values,omitempty"`
}

func maybes(v []float64) []maybe {
	if v == nil {
		return nil
	}
	out := make([]maybe, len(v))
	for i, x := range v {
		out[i] = maybe(x)
	}
	return out
}

func newTrainSnapshotJSON(ti runspec.TrainInspection, res *runspec.TrainResult, s *train.Snapshot) trainSnapshotJSON {
	out := trainSnapshotJSON{
		Run: ti.Optimizer, Optimizer: resolvedJSON{&res.Optimizers[ti.Optimizer]}, Step: s.Step, Names: s.Names,
		Params: maybes(s.Params), Loss: maybe(s.Loss), Grad: maybes(s.FullGrad), Taken: s.Taken, Stop: "not_converged",
		Before: newVecStateJSON(s.Before), After: newVecStateJSON(s.After),
	}
	if s.Diverged {
		out.Stop = "diverged"
	}
	if s.Taken {
		bl, lr := maybe(s.BatchLoss), maybe(s.LR)
		out.Batch, out.BatchLoss, out.BatchGrad, out.Seen = s.Batch, &bl, maybes(s.Grad), maybes(s.Seen)
		out.LR, out.Next, out.Update = &lr, maybes(s.Next), maybes(s.Update)
	}
	return out
}

func newVecStateJSON(vars []optim.VecStateVar) []vecStateJSON {
	out := make([]vecStateJSON, len(vars))
	for i, v := range vars {
		out[i] = vecStateJSON{Name: v.Name, Label: v.Label, Kind: v.Kind.String()}
		if v.Kind == optim.StateScalar {
			x := maybe(v.Values[0])
			out[i].Value = &x
		} else {
			out[i].Values = maybes(v.Values)
		}
	}
	return out
}

// postTrainInspect answers one training snapshot.
func (h *Handler) postTrainInspect(w http.ResponseWriter, r *http.Request) {
	body, err := h.readBodyLimit(w, r, runspec.TrainBytesLimit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	ti, err := runspec.DecodeTrainInspection(body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, done := h.jobContext(r)
	defer done()
	res, snap, err := h.inspectTrain(ctx, ti)
	if err != nil {
		h.failJob(w, r, ctx, err)
		return
	}
	h.answerJSON(w, r, newTrainSnapshotJSON(ti, res, snap))
}

// trainInspectJobWS answers a train_inspect message with
// {"type":"train_inspection","id",...the snapshot's members}. A new one
// replaces the one in flight, as the page scrubs the timeline.
func (s *session) trainInspectJobWS(ctx context.Context, j *job, raw json.RawMessage, _ bool) {
	ti, err := runspec.DecodeTrainInspection(raw)
	var res *runspec.TrainResult
	var snap *train.Snapshot
	if err == nil {
		res, snap, err = s.h.inspectTrain(ctx, ti)
	}
	s.endJob(ctx, j, "training inspection failed", err, func() outMsg {
		msg := newTrainSnapshotJSON(ti, res, snap)
		msg.Type, msg.ID = "train_inspection", text(j.id)
		m, err := jsonMsg(msg)
		if err != nil {
			return errorMsg(j.id, err)
		}
		return m
	})
}

// carriesData reports whether a websocket message type carries a training
// request, whose data may take up to runspec.TrainBytesLimit.
func carriesData(typ string) bool { return strings.HasPrefix(typ, "train") }
