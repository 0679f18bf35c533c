package runspec

import (
	"context"
	"math"
	"slices"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/optim"
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
	// limit): 256 runs of up to StepsLimit steps are a fraction of a second.
	SweepCountLimit = basin.SweepCountLimit
)

// sweepFields are the fields a sweep adds to a run spec.
var sweepFields = []string{"optimizer", "lr_min", "lr_max", "count", "threshold_digits"}

// Sweep is a validated learning-rate sweep: the engine's configuration and
// what its answer echoes.
type Sweep struct {
	Config basin.SweepConfig
	// Optimizer is the swept optimizer without its lr: the sweep sets it.
	Optimizer *Resolved
	Schedule  *Resolved // nil without one
}

// ResolveSweep validates a sweep request: a run spec plus lr_min, lr_max
// count and threshold_digits, for one optimizer (its index in "optimizer" when the spec lists
// several). The optimizer's own lr and the spec's lr are ignored: the sweep
// sets each run's lr.
func (rv *Resolver) ResolveSweep(ctx context.Context, raw []byte) (*Sweep, error) {
	spec, own, err := DecodeJob(raw, sweepFields)
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
	digits, err := own.Int("threshold_digits", basin.ThresholdDigitsDefault, 1, basin.ThresholdDigitsLimit)
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
		return nil, Errorf("lr_max", "lr_max must be > lr_min (%s), got %s", FormatNumber(lo), FormatNumber(hi))
	}
	plan, err := rv.Resolve(ctx, spec)
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
		LRMin: lo, LRMax: hi, Count: int(count), ThresholdDigits: int(digits),
		Steps: plan.Config.Steps, Seed: plan.Config.Seed, Noise: plan.Config.Noise, ClipNorm: plan.Config.ClipNorm,
		Schedule: plan.Config.Schedule,
	}
	return &Sweep{Config: cfg, Optimizer: withoutLR(o), Schedule: plan.Schedule}, nil
}

// withoutLR is o without its lr, for answers in which something else sets
// the learning rate.
func withoutLR(o *Resolved) *Resolved {
	c := *o
	c.Info.Params = slices.DeleteFunc(slices.Clone(o.Info.Params), func(p optim.Param) bool { return p.Name == "lr" })
	return &c
}

// positiveFinite checks a job's learning-rate bound.
func positiveFinite(name string, v float64) error {
	if !(v > 0) || math.IsInf(v, 0) {
		return Errorf(name, "%s must be > 0, got %s", name, FormatNumber(v))
	}
	return nil
}
