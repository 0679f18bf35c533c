package runspec

import (
	"context"

	"github.com/basin-dev/basin/internal/optim"
)

// inspectFields are the fields an inspection adds to a run spec.
var inspectFields = []string{"optimizer", "step"}

// Inspection is a validated inspection: one optimizer's run up to a step.
type Inspection struct {
	Optimizer *Resolved
	Index     int // the optimizer's index in the spec
	Config    optim.Config
	Step      int
}

// ResolveInspection validates an inspection request: a run spec plus
// "step" (required, 0 to the spec's steps) and "optimizer" (the index of
// the run to look into; may be left out when the spec lists one
// optimizer).
func (rv *Resolver) ResolveInspection(ctx context.Context, raw []byte) (*Inspection, error) {
	spec, own, err := DecodeJob(raw, inspectFields)
	if err != nil {
		return nil, err
	}
	plan, err := rv.Resolve(ctx, spec)
	if err != nil {
		return nil, err
	}
	o, idx, err := own.Optimizer(plan)
	if err != nil {
		return nil, err
	}
	step, err := own.Int("step", -1, 0, int64(plan.Config.Steps))
	if err != nil {
		return nil, err
	}
	return &Inspection{Optimizer: o, Index: idx, Config: plan.ConfigFor(idx), Step: int(step)}, nil
}
