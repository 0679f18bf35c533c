package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// apiTracks gives GET /api/v1/runs's trajectories for a link query, each
// flattened to x, y, loss triples as tab.tracks gives the page's.
func apiTracks(t testing.TB, query string) [][]float64 {
	t.Helper()
	var body struct {
		Runs []struct {
			Points [][3]float64 `json:"points"`
		} `json:"runs"`
	}
	getJSON(t, "/api/v1/runs?"+query, &body)
	out := make([][]float64, len(body.Runs))
	for k, r := range body.Runs {
		for _, p := range r.Points {
			out[k] = append(out[k], p[0], p[1], p[2])
		}
	}
	return out
}

// checkMatchesAPI fails unless the page's runs are GET /api/v1/runs's for
// the page's own link, optimizer by optimizer, in order.
func (tb *tab) checkMatchesAPI(when string) {
	tb.t.Helper()
	link := eval[string](tb, `location.search.slice(1)`)
	want := apiTracks(tb.t, link)
	got := tb.tracks()
	if len(got) != len(want) {
		tb.t.Fatalf("%s: page has %d runs, GET /api/v1/runs?%s has %d", when, len(got), link, len(want))
	}
	for k := range want {
		if !equalFloats(got[k], want[k]) {
			tb.t.Errorf("%s: page's run %d (%d values) differs from GET /api/v1/runs's run %d (%d values) for %s", when, k, len(got[k]), k, len(want[k]), link)
		}
	}
}

// TestLinkKeepsOptimizerOrder: a link's optimizers run, show in the legend
// and stay in the URL in the link's order (not the list's display order),
// through loading and interaction, so the page's runs are the API's for
// the same link, run for run.
func TestLinkKeepsOptimizerOrder(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&steps=200&opt=adagrad&opt=rmsprop&opt=sgd&instant=1")
	opts := func() []string { return tb.query()["opt"] }
	if got, want := opts(), []string{"adagrad", "rmsprop", "sgd"}; !slices.Equal(got, want) {
		t.Errorf("after load, opt in URL = %v, want the link's order %v", got, want)
	}
	if got, want := eval[[]string](tb, `window.basin.run.labels`), []string{"Adagrad", "RMSprop", "SGD"}; !slices.Equal(got, want) {
		t.Errorf("run labels %v, want %v", got, want)
	}
	tb.checkMatchesAPI("after load")

	// The list still shows its own display order.
	shown := eval[[]string](tb, `[...document.querySelectorAll("#opt-list li.opt")].map((li) => li.dataset.label)`)
	if want := []string{"SGD", "Momentum SGD", "RMSprop", "Adagrad", "Adam"}; !slices.Equal(shown, want) {
		t.Errorf("list shows %v, want display order %v", shown, want)
	}

	// A slider step keeps the order.
	tb.do(chromedp.Focus(chromedp.ID("lr")), chromedp.KeyEvent(kbArrowRight))
	tb.poll(`new URLSearchParams(location.search).get("lr") !== "0.01"`)
	tb.waitIdle()
	if got, want := opts(), []string{"adagrad", "rmsprop", "sgd"}; !slices.Equal(got, want) {
		t.Errorf("after a slider step, opt in URL = %v, want %v", got, want)
	}
	tb.checkMatchesAPI("after a slider step")

	// Checking Adam adds it at the end; unchecking RMSprop keeps the rest in order.
	tb.clickInPanel(`#opt-list li[data-label='Adam'] input[type=checkbox]`)
	tb.poll(`new URLSearchParams(location.search).getAll("opt").join() === "adagrad,rmsprop,sgd,adam"`)
	tb.waitIdle()
	tb.checkMatchesAPI("after checking Adam")
	tb.clickInPanel(`#opt-list li[data-label='RMSprop'] input[type=checkbox]`)
	tb.poll(`new URLSearchParams(location.search).getAll("opt").join() === "adagrad,sgd,adam"`)
	tb.waitIdle()
	tb.checkMatchesAPI("after unchecking RMSprop")
	if got, want := eval[[]string](tb, `window.basin.run.labels`), []string{"Adagrad", "SGD", "Adam"}; !slices.Equal(got, want) {
		t.Errorf("run labels %v, want %v", got, want)
	}
	// Each row's outcome is its own run's.
	mismatch := eval[string](tb, `(() => {
		const b = window.basin, rows = b.opts.checked();
		for (let k = 0; k < rows.length; k++) {
			if (rows[k].label !== b.run.labels[k]) return "row " + rows[k].label + " is run " + b.run.labels[k];
			if (rows[k].el.li.style.getPropertyValue("--c") !== b.run.colours[k]) return rows[k].label + "'s swatch is not its path's colour";
		}
		return "";
	})()`)
	if mismatch != "" {
		t.Error(mismatch)
	}
	tb.shot("link-order")
	tb.checkClean()
}

// getJSON decodes the test server's JSON answer to GET path into v,
// failing the test on any other status.
func getJSON(t testing.TB, path string, v any) {
	t.Helper()
	res, err := http.Get(serverURL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(res.Body)
		t.Fatalf("GET %s: %s %s", path, res.Status, body)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}
