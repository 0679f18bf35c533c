package api

import (
	"math"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// functionJSON describes a function: for a preset its id and texts, then
// its domain, defaults and critical points by kind.
type functionJSON struct {
	*presetTexts
	Domain  []jsNumber     `json:"domain"`
	Start   []jsNumber     `json:"start"`
	LR      jsNumber       `json:"lr"`
	Minima  []criticalJSON `json:"minima"`
	Saddles []criticalJSON `json:"saddles"`
	Maxima  []criticalJSON `json:"maxima"`
}

// presetTexts are what a preset has and a custom expression has not.
type presetTexts struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Formula     string `json:"formula"`
	Description string `json:"description"`
}

// criticalJSON is a critical point of a function's description: where and
// its value, for a minimum whether it is global, and whether it lies on the
// box's edge (a minimum of the function restricted to the box, where the
// gradient need not vanish).
type criticalJSON struct {
	X      coord `json:"x"`
	Y      coord `json:"y"`
	Value  coord `json:"value"`
	Global *bool `json:"global,omitempty"`
	Edge   bool  `json:"edge,omitempty"`
}

// searchJSON is what the critical search of a custom expression says
// beyond its listed points: how many of each kind it found (more than are
// listed when there were too many to list), whether the function has no
// lowest value on the box (then no minimum is global), and the share of
// the box where it is finite.
type searchJSON struct {
	MinimaFound    int   `json:"minima_found"`
	SaddlesFound   int   `json:"saddles_found"`
	MaximaFound    int   `json:"maxima_found"`
	UnboundedBelow bool  `json:"unbounded_below"`
	FiniteShare    coord `json:"finite_share"`
}

func newSearchJSON(set landscape.CriticalSet) searchJSON {
	return searchJSON{
		MinimaFound: set.MinimaFound, SaddlesFound: set.SaddlesFound, MaximaFound: set.MaximaFound,
		UnboundedBelow: set.UnboundedBelow, FiniteShare: coord(set.FiniteShare),
	}
}

func newFunctionJSON(p landscape.Preset) functionJSON {
	f := functionJSON{
		Domain:  jsNumbers(p.Domain.XMin, p.Domain.XMax, p.Domain.YMin, p.Domain.YMax),
		Start:   jsNumbers(p.Start.X, p.Start.Y),
		LR:      jsNumber(p.LR),
		Minima:  []criticalJSON{},
		Saddles: []criticalJSON{},
		Maxima:  []criticalJSON{},
	}
	if p.ID != "" {
		f.presetTexts = &presetTexts{ID: p.ID, Name: p.Name, Formula: p.Formula, Description: p.Description}
	}
	for _, c := range p.Critical {
		cj := criticalJSON{X: coord(c.At.X), Y: coord(c.At.Y), Value: coord(c.Value), Edge: c.Edge}
		switch c.Kind {
		case landscape.Minimum:
			cj.Global = &c.Global
			f.Minima = append(f.Minima, cj)
		case landscape.Saddle:
			f.Saddles = append(f.Saddles, cj)
		case landscape.Maximum:
			f.Maxima = append(f.Maxima, cj)
		}
	}
	return f
}

// optimizersJSON is the optimizer catalog: the registry, its named presets
// and the learning-rate schedules.
type optimizersJSON struct {
	Optimizers []optimizerEntryJSON `json:"optimizers"`
	Presets    []presetJSON         `json:"presets"`
	Schedules  []scheduleEntryJSON  `json:"schedules"`
}

// optimizerEntryJSON and scheduleEntryJSON are entries of the catalog; they
// differ only in their text, an optimizer's update rule or a schedule's
// learning-rate formula.
type optimizerEntryJSON struct {
	Name    string      `json:"name"`
	Display string      `json:"display"`
	Doc     string      `json:"doc"`
	Rule    string      `json:"rule"`
	Params  []paramJSON `json:"params"`
}

type scheduleEntryJSON struct {
	Name    string      `json:"name"`
	Display string      `json:"display"`
	Doc     string      `json:"doc"`
	Formula string      `json:"formula"`
	Params  []paramJSON `json:"params"`
}

// presetJSON is a named optimizer preset with its values in the
// optimizer's declared order.
type presetJSON struct {
	ID        string        `json:"id"`
	Display   string        `json:"display"`
	Optimizer string        `json:"optimizer"`
	Values    orderedValues `json:"values"`
}

// orderedValues is an object of hyperparameter values in declared order,
// not the alphabetical order encoding/json gives a map.
type orderedValues struct {
	params []optim.Param
	values optim.Values
}

func (o orderedValues) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for _, p := range o.params {
		v, ok := o.values[p.Name]
		if !ok {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(append(text(p.Name).appendTo(b), ':'), appendValueJSON(nil, p.Kind, v)...)
	}
	return append(b, '}'), nil
}

// paramJSON describes a hyperparameter. An infinite bound is null:
// unbounded. A parameter without a default (some schedules') has
// "default": null and "required": true.
type paramJSON struct {
	Name     string     `json:"name"`
	Kind     string     `json:"kind"`
	Default  paramValue `json:"default"`
	Required bool       `json:"required,omitempty"`
	Min      *jsNumber  `json:"min"`
	Max      *jsNumber  `json:"max"`
	MinOpen  bool       `json:"min_open"`
	MaxOpen  bool       `json:"max_open"`
	Scale    string     `json:"scale"`
	Doc      string     `json:"doc"`
}

// kindNames are the JSON names of the hyperparameter kinds.
var kindNames = map[optim.Kind]string{optim.Number: "number", optim.Bool: "bool", optim.Pair: "pair"}

func newParamsJSON(ps []optim.Param) []paramJSON {
	out := make([]paramJSON, len(ps))
	for i, p := range ps {
		out[i] = paramJSON{
			Name: p.Name, Kind: kindNames[p.Kind], Default: paramValue{p.Kind, p.Default},
			Required: len(p.Default) == 0, Min: bound(p.Min), Max: bound(p.Max),
			MinOpen: p.MinOpen, MaxOpen: p.MaxOpen, Scale: string(p.Scale), Doc: p.Doc,
		}
	}
	return out
}

// bound is a parameter's bound, nil (null) when it is unbounded.
func bound(v float64) *jsNumber {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil
	}
	n := jsNumber(v)
	return &n
}

func newOptimizersJSON() optimizersJSON {
	var c optimizersJSON
	for _, in := range optim.List() {
		c.Optimizers = append(c.Optimizers, optimizerEntryJSON{in.Name, in.Display, in.Doc, in.Rule, newParamsJSON(in.Params)})
	}
	for _, p := range optim.Presets() {
		info, _ := optim.Lookup(p.Optimizer)
		c.Presets = append(c.Presets, presetJSON{p.ID, p.Display, p.Optimizer, orderedValues{info.Params, p.Values}})
	}
	for _, in := range optim.Schedules() {
		c.Schedules = append(c.Schedules, scheduleEntryJSON{in.Name, in.Display, in.Doc, in.Formula, newParamsJSON(in.Params)})
	}
	return c
}
