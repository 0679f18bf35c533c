package api

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

type trainSweepRow struct {
	LR        float64 `json:"lr"`
	Status    string  `json:"status"`
	Step      int     `json:"step"`
	FinalLoss float64 `json:"final_loss"`
	MinLoss   float64 `json:"min_loss"`
	Rows      int     `json:"rows"`
}

type trainSweepReply struct {
	Sweep struct {
		LRMin, LRMax float64
		Count        int
	} `json:"sweep"`
	Sweeps []struct {
		Optimizer struct{ Name, Display string } `json:"optimizer"`
		Index     int                            `json:"index"`
		Results   []trainSweepRow                `json:"results"`
		Summary   struct {
			Threshold *float64 `json:"threshold"`
			Regions   []string `json:"regions"`
		} `json:"summary"`
	} `json:"sweeps"`
}

// trainAt is POST /api/v1/train of spec (a JSON object's members, no
// braces) with optimizers replaced by opt.
func trainAt(t *testing.T, url, spec, opt string) trainAnswer {
	t.Helper()
	return postTrain(t, url+"/api/v1/train", "{"+spec+`,"optimizers":[`+opt+"]}")
}

// TestTrainSweepRowsAreTrainings: every row of a training sweep is what
// POST /api/v1/train answers for that optimizer at that learning rate,
// bit for bit, over REST and the websocket.
func TestTrainSweepRowsAreTrainings(t *testing.T) {
	_, srv := newServer(t, Config{})
	const spec = `"dataset":{"name":"moons","n":40,"seed":2},"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},"init":{"seed":1},"batch_size":10,"epochs":3`
	opts := []string{`{"name":"sgd","lr":7}`, `{"name":"momentum"}`}
	body := "{" + spec + `,"optimizers":[` + strings.Join(opts, ",") + `],"lr_min":0.01,"lr_max":1e7,"count":4}`
	res, b := post(t, srv.URL+"/api/v1/train/sweeps", body)
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, b)
	}
	var a trainSweepReply
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Sweeps) != 2 || a.Sweeps[1].Optimizer.Display != "Momentum SGD" || a.Sweep.Count != 4 {
		t.Fatalf("answer %s", b)
	}
	wantLRs := []float64{0.01, 10, 1e4, 1e7} // log-spaced as the function sweep spaces them
	statuses := map[string]bool{}
	for i, sw := range a.Sweeps {
		for k, row := range sw.Results {
			name := strings.SplitN(opts[i], `"`, 5)[3]
			tr := trainAt(t, srv.URL, spec, fmt.Sprintf(`{"name":%q,"lr":%v}`, name, row.LR))
			r := tr.Runs[0]
			want := trainSweepRow{LR: row.LR, Status: r.Outcome.Status, Step: r.Outcome.Step, FinalLoss: r.Loss[len(r.Loss)-1], MinLoss: slices.Min(r.Loss), Rows: len(r.Loss)}
			if row != want {
				t.Errorf("%s at lr %v: sweep %+v, training %+v", name, row.LR, row, want)
			}
			if row.LR != wantLRs[k] {
				t.Errorf("rate %d is %v", k, row.LR)
			}
			statuses[row.Status] = true
		}
	}
	if !statuses["diverged"] || a.Sweeps[0].Summary.Threshold == nil || a.Sweeps[0].Summary.Regions[3] != "too_large" {
		t.Errorf("no divergence at lr 1e7: %s", b)
	}
	// The websocket job streams the same rows, with progress, then the summaries.
	c := dial(t, srv, nil)
	send(t, c, `{"type":"train_sweep","id":"s","spec":`+body+`}`)
	got := map[[2]int]trainSweepRow{}
	for {
		_, data := readMessage(t, c)
		var m struct {
			Type                          string
			Optimizer, Index, Done, Total int
			Result                        trainSweepRow
			Sweeps                        []json.RawMessage
		}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		if m.Type == "train_sweep_done" {
			if len(m.Sweeps) != 2 || strings.Contains(string(data), `"results"`) {
				t.Errorf("done %s", data)
			}
			break
		}
		if m.Type != "train_sweep_point" || m.Total != 8 || m.Done != len(got)+1 {
			t.Fatalf("message %s after %d points", data, len(got))
		}
		got[[2]int{m.Optimizer, m.Index}] = m.Result
	}
	for i, sw := range a.Sweeps {
		for k, row := range sw.Results {
			if got[[2]int{i, k}] != row {
				t.Errorf("websocket point %d,%d %+v, REST %+v", i, k, got[[2]int{i, k}], row)
			}
		}
	}
}

// TestTrainSweepOneOptimizerAndCancel: "optimizer" sweeps one; a sweep or
// a basin map waiting for a heavy-job slot can be cancelled.
func TestTrainSweepOneOptimizerAndCancel(t *testing.T) {
	h, srv := newServer(t, Config{})
	body := `{"dataset":{"name":"line"},"model":{"kind":"linear"},"steps":5,"optimizers":[{"name":"sgd"},{"name":"adam"}],"optimizer":1,"count":3}`
	res, b := post(t, srv.URL+"/api/v1/train/sweeps", body)
	var a trainSweepReply
	json.Unmarshal(b, &a)
	if res.StatusCode != 200 || len(a.Sweeps) != 1 || a.Sweeps[0].Index != 1 || a.Sweeps[0].Optimizer.Name != "adam" || len(a.Sweeps[0].Results) != 3 {
		t.Fatalf("%d %s", res.StatusCode, b)
	}
	c := dial(t, srv, nil)
	release := fillSlots(h.heavy)
	basin := `{"dataset":{"name":"line"},"model":{"kind":"linear"},"steps":5,"optimizers":[{"name":"sgd"}],"grid":4}`
	for _, m := range []struct{ kind, spec string }{{"train_sweep", body}, {"train_basin", basin}} {
		send(t, c, `{"type":"`+m.kind+`","id":"long","spec":`+m.spec+`}`)
		send(t, c, `{"type":"cancel","id":"long"}`)
		if f := read(t, c); f.Type != "cancelled" || f.ID != "long" {
			t.Fatalf("%s: got %s, want cancelled", m.kind, f.Raw)
		}
	}
	release()
}

type trainBasinReply struct {
	Grid     int        `json:"grid"`
	Box      [4]float64 `json:"box"`
	Index    int        `json:"index"`
	Statuses []string   `json:"statuses"`
	Critical []struct {
		X, Y float64
	} `json:"critical"`
	Cells   [][6]float64 `json:"cells"`
	Summary struct {
		Reached  []int `json:"reached"`
		Diverged int   `json:"diverged"`
	} `json:"summary"`
}

// TestTrainBasinCellsAreTrainings: cells of a basin map over starts are
// what POST /api/v1/train answers from those starts, bit for bit, over
// REST and the websocket; the default box is the training's landscape
// box.
func TestTrainBasinCellsAreTrainings(t *testing.T) {
	_, srv := newServer(t, Config{})
	const spec = `"dataset":{"name":"moons","n":60,"seed":1},"model":{"kind":"logistic"},"batch_size":12,"epochs":4`
	body := "{" + spec + `,"optimizers":[{"name":"sgd"},{"name":"adam","lr":0.3}],"optimizer":1,"grid":3}`
	res, b := post(t, srv.URL+"/api/v1/train/basins", body)
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, b)
	}
	var a trainBasinReply
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if a.Grid != 3 || len(a.Cells) != 9 || a.Index != 1 {
		t.Fatalf("answer %s", b)
	}
	land := postTrain(t, srv.URL+"/api/v1/train", "{"+spec+`,"optimizers":[{"name":"sgd"},{"name":"adam","lr":0.3}],"grid":2}`)
	if a.Box != land.Landscape.Box {
		t.Errorf("default box %v, the landscape's %v", a.Box, land.Landscape.Box)
	}
	for _, k := range []int{0, 4, 8} {
		i, j := k%3, k/3
		w, bb := a.Box[0]+float64(i)*(a.Box[1]-a.Box[0])/2, a.Box[2]+float64(j)*(a.Box[3]-a.Box[2])/2
		tr := postTrain(t, srv.URL+"/api/v1/train", "{"+spec+fmt.Sprintf(`,"init":{"params":[%v,%v]},"optimizers":[{"name":"adam","lr":0.3}]}`, w, bb))
		r := tr.Runs[0]
		last := r.Params[len(r.Params)-1]
		cell := a.Cells[k]
		if a.Statuses[int(cell[1])] != r.Outcome.Status || int(cell[2]) != r.Outcome.Step || cell[3] != last[0] || cell[4] != last[1] || cell[5] != r.Loss[len(r.Loss)-1] {
			t.Errorf("cell %d from (%v, %v): %v; training %s at step %d ends at %v with loss %v", k, w, bb, cell, r.Outcome.Status, r.Outcome.Step, last, r.Loss[len(r.Loss)-1])
		}
	}
	c := dial(t, srv, nil)
	send(t, c, `{"type":"train_basin","id":"b","spec":`+body+`}`)
	var start trainBasinReply
	rows := map[int][][6]float64{}
	for {
		_, data := readMessage(t, c)
		var m struct {
			Type      string
			Row, Done int
			Cells     [][6]float64
		}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		switch m.Type {
		case "train_basin_start":
			json.Unmarshal(data, &start)
		case "train_basin_row":
			if m.Done != len(rows)+1 {
				t.Errorf("row %d says done %d after %d rows", m.Row, m.Done, len(rows))
			}
			rows[m.Row] = m.Cells
		case "train_basin_done":
			if !strings.Contains(string(data), `"summary":{"reached":[`) {
				t.Errorf("done %s", data)
			}
		default:
			t.Fatalf("message %s", data)
		}
		if m.Type == "train_basin_done" {
			break
		}
	}
	if start.Box != a.Box || len(start.Critical) != len(a.Critical) {
		t.Errorf("train_basin_start %+v", start)
	}
	for j := range 3 {
		if !slices.Equal(rows[j], a.Cells[3*j:3*j+3]) {
			t.Errorf("websocket row %d %v, REST %v", j, rows[j], a.Cells[3*j:3*j+3])
		}
	}
}

// TestTrainBasinLinearDiverges: full-batch gradient descent on linear
// regression beyond 2/λmax diverges from every start; within it every
// start reaches the least-squares minimum.
func TestTrainBasinLinearDiverges(t *testing.T) {
	_, srv := newServer(t, Config{})
	for _, tc := range []struct {
		lr       string
		diverged int
	}{{"1.5", 16}, {"0.3", 0}} {
		_, b := post(t, srv.URL+"/api/v1/train/basins", `{"dataset":{"name":"line","n":30,"seed":1},"model":{"kind":"linear"},"steps":400,
			"optimizers":[{"name":"sgd","lr":`+tc.lr+`}],"grid":4,"box":[-4,6,-5,5]}`)
		var a trainBasinReply
		json.Unmarshal(b, &a)
		reached := 0
		if len(a.Summary.Reached) == 1 {
			reached = a.Summary.Reached[0]
		}
		if a.Summary.Diverged != tc.diverged || reached != 16-tc.diverged {
			t.Errorf("lr %s: %s", tc.lr, b)
		}
	}
}

func TestTrainToolErrors(t *testing.T) {
	_, srv := newServer(t, Config{})
	const lin = `"dataset":{"name":"line"},"model":{"kind":"linear"},"steps":5,"optimizers":[{"name":"sgd"}]`
	cases := []struct {
		path, body, field, says string
	}{
		{"sweeps", `{` + lin + `,"lr_min":1,"lr_max":0.5}`, "lr_max", "lr_max must be > lr_min (1), got 0.5"},
		{"sweeps", `{` + lin + `,"count":65}`, "count", "count must be an integer in [2, 64], got 65"},
		{"sweeps", `{` + lin + `,"lr_min":-1}`, "lr_min", "lr_min must be > 0, got -1"},
		{"sweeps", `{` + lin + `,"optimizer":1}`, "optimizer", "optimizer must be an integer in [0, 0], got 1"},
		{"sweeps", `{` + lin + `,"threshold_digits":3}`, "threshold_digits", `unknown field "threshold_digits"`},
		{"sweeps", `{"dataset":{"name":"line"},"model":{"kind":"linear"},"steps":-1,"optimizers":[{"name":"sgd"}]}`, "steps", "steps must be in [0, 100000], got -1"},
		{"basins", `{"dataset":{"name":"moons"},"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},"optimizers":[{"name":"sgd"}]}`, "model.kind", "a network's parameters do not lie on a plane"},
		{"basins", `{` + lin + `,"grid":65}`, "grid", "grid must be an integer in [2, 64], got 65"},
		{"basins", `{` + lin + `,"box":[1,0,0,1]}`, "box", "xmin < xmax"},
		{"basins", `{"dataset":{"name":"line"},"model":{"kind":"linear"},"optimizers":[{"name":"sgd"},{"name":"adam"}]}`, "optimizer", "optimizer (an index into optimizers) is required when optimizers lists 2"},
		{"basins", `{"dataset":{"name":"line"},"model":{"kind":"linear"},"steps":100000,"optimizers":[{"name":"sgd"}],"grid":64}`, "grid", "this basin map would take about"},
	}
	c := dial(t, srv, nil)
	for _, tc := range cases {
		res, b := post(t, srv.URL+"/api/v1/train/"+tc.path, tc.body)
		var e struct{ Error, Field string }
		json.Unmarshal(b, &e)
		if res.StatusCode != 400 || e.Field != tc.field || !strings.Contains(e.Error, tc.says) {
			t.Errorf("%s %s: %d %s", tc.path, tc.body, res.StatusCode, b)
		}
		kind := map[string]string{"sweeps": "train_sweep", "basins": "train_basin"}[tc.path]
		send(t, c, `{"type":"`+kind+`","id":"e","spec":`+tc.body+`}`)
		f := read(t, c)
		var we struct{ Error, Field string }
		json.Unmarshal(f.Raw, &we)
		if f.Type != "error" || we.Field != tc.field || !strings.Contains(we.Error, tc.says) {
			t.Errorf("websocket %s: %s", tc.body, f.Raw)
		}
	}
}
