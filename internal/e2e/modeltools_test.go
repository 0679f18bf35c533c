package e2e

import (
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
