package e2e

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const (
	kbArrowRight = kb.ArrowRight
	kbArrowUp    = kb.ArrowUp
)

// requiredNames are the accessible names the page promises; each must belong
// to a control the accessibility tree exposes.
var requiredNames = []string{
	"Loss landscape", "Function", "Expression", "Start x", "Start y", "Learning rate", "Steps", "Seed", "Noise",
	"Play", "Step", "Restart", "Speed", "Reset view", "Copy link", "Download PNG", "Download CSV", "Download JSON",
	"Language", "SGD", "Momentum SGD", "RMSprop", "Adagrad", "Adam",
}

// query gives the page's current URL query, parsed.
func (tb *tab) query() url.Values {
	tb.t.Helper()
	raw := eval[string](tb, `location.search.slice(1)`)
	q, err := url.ParseQuery(raw)
	if err != nil {
		tb.t.Fatalf("page URL query %q: %v", raw, err)
	}
	return q
}

// tracks gives the trajectories on screen: per optimizer, x, y, loss triples.
func (tb *tab) tracks() [][]float64 {
	tb.t.Helper()
	return eval[[][]float64](tb, `window.basin.run.tracks.map((t) => Array.from(t.buf.subarray(0, t.n * 3)))`)
}

// mapPoint gives the viewport position of data point (x, y) on the map.
func (tb *tab) mapPoint(x, y float64) (float64, float64) {
	tb.t.Helper()
	p := eval[[]float64](tb, fmt.Sprintf(`(() => {
		const r = document.getElementById("map").getBoundingClientRect(), f = window.basin.frame;
		return [r.left + f.px(%g), r.top + f.py(%g)];
	})()`, x, y))
	return p[0], p[1]
}

func TestMapRendersWithAccessibleControls(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau")
	tb.shot("himmelblau")
	// The heat map has many colours, and the top layer has drawn paths.
	colours := eval[int](tb, `(() => {
		const c = document.getElementById("map-base"), d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		const seen = new Set();
		for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
		return seen.size;
	})()`)
	if colours < 50 {
		t.Errorf("map has %d distinct colours in a sample, want a heat map (>= 50)", colours)
	}
	painted := eval[int](tb, `(() => {
		const c = document.getElementById("map"), d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let n = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
		return n;
	})()`)
	if painted < 500 {
		t.Errorf("trajectory layer has %d painted pixels, want paths (>= 500)", painted)
	}
	if n := len(tb.tracks()); n != 3 {
		t.Errorf("default run has %d trajectories, want 3 (SGD, Momentum SGD, Adam)", n)
	}
	// Outcomes are words, and announced.
	outcomes := eval[[]string](tb, `[...document.querySelectorAll(".opt.on .opt-outcome")].map((e) => e.textContent)`)
	for _, o := range outcomes {
		if !strings.Contains(o, "step") && !strings.Contains(o, "minimum") {
			t.Errorf("outcome %q does not say what happened", o)
		}
	}
	if live := eval[string](tb, `document.getElementById("announce").getAttribute("aria-live")`); live != "polite" {
		t.Errorf("announce region aria-live = %q", live)
	}

	tree, err := chromedp.Call(tb.ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		t.Fatalf("accessibility tree: %v", err)
	}
	names := map[string]string{}
	for _, n := range tree.Nodes {
		if n.Ignored || n.Name == nil || n.Role == nil {
			continue
		}
		var name, role string
		_ = json.Unmarshal(n.Name.Value, &name)
		_ = json.Unmarshal(n.Role.Value, &role)
		switch role {
		case "StaticText", "InlineTextBox", "LabelText", "generic", "paragraph", "group", "none":
			continue
		}
		names[name] = role
	}
	for _, want := range requiredNames {
		_, ok := names[want]
		if want == "Play" { // the toggle is named Pause while the animation plays
			_, paused := names["Pause"]
			ok = ok || paused
		}
		if !ok {
			t.Errorf("no control named %q in the accessibility tree", want)
		}
	}
	if r := names["Loss landscape"]; r != "application" && r != "img" {
		t.Errorf("Loss landscape has role %q, want application or img", r)
	}
	tb.checkClean()
}

func TestClickOnMapSetsStartAndRuns(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&instant=1")
	before := tb.tracks()
	x, y := tb.mapPoint(-2, 1.5)
	tb.do(chromedp.MouseClickXY(x, y))
	tb.poll(`new URLSearchParams(location.search).get("start") !== "0,0"`)
	tb.waitIdle()
	tb.shot("after-click")
	start := strings.Split(tb.query().Get("start"), ",")
	if len(start) != 2 {
		t.Fatalf("start in URL = %v", start)
	}
	sx, _ := strconv.ParseFloat(start[0], 64)
	sy, _ := strconv.ParseFloat(start[1], 64)
	if math.Abs(sx+2) > 0.05 || math.Abs(sy-1.5) > 0.05 {
		t.Errorf("clicked near (-2, 1.5), start in URL is (%g, %g)", sx, sy)
	}
	after := tb.tracks()
	for k, tr := range after {
		if tr[0] != sx || tr[1] != sy {
			t.Errorf("trajectory %d starts at (%g, %g), want the new start (%g, %g)", k, tr[0], tr[1], sx, sy)
		}
		if len(before) > k && equalFloats(before[k], tr) {
			t.Errorf("trajectory %d did not change after the click", k)
		}
	}
	tb.checkClean()
}

func TestSliderChangesLearningRate(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&lr=0.01&instant=1")
	before := tb.tracks()
	tb.do(chromedp.Focus(chromedp.ID("lr")))
	for range 5 {
		tb.do(chromedp.KeyEvent(kbArrowRight))
	}
	tb.poll(`new URLSearchParams(location.search).get("lr") !== "0.01"`)
	tb.waitIdle()
	tb.shot("after-slider")
	lr, err := strconv.ParseFloat(tb.query().Get("lr"), 64)
	if err != nil || lr <= 0.01 || lr > 0.03 {
		t.Errorf("after 5 steps right from 0.01, lr in URL = %q, want about 0.0178", tb.query().Get("lr"))
	}
	shown := eval[string](tb, `document.getElementById("lr-value").textContent`)
	if shown == "" || shown == "0.01" {
		t.Errorf("slider value shown = %q", shown)
	}
	after := tb.tracks()
	for k := range after {
		if equalFloats(before[k], after[k]) {
			t.Errorf("trajectory %d did not change with the learning rate", k)
		}
	}
	tb.checkClean()
}

func TestCopiedLinkReproducesRun(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=rosenbrock&opt=adam(lr=0.05)&opt=sgd&opt=momentum&steps=300&instant=1")
	x, y := tb.mapPoint(-1, 2)
	tb.do(chromedp.MouseClickXY(x, y))
	tb.poll(`new URLSearchParams(location.search).get("start") === "-1,2" || window.basin.S.start[0] !== -1.2`)
	tb.waitIdle()
	// Record the status as it is set: it clears itself after COPIED_MS.
	eval[bool](tb, `(() => {
		const st = document.getElementById("copy-status");
		new MutationObserver(() => { if (st.textContent) window.__copyStatus = st.textContent; }).observe(st, { childList: true, characterData: true, subtree: true });
		return true;
	})()`)
	tb.do(chromedp.Click(chromedp.ID("copy")))
	tb.poll(`window.__copyStatus !== undefined`)
	link := eval[string](tb, `document.getElementById("copy").dataset.link`)
	if status := eval[string](tb, `window.__copyStatus`); status != "Copied" {
		t.Errorf("copy status = %q, want Copied", status)
	}
	pageTracks := tb.tracks()

	fresh := newTab(t, 1280, 900)
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	fresh.open(u.RawQuery)
	fresh.shot("fresh-tab")
	if got := eval[string](fresh, `location.search.slice(1)`); got != u.RawQuery {
		t.Errorf("fresh tab URL query\n got %s\nwant %s", got, u.RawQuery)
	}
	freshTracks := fresh.tracks()

	api := apiTracks(t, u.RawQuery)
	if len(api) != len(freshTracks) || len(api) != len(pageTracks) {
		t.Fatalf("runs: API %d, fresh tab %d, first tab %d", len(api), len(freshTracks), len(pageTracks))
	}
	for k, flat := range api {
		if !equalFloats(flat, freshTracks[k]) {
			t.Errorf("optimizer %d: fresh tab's %d values differ from GET /api/v1/runs's %d", k, len(freshTracks[k]), len(flat))
		}
		if !equalFloats(flat, pageTracks[k]) {
			t.Errorf("optimizer %d: first tab's points differ from GET /api/v1/runs", k)
		}
	}
	tb.checkClean()
	fresh.checkClean()
}

func TestBadExpressionShowsErrorAndKeepsLandscape(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&instant=1")
	eval[bool](tb, `(window.__land = window.basin.land, true)`)
	// Typed key by key, so a pause may send a check of a shorter prefix
	// first: wait for the error of the whole text, not any error.
	const bad = "x^2 + (y*"
	tb.do(chromedp.SendKeys(chromedp.ID("expr"), bad))
	tb.poll(`!document.getElementById("expr-error").hidden && (document.querySelector("#expr-error pre")?.textContent.split("\n")[0] === ` + jsString(bad) + `)`)
	tb.shot("bad-expression")
	msg := eval[string](tb, `document.getElementById("expr-error").textContent`)
	if msg == "" {
		t.Fatal("no error text under the field")
	}
	if eval[string](tb, `document.getElementById("expr").getAttribute("aria-invalid")`) != "true" {
		t.Error("expression field not marked aria-invalid")
	}
	if !eval[bool](tb, `document.querySelector("#expr-error pre") !== null && document.querySelector("#expr-error pre").textContent.includes("^")`) {
		t.Error("no caret marking the end of the text, where the error is")
	}
	if !eval[bool](tb, `window.basin.land === window.__land`) {
		t.Error("the last good landscape was replaced")
	}
	if f := tb.query().Get("f"); f != "himmelblau" {
		t.Errorf("URL f = %q after a bad expression, want himmelblau kept", f)
	}
	// A good expression then replaces the function.
	eval[bool](tb, `(document.getElementById("expr").value = "", true)`)
	tb.do(chromedp.SendKeys(chromedp.ID("expr"), "x^2 + 3*y^2\r"))
	tb.poll(`new URLSearchParams(location.search).get("expr") === "x^2 + 3*y^2"`)
	tb.waitIdle()
	tb.poll(`document.getElementById("expr-error").hidden`)
	tb.shot("good-expression")
	// Checks go over the websocket: a typo is no error in the console.
	tb.checkClean()
}

// TestExpressionTypoKeepsCursorAndLayout types as a person does, pausing
// mid-word: the error of the half-typed text must not move the text cursor
// (typing on gives "x^2 + cos(y)", not "x^2 + s(y)co"), it underlines the
// whole bad token, and the page under the field does not move.
func TestExpressionTypoKeepsCursorAndLayout(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&instant=1")
	top := eval[float64](tb, `document.getElementById("map-wrap").getBoundingClientRect().top`)
	tb.do(chromedp.SendKeys(chromedp.ID("expr"), "x^2 + co"))
	tb.poll(`!document.getElementById("expr-error").hidden && document.querySelector("#expr-error pre")?.textContent.startsWith("x^2 + co")`)
	if got := eval[float64](tb, `document.getElementById("map-wrap").getBoundingClientRect().top`); got != top {
		t.Errorf("the map moved from %v to %v when the error appeared", top, got)
	}
	if got := eval[int](tb, `document.getElementById("expr").selectionStart`); got != len("x^2 + co") {
		t.Errorf("cursor at %d after the error, want %d (the end, where the person types)", got, len("x^2 + co"))
	}
	if got := eval[string](tb, `document.querySelector("#expr-error .bad-token")?.textContent ?? ""`); got != "co" {
		t.Errorf("underlined %q, want the whole token %q", got, "co")
	}
	tb.do(chromedp.SendKeys(chromedp.ID("expr"), "s(y)\r"))
	tb.poll(`new URLSearchParams(location.search).get("expr") === "x^2 + cos(y)"`)
	if got := eval[string](tb, `document.getElementById("expr").value`); got != "x^2 + cos(y)" {
		t.Errorf("field holds %q, want %q", got, "x^2 + cos(y)")
	}
	eval[bool](tb, `(document.getElementById("expr").value = "", true)`)
	tb.do(chromedp.SendKeys(chromedp.ID("expr"), "sinn(x) + y\r"))
	tb.poll(`document.querySelector("#expr-error .bad-token")?.textContent === "sinn"`)
	tb.checkClean()
}

func TestBadLinkParameterOpensWithDefault(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&lr=-3&instant=1")
	tb.shot("bad-link")
	notice := eval[string](tb, `document.getElementById("notice").hidden ? "" : document.getElementById("notice-text").textContent`)
	if !strings.Contains(notice, "lr") {
		t.Errorf("notice = %q, want one naming lr", notice)
	}
	if lr := tb.query().Get("lr"); lr == "-3" || lr == "" {
		t.Errorf("URL lr = %q, want the function's default", lr)
	}
	if len(tb.tracks()) == 0 {
		t.Error("no trajectories with the default lr")
	}
	tb.checkClean()
}

func TestKeyboard(t *testing.T) {
	tb := newTab(t, 1280, 900)
	// speed=10: the animation Space starts lasts long enough to see it play,
	// however slow the machine (at 100 steps a second it may end first).
	tb.open("v=1&f=himmelblau&start=0,0&instant=1&speed=10")
	tb.do(chromedp.Focus(chromedp.ID("map")), chromedp.KeyEvent(kbArrowRight), chromedp.KeyEvent(kbArrowUp))
	tb.poll(`new URLSearchParams(location.search).get("start") === "0.1,0.1"`) // 1% of Himmelblau's 10-wide domain
	tb.waitIdle()
	// Space on the map plays; typing a space in a field does not.
	tb.do(chromedp.KeyEvent(" "))
	tb.poll(`document.getElementById("play").textContent === "Pause"`)
	tb.do(chromedp.KeyEvent(" "))
	tb.poll(`document.getElementById("play").textContent === "Play"`)
	tb.do(chromedp.Focus(chromedp.ID("expr")))
	tb.poll(`document.activeElement === document.getElementById("expr")`)
	tb.do(chromedp.KeyEvent(" "))
	tb.poll(`document.getElementById("expr").value === " "`) // the space was handled, by the field
	tb.afterFrame()
	if got := eval[string](tb, `document.getElementById("play").textContent`); got != "Play" {
		t.Errorf("space typed in the expression field toggled playback: button says %q", got)
	}
	tb.checkClean()
}

func TestPhoneViewport(t *testing.T) {
	tb := newTab(t, 390, 844)
	tb.open("v=1&f=himmelblau&instant=1")
	tb.shot("phone")
	geo := eval[map[string]float64](tb, `(() => {
		const m = document.getElementById("map-wrap").getBoundingClientRect();
		const p = document.querySelector(".panel").getBoundingClientRect();
		const b = document.getElementById("playback").getBoundingClientRect();
		return {mapW: m.width, mapBottom: m.bottom, panelTop: p.top, playTop: b.top, scrollW: document.documentElement.scrollWidth};
	})()`)
	if geo["scrollW"] > 390 {
		t.Errorf("page is %g px wide at a 390 px viewport", geo["scrollW"])
	}
	if geo["mapW"] < 300 {
		t.Errorf("map is %g px wide on a phone, want nearly full width", geo["mapW"])
	}
	if geo["panelTop"] < geo["mapBottom"] || geo["playTop"] < geo["mapBottom"] {
		t.Errorf("controls should sit below the map on a phone: %v", geo)
	}
	tb.do(chromedp.EvaluateAsDevTools[chromedp.Void](`window.scrollTo(0, document.body.scrollHeight)`))
	tb.shot("phone-bottom")
	tb.checkClean()
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
