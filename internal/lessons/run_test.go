package lessons_test

import (
	"context"

	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
)

// runResult is one optimizer's trajectory end and outcome.
type runResult struct {
	End     optim.Point
	Outcome optim.Outcome
}

// runQuery parses a permalink query and runs every optimizer in it.
func runQuery(q string) ([]runResult, error) {
	s, err := runspec.ParseQuery(q)
	if err != nil {
		return nil, err
	}
	return runSpec(s)
}

// runSpec resolves and computes s exactly as the server does, with the
// run-spec language's own Resolve and Compute.
func runSpec(s runspec.Spec) ([]runResult, error) {
	ctx := context.Background()
	plan, err := runspec.NewResolver().Resolve(ctx, s)
	if err != nil {
		return nil, err
	}
	rs, err := runspec.Compute(ctx, plan)
	if err != nil {
		return nil, err
	}
	out := make([]runResult, len(rs))
	for i, r := range rs {
		if n := len(r.Points); n > 0 {
			out[i].End = r.Points[n-1]
		}
		out[i].Outcome = r.Outcome
	}
	return out, nil
}
