package lessons_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/api"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/lessons"
)

// TestNoiseEscapesText checks the numbers noise-escapes' text quotes, on the
// run the real server gives for its query: the ridge between the valleys is
// the saddle's x = 0.25, the run crosses it nine times between steps 22 and
// 81 and never after, it then hovers around the global minimum for the
// remaining 419 steps, and the walls are 0.53 (shallow side) and 3.4 (deep
// side) high, over six times apart.
func TestNoiseEscapesText(t *testing.T) {
	e, ok := lessons.Lookup("noise-escapes")
	if !ok {
		t.Fatal("no noise example")
	}
	dw, _ := landscape.Lookup("double-well")
	var saddle, global, local landscape.CriticalPoint
	for _, c := range dw.Critical {
		switch {
		case c.Kind == landscape.Saddle:
			saddle = c
		case c.Kind == landscape.Minimum && c.Global:
			global = c
		case c.Kind == landscape.Minimum:
			local = c
		}
	}
	text := e.Text["en"]
	for _, s := range []string{
		"ridge at x = " + strconv.FormatFloat(saddle.At.X, 'g', 2, 64),
		"(" + strconv.FormatFloat(saddle.Value-global.Value, 'g', 2, 64) + " against " + strconv.FormatFloat(saddle.Value-local.Value, 'g', 2, 64) + ")",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("text does not say %q", s)
		}
	}
	if r := (saddle.Value - global.Value) / (saddle.Value - local.Value); !(r > 6) {
		t.Errorf("the deep wall is %.2f times the shallow one, the text says over six", r)
	}

	srv := httptest.NewServer(api.NewHandler(api.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/api/v1/runs?" + e.Query)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got struct {
		Runs []struct {
			Points  [][3]float64
			Outcome struct {
				Status  string
				Step    int
				Hover   float64
				Reached *struct{ Global bool }
			}
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	run := got.Runs[0]
	var crossings []int
	for k := 1; k < len(run.Points); k++ {
		if (run.Points[k][0] < saddle.At.X) != (run.Points[k-1][0] < saddle.At.X) {
			crossings = append(crossings, k)
		}
	}
	o := run.Outcome
	steps := len(run.Points) - 1
	if len(crossings) != 9 || crossings[0] != 22 || crossings[8] != 81 {
		t.Errorf("the run crosses the ridge at steps %v, the text says nine times between steps 22 and 81", crossings)
	}
	if o.Status != "converged" || o.Reached == nil || !o.Reached.Global || o.Step != 81 || steps-o.Step != 419 || !(o.Hover > 0) {
		t.Errorf("outcome %+v after %d steps, the text says it settles in the global minimum at step 81 for the remaining 419", o, steps)
	}
}
