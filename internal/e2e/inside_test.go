package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// insideRows reads the "Inside the optimizer" state table: name, x, y as
// the page holds them (full precision in data attributes).
const insideRows = `[...document.querySelectorAll("#inside .inside-state tbody tr")].map((tr) => [tr.dataset.name, tr.dataset.x, tr.dataset.y, tr.querySelector("th").textContent])`

type apiStateVar struct {
	Name string   `json:"name"`
	X    *float64 `json:"x"`
	Y    *float64 `json:"y"`
}

// TestInsideAdamMatchesAPI opens a link paused at step 10, looks inside
// Adam and checks that the state rows are the after-state POST
// /api/v1/inspect gives for the same spec, number for number, that the
// per-coordinate sentence and the arrows are there, and that scrubbing the
// timeline follows.
func TestInsideAdamMatchesAPI(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&start=0,0&lr=0.01&steps=100&opt=sgd&opt=adam&t=10")
	tb.poll(`window.basin.anim.t === 10 && !window.basin.anim.playing`)
	before := eval[int](tb, paintedPixels)
	tb.clickInPanel("#inside-toggle")
	if p := eval[string](tb, `document.getElementById("inside-toggle").getAttribute("aria-pressed")`); p != "true" {
		t.Fatalf("inside toggle aria-pressed = %q after a click", p)
	}
	eval[bool](tb, `(() => { const s = document.getElementById("inside-pick"); s.value = "1"; s.dispatchEvent(new Event("change")); return true; })()`)
	tb.poll(`(() => { const s = window.basin.inspect.snap; return s && s.k === 1 && s.body.step === 10; })()`)

	body := `{"function":"himmelblau","start":[0,0],"lr":0.01,"steps":100,"optimizers":[{"name":"sgd"},{"name":"adam"}],"optimizer":1,"step":10}`
	res, err := http.Post(serverURL+"/api/v1/inspect", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST /api/v1/inspect: %d %s", res.StatusCode, b)
	}
	var snap struct {
		Step  int           `json:"step"`
		After []apiStateVar `json:"after"`
	}
	if err := json.Unmarshal(b, &snap); err != nil {
		t.Fatal(err)
	}
	rows := eval[[][]string](tb, insideRows)
	if len(rows) != len(snap.After) {
		t.Fatalf("page shows %d state rows %v, the API %d", len(rows), rows, len(snap.After))
	}
	names := map[string]bool{}
	for i, v := range snap.After {
		r := rows[i]
		names[r[0]] = true
		if r[0] != v.Name {
			t.Errorf("row %d is %q, the API's is %q", i, r[0], v.Name)
			continue
		}
		for c, want := range []*float64{v.X, v.Y} {
			got, err := strconv.ParseFloat(r[1+c], 64)
			if want == nil || err != nil || got != *want {
				t.Errorf("%s[%d] = %q on the page, %v from the API", v.Name, c, r[1+c], deref(want))
			}
		}
		if r[3] == "" || r[3] == v.Name {
			t.Errorf("%s has no label (%q)", v.Name, r[3])
		}
	}
	for _, n := range []string{"exp_avg", "exp_avg_sq", "effective_lr"} {
		if !names[n] {
			t.Errorf("Adam's state lacks %s: %v", n, rows)
		}
	}
	if w := in3Text(tb, "#inside .inside-words"); !strings.Contains(w, "about equally steep here (ratio 1.4)") {
		t.Errorf("Adam's per-coordinate sentence = %q", w)
	}
	if l := in3Text(tb, "#inside .legend-update"); !strings.Contains(l, "update") {
		t.Errorf("legend lacks the update arrow: %q", l)
	}
	tb.poll(`window.basin.inspect.snap.run === window.basin.run`)
	tb.afterFrame() // the arrows are drawn in the frame after the snapshot
	if after := eval[int](tb, paintedPixels); after <= before {
		t.Errorf("arrows painted nothing: %d pixels with, %d without", after, before)
	}
	tb.shot("adam-step-10")

	// Scrubbing the timeline asks for the new step.
	eval[bool](tb, `(() => { const s = document.getElementById("timeline"); s.value = "40"; s.dispatchEvent(new Event("input")); return true; })()`)
	tb.poll(`window.basin.inspect.snap.body.step === 40`)

	// SGD says the opposite: one learning rate, the steep coordinate moves more.
	eval[bool](tb, `(() => { const s = document.getElementById("inside-pick"); s.value = "0"; s.dispatchEvent(new Event("change")); return true; })()`)
	tb.poll(`window.basin.inspect.snap.k === 0 && window.basin.inspect.snap.body.step === 40`)
	if w := in3Text(tb, "#inside .inside-words"); w == "" || strings.Contains(w, "own gradient scale") {
		t.Errorf("SGD's per-coordinate sentence = %q", w)
	}
	if n := eval[int](tb, `document.querySelectorAll("#inside .inside-state tbody tr").length`); n != 1 {
		t.Errorf("plain SGD shows %d state rows, want 1 (lr)", n)
	}
	tb.shot("sgd-step-40")

	// Japanese labels key on the state's name.
	in3Lang(tb, "ja")
	eval[bool](tb, `(() => { const s = document.getElementById("inside-pick"); s.value = "1"; s.dispatchEvent(new Event("change")); return true; })()`)
	tb.poll(`window.basin.inspect.snap.k === 1`)
	if got := in3Text(tb, `#inside tr[data-name="effective_lr"] th`); got != "座標ごとの実効ステップ幅" {
		t.Errorf("effective_lr in Japanese = %q", got)
	}
	tb.shot("ja")
	tb.checkClean()
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestInsideAdamEvensOut is the lesson the panel exists for, on the
// elliptic bowl (ten times steeper in y) at the start: SGD's step keeps the
// gradient's 7.5:1 proportions, Adam's first step is the same size in both
// coordinates. The link opens the panel (panel=inside).
func TestInsideAdamEvensOut(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=elliptic&start=-4,3&lr=0.05&steps=200&opt=sgd&opt=adam&t=0&panel=inside")
	tb.poll(`window.basin.inspect.on && window.basin.inspect.snap && window.basin.inspect.snap.k === 0`)
	if w := in3Text(tb, "#inside .inside-words"); !strings.Contains(w, "7.5× steeper along y and the update along y is 7.5× the other's: one learning rate") {
		t.Errorf("SGD at the start: %q", w)
	}
	eval[bool](tb, `(() => { const s = document.getElementById("inside-pick"); s.value = "1"; s.dispatchEvent(new Event("change")); return true; })()`)
	tb.poll(`window.basin.inspect.snap.k === 1`)
	if w := in3Text(tb, "#inside .inside-words"); !strings.Contains(w, "7.5× steeper along y, yet the update is about the same size in both coordinates") {
		t.Errorf("Adam at the start: %q", w)
	}
	// The |update| bars are equal for Adam: both full width.
	widths := eval[[]string](tb, `[...document.querySelectorAll("#inside .bar-u")].map((b) => b.style.width)`)
	if len(widths) != 2 || widths[0] != "100%" || widths[1] != "100%" {
		t.Errorf("Adam's |update| bars = %v, want both 100%%", widths)
	}
	tb.shot("elliptic-adam")
	// Another learning rate is a new run: the panel stays on Adam.
	// (the panel keeps its content meanwhile: it does not jump while a slider is dragged)
	if hidden := eval[bool](tb, `(() => { const s = document.getElementById("lr"); s.value = String(Number(s.value) - 1); s.dispatchEvent(new Event("input")); s.dispatchEvent(new Event("change")); return document.querySelector("#inside .inside-body").hidden; })()`); hidden {
		t.Error("the inside panel emptied itself while the new run was on its way")
	}
	tb.waitIdle()
	tb.poll(`window.basin.inspect.snap && window.basin.inspect.snap.run === window.basin.run`)
	if k := eval[int](tb, `window.basin.inspect.snap.k`); k != 1 {
		t.Errorf("after a new learning rate the panel looks inside optimizer %d, want Adam (1)", k)
	}
	// The 3D view draws the same arrows on the surface.
	tb.do(chromedp.Click(chromedp.ID("view3d-toggle")))
	tb.poll(`window.basin.view3d.failed || window.basin.view3d.frames > 0`)
	if !eval[bool](tb, `window.basin.view3d.failed`) {
		// (checked in one evaluation: the run may still be playing)
		tb.poll(`(() => { const a = window.basin.view3d.scene.arrows, d = window.basin.inspect.drawn; return a !== null && d !== null && a.geometry.getAttribute("position").count === 2 * d.length; })()`)
		tb.shot("elliptic-adam-3d")
	}
	tb.checkClean()
}

// TestInsidePhone checks the panel on a 390 px screen: no sideways scroll.
func TestInsidePhone(t *testing.T) {
	tb := newTab(t, 390, 844)
	tb.open("v=1&f=himmelblau&noise=2&opt=adam&t=5&steps=50")
	tb.clickInPanel("#inside-toggle")
	tb.poll(`window.basin.inspect.snap !== null`)
	// With noise the gradient the optimizer received has an arrow of its own.
	if eval[bool](tb, `document.querySelector("#inside .legend-seen").hidden`) {
		t.Error("a noisy run shows no arrow for the gradient the optimizer received")
	}
	if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("page is %d px wide on a 390 px screen", w)
	}
	eval[bool](tb, `(document.getElementById("inside").scrollIntoView(), true)`)
	tb.shot("phone")
	eval[bool](tb, `(window.scrollTo(0, 0), true)`)
	tb.do(chromedp.Click(chromedp.ID("view3d-toggle")))
	tb.poll(`window.basin.view3d.failed || window.basin.view3d.frames > 0`)
	if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("in 3D the page is %d px wide on a 390 px screen", w)
	}
	tb.shot("phone-3d")
	tb.checkClean()
}

// threeLoaded reports whether any three.js file was fetched.
const threeLoaded = `performance.getEntriesByType("resource").some((e) => e.name.includes("/vendor/three/"))`

// TestView3D opens the 3D view: three.js loads only then, the surface is
// drawn (or, without WebGL, a message says so), mode=3d is in the link,
// the keyboard turns it, and the link reopens in 3D.
func TestView3D(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&opt=sgd&opt=momentum&opt=adam&instant=1")
	if eval[bool](tb, threeLoaded) {
		t.Fatal("three.js loaded with the 2D view")
	}
	tb.do(chromedp.Click(chromedp.ID("view3d-toggle")))
	tb.poll(`window.basin.view3d.failed || window.basin.view3d.frames > 0`)
	tb.poll(`new URLSearchParams(location.search).get("mode") === "3d"`)
	failed := eval[bool](tb, `window.basin.view3d.failed`)
	if failed {
		msg := in3Text(tb, ".view3d-message")
		t.Logf("no WebGL here; the page says %q", msg)
		if !strings.Contains(msg, "WebGL") {
			t.Errorf("fallback message = %q", msg)
		}
	} else {
		if !eval[bool](tb, threeLoaded) {
			t.Error("3D view drawn without loading three.js?")
		}
		// The canvas is not blank: many distinct colours from the surface.
		// (drawn and read in one task: the drawing buffer is not kept after compositing)
		n := eval[int](tb, `(() => {
			window.basin.view3d.redraw();
			const c = document.getElementById("view3d-canvas");
			const o = document.createElement("canvas"); o.width = c.width; o.height = c.height;
			const g = o.getContext("2d"); g.drawImage(c, 0, 0);
			const d = g.getImageData(0, 0, o.width, o.height).data, seen = new Set();
			for (let i = 0; i < d.length; i += 4 * 7) if (d[i + 3] > 0) seen.add((d[i] >> 3) << 10 | (d[i + 1] >> 3) << 5 | d[i + 2] >> 3);
			return seen.size;
		})()`)
		if n < 50 {
			t.Errorf("3D canvas shows only %d colours: blank?", n)
		}
		az := eval[float64](tb, `window.basin.view3d.scene.cam.azimuth`)
		tb.do(chromedp.Focus(chromedp.ID("view3d-canvas")), chromedp.KeyEvent(kb.ArrowLeft))
		if az2 := eval[float64](tb, `window.basin.view3d.scene.cam.azimuth`); az2 == az {
			t.Error("ArrowLeft did not turn the 3D view")
		}
	}
	if h := eval[bool](tb, `getComputedStyle(document.getElementById("map")).visibility === "hidden"`); !h && !failed {
		t.Error("the 2D map stays visible under the 3D view")
	}
	tb.shot("3d")

	// The link reopens in 3D; the switch goes back to 2D.
	tb.open(strings.TrimPrefix(eval[string](tb, `location.search`), "?"))
	tb.poll(`window.basin.view3d.on && (window.basin.view3d.failed || window.basin.view3d.frames > 0)`)
	tb.do(chromedp.Click(chromedp.ID("view3d-toggle")))
	tb.poll(`new URLSearchParams(location.search).get("mode") === "2d"`)
	if v := eval[string](tb, `getComputedStyle(document.getElementById("map")).visibility`); v != "visible" {
		t.Errorf("back in 2D the map is %s", v)
	}
	tb.checkClean()
}

// in3Text gives the trimmed text of the first element matching a CSS selector.
func in3Text(tb *tab, sel string) string {
	tb.t.Helper()
	q, _ := json.Marshal(sel)
	return eval[string](tb, `(document.querySelector(`+string(q)+`)?.textContent || "").trim()`)
}

// in3Lang switches the page's language with its Language control.
func in3Lang(tb *tab, code string) {
	tb.t.Helper()
	tb.do(chromedp.SetValue(chromedp.CSS("#lang"), code),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("lang").dispatchEvent(new Event("change"))`))
}

// TestInsideDivergedAndHover looks inside a run that diverged (its last
// recorded step is asked for, never one past it: no 400 in the console),
// then rests the pointer on another optimizer's row of the list, which the
// panel follows, and leaves it, which returns to the chosen one. The 3D
// view copes with the path that left the box.
func TestInsideDivergedAndHover(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&lr=0.05&steps=100&opt=sgd&opt=adam&instant=1&panel=inside")
	tb.poll(`window.basin.inspect.snap && window.basin.inspect.snap.k === 0`)
	if got, want := eval[int](tb, `window.basin.inspect.snap.body.step`), eval[int](tb, `window.basin.run.tracks[0].n - 1`); got != want {
		t.Errorf("diverged SGD inspected at step %d, want its last point %d", got, want)
	}
	if h := eval[bool](tb, `document.querySelector("#inside [data-ti=insideOutside]").hidden`); h {
		t.Error("no word that the diverged point lies outside the view")
	}
	tb.shot("diverged")
	xy := eval[[]float64](tb, `(() => { const r = [...document.querySelectorAll("#opt-list li.opt.on")][1].getBoundingClientRect(); return [r.left + 40, r.top + 12]; })()`)
	tb.do(chromedp.MouseEvent(chromedp.MouseMoved, xy[0], xy[1]))
	tb.poll(`window.basin.inspect.hover === 1 && window.basin.inspect.snap.k === 1`)
	tb.do(chromedp.MouseEvent(chromedp.MouseMoved, 5, 5))
	tb.poll(`window.basin.inspect.hover === null && window.basin.inspect.snap.k === 0`)
	tb.do(chromedp.Click(chromedp.ID("view3d-toggle")))
	tb.poll(`window.basin.view3d.failed || window.basin.view3d.frames > 0`)
	tb.shot("diverged-3d")
	tb.checkClean()
}

// TestView3DWithoutWebGL: where no WebGL2 context can be made, the view
// says so calmly, three.js is not even fetched, and 2D is one click away.
func TestView3DWithoutWebGL(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&opt=adam&instant=1")
	eval[bool](tb, `(() => {
		const orig = HTMLCanvasElement.prototype.getContext;
		HTMLCanvasElement.prototype.getContext = function (kind, ...rest) { return kind === "webgl2" ? null : orig.call(this, kind, ...rest); };
		return true;
	})()`)
	tb.do(chromedp.Click(chromedp.ID("view3d-toggle")))
	tb.poll(`window.basin.view3d.failed`)
	if msg := in3Text(tb, ".view3d-message"); !strings.Contains(msg, "needs WebGL") {
		t.Errorf("message without WebGL = %q", msg)
	}
	if eval[bool](tb, threeLoaded) {
		t.Error("three.js fetched though WebGL is missing")
	}
	if v := eval[string](tb, `getComputedStyle(document.getElementById("map")).visibility`); v != "visible" {
		t.Errorf("without WebGL the 2D map is %s, want it left in view under the message", v)
	}
	tb.shot("no-webgl")
	tb.do(chromedp.Click(chromedp.ID("view3d-toggle")))
	tb.poll(`getComputedStyle(document.getElementById("map")).visibility === "visible"`)
	tb.checkClean()
}
