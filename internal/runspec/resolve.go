package runspec

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// Plan is a validated spec, ready to compute: the function, its critical
// points, the run settings and one fresh optimizer per entry. Computing a
// plan uses up its optimizers' state, so a plan is computed once.
type Plan struct {
	Func   landscape.Function
	Domain landscape.Domain
	// Config is everything of a trajectory but the optimizer and its
	// learning rate; ConfigFor fills in the rate.
	Config     optim.Config
	Optimizers []Resolved
	// Schedule is the resolved schedule for the answer, nil without one.
	Schedule *Resolved
}

// Resolved is an optimizer or a schedule with every hyperparameter filled
// in, as an answer shows it.
type Resolved struct {
	Info    optim.Info   // parameter order for the answer
	Display string       // the preset's display name, or the optimizer's
	Values  optim.Values // resolved, every Param present
	// Optimizer is built from Values with fresh state; nil for a schedule.
	Optimizer optim.Optimizer
}

// ConfigFor is the configuration of optimizer i's trajectory: the plan's,
// with the optimizer's own learning rate as the base a schedule scales.
func (p *Plan) ConfigFor(i int) optim.Config {
	cfg := p.Config
	cfg.LR = p.Optimizers[i].Values["lr"][0]
	return cfg
}

// Resolver turns specs into plans. It holds the cache of critical points of
// custom expressions, which are costly to find and asked for again on every
// slider move.
type Resolver struct {
	// Admit, when not nil, admits a critical-point search of fn before it
	// starts (the server prices it and takes a slot) and returns the
	// function that ends the admission; its error is returned unchanged.
	Admit Admit

	critical *criticalCache
}

// Admit admits a computation on fn, or says why not.
type Admit func(ctx context.Context, fn landscape.Function) (release func(), err error)

// NewResolver returns a Resolver with an empty cache.
func NewResolver() *Resolver {
	return &Resolver{critical: newCriticalCache()}
}

// Critical returns what the critical search finds for the custom
// expression src, compiled as fn, in d: its points and counts, from the cache (keyed by canonical form and box),
// or searched for once Admit admits the search. The search is bounded by
// its evaluations, so its result depends only on the expression and d.
func (rv *Resolver) Critical(ctx context.Context, src string, fn landscape.Function, d landscape.Domain) (landscape.CriticalSet, error) {
	return rv.critical.get(ctx, rv.Admit, src, fn, d)
}

// Resolve validates s and fills every default: the function's own domain,
// start and learning rate; PyTorch's default for every hyperparameter not
// given. The learning rate of each optimizer is its own lr if given, else
// the spec's lr, else the function's. Errors are *Error naming the field.
func (rv *Resolver) Resolve(ctx context.Context, s Spec) (*Plan, error) {
	r := &Plan{}
	var start landscape.Vec
	lr := DefaultExprLR
	switch {
	case s.Function != "" && s.Expr != "":
		return nil, Errorf("expr", "give function or expr, not both")
	case s.Function != "":
		p, ok := landscape.Lookup(s.Function)
		if !ok {
			return nil, UnknownFunction(s.Function)
		}
		r.Func, r.Domain, start, lr = p.Func, p.Domain, p.Start, p.LR
		r.Config.Critical = p.Critical
	case s.Expr != "":
		fn, err := compileExpr(s.Expr)
		if err != nil {
			return nil, err
		}
		r.Func = fn
		d := DefaultExprDomain
		r.Domain = landscape.Domain{XMin: d[0], XMax: d[1], YMin: d[2], YMax: d[3]}
	default:
		return nil, Errorf("function", "function (a preset id) or expr is required")
	}
	if s.Domain != nil {
		d, err := checkDomain(s.Domain)
		if err != nil {
			return nil, err
		}
		r.Domain = d
	}
	if s.Expr != "" {
		start = DefaultExprStart(r.Domain)
		crit, err := rv.Critical(ctx, s.Expr, r.Func, r.Domain)
		if err != nil {
			return nil, err
		}
		r.Config.Critical = crit.Points
	}
	if s.Start != nil {
		for i, v := range s.Start {
			if !(math.Abs(v) <= CoordLimit) {
				return nil, Errorf("start["+strconv.Itoa(i)+"]", "start[%d] must be finite with |%s| <= 1e6, got %s",
					i, "xy"[i:i+1], FormatNumber(v))
			}
		}
		start = landscape.Vec{X: s.Start[0], Y: s.Start[1]}
	}
	r.Config.Func, r.Config.Start, r.Config.Box = r.Func, start, r.Domain
	r.Config.Steps = DefaultSteps
	if s.Steps != nil {
		if *s.Steps < 1 || *s.Steps > StepsLimit {
			return nil, Errorf("steps", "steps must be in [1, %d], got %d", StepsLimit, *s.Steps)
		}
		r.Config.Steps = int(*s.Steps)
	}
	r.Config.Seed = DefaultSeed
	if s.Seed != nil {
		if *s.Seed < 0 || *s.Seed > SeedLimit {
			return nil, Errorf("seed", "seed must be in [0, %d], got %d", int64(SeedLimit), *s.Seed)
		}
		r.Config.Seed = uint64(*s.Seed)
	}
	var err error
	if r.Config.Noise, err = nonNegative("noise", s.Noise); err != nil {
		return nil, err
	}
	if r.Config.ClipNorm, err = nonNegative("clip_norm", s.ClipNorm); err != nil {
		return nil, err
	}
	if s.LR != nil {
		if !(*s.LR > 0) || math.IsInf(*s.LR, 0) {
			return nil, Errorf("lr", "lr must be > 0, got %s", FormatNumber(*s.LR))
		}
		lr = *s.LR
	}
	if len(s.Optimizers) == 0 || len(s.Optimizers) > OptimizersLimit {
		return nil, Errorf("optimizers", "optimizers must list 1 to %d optimizers, got %d", OptimizersLimit, len(s.Optimizers))
	}
	if s.Schedule != nil {
		if r.Config.Schedule, r.Schedule, err = resolveSchedule(*s.Schedule); err != nil {
			return nil, err
		}
	}
	r.Optimizers = make([]Resolved, len(s.Optimizers))
	for i, o := range s.Optimizers {
		ro, err := resolveOptimizer("optimizers["+strconv.Itoa(i)+"]", o, lr)
		if err != nil {
			return nil, err
		}
		r.Optimizers[i] = ro
	}
	return r, nil
}

func nonNegative(field string, v *float64) (float64, error) {
	if v == nil {
		return 0, nil
	}
	if !(*v >= 0) || *v > CoordLimit {
		return 0, Errorf(field, "%s must be in [0, 1e6], got %s", field, FormatNumber(*v))
	}
	return *v, nil
}

// resolveOptimizer finds the optimizer (a registry name or a named preset
// such as "momentum"), checks each given value's kind, and builds it with
// the shared lr filled in when the optimizer has none of its own.
func resolveOptimizer(field string, o OptimizerSpec, lr float64) (Resolved, error) {
	cat := optimCatalog()
	name, given := o.Name, optim.Values{}
	info, ok := cat.infos[name]
	display := info.Display
	if !ok {
		p, ok := cat.presets[name]
		if !ok {
			return Resolved{}, unknownOptimizer(field, name)
		}
		name, display, info = p.Optimizer, p.Display, cat.infos[p.Optimizer]
		for k, v := range p.Values {
			given[k] = v
		}
	}
	if err := givenValues(field, o.Params, info.Params, given); err != nil {
		return Resolved{}, err
	}
	if _, ok := given["lr"]; !ok {
		given["lr"] = []float64{lr}
	}
	opt, values, err := optim.New(name, given)
	if err != nil {
		var pe *optim.ParamError
		if errors.As(err, &pe) {
			return Resolved{}, &Error{Field: join(field, pe.Param), Msg: field + "." + pe.Msg, Pos: -1}
		}
		return Resolved{}, err
	}
	return Resolved{Info: info, Display: display, Values: values, Optimizer: opt}, nil
}

// givenValues checks each given parameter against the declared ones (name
// and kind) and stores it in given.
func givenValues(field string, ps []ParamSpec, declared []optim.Param, given optim.Values) error {
	for _, p := range ps {
		path := join(field, p.Name)
		var want *optim.Param
		for i := range declared {
			if declared[i].Name == p.Name {
				want = &declared[i]
			}
		}
		if want == nil {
			known := make([]string, len(declared))
			for i, q := range declared {
				known[i] = q.Name
			}
			return unknownField(field, p.Name, known)
		}
		if p.Kind != want.Kind {
			return Errorf(path, "%s must be %s", path, kindText[want.Kind])
		}
		if p.Kind == optim.Pair {
			given[p.Name] = []float64{p.Value[0], p.Value[1]}
		} else {
			given[p.Name] = []float64{p.Value[0]}
		}
	}
	return nil
}

// resolveSchedule builds the learning-rate schedule of a spec; "constant"
// is no schedule at all.
func resolveSchedule(o OptimizerSpec) (optim.Schedule, *Resolved, error) {
	var info *optim.ScheduleInfo
	var names []string
	for _, in := range optim.Schedules() {
		names = append(names, in.Name)
		if in.Name == o.Name {
			info = &in
		}
	}
	if info == nil {
		if s := Suggest(o.Name, names); s != "" {
			return nil, nil, Errorf("schedule.name", "schedule.name: unknown schedule %q (did you mean %s?)", o.Name, s)
		}
		return nil, nil, Errorf("schedule.name", "schedule.name: unknown schedule %q (known: %s)", o.Name, strings.Join(names, ", "))
	}
	given := optim.Values{}
	if err := givenValues("schedule", o.Params, info.Params, given); err != nil {
		return nil, nil, err
	}
	sched, values, err := optim.NewSchedule(o.Name, given)
	if err != nil {
		var pe *optim.ParamError
		if errors.As(err, &pe) {
			return nil, nil, &Error{Field: join("schedule", pe.Param), Msg: "schedule." + pe.Msg, Pos: -1}
		}
		return nil, nil, err
	}
	if o.Name == "constant" {
		sched = nil
	}
	ro := &Resolved{Info: optim.Info{Name: info.Name, Display: info.Display, Params: info.Params}, Display: info.Display, Values: values}
	return sched, ro, nil
}

var kindText = map[optim.Kind]string{
	optim.Number: "a number",
	optim.Bool:   "true or false",
	optim.Pair:   "a pair of numbers [a, b]",
}

func unknownOptimizer(field, name string) error {
	if s := Suggest(name, optimCatalog().names); s != "" {
		return Errorf(field+".name", "%s.name: unknown optimizer %q (did you mean %s?)", field, name, s)
	}
	return Errorf(field+".name", "%s.name: unknown optimizer %q (GET /api/v1/optimizers lists them)", field, name)
}

// catalog is the optimizer registry and its named presets by name.
type catalog struct {
	infos   map[string]optim.Info
	presets map[string]optim.NamedPreset
	names   []string // registry names, then preset ids
}

// optimCatalog reads the registry once: optim.Lookup and optim.Presets build
// fresh copies on every call, which a slider drag would pay per optimizer
// per request. The values are only read.
var optimCatalog = sync.OnceValue(func() catalog {
	c := catalog{infos: map[string]optim.Info{}, presets: map[string]optim.NamedPreset{}}
	for _, in := range optim.List() {
		c.infos[in.Name] = in
		c.names = append(c.names, in.Name)
	}
	for _, p := range optim.Presets() {
		c.presets[p.ID] = p
		c.names = append(c.names, p.ID)
	}
	return c
})
