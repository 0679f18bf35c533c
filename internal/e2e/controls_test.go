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
				parts = append(parts, strings.TrimSpace(jsNumber(x)))
			}
		default:
			parts = []string{jsNumber(v)}
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

// jsNumber writes a JSON-decoded number as JavaScript's String(v) does for
// the plain values presets use.
func jsNumber(v any) string {
	return eval2string(v)
}

func TestSameOptimizerTwiceAndPlayback(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&opt=adam&instant=1")
	// "+" on Adam adds a second Adam with its own settings.
	tb.do(chromedp.Click(chromedp.CSS(`#opt-list li.opt.on .opt-tools button`)))
	tb.poll(`new URLSearchParams(location.search).getAll("opt").length === 2`)
	tb.waitIdle()
	if got := tb.query()["opt"]; len(got) != 2 || got[0] != "adam" || got[1] != "adam" {
		t.Errorf("opt after adding another Adam = %v", got)
	}
	if n := len(tb.tracks()); n != 2 {
		t.Errorf("%d trajectories, want 2", n)
	}
	// Its own learning rate goes in its opt.
	tb.do(chromedp.Click(chromedp.CSS(`#opt-list li[data-label='Adam 2'] summary`)))
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
	t0 := eval[int](tb, `Number(document.getElementById("timeline").value)`)
	tb.do(chromedp.Click(chromedp.ID("step")))
	tb.poll(`Number(document.getElementById("timeline").value) === ` + itoa(t0+1))
	eval[bool](tb, `(() => { const r = document.getElementById("timeline"); r.value = "40"; r.dispatchEvent(new Event("input")); return true; })()`)
	tb.poll(`document.getElementById("step-label").textContent.startsWith("40 ")`)
	tb.poll(`new URLSearchParams(location.search).get("t") === "40"`)
	tb.checkClean()
}
