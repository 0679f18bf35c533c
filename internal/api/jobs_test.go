package api

import (
	"context"
	"errors"
	"testing"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
)

// FuzzJobSpecs feeds arbitrary bodies to the sweep, basin and inspect
// decoders: they never panic, every rejection is an *Error a client can
// read, never an internal error, and what they accept the engines accept
// too (each is started with a cancelled context, so it validates and then
// stops at once).
func FuzzJobSpecs(f *testing.F) {
	for _, s := range []string{
		quadSweep,
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
	h := NewHandler(Config{Logger: discard()})
	f.Fuzz(func(t *testing.T, body []byte) {
		ctx := context.Background()
		stopped, cancel := context.WithCancel(ctx)
		cancel()
		for name, decode := range map[string]func() (start func() error, err error){
			"sweep": func() (func() error, error) {
				sj, err := h.decodeSweep(ctx, body)
				return func() error { return basin.Sweep(stopped, sj.cfg, nil) }, err
			},
			"basin": func() (func() error, error) {
				bj, err := h.decodeBasin(ctx, body)
				return func() error { return basin.Map(stopped, bj.cfg, nil) }, err
			},
			"inspect": func() (func() error, error) {
				ij, err := h.decodeInspect(ctx, body)
				return func() error {
					opt, _, err := optim.New(ij.opt.Info.Name, ij.opt.Values)
					if err != nil {
						return err
					}
					_, err = optim.Inspect(stopped, ij.cfg, opt, ij.step)
					return err
				}, err
			},
		} {
			start, err := decode()
			var e *runspec.Error
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
