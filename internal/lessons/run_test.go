package lessons_test

import (
	"context"
	"fmt"
	"reflect"

	"github.com/basin-dev/basin/internal/api"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// runResult is one optimizer's trajectory end and outcome.
type runResult struct {
	End     optim.Point
	Outcome optim.Outcome
}

// runQuery parses a permalink query and runs every optimizer in it the way
// the server does. internal/api exports no function that computes runs from
// a RunSpec, so this mirrors its resolve step (internal/api/resolve.go):
// the preset's start and learning rate unless the spec gives them, the
// spec's lr for every optimizer without its own, named presets such as
// "momentum" expanded to their optimizer and values, api.DefaultSteps and
// api.DefaultSeed when omitted. Lessons use presets only, never expr.
func runQuery(q string) ([]runResult, error) {
	s, err := api.ParseQuery(q)
	if err != nil {
		return nil, err
	}
	return runSpec(s)
}

// mirrored names the RunSpec fields runSpec applies. A field added to
// RunSpec later (a schedule, say) that an example sets is an error rather
// than silently ignored; TestMirrorMatchesServer checks the rest.
var mirrored = map[string]bool{"Function": true, "Expr": true, "Domain": true, "Start": true, "Steps": true,
	"Seed": true, "Noise": true, "ClipNorm": true, "LR": true, "Optimizers": true}

func runSpec(s api.RunSpec) ([]runResult, error) {
	v := reflect.ValueOf(s)
	for i := 0; i < v.NumField(); i++ {
		if f := v.Type().Field(i); !mirrored[f.Name] && !v.Field(i).IsZero() {
			return nil, fmt.Errorf("RunSpec.%s is set, and this mirror of the server does not apply it", f.Name)
		}
	}
	if s.Expr != "" {
		return nil, fmt.Errorf("lessons use presets, got expr %q", s.Expr)
	}
	p, ok := landscape.Lookup(s.Function)
	if !ok {
		return nil, fmt.Errorf("unknown function %q", s.Function)
	}
	cfg := optim.Config{Func: p.Func, Critical: p.Critical, Start: p.Start, Steps: api.DefaultSteps, Seed: api.DefaultSeed}
	if s.Start != nil {
		cfg.Start = landscape.Vec{X: s.Start[0], Y: s.Start[1]}
	}
	if s.Steps != nil {
		cfg.Steps = int(*s.Steps)
	}
	if s.Seed != nil {
		cfg.Seed = uint64(*s.Seed)
	}
	if s.Noise != nil {
		cfg.Noise = *s.Noise
	}
	if s.ClipNorm != nil {
		cfg.ClipNorm = *s.ClipNorm
	}
	lr := p.LR
	if s.LR != nil {
		lr = *s.LR
	}
	out := make([]runResult, len(s.Optimizers))
	for i, o := range s.Optimizers {
		name, given := o.Name, optim.Values{}
		if _, ok := optim.Lookup(name); !ok {
			found := false
			for _, np := range optim.Presets() {
				if np.ID == name {
					name, found = np.Optimizer, true
					for k, v := range np.Values {
						given[k] = v
					}
				}
			}
			if !found {
				return nil, fmt.Errorf("unknown optimizer %q", o.Name)
			}
		}
		for _, ps := range o.Params {
			if ps.Kind == optim.Pair {
				given[ps.Name] = []float64{ps.Value[0], ps.Value[1]}
			} else {
				given[ps.Name] = []float64{ps.Value[0]}
			}
		}
		if _, ok := given["lr"]; !ok {
			given["lr"] = []float64{lr}
		}
		opt, _, err := optim.New(name, given)
		if err != nil {
			return nil, fmt.Errorf("optimizers[%d]: %w", i, err)
		}
		pts, oc, err := optim.Run(context.Background(), cfg, opt, make([]optim.Point, 0, cfg.Steps+1), 0, nil)
		if err != nil {
			return nil, err
		}
		var end optim.Point
		if len(pts) > 0 {
			end = pts[len(pts)-1]
		}
		out[i] = runResult{End: end, Outcome: oc}
	}
	return out, nil
}
