package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// The analysis tools: learning-rate sweep, basin-of-attraction
// overlay, schedules and compare mode.

// TestSweepChartSetsLR opens the sweep, waits for all 64 learning rates,
// checks the chart is drawn with the three regions the server reported,
// then clicks a converging point and checks the URL's lr is that point's,
// rounded to the digits the sweep's resolution tells apart; a coarser
// resolution sweeps again with fewer rates.
func TestSweepChartSetsLR(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&instant=1&opt=sgd")
	tb.clickInPanel(`#sweep-panel > summary`)
	tb.poll(`window.basin.sweep.done && window.basin.sweep.received === 64`)
	tb.poll(`new URLSearchParams(location.search).get("panel") === "sweep"`)
	tb.afterFrame()
	regions := eval[[]string](tb, `[...new Set(window.basin.sweep.cls.regions)]`)
	if fmt.Sprint(regions) != "[too_small good too_large]" {
		t.Errorf("regions in lr order %v, want too_small, good, too_large", regions)
	}
	summary := eval[string](tb, `document.getElementById("sweep-summary").textContent`)
	if summary == "" {
		t.Error("no summary text under the chart")
	}
	painted := eval[int](tb, `(() => {
		const c = document.getElementById("sweep-chart"), d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let n = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
		return n;
	})()`)
	if painted < 5000 {
		t.Errorf("sweep chart painted %d pixels", painted)
	}
	tb.shot("sweep")
	// Click the converging point with the fewest steps.
	tb.do(chromedp.ScrollIntoView(chromedp.ID("sweep-chart")))
	pick := eval[[]float64](tb, `(() => {
		const st = window.basin.sweep;
		let best = -1;
		st.results.forEach((r, i) => { if (r.status === "converged" && (best < 0 || r.steps_to_converge < st.results[best].steps_to_converge)) best = i; });
		const c = document.getElementById("sweep-chart").getBoundingClientRect();
		return [c.left + st.X.map(st.results[best].lr), c.top + c.height / 2, st.results[best].lr, st.results[best].steps_to_converge];
	})()`)
	tb.do(chromedp.MouseClickXY(pick[0], pick[1]))
	rounded, _ := strconv.ParseFloat(strconv.FormatFloat(pick[2], 'g', 3, 64), 64) // 64 rates over 6 decades: 3 digits tell them apart
	want := jsFloat(rounded)
	tb.poll(`new URLSearchParams(location.search).get("lr") === ` + jsString(want))
	tb.waitIdle()
	got := eval[map[string]any](tb, `window.basin.run.tracks[0].outcome`)
	if step, _ := got["step"].(float64); got["status"] != "converged" || step < 0.9*pick[3] || step > 1.1*pick[3] {
		t.Errorf("run at the clicked lr %s (swept at %v): outcome %v, want converged near step %v as in the sweep", want, pick[2], got, pick[3])
	}
	// Keyboard: focus the chart, move left, Enter sets a smaller lr.
	tb.do(chromedp.Focus(chromedp.ID("sweep-chart")))
	tb.do(chromedp.KeyEvent("\u0302")) // ArrowLeft
	tb.do(chromedp.KeyEvent("\r"))
	tb.poll(`Number(new URLSearchParams(location.search).get("lr")) < ` + jsFloat(pick[2]))
	if s := eval[string](tb, `document.getElementById("sweep-point").textContent`); !strings.HasPrefix(s, "lr ") {
		t.Errorf("the chosen point is not described under the chart: %q", s)
	}
	tb.shot("sweep-picked")
	// A person chooses the resolution: 16 rates sweep again.
	eval[bool](tb, `(() => { const s = document.getElementById("sweep-count"); s.value = "16"; s.dispatchEvent(new Event("change")); return true; })()`)
	tb.poll(`window.basin.sweep.done && window.basin.sweep.received === 16 && window.basin.sweep.results.length === 16`)
	tb.checkClean()
}

// jsFloat writes v as JavaScript's String(v) does (plain from 1e-7 to
// 1e21, else Go's shortest exponent form, which matches for these values).
func jsFloat(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1e-7 && f < 1e21 {
		s = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return s
}

// TestBasinOverlay turns the basin overlay on for Adam on Himmelblau, waits
// for the whole 64 x 64 map, and checks the legend has one colour per
// minimum of the function (four global ones here), all distinct, that the
// overlay painted, and that every cell is counted in the legend.
func TestBasinOverlay(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&instant=1&opt=adam(lr=0.05)")
	tb.clickInPanel("#basin-toggle")
	tb.poll(`window.basin.basins.cur && window.basin.basins.cur.finished`)
	tb.afterFrame() // the overlay is painted in the frame after the last row
	minima := eval[int](tb, `window.basin.fi.minima.length`)
	colours := eval[[]string](tb, `[...document.querySelectorAll("#basin-legend li.global, #basin-legend li.local")].map((li) => li.dataset.colour)`)
	if len(colours) != minima {
		t.Errorf("legend has %d minimum entries, the function has %d minima", len(colours), minima)
	}
	seen := map[string]bool{}
	for _, c := range colours {
		if seen[c] {
			t.Errorf("two minima share the colour %s", c)
		}
		seen[c] = true
	}
	if g := eval[int](tb, `document.querySelectorAll("#basin-legend li.global").length`); g != 4 {
		t.Errorf("%d global minima in the legend, Himmelblau has 4", g)
	}
	cells := eval[int](tb, `[...window.basin.basins.cur.counts.values()].reduce((a, b) => a + b, 0)`)
	if cells != 64*64 {
		t.Errorf("%d cells counted, want %d", cells, 64*64)
	}
	if s := eval[string](tb, `document.getElementById("basin-here").textContent`); !strings.HasPrefix(s, "From (") {
		t.Errorf("no fate of the start point under the legend: %q", s)
	}
	if p := eval[float64](tb, `document.getElementById("basin-progress").value`); p != 64 {
		t.Errorf("progress bar at %v of 64 rows", p)
	}
	// The overlay's pixel at the global minimum (3, 2) has that basin's colour.
	x, y := tb.mapPoint(3, 2)
	px := eval[[]int](tb, fmt.Sprintf(`(() => {
		const c = document.getElementById("basin-layer"), r = c.getBoundingClientRect(), k = c.width / r.width;
		return [...c.getContext("2d").getImageData(Math.round((%g - r.left) * k), Math.round((%g - r.top) * k), 1, 1).data];
	})()`, x, y))
	if len(px) != 4 || px[3] == 0 {
		t.Errorf("overlay pixel at (3, 2) = %v, want painted", px)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	tb.shot("basins")
	// A new optimizer setting restarts the map (the server cancels the old one).
	first := eval[string](tb, `window.basin.basins.cur.id`)
	tb.do(chromedp.SetValue(chromedp.ID("basin-grid"), "128"))
	tb.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("basin-grid").dispatchEvent(new Event("change"))`))
	tb.poll(`window.basin.basins.cur && window.basin.basins.cur.id !== ` + jsString(first) + ` && window.basin.basins.cur.n === 128 && window.basin.basins.cur.finished`)
	tb.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	tb.shot("basins-128")
	// Zooming maps the visible box.
	zx, zy := tb.mapPoint(3, 2)
	for range 3 {
		tb.do(chromedp.MouseEvent(chromedp.MouseWheel, zx, zy, func(p *input.DispatchMouseEventParams) {
			p.DeltaY = -200
			p.DeltaX = 0.001 // cdproto omits a zero deltaX, which Chromium requires
		}))
	}
	tb.poll(`(() => { const b = window.basin.basins.cur, v = window.basin.S.view; return b && v && b.finished && b.box.join() === v.join(); })()`)
	tb.shot("basins-zoomed")
	tb.checkClean()
}

// TestScheduleInURL chooses StepLR in the settings and checks that the
// link carries it, that the server's run used it, and that opening the
// link reproduces the schedule and the same run.
func TestScheduleInURL(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&lr=0.001&instant=1&opt=sgd") // still moving at step 130
	// The schedules come with the optimizer catalog: one request for both.
	if n := eval[int](tb, `performance.getEntriesByType("resource").filter((e) => new URL(e.name).pathname === "/api/v1/optimizers").length`); n != 1 {
		t.Errorf("the page asked for /api/v1/optimizers %d times, want once", n)
	}
	if n := eval[int](tb, `document.querySelectorAll("#sched option").length`); n < 2 {
		t.Errorf("schedule list has %d entries", n)
	}
	tb.do(chromedp.SetValue(chromedp.ID("sched"), "steplr"))
	tb.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("sched").dispatchEvent(new Event("change"))`))
	tb.poll(`(new URLSearchParams(location.search).get("sched") || "").startsWith("steplr(step_size=125")`)
	tb.waitIdle()
	tb.do(chromedp.SendKeys(chromedp.ID("sched-gamma"), "\b\b\b0.2\r"))
	tb.poll(`new URLSearchParams(location.search).get("sched") === "steplr(step_size=125,gamma=0.2)"`)
	tb.waitIdle()
	// Points 60 (before the first decay at step 125) and 130 (after it).
	probe := `(() => { const tr = window.basin.run.tracks[0]; return [tr.x(60), tr.y(60), tr.x(130), tr.y(130), tr.n]; })()`
	end := eval[[]float64](tb, probe)
	tb.shot("steplr")
	link := eval[string](tb, `location.search`)
	tb.open(link)
	if got := eval[string](tb, `document.getElementById("sched").value`); got != "steplr" {
		t.Errorf("reopened link shows schedule %q", got)
	}
	if got := eval[string](tb, `document.getElementById("sched-step_size").value`); got != "125" {
		t.Errorf("reopened link shows step_size %q", got)
	}
	again := eval[[]float64](tb, probe)
	if fmt.Sprint(again) != fmt.Sprint(end) {
		t.Errorf("reopened link ends at %v, the original run at %v", again, end)
	}
	// The server's run used the schedule: it differs from the constant one.
	// The server's run used the schedule: the same as the constant run up
	// to the first decay, different after it.
	constant := eval[[]float64](tb, `fetch("/api/v1/runs?v=1&f=himmelblau&lr=0.001&opt=sgd").then((r) => r.json()).then((b) => { const p = b.runs[0].points; return [p[60][0], p[60][1], p[130][0], p[130][1]]; })`)
	if constant[0] != end[0] || constant[1] != end[1] {
		t.Errorf("point 60 of the StepLR run %v differs from the constant run's %v before any decay", end[:2], constant[:2])
	}
	if constant[2] == end[2] && constant[3] == end[3] {
		t.Errorf("point 130 of the StepLR run equals the constant run's (%v): the schedule was not used", end[2:4])
	}
	tb.checkClean()
}

// TestCompareOneClick: with the default optimizers, one click on Compare
// runs Momentum SGD with momentum 0.5, 0.9 and 0.99 side by side, each in
// its own colour and named by its value; Clear takes the copies away.
func TestCompareOneClick(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=double-well&instant=1")
	tb.clickInPanel("#compare-go")
	tb.poll(`new URLSearchParams(location.search).getAll("opt").filter((o) => o.startsWith("momentum(")).length === 3`)
	tb.waitIdle()
	opts := tb.query()["opt"]
	want := []string{"momentum(momentum=0.5)", "momentum(momentum=0.9)", "momentum(momentum=0.99)"}
	got := []string{}
	for _, o := range opts {
		if len(o) > 9 && o[:9] == "momentum(" {
			got = append(got, o)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("compared opts %v, want %v", got, want)
	}
	labels := eval[[]string](tb, `window.basin.run.labels`)
	colours := eval[[]string](tb, `window.basin.run.colours`)
	seen := map[string]bool{}
	for _, c := range colours {
		if seen[c] {
			t.Errorf("colour %s used twice in %v", c, colours)
		}
		seen[c] = true
	}
	if fmt.Sprint(labels) == "" || !containsAll(labels, "Momentum SGD (momentum 0.5)", "Momentum SGD (momentum 0.9)", "Momentum SGD (momentum 0.99)") {
		t.Errorf("legend labels %v", labels)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	tb.shot("compare")
	// The link brings the comparison back, named by its values.
	tb.open(eval[string](tb, `location.search`))
	if again := eval[[]string](tb, `window.basin.run.labels`); !containsAll(again, "Momentum SGD (momentum 0.5)", "Momentum SGD (momentum 0.9)", "Momentum SGD (momentum 0.99)") {
		t.Errorf("labels after reopening the link: %v", again)
	}
	tb.clickInPanel("#compare-clear")
	tb.poll(`new URLSearchParams(location.search).getAll("opt").filter((o) => o.startsWith("momentum")).length === 1`)
	tb.checkClean()
}

func containsAll(have []string, want ...string) bool {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

// TestAnalysisPhoneAndJapanese: on a 390 px phone, in Japanese, the tools
// fit the width and the sweep and basin map still work.
func TestAnalysisPhoneAndJapanese(t *testing.T) {
	tb := newTab(t, 390, 844)
	tb.open("v=1&f=himmelblau&instant=1&lang=ja&opt=adam(lr=0.05)&panel=sweep")
	tb.clickInPanel("#basin-toggle")
	tb.poll(`window.basin.sweep.done && window.basin.basins.cur && window.basin.basins.cur.finished`)
	wide := eval[[]string](tb, `[...document.querySelectorAll("#analysis *, #settings *")].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map((e) => e.id || e.className || e.tagName)`)
	if len(wide) > 0 {
		t.Errorf("wider than the phone: %v", wide)
	}
	if s := eval[string](tb, `document.getElementById("sweep-summary").textContent`); !strings.Contains(s, "学習率") {
		t.Errorf("sweep summary in Japanese = %q", s)
	}
	tb.do(chromedp.ScrollIntoView(chromedp.ID("basin-legend")))
	tb.shot("phone-ja-basins")
	tb.do(chromedp.ScrollIntoView(chromedp.ID("sweep-chart")))
	tb.shot("phone-ja-sweep")
	tb.checkClean()
}

// TestCompareFromRow: an optimizer row's "Compare Adam" button opens compare
// mode prefilled for Adam (its beta1, the suggested values) with the focus
// in the values, so Enter runs the comparison.
func TestCompareFromRow(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&instant=1&opt=sgd&opt=adam")
	if n := eval[int](tb, `document.querySelectorAll("#opt-list button[aria-label^='Compare ']").length`); n != 5 {
		t.Errorf("%d optimizer rows have a Compare button, want each of the 5", n)
	}
	tb.clickInPanel(`#opt-list button[aria-label="Compare Adam"]`)
	tb.poll(`document.activeElement === document.getElementById("compare-values")`)
	got := eval[[]string](tb, `(() => { const s = document.getElementById("compare-opt"); return [s.options[s.selectedIndex].text, document.getElementById("compare-param").value, document.getElementById("compare-values").value]; })()`)
	if want := []string{"Adam", "betas.0", "0.5, 0.9, 0.99"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("compare prefilled with %v, want %v", got, want)
	}
	tb.do(chromedp.KeyEvent("\r"))
	tb.poll(`new URLSearchParams(location.search).getAll("opt").join(" ") === "sgd adam(betas=0.5/0.999) adam(betas=0.9/0.999) adam(betas=0.99/0.999)"`)
	tb.waitIdle()
	if labels := eval[[]string](tb, `window.basin.run.labels`); !containsAll(labels, "SGD", "Adam (betas[0] 0.5)", "Adam (betas[0] 0.9)", "Adam (betas[0] 0.99)") {
		t.Errorf("labels after comparing from the row: %v", labels)
	}
	tb.checkClean()
}
