package landscape_test

import (
	"math"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

// TestPresetsWellFormed checks the fields the page and the API rely on.
func TestPresetsWellFormed(t *testing.T) {
	wantOrder := []string{"quadratic", "elliptic", "rosenbrock", "himmelblau", "double-well", "rastrigin", "ackley"}
	ps := landscape.Presets()
	for i, id := range wantOrder {
		if ps[i].ID != id {
			t.Errorf("preset %d is %q, want %q", i, ps[i].ID, id)
		}
	}
	seen := map[string]bool{}
	for _, p := range ps {
		if seen[p.ID] {
			t.Errorf("duplicate id %q", p.ID)
		}
		seen[p.ID] = true
		if p.Name == "" || p.Formula == "" || len(p.Description) < 80 || p.Func == nil {
			t.Errorf("%s: missing name, formula, description or function", p.ID)
		}
		if !(p.Domain.XMin < p.Domain.XMax && p.Domain.YMin < p.Domain.YMax) {
			t.Errorf("%s: bad domain %v", p.ID, p.Domain)
		}
		if !p.Domain.Contains(p.Start) {
			t.Errorf("%s: start %v outside domain %v", p.ID, p.Start, p.Domain)
		}
		if !(p.LR > 0) {
			t.Errorf("%s: learning rate %v", p.ID, p.LR)
		}
		q, ok := landscape.Lookup(p.ID)
		if !ok || q.ID != p.ID {
			t.Errorf("Lookup(%q) = %v, %v", p.ID, q.ID, ok)
		}
	}
	for _, id := range []string{"preset-2", "sphere", "rosenbrock "} {
		if _, ok := landscape.Lookup(id); ok {
			t.Errorf("Lookup(%q) found a preset", id)
		}
	}
	for _, id := range []string{"quadratic", "elliptic", "rosenbrock", "himmelblau", "rastrigin", "ackley", "beale",
		"booth", "matyas", "goldstein-price", "six-hump-camel", "three-hump-camel", "styblinski-tang", "levy13",
		"mccormick", "saddle", "double-well"} {
		if !seen[id] {
			t.Errorf("required preset %q is missing", id)
		}
	}
}

// TestPresetDefaultsInstructive runs plain gradient descent from each
// preset's start at its learning rate and checks it does the documented,
// instructive thing: it stays finite and settles on a listed minimum
// (global or not, as the table says), except on Rosenbrock, where it is
// still crawling along the valley, and on the saddle, which it escapes.
func TestPresetDefaultsInstructive(t *testing.T) {
	const steps = 5000
	tests := []struct {
		id     string
		global bool // ends at a global minimum (else a local one)
	}{
		{"quadratic", true}, {"elliptic", true}, {"himmelblau", true}, {"double-well", false},
		{"rastrigin", false}, {"ackley", false}, {"beale", true}, {"booth", true}, {"matyas", true},
		{"goldstein-price", false}, {"six-hump-camel", false}, {"three-hump-camel", false},
		{"styblinski-tang", false}, {"levy13", false}, {"mccormick", false},
	}
	sgd := func(p landscape.Preset) (landscape.Vec, bool) {
		x := p.Start
		for k := 0; k < steps; k++ {
			_, g := p.Func.ValueGrad(x)
			x = x.Add(g.Scale(-p.LR))
			if !x.IsFinite() || math.Abs(x.X)+math.Abs(x.Y) > 1e6 {
				return x, false
			}
		}
		return x, true
	}
	for _, tt := range tests {
		p, _ := landscape.Lookup(tt.id)
		end, ok := sgd(p)
		if !ok {
			t.Errorf("%s: diverged", tt.id)
			continue
		}
		hit := false
		for _, c := range p.Critical {
			if c.Kind == landscape.Minimum && dist(c.At, end) < 1e-6 && c.Global == tt.global {
				hit = true
			}
		}
		if !hit {
			t.Errorf("%s: ended at %v, not at a listed minimum with Global=%v", tt.id, end, tt.global)
		}
	}
	p, _ := landscape.Lookup("rosenbrock")
	if end, ok := sgd(p); !ok || dist(end, landscape.Vec{X: 1, Y: 1}) > 0.05 || dist(end, landscape.Vec{X: 1, Y: 1}) < 1e-3 {
		t.Errorf("rosenbrock: ended at %v; want still crawling near (1, 1)", end)
	}
	p, _ = landscape.Lookup("saddle")
	if _, ok := sgd(p); ok {
		t.Errorf("saddle: gradient descent did not escape")
	}
}
