package lessons_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/basin-dev/basin/internal/api"
)

// serverRuns is the part of GET /api/v1/runs's answer the stories use.
type serverRuns struct {
	Runs []struct {
		Points  [][3]float64 `json:"points"`
		Outcome struct {
			Status  string `json:"status"`
			Step    int    `json:"step"`
			Reached *struct {
				Kind   string  `json:"kind"`
				X      float64 `json:"x"`
				Y      float64 `json:"y"`
				Global bool    `json:"global"`
			} `json:"reached"`
		} `json:"outcome"`
	} `json:"runs"`
}

// TestStoriesMatchServer asks the real server for every example and
// contrast and requires the outcomes the stories are checked on (runQuery,
// which computes the spec without the server) to be the server's, bit for
// bit: same status, step, end point and reached point.
func TestStoriesMatchServer(t *testing.T) {
	srv := httptest.NewServer(api.NewHandler(api.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	for _, v := range variants() {
		res, err := http.Get(srv.URL + "/api/v1/runs?" + v.query)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: %s: %s", v.name, res.Status, body)
			continue
		}
		var got serverRuns
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		mine, err := runQuery(v.query)
		if err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		if len(got.Runs) != len(mine) {
			t.Fatalf("%s: server ran %d optimizers, the stories %d", v.name, len(got.Runs), len(mine))
		}
		for i, s := range got.Runs {
			m := mine[i]
			if s.Outcome.Status != m.Outcome.Status.String() || s.Outcome.Step != m.Outcome.Step {
				t.Errorf("%s run %d: server %s at %d, stories %v at %d", v.name, i,
					s.Outcome.Status, s.Outcome.Step, m.Outcome.Status, m.Outcome.Step)
			}
			if n := len(s.Points); n == 0 || s.Points[n-1] != [3]float64{m.End.X, m.End.Y, m.End.Loss} {
				t.Errorf("%s run %d: server and stories end at different points", v.name, i)
			}
			switch r, mr := s.Outcome.Reached, m.Outcome.Reached; {
			case (r == nil) != (mr == nil):
				t.Errorf("%s run %d: server reached %v, stories %v", v.name, i, r, mr)
			case r != nil && (r.Kind != mr.Kind.String() || r.Global != mr.Global || r.X != mr.At.X || r.Y != mr.At.Y):
				t.Errorf("%s run %d: server reached %+v, stories %+v", v.name, i, *r, *mr)
			}
		}
	}
}
