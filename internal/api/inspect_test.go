package api

import (
	"encoding/json"
	"strings"
	"testing"
)

type stateVarBody struct {
	Name  string   `json:"name"`
	Label string   `json:"label"`
	Kind  string   `json:"kind"`
	X     *float64 `json:"x"`
	Y     *float64 `json:"y"`
}

type snapshotBody struct {
	Type      string         `json:"type"`
	ID        string         `json:"id"`
	Run       int            `json:"run"`
	Optimizer map[string]any `json:"optimizer"`
	Step      int            `json:"step"`
	Point     [3]float64     `json:"point"`
	Grad      [2]*float64    `json:"grad"`
	Taken     bool           `json:"taken"`
	Seen      *[2]float64    `json:"seen"`
	LR        *float64       `json:"lr"`
	Next      *[2]float64    `json:"next"`
	Update    *[2]float64    `json:"update"`
	Stop      string         `json:"stop"`
	Before    []stateVarBody `json:"before"`
	After     []stateVarBody `json:"after"`
}

func stateNames(vs []stateVarBody) string {
	var names []string
	for _, v := range vs {
		names = append(names, v.Name)
	}
	return strings.Join(names, ",")
}

// TestInspectMatchesRun checks that a snapshot sits on the trajectory
// POST /api/v1/runs returns: its point is point k, its next point k+1, its
// update the difference, with the optimizer's state around the step.
func TestInspectMatchesRun(t *testing.T) {
	_, srv := newServer(t, Config{})
	const base = `"function":"himmelblau","start":[0,0],"steps":60,"noise":0.5,"clip_norm":20,
		"optimizers":[{"name":"adam","lr":0.05},{"name":"momentum"}]`
	_, rb := post(t, srv.URL+"/api/v1/runs", `{`+base+`}`)
	var runs runsBody
	if err := json.Unmarshal(rb, &runs); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		run, step    int
		taken        bool
		before, stop string
	}{
		{0, 0, true, "lr", "not_converged"},
		{0, 10, true, "lr,step,exp_avg,exp_avg_sq,effective_lr", "not_converged"},
		{1, 10, true, "lr,momentum_buffer,velocity", "not_converged"},
		{1, 60, false, "lr,momentum_buffer,velocity", "not_converged"},
	}
	for _, tc := range cases {
		body := `{` + base + `,"optimizer":` + itoa(tc.run) + `,"step":` + itoa(tc.step) + `}`
		res, b := post(t, srv.URL+"/api/v1/inspect", body)
		if res.StatusCode != 200 {
			t.Fatalf("%d: %s", res.StatusCode, b)
		}
		var s snapshotBody
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		pts := runs.Runs[tc.run].Points
		if s.Run != tc.run || s.Step != tc.step || s.Point != pts[tc.step] || s.Taken != tc.taken || s.Stop != tc.stop {
			t.Errorf("run %d step %d: %s", tc.run, tc.step, b)
			continue
		}
		if got := stateNames(s.Before); !strings.HasPrefix(got, tc.before) {
			t.Errorf("run %d step %d: state %s, want %s", tc.run, tc.step, got, tc.before)
		}
		if !tc.taken {
			if s.Seen != nil || s.Next != nil || s.LR != nil || stateNames(s.After) != stateNames(s.Before) {
				t.Errorf("step not taken: %s", b)
			}
			continue
		}
		next := pts[tc.step+1]
		if s.Next == nil || s.Next[0] != next[0] || s.Next[1] != next[1] {
			t.Errorf("run %d step %d: next %v, run's point %v", tc.run, tc.step, s.Next, next)
		}
		if s.Update == nil || s.Update[0] != next[0]-s.Point[0] || s.Update[1] != next[1]-s.Point[1] {
			t.Errorf("run %d step %d: update %v", tc.run, tc.step, s.Update)
		}
		if s.Seen == nil || *s.Seen == [2]float64{*s.Grad[0], *s.Grad[1]} {
			t.Errorf("run %d step %d: the noisy gradient %v equals the exact one %v", tc.run, tc.step, s.Seen, s.Grad)
		}
	}
}

// TestInspectStream checks the websocket face (the same snapshot as
// REST) and that a new inspect replaces the one in flight.
func TestInspectStream(t *testing.T) {
	h, srv := newServer(t, Config{})
	spec := `{"function":"quadratic","start":[-4,3.5],"lr":3,"optimizers":[{"name":"sgd"}],"step":17}`
	_, rest := post(t, srv.URL+"/api/v1/inspect", spec)
	c := dial(t, srv, nil)
	send(t, c, `{"type":"inspect","id":"i","spec":`+spec+`}`)
	f := read(t, c)
	want := `{"type":"inspection","id":"i",` + strings.TrimSuffix(string(rest), "}\n")[1:] + `}`
	if string(f.Raw) != want {
		t.Errorf("websocket\n%s\nREST\n%s", f.Raw, want)
	}
	var s snapshotBody
	if err := json.Unmarshal(f.Raw, &s); err != nil || s.Stop != "diverged" || !s.Taken {
		t.Errorf("the step that diverges: %s", f.Raw)
	}

	release := fillSlots(h.runs)
	send(t, c, `{"type":"inspect","id":"a","spec":`+spec+`}`)
	send(t, c, `{"type":"inspect","id":"b","spec":`+spec+`}`)
	if f := read(t, c); f.Type != "cancelled" || f.ID != "a" {
		t.Fatalf("got %s, want cancelled a", f.Raw)
	}
	release()
	if f := read(t, c); f.Type != "inspection" || f.ID != "b" {
		t.Fatalf("got %s, want inspection b", f.Raw)
	}
	send(t, c, `{"type":"inspect","id":"e","spec":{"function":"booth","optimizers":[{"name":"sgd"}],"step":501}}`)
	if f := read(t, c); f.Type != "error" || f.Error != "step must be an integer in [0, 500], got 501" || f.Field != "step" {
		t.Errorf("got %s", f.Raw)
	}
}

func itoa(i int) string { return string(appendInt(nil, i)) }
