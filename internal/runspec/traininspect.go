package runspec

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/train"
)

// trainInspectFields are the fields a training inspection adds to a
// training request.
var trainInspectFields = []string{"optimizer", "step"}

// TrainInspection is a decoded training inspection: one run of a training
// request, up to a timeline step.
type TrainInspection struct {
	Spec      TrainSpec
	Optimizer int // the run's index in Spec.Optimizers
	Step      int
}

// DecodeTrainInspection decodes a training request plus "step" (required,
// 0 to the run's steps; the engine checks the upper end) and "optimizer"
// (the index of the run to look into; may be left out when the request
// lists one optimizer), so a client sends the request it trained with.
func DecodeTrainInspection(raw []byte) (TrainInspection, error) {
	var ti TrainInspection
	if len(raw) > TrainBytesLimit {
		return ti, Errorf("", "a training request must be at most %d bytes", TrainBytesLimit)
	}
	if !json.Valid(raw) {
		// As DecodeTrain: NaN and Infinity written as bare words fail
		// where they stand, naming their row and column.
		if q, ok := quoteNonFinite(raw); ok {
			raw = q
		}
	}
	ms, ok := ObjectMembers(raw)
	if !ok {
		_, err := DecodeTrain(raw) // says what is wrong with it
		if err == nil {
			err = Errorf("", "the training request must be a JSON object")
		}
		return ti, err
	}
	own := JobFields{}
	rest := append(make([]byte, 0, len(raw)), '{')
	for _, m := range ms {
		if m.Name == "optimizer" || m.Name == "step" {
			if _, dup := own[m.Name]; dup {
				return ti, Errorf(m.Name, "duplicate field %q", m.Name)
			}
			own[m.Name] = m.Value
			continue
		}
		if len(rest) > 1 {
			rest = append(rest, ',')
		}
		rest = AppendJSONString(rest, m.Name)
		rest = append(rest, ':')
		rest = append(rest, m.Value...)
	}
	rest = append(rest, '}')
	spec, err := DecodeTrain(rest)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Field != "" && len(e.Msg) > 13 && e.Msg[:13] == "unknown field" {
			return ti, unknownField("", e.Field, append(append([]string{}, trainInspectFields...), trainFields...))
		}
		return ti, err
	}
	def := int64(-1)
	if len(spec.Optimizers) == 1 {
		def = 0
	}
	if _, given := own["optimizer"]; !given && def < 0 {
		return ti, Errorf("optimizer", "optimizer (an index into optimizers) is required when optimizers lists %d", len(spec.Optimizers))
	}
	i, err := own.Int("optimizer", def, 0, int64(max(0, len(spec.Optimizers)-1)))
	if err != nil {
		return ti, err
	}
	step, err := own.Int("step", -1, 0, train.MaxSteps)
	if err != nil {
		return ti, err
	}
	return TrainInspection{Spec: spec, Optimizer: int(i), Step: int(step)}, nil
}

// TrainInspectSize sizes an inspection for pricing: one run to the step,
// with no grid.
func TrainInspectSize(ti TrainInspection) cost.TrainSize {
	sz := TrainSize(ti.Spec)
	sz.Runs, sz.Grid = 1, 0
	sz.Steps = min(sz.Steps, ti.Step+1)
	return sz
}

// InspectTrain validates the request and replays its run to the step
// (train.Inspect). Validation errors are *Error naming the field and the
// range.
func InspectTrain(ctx context.Context, ti TrainInspection) (*TrainResult, *train.Snapshot, error) {
	es, res, err := ti.Spec.engineSpec()
	if err != nil {
		return nil, nil, err
	}
	snap, err := train.Inspect(ctx, es, ti.Optimizer, ti.Step)
	if err != nil {
		var fe *train.FieldError
		if errors.As(err, &fe) {
			return nil, nil, &Error{Field: fe.Field, Msg: fe.Msg, Pos: -1}
		}
		return nil, nil, err
	}
	res.Optimizers[ti.Optimizer].Values = snap.Values
	return res, snap, nil
}
