package api

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/landscape/expr"
	"github.com/basin-dev/basin/internal/optim"
)

// run is a validated spec, ready to compute: the function, its critical
// points, the run settings and one fresh optimizer per entry.
type run struct {
	fn     landscape.Function
	domain landscape.Domain
	cfg    optim.Config // everything but the optimizer
	opts   []resolvedOpt
	// schedule is the resolved schedule for the result, nil without one.
	schedule *resolvedOpt
}

// resolvedOpt is one optimizer with every hyperparameter filled in.
type resolvedOpt struct {
	info    optim.Info   // parameter order for the result
	display string       // the preset's display name, or the optimizer's
	values  optim.Values // resolved, every Param present
	opt     optim.Optimizer
}

// resolver turns specs into runs. It holds the cache of critical points of
// custom expressions, which are costly to find and asked for again on every
// slider move.
type resolver struct {
	critical *criticalCache
}

// resolve validates s and fills every default: the function's own domain,
// start and learning rate; PyTorch's default for every hyperparameter not
// given. The learning rate of each optimizer is its own lr if given, else
// the spec's lr, else the function's. Errors are *Error naming the field.
func (rv *resolver) resolve(ctx context.Context, s RunSpec) (*run, error) {
	r := &run{}
	var start landscape.Vec
	lr := DefaultExprLR
	switch {
	case s.Function != "" && s.Expr != "":
		return nil, errorf("expr", "give function or expr, not both")
	case s.Function != "":
		p, ok := landscape.Lookup(s.Function)
		if !ok {
			return nil, unknownFunction(s.Function)
		}
		r.fn, r.domain, start, lr = p.Func, p.Domain, p.Start, p.LR
		r.cfg.Critical = p.Critical
	case s.Expr != "":
		fn, err := compileExpr(s.Expr)
		if err != nil {
			return nil, err
		}
		r.fn = fn
		d := DefaultExprDomain
		r.domain = landscape.Domain{XMin: d[0], XMax: d[1], YMin: d[2], YMax: d[3]}
	default:
		return nil, errorf("function", "function (a preset id) or expr is required")
	}
	if s.Domain != nil {
		d, err := checkDomain(s.Domain)
		if err != nil {
			return nil, err
		}
		r.domain = d
	}
	if s.Expr != "" {
		start = defaultExprStart(r.domain)
		crit, err := rv.critical.get(ctx, s.Expr, r.fn, r.domain)
		if err != nil {
			return nil, err
		}
		r.cfg.Critical = crit
	}
	if s.Start != nil {
		for i, v := range s.Start {
			if !(math.Abs(v) <= CoordLimit) {
				return nil, errorf("start["+strconv.Itoa(i)+"]", "start[%d] must be finite with |%s| <= 1e6, got %s",
					i, "xy"[i:i+1], formatNumber(v))
			}
		}
		start = landscape.Vec{X: s.Start[0], Y: s.Start[1]}
	}
	r.cfg.Func, r.cfg.Start = r.fn, start
	r.cfg.Steps = DefaultSteps
	if s.Steps != nil {
		if *s.Steps < 1 || *s.Steps > StepsLimit {
			return nil, errorf("steps", "steps must be in [1, %d], got %d", StepsLimit, *s.Steps)
		}
		r.cfg.Steps = int(*s.Steps)
	}
	r.cfg.Seed = DefaultSeed
	if s.Seed != nil {
		if *s.Seed < 0 || *s.Seed > SeedLimit {
			return nil, errorf("seed", "seed must be in [0, %d], got %d", int64(SeedLimit), *s.Seed)
		}
		r.cfg.Seed = uint64(*s.Seed)
	}
	var err error
	if r.cfg.Noise, err = nonNegative("noise", s.Noise); err != nil {
		return nil, err
	}
	if r.cfg.ClipNorm, err = nonNegative("clip_norm", s.ClipNorm); err != nil {
		return nil, err
	}
	if s.LR != nil {
		if !(*s.LR > 0) || math.IsInf(*s.LR, 0) {
			return nil, errorf("lr", "lr must be > 0, got %s", formatNumber(*s.LR))
		}
		lr = *s.LR
	}
	if len(s.Optimizers) == 0 || len(s.Optimizers) > OptimizersLimit {
		return nil, errorf("optimizers", "optimizers must list 1 to %d optimizers, got %d", OptimizersLimit, len(s.Optimizers))
	}
	if s.Schedule != nil {
		if r.cfg.Schedule, r.schedule, err = resolveSchedule(*s.Schedule); err != nil {
			return nil, err
		}
	}
	r.opts = make([]resolvedOpt, len(s.Optimizers))
	for i, o := range s.Optimizers {
		ro, err := resolveOptimizer("optimizers["+strconv.Itoa(i)+"]", o, lr)
		if err != nil {
			return nil, err
		}
		r.opts[i] = ro
	}
	return r, nil
}

func nonNegative(field string, v *float64) (float64, error) {
	if v == nil {
		return 0, nil
	}
	if !(*v >= 0) || *v > CoordLimit {
		return 0, errorf(field, "%s must be in [0, 1e6], got %s", field, formatNumber(*v))
	}
	return *v, nil
}

// defaultExprStart is the start of a custom expression given without one:
// three quarters of the way up and right in its domain, off the centre
// where simple bowls have their minimum, so a first run has somewhere to go.
func defaultExprStart(d landscape.Domain) landscape.Vec {
	return landscape.Vec{X: d.XMin + 0.75*(d.XMax-d.XMin), Y: d.YMin + 0.75*(d.YMax-d.YMin)}
}

func checkDomain(v []float64) (landscape.Domain, error) {
	for i, x := range v {
		if !(math.Abs(x) <= CoordLimit) {
			return landscape.Domain{}, errorf("domain", "domain[%d] must be finite with |v| <= 1e6, got %s", i, formatNumber(x))
		}
	}
	if !(v[0] < v[1]) || !(v[2] < v[3]) {
		return landscape.Domain{}, errorf("domain", "domain must be [xmin, xmax, ymin, ymax] with xmin < xmax and ymin < ymax, got [%s, %s, %s, %s]",
			formatNumber(v[0]), formatNumber(v[1]), formatNumber(v[2]), formatNumber(v[3]))
	}
	return landscape.Domain{XMin: v[0], XMax: v[1], YMin: v[2], YMax: v[3]}, nil
}

func unknownFunction(id string) error {
	var ids []string
	for _, p := range landscape.Presets() {
		ids = append(ids, p.ID)
	}
	if s := suggest(id, ids); s != "" {
		return errorf("function", "unknown function %q (did you mean %s?)", id, s)
	}
	return errorf("function", "unknown function %q (GET /api/v1/functions lists them)", id)
}

// compileExpr compiles a custom expression, turning its error into one with
// the position.
func compileExpr(src string) (landscape.Function, error) {
	if len(src) > ExprBytesLimit {
		return nil, errorf("expr", "expr must be at most %d bytes, got %d", ExprBytesLimit, len(src))
	}
	fn, err := expr.Compile(src)
	if err != nil {
		var e *expr.Error
		if errors.As(err, &e) {
			return nil, &Error{Field: "expr", Msg: "expr: " + e.Error(), Pos: e.Pos}
		}
		return nil, errorf("expr", "expr: %v", err)
	}
	return fn, nil
}

// resolveOptimizer finds the optimizer (a registry name or a named preset
// such as "momentum"), checks each given value's kind, and builds it with
// the shared lr filled in when the optimizer has none of its own.
func resolveOptimizer(field string, o OptimizerSpec, lr float64) (resolvedOpt, error) {
	cat := optimCatalog()
	name, given := o.Name, optim.Values{}
	info, ok := cat.infos[name]
	display := info.Display
	if !ok {
		p, ok := cat.presets[name]
		if !ok {
			return resolvedOpt{}, unknownOptimizer(field, name)
		}
		name, display, info = p.Optimizer, p.Display, cat.infos[p.Optimizer]
		for k, v := range p.Values {
			given[k] = v
		}
	}
	if err := givenValues(field, o.Params, info.Params, given); err != nil {
		return resolvedOpt{}, err
	}
	if _, ok := given["lr"]; !ok {
		given["lr"] = []float64{lr}
	}
	opt, values, err := optim.New(name, given)
	if err != nil {
		var pe *optim.ParamError
		if errors.As(err, &pe) {
			return resolvedOpt{}, &Error{Field: join(field, pe.Param), Msg: field + "." + pe.Msg, Pos: -1}
		}
		return resolvedOpt{}, err
	}
	return resolvedOpt{info: info, display: display, values: values, opt: opt}, nil
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
			return errorf(path, "%s must be %s", path, kindText[want.Kind])
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
func resolveSchedule(o OptimizerSpec) (optim.Schedule, *resolvedOpt, error) {
	var info *optim.ScheduleInfo
	var names []string
	for _, in := range optim.Schedules() {
		names = append(names, in.Name)
		if in.Name == o.Name {
			info = &in
		}
	}
	if info == nil {
		if s := suggest(o.Name, names); s != "" {
			return nil, nil, errorf("schedule.name", "schedule.name: unknown schedule %q (did you mean %s?)", o.Name, s)
		}
		return nil, nil, errorf("schedule.name", "schedule.name: unknown schedule %q (known: %s)", o.Name, strings.Join(names, ", "))
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
	ro := &resolvedOpt{info: optim.Info{Name: info.Name, Display: info.Display, Params: info.Params}, display: info.Display, values: values}
	return sched, ro, nil
}

var kindText = map[optim.Kind]string{
	optim.Number: "a number",
	optim.Bool:   "true or false",
	optim.Pair:   "a pair of numbers [a, b]",
}

func unknownOptimizer(field, name string) error {
	if s := suggest(name, optimCatalog().names); s != "" {
		return errorf(field+".name", "%s.name: unknown optimizer %q (did you mean %s?)", field, name, s)
	}
	return errorf(field+".name", "%s.name: unknown optimizer %q (GET /api/v1/optimizers lists them)", field, name)
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
