package e2e

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// emulateMedia sets prefers-color-scheme and prefers-reduced-motion.
func (tb *tab) emulateMedia(features ...*emulation.MediaFeature) {
	tb.t.Helper()
	tb.changesTab()
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: features}); err != nil {
		tb.t.Fatalf("emulate media: %v", err)
	}
}

func TestHoverShowsValues(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&instant=1")
	blank := eval[int](tb, paintedPixels)
	// Over the first trajectory's 5th point: a tooltip box appears.
	p := eval[[]float64](tb, `[window.basin.run.tracks[0].x(5), window.basin.run.tracks[0].y(5)]`)
	x, y := tb.mapPoint(p[0], p[1])
	tb.do(chromedp.MouseEvent(chromedp.MouseMoved, x, y))
	tb.poll(`window.basin.hover !== null`)
	tb.afterFrame() // the tooltip is drawn in the frame after the move
	tb.shot("hover-path")
	withTip := eval[int](tb, paintedPixels)
	if withTip <= blank {
		t.Errorf("hovering a path painted %d pixels, no more than without (%d)", withTip, blank)
	}
	// Over the global minimum at (3, 2).
	x, y = tb.mapPoint(-2.805118, 3.131312)
	tb.do(chromedp.MouseEvent(chromedp.MouseMoved, x, y))
	tb.shot("hover-minimum")
	tb.checkClean()
}

// paintedPixels counts non-transparent pixels on the map's top layer.
const paintedPixels = `(() => {
	const c = document.getElementById("map"), d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
	let n = 0;
	for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
	return n;
})()`

func TestDarkAndReducedMotion(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.emulateMedia(&emulation.MediaFeature{Name: "prefers-color-scheme", Value: "dark"},
		&emulation.MediaFeature{Name: "prefers-reduced-motion", Value: "reduce"})
	tb.open("v=1&f=rosenbrock")
	tb.shot("dark")
	bg := eval[string](tb, `getComputedStyle(document.body).backgroundColor`)
	if bg == "rgb(251, 251, 250)" || bg == "rgba(0, 0, 0, 0)" {
		t.Errorf("dark scheme background = %s", bg)
	}
	// Reduced motion: whole paths at once, no animation.
	if !eval[bool](tb, `window.basin.S.instant`) {
		t.Error("prefers-reduced-motion did not turn on instant paths")
	}
	tb.checkClean()
}

func TestZoomPanAndReset(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&lr=0.02&instant=1")
	x, y := tb.mapPoint(3, 2)
	for range 4 {
		tb.do(chromedp.MouseEvent(chromedp.MouseWheel, x, y, func(p *input.DispatchMouseEventParams) {
			p.DeltaY = -200
			p.DeltaX = 0.001 // cdproto omits a zero deltaX, which Chromium requires
		}))
	}
	tb.poll(`new URLSearchParams(location.search).has("view")`)
	tb.poll(`window.basin.land.grid.box[1] - window.basin.land.grid.box[0] < 9`) // resampled for the view
	tb.waitIdle()
	tb.shot("zoomed")
	if n := eval[int](tb, `(() => { const v = window.basin.S.view; return v[1] - v[0] < 10 ? 1 : 0; })()`); n != 1 {
		t.Error("wheel did not zoom in")
	}
	// Drag pans: the view moves, the start stays.
	start := eval[string](tb, `new URLSearchParams(location.search).get("start")`)
	view := eval[string](tb, `new URLSearchParams(location.search).get("view")`)
	x0, y0 := tb.mapPoint(2, 1)
	tb.do(chromedp.MouseEvent(chromedp.MousePressed, x0, y0, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, x0+40, y0+30, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, x0+80, y0+60, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseReleased, x0+80, y0+60, chromedp.ButtonLeft))
	tb.poll(`new URLSearchParams(location.search).get("view") !== ` + jsString(view))
	if got := eval[string](tb, `new URLSearchParams(location.search).get("start")`); got != start {
		t.Errorf("panning moved the start from %s to %s", start, got)
	}
	tb.shot("panned")
	tb.do(chromedp.Click(chromedp.ID("reset-view")))
	tb.poll(`!new URLSearchParams(location.search).has("view")`)
	tb.checkClean()
}

func jsString(s string) string {
	b := []byte{'"'}
	for _, c := range []byte(s) {
		if c == '"' || c == '\\' {
			b = append(b, '\\')
		}
		b = append(b, c)
	}
	return string(append(b, '"'))
}
