package api

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
)

// trainSnapshotBody is a training inspection as a client reads it.
type trainSnapshotBody struct {
	Run       int       `json:"run"`
	Step      int       `json:"step"`
	Names     []string  `json:"names"`
	Params    []float64 `json:"params"`
	Loss      float64   `json:"loss"`
	Grad      []float64 `json:"grad"`
	Taken     bool      `json:"taken"`
	Batch     []int     `json:"batch"`
	BatchLoss *float64  `json:"batch_loss"`
	BatchGrad []float64 `json:"batch_grad"`
	Seen      []float64 `json:"seen"`
	LR        *float64  `json:"lr"`
	Next      []float64 `json:"next"`
	Update    []float64 `json:"update"`
	Stop      string    `json:"stop"`
	Optimizer struct {
		Name string `json:"name"`
	} `json:"optimizer"`
	Before []struct {
		Name   string    `json:"name"`
		Kind   string    `json:"kind"`
		Value  *float64  `json:"value"`
		Values []float64 `json:"values"`
	} `json:"before"`
	After []struct {
		Name   string    `json:"name"`
		Kind   string    `json:"kind"`
		Value  *float64  `json:"value"`
		Values []float64 `json:"values"`
	} `json:"after"`
}

const inspectTrainSpec = `{"dataset":{"name":"moons","n":60,"seed":1},"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},` +
	`"init":{"seed":2},"batch_size":8,"epochs":3,"lr":0.05,"optimizers":[{"name":"sgd","momentum":0.9},{"name":"adam"}],"slice":{"kind":"pca"},"grid":8}`

// TestTrainInspectMatchesTraining checks POST /api/v1/train/inspect against
// POST /api/v1/train of the same request: the row's parameters and the
// next row, as written, for both runs at several steps (the last batch of
// an epoch of 60 rows holds 4).
func TestTrainInspectMatchesTraining(t *testing.T) {
	_, srv := newServer(t, Config{})
	res, body := post(t, srv.URL+"/api/v1/train", inspectTrainSpec)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("train: %d %s", res.StatusCode, body)
	}
	var tr trainAnswer
	if err := json.Unmarshal(body, &tr); err != nil {
		t.Fatal(err)
	}
	for run := range 2 {
		for _, step := range []int{0, 5, tr.Steps - 1, tr.Steps} {
			spec := strings.TrimSuffix(inspectTrainSpec, "}") + `,"optimizer":` + itoa(run) + `,"step":` + itoa(step) + `}`
			res, body := post(t, srv.URL+"/api/v1/train/inspect", spec)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("inspect: %d %s", res.StatusCode, body)
			}
			var s trainSnapshotBody
			if err := json.Unmarshal(body, &s); err != nil {
				t.Fatal(err)
			}
			if s.Run != run || s.Step != step || len(s.Names) != len(tr.Names) || s.Names[0] != tr.Names[0] {
				t.Fatalf("run %d step %d: %s", run, step, body)
			}
			if !equalFloats(s.Params, tr.Runs[run].Params[step]) || s.Loss != tr.Runs[run].Loss[step] {
				t.Fatalf("run %d step %d: params %v, training's row %v", run, step, s.Params, tr.Runs[run].Params[step])
			}
			if step == tr.Steps {
				if s.Taken || s.Next != nil || s.LR != nil {
					t.Fatalf("the last row took a step: %s", body)
				}
				continue
			}
			if !s.Taken || !equalFloats(s.Next, tr.Runs[run].Params[step+1]) || *s.BatchLoss != *tr.Runs[run].BatchLoss[step+1] {
				t.Fatalf("run %d step %d: next %v, training's row %v", run, step, s.Next, tr.Runs[run].Params[step+1])
			}
			if (len(s.Batch) != 8 && len(s.Batch) != 4) || *s.LR != 0.05 || len(s.Grad) != len(s.Names) || len(s.BatchGrad) != len(s.Names) {
				t.Fatalf("run %d step %d: batch %v, lr %v", run, step, s.Batch, *s.LR)
			}
			for i := range s.Update {
				if math.Abs(s.Update[i]-(s.Next[i]-s.Params[i])) > 1e-15 {
					t.Fatalf("update[%d] %g is not next - params", i, s.Update[i])
				}
			}
		}
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestTrainInspectState checks the state by PyTorch's names for each
// optimizer family, scalars as "value" and vectors as "values".
func TestTrainInspectState(t *testing.T) {
	_, srv := newServer(t, Config{})
	spec := strings.TrimSuffix(inspectTrainSpec, "}") + `,"optimizer":1,"step":3}`
	_, body := post(t, srv.URL+"/api/v1/train/inspect", spec)
	var s trainSnapshotBody
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range s.After {
		names = append(names, v.Name)
		if (v.Kind == "scalar") != (v.Value != nil) || (v.Kind != "scalar") != (len(v.Values) == len(s.Names)) {
			t.Errorf("%s: kind %s with value %v and %d values", v.Name, v.Kind, v.Value, len(v.Values))
		}
	}
	if got := strings.Join(names, ","); got != "lr,step,exp_avg,exp_avg_sq,effective_lr" || *s.After[1].Value != 4 || *s.Before[1].Value != 3 {
		t.Errorf("adam's state after step 3: %s (step %v, before %v)", got, *s.After[1].Value, *s.Before[1].Value)
	}
	if s.Optimizer.Name != "adam" {
		t.Errorf("optimizer %s", s.Optimizer.Name)
	}
}

func TestTrainInspectErrors(t *testing.T) {
	_, srv := newServer(t, Config{})
	base := strings.TrimSuffix(inspectTrainSpec, "}")
	tests := []struct{ body, field, msg string }{
		{base + `,"step":3}`, "optimizer", "optimizer (an index into optimizers) is required when optimizers lists 2"},
		{base + `,"optimizer":2,"step":3}`, "optimizer", "optimizer must be an integer in [0, 1], got 2"},
		{base + `,"optimizer":0}`, "step", "step is required"},
		{base + `,"optimizer":0,"step":25}`, "step", "step must be in [0, 24] (the run's steps), got 25"},
		{base + `,"optimizer":0,"step":-1}`, "step", "step must be an integer in [0, 100000], got -1"},
		{base + `,"optimizer":0,"step":1,"stpe":1}`, "stpe", `unknown field "stpe" (did you mean step?)`},
		{strings.Replace(base, `"lr":0.05`, `"lr":-1`, 1) + `,"optimizer":0,"step":1}`, "lr", "lr must be a finite number > 0, got -1"},
	}
	for _, tt := range tests {
		res, body := post(t, srv.URL+"/api/v1/train/inspect", tt.body)
		var e struct{ Error, Field string }
		json.Unmarshal(body, &e)
		if res.StatusCode != http.StatusBadRequest || e.Field != tt.field || e.Error != tt.msg {
			t.Errorf("%s: %d %s, want 400 %s: %s", tt.body[len(base):], res.StatusCode, body, tt.field, tt.msg)
		}
	}
}

// TestTrainInspectStream checks the websocket face: the same snapshot as
// REST, errors as error messages, and a new train_inspect replacing the
// one in flight.
func TestTrainInspectStream(t *testing.T) {
	h, srv := newServer(t, Config{})
	spec := strings.TrimSuffix(inspectTrainSpec, "}") + `,"optimizer":0,"step":7}`
	_, rest := post(t, srv.URL+"/api/v1/train/inspect", spec)
	c := dial(t, srv, nil)
	send(t, c, `{"type":"train_inspect","id":"i","spec":`+spec+`}`)
	f := read(t, c)
	want := `{"type":"train_inspection","id":"i",` + strings.TrimSuffix(string(rest), "}\n")[1:] + `}`
	if string(f.Raw) != want {
		t.Errorf("websocket\n%s\nREST\n%s", f.Raw, want)
	}
	release := fillSlots(h.heavy)
	send(t, c, `{"type":"train_inspect","id":"a","spec":`+spec+`}`)
	send(t, c, `{"type":"train_inspect","id":"b","spec":`+spec+`}`)
	if f := read(t, c); f.Type != "cancelled" || f.ID != "a" {
		t.Fatalf("got %s, want cancelled a", f.Raw)
	}
	release()
	if f := read(t, c); f.Type != "train_inspection" || f.ID != "b" {
		t.Fatalf("got %s, want train_inspection b", f.Raw)
	}
	send(t, c, `{"type":"train_inspect","id":"e","spec":`+strings.Replace(spec, `"step":7`, `"step":99`, 1)+`}`)
	if f := read(t, c); f.Type != "error" || f.Error != "step must be in [0, 24] (the run's steps), got 99" || f.Field != "step" {
		t.Errorf("got %s", f.Raw)
	}
}
