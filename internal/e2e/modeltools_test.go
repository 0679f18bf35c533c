package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestModelLineFromStartToEnd: the page asks for each run's straight line
// from start to end, draws it under the loss chart with its accessible
// name, and its words are what the line's own values say; the line's ends
// are the runs' first and last losses exactly; it fits a phone.
func TestModelLineFromStartToEnd(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=line&model=linear&init=0&epochs=4&bs=10&lr=0.1&opt=sgd&opt=adam&grid=16")
	tb.waitTrained()
	tb.poll(`!document.getElementById("m-line").hidden`)
	if got := eval[string](tb, `document.querySelector("#m-line h2").textContent`); got != "Loss along the straight line from start to end" {
		t.Errorf("the line's title is %q", got)
	}
	if got := eval[string](tb, `document.getElementById("m-line-chart").getAttribute("aria-label")`); got == "" {
		t.Error("the line chart has no accessible name")
	}
	// Both ends are the runs' recorded losses, bit for bit; 81 points from -0.5 to 1.5.
	if ok := eval[bool](tb, `(() => { const r = window.basin.model.result, il = r.start.columns.indexOf("loss");
		return r.lines.length === 2 && r.lines.every((l, k) => l.t.length === 81 && l.t[0] === -0.5 && l.t[80] === 1.5 &&
			l.loss[l.t.indexOf(0)] === r.runs[k].rows[0][il] && l.loss[l.t.indexOf(1)] === r.runs[k].rows[r.runs[k].rows.length - 1][il]); })()`); !ok {
		t.Error("the lines' ends are not the runs' first and last losses")
	}
	// The words are the ones the shown lines' values give, and the linear model's note.
	words := eval[[]string](tb, `[...document.querySelectorAll("#m-line-words li")].map((li) => li.textContent)`)
	want := eval[[]string](tb, `(async () => { const { lineSentence } = await import("/js/model/linefig.js");
		const r = window.basin.model.result; return r.runs.map((run, k) => lineSentence(run.display, r.lines[k], "linear")); })()`)
	if len(words) != 3 || words[0] != want[0] || words[1] != want[1] {
		t.Fatalf("line words %q, want %q and the linear note", words, want)
	}
	if words[2] != "For linear regression the loss is quadratic in the parameters, so along any straight line it is a parabola." {
		t.Errorf("linear note %q", words[2])
	}
	// Full-batch SGD at lr 0.1 on this data heads straight down the bowl: no bump.
	tb.open("train=1&data=line&model=linear&init=0&epochs=30&lr=0.1&opt=sgd&grid=16")
	tb.waitTrained()
	tb.poll(`document.querySelector("#m-line-words li") && document.querySelector("#m-line-words li").textContent.startsWith("SGD: the loss falls all the way")`)
	tb.scrollTo("m-line")
	tb.shot("line-linear")
	// The opening example, a network: each run's words are its own line's.
	tb.open("train=1&data=moons&model=mlp&hidden=8&act=tanh&init=0&epochs=20&bs=32&lr=0.05&opt=sgd&opt=momentum&opt=adam&slice=pca&grid=48")
	tb.waitTrained()
	tb.poll(`document.querySelectorAll("#m-line-words li").length === 3`)
	words = eval[[]string](tb, `[...document.querySelectorAll("#m-line-words li")].map((li) => li.textContent)`)
	want = eval[[]string](tb, `(async () => { const { lineSentence } = await import("/js/model/linefig.js");
		const r = window.basin.model.result; return r.runs.map((run, k) => lineSentence(run.display, r.lines[k], "mlp")); })()`)
	for i := range want {
		if words[i] != want[i] {
			t.Errorf("network run %d: line words %q, want %q", i, words[i], want[i])
		}
	}
	t.Logf("the opening example's lines: %q", words)
	tb.scrollTo("m-line")
	tb.shot("line-network")
	tb.checkClean()
}

// TestModelLinePhone: the line fits a 390-pixel screen, and a diverged run
// says why it has no line.
func TestModelLinePhone(t *testing.T) {
	tb := newTab(t, 390, 844)
	tb.open("train=1&data=line&model=linear&init=0&epochs=20&lr=3&opt=sgd&opt=adam&grid=16")
	tb.waitTrained()
	tb.poll(`!document.getElementById("m-line").hidden`)
	if got := eval[string](tb, `window.basin.model.result.outcomes[0].status`); got != "diverged" {
		t.Fatalf("SGD at lr 3 is %s, want diverged", got)
	}
	if got := eval[string](tb, `document.querySelector("#m-line-words li").textContent`); got != "SGD diverged: its straight line would end where training was stopped, so it has none." {
		t.Errorf("diverged run's line words %q", got)
	}
	if w := eval[float64](tb, `document.getElementById("m-line").getBoundingClientRect().right`); w > 390 {
		t.Errorf("the line figure reaches %v px on a 390 px screen", w)
	}
	if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the page is %d px wide on a 390 px screen", w)
	}
	tb.scrollTo("m-line")
	tb.shot("line-phone")
	tb.checkClean()
}

// scrollTo brings the element with id into view, for a screenshot.
func (tb *tab) scrollTo(id string) {
	tb.t.Helper()
	eval[bool](tb, `(document.getElementById("`+id+`").scrollIntoView({block: "center"}), true)`)
	tb.afterFrame()
}

// setField types v into the number field id, as a person replaces its value.
func (tb *tab) setField(id, v string) {
	tb.t.Helper()
	eval[bool](tb, `(() => { const f = document.getElementById("`+id+`"); f.value = "`+v+`"; f.dispatchEvent(new Event("input")); return true; })()`)
}

// TestModelLearningRateSweep: the sweep runs the training at each rate for
// every optimizer; each point is the training the server answers at that
// rate; a diverged run is marked; the keyboard and a click choose a rate;
// a bad count is named under its field; a sweep can be cancelled.
func TestModelLearningRateSweep(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=line&model=linear&init=0&epochs=10&lr=0.1&opt=sgd&opt=adam&grid=16")
	tb.waitTrained()
	for id, name := range map[string]string{"m-sweep-from": "Smallest learning rate", "m-sweep-to": "Largest learning rate", "m-sweep-count": "Learning rates"} {
		if got := eval[string](tb, `document.getElementById("`+id+`").labels[0].textContent`); got != name {
			t.Errorf("#%s is named %q, want %q", id, got, name)
		}
	}
	tb.setField("m-sweep-from", "0.01")
	tb.setField("m-sweep-to", "10")
	tb.setField("m-sweep-count", "4")
	tb.do(chromedp.Click(chromedp.ID("m-sweep-run")))
	tb.poll(`document.querySelectorAll("#m-sweep-words li").length === 2 && document.getElementById("m-sweep-progress").hidden`)
	words := eval[[]string](tb, `[...document.querySelectorAll("#m-sweep-words li")].map((li) => li.textContent)`)
	if !strings.HasPrefix(words[0], "SGD: the lowest final loss") || !strings.Contains(words[0], "It diverges from learning rate 10 on") {
		t.Errorf("SGD's sweep words %q", words[0])
	}
	// Every point is POST /api/v1/train at that rate, to the bit.
	mismatch := eval[string](tb, `(async () => {
		const lrs = [0.01, 0.1, 1, 10], opts = ["sgd", "adam"], out = [];
		const spec = { dataset: { name: "line" }, model: { kind: "linear" }, init: { seed: 0 }, epochs: 10 };
		const shown = await (await fetch("/api/v1/train/sweeps", { method: "POST", body: JSON.stringify({ ...spec, optimizers: opts.map((name) => ({ name })), lr_min: 0.01, lr_max: 10, count: 4 }) })).json();
		for (const [k, name] of opts.entries()) for (const [i, lr] of lrs.entries()) {
			const a = await (await fetch("/api/v1/train", { method: "POST", body: JSON.stringify({ ...spec, optimizers: [{ name, lr }] }) })).json();
			const r = a.runs[0], p = shown.sweeps[k].results[i];
			if (p.lr !== lr || p.final_loss !== r.loss[r.loss.length - 1] || p.status !== r.outcome.status) out.push(name + "@" + lr);
		}
		return out.join(",");
	})()`)
	if mismatch != "" {
		t.Errorf("sweep points differ from trainings: %s", mismatch)
	}
	// The keyboard: Home picks the smallest rate, Enter sets it.
	tb.do(chromedp.Focus(chromedp.ID("m-sweep-chart")), chromedp.KeyEvent(kb.End))
	if got := eval[string](tb, `document.getElementById("m-sweep-readout").textContent`); !strings.Contains(got, "At learning rate 10:") || !strings.Contains(got, "SGD diverges at step") {
		t.Errorf("readout at the largest rate %q", got)
	}
	tb.do(chromedp.KeyEvent(kb.Home), chromedp.KeyEvent(kb.Enter))
	tb.poll(`new URLSearchParams(location.search).get("lr") === "0.01"`)
	tb.waitTrained()
	// A click on the second rate sets it.
	x := eval[float64](tb, `(() => { const r = document.getElementById("m-sweep-chart").getBoundingClientRect(); return r.left + 48 + (r.width - 60) / 3; })()`)
	y := eval[float64](tb, `(() => { const r = document.getElementById("m-sweep-chart").getBoundingClientRect(); return r.top + r.height / 2; })()`)
	tb.do(chromedp.MouseClickXY(x, y))
	tb.poll(`new URLSearchParams(location.search).get("lr") === "0.1"`)
	tb.waitTrained()
	tb.scrollTo("m-sweep")
	tb.shot("sweep")
	// Other settings make the sweep stale.
	tb.do(chromedp.SetValue(chromedp.ID("m-epochs"), "12"))
	eval[bool](tb, `(document.getElementById("m-epochs").dispatchEvent(new Event("change")), true)`)
	tb.poll(`!document.getElementById("m-sweep-stale").hidden`)
	// A count out of range is named under its field.
	tb.setField("m-sweep-count", "65")
	tb.do(chromedp.Click(chromedp.ID("m-sweep-run")))
	tb.poll(`document.getElementById("m-sweep-count-error").textContent === "count must be an integer in [2, 64], got 65"`)
	if got := eval[string](tb, `document.getElementById("m-sweep-count").getAttribute("aria-invalid")`); got != "true" {
		t.Errorf("count field aria-invalid %q", got)
	}
	// A long sweep shows progress and can be cancelled.
	tb.open("train=1&data=moons&model=mlp&hidden=8&act=tanh&init=0&epochs=60&bs=8&lr=0.05&opt=sgd&opt=momentum&opt=adam&slice=pca&grid=16")
	tb.waitTrained()
	tb.setField("m-sweep-count", "64")
	tb.do(chromedp.Click(chromedp.ID("m-sweep-run")))
	tb.poll(`!document.getElementById("m-sweep-progress").hidden`)
	tb.do(chromedp.Click(chromedp.ID("m-sweep-cancel")))
	tb.poll(`document.getElementById("m-sweep-error").textContent === "Sweep cancelled; the points so far stay." && document.getElementById("m-sweep-progress").hidden`)
	tb.checkClean()
}

// TestModelSweepPhone: the sweep fits a 390-pixel screen.
func TestModelSweepPhone(t *testing.T) {
	tb := newTab(t, 390, 844)
	tb.open("train=1&data=line&model=linear&init=0&epochs=10&lr=0.1&opt=sgd&opt=adam&grid=16")
	tb.waitTrained()
	tb.setField("m-sweep-count", "8")
	tb.do(chromedp.Click(chromedp.ID("m-sweep-run")))
	tb.poll(`document.querySelectorAll("#m-sweep-words li").length === 2`)
	if w := eval[float64](tb, `document.getElementById("m-sweep").getBoundingClientRect().right`); w > 390 {
		t.Errorf("the sweep reaches %v px on a 390 px screen", w)
	}
	if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the page is %d px wide on a 390 px screen", w)
	}
	tb.scrollTo("m-sweep")
	tb.shot("sweep-phone")
	tb.checkClean()
}

// TestModelBasinMapOverStarts: for linear regression the map's cells are
// the trainings the server answers from those starts; it is drawn over
// the landscape with a legend; the keyboard runs it; a too-large learning
// rate diverges from every start; a network says it has no such map.
func TestModelBasinMapOverStarts(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=line&model=linear&init=0&epochs=30&lr=0.1&opt=sgd&opt=adam&grid=24")
	tb.waitTrained()
	for id, name := range map[string]string{"m-startmap-opt": "Optimizer", "m-startmap-grid": "Grid", "m-startmap-show": "Show on the landscape"} {
		if got := eval[string](tb, `document.getElementById("`+id+`").labels[0].textContent`); got != name {
			t.Errorf("#%s is named %q, want %q", id, got, name)
		}
	}
	tb.do(chromedp.SetValue(chromedp.ID("m-startmap-grid"), "8"), chromedp.SetValue(chromedp.ID("m-startmap-opt"), "1"))
	tb.do(chromedp.Focus(chromedp.ID("m-startmap-run")), chromedp.KeyEvent(kb.Enter))
	tb.poll(`document.getElementById("m-startmap-words").textContent !== ""`)
	words := eval[string](tb, `document.getElementById("m-startmap-words").textContent`)
	if !strings.HasPrefix(words, "Adam at learning rate 0.1, from 64 starts: ") {
		t.Errorf("map words %q", words)
	}
	if n := eval[int](tb, `[...document.querySelectorAll("#m-startmap-legend li")].reduce((a, li) => a + Number(li.textContent.split(": ").pop()), 0)`); n != 64 {
		t.Errorf("the legend counts %d cells, want 64", n)
	}
	// Cells are POST /api/v1/train from their starts, to the bit.
	mismatch := eval[string](tb, `(async () => {
		const m = window.basin.model.tools.starts.map, out = [];
		const [x0, x1, y0, y1] = m.box, n = m.n;
		if (String(m.box) !== String(window.basin.model.result.land.box)) out.push("box");
		for (const k of [0, 27, 63]) {
			const i = k % n, j = Math.floor(k / n);
			const w = x0 + (i * (x1 - x0)) / (n - 1), b = y0 + (j * (y1 - y0)) / (n - 1);
			const a = await (await fetch("/api/v1/train", { method: "POST", body: JSON.stringify({ dataset: { name: "line" }, model: { kind: "linear" },
				init: { params: [w, b] }, epochs: 30, lr: 0.1, optimizers: [{ name: "adam" }] }) })).json();
			const r = a.runs[0], last = r.params[r.params.length - 1], c = m.cells[k];
			if (m.statuses[c[1]] !== r.outcome.status || c[2] !== r.outcome.step || c[3] !== last[0] || c[4] !== last[1] || c[5] !== r.loss[r.loss.length - 1]) out.push(String(k));
		}
		return out.join(",");
	})()`)
	if mismatch != "" {
		t.Errorf("map cells differ from trainings: %s", mismatch)
	}
	// The overlay is painted inside the landscape's plot.
	if painted := eval[bool](tb, `(() => { const c = document.getElementById("m-startmap-overlay");
		const d = c.getContext("2d").getImageData(c.width / 2, c.height / 2, 1, 1).data; return d[3] > 0; })()`); !painted {
		t.Error("the basin map is not drawn over the landscape")
	}
	tb.scrollTo("m-startmap")
	tb.shot("startmap-legend")
	eval[bool](tb, `(window.scrollTo(0, 0), true)`)
	tb.afterFrame()
	tb.shot("startmap-overlay")
	// Full-batch SGD at lr 0.5 reaches the minimum from every start.
	tb.open("train=1&data=line&model=linear&init=0&epochs=30&lr=0.5&opt=sgd&grid=24")
	tb.waitTrained()
	tb.do(chromedp.SetValue(chromedp.ID("m-startmap-grid"), "16"), chromedp.Click(chromedp.ID("m-startmap-run")))
	tb.poll(`document.getElementById("m-startmap-words").textContent !== ""`)
	if got := eval[string](tb, `document.getElementById("m-startmap-words").textContent`); !strings.HasPrefix(got, "SGD at learning rate 0.5, from 256 starts: 256 reach the minimum (") {
		t.Errorf("lr 0.5 map words %q", got)
	}
	// Without a pointer the words name the training's own start; over the
	// landscape, the start under the pointer.
	own := eval[[]float64](tb, `window.basin.model.result.start.init`)
	if got := tb.text("#m-startmap-here"); !strings.HasPrefix(got, "From (") || !strings.Contains(got, "reaches the global minimum (") || !strings.Contains(got, "(at rest from step ") {
		t.Errorf("words for the training's own start %v: %q", own, got)
	}
	tb.do(chromedp.Click(chromedp.ID("m-play")))
	eval[bool](tb, `(window.scrollTo(0, 0), true)`)
	tb.afterFrame()
	at := eval[[]float64](tb, `(() => { const r = document.getElementById("m-land-canvas").getBoundingClientRect(); return [r.left + r.width * 0.3, r.top + r.height * 0.7]; })()`)
	tb.do(chromedp.MouseEvent(chromedp.MouseMoved, at[0], at[1]))
	want := eval[string](tb, `(() => { const m = window.basin.model.tools.starts.map, f = (v) => v.toFixed(2).replace("-", "\u2212"), fr = window.basin.model.tools.starts.frame(), c = document.getElementById("m-land-canvas").getBoundingClientRect();
		const a = fr.sx.invert(`+fmt.Sprint(at[0])+` - c.left), b = fr.sy.invert(`+fmt.Sprint(at[1])+` - c.top);
		const [x0, x1, y0, y1] = m.box, n = m.n, i = Math.round((a - x0) / (x1 - x0) * (n - 1)), j = Math.round((b - y0) / (y1 - y0) * (n - 1));
		return "From (" + f(x0 + (x1 - x0) * i / (n - 1)) + ", " + f(y0 + (y1 - y0) * j / (n - 1)) + "): reaches the global minimum (" +
			f(m.critical[0].x) + ", " + f(m.critical[0].y) + ") (at rest from step " + m.cells[j * n + i][2] + ").";
	})()`)
	if got := tb.text("#m-startmap-here"); got != want {
		t.Errorf("under the pointer the words are %q, want %q", got, want)
	}
	tb.shot("startmap-converged")
	// A learning rate beyond 2/λmax: every start diverges.
	tb.open("train=1&data=line&model=linear&init=0&epochs=30&lr=1.5&opt=sgd&grid=24")
	tb.waitTrained()
	tb.do(chromedp.SetValue(chromedp.ID("m-startmap-grid"), "8"), chromedp.Click(chromedp.ID("m-startmap-run")))
	tb.poll(`document.getElementById("m-startmap-words").textContent !== ""`)
	if got := eval[string](tb, `document.getElementById("m-startmap-words").textContent`); got != "SGD at learning rate 1.5, from 64 starts: 64 diverge." {
		t.Errorf("lr 1.5 map words %q", got)
	}
	// Another setting hides the map as stale.
	tb.do(chromedp.SetValue(chromedp.ID("m-epochs"), "12"))
	eval[bool](tb, `(document.getElementById("m-epochs").dispatchEvent(new Event("change")), true)`)
	tb.poll(`!document.getElementById("m-startmap-stale").hidden`)
	// A network has no such map, and says why.
	tb.open("train=1&data=moons&model=mlp&hidden=4&act=tanh&init=0&epochs=2&lr=0.05&opt=sgd&slice=pca&grid=16")
	tb.waitTrained()
	if got := eval[string](tb, `document.getElementById("m-startmap-about").textContent`); !strings.HasPrefix(got, "A basin map over starting parameters needs a two-parameter model") {
		t.Errorf("network note %q", got)
	}
	if !eval[bool](tb, `document.getElementById("m-startmap-run").closest("[hidden]") !== null`) {
		t.Error("the map's controls show for a network")
	}
	tb.checkClean()
}

// TestModelBasinMapPhone: the map and its legend fit a 390-pixel screen.
func TestModelBasinMapPhone(t *testing.T) {
	tb := newTab(t, 390, 844)
	tb.open("train=1&data=moons&model=logistic&init=0&epochs=5&bs=20&lr=0.5&opt=sgd&grid=24")
	tb.waitTrained()
	tb.do(chromedp.SetValue(chromedp.ID("m-startmap-grid"), "16"), chromedp.Click(chromedp.ID("m-startmap-run")))
	tb.poll(`document.getElementById("m-startmap-words").textContent !== ""`)
	if w := eval[float64](tb, `document.getElementById("m-startmap").getBoundingClientRect().right`); w > 390 {
		t.Errorf("the basin map section reaches %v px on a 390 px screen", w)
	}
	if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the page is %d px wide on a 390 px screen", w)
	}
	// Minibatch runs are noisy: none is said to be at rest.
	if got := tb.text("#m-startmap-here"); !strings.HasPrefix(got, "From (") || strings.Contains(got, "rest") {
		t.Errorf("words for a minibatch start: %q", got)
	}
	tb.scrollTo("m-land-canvas")
	tb.shot("startmap-phone")
	tb.checkClean()
}
