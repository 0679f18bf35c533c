package runspec

import (
	"context"

	"github.com/basin-dev/basin/internal/optim"
)

// Result is one computed trajectory of a plan.
type Result struct {
	Optimizer *Resolved
	Points    []optim.Point
	Outcome   optim.Outcome
}

// Trajectory computes optimizer i's run, appending its points to buf[:0]
// (a caller that streams reuses one buffer; one that keeps the points
// passes a fresh one).
func (p *Plan) Trajectory(ctx context.Context, i int, buf []optim.Point) ([]optim.Point, optim.Outcome, error) {
	return optim.Run(ctx, p.ConfigFor(i), p.Optimizers[i].Optimizer, buf)
}

// Compute runs every trajectory of p in spec order and keeps the points:
// what POST /api/v1/runs answers for the same spec, without the server's
// run slots.
func Compute(ctx context.Context, p *Plan) ([]Result, error) {
	rs := make([]Result, len(p.Optimizers))
	for i := range p.Optimizers {
		pts, out, err := p.Trajectory(ctx, i, make([]optim.Point, 0, p.Config.Steps+1))
		if err != nil {
			return nil, err
		}
		rs[i] = Result{Optimizer: &p.Optimizers[i], Points: pts, Outcome: out}
	}
	return rs, nil
}
