package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestFunctionSwitchTakesItsDefaults(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&instant=1")
	tb.do(chromedp.SetValue(chromedp.ID("fn"), "rosenbrock"))
	eval[bool](tb, `(document.getElementById("fn").dispatchEvent(new Event("change")), true)`)
	tb.poll(`new URLSearchParams(location.search).get("f") === "rosenbrock"`)
	tb.waitIdle()
	fn := eval[map[string]any](tb, `fetch("/api/v1/functions/rosenbrock").then((r) => r.json())`)
	q := tb.query()
	want := func(param string, v any) {
		t.Helper()
		var parts []string
		switch v := v.(type) {
		case []any:
			for _, x := range v {
				parts = append(parts, strings.TrimSpace(presetNumber(x)))
			}
		default:
			parts = []string{presetNumber(v)}
		}
		if got := q.Get(param); got != strings.Join(parts, ",") {
			t.Errorf("after switching to Rosenbrock, %s = %q, want its default %q", param, got, strings.Join(parts, ","))
		}
	}
	want("domain", fn["domain"])
	want("start", fn["start"])
	want("lr", fn["lr"])
	tb.shot("rosenbrock")
	tb.checkClean()
}

// presetNumber writes a JSON-decoded number as JavaScript's String(v) does for
// the plain values presets use.
func presetNumber(v any) string {
	return eval2string(v)
}

func TestSameOptimizerTwiceAndPlayback(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&opt=adam&instant=1&speed=10") // slow enough to see it playing on any machine
	// "+" on Adam adds a second Adam with its own settings.
	tb.clickInPanel(`#opt-list li.opt.on .opt-tools button[aria-label="Add another Adam with its own settings"]`)
	tb.poll(`new URLSearchParams(location.search).getAll("opt").length === 2`)
	tb.waitIdle()
	if got := tb.query()["opt"]; len(got) != 2 || got[0] != "adam" || got[1] != "adam" {
		t.Errorf("opt after adding another Adam = %v", got)
	}
	if n := len(tb.tracks()); n != 2 {
		t.Errorf("%d trajectories, want 2", n)
	}
	// Its own learning rate goes in its opt.
	tb.clickInPanel(`#opt-list li[data-label='Adam 2'] summary`)
	tb.poll(`document.querySelector("#opt-list li[data-label='Adam 2'] .hp input") !== null`)
	lrInput := eval[string](tb, `document.querySelector("#opt-list li[data-label='Adam 2'] .hp label[for$='-lr']").htmlFor`)
	tb.do(chromedp.SendKeys(chromedp.ID(lrInput), "0.2\r"))
	tb.poll(`new URLSearchParams(location.search).getAll("opt")[1] === "adam(lr=0.2)"`)
	tb.waitIdle()
	tb.shot("two-adams")

	// Playback: instant off, restart plays from 0, step moves one step, the timeline scrubs.
	tb.do(chromedp.Click(chromedp.ID("instant")))
	tb.do(chromedp.Click(chromedp.ID("restart")))
	tb.poll(`document.getElementById("play").textContent === "Pause"`)
	tb.do(chromedp.Click(chromedp.ID("play")))
	tb.poll(`document.getElementById("play").textContent === "Play"`)
	// The timeline shows the paused step once the next frame is drawn.
	tb.poll(`document.getElementById("timeline").value === String(Math.min(Math.floor(window.basin.anim.t), window.basin.run.last()))`)
	t0 := eval[int](tb, `Number(document.getElementById("timeline").value)`)
	tb.do(chromedp.Click(chromedp.ID("step")))
	tb.poll(`Number(document.getElementById("timeline").value) === ` + itoa(t0+1))
	eval[bool](tb, `(() => { const r = document.getElementById("timeline"); r.value = "40"; r.dispatchEvent(new Event("input")); return true; })()`)
	tb.poll(`document.getElementById("step-label").textContent.startsWith("40 ")`)
	tb.poll(`new URLSearchParams(location.search).get("t") === "40"`)
	tb.checkClean()
}

func TestDragStartMarker(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&start=0,0&instant=1")
	x0, y0 := tb.mapPoint(0, 0)
	x1, y1 := tb.mapPoint(-1, -1)
	steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, x0, y0, chromedp.ButtonLeft)}
	for i := 1; i <= 8; i++ {
		f := float64(i) / 8
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, x0+(x1-x0)*f, y0+(y1-y0)*f, chromedp.ButtonLeft), nextFrame)
	}
	steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, x1, y1, chromedp.ButtonLeft))
	tb.do(steps...)
	tb.poll(`window.basin.S.start[0] < -0.9 && window.basin.S.start[1] < -0.9`)
	tb.waitIdle()
	if v := eval[bool](tb, `window.basin.run.tracks.every((t) => t.x(0) === window.basin.S.start[0] && t.y(0) === window.basin.S.start[1])`); !v {
		t.Error("trajectories do not start at the dragged start")
	}
	tb.poll(`new URLSearchParams(location.search).get("start") !== "0,0"`)
	// The start is rounded to what the view shows (a pixel of a 10-wide box
	// is about 0.02): a few decimals in the field and the link, not 16 digits.
	start := tb.query().Get("start")
	for _, v := range strings.Split(start, ",") {
		if i := strings.IndexByte(v, '.'); i >= 0 && len(v)-i-1 > 3 {
			t.Errorf("link start=%s: %s has more decimals than a pixel tells apart", start, v)
		}
	}
	if got := eval[string](tb, `document.getElementById("start-x").value + "," + document.getElementById("start-y").value`); got != start {
		t.Errorf("start fields read %s, link %s", got, start)
	}
	tb.checkClean()
}

func TestLinkStepOpensPaused(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&t=25")
	tb.poll(`document.getElementById("step-label").textContent.startsWith("25 ")`)
	if got := eval[string](tb, `document.getElementById("play").textContent`); got != "Play" {
		t.Errorf("a link with t opens %q, want paused (Play)", got)
	}
	tb.poll(`new URLSearchParams(location.search).get("t") === "25"`)
	tb.checkClean()
}

func TestBadOptimizerInLinkAndReconnect(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&opt=foo&opt=adam(lr=0.05,bogus=1)&instant=1")
	notice := eval[string](tb, `document.getElementById("notice").hidden ? "" : document.getElementById("notice-text").textContent`)
	if !strings.Contains(notice, "foo") || !strings.Contains(notice, "bogus") {
		t.Errorf("notice = %q, want it to name the unknown optimizer and parameter", notice)
	}
	if got := tb.query()["opt"]; len(got) != 1 || got[0] != "adam(lr=0.05)" {
		t.Errorf("opt = %v, want the usable part of the link: [adam(lr=0.05)]", got)
	}
	// The websocket drops: the page reconnects and the next run still arrives.
	eval[bool](tb, `(window.basin.sock.ws.close(), true)`)
	tb.poll(`window.basin.sock.ws && window.basin.sock.ws.readyState === 1`)
	x, y := tb.mapPoint(1, 1)
	tb.do(chromedp.MouseClickXY(x, y))
	tb.poll(`window.basin.run && window.basin.run.tracks[0].x(0) === 1 && window.basin.run.done`)
	tb.checkClean()
}

// nextFrame waits for the page's next animation frame: a drag's moves
// arrive a frame apart, as a hand's do, however fast or slow the machine.
var nextFrame = chromedp.Evaluate[chromedp.Void](`new Promise((r) => requestAnimationFrame(() => r(true)))`, chromedp.EvalAwaitPromise)
