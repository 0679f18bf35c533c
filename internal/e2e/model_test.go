package e2e

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// waitTrained waits until the "Model on data" mode shows a finished training and the address bar holds its link.
func (tb *tab) waitTrained() {
	tb.t.Helper()
	tb.poll(`window.basin && window.basin.model && window.basin.model.active && window.basin.model.result !== null && !window.basin.model.busy && !window.basin.urlPending`)
	tb.afterFrame()
}

func TestModelModeSwitchTrainsTheDefaultExample(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&instant=1")
	tb.do(chromedp.Click(chromedp.ID("mode-model")))
	tb.waitTrained()
	q := tb.query()
	if q.Get("train") != "1" || q.Get("data") != "moons" || q.Get("model") != "mlp" {
		t.Errorf("the address bar after switching holds %v, want the training link of the default example", q)
	}
	if got := eval[string](tb, `document.getElementById("mode-model").getAttribute("aria-pressed")`); got != "true" {
		t.Errorf("Model on data button aria-pressed = %q", got)
	}
	// The caption says what the slice is, with the server's own numbers.
	caption := eval[string](tb, `document.getElementById("m-slice-caption").textContent`)
	ex := eval[[]float64](tb, `window.basin.model.result.start.slice.explained`)
	p := eval[int](tb, `window.basin.model.result.start.names.length`)
	want := "A 2D slice through " + itoa(p) + "-dimensional parameter space: the plane of the paths' two main directions, which hold " +
		pctWord(ex[0]) + "% and " + pctWord(ex[1]) + "% of their movement."
	if caption != want {
		t.Errorf("slice caption\n got %q\nwant %q", caption, want)
	}
	if p != 33 {
		t.Errorf("a 2-8-1 network has %d parameters, want 33", p)
	}
	// The data panel's prediction comes from the recorded parameters: its
	// accuracy on the data, computed in the browser at the last step, is the
	// server's recorded accuracy.
	acc := eval[[]float64](tb, `(async () => {
		const { Predictor } = await import("/js/model/forward.js");
		const m = window.basin.model, r = m.result, cols = r.start.columns.length;
		const rows = (await (await fetch("/api/v1/datasets")).json()).generators.find((g) => g.name === "moons").preview;
		return r.runs.map((run) => {
			const last = run.rows[run.rows.length - 1];
			const p = new Predictor({ kind: "mlp", hidden: [8], activation: "tanh" }, 2, last.slice(cols));
			const ok = rows.filter((x) => (p.probability(x) >= 0.5 ? 1 : 0) === x[2]).length;
			return [ok / rows.length, last[r.start.columns.indexOf("accuracy")]];
		}).flat();
	})()`)
	for i := 0; i < len(acc); i += 2 {
		if math.Abs(acc[i]-acc[i+1]) > 1e-12 {
			t.Errorf("run %d: the page's forward pass gives accuracy %v, the server recorded %v", i/2, acc[i], acc[i+1])
		}
	}
	// Every control has its accessible name.
	for id, name := range map[string]string{"m-dataset": "Dataset", "m-model": "Model", "m-hidden": "Hidden layers", "m-act": "Activation",
		"m-lr": "Learning rate", "m-bs": "Batch size", "m-slice": "Slice", "m-csv": "CSV data", "m-epochs": "Epochs",
		"m-n": "Data points", "m-noise": "Noise", "m-seed": "Seed"} {
		if got := eval[string](tb, `document.getElementById("`+id+`").labels[0].textContent`); got != name {
			t.Errorf("#%s is named %q, want %q", id, got, name)
		}
	}
	if n := eval[int](tb, `document.querySelectorAll("#m-outcomes li.m-outcome").length`); n != 3 {
		t.Errorf("%d outcome lines, want 3", n)
	}
	// The data panel shades the prediction of the run chosen.
	tb.do(chromedp.SetValue(chromedp.ID("m-focus"), "2"))
	eval[bool](tb, `(document.getElementById("m-focus").dispatchEvent(new Event("change")), true)`)
	tb.poll(`document.getElementById("m-data-caption").textContent.includes("prediction of Adam's model at step 140")`)
	tb.shot("default")
	// Back to the functions: their link returns.
	tb.do(chromedp.Click(chromedp.ID("mode-functions")))
	tb.poll(`new URLSearchParams(location.search).get("f") === "himmelblau" && !document.body.classList.contains("model-on")`)
	tb.checkClean()
}

// pctWord writes a share as the caption does: whole percent, one decimal below 10%.
func pctWord(share float64) string {
	v := share * 100
	if v < 10 {
		return strings.TrimSuffix(strings.TrimSuffix(formatFixed(math.Round(v*10)/10), ".0"), ".")
	}
	return itoa(int(math.Round(v)))
}

func formatFixed(v float64) string { return eval2string(v) }

func TestModelBatchSizeSliderAndKeyboard(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=line&model=linear&init=0&epochs=4&bs=10&lr=0.1&opt=sgd&grid=32")
	tb.waitTrained()
	caption := eval[string](tb, `document.getElementById("m-slice-caption").textContent`)
	if caption != "The exact loss over the model's two parameters, w and b." {
		t.Errorf("linear model's caption = %q", caption)
	}
	if got := eval[int](tb, `window.basin.model.result.start.steps`); got != 40 {
		t.Errorf("4 epochs of 100 rows in batches of 10: %d steps, want 40", got)
	}
	// The batch-size slider by keyboard: End is the full batch, one step per epoch.
	tb.do(chromedp.Focus(chromedp.ID("m-bs")), chromedp.KeyEvent(kb.End))
	tb.poll(`!new URLSearchParams(location.search).has("bs")`)
	tb.waitTrained()
	if got := eval[int](tb, `window.basin.model.result.start.steps`); got != 4 {
		t.Errorf("full batch for 4 epochs: %d steps, want 4", got)
	}
	if got := eval[string](tb, `document.querySelector("#m-bs").getAttribute("aria-valuetext")`); got != "full batch (100)" {
		t.Errorf("batch-size slider says %q", got)
	}
	// Left steps down in equal ratios.
	tb.do(chromedp.KeyEvent(kb.ArrowLeft))
	tb.poll(`new URLSearchParams(location.search).get("bs") === "91"`)
	tb.waitTrained()
	// Home is batch size 1: 400 steps.
	tb.do(chromedp.KeyEvent(kb.Home))
	tb.poll(`new URLSearchParams(location.search).get("bs") === "1"`)
	tb.waitTrained()
	if got := eval[int](tb, `window.basin.model.result.start.steps`); got != 400 {
		t.Errorf("batch size 1 for 4 epochs: %d steps, want 400", got)
	}
	// The timeline by keyboard: Home shows step 0, Space plays.
	tb.do(chromedp.Focus(chromedp.ID("m-timeline")), chromedp.KeyEvent(kb.Home))
	tb.poll(`window.basin.model.step === 0`)
	tb.do(chromedp.KeyEvent(" "))
	tb.poll(`window.basin.model.step > 0`)
	// The chart's key names only the lines drawn: no validation line yet.
	if key := eval[string](tb, `document.getElementById("m-chart-key").textContent`); strings.Contains(key, "validation") {
		t.Errorf("without a validation split the loss chart's key says %q", key)
	}
	// A validation split: the chart gets the validation loss, recorded for every row.
	tb.do(chromedp.SetValue(chromedp.ID("m-val"), "0.2"))
	eval[bool](tb, `(document.getElementById("m-val").dispatchEvent(new Event("change")), true)`)
	tb.poll(`new URLSearchParams(location.search).get("val") === "0.2"`)
	tb.waitTrained()
	if got := eval[bool](tb, `(() => { const r = window.basin.model.result, i = r.start.columns.indexOf("val_loss");
		return r.start.val_rows === 20 && r.runs[0].rows.every((row) => row[i] > 0); })()`); !got {
		t.Errorf("with a validation split of 0.2 the result has no validation loss on every row")
	}
	if key := eval[string](tb, `document.getElementById("m-chart-key").textContent`); !strings.Contains(key, "validation loss thin and dotted") {
		t.Errorf("with a validation split the loss chart's key says %q", key)
	}
	tb.do(chromedp.Click(chromedp.ID("m-play")))
	tb.poll(`!window.basin.model.playing`)
	tb.shot("linear")
	tb.checkClean()
}

func TestModelCSVErrorNamesRowAndColumn(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=moons&model=logistic&epochs=2&opt=sgd&grid=16")
	tb.waitTrained()
	tb.do(chromedp.SetValue(chromedp.ID("m-csv"), "x,y\n1,2\n3,abc\n"), chromedp.Click(chromedp.CSS(".m-given button")))
	tb.poll(`!document.getElementById("m-csv-error").hidden`)
	got := eval[string](tb, `document.getElementById("m-csv-error").textContent`)
	if want := `CSV data: row 3, column 2: "abc" is not a number`; got != want {
		t.Errorf("CSV error %q, want %q", got, want)
	}
	if eval[string](tb, `document.getElementById("m-csv").getAttribute("aria-invalid")`) != "true" {
		t.Errorf("the CSV field is not marked invalid")
	}
	// Good data trains, and goes in the link as points.
	tb.do(chromedp.SetValue(chromedp.ID("m-csv"), "x,y\n0,1\n1,3\n2,5.5\n3,7\n"), chromedp.Click(chromedp.CSS(".m-given button")))
	tb.poll(`new URLSearchParams(location.search).get("points") === "0,1/1,3/2,5.5/3,7" && new URLSearchParams(location.search).get("model") === "linear"`)
	tb.waitTrained()
	if eval[bool](tb, `!document.getElementById("m-csv-error").hidden`) {
		t.Errorf("the error stays after good data")
	}
	// Data a link cannot carry: the page says so and offers Download JSON.
	eval[bool](tb, `(() => {
		const rows = ["a,b"];
		for (let i = 0; i < 1200; i++) rows.push(i + "," + (2 * i + 1));
		document.getElementById("m-csv").value = rows.join("\n");
		return true;
	})()`)
	tb.do(chromedp.Click(chromedp.CSS(".m-given button")))
	tb.poll(`!document.querySelector(".m-link-note").hidden`)
	note := eval[string](tb, `document.querySelector(".m-link-note").textContent`)
	if !strings.Contains(note, "cannot carry this data (2400 numbers; at most 2000)") {
		t.Errorf("link note %q", note)
	}
	tb.waitTrained()
	tb.do(chromedp.Click(chromedp.ID("copy")))
	tb.poll(`document.getElementById("copy-status").textContent.includes("cannot carry this data")`)
	tb.shot("csv")
	tb.checkClean()
}

func TestModelLessonsTellTheirStory(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=line&model=linear&epochs=2&opt=sgd&grid=16")
	tb.waitTrained()
	tb.poll(`document.querySelectorAll(".m-examples li").length === 5`)
	// The batch-size lesson: batch size 1 on 100 rows, 20 epochs.
	tb.do(chromedp.Click(chromedp.CSS("#m-lesson-batch-size .m-lesson-open")))
	tb.poll(`new URLSearchParams(location.search).get("bs") === "1" && new URLSearchParams(location.search).get("data") === "line"`)
	tb.waitTrained()
	if got := eval[int](tb, `window.basin.model.result.start.steps`); got != 2000 {
		t.Errorf("batch-size lesson trains %d steps, want 2000", got)
	}
	// Its contrast: the full batch.
	tb.do(chromedp.Click(chromedp.CSS("#m-lesson-batch-size .m-lesson-then")))
	tb.poll(`!new URLSearchParams(location.search).has("bs")`)
	tb.waitTrained()
	if got := eval[string](tb, `document.getElementById("m-bs").getAttribute("aria-valuetext")`); got != "full batch (100)" {
		t.Errorf("after the contrast the batch-size slider says %q", got)
	}
	// The separable lesson says so under the outcomes, in Japanese too.
	tb.do(chromedp.Click(chromedp.CSS("#m-lesson-separable .m-lesson-open")))
	tb.poll(`new URLSearchParams(location.search).get("model") === "logistic" && new URLSearchParams(location.search).has("points")`)
	tb.waitTrained()
	tb.poll(`document.querySelector("#m-outcomes .m-note") !== null`)
	eval[bool](tb, `(document.getElementById("lang").value = "ja", document.getElementById("lang").dispatchEvent(new Event("change")), true)`)
	tb.poll(`document.querySelector("#m-outcomes .m-note") && document.querySelector("#m-outcomes .m-note").textContent.includes("分離可能")`)
	if got := eval[string](tb, `document.querySelector("#m-lesson-separable .m-lesson-open").textContent`); got != "分離可能なデータ：最小点がない" {
		t.Errorf("Japanese lesson title %q", got)
	}
	tb.shot("separable-ja")
	tb.checkClean()
}

func TestModelLongTrainingShowsProgressAndCancels(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=line&model=linear&epochs=2&opt=sgd&grid=16")
	tb.waitTrained()
	// 900 epochs of batch size 1 on 100 rows, three optimizers: 270,000 steps.
	eval[bool](tb, `(history.replaceState(null, "", "?"), true)`)
	tb.open("train=1&data=line&model=linear&epochs=900&bs=1&opt=sgd&opt=momentum&opt=adam&grid=16")
	tb.poll(`!document.getElementById("m-progress").hidden && /of 270000 steps/.test(document.getElementById("m-progress").textContent)`)
	tb.do(chromedp.Click(chromedp.ID("m-cancel")))
	tb.poll(`document.getElementById("m-progress").hidden && !window.basin.model.busy`)
	if got := eval[string](tb, `document.getElementById("m-train-error").textContent`); got != "Training cancelled; the last result stays." {
		t.Errorf("after Cancel the page says %q", got)
	}
	tb.checkClean()
}

func TestModelPhoneLayout(t *testing.T) {
	tb := newTab(t, 390, 844)
	tb.open("train=1&data=moons&model=logistic&epochs=5&opt=sgd&grid=24")
	tb.waitTrained()
	// One column: data, landscape, playback, sliders, chart, then the rest.
	tops := eval[[]float64](tb, `["m-data-canvas", "m-land-canvas", "m-play", "m-lr", "m-chart", "m-dataset"].map((id) => document.getElementById(id).getBoundingClientRect().top + scrollY)`)
	for i := 1; i < len(tops); i++ {
		if !(tops[i] > tops[i-1]) {
			t.Errorf("phone order broken at %d: tops %v", i, tops)
		}
	}
	if landBottom := eval[float64](tb, `document.getElementById("m-land-canvas").getBoundingClientRect().bottom + scrollY`); tops[4]-landBottom > 844 {
		t.Errorf("the chart starts %.0f px below the landscape, more than a screen", tops[4]-landBottom)
	}
	if w := eval[float64](tb, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the page is %.0f px wide on a 390 px phone", w)
	}
	tb.shot("phone")
	tb.checkClean()
}

func TestModelGeneratorSettingsDrawTheAnswersRows(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=moons(n=50,noise=0.2,seed=3)&std=true&val=0.2&model=logistic&epochs=3&opt=sgd&grid=16")
	tb.waitTrained()
	if got := eval[string](tb, `["m-n", "m-noise", "m-seed"].map((id) => document.getElementById(id).value).join(" ")`); got != "50 0.2 3" {
		t.Errorf("the generator's controls read %q, want the link's 50 0.2 3", got)
	}
	// The page draws the answer's rows, training and validation, on the
	// data's own axes: the standardized rows scaled back have the mean the
	// server removed, and they are not the default preview.
	check := `(async () => {
		const m = window.basin.model, st = m.result.start, rows = m.result.rows;
		const preview = (await (await fetch("/api/v1/datasets")).json()).generators.find((g) => g.name === "moons").preview;
		const mean = [0, 1].map((j) => rows.reduce((a, r) => a + r[j], 0) / rows.length);
		return [rows.length, st.rows, Math.max(...mean.map((v, j) => Math.abs(v - st.scaling.mean[j]))), JSON.stringify(rows[0]) === JSON.stringify(preview[0]) ? 1 : 0];
	})()`
	if got := eval[[]float64](tb, check); got[0] != 50 || got[1] != 40 || got[2] > 1e-9 || got[3] != 0 {
		t.Errorf("drawn rows %v, training rows %v, feature means off the scaling's by %g, same as the preview %v: want 50, 40, 0, 0", got[0], got[1], got[2], got[3])
	}
	// Data points changes the data: the link and the answer follow.
	eval[bool](tb, `(document.getElementById("m-n").value = "60", document.getElementById("m-n").dispatchEvent(new Event("change")), true)`)
	tb.poll(`new URLSearchParams(location.search).get("data") === "moons(n=60,noise=0.2,seed=3)"`)
	tb.waitTrained()
	if got := eval[[]float64](tb, check); got[0] != 60 || got[1] != 48 || got[2] > 1e-9 {
		t.Errorf("after Data points 60: drawn rows %v, training rows %v, means off by %g", got[0], got[1], got[2])
	}
	// A value out of the server's range shows its words under the field.
	eval[bool](tb, `(document.getElementById("m-n").value = "5", document.getElementById("m-n").dispatchEvent(new Event("change")), true)`)
	tb.poll(`!document.getElementById("m-n-error").hidden`)
	if got := eval[string](tb, `document.getElementById("m-n-error").textContent`); !strings.Contains(got, "dataset.n") || !strings.Contains(got, "[10, 2000]") {
		t.Errorf("error under Data points %q does not name the field and its range", got)
	}
	// Download JSON's request loads back through Load JSON.
	dir := t.TempDir()
	spec := `{"dataset":{"points":[[0,1],[1,3],[2,5.5],[3,7]]},"model":{"kind":"linear"},"init":{"seed":0},"epochs":3,"lr":0.05,"optimizers":[{"name":"adam"}],"grid":16}`
	path := filepath.Join(dir, "basin-training.json")
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	tb.do(chromedp.SetUploadFiles(chromedp.ID("m-load-json"), []string{path}))
	tb.poll(`new URLSearchParams(location.search).get("points") === "0,1/1,3/2,5.5/3,7" && new URLSearchParams(location.search).get("opt") === "adam"`)
	tb.waitTrained()
	got := eval[string](tb, `JSON.stringify(window.basin.model.result.start.optimizers.map((o) => o.name))`)
	if got != `["adam"]` {
		t.Errorf("the loaded request trained %s", got)
	}
	tb.checkClean()
}

// TestModelModePausesTheFunctionsPlayback: while the mode is on, the
// functions' hidden map does not keep playing its run; leaving the mode
// plays it on from where it was.
func TestModelModePausesTheFunctionsPlayback(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&speed=1")
	tb.poll(`window.basin.anim.playing && window.basin.anim.t > 0`)
	tb.do(chromedp.Click(chromedp.ID("mode-model")))
	tb.waitTrained()
	if eval[bool](tb, `window.basin.anim.playing`) {
		t.Errorf("the functions' playback still plays while the model mode is shown")
	}
	at := eval[float64](tb, `window.basin.anim.t`)
	tb.do(chromedp.Click(chromedp.ID("mode-functions")))
	tb.poll(`window.basin.anim.playing`)
	tb.poll(`window.basin.anim.t > ` + strconv.FormatFloat(at, 'g', -1, 64))
	tb.checkClean()
}
