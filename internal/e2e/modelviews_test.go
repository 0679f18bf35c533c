package e2e

import (
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// showStep puts step k on the model mode's timeline, as dragging it does.
func (tb *tab) showStep(k int) {
	tb.t.Helper()
	eval[bool](tb, `(() => { const t = document.getElementById("m-timeline"); t.value = "`+itoa(k)+`"; t.dispatchEvent(new Event("input")); return true; })()`)
}

// waitInside waits until the inside panel shows step k of run 0's current result.
func (tb *tab) waitInside(k int) {
	tb.t.Helper()
	tb.poll(`(() => { const s = window.basin.model.views.inside.st.snap; return s && s.body.step === ` + itoa(k) + ` && s.id === window.basin.model.views.inside.st.snap.id && !document.getElementById("m-inside-content").hidden; })()`)
	tb.afterFrame()
}

// TestModelInsideNetwork opens the inside panel on a network trained with
// minibatches: the panel shows the step the timeline shows, its numbers
// are the training's (the snapshot's parameters are the run's row), the
// arrows are drawn and said to be projections, the table lists the
// largest updates first and opens to every parameter.
func TestModelInsideNetwork(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=moons&model=mlp&hidden=8&act=tanh&init=0&epochs=3&bs=16&lr=0.05&opt=adam&opt=sgd&slice=pca&grid=32")
	tb.waitTrained()
	tb.do(chromedp.Click(chromedp.ID("m-inside-toggle")))
	if got := eval[string](tb, `document.getElementById("m-inside-toggle").getAttribute("aria-pressed")`); got != "true" {
		t.Fatalf("inside toggle aria-pressed = %q", got)
	}
	tb.showStep(10)
	tb.waitInside(10)
	// The snapshot's parameters are row 10 of the run the page drew.
	same := eval[bool](tb, `(() => {
		const m = window.basin.model, s = m.views.inside.st.snap.body, r = m.result, cols = r.start.columns.length;
		const row = r.runs[0].rows[10].slice(cols), next = r.runs[0].rows[11].slice(cols);
		return s.params.every((v, i) => v === row[i]) && s.next.every((v, i) => v === next[i]);
	})()`)
	if !same {
		t.Error("the snapshot's params and next are not rows 10 and 11 of the run on the page")
	}
	who := eval[string](tb, `document.getElementById("m-inside-who").textContent`)
	if !strings.HasPrefix(who, "Adam at step 10: a minibatch of 16 rows, learning rate 0.05") {
		t.Errorf("who line %q", who)
	}
	if got := eval[string](tb, `document.getElementById("m-inside-plane").textContent`); !strings.Contains(got, "projections onto the slice's plane") || !strings.Contains(got, "33 parameters") {
		t.Errorf("plane words %q", got)
	}
	if got := eval[string](tb, `document.getElementById("m-inside-noise").textContent`); !strings.Contains(got, "SGD's noise") {
		t.Errorf("noise words %q", got)
	}
	if got := eval[string](tb, `document.getElementById("m-inside-words").textContent`); !strings.Contains(got, "effective_lr") {
		t.Errorf("Adam's words %q", got)
	}
	kinds := eval[[]string](tb, `window.basin.model.views.inside.arrows.map((a) => a.kind)`)
	if strings.Join(kinds, ",") == "" || !strings.Contains(strings.Join(kinds, ","), "update") || !strings.Contains(strings.Join(kinds, ","), "seen") {
		t.Errorf("arrows drawn: %v", kinds)
	}
	// The table: the top 12 by |update|, then all 33.
	upd := eval[[]float64](tb, `[...document.querySelectorAll("#m-inside-params tbody tr")].map((r) => Math.abs(+r.dataset.update))`)
	if len(upd) != 12 {
		t.Fatalf("%d rows shown, want 12", len(upd))
	}
	for i := 1; i < len(upd); i++ {
		if upd[i] > upd[i-1] {
			t.Fatalf("rows not in decreasing |update|: %v", upd)
		}
	}
	cols := eval[string](tb, `[...document.querySelectorAll("#m-inside-params thead th")].map((c) => c.textContent).join("|")`)
	if !strings.Contains(cols, "exp_avg|exp_avg_sq|effective_lr") {
		t.Errorf("state columns %q", cols)
	}
	tb.do(chromedp.Focus(chromedp.ID("m-inside-more")), chromedp.KeyEvent(kb.Enter))
	if n := eval[int](tb, `document.querySelectorAll("#m-inside-params tbody tr").length`); n != 33 {
		t.Errorf("after Show all: %d rows", n)
	}
	tb.shot("network")
	eval[bool](tb, `(window.scrollTo(0, 0), true)`)
	tb.afterFrame()
	tb.shot("network-landscape")
	// SGD: one learning rate for every parameter, and its momentum-free state.
	tb.do(chromedp.SetValue(chromedp.ID("m-inside-pick"), "1"))
	eval[bool](tb, `(document.getElementById("m-inside-pick").dispatchEvent(new Event("change")), true)`)
	tb.poll(`window.basin.model.views.inside.st.snap?.k === 1`)
	if got := eval[string](tb, `document.getElementById("m-inside-words").textContent`); !strings.Contains(got, "same learning rate") {
		t.Errorf("SGD's words %q", got)
	}
	// Japanese.
	eval[bool](tb, `(document.getElementById("lang").value = "ja", document.getElementById("lang").dispatchEvent(new Event("change")), true)`)
	tb.poll(`document.getElementById("m-inside-toggle").textContent === "最適化手法の内部"`)
	if got := eval[string](tb, `document.getElementById("m-inside-plane").textContent`); !strings.Contains(got, "射影") {
		t.Errorf("Japanese plane words %q", got)
	}
	eval[bool](tb, `(document.getElementById("m-inside").scrollIntoView(), true)`)
	tb.afterFrame()
	tb.shot("ja")
	tb.checkClean()
}

// TestModelInsideTwoParameters: on linear regression the arrows are the
// moves themselves, the update arrow ends at the next point of the path,
// and the panel works at a phone's width.
func TestModelInsideTwoParameters(t *testing.T) {
	tb := newTab(t, 390, 844)
	tb.open("train=1&data=line&model=linear&init=0&epochs=2&bs=10&lr=0.1&opt=sgd&grid=32")
	tb.waitTrained()
	tb.do(chromedp.Click(chromedp.ID("m-inside-toggle")))
	tb.showStep(5)
	tb.waitInside(5)
	if got := eval[string](tb, `document.getElementById("m-inside-plane").textContent`); got != "The arrows are the moves themselves: the plane is the model's two parameters." {
		t.Errorf("plane words %q", got)
	}
	// The update arrow, at true length or stretched, points at the next row.
	d := eval[[]float64](tb, `(() => {
		const m = window.basin.model, r = m.result, cols = r.start.columns, a = m.views.inside.arrows.find((x) => x.kind === "update");
		const row = r.runs[0].rows[5], next = r.runs[0].rows[6];
		const ux = next[cols.length] - row[cols.length], uy = next[cols.length + 1] - row[cols.length + 1];
		return [a.x - row[cols.length], a.y - row[cols.length + 1], a.dx * uy - a.dy * ux, a.dx * ux + a.dy * uy];
	})()`)
	if math.Abs(d[0]) > 1e-12 || math.Abs(d[1]) > 1e-12 || math.Abs(d[2]) > 1e-9*math.Abs(d[3]) || d[3] <= 0 {
		t.Errorf("update arrow: offset %v, cross %v, dot %v", d[:2], d[2], d[3])
	}
	if n := eval[int](tb, `document.querySelectorAll("#m-inside-params tbody tr").length`); n != 2 {
		t.Errorf("%d parameter rows, want w and b", n)
	}
	if w := eval[float64](tb, `document.getElementById("m-inside").getBoundingClientRect().right`); w > 390 {
		t.Errorf("the inside panel reaches x = %v on a 390 px phone", w)
	}
	eval[bool](tb, `(document.getElementById("m-inside").scrollIntoView(), true)`)
	tb.afterFrame()
	tb.shot("phone")
	// Compare on a phone: A above B, nothing wider than the screen.
	tb.do(chromedp.Click(chromedp.ID("m-compare-toggle")), chromedp.Click(chromedp.ID("m-compare-go")))
	tb.poll(`window.basin.model.views.compare.st.b !== null`)
	tb.afterFrame()
	if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the page is %d px wide on a 390 px phone", w)
	}
	if got := eval[[]float64](tb, `(() => { const [a, b] = document.querySelectorAll(".m-compare-figs canvas"); const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect(); return [ra.width, rb.top - ra.bottom]; })()`); got[0] < 250 || got[1] <= 0 {
		t.Errorf("compare figures on a phone: width %v, B %v px below A", got[0], got[1])
	}
	eval[bool](tb, `(document.getElementById("m-compare").scrollIntoView(), true)`)
	tb.afterFrame()
	tb.shot("phone-compare")
	tb.checkClean()
}

// TestModelEnds: a minibatch run judged converged carries its ends; the
// landscape draws them where the answer puts them, and the legend line
// under it says what they are, in English and Japanese.
func TestModelEnds(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=line&model=linear&init=0&epochs=5&bs=1&lr=0.1&opt=sgd&grid=32")
	tb.waitTrained()
	got := eval[[]float64](tb, `(() => { const e = window.basin.model.views.ends; return e.length === 1 ? [e[0].a, e[0].b] : []; })()`)
	want := eval[[]float64](tb, `(() => { const c = window.basin.model.result.start.critical[0]; return [c.x, c.y]; })()`)
	if len(got) != 2 || math.Abs(got[0]-want[0]) > 1e-12 || math.Abs(got[1]-want[1]) > 1e-12 {
		t.Errorf("ends drawn at %v, want the minimum the run settled at %v", got, want)
	}
	note := eval[string](tb, `(() => { const n = document.getElementById("m-ends-note"); return n.hidden ? "" : n.textContent; })()`)
	if !strings.HasPrefix(note, "◇ where a run settled") {
		t.Errorf("ends legend %q", note)
	}
	tb.shot("ends")
	eval[bool](tb, `(document.getElementById("lang").value = "ja", document.getElementById("lang").dispatchEvent(new Event("change")), true)`)
	tb.poll(`document.getElementById("m-ends-note").textContent.startsWith("◇ 実行が落ち着いた点")`)
	// A full-data run has no ends: no diamonds, no legend line.
	tb.showStep(0)
	eval[bool](tb, `(document.getElementById("m-bs").value = document.getElementById("m-bs").max, document.getElementById("m-bs").dispatchEvent(new Event("input")), document.getElementById("m-bs").dispatchEvent(new Event("change")), true)`)
	tb.poll(`window.basin.model.result && window.basin.model.result.spec.bs === null && !window.basin.model.busy`)
	if n := eval[int](tb, `window.basin.model.views.ends.length`); n != 0 || !eval[bool](tb, `document.getElementById("m-ends-note").hidden`) {
		t.Errorf("full batch: %d ends drawn", n)
	}
	tb.checkClean()
}

// TestModelDownloads: the training CSV is the API's CSV of the page's own
// link, byte for byte; the JSON is the request, which loads back; each
// PNG is its figure with a legend under it; Copy link copies the training
// link, which opens the same training.
func TestModelDownloads(t *testing.T) {
	tb := newTab(t, 1280, 900)
	q := "train=1&data=moons(n=80)&model=mlp&hidden=4&act=tanh&init=1&epochs=2&bs=20&lr=0.1&opt=sgd&opt=adam&slice=pca&grid=24"
	tb.open(q)
	tb.waitTrained()
	eval[bool](tb, captureDownloads)
	for id, name := range map[string]string{"m-dl-png": "Landscape (PNG)", "m-dl-data-png": "Data figure (PNG)", "m-dl-csv": "Download CSV", "m-dl-json": "Download JSON"} {
		if got := eval[string](tb, `document.getElementById("`+id+`").textContent`); got != name {
			t.Errorf("#%s is named %q, want %q", id, got, name)
		}
	}
	tb.do(chromedp.Click(chromedp.ID("m-dl-csv")))
	tb.poll(`window.__blobs.length === 1 || !document.getElementById("m-dl-error").hidden`)
	if msg := eval[string](tb, `document.getElementById("m-dl-error").textContent`); msg != "" {
		t.Fatalf("CSV download: %s", msg)
	}
	csv := eval[string](tb, `window.__blobs[0].text()`)
	link := eval[string](tb, `location.search.slice(1)`)
	res, err := http.Get(serverURL + "/api/v1/train?" + link + "&format=csv")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || csv != string(want) || !strings.HasPrefix(csv, "optimizer,step,loss,batch_loss,val_loss,accuracy,a,b,") {
		n := min(len(csv), len(want), 200)
		t.Errorf("page CSV (%d bytes) differs from the API's (%d bytes, %s)\n%s\nwant\n%s", len(csv), len(want), res.Status, csv[:n], want[:n])
	}
	// JSON: the request, as the page sends it.
	tb.do(chromedp.Click(chromedp.ID("m-dl-json")))
	tb.poll(`window.__blobs.length === 2`)
	if !eval[bool](tb, `(async () => {
		const { toSpec } = await import("/js/model/modelstate.js");
		return JSON.stringify(JSON.parse(await window.__blobs[1].text())) === JSON.stringify(toSpec(window.basin.model.state));
	})()`) {
		t.Error("the JSON download is not the page's request")
	}
	// PNGs: the figure, then one legend row per run in the run's colour.
	for i, id := range []string{"m-dl-png", "m-dl-data-png"} {
		tb.do(chromedp.Click(chromedp.ID(id)))
		tb.poll(`window.__blobs.length === ` + itoa(3+i))
		info := eval[[]any](tb, `(async () => {
			const b = window.__blobs[`+itoa(2+i)+`], bm = await createImageBitmap(b), c = document.getElementById("`+map[int]string{0: "m-land-canvas", 1: "m-data-canvas"}[i]+`");
			const cv = new OffscreenCanvas(bm.width, bm.height - c.height), ctx = cv.getContext("2d");
			ctx.drawImage(bm, 0, -c.height);
			const px = ctx.getImageData(0, 0, cv.width, cv.height).data;
			const rgb = (h) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));
			const found = window.basin.model.result.runs.filter((r) => {
				const [R, G, B] = rgb(r.colour);
				for (let p = 0; p < px.length; p += 4) if (Math.abs(px[p] - R) < 8 && Math.abs(px[p + 1] - G) < 8 && Math.abs(px[p + 2] - B) < 8) return true;
				return false;
			}).length;
			return [b.type, bm.width === c.width && bm.height > c.height, found];
		})()`)
		if info[0] != "image/png" || info[1] != true || info[2].(float64) != 2 {
			t.Errorf("%s: %v", id, info)
		}
	}
	// Copy link: the training link, which opens the same training.
	eval[bool](tb, `(() => {
		const st = document.getElementById("copy-status");
		new MutationObserver(() => { if (st.textContent) window.__copyStatus = st.textContent; }).observe(st, { childList: true, characterData: true, subtree: true });
		return true;
	})()`)
	tb.do(chromedp.Click(chromedp.ID("copy")))
	tb.poll(`window.__copyStatus !== undefined`)
	copied := eval[string](tb, `document.getElementById("copy").dataset.link`)
	if !strings.Contains(copied, "?"+link) || eval[string](tb, `window.__copyStatus`) != "Copied" {
		t.Errorf("copied %q (%s), want the page's training link ?%s", copied, eval[string](tb, `window.__copyStatus`), link)
	}
	tb.shot("downloads")
	tb.checkClean()
}

// TestModelView3D: the model's landscape in 3D, opened from the keyboard:
// three.js stays out until then, the surface is drawn with the paths, the
// arrow keys turn it and Space plays; the inside panel's arrows follow.
func TestModelView3D(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=moons&model=mlp&hidden=4&act=tanh&init=0&epochs=2&bs=20&lr=0.1&opt=adam&opt=sgd&slice=pca&grid=32")
	tb.waitTrained()
	if eval[bool](tb, threeLoaded) {
		t.Fatal("three.js loaded with the model mode")
	}
	if got := eval[string](tb, `document.getElementById("m-view3d-toggle").textContent`); got != "3D view" {
		t.Errorf("toggle named %q", got)
	}
	tb.do(chromedp.Click(chromedp.ID("m-inside-toggle")))
	tb.showStep(3)
	tb.waitInside(3)
	tb.do(chromedp.Focus(chromedp.ID("m-view3d-toggle")), chromedp.KeyEvent(kb.Enter))
	tb.poll(`(() => { const s = window.basin.model.views.view3d.st; return s.failed || s.frames > 0; })()`)
	if eval[bool](tb, `window.basin.model.views.view3d.st.failed`) {
		t.Skip("no WebGL in this browser: TestView3DWithoutWebGL covers the message")
	}
	if got := eval[string](tb, `document.getElementById("m-view3d-toggle").getAttribute("aria-pressed")`); got != "true" {
		t.Errorf("aria-pressed %q", got)
	}
	n := eval[int](tb, `(() => {
		window.basin.model.views.view3d.st.redraw();
		const c = document.getElementById("m-view3d-canvas");
		const o = document.createElement("canvas"); o.width = c.width; o.height = c.height;
		const g = o.getContext("2d"); g.drawImage(c, 0, 0);
		const d = g.getImageData(0, 0, o.width, o.height).data, seen = new Set();
		for (let i = 0; i < d.length; i += 4 * 7) if (d[i + 3] > 0) seen.add((d[i] >> 3) << 10 | (d[i + 1] >> 3) << 5 | d[i + 2] >> 3);
		return seen.size;
	})()`)
	if n < 50 {
		t.Errorf("3D canvas shows only %d colours: blank?", n)
	}
	if k := eval[int](tb, `window.basin.model.views.view3d.st.scene.tracks.length`); k != 2 {
		t.Errorf("%d paths on the surface, want 2", k)
	}
	if a := eval[bool](tb, `window.basin.model.views.view3d.st.scene.arrows !== null`); !a {
		t.Error("the inside panel's arrows are not on the surface")
	}
	az := eval[float64](tb, `window.basin.model.views.view3d.st.scene.cam.azimuth`)
	tb.do(chromedp.Focus(chromedp.ID("m-view3d-canvas")), chromedp.KeyEvent(kb.ArrowLeft))
	if az2 := eval[float64](tb, `window.basin.model.views.view3d.st.scene.cam.azimuth`); az2 == az {
		t.Error("ArrowLeft did not turn the 3D view")
	}
	tb.do(chromedp.KeyEvent(" "))
	tb.poll(`window.basin.model.playing`)
	tb.do(chromedp.KeyEvent(" "))
	tb.shot("view3d")
	tb.waitScrollStill()
	tb.do(chromedp.Click(chromedp.ID("m-view3d-toggle")))
	tb.poll(`document.querySelector(".m-land-wrap .view3d").hidden`)
	tb.checkClean()
}

// TestModelCompare: B is A with batch size 1, same data and start; both
// landscapes are drawn side by side at the same share of training, named
// by their setting; a bad value is refused under the field; the words are
// in Japanese too.
func TestModelCompare(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=line&model=linear&init=0&epochs=2&bs=25&lr=0.1&opt=sgd&opt=adam&grid=32")
	tb.waitTrained()
	tb.do(chromedp.Click(chromedp.ID("m-compare-toggle")))
	if got := eval[string](tb, `document.getElementById("m-compare-by").labels[0].textContent`); got != "Compare by" {
		t.Errorf("setting select named %q", got)
	}
	if got := eval[string](tb, `document.getElementById("m-compare-value").value`); got != "1" {
		t.Errorf("B's suggested batch size %q, want 1", got)
	}
	tb.do(chromedp.Focus(chromedp.ID("m-compare-go")), chromedp.KeyEvent(kb.Enter))
	tb.poll(`window.basin.model.views.compare.st.b !== null`)
	tb.afterFrame()
	if got := eval[[]int](tb, `(() => { const b = window.basin.model.views.compare.st.b; return [b.start.steps, b.spec.bs, b.spec.init, b.spec.epochs]; })()`); got[0] != 200 || got[1] != 1 || got[2] != 0 || got[3] != 2 {
		t.Errorf("B: steps, bs, init, epochs = %v, want 200 steps of batch 1 from the same start for 2 epochs", got)
	}
	// Both trainings start at the same parameters.
	if !eval[bool](tb, `(() => { const a = window.basin.model.result.start.init, b = window.basin.model.views.compare.st.b.start.init; return a.length === 2 && a.every((v, i) => v === b[i]); })()`) {
		t.Error("A and B start at different parameters")
	}
	tb.showStep(4)
	tb.afterFrame()
	titles := eval[string](tb, `[...document.querySelectorAll(".m-compare-figs h4")].map((h) => h.textContent).join("|")`)
	if titles != "A: Batch size 25|B: Batch size 1" {
		t.Errorf("titles %q", titles)
	}
	caps := eval[string](tb, `[...document.querySelectorAll(".m-compare-figs figcaption")].map((h) => h.textContent).join("|")`)
	if !strings.Contains(caps, "Step 4 of 8. A and B share these axes.") || !strings.Contains(caps, "Step 100 of 200. A and B share these axes.") {
		t.Errorf("captions %q: want A at step 4 of 8 and B at 100 of 200", caps)
	}
	if same := eval[bool](tb, `(() => { const v = window.basin.model.views.compare; return JSON.stringify(v.figA.frame.view) === JSON.stringify(v.figB.frame.view); })()`); !same {
		t.Error("A and B of a batch-size comparison on linear regression are drawn on different axes")
	}
	// Each side's landscape covers the shared axes: no blank margin.
	boxes := eval[[][]float64](tb, `(() => { const v = window.basin.model.views.compare; return [v.figA.frame.view, v.figA.land.grid.box, v.figB.land.grid.box]; })()`)
	if !slices.Equal(boxes[1], boxes[0]) || !slices.Equal(boxes[2], boxes[0]) {
		t.Errorf("shared view %v, but A's landscape covers %v and B's %v", boxes[0], boxes[1], boxes[2])
	}
	// A's landscape over the shared box is the server's for A's request with that box.
	aQuery := eval[string](tb, `location.search.slice(1)`)
	want := trainLandscape(t, aQuery+"&box="+joinNumbers(boxes[0]))
	if got := eval[[]float64](tb, `Array.from(window.basin.model.views.compare.st.b.landA.values, (v) => v ?? -1)`); !slices.Equal(got, want) {
		t.Errorf("A's landscape over the shared box differs from GET /api/v1/train?%s&box=... (%d against %d values)", aQuery, len(got), len(want))
	}
	if n := eval[int](tb, `document.querySelectorAll(".m-compare-figs li.m-outcome").length`); n != 4 {
		t.Errorf("%d outcome lines, want 2 per side", n)
	}
	if href := eval[string](tb, `document.getElementById("m-compare-link").getAttribute("href")`); !strings.Contains(href, "bs=1&") {
		t.Errorf("B's own link %q", href)
	}
	eval[bool](tb, `(document.getElementById("m-compare-toggle").scrollIntoView(), true)`)
	tb.afterFrame()
	tb.shot("compare")
	// A bad learning rate is refused in words under the controls.
	tb.do(chromedp.SetValue(chromedp.ID("m-compare-by"), "lr"))
	eval[bool](tb, `(document.getElementById("m-compare-by").dispatchEvent(new Event("change")), true)`)
	tb.do(chromedp.SetValue(chromedp.ID("m-compare-value-input"), "-1"), chromedp.Click(chromedp.ID("m-compare-go")))
	if got := eval[string](tb, `document.getElementById("m-compare-error").textContent`); got != "The learning rate must be a number > 0." {
		t.Errorf("error %q", got)
	}
	eval[bool](tb, `(document.getElementById("lang").value = "ja", document.getElementById("lang").dispatchEvent(new Event("change")), true)`)
	tb.poll(`document.getElementById("m-compare-toggle").textContent === "比較"`)
	tb.checkClean()
}

// TestModelInsideDiverged: the inside panel says which step ended a
// diverging run, and draws what it can of that step.
func TestModelInsideDiverged(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=line(n=30,seed=1)&model=linear&init=0&steps=500&lr=1.5&opt=sgd&grid=16")
	tb.waitTrained()
	last := eval[int](tb, `window.basin.model.result.runs[0].rows.length - 1`)
	tb.do(chromedp.Click(chromedp.ID("m-inside-toggle")))
	tb.showStep(last - 1)
	tb.waitInside(last - 1)
	if got := eval[string](tb, `document.getElementById("m-inside-who").textContent`); !strings.HasSuffix(got, "This step ended the run: it diverged.") {
		t.Errorf("who line at the diverging step: %q", got)
	}
	tb.showStep(last)
	tb.waitInside(last)
	if got := eval[string](tb, `document.getElementById("m-inside-who").textContent`); !strings.HasSuffix(got, "The run ended here: it diverged.") {
		t.Errorf("who line at the last row: %q", got)
	}
	tb.checkClean()
}

// trainLandscape gives GET /api/v1/train's landscape values for a training
// link, -1 where the loss overflows (null in JSON).
func trainLandscape(t *testing.T, query string) []float64 {
	t.Helper()
	var body struct {
		Landscape struct {
			Values []*float64 `json:"values"`
		} `json:"landscape"`
	}
	getJSON(t, "/api/v1/train?"+query, &body)
	out := make([]float64, len(body.Landscape.Values))
	for i, v := range body.Landscape.Values {
		out[i] = -1
		if v != nil {
			out[i] = *v
		}
	}
	return out
}

// joinNumbers writes numbers as a link's list: shortest form, commas.
func joinNumbers(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}
