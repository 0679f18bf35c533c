package optim

import (
	"math"
	"strconv"
)

// Schedule gives the learning rate for each step from the base learning
// rate, as a PyTorch LR scheduler does. step counts from 0 for the first
// optimizer step: it is PyTorch's last_epoch when optimizer.step() runs in
// the usual loop (optimizer.step(); scheduler.step()). LR must not allocate:
// Run calls it before every step. Unlike an optimizer, a schedule is a
// stateless value (a closed form of the step), so one schedule may serve
// many runs at once, e.g. every cell of a basin map.
type Schedule interface {
	LR(base float64, step int) float64
}

// ScheduleInfo describes a learning-rate schedule for clients and
// documentation, like Info does for an optimizer.
type ScheduleInfo struct {
	Name    string // registry name: "constant" or PyTorch's lower-cased class name, e.g. "steplr"
	Display string // PyTorch's class name, e.g. "StepLR"
	Doc     string // what it does and when it helps
	Formula string // the learning rate at step t, in plain text
	Params  []Param
}

// Step counts (step_size, T_max, total_iters) are whole numbers from 1 to
// MaxSteps: a longer period than any run can have means nothing.
func stepCountParam(name string, def float64, doc string) Param {
	var d []float64
	if !math.IsNaN(def) {
		d = []float64{def}
	}
	return Param{Name: name, Kind: Number, Default: d, Min: 1, Max: MaxSteps, Scale: Log, Doc: doc}
}

// integerParams are the Params whose values must be whole numbers; Param
// has no field for it, so NewSchedule checks these names.
var integerParams = map[string]bool{"step_size": true, "T_max": true, "total_iters": true}

// A decay factor gamma is in (0, 1]: PyTorch accepts any number, but a
// growing learning rate only drives a run to diverge, which the
// learning-rate sweep shows better.
func gammaParam(def float64, doc string) Param {
	var d []float64
	if !math.IsNaN(def) {
		d = []float64{def}
	}
	return Param{Name: "gamma", Kind: Number, Default: d, Min: 0, MinOpen: true, Max: 1, Scale: Linear, Doc: doc}
}

// scheduleEntry pairs a schedule's description with its constructor, which
// receives resolved, validated values.
type scheduleEntry struct {
	info  ScheduleInfo
	build func(v Values) Schedule
}

// scheduleRegistry lists the schedules in display order. A Param with no
// Default is required, as in PyTorch (StepLR's step_size, ExponentialLR's
// gamma, CosineAnnealingLR's T_max).
var scheduleRegistry = []scheduleEntry{
	{ScheduleInfo{
		Name: "constant", Display: "Constant",
		Doc:     "No schedule: every step uses the base learning rate, as a PyTorch optimizer does without a scheduler.",
		Formula: "lr_t = lr",
	}, func(Values) Schedule { return constantSchedule{} }},
	{ScheduleInfo{
		Name: "constantlr", Display: "ConstantLR",
		Doc:     "Scales the learning rate by a constant factor for the first total_iters steps, then uses the base rate: a crude warm-up.",
		Formula: "lr_t = lr * factor for t < total_iters, lr after",
		Params: []Param{
			{Name: "factor", Kind: Number, Default: []float64{1.0 / 3}, Min: 0, Max: 1, Scale: Linear,
				Doc: "Multiplies the learning rate until total_iters steps have run."},
			stepCountParam("total_iters", 5, "Number of steps that use the reduced rate."),
		},
	}, func(v Values) Schedule {
		return constantLR{factor: v["factor"][0], total: int(v["total_iters"][0])}
	}},
	{ScheduleInfo{
		Name: "steplr", Display: "StepLR",
		Doc:     "Step decay: multiplies the learning rate by gamma every step_size steps. Large early steps explore, smaller later ones settle into a minimum.",
		Formula: "lr_t = lr * gamma^floor(t / step_size)",
		Params: []Param{
			stepCountParam("step_size", math.NaN(), "Steps between two decays (required)."),
			gammaParam(0.1, "Factor applied at each decay."),
		},
	}, func(v Values) Schedule {
		return stepLR{stepSize: int(v["step_size"][0]), gamma: v["gamma"][0]}
	}},
	{ScheduleInfo{
		Name: "exponentiallr", Display: "ExponentialLR",
		Doc:     "Exponential decay: multiplies the learning rate by gamma after every step, a smooth version of step decay.",
		Formula: "lr_t = lr * gamma^t",
		Params: []Param{
			gammaParam(math.NaN(), "Factor applied after every step (required); 0.99 halves the rate in about 69 steps."),
		},
	}, func(v Values) Schedule { return exponentialLR{gamma: v["gamma"][0]} }},
	{ScheduleInfo{
		Name: "cosineannealinglr", Display: "CosineAnnealingLR",
		Doc: "Cosine annealing: lowers the learning rate from lr to eta_min along half a cosine over T_max steps (and, in PyTorch's closed form used here, " +
			"back up over the next T_max). It decays slowly at first and last, quickly in between.",
		Formula: "lr_t = eta_min + (lr - eta_min) * (1 + cos(pi * t / T_max)) / 2",
		Params: []Param{
			stepCountParam("T_max", math.NaN(), "Steps from the base rate down to eta_min (required)."),
			{Name: "eta_min", Kind: Number, Default: []float64{0}, Min: 0, Max: math.Inf(1), Scale: Log,
				Doc: "Lowest learning rate, reached at step T_max."},
		},
	}, func(v Values) Schedule {
		return cosineAnnealingLR{tMax: int(v["T_max"][0]), etaMin: v["eta_min"][0]}
	}},
	{ScheduleInfo{
		Name: "linearlr", Display: "LinearLR",
		Doc: "Linear warm-up: scales the learning rate from start_factor*lr to end_factor*lr over total_iters steps, then holds it. " +
			"Small first steps keep a run from overshooting before the optimizer's statistics settle.",
		Formula: "lr_t = lr * (start_factor + (end_factor - start_factor) * min(t, total_iters) / total_iters)",
		Params: []Param{
			{Name: "start_factor", Kind: Number, Default: []float64{1.0 / 3}, Min: 0, MinOpen: true, Max: 1, Scale: Linear,
				Doc: "Fraction of the base rate at the first step."},
			{Name: "end_factor", Kind: Number, Default: []float64{1}, Min: 0, Max: 1, Scale: Linear,
				Doc: "Fraction of the base rate from step total_iters on."},
			stepCountParam("total_iters", 5, "Steps over which the factor moves from start_factor to end_factor."),
		},
	}, func(v Values) Schedule {
		return linearLR{start: v["start_factor"][0], end: v["end_factor"][0], total: int(v["total_iters"][0])}
	}},
}

// Schedules describes every learning-rate schedule in display order. The
// result is a copy the caller may keep or change.
func Schedules() []ScheduleInfo {
	out := make([]ScheduleInfo, len(scheduleRegistry))
	for i, e := range scheduleRegistry {
		out[i] = e.info
		out[i].Params = make([]Param, len(e.info.Params))
		for j, p := range e.info.Params {
			p.Default = append([]float64(nil), p.Default...)
			out[i].Params[j] = p
		}
	}
	return out
}

// NewSchedule builds a schedule by name, validating the given values and
// filling PyTorch's defaults as New does for optimizers; it returns the
// resolved values. Errors are *ParamError naming the parameter, e.g.
// "step_size is required for steplr" or "gamma must be in (0, 1], got 2".
func NewSchedule(name string, given Values) (Schedule, Values, error) {
	var e *scheduleEntry
	for i := range scheduleRegistry {
		if scheduleRegistry[i].info.Name == name {
			e = &scheduleRegistry[i]
		}
	}
	if e == nil {
		names := ""
		for i, s := range scheduleRegistry {
			if i > 0 {
				names += ", "
			}
			names += s.info.Name
		}
		return nil, nil, &ParamError{Param: "name", Msg: "unknown schedule " + strconv.Quote(name) + " (known: " + names + ")"}
	}
	for _, p := range e.info.Params {
		if _, ok := given[p.Name]; !ok && p.Default == nil {
			return nil, nil, &ParamError{Param: p.Name, Msg: p.Name + " is required for " + name}
		}
	}
	resolved, err := resolve(Info{Name: name, Params: e.info.Params}, given)
	if err != nil {
		return nil, nil, err
	}
	for n, v := range resolved {
		if integerParams[n] && v[0] != math.Trunc(v[0]) {
			return nil, nil, &ParamError{Param: n, Msg: n + " must be a whole number, got " + formatFloat(v[0])}
		}
	}
	return e.build(resolved), resolved, nil
}

// The schedules below compute PyTorch 1.13's closed forms
// (_get_closed_form_lr in torch/optim/lr_scheduler.py) operation by
// operation in the same order. TestSchedulesMatchTorch checks them against
// PyTorch itself (testdata/torch-schedules.json, from gen_schedules.py):
// bit-identical for every step of every case, except that Go's math.Cos and
// C's cos may differ in the last place, which moves a CosineAnnealingLR rate
// by at most 2^-52 of the base rate. PyTorch's own training loop sets the
// rate by a recursion (scheduler.step()) that drifts from its closed form by
// rounding, measured below 1e-13 of the base rate over 400 steps. Products
// feeding additions are wrapped in float64(...) so no FMA fusion happens.

// constantSchedule keeps the base learning rate: the schedule "constant".
type constantSchedule struct{}

func (constantSchedule) LR(base float64, _ int) float64 { return base }

// constantLR is torch.optim.lr_scheduler.ConstantLR.
type constantLR struct {
	factor float64
	total  int
}

func (s constantLR) LR(base float64, t int) float64 {
	f := s.factor
	if t >= s.total {
		f = s.factor + (1 - s.factor) // PyTorch: factor + (t >= total_iters)*(1-factor)
	}
	return base * f
}

// stepLR is torch.optim.lr_scheduler.StepLR.
type stepLR struct {
	stepSize int
	gamma    float64
}

func (s stepLR) LR(base float64, t int) float64 {
	return base * powInt(s.gamma, t/s.stepSize)
}

// exponentialLR is torch.optim.lr_scheduler.ExponentialLR.
type exponentialLR struct{ gamma float64 }

func (s exponentialLR) LR(base float64, t int) float64 {
	return base * powInt(s.gamma, t)
}

// cosineAnnealingLR is torch.optim.lr_scheduler.CosineAnnealingLR.
type cosineAnnealingLR struct {
	tMax   int
	etaMin float64
}

func (s cosineAnnealingLR) LR(base float64, t int) float64 {
	c := 1 + math.Cos(float64(math.Pi*float64(t))/float64(s.tMax))
	return s.etaMin + float64((base-s.etaMin)*c)/2
}

// linearLR is torch.optim.lr_scheduler.LinearLR.
type linearLR struct {
	start, end float64
	total      int
}

func (s linearLR) LR(base float64, t int) float64 {
	frac := float64((s.end-s.start)*float64(min(s.total, t))) / float64(s.total)
	return base * (s.start + frac)
}

// powInt returns x^n for n >= 0 as Python's x**n does (C pow, which is
// correctly rounded in practice). math.Pow multiplies by repeated squaring
// in float64 and is tens of units in the last place off for gamma^1000;
// squaring in double-double arithmetic (error-free products from math.FMA,
// which rounds once by definition on every platform) keeps about 100 bits,
// so the one final rounding gives the correctly rounded result except in
// astronomically rare ties.
func powInt(x float64, n int) float64 {
	rh, rl := 1.0, 0.0
	bh, bl := x, 0.0
	for n > 0 {
		if n&1 == 1 {
			rh, rl = ddMul(rh, rl, bh, bl)
		}
		n >>= 1
		if n > 0 {
			bh, bl = ddMul(bh, bl, bh, bl)
		}
	}
	return rh + rl
}

// ddMul multiplies two double-double numbers (hi+lo) and returns the
// normalised double-double product.
func ddMul(ah, al, bh, bl float64) (float64, float64) {
	p := float64(ah * bh)     // explicit rounding: p + e below must not fuse
	e := math.FMA(ah, bh, -p) // exact low part of ah*bh
	e += float64(ah*bl) + float64(al*bh)
	s := p + e
	return s, e - (s - p)
}
