package api

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/runspec"
)

type sweepResultBody struct {
	LR              float64     `json:"lr"`
	Status          string      `json:"status"`
	Step            int         `json:"step"`
	FinalLoss       float64     `json:"final_loss"`
	MinLoss         float64     `json:"min_loss"`
	StepsToConverge *int        `json:"steps_to_converge"`
	Points          int         `json:"points"`
	End             *[2]float64 `json:"end"`
	Reached         *struct {
		Kind   string `json:"kind"`
		Global bool   `json:"global"`
	} `json:"reached"`
}

type sweepSummaryBody struct {
	Threshold *float64 `json:"threshold"`
	Regions   []string `json:"regions"`
	Ranges    []struct {
		Region string  `json:"region"`
		LRMin  float64 `json:"lr_min"`
		LRMax  float64 `json:"lr_max"`
	} `json:"ranges"`
}

type sweepBody struct {
	Optimizer map[string]any     `json:"optimizer"`
	Sweep     map[string]float64 `json:"sweep"`
	Results   []sweepResultBody  `json:"results"`
	Summary   sweepSummaryBody   `json:"summary"`
}

const quadSweep = `{"function":"quadratic","start":[-4,3.5],"steps":500,"optimizers":[{"name":"sgd"}],"lr_min":0.001,"lr_max":10,"count":16}`

// TestSweepMatchesRuns checks that every learning rate of a sweep is the
// run POST /api/v1/runs gives at that lr, and that the summary reads the
// quadratic bowl the way its closed form does: SGD multiplies the distance
// to the minimum by |1 - lr| per step, so from (-4, 3.5) it crosses
// |x|+|y| = 1e6 within 500 steps when (lr-1)^500 * 7.5 > 1e6, i.e. above
// lr = 1 + (1e6/7.5)^(1/500) = 2.0239: the grid brackets the threshold,
// the refined one (3 digits by default) is 2.03.
func TestSweepMatchesRuns(t *testing.T) {
	_, srv := newServer(t, Config{})
	res, body := post(t, srv.URL+"/api/v1/sweeps", quadSweep)
	if res.StatusCode != 200 {
		t.Fatalf("%d: %s", res.StatusCode, body)
	}
	var sw sweepBody
	if err := json.Unmarshal(body, &sw); err != nil {
		t.Fatal(err)
	}
	lrs := basin.LogSpace(0.001, 10, 16)
	if len(sw.Results) != len(lrs) {
		t.Fatalf("%d results, want %d", len(sw.Results), len(lrs))
	}
	if _, ok := sw.Optimizer["lr"]; ok || sw.Optimizer["name"] != "sgd" {
		t.Errorf("optimizer %v: want sgd without lr (the sweep sets it)", sw.Optimizer)
	}
	if sw.Sweep["lr_min"] != 0.001 || sw.Sweep["lr_max"] != 10 || sw.Sweep["count"] != 16 {
		t.Errorf("sweep settings %v", sw.Sweep)
	}
	for i, r := range sw.Results {
		if r.LR != lrs[i] {
			t.Fatalf("result %d at lr %v, want %v", i, r.LR, lrs[i])
		}
		spec := fmt.Sprintf(`{"function":"quadratic","start":[-4,3.5],"steps":500,"optimizers":[{"name":"sgd","lr":%s}]}`, runspec.FormatNumber(r.LR))
		_, rb := post(t, srv.URL+"/api/v1/runs", spec)
		var run runsBody
		if err := json.Unmarshal(rb, &run); err != nil {
			t.Fatal(err)
		}
		o, pts := run.Runs[0].Outcome, run.Runs[0].Points
		if r.Status != o.Status || r.Step != o.Step || r.Points != len(pts) {
			t.Errorf("lr %v: sweep %s at %d (%d points), run %s at %d (%d points)", r.LR, r.Status, r.Step, r.Points, o.Status, o.Step, len(pts))
			continue
		}
		last := pts[len(pts)-1]
		if r.End == nil || r.End[0] != last[0] || r.End[1] != last[1] || r.FinalLoss != last[2] {
			t.Errorf("lr %v: sweep ends at %v loss %v, run at %v", r.LR, r.End, r.FinalLoss, last)
		}
		minLoss := math.Inf(1)
		for _, p := range pts {
			minLoss = min(minLoss, p[2])
		}
		if r.MinLoss != minLoss {
			t.Errorf("lr %v: min loss %v, run's %v", r.LR, r.MinLoss, minLoss)
		}
		if (r.StepsToConverge != nil) != (r.Status == "converged") || r.StepsToConverge != nil && *r.StepsToConverge != r.Step {
			t.Errorf("lr %v: steps_to_converge %v for %s at %d", r.LR, r.StepsToConverge, r.Status, r.Step)
		}
		if (r.Reached != nil) != (r.Status == "converged") || r.Reached != nil && !r.Reached.Global {
			t.Errorf("lr %v: reached %+v for %s", r.LR, r.Reached, r.Status)
		}
	}
	// Regions: from the first grid lr above 2 (all of them diverge).
	want := 0.0
	for _, lr := range lrs {
		if lr > 2 {
			want = lr
			break
		}
	}
	s := sw.Summary
	edge := 1 + math.Pow(1e6/7.5, 1.0/500)
	if s.Threshold == nil || *s.Threshold != math.Ceil(edge*100)/100 || sw.Sweep["threshold_digits"] != 3 {
		t.Errorf("threshold %v at %v digits, want the closed form's %.3f rounded up", s.Threshold, sw.Sweep["threshold_digits"], edge)
	}
	if len(s.Regions) != len(lrs) || s.Regions[0] != "too_small" || s.Regions[len(lrs)-1] != "too_large" {
		t.Errorf("regions %v", s.Regions)
	}
	var regions []string
	for _, g := range s.Ranges {
		regions = append(regions, g.Region)
	}
	if strings.Join(regions, ",") != "too_small,good,too_large" || s.Ranges[0].LRMin != lrs[0] ||
		s.Ranges[2].LRMin != want || s.Ranges[2].LRMax != 10 || s.Ranges[1].LRMax >= want {
		t.Errorf("ranges %+v", s.Ranges)
	}
}

// TestSweepSchedule checks that a schedule scales each swept lr as it
// scales a run's own, and that the answer shows it resolved.
func TestSweepSchedule(t *testing.T) {
	_, srv := newServer(t, Config{})
	const sched = `"schedule":{"name":"exponentiallr","gamma":0.99}`
	_, body := post(t, srv.URL+"/api/v1/sweeps", `{"function":"booth","steps":300,`+sched+`,"optimizers":[{"name":"adam"}],"lr_min":0.01,"lr_max":1,"count":3}`)
	var sw struct {
		sweepBody
		Schedule map[string]any `json:"schedule"`
	}
	if err := json.Unmarshal(body, &sw); err != nil || len(sw.Results) != 3 || sw.Schedule["name"] != "exponentiallr" || sw.Schedule["gamma"] != 0.99 {
		t.Fatalf("%s", body)
	}
	for _, r := range sw.Results {
		_, rb := post(t, srv.URL+"/api/v1/runs", `{"function":"booth","steps":300,`+sched+`,"optimizers":[{"name":"adam","lr":`+runspec.FormatNumber(r.LR)+`}]}`)
		var run runsBody
		if err := json.Unmarshal(rb, &run); err != nil {
			t.Fatal(err)
		}
		pts := run.Runs[0].Points
		if last := pts[len(pts)-1]; r.Status != run.Runs[0].Outcome.Status || r.Step != run.Runs[0].Outcome.Step || r.End[0] != last[0] || r.End[1] != last[1] {
			t.Errorf("lr %v: sweep %+v, run %+v at %v", r.LR, r, run.Runs[0].Outcome, last)
		}
	}
}

// TestJobsBadInput is the table of mistakes in sweep, basin and inspect
// requests, over REST; the same decoders serve the websocket.
func TestJobsBadInput(t *testing.T) {
	_, srv := newServer(t, Config{})
	const one = `"function":"booth","optimizers":[{"name":"sgd"}]`
	const two = `"function":"booth","optimizers":[{"name":"sgd"},{"name":"adam"}]`
	cases := []struct{ path, body, field, want string }{
		{"sweeps", `{` + one + `,"lr_min":0}`, "lr_min", `lr_min must be > 0, got 0`},
		{"sweeps", `{` + one + `,"lr_min":-1e-3}`, "lr_min", `lr_min must be > 0, got -0.001`},
		{"sweeps", `{` + one + `,"lr_max":"big"}`, "lr_max", `lr_max must be a finite number, got "big"`},
		{"sweeps", `{` + one + `,"lr_min":1,"lr_max":0.5}`, "lr_max", `lr_max must be > lr_min (1), got 0.5`},
		{"sweeps", `{` + one + `,"count":1}`, "count", `count must be an integer in [2, 256], got 1`},
		{"sweeps", `{` + one + `,"count":257}`, "count", `count must be an integer in [2, 256], got 257`},
		{"sweeps", `{` + one + `,"count":2.5}`, "count", `count must be an integer in [2, 256], got 2.5`},
		{"sweeps", `{` + one + `,"threshold_digits":0}`, "threshold_digits", `threshold_digits must be an integer in [1, 6], got 0`},
		{"sweeps", `{` + one + `,"threshold_digits":7}`, "threshold_digits", `threshold_digits must be an integer in [1, 6], got 7`},
		{"sweeps", `{` + one + `,"lr_mn":1}`, "lr_mn", `unknown field "lr_mn" (did you mean lr_min?)`},
		{"sweeps", `{` + two + `}`, "optimizer", `optimizer (an index into optimizers) is required when optimizers lists 2`},
		{"sweeps", `{` + two + `,"optimizer":2}`, "optimizer", `optimizer must be an integer in [0, 1], got 2`},
		{"sweeps", `{"function":"booth","optimizers":[{"name":"sgd","lr":-1}]}`, "optimizers[0].lr", `optimizers[0].lr must be > 0, got -1`},
		{"sweeps", `{"function":"boot","optimizers":[{"name":"sgd"}]}`, "function", `unknown function "boot" (did you mean booth?)`},
		{"sweeps", `{` + one + `,"count":3,"count":4}`, "count", `duplicate field "count"`},
		{"sweeps", `[1]`, "", `the run spec must be a JSON object`},
		{"basins", `{` + one + `,"grid":1}`, "grid", `grid must be an integer in [2, 256], got 1`},
		{"basins", `{` + one + `,"grid":512}`, "grid", `grid must be an integer in [2, 256], got 512`},
		{"basins", `{` + one + `,"box":[1,2,3]}`, "box", `box must be 4 numbers [xmin, xmax, ymin, ymax], got [1,2,3]`},
		{"basins", `{` + one + `,"box":[1,0,0,1]}`, "box", `box must be [xmin, xmax, ymin, ymax] with xmin < xmax and ymin < ymax, got [1, 0, 0, 1]`},
		{"basins", `{` + one + `,"box":[-2e6,0,0,1]}`, "box[0]", `box[0] must be finite with |v| <= 1e6, got -2000000`},
		{"basins", `{` + one + `,"grid":256,"steps":10000}`, "grid", `grid*grid*steps must be at most 134217728, got 256*256*10000 = 655360000: lower grid or steps`},
		{"basins", `{` + one + `,"grid":256,"steps":500,"noise":1}`, "grid", `with noise, grid*grid*steps*16 must be at most 134217728, got 256*256*500*16 = 524288000: lower grid or steps`},
		{"basins", `{` + one + `,"grdi":8}`, "grdi", `unknown field "grdi" (did you mean grid?)`},
		{"basins", `{` + two + `,"optimizer":-1}`, "optimizer", `optimizer must be an integer in [0, 1], got -1`},
		{"inspect", `{` + one + `}`, "step", `step is required`},
		{"inspect", `{` + one + `,"steps":10,"step":11}`, "step", `step must be an integer in [0, 10], got 11`},
		{"inspect", `{"function":"quadratic","start":[-4,3.5],"lr":3,"optimizers":[{"name":"sgd"}],"step":400}`, "step",
			`step: step 400 is beyond the run's end: it diverged at step 18`},
		{"inspect", `{` + two + `,"step":1}`, "optimizer", `optimizer (an index into optimizers) is required when optimizers lists 2`},
		{"inspect", `{` + one + `,"stpe":1}`, "stpe", `unknown field "stpe" (did you mean step?)`},
	}
	for _, tc := range cases {
		res, body := post(t, srv.URL+"/api/v1/"+tc.path, tc.body)
		var e errorBody
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("%s %s: %s", tc.path, tc.body, body)
		}
		if res.StatusCode != 400 || e.Error != tc.want || deref(e.Field) != tc.field {
			t.Errorf("%s %s:\ngot  %d %q field %q\nwant 400 %q field %q", tc.path, tc.body, res.StatusCode, e.Error, deref(e.Field), tc.want, tc.field)
		}
	}
	res, body := post(t, srv.URL+"/api/v1/sweeps?format=csv", `{`+one+`}`)
	if res.StatusCode != 400 || !strings.Contains(string(body), `unknown query parameter \"format\"`) {
		t.Errorf("query on a sweep: %d %s", res.StatusCode, body)
	}
}

// TestSweepStream checks the websocket face: one sweep_point per learning
// rate, each index once, the same results as REST, then sweep_done with
// the same summary.
func TestSweepStream(t *testing.T) {
	_, srv := newServer(t, Config{})
	_, body := post(t, srv.URL+"/api/v1/sweeps", quadSweep)
	var want sweepBody
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
	c := dial(t, srv, nil)
	send(t, c, `{"type":"sweep","id":"s1","spec":`+quadSweep+`}`)
	got := make([]*sweepResultBody, len(want.Results))
	for {
		var m struct {
			Type    string           `json:"type"`
			ID      string           `json:"id"`
			Index   int              `json:"index"`
			Result  sweepResultBody  `json:"result"`
			Summary sweepSummaryBody `json:"summary"`
		}
		f := read(t, c)
		if err := json.Unmarshal(f.Raw, &m); err != nil || m.ID != "s1" {
			t.Fatalf("%s: %v", f.Raw, err)
		}
		if m.Type == "sweep_point" {
			if m.Index < 0 || m.Index >= len(got) || got[m.Index] != nil {
				t.Fatalf("index %d twice or out of range", m.Index)
			}
			got[m.Index] = &m.Result
			continue
		}
		if m.Type != "sweep_done" {
			t.Fatalf("got %s", f.Raw)
		}
		for i, r := range got {
			if r == nil {
				t.Fatalf("no result %d before sweep_done", i)
			}
			w := want.Results[i]
			if r.LR != w.LR || r.Status != w.Status || r.Step != w.Step || *r.End != *w.End || r.FinalLoss != w.FinalLoss {
				t.Errorf("result %d: stream %+v, REST %+v", i, *r, w)
			}
		}
		gs, _ := json.Marshal(m.Summary)
		ws, _ := json.Marshal(want.Summary)
		if string(gs) != string(ws) {
			t.Errorf("summary %s, REST %s", gs, ws)
		}
		return
	}
}

// TestSweepCancelAndSupersede checks the one-per-kind rule: a new sweep
// cancels the one in flight, a cancel is answered cancelled, and a sweep
// does not touch the run in flight (a different kind).
func TestSweepCancelAndSupersede(t *testing.T) {
	h, srv := newServer(t, Config{})
	c := dial(t, srv, nil)
	release := fillSlots(h.heavy)
	send(t, c, `{"type":"sweep","id":"a","spec":`+quadSweep+`}`)
	send(t, c, `{"type":"sweep","id":"b","spec":`+quadSweep+`}`)
	if f := read(t, c); f.Type != "cancelled" || f.ID != "a" {
		t.Fatalf("got %s, want cancelled a", f.Raw)
	}
	// A trajectory run is not held up by the waiting sweep.
	send(t, c, runMsg("r", `{"function":"booth","steps":10,"optimizers":[{"name":"sgd"}]}`, ""))
	if _, end := collect(t, c, "r"); end.Type != "done" {
		t.Fatalf("run ended with %s", end.Raw)
	}
	send(t, c, `{"type":"cancel","id":"b"}`)
	if f := read(t, c); f.Type != "cancelled" || f.ID != "b" {
		t.Fatalf("got %s, want cancelled b", f.Raw)
	}
	release()
	send(t, c, `{"type":"sweep","id":"c","spec":`+quadSweep+`}`)
	n := 0
	for {
		f := read(t, c)
		if f.ID != "c" {
			t.Fatalf("message of %q after c started: %s", f.ID, f.Raw)
		}
		if f.Type == "sweep_done" {
			break
		}
		n++
	}
	if n != 16 {
		t.Errorf("%d sweep points, want 16", n)
	}
	send(t, c, `{"type":"sweep","id":"bad","spec":{"function":"booth","optimizers":[{"name":"sgd"}],"count":0}}`)
	if f := read(t, c); f.Type != "error" || f.ID != "bad" || f.Error != "count must be an integer in [2, 256], got 0" || f.Field != "count" {
		t.Errorf("bad sweep: %s", f.Raw)
	}
}
