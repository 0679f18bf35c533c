package optim

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

func TestListOrder(t *testing.T) {
	want := []string{"sgd", "rmsprop", "adagrad", "adam", "adamw", "nadam", "adamax", "adadelta", "lion"}
	var got []string
	for _, info := range List() {
		got = append(got, info.Name)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("List order %v, want %v", got, want)
	}
}

// TestInfoComplete checks every description a client relies on: text to
// show, unique names, defaults of the right shape inside their own range,
// and the documented scales (lr, eps, weight_decay log; the rest linear).
func TestInfoComplete(t *testing.T) {
	logScale := map[string]bool{"lr": true, "eps": true, "weight_decay": true}
	for _, info := range List() {
		if info.Display == "" || len(info.Doc) < 100 || info.Rule == "" {
			t.Errorf("%s: Display, Doc or Rule missing", info.Name)
		}
		seen := map[string]bool{}
		for _, p := range info.Params {
			if seen[p.Name] {
				t.Errorf("%s: duplicate param %s", info.Name, p.Name)
			}
			seen[p.Name] = true
			if p.Doc == "" {
				t.Errorf("%s.%s: no Doc", info.Name, p.Name)
			}
			if want := map[Kind]int{Number: 1, Bool: 1, Pair: 2}[p.Kind]; len(p.Default) != want {
				t.Errorf("%s.%s: %d defaults, want %d", info.Name, p.Name, len(p.Default), want)
			}
			if err := p.check(p.Default); err != nil {
				t.Errorf("%s.%s: default outside its range: %v", info.Name, p.Name, err)
			}
			if want := map[bool]Scale{true: Log, false: Linear}[logScale[p.Name]]; p.Scale != want {
				t.Errorf("%s.%s: scale %s, want %s", info.Name, p.Name, p.Scale, want)
			}
		}
		if !seen["lr"] {
			t.Errorf("%s: no lr", info.Name)
		}
	}
}

func TestListIsACopy(t *testing.T) {
	l := List()
	l[0].Params[0].Default[0] = 42
	l[0].Name = "changed"
	if info, _ := Lookup("sgd"); info.Params[0].Default[0] == 42 {
		t.Fatal("changing List's result changed the registry")
	}
	if _, ok := Lookup("changed"); ok {
		t.Fatal("changing List's result renamed an optimizer")
	}
}

// TestDefaults checks that nothing given resolves to PyTorch 1.13's
// defaults (SGD has none for lr in PyTorch; Basin uses 0.01).
func TestDefaults(t *testing.T) {
	betas := []float64{0.9, 0.999}
	tests := map[string]Values{
		"sgd":      {"lr": {0.01}, "momentum": {0}, "dampening": {0}, "weight_decay": {0}, "nesterov": {0}},
		"rmsprop":  {"lr": {0.01}, "alpha": {0.99}, "eps": {1e-8}, "weight_decay": {0}, "momentum": {0}, "centered": {0}},
		"adagrad":  {"lr": {0.01}, "lr_decay": {0}, "weight_decay": {0}, "initial_accumulator_value": {0}, "eps": {1e-10}},
		"adam":     {"lr": {1e-3}, "betas": betas, "eps": {1e-8}, "weight_decay": {0}, "amsgrad": {0}},
		"adamw":    {"lr": {1e-3}, "betas": betas, "eps": {1e-8}, "weight_decay": {1e-2}, "amsgrad": {0}},
		"nadam":    {"lr": {2e-3}, "betas": betas, "eps": {1e-8}, "weight_decay": {0}, "momentum_decay": {4e-3}},
		"adamax":   {"lr": {2e-3}, "betas": betas, "eps": {1e-8}, "weight_decay": {0}},
		"adadelta": {"lr": {1}, "rho": {0.9}, "eps": {1e-6}, "weight_decay": {0}},
		"lion":     {"lr": {1e-4}, "betas": {0.9, 0.99}, "weight_decay": {0}},
	}
	for name, want := range tests {
		_, got, err := New(name, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: resolved %v, want %v", name, got, want)
		}
	}
}

// TestExplicitZeroStaysZero: where 0 is a real choice, giving it must not
// be mistaken for "not given".
func TestExplicitZeroStaysZero(t *testing.T) {
	tests := []struct {
		name  string
		given Values
	}{
		{"adam", Values{"betas": {0, 0}, "eps": {0}}},
		{"adamw", Values{"weight_decay": {0}}},
		{"rmsprop", Values{"alpha": {0}, "eps": {0}, "momentum": {0}}},
		{"sgd", Values{"momentum": {0}, "dampening": {0}}},
		{"adadelta", Values{"rho": {0}, "eps": {0}}},
		{"nadam", Values{"momentum_decay": {0}, "betas": {0, 0}}},
		{"lion", Values{"betas": {0, 0}}},
	}
	for _, tt := range tests {
		_, got, err := New(tt.name, tt.given)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for k, v := range tt.given {
			if !slices.Equal(got[k], v) {
				t.Errorf("%s.%s resolved to %v, want %v", tt.name, k, got[k], v)
			}
		}
	}
	// And the zero takes effect: AdamW without decay steps exactly as Adam.
	a, _, _ := New("adam", Values{"lr": {0.1}})
	w, _, _ := New("adamw", Values{"lr": {0.1}, "weight_decay": {0}})
	p, q := landscape.Vec{X: 1, Y: -2}, landscape.Vec{X: 1, Y: -2}
	for i := range 5 {
		g := landscape.Vec{X: float64(i) - 2, Y: 0.5}
		p, q = a.Step(p, g), w.Step(q, g)
	}
	if p != q {
		t.Fatalf("adamw with weight_decay 0 at %v, adam at %v", q, p)
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name  string
		given Values
		param string
		msg   string
	}{
		{"adm", nil, "name", `unknown optimizer "adm" (did you mean adam?)`},
		{"Adam", nil, "name", `unknown optimizer "Adam" (did you mean adam?)`},
		{"newton", nil, "name", `unknown optimizer "newton" (known: sgd, rmsprop, adagrad, adam, adamw, nadam, adamax, adadelta, lion)`},
		{"adam", Values{"beta": {0.9}}, "beta", `unknown hyperparameter "beta" for adam (known: lr, betas, eps, weight_decay, amsgrad)`},
		{"sgd", Values{"lr": {-0.1}}, "lr", "lr must be > 0, got -0.1"},
		{"sgd", Values{"lr": {0}}, "lr", "lr must be > 0, got 0"},
		{"sgd", Values{"lr": {math.NaN()}}, "lr", "lr must be > 0, got NaN"},
		{"sgd", Values{"lr": {math.Inf(1)}}, "lr", "lr must be > 0, got +Inf"},
		{"sgd", Values{"lr": {0.1, 0.2}}, "lr", "lr must be a single number, got 2 values"},
		{"sgd", Values{"momentum": {1}}, "momentum", "momentum must be in [0, 1), got 1"},
		{"sgd", Values{"dampening": {1.5}}, "dampening", "dampening must be in [0, 1], got 1.5"},
		{"sgd", Values{"weight_decay": {-1e-4}}, "weight_decay", "weight_decay must be >= 0, got -0.0001"},
		{"sgd", Values{"nesterov": {0.5}}, "nesterov", "nesterov must be 0 or 1 (false or true), got 0.5"},
		{"sgd", Values{"nesterov": {1}}, "nesterov", "nesterov requires momentum > 0 and dampening == 0, got momentum 0 and dampening 0"},
		{"sgd", Values{"nesterov": {1}, "momentum": {0.9}, "dampening": {0.1}}, "nesterov", "nesterov requires momentum > 0 and dampening == 0, got momentum 0.9 and dampening 0.1"},
		{"adam", Values{"betas": {0.9, 1}}, "betas[1]", "betas[1] must be in [0, 1), got 1"},
		{"adam", Values{"betas": {-0.1, 0.9}}, "betas[0]", "betas[0] must be in [0, 1), got -0.1"},
		{"adam", Values{"betas": {0.9}}, "betas", "betas must be a pair of numbers, got 1 value"},
		{"adam", Values{"amsgrad": {2}}, "amsgrad", "amsgrad must be 0 or 1 (false or true), got 2"},
		{"adam", Values{"eps": {-1e-8}}, "eps", "eps must be >= 0, got -1e-08"},
		{"lion", Values{"betas": {0.9, 1.01}}, "betas[1]", "betas[1] must be in [0, 1], got 1.01"},
		{"rmsprop", Values{"alpha": {1.1}}, "alpha", "alpha must be in [0, 1], got 1.1"},
		{"adadelta", Values{"rho": {-0.5}}, "rho", "rho must be in [0, 1], got -0.5"},
		{"adagrad", Values{"lr_decay": {-1}}, "lr_decay", "lr_decay must be >= 0, got -1"},
		{"adagrad", Values{"initial_accumulator_value": {-1}}, "initial_accumulator_value", "initial_accumulator_value must be >= 0, got -1"},
		{"nadam", Values{"momentum_decay": {-0.004}}, "momentum_decay", "momentum_decay must be >= 0, got -0.004"},
		// Unknown names are reported before bad values, in sorted order.
		{"adam", Values{"zeta": {1}, "alpha": {1}, "lr": {-1}}, "alpha", `unknown hyperparameter "alpha" for adam (known: lr, betas, eps, weight_decay, amsgrad)`},
	}
	for _, tt := range tests {
		opt, resolved, err := New(tt.name, tt.given)
		var pe *ParamError
		if !errors.As(err, &pe) {
			t.Errorf("New(%q, %v): error %v, want *ParamError", tt.name, tt.given, err)
			continue
		}
		if pe.Msg != tt.msg || pe.Param != tt.param || err.Error() != tt.msg {
			t.Errorf("New(%q, %v):\n got %s: %q\nwant %s: %q", tt.name, tt.given, pe.Param, pe.Msg, tt.param, tt.msg)
		}
		if opt != nil || resolved != nil {
			t.Errorf("New(%q, %v) returned values with an error", tt.name, tt.given)
		}
	}
}

func TestNewDoesNotKeepCallerSlices(t *testing.T) {
	given := Values{"betas": {0.8, 0.9}}
	_, resolved, err := New("adam", given)
	if err != nil {
		t.Fatal(err)
	}
	given["betas"][0] = 0.1
	if resolved["betas"][0] != 0.8 {
		t.Fatal("resolved values share the caller's slice")
	}
}

func TestPresets(t *testing.T) {
	wantIDs := []string{"sgd", "momentum", "rmsprop", "adagrad", "adam", "nesterov", "adamw", "nadam", "adamax", "adadelta", "lion"}
	var ids []string
	for _, p := range Presets() {
		ids = append(ids, p.ID)
		if p.Display == "" || p.Values == nil {
			t.Errorf("%s: no Display or nil Values", p.ID)
		}
		if _, ok := p.Values["lr"]; ok {
			t.Errorf("%s: a preset must leave lr to the landscape", p.ID)
		}
		if _, _, err := New(p.Optimizer, p.Values); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
	}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("preset order %v, want %v", ids, wantIDs)
	}
	_, v, _ := New("sgd", Presets()[5].Values)
	if v["momentum"][0] != 0.9 || v["nesterov"][0] != 1 {
		t.Fatalf("nesterov preset resolves to %v", v)
	}
}

// allFeatures turns on every optional branch of each rule, so the
// allocation and SetLR tests exercise all of the code.
var allFeatures = map[string]Values{
	"sgd":      {"momentum": {0.9}, "nesterov": {1}, "weight_decay": {0.01}},
	"rmsprop":  {"momentum": {0.5}, "centered": {1}, "weight_decay": {0.01}},
	"adagrad":  {"lr_decay": {0.01}, "weight_decay": {0.01}, "initial_accumulator_value": {0.1}},
	"adam":     {"amsgrad": {1}, "weight_decay": {0.01}},
	"adamw":    {"amsgrad": {1}},
	"nadam":    {"weight_decay": {0.01}},
	"adamax":   {"weight_decay": {0.01}},
	"adadelta": {"weight_decay": {0.01}},
	"lion":     {"weight_decay": {0.01}},
}

func TestStepDoesNotAllocate(t *testing.T) {
	for _, info := range List() {
		opt, _, err := New(info.Name, allFeatures[info.Name])
		if err != nil {
			t.Fatal(err)
		}
		p := landscape.Vec{X: 1, Y: 2}
		if n := testing.AllocsPerRun(100, func() { p = opt.Step(p, landscape.Vec{X: 0.3, Y: -0.2}) }); n != 0 {
			t.Errorf("%s: %v allocations per Step", info.Name, n)
		}
	}
}

// TestSetLR: an optimizer built with one learning rate and switched with
// SetLR before its first step follows exactly the path of one built with
// the other rate, and New gives fresh, independent state every time.
func TestSetLR(t *testing.T) {
	for _, info := range List() {
		with := func(lr float64) Values {
			v := Values{"lr": {lr}}
			for k, x := range allFeatures[info.Name] {
				v[k] = x
			}
			return v
		}
		a, _, _ := New(info.Name, with(0.05))
		b, _, _ := New(info.Name, with(0.3))
		c, _, _ := New(info.Name, with(0.05))
		b.SetLR(0.05)
		p, q, r := landscape.Vec{X: 1, Y: 2}, landscape.Vec{X: 1, Y: 2}, landscape.Vec{X: 1, Y: 2}
		for i := range 10 {
			g := landscape.Vec{X: math.Sin(float64(i)), Y: math.Cos(float64(i))}
			p, q = a.Step(p, g), b.Step(q, g)
		}
		if p != q {
			t.Errorf("%s: SetLR(0.05) path ends at %v, lr 0.05 at %v", info.Name, q, p)
		}
		if r = c.Step(r, landscape.Vec{X: math.Sin(0), Y: math.Cos(0)}); r == p && info.Name != "lion" {
			t.Errorf("%s: a fresh optimizer's first step already lands where ten steps did", info.Name)
		}
	}
}

// BenchmarkStep measures one update of each rule on a 1,000-step run (the
// page's usual budget) with gradients that never settle, so no state decays
// into slow subnormal arithmetic.
func BenchmarkStep(b *testing.B) {
	const runSteps = 1000
	grads := [4]landscape.Vec{{X: 1, Y: -0.5}, {X: -0.75, Y: 2}, {X: 0.25, Y: 0.5}, {X: -1.5, Y: -1}}
	for _, info := range List() {
		b.Run(info.Name, func(b *testing.B) {
			var opt Optimizer
			p := landscape.Vec{X: 1, Y: 2}
			i := 0
			for b.Loop() {
				if i%runSteps == 0 {
					opt, _, _ = New(info.Name, allFeatures[info.Name])
					clearUpper() // as Run does (avx.go)
				}
				p = opt.Step(p, grads[i%len(grads)])
				i++
			}
		})
	}
}

// FuzzNew: any input either builds an optimizer whose resolved values are
// complete and in range, or fails with a *ParamError; it never panics.
func FuzzNew(f *testing.F) {
	f.Add("adam", "betas", 0.9, 0.999, true)
	f.Add("sgd", "nesterov", 1.0, 0.0, false)
	f.Add("adm", "lr", -0.1, 0.0, false)
	f.Add("rmsprop", "alpha", math.NaN(), 0.0, false)
	f.Fuzz(func(t *testing.T, name, key string, a, b float64, pair bool) {
		given := Values{key: {a}}
		if pair {
			given[key] = []float64{a, b}
		}
		opt, resolved, err := New(name, given)
		if err != nil {
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Msg == "" {
				t.Fatalf("error %v is not a *ParamError with a message", err)
			}
			return
		}
		info, _ := Lookup(name)
		if len(resolved) != len(info.Params) {
			t.Fatalf("resolved %v, want every one of %d params", resolved, len(info.Params))
		}
		for _, p := range info.Params {
			if err := p.check(resolved[p.Name]); err != nil {
				t.Fatalf("resolved %s out of range: %v", p.Name, err)
			}
		}
		opt.Step(landscape.Vec{X: 1, Y: 1}, landscape.Vec{X: 1, Y: 1})
	})
}
