package e2e

import (
	"os"
	"slices"
	"testing"
	"time"
)

// latencyQuery is issue 5's benchmark case: 5 optimizers x 1,000 steps.
const latencyQuery = "v=1&f=himmelblau&lr=0.01&steps=1000&opt=sgd&opt=momentum&opt=rmsprop&opt=adagrad&opt=adam"

// latencyBound is what this test enforces on the median slider-to-redraw
// time. Issue 5's target is 50 ms on loopback (docs/BENCHMARKS.md records the
// measured figures); the bound here is looser because CI runs the server
// under the race detector, which slows the computation several times.
const latencyBound = 400 * time.Millisecond

// TestSliderLatency moves the learning-rate slider the way a drag does and
// reads the page's own performance marks: from the slider's input event to
// the frame that draws the finished trajectories.
func TestSliderLatency(t *testing.T) {
	tb := newSerialTab(t, 1280, 900)
	tb.open(latencyQuery)
	res := eval[map[string][]float64](tb, `(async () => {
		const lr = document.getElementById("lr"), b = window.basin;
		const frame = () => new Promise((r) => requestAnimationFrame(r));
		const settle = async () => { while (b.pending || !b.run.done || b.perf.lr.length < want) await frame(); };
		let want = 0;
		// Single moves: each waits for its trajectories, like arrow keys on the slider.
		b.perf.lr.length = 0;
		b.perf.parts.length = 0;
		for (let i = 0; i < 20; i++) {
			lr.value = String(66 + (i % 6));
			lr.dispatchEvent(new Event("input"));
			want = i + 1;
			await settle();
		}
		const single = b.perf.lr.slice();
		const parts = b.perf.parts.slice();
		// A drag: one input event per frame for 60 frames, then release.
		b.perf.lr.length = 0;
		const t0 = performance.now();
		let partial = 0; // frames that showed a run still streaming
		for (let i = 0; i < 60; i++) {
			lr.value = String(50 + (i % 30));
			lr.dispatchEvent(new Event("input"));
			await frame();
			if (!b.run.done) partial++;
		}
		lr.dispatchEvent(new Event("change"));
		want = 1;
		await settle();
		return { single, drag: b.perf.lr.slice(), dragMs: [performance.now() - t0], partial: [partial],
			send: parts.map((p) => p[0]), server: parts.map((p) => p[1]), draw: parts.map((p) => p[2]) };
	})()`)
	single, drag := res["single"], res["drag"]
	if len(single) != 20 {
		t.Fatalf("single moves: %d timings, want 20", len(single))
	}
	p50, max := quantile(single, 0.5), quantile(single, 1)
	t.Logf("slider -> redraw, 5 optimizers x 1000 steps: single moves p50 %.1f ms, p90 %.1f ms, max %.1f ms (n=%d)",
		p50, quantile(single, 0.9), max, len(single))
	t.Logf("  p50 parts: until sent %.1f ms, server and transport %.1f ms, drawing %.1f ms",
		quantile(res["send"], 0.5), quantile(res["server"], 0.5), quantile(res["draw"], 0.5))
	if len(drag) > 0 {
		t.Logf("drag of 60 frames (%.0f ms): %d runs drawn complete while dragging, p50 %.1f ms, max %.1f ms",
			res["dragMs"][0], len(drag), quantile(drag, 0.5), quantile(drag, 1))
	}
	if p := res["partial"][0]; p > 0 {
		t.Errorf("while dragging, %v frames showed a half-streamed run; want only complete runs", p)
	}
	if os.Getenv("BASIN_LATENCY_STRICT") == "1" && p50 > 50 {
		t.Errorf("median slider-to-redraw %.1f ms exceeds issue 5's 50 ms", p50)
	}
	if time.Duration(p50*float64(time.Millisecond)) > latencyBound {
		t.Errorf("median slider-to-redraw %.1f ms exceeds %v", p50, latencyBound)
	}
	tb.shot("after-drag")
	tb.checkClean()
}

func quantile(v []float64, q float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[int(q*float64(len(s)-1)+0.5)]
}
