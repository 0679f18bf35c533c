package api

import (
	"encoding/json"
	"strings"
	"testing"
)

// lineAnswer is a run's "line" as a client reads it.
type lineAnswer struct {
	T       []float64  `json:"t"`
	Loss    []*float64 `json:"loss"`
	ValLoss []*float64 `json:"val_loss"`
}

// TestTrainLineHTTP: each run's line ends are its first and last losses
// bit for bit, over REST and in the websocket's train_done (both
// encodings), and a diverged run's line is null.
func TestTrainLineHTTP(t *testing.T) {
	_, srv := newServer(t, Config{})
	spec := `{"dataset":{"name":"moons","n":40,"seed":1},"validation":0.25,"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},"init":{"seed":3},
		"steps":20,"batch_size":8,"optimizers":[{"name":"sgd"},{"name":"adam"},{"name":"sgd","lr":1e6}],"line":4}`
	res, body := post(t, srv.URL+"/api/v1/train", spec)
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	var a struct {
		Runs []struct {
			Loss    []float64 `json:"loss"`
			ValLoss []float64 `json:"val_loss"`
			Outcome struct{ Status string }
			Line    json.RawMessage `json:"line"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	var rest []json.RawMessage
	for i, r := range a.Runs {
		rest = append(rest, r.Line)
		if r.Outcome.Status == "diverged" {
			if string(r.Line) != "null" {
				t.Errorf("run %d diverged and has a line: %s", i, r.Line)
			}
			continue
		}
		var ln lineAnswer
		if err := json.Unmarshal(r.Line, &ln); err != nil {
			t.Fatal(err)
		}
		if want := []float64{-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5}; !equalFloats(ln.T, want) {
			t.Fatalf("run %d: t %v, want %v", i, ln.T, want)
		}
		last := len(r.Loss) - 1
		if *ln.Loss[2] != r.Loss[0] || *ln.Loss[6] != r.Loss[last] || *ln.ValLoss[2] != r.ValLoss[0] || *ln.ValLoss[6] != r.ValLoss[last] {
			t.Errorf("run %d: line ends %v %v, losses %v %v", i, *ln.Loss[2], *ln.Loss[6], r.Loss[0], r.Loss[last])
		}
	}
	if a.Runs[2].Outcome.Status != "diverged" {
		t.Fatalf("run 2 is %s, want diverged", a.Runs[2].Outcome.Status)
	}
	c := dial(t, srv, nil)
	for _, enc := range []string{"", `,"encoding":"json"`} {
		send(t, c, `{"type":"train","id":"l","spec":`+spec+enc+`}`)
		st := readTrainStream(t, c)
		var lines []json.RawMessage
		if err := json.Unmarshal(st.done["lines"], &lines); err != nil || len(lines) != 3 {
			t.Fatalf("train_done lines %s: %v", st.done["lines"], err)
		}
		for i := range lines {
			if string(lines[i]) != string(rest[i]) {
				t.Errorf("encoding %q run %d: websocket line %s, REST %s", enc, i, lines[i], rest[i])
			}
		}
	}
	// Without "line", neither answer has one.
	plain := strings.Replace(spec, `,"line":4`, "", 1)
	if _, b := post(t, srv.URL+"/api/v1/train", plain); strings.Contains(string(b), `"line"`) {
		t.Error("an answer without line asked has one")
	}
}

func TestTrainLineErrorsHTTP(t *testing.T) {
	_, srv := newServer(t, Config{})
	for _, tc := range []struct{ line, says string }{
		{"1", "line must be 0 (no line) or in [2, 256], got 1"},
		{"257", "line must be 0 (no line) or in [2, 256], got 257"},
		{"2.5", "line must be an integer, got 2.5"},
	} {
		res, b := post(t, srv.URL+"/api/v1/train", `{"dataset":{"name":"line"},"model":{"kind":"linear"},"optimizers":[{"name":"sgd"}],"line":`+tc.line+`}`)
		var e struct{ Error, Field string }
		json.Unmarshal(b, &e)
		if res.StatusCode != 400 || e.Field != "line" || e.Error != tc.says {
			t.Errorf("line %s: %d %s", tc.line, res.StatusCode, b)
		}
	}
}
