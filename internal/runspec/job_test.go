package runspec

import (
	"context"
	"errors"
	"testing"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/optim"
)

// FuzzJobSpecs feeds arbitrary bodies to the sweep, basin and inspect
// decoders: they never panic, every rejection is an *Error a client can
// read, never an internal error, and what they accept the engines accept
// too (each is started with a cancelled context, so it validates and then
// stops at once).
func FuzzJobSpecs(f *testing.F) {
	for _, s := range []string{
		`{"function":"quadratic","start":[-4,3.5],"steps":500,"optimizers":[{"name":"sgd"}],"lr_min":0.001,"lr_max":10,"count":16}`,
		`{"function":"booth","optimizers":[{"name":"sgd"},{"name":"adam"}],"optimizer":1,"grid":8,"box":[-1,1,-1,1]}`,
		`{"function":"booth","optimizers":[{"name":"sgd"}],"step":3,"steps":5}`,
		`{"function":"booth","optimizers":[{"name":"sgd"}],"lr_min":1e-300,"lr_max":1e300,"count":2}`,
		`{"function":"booth","optimizers":[{"name":"sgd"}],"grid":256,"steps":2048}`,
		`{"function":"booth","optimizers":[],"optimizer":0}`,
		`{"expr":"x^2+y^2","optimizers":[{"name":"adam"}],"step":0}`,
		`{"grid":1e400}`, `{"count":-0}`, `{"box":null,"step":null}`, `[]`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	rv := NewResolver()
	f.Fuzz(func(t *testing.T, body []byte) {
		ctx := context.Background()
		stopped, cancel := context.WithCancel(ctx)
		cancel()
		for name, decode := range map[string]func() (start func() error, err error){
			"sweep": func() (func() error, error) {
				sj, err := rv.ResolveSweep(ctx, body)
				return func() error { return basin.Sweep(stopped, sj.Config, nil) }, err
			},
			"basin": func() (func() error, error) {
				bj, err := rv.ResolveMap(ctx, body)
				return func() error { return basin.Map(stopped, bj.Config, nil) }, err
			},
			"inspect": func() (func() error, error) {
				ij, err := rv.ResolveInspection(ctx, body)
				return func() error {
					opt, _, err := optim.New(ij.Optimizer.Info.Name, ij.Optimizer.Values)
					if err != nil {
						return err
					}
					_, err = optim.Inspect(stopped, ij.Config, opt, ij.Step)
					return err
				}, err
			},
		} {
			start, err := decode()
			var e *Error
			switch {
			case err != nil && !errors.As(err, &e):
				t.Errorf("%s %q: internal error %v", name, body, err)
			case err == nil:
				if err := start(); !errors.Is(err, context.Canceled) {
					t.Errorf("%s %q: accepted, but the engine says %v", name, body, err)
				}
			}
		}
	})
}
