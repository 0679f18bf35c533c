package runspec

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/basin-dev/basin/internal/cost"
)

func TestDecodeTrainSweep(t *testing.T) {
	const lin = `"dataset":{"name":"line"},"model":{"kind":"linear"},"steps":5`
	tests := []struct {
		name, body   string
		field, says  string
		swept        []int
		count        int
		lrMin, lrMax float64
		displayFirst string
	}{
		{name: "defaults, every optimizer", body: `{` + lin + `,"optimizers":[{"name":"sgd","lr":3},{"name":"momentum"}]}`,
			swept: []int{0, 1}, count: TrainSweepCountDefault, lrMin: TrainSweepLRMinDefault, lrMax: TrainSweepLRMaxDefault, displayFirst: "SGD"},
		{name: "one optimizer", body: `{` + lin + `,"optimizers":[{"name":"sgd"},{"name":"adam"}],"optimizer":1,"lr_min":0.001,"lr_max":1,"count":2}`,
			swept: []int{1}, count: 2, lrMin: 0.001, lrMax: 1, displayFirst: "Adam"},
		{name: "bad range", body: `{` + lin + `,"optimizers":[{"name":"sgd"}],"lr_min":2,"lr_max":1}`, field: "lr_max", says: "lr_max must be > lr_min (2), got 1"},
		{name: "zero rate", body: `{` + lin + `,"optimizers":[{"name":"sgd"}],"lr_min":0}`, field: "lr_min", says: "lr_min must be > 0, got 0"},
		{name: "count", body: `{` + lin + `,"optimizers":[{"name":"sgd"}],"count":1}`, field: "count", says: "count must be an integer in [2, 64], got 1"},
		{name: "optimizer index", body: `{` + lin + `,"optimizers":[{"name":"sgd"}],"optimizer":2}`, field: "optimizer", says: "optimizer must be an integer in [0, 0], got 2"},
		{name: "function sweep field", body: `{` + lin + `,"optimizers":[{"name":"sgd"}],"threshold_digits":3}`, field: "threshold_digits", says: `unknown field "threshold_digits"`},
		{name: "training field checked", body: `{` + lin + `,"optimizers":[{"name":"sgd"}],"stpes":3}`, field: "stpes", says: "did you mean steps"},
		{name: "unknown optimizer", body: `{` + lin + `,"optimizers":[{"name":"adma"}]}`, field: "optimizers[0].name", says: "did you mean adam"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ts, err := DecodeTrainSweep([]byte(tc.body))
			if tc.says != "" {
				e, ok := err.(*Error)
				if !ok || e.Field != tc.field || !strings.Contains(e.Msg, tc.says) {
					t.Fatalf("got %v, want %s: %s", err, tc.field, tc.says)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(ts.Index) != len(tc.swept) || ts.Index[0] != tc.swept[0] || ts.Count != tc.count || len(ts.LRs) != tc.count ||
				ts.LRs[0] != tc.lrMin || ts.LRs[tc.count-1] != tc.lrMax || ts.Optimizers[0].Display != tc.displayFirst {
				t.Errorf("sweep %+v", ts)
			}
			for _, o := range ts.Optimizers {
				for _, p := range o.Info.Params {
					if p.Name == "lr" {
						t.Errorf("%s shows an lr: the sweep sets it", o.Display)
					}
				}
			}
			if _, ok := ts.engine.Optimizers[0].Values["lr"]; ok {
				t.Error("the engine spec keeps an optimizer's own lr")
			}
		})
	}
}

func TestDecodeTrainBasin(t *testing.T) {
	const lin = `"dataset":{"name":"line"},"model":{"kind":"linear"},"steps":5`
	tests := []struct {
		name, body  string
		field, says string
		grid, index int
		box         bool
	}{
		{name: "defaults", body: `{` + lin + `,"grid":64,"optimizers":[{"name":"sgd"}]}`, grid: 64},
		{name: "box and optimizer", body: `{` + lin + `,"optimizers":[{"name":"sgd"},{"name":"adam"}],"optimizer":1,"box":[-1,1,-2,2]}`, grid: TrainBasinGridDefault, index: 1, box: true},
		{name: "grid", body: `{` + lin + `,"optimizers":[{"name":"sgd"}],"grid":1}`, field: "grid", says: "grid must be an integer in [2, 64], got 1"},
		{name: "box shape", body: `{` + lin + `,"optimizers":[{"name":"sgd"}],"box":[1,2,3]}`, field: "box", says: "box must be"},
		{name: "box order", body: `{` + lin + `,"optimizers":[{"name":"sgd"}],"box":[1,0,0,1]}`, field: "box", says: "xmin < xmax"},
		{name: "optimizer required", body: `{` + lin + `,"optimizers":[{"name":"sgd"},{"name":"adam"}]}`, field: "optimizer", says: "is required when optimizers lists 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bm, err := DecodeTrainBasin([]byte(tc.body))
			if tc.says != "" {
				e, ok := err.(*Error)
				if !ok || e.Field != tc.field || !strings.Contains(e.Msg, tc.says) {
					t.Fatalf("got %v, want %s: %s", err, tc.field, tc.says)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if bm.Grid != tc.grid || bm.Index != tc.index || (bm.Box != nil) != tc.box || bm.engine.Grid != 0 {
				t.Errorf("map %+v", bm)
			}
		})
	}
}

// The tools at the page's defaults fit the CPU budget: a sweep of the
// mode's opening example (three optimizers) and a map of the largest side
// the page offers for linear regression.
func TestTrainToolsAtThePagesDefaultsAreAdmitted(t *testing.T) {
	const moons = `"dataset":{"name":"moons"},"model":{"kind":"mlp","hidden":[8],"activation":"tanh"},"init":{"seed":0},"epochs":20,"batch_size":32,"lr":0.05,"optimizers":[{"name":"sgd"},{"name":"momentum"},{"name":"adam"}],"slice":{"kind":"pca"},"grid":48`
	ts, err := DecodeTrainSweep([]byte(`{` + moons + `}`))
	if err != nil {
		t.Fatal(err)
	}
	bm, err := DecodeTrainBasin([]byte(`{"dataset":{"name":"line"},"model":{"kind":"linear"},"init":{"seed":0},"epochs":20,"lr":0.05,"optimizers":[{"name":"sgd"}],"grid":64}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []cost.Estimate{ts.Price(), bm.Price()} {
		if err := cost.Check(e, cost.DefaultBudget); err != nil {
			t.Error(err)
		}
		if e.Duration() < time.Millisecond {
			t.Errorf("%s is priced at %v: the price counts no work", e.What, e.Duration())
		}
	}
}

// FuzzDecodeTrainTools: the sweep's and the map's decoders never panic,
// answer every refusal with an *Error naming its field, and accept only
// what they can price.
func FuzzDecodeTrainTools(f *testing.F) {
	f.Add([]byte(`{"dataset":{"name":"line"},"model":{"kind":"linear"},"optimizers":[{"name":"sgd"}],"lr_min":1e-300,"lr_max":1e300,"count":64}`))
	f.Add([]byte(`{"dataset":{"name":"line"},"model":{"kind":"linear"},"optimizers":[{"name":"sgd"},{"name":"adam"}],"optimizer":-1,"grid":2,"box":[1e6,-1e6,0,0]}`))
	f.Add([]byte(`{"optimizers":[],"count":null,"box":null,"grid":"8"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if ts, err := DecodeTrainSweep(raw); err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("sweep error %v is not an *Error", err)
			}
		} else if len(ts.LRs) != ts.Count || len(ts.Index) == 0 || ts.Price().Nanos < 0 {
			t.Fatalf("sweep %+v", ts)
		}
		if bm, err := DecodeTrainBasin(raw); err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("map error %v is not an *Error", err)
			}
		} else if bm.Grid < 2 || bm.Grid > 64 || bm.Price().Nanos < 0 {
			t.Fatalf("map %+v", bm)
		}
	})
}
