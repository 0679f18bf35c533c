package train

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

// The reference files hold training runs computed by PyTorch 1.13.1 in
// float64, each an exact training request with explicit data, initial
// parameters and batches: ../../testdata/train-examples.json (the
// project's shared examples) and ../../testdata/torch-train.json
// (tools/torchref/train.py). Every parameter and loss of every row must
// match to referenceTol.
var trainReferenceFiles = []string{
	"../../testdata/train-examples.json",
	"../../testdata/torch-train.json",
}

const referenceTol = 1e-9

type referenceCase struct {
	ID      string `json:"id"`
	Request struct {
		Dataset struct {
			Points [][]float64 `json:"points"`
		} `json:"dataset"`
		Model struct {
			Kind       string `json:"kind"`
			Hidden     []int  `json:"hidden"`
			Activation string `json:"activation"`
		} `json:"model"`
		Init struct {
			Params []float64 `json:"params"`
		} `json:"init"`
		Batches    [][]int                      `json:"batches"`
		Optimizers []map[string]json.RawMessage `json:"optimizers"`
		Schedule   map[string]json.RawMessage   `json:"schedule"`
		ClipNorm   float64                      `json:"clip_norm"`
	} `json:"request"`
	Expected struct {
		Params    [][]float64 `json:"params"`
		Loss      []float64   `json:"loss"`
		BatchLoss []float64   `json:"batch_loss"`
		Diverged  *int        `json:"diverged_at_step"`
	} `json:"expected"`
}

// namedValues splits a JSON optimizer or schedule object into its name and
// Values (numbers, booleans as 0/1, pairs).
func namedValues(t *testing.T, obj map[string]json.RawMessage) (string, optim.Values) {
	t.Helper()
	var name string
	v := optim.Values{}
	for k, raw := range obj {
		if k == "name" {
			json.Unmarshal(raw, &name)
			continue
		}
		var x any
		if err := json.Unmarshal(raw, &x); err != nil {
			t.Fatal(err)
		}
		switch x := x.(type) {
		case bool:
			v[k] = []float64{0}
			if x {
				v[k][0] = 1
			}
		case float64:
			v[k] = []float64{x}
		case []any:
			v[k] = []float64{x[0].(float64), x[1].(float64)}
		}
	}
	return name, v
}

func (c *referenceCase) spec(t *testing.T) Spec {
	r := c.Request
	s := Spec{
		Dataset:  Dataset{Points: r.Dataset.Points},
		Model:    model.Spec{Kind: r.Model.Kind, Hidden: r.Model.Hidden, Activation: r.Model.Activation},
		Init:     Init{Params: r.Init.Params},
		Batches:  r.Batches,
		ClipNorm: r.ClipNorm,
	}
	for _, o := range r.Optimizers {
		name, v := namedValues(t, o)
		s.Optimizers = append(s.Optimizers, Optimizer{Name: name, Values: v})
	}
	if r.Schedule != nil {
		name, v := namedValues(t, r.Schedule)
		s.Schedule = &Schedule{Name: name, Values: v}
	}
	return s
}

func near(got, want float64) bool {
	return math.Abs(got-want) <= referenceTol*math.Max(1, math.Abs(want))
}

func TestTorchReference(t *testing.T) {
	n := 0
	for _, path := range trainReferenceFiles {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var f struct{ Cases []referenceCase }
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		for _, c := range f.Cases {
			n++
			t.Run(c.ID, func(t *testing.T) {
				res, err := Run(context.Background(), c.spec(t))
				if err != nil {
					t.Fatal(err)
				}
				r := res.Runs[0]
				np := len(res.Names)
				want := c.Expected
				if r.Rows() != len(want.Params) {
					t.Fatalf("%d rows, PyTorch %d (outcome %v at %d)", r.Rows(), len(want.Params), r.Outcome.Status, r.Outcome.Step)
				}
				if want.Diverged != nil && (r.Outcome.Status != optim.Diverged || r.Outcome.Step != *want.Diverged) {
					t.Errorf("outcome %v at %d, PyTorch diverged at %d", r.Outcome.Status, r.Outcome.Step, *want.Diverged)
				}
				worst := 0.0
				for k, row := range want.Params {
					for j, w := range row {
						g := r.Params[k*np+j]
						if !near(g, w) {
							t.Fatalf("row %d %s: got %.17g, PyTorch %.17g", k, res.Names[j], g, w)
						}
						worst = max(worst, math.Abs(g-w)/math.Max(1, math.Abs(w)))
					}
					if !near(r.Loss[k], want.Loss[k]) {
						t.Fatalf("row %d loss: got %.17g, PyTorch %.17g", k, r.Loss[k], want.Loss[k])
					}
				}
				for k, w := range want.BatchLoss {
					if !near(r.BatchLoss[k], w) {
						t.Fatalf("step %d batch loss: got %.17g, PyTorch %.17g", k+1, r.BatchLoss[k], w)
					}
				}
				t.Logf("%d rows, worst relative error %.2g", r.Rows(), worst)
			})
		}
	}
	if n < 10 {
		t.Fatalf("only %d reference cases", n)
	}
}
