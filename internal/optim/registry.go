package optim

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// entry pairs an optimizer's description with its constructor. The
// constructor receives resolved values (every Param present and valid) and
// returns fresh state, so no two runs ever share an optimizer.
type entry struct {
	info  Info
	build func(v Values) Optimizer
}

// registry lists the optimizers in display order: the four classics first,
// then the later Adam family, Adadelta and Lion.
var registry = []entry{
	{sgdInfo, newSGD},
	{rmspropInfo, newRMSprop},
	{adagradInfo, newAdagrad},
	{adamInfo, newAdam},
	{adamwInfo, newAdamW},
	{nadamInfo, newNAdam},
	{adamaxInfo, newAdamax},
	{adadeltaInfo, newAdadelta},
	{lionInfo, newLion},
}

// List describes every optimizer in display order. The result is a copy the
// caller may keep or change.
func List() []Info {
	out := make([]Info, len(registry))
	for i, e := range registry {
		out[i] = cloneInfo(e.info)
	}
	return out
}

// Lookup finds an optimizer by its registry name (PyTorch's lower-cased
// class name, e.g. "adamw").
func Lookup(name string) (Info, bool) {
	e, ok := find(name)
	if !ok {
		return Info{}, false
	}
	return cloneInfo(e.info), true
}

// New builds a fresh optimizer. It validates every given value against its
// Param's range and PyTorch's own constraints, fills PyTorch's default for
// every hyperparameter not given (an explicit 0 stays 0) and returns the
// resolved values, every Param present, so a client can show exactly what
// ran. Errors are *ParamError.
//
// A missing lr takes PyTorch's default for that class; callers that want a
// landscape's instructive learning rate put it in given before calling.
func New(name string, given Values) (Optimizer, Values, error) {
	e, ok := find(name)
	if !ok {
		return nil, nil, unknownOptimizer(name)
	}
	resolved, err := resolve(e.info, given)
	if err != nil {
		return nil, nil, err
	}
	if name == "sgd" {
		if err := checkNesterov(resolved); err != nil {
			return nil, nil, err
		}
	}
	return e.build(resolved), resolved, nil
}

// NamedPreset is a named setting of one optimizer, such as "Momentum SGD"
// (sgd with momentum 0.9). Presets are what a client offers as ready-made
// choices; they are settings, not rules of their own.
type NamedPreset struct {
	ID        string // stable identifier, e.g. "momentum"
	Display   string // e.g. "Momentum SGD"
	Optimizer string // registry name, e.g. "sgd"
	// Values holds only the settings that make the preset; everything else
	// (in particular lr) is left to the defaults, so a landscape's
	// instructive learning rate still applies.
	Values Values
}

// Presets lists the ready-made settings in display order: the seed set a page
// starts with (SGD, Momentum SGD, RMSprop, Adagrad, Adam), then the rest.
func Presets() []NamedPreset {
	return []NamedPreset{
		{"sgd", "SGD", "sgd", Values{}},
		{"momentum", "Momentum SGD", "sgd", Values{"momentum": {0.9}}},
		{"rmsprop", "RMSprop", "rmsprop", Values{}},
		{"adagrad", "Adagrad", "adagrad", Values{}},
		{"adam", "Adam", "adam", Values{}},
		{"nesterov", "Nesterov", "sgd", Values{"momentum": {0.9}, "nesterov": {1}}},
		{"adamw", "AdamW", "adamw", Values{}},
		{"nadam", "NAdam", "nadam", Values{}},
		{"adamax", "Adamax", "adamax", Values{}},
		{"adadelta", "Adadelta", "adadelta", Values{}},
		{"lion", "Lion", "lion", Values{}},
	}
}

func find(name string) (entry, bool) {
	for _, e := range registry {
		if e.info.Name == name {
			return e, true
		}
	}
	return entry{}, false
}

func cloneInfo(in Info) Info {
	in.Params = slices.Clone(in.Params)
	for i := range in.Params {
		in.Params[i].Default = slices.Clone(in.Params[i].Default)
	}
	return in
}

// suggestDistance is the largest edit distance at which an unknown name is
// close enough to a known one to suggest it.
const suggestDistance = 2

func unknownOptimizer(name string) error {
	names := make([]string, len(registry))
	best, bestDist := "", suggestDistance+1
	for i, e := range registry {
		names[i] = e.info.Name
		if d := editDistance(strings.ToLower(name), e.info.Name); d < bestDist {
			best, bestDist = e.info.Name, d
		}
	}
	msg := "unknown optimizer " + strconv.Quote(name)
	if best != "" {
		msg += " (did you mean " + best + "?)"
	} else {
		msg += " (known: " + strings.Join(names, ", ") + ")"
	}
	return &ParamError{Param: "name", Msg: msg}
}

// editDistance is the Levenshtein distance between two short names.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// resolve validates given against info's Params and fills the defaults.
// Unknown names are reported first (in sorted order), then each Param in
// declaration order, so the error for a given input is always the same.
func resolve(info Info, given Values) (Values, error) {
	known := make([]string, len(info.Params))
	for i, p := range info.Params {
		known[i] = p.Name
	}
	names := make([]string, 0, len(given))
	for n := range given {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if !slices.Contains(known, n) {
			return nil, &ParamError{Param: n, Msg: "unknown hyperparameter " + strconv.Quote(n) +
				" for " + info.Name + " (known: " + strings.Join(known, ", ") + ")"}
		}
	}
	out := make(Values, len(info.Params))
	for _, p := range info.Params {
		v, ok := given[p.Name]
		if !ok {
			out[p.Name] = slices.Clone(p.Default)
			continue
		}
		if err := p.check(v); err != nil {
			return nil, err
		}
		out[p.Name] = slices.Clone(v)
	}
	return out, nil
}

// check validates one given value against the Param's kind and range.
func (p Param) check(v []float64) error {
	switch p.Kind {
	case Pair:
		if len(v) != 2 {
			return &ParamError{Param: p.Name, Msg: p.Name + " must be a pair of numbers, got " + countValues(len(v))}
		}
		for i, x := range v {
			if err := p.checkRange(p.Name+"["+strconv.Itoa(i)+"]", x); err != nil {
				return err
			}
		}
		return nil
	case Bool:
		if len(v) != 1 {
			return &ParamError{Param: p.Name, Msg: p.Name + " must be true or false, got " + countValues(len(v))}
		}
		if v[0] != 0 && v[0] != 1 {
			return &ParamError{Param: p.Name, Msg: p.Name + " must be 0 or 1 (false or true), got " + formatFloat(v[0])}
		}
		return nil
	default:
		if len(v) != 1 {
			return &ParamError{Param: p.Name, Msg: p.Name + " must be a single number, got " + countValues(len(v))}
		}
		return p.checkRange(p.Name, v[0])
	}
}

func countValues(n int) string {
	if n == 1 {
		return "1 value"
	}
	return strconv.Itoa(n) + " values"
}

// checkRange reports x outside the Param's range (NaN and ±Inf are always
// outside) with a message naming the range the way a reader writes it:
// "> 0", ">= 0" or "in [0, 1)".
func (p Param) checkRange(name string, x float64) error {
	okLo := x > p.Min || (!p.MinOpen && x == p.Min)
	okHi := x < p.Max || (!p.MaxOpen && x == p.Max)
	if okLo && okHi && !math.IsInf(x, 0) {
		return nil
	}
	return &ParamError{Param: name, Msg: name + " must be " + p.rangeText() + ", got " + formatFloat(x)}
}

func (p Param) rangeText() string {
	if math.IsInf(p.Max, 1) {
		if p.MinOpen {
			return "> " + formatFloat(p.Min)
		}
		return ">= " + formatFloat(p.Min)
	}
	lo, hi := "[", "]"
	if p.MinOpen {
		lo = "("
	}
	if p.MaxOpen {
		hi = ")"
	}
	return "in " + lo + formatFloat(p.Min) + ", " + formatFloat(p.Max) + hi
}

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// checkNesterov applies PyTorch's own constraint on SGD: Nesterov momentum
// needs a momentum and zero dampening.
func checkNesterov(v Values) error {
	if v["nesterov"][0] == 0 {
		return nil
	}
	m, d := v["momentum"][0], v["dampening"][0]
	if m > 0 && d == 0 {
		return nil
	}
	return &ParamError{Param: "nesterov", Msg: "nesterov requires momentum > 0 and dampening == 0, got momentum " +
		formatFloat(m) + " and dampening " + formatFloat(d)}
}

// Constructors of the Params that several optimizers share, so that the
// same name always means the same thing and has the same range.

func lrParam(def float64) Param {
	return Param{Name: "lr", Kind: Number, Default: []float64{def}, Min: 0, MinOpen: true, Max: math.Inf(1), Scale: Log,
		Doc: "Learning rate: how far each step moves. Too small crawls, too large overshoots or diverges."}
}

func epsParam(def float64) Param {
	return Param{Name: "eps", Kind: Number, Default: []float64{def}, Min: 0, Max: math.Inf(1), Scale: Log,
		Doc: "Added to the denominator so a near-zero gradient history cannot cause a division by zero; larger values damp the adaptive scaling. " +
			"0 is allowed, as in PyTorch, but then a gradient of exactly 0 divides 0 by 0 and the run stops as diverged."}
}

func weightDecayParam(def float64) Param {
	return Param{Name: "weight_decay", Kind: Number, Default: []float64{def}, Min: 0, Max: math.Inf(1), Scale: Log,
		Doc: "L2 penalty: adds weight_decay*p to the gradient, pulling the parameters toward the origin."}
}

func decoupledWeightDecayParam(def float64) Param {
	return Param{Name: "weight_decay", Kind: Number, Default: []float64{def}, Min: 0, Max: math.Inf(1), Scale: Log,
		Doc: "Decoupled weight decay: shrinks the parameters by the factor (1 - lr*weight_decay) before each step, independently of the gradient."}
}

func betasParam(b1, b2 float64, maxOpen bool) Param {
	return Param{Name: "betas", Kind: Pair, Default: []float64{b1, b2}, Min: 0, Max: 1, MaxOpen: maxOpen, Scale: Linear,
		Doc: "Decay rates of the running averages: betas[0] for the gradient (momentum), betas[1] for its square. Closer to 1 means a longer memory."}
}
