package e2e

import (
	"math"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// touch sends one touch event with the given points (none for touchEnd).
func (tb *tab) touch(typ input.DispatchTouchEventType, pts ...[2]float64) {
	tb.t.Helper()
	var tps []*input.TouchPoint
	for i, p := range pts {
		id := float64(i + 1)
		tps = append(tps, &input.TouchPoint{X: p[0], Y: p[1], ID: &id})
	}
	if tps == nil {
		tps = []*input.TouchPoint{}
	}
	if _, err := chromedp.Call(tb.ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: tps}); err != nil {
		tb.t.Fatalf("touch %s: %v", typ, err)
	}
}

// TestPhoneTapAndPinch taps the map to set the start and pinches to zoom,
// on a touch phone screen.
func TestPhoneTapAndPinch(t *testing.T) {
	tb := newTab(t, 390, 844)
	tb.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	tb.open("v=1&f=himmelblau&start=0,0&instant=1")
	x, y := tb.mapPoint(2, -2)
	tb.touch(input.DispatchTouchEventTypeTouchStart, [2]float64{x, y})
	tb.touch(input.DispatchTouchEventTypeTouchEnd)
	tb.poll(`new URLSearchParams(location.search).get("start") !== "0,0"`)
	tb.waitIdle()
	s := eval[[]float64](tb, `window.basin.S.start`)
	if math.Abs(s[0]-2) > 0.1 || math.Abs(s[1]+2) > 0.1 {
		t.Errorf("tap near (2, -2) set the start to %v", s)
	}
	// Pinch out about (0, 0): the view shrinks around it.
	cx, cy := tb.mapPoint(0, 0)
	tb.touch(input.DispatchTouchEventTypeTouchStart, [2]float64{cx - 20, cy}, [2]float64{cx + 20, cy})
	for i := 1; i <= 5; i++ {
		d := 20 + float64(i)*12
		tb.touch(input.DispatchTouchEventTypeTouchMove, [2]float64{cx - d, cy}, [2]float64{cx + d, cy})
	}
	tb.touch(input.DispatchTouchEventTypeTouchEnd)
	tb.poll(`new URLSearchParams(location.search).has("view")`)
	v := eval[[]float64](tb, `window.basin.S.view`)
	if w := v[1] - v[0]; w > 5 || w < 2 {
		t.Errorf("pinching 40 px apart to 140 px should zoom about 3.5x, view %v", v)
	}
	if mid := (v[0] + v[1]) / 2; math.Abs(mid) > 0.3 {
		t.Errorf("pinch about (0, 0) moved the view's centre to x=%g", mid)
	}
	tb.shot("pinched")
	tb.checkClean()
}
