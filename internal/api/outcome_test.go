package api

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestNoisyOutcomeFields checks the outcome of noisy runs on the wire: a
// run that settles names the critical point and says how closely it hovers
// around it; a run that keeps crossing the ridge is "wandering" and names
// both minima, with no "reached"; a noise-free run has neither field.
func TestNoisyOutcomeFields(t *testing.T) {
	_, srv := newServer(t, Config{})
	type point struct {
		Kind   string
		X, Y   float64
		Global *bool
	}
	tests := []struct {
		name, query string
		status      string
		hover       bool
		between     int
	}{
		{"settles", "v=1&f=double-well&start=1.8,1.5&lr=0.05&steps=500&seed=1&noise=4&opt=sgd", "converged", true, 0},
		{"wanders", "v=1&f=double-well&start=1.8,1.5&lr=0.0625&steps=500&seed=5&noise=2&opt=sgd", "wandering", false, 2},
		{"noise-free", "v=1&f=double-well&start=1.8,1.5&lr=0.05&steps=500&opt=sgd", "converged", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, srv.URL+"/api/v1/runs?"+tt.query)
			if res.StatusCode != 200 {
				t.Fatalf("%d: %s", res.StatusCode, body)
			}
			var m struct {
				Runs []struct {
					Outcome struct {
						Status  string
						Step    int
						Reached *point
						Hover   *float64
						Between []point
					}
				}
			}
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatal(err)
			}
			o := m.Runs[0].Outcome
			if o.Status != tt.status || (o.Hover != nil) != tt.hover || len(o.Between) != tt.between {
				t.Fatalf("outcome %+v", o)
			}
			if tt.hover && !(*o.Hover > 0 && *o.Hover < 4) {
				t.Errorf("hover %v", *o.Hover)
			}
			if tt.between > 0 {
				if o.Reached != nil || strings.Contains(string(body), `"reached"`) {
					t.Error("a wandering run names a reached point")
				}
				if o.Between[0].Kind != "minimum" || o.Between[1].Kind != "minimum" || *o.Between[0].Global == *o.Between[1].Global {
					t.Errorf("between %+v, want the global and the local minimum", o.Between)
				}
			}
		})
	}
}

// TestNoisySweepOutcomeFields: a noisy sweep's results carry hover and
// between as the runs' outcomes do.
func TestNoisySweepOutcomeFields(t *testing.T) {
	_, srv := newServer(t, Config{})
	res, body := post(t, srv.URL+"/api/v1/sweeps", `{"function":"double-well","start":[1.8,1.5],"steps":500,"seed":5,"noise":2,`+
		`"optimizers":[{"name":"sgd"}],"lr_min":0.04,"lr_max":0.0625,"count":2}`)
	if res.StatusCode != 200 {
		t.Fatalf("%d: %s", res.StatusCode, body)
	}
	var m struct {
		Results []struct {
			Status  string
			Hover   *float64
			Between []struct{ Kind string }
		}
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	// lr 0.0625 at seed 5 is TestNoisyOutcomeFields' wandering run.
	r := m.Results[1]
	if r.Status != "wandering" || len(r.Between) != 2 || r.Hover != nil {
		t.Errorf("lr 0.0625: %+v, want wandering between two minima", r)
	}
	// At lr 0.04 the same noise does not kick it out of the shallow valley.
	if r := m.Results[0]; r.Status != "converged" || r.Hover == nil || !(*r.Hover > 0) || r.Between != nil {
		t.Errorf("lr 0.04: %+v, want converged with a hover", r)
	}
}
