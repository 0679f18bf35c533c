package runspec

import (
	"context"
	"math"
	"strconv"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/landscape"
)

// Basin-map limits and defaults.
const (
	// BasinGridLimit is the largest grid side (the engine's): 256² runs.
	BasinGridLimit = basin.GridLimit
	// BasinGridDefault is the grid side when none is given: detailed
	// enough to show the basins' shapes, a quarter of the full map's work.
	BasinGridDefault = 128
	// BasinWorkLimit bounds grid² × steps, the optimizer steps of one map:
	// 2^27 is the full 256² map at 2,048 steps, a few seconds of the
	// generic engine on two cores, so one request cannot hold a CPU for
	// minutes. Larger budgets fit on smaller grids.
	BasinWorkLimit = 1 << 27
	// NoisyBasinWorkFactor is what one step of a noisy map counts for
	// against BasinWorkLimit: judging a noisy run's outcome takes a
	// noise-free descent from each point of its final stay, and a noisy
	// map costs about 16 times the CPU of the same map without noise
	// (BenchmarkBasinsNoisy, docs/BENCHMARKS.md).
	NoisyBasinWorkFactor = 16
)

// basinFields are the fields a basin map adds to a run spec.
var basinFields = []string{"optimizer", "grid", "box"}

// BasinMap is a validated basin-of-attraction map: the engine's
// configuration and what its answer echoes.
type BasinMap struct {
	Config    basin.MapConfig
	Optimizer *Resolved
	Schedule  *Resolved // nil without one
}

// ResolveMap validates a basin-map request: a run spec plus grid (side,
// basin.GridMin to BasinGridLimit) and box ([xmin, xmax, ymin, ymax] of the
// start points, default the spec's domain), for one optimizer (its index in
// "optimizer" when the spec lists several). The spec's start is ignored:
// every grid point is a start.
func (rv *Resolver) ResolveMap(ctx context.Context, raw []byte) (*BasinMap, error) {
	spec, own, err := DecodeJob(raw, basinFields)
	if err != nil {
		return nil, err
	}
	n, err := own.Int("grid", BasinGridDefault, basin.GridMin, BasinGridLimit)
	if err != nil {
		return nil, err
	}
	box, err := own.Numbers("box", 4, "[xmin, xmax, ymin, ymax]")
	if err != nil {
		return nil, err
	}
	if box != nil {
		if err := checkBox(box); err != nil {
			return nil, err
		}
	}
	plan, err := rv.Resolve(ctx, spec)
	if err != nil {
		return nil, err
	}
	if work := n * n * int64(plan.Config.Steps); work > BasinWorkLimit {
		return nil, Errorf("grid", "grid*grid*steps must be at most %d, got %d*%d*%d = %d: lower grid or steps",
			BasinWorkLimit, n, n, plan.Config.Steps, work)
	}
	if work := n * n * int64(plan.Config.Steps) * NoisyBasinWorkFactor; plan.Config.Noise > 0 && work > BasinWorkLimit {
		return nil, Errorf("grid", "with noise, grid*grid*steps*%d must be at most %d, got %d*%d*%d*%d = %d: lower grid or steps",
			NoisyBasinWorkFactor, BasinWorkLimit, n, n, plan.Config.Steps, NoisyBasinWorkFactor, work)
	}
	o, _, err := own.Optimizer(plan)
	if err != nil {
		return nil, err
	}
	d := plan.Domain
	if box != nil {
		d = landscape.Domain{XMin: box[0], XMax: box[1], YMin: box[2], YMax: box[3]}
	}
	cfg := basin.MapConfig{
		Func: plan.Func, Critical: plan.Config.Critical, Box: d, N: int(n),
		Optimizer: o.Info.Name, Values: o.Values,
		Steps: plan.Config.Steps, Seed: plan.Config.Seed, Noise: plan.Config.Noise, ClipNorm: plan.Config.ClipNorm,
		Schedule: plan.Config.Schedule, LR: o.Values["lr"][0],
	}
	return &BasinMap{Config: cfg, Optimizer: o, Schedule: plan.Schedule}, nil
}

// checkBox applies the domain's rules to a box.
func checkBox(v []float64) error {
	for i, x := range v {
		if !(math.Abs(x) <= CoordLimit) {
			return Errorf("box["+strconv.Itoa(i)+"]", "box[%d] must be finite with |v| <= 1e6, got %s", i, FormatNumber(x))
		}
	}
	if !(v[0] < v[1]) || !(v[2] < v[3]) {
		return Errorf("box", "box must be [xmin, xmax, ymin, ymax] with xmin < xmax and ymin < ymax, got [%s, %s, %s, %s]",
			FormatNumber(v[0]), FormatNumber(v[1]), FormatNumber(v[2]), FormatNumber(v[3]))
	}
	return nil
}
