package basin

import (
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// trigCases are basin maps of the presets built on sines, cosines and
// exponentials, whose vector gradients port math.Sincos and math.Exp: every
// optimizer rule the fast engines run, starts in the preset's box and far
// out (where Ackley's cone term underflows to zero, or to denormals), and
// runs that diverge or overflow.
func trigCases(t testing.TB) []struct {
	name string
	cfg  MapConfig
} {
	type tc = struct {
		name string
		cfg  MapConfig
	}
	far := landscape.Domain{XMin: -9e5, XMax: 9e5, YMin: -9e5, YMax: 9e5}
	var cases []tc
	for _, id := range []string{"rastrigin", "ackley", "levy13", "mccormick"} {
		p := preset(t, id)
		base := MapConfig{Func: p.Func, Critical: p.Critical, Box: p.Domain, N: 16, Steps: 300}
		add := func(name string, change func(*MapConfig)) {
			cfg := base
			change(&cfg)
			cases = append(cases, tc{id + " " + name, cfg})
		}
		add("adam", func(c *MapConfig) {
			c.N, c.Optimizer, c.Values = 24, "adam", optim.Values{"lr": {p.LR * 10}}
		})
		add("amsgrad weight decay", func(c *MapConfig) {
			c.Optimizer, c.Values = "adam", optim.Values{"lr": {p.LR * 5}, "amsgrad": {1}, "weight_decay": {0.01}, "eps": {1e-6}}
		})
		add("adamw schedule", func(c *MapConfig) {
			c.Optimizer, c.Values, c.Schedule, c.LR = "adamw", optim.Values{"lr": {p.LR * 20}, "betas": {0.8, 0.99}}, halving{}, p.LR*20
		})
		add("sgd", func(c *MapConfig) { c.Optimizer, c.Values = "sgd", optim.Values{"lr": {p.LR}} })
		add("nesterov weight decay", func(c *MapConfig) {
			c.Optimizer, c.Values = "sgd", optim.Values{"lr": {p.LR}, "momentum": {0.9}, "nesterov": {1}, "weight_decay": {0.01}}
		})
		add("momentum dampening", func(c *MapConfig) {
			c.Optimizer, c.Values = "sgd", optim.Values{"lr": {p.LR * 2}, "momentum": {0.8}, "dampening": {0.3}}
		})
		add("adam far out", func(c *MapConfig) {
			c.Box, c.Optimizer, c.Values, c.Steps = far, "adam", optim.Values{"lr": {2e4}}, 60
		})
		add("sgd far out diverging", func(c *MapConfig) {
			c.Box, c.Optimizer, c.Values, c.Steps = far, "sgd", optim.Values{"lr": {0.2}, "momentum": {0.9}}, 60
		})
		add("adam crossing the bound", func(c *MapConfig) {
			c.Optimizer, c.Values, c.Steps = "adam", optim.Values{"lr": {6e5}, "betas": {0.5, 0.9}}, 40
		})
		add("sgd overflowing", func(c *MapConfig) {
			c.N, c.Optimizer, c.Values, c.Steps = 8, "sgd", optim.Values{"lr": {1e300}}, 10
		})
	}
	// Ackley's exp(-0.2r) is denormal for r between about 3,540 and 3,725.
	ack := preset(t, "ackley")
	cases = append(cases, tc{"ackley denormal cone", MapConfig{Func: ack.Func, Critical: ack.Critical,
		Box: landscape.Domain{XMin: 3400, XMax: 3800, YMin: 3400, YMax: 3800}, N: 16, Steps: 200,
		Optimizer: "adam", Values: optim.Values{"lr": {1}}}})
	cases = append(cases, tc{"ackley at the origin", MapConfig{Func: ack.Func, Critical: ack.Critical,
		Box: landscape.Domain{XMin: -1, XMax: 1, YMin: -1, YMax: 1}, N: 3, Steps: 50,
		Optimizer: "sgd", Values: optim.Values{"lr": {0.01}}}})
	return cases
}

// TestEnginesMatchRunTrig compares every cell of every engine's map of the
// cases above with optim.Run, bit for bit, and checks that the cases reach
// the outcomes they are meant to cover.
func TestEnginesMatchRunTrig(t *testing.T) {
	seen := map[string]map[optim.Status]bool{}
	for _, tc := range trigCases(t) {
		want := make([]Cell, tc.cfg.N*tc.cfg.N)
		id, _, _ := strings.Cut(tc.name, " ")
		if seen[id] == nil {
			seen[id] = map[optim.Status]bool{}
		}
		counts := map[optim.Status]int{}
		for k := range want {
			want[k] = runCell(t, tc.cfg, k%tc.cfg.N, k/tc.cfg.N)
			seen[id][want[k].Status] = true
			counts[want[k].Status]++
		}
		t.Logf("%s: outcomes %v", tc.name, counts)
		for _, eng := range enginesUnderTest()[1:] { // the fast ones
			if (eng == SIMD || eng == simdNarrow) && vecGradOf(tc.cfg.Func) == nil {
				continue
			}
			cfg := tc.cfg
			cfg.Engine = eng
			got := computeMap(t, cfg)
			bad := 0
			for k := range got {
				if !sameCell(got[k], want[k]) {
					if bad++; bad <= 3 {
						t.Errorf("%s on %s: cell (%d, %d): got %+v, optim.Run gives %+v", tc.name, engineName(eng), k%cfg.N, k/cfg.N, got[k], want[k])
					}
				}
			}
			if bad > 0 {
				t.Errorf("%s on %s: %d of %d cells differ", tc.name, engineName(eng), bad, len(got))
			}
		}
	}
	for id, st := range seen {
		for _, s := range []optim.Status{optim.Converged, optim.NotConverged, optim.Diverged} {
			if !st[s] {
				t.Errorf("no %s case has a cell that ends %v", id, s)
			}
		}
	}
}
