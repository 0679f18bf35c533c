package e2e

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Noisy runs on the double well (the noise-escapes lesson's start): the
// page words the server's wandering and hover outcomes, in English and
// Japanese, and the basin map shows wandering cells with their own striped
// cue. The settings were found with POST /api/v1/runs and /basins; each
// check reads the server's outcome from the page and holds the words to it.

// noisyWell is the lesson's run with the learning rate and noise left open.
const noisyWell = "v=1&f=double-well&start=1.8,1.5&steps=500&opt=sgd&instant=1"

// outcomeOf reads the first track's outcome as the server sent it, and the
// words beside its row.
func outcomeOf(tb *tab) (map[string]any, string) {
	tb.t.Helper()
	tb.waitIdle()
	o := eval[map[string]any](tb, `window.basin.run.tracks[0].outcome`)
	words := eval[string](tb, `document.querySelector(".opt.on .opt-outcome").textContent`)
	return o, words
}

// TestNoisyWanderingWords drives SGD with strong noise until the server
// calls the run wandering, and checks the row, the announcement and their
// language follow it, with the points the server named.
func TestNoisyWanderingWords(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open(noisyWell + "&lr=0.1&seed=1&noise=4")
	o, words := outcomeOf(tb)
	if o["status"] != "wandering" {
		t.Fatalf("outcome %v, want wandering (the settings no longer wander: find new ones with POST /api/v1/runs)", o)
	}
	between, _ := o["between"].([]any)
	if len(between) != 2 {
		t.Fatalf("between = %v, want the two minima", o["between"])
	}
	pts := make([]string, len(between))
	for i, b := range between {
		p := b.(map[string]any)
		pts[i] = "(" + minus(eval2string(p["x"])) + ", " + minus(eval2string(p["y"])) + ")"
	}
	want := "wandering between the minima at " + pts[0] + " and " + pts[1]
	if words != want {
		t.Errorf("outcome words %q, want %q", words, want)
	}
	tb.poll(`document.getElementById("announce").textContent.includes(` + jsString(want) + `)`)
	if l := eval[string](tb, `document.getElementById("announce").lang`); l != "en" {
		t.Errorf("announcement lang %q, want en", l)
	}
	tb.selectLang("ja")
	wantJa := "極小値 " + pts[0] + " と " + pts[1] + " の間をさまよっている"
	tb.poll(`document.querySelector(".opt.on .opt-outcome").textContent === ` + jsString(wantJa))
	tb.poll(`document.getElementById("announce").lang === "ja" && document.getElementById("announce").textContent.includes(` + jsString(wantJa) + `)`)
	tb.shot("noisy-wandering")
	tb.checkClean()
}

// withinRE reads the radius and the step out of the hover sentence.
var withinRE = regexp.MustCompile(`^hovers within ([0-9.e−-]+) of (the global|a local) minimum \((−?[0-9.]+), (−?[0-9.]+)\), in its basin (from step (\d+)|from the start)`)

// TestNoisyHoverWords checks two noisy runs that settle: one that crossed
// into the global minimum's basin and hovers there from a later step, and
// one that never left the basin it started in, which is at rest from the
// start. The radius said must bound the server's (rounded up) and be no
// looser than its second significant digit.
func TestNoisyHoverWords(t *testing.T) {
	tb := newTab(t, 1280, 900)
	cases := []struct {
		query  string
		global bool
	}{
		{noisyWell + "&lr=0.05&seed=1&noise=4", true},
		{noisyWell + "&lr=0.05&seed=1&noise=2", false},
	}
	for _, c := range cases {
		tb.open(c.query)
		o, words := outcomeOf(tb)
		hover, ok := o["hover"].(float64)
		reached, _ := o["reached"].(map[string]any)
		if o["status"] != "converged" || !ok || reached == nil {
			t.Fatalf("%s: outcome %v, want converged with hover (find new settings with POST /api/v1/runs)", c.query, o)
		}
		if g, _ := reached["global"].(bool); g != c.global {
			t.Fatalf("%s: reached %v, want global=%v", c.query, reached, c.global)
		}
		m := withinRE.FindStringSubmatch(words)
		if m == nil {
			t.Errorf("%s: outcome words %q do not say how closely it hovers", c.query, words)
			continue
		}
		r, err := strconv.ParseFloat(strings.ReplaceAll(m[1], "−", "-"), 64)
		if err != nil || r < hover || r > hover*1.1+1e-12 {
			t.Errorf("%s: says within %s, the server's radius is %v: want it rounded up to 2 significant digits", c.query, m[1], hover)
		}
		if (m[2] == "the global") != c.global {
			t.Errorf("%s: %q names the wrong kind of minimum (server: %v)", c.query, words, reached)
		}
		if x := minus(eval2string(reached["x"])); m[3] != x {
			t.Errorf("%s: %q names x %s, the server %s", c.query, words, m[3], x)
		}
		step := o["step"].(float64)
		switch {
		case step == 0 && m[5] != "from the start":
			t.Errorf("%s: a run at rest from step 0 says %q, want \"from the start\"", c.query, m[5])
		case step > 0 && m[6] != fmt.Sprint(step):
			t.Errorf("%s: says %q, the server's step is %v", c.query, m[5], step)
		}
	}
	// The second case is the one that never left its basin.
	if _, words := outcomeOf(tb); !strings.Contains(words, "from the start") {
		t.Errorf("the run that never left its basin says %q", words)
	}
	tb.selectLang("ja")
	tb.poll(`/^局所最適解 \(1, 0\) の半径[0-9.]+以内を漂っている（最初からその盆地の中/.test(document.querySelector(".opt.on .opt-outcome").textContent)`)
	tb.checkClean()
}

// TestBasinMapWandering turns the basin overlay on where every noisy run
// keeps crossing the ridge: the cells are counted as wandering, painted in
// two stripes of the wandering colour (a cue besides hue), named in the
// legend with a striped swatch, and the pointer's sentence says so.
func TestBasinMapWandering(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=double-well&start=1.8,1.5&lr=0.1&steps=500&seed=1&noise=4&opt=sgd&instant=1")
	tb.waitIdle()
	tb.clickInPanel("#basin-toggle")
	tb.poll(`window.basin.basins.cur && window.basin.basins.cur.finished`)
	tb.afterFrame()
	counted := eval[int](tb, `window.basin.basins.cur.counts.get("wandering") || 0`)
	status := eval[int](tb, `window.basin.basins.cur.status.filter((s) => s === 4).length`)
	if status == 0 || counted != status {
		t.Fatalf("%d cells have status wandering (4), the legend counts %d", status, counted)
	}
	// Two neighbouring wandering cells two apart along a row lie on different stripes.
	stripes := eval[[][]int](tb, `(() => {
		const m = window.basin.basins.cur, n = m.n, out = [];
		for (let c = 0; c + 2 < n * n && out.length < 2; c++) {
			if (m.status[c] !== 4 || m.status[c + 2] !== 4 || (c % n) + 2 >= n) continue;
			const px = (k) => { const i = k % n, j = Math.floor(k / n), o = 4 * ((n - 1 - j) * n + i); return [...m.image.data.slice(o, o + 3)]; };
			out.push(px(c), px(c + 2));
		}
		return out;
	})()`)
	if len(stripes) != 2 || fmt.Sprint(stripes[0]) == fmt.Sprint(stripes[1]) {
		t.Errorf("wandering cells two apart painted %v: want two different stripes", stripes)
	}
	item := `document.querySelector("#basin-legend li.wandering")`
	if !eval[bool](tb, item+` !== null && `+item+`.querySelector(".basin-sw.striped") !== null`) {
		t.Fatal("no striped wandering entry in the basin legend")
	}
	pct := int(math.Round(100 * float64(counted) / float64(eval[int](tb, `window.basin.basins.cur.n ** 2`))))
	if s := eval[string](tb, item+`.textContent`); s != fmt.Sprintf("wandering between basins (striped) · %d%%", pct) {
		t.Errorf("legend entry %q, want its share %d%%", s, pct)
	}
	// The start (1.8, 1.5): where does a run from there end?
	here := eval[string](tb, `document.getElementById("basin-here").textContent`)
	startCell := eval[int](tb, `(() => { const c = window.basin.basins.cur.cellAt(1.8, 1.5); return c ? c.status : -1; })()`)
	if startCell == 4 && !strings.Contains(here, "still wandering between basins after") {
		t.Errorf("the start's cell wanders, the sentence says %q", here)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	tb.shot("basins-wandering")
	tb.selectLang("ja")
	tb.poll(item + `.textContent.startsWith("盆地の間をさまよう（縞模様）")`)
	tb.checkClean()
}

// minus writes a number's sign as the page does (U+2212).
func minus(s string) string { return strings.Replace(s, "-", "−", 1) }

// TestCriticalNotes types functions whose critical search has more to say
// than the marks: a minimum on the box's edge, no lowest value on the box,
// and more minima than the description lists. The words under the map
// follow the server's counts.
func TestCriticalNotes(t *testing.T) {
	tb := newTab(t, 1280, 900)
	cases := []struct{ expr, want string }{
		{"x%2By", "1 minimum lies on the box's edge (a square mark)"},
		{"log(x%5E2%2By%5E2)", "unbounded below on this box: no global minimum"},
		{"sin(30*x)*sin(30*y)%2B0.01*(x%5E2%2By%5E2)", ""},
	}
	for _, c := range cases {
		tb.open("v=1&expr=" + c.expr + "&domain=-4,4,-4,4&instant=1")
		tb.waitIdle()
		desc := eval[string](tb, `document.getElementById("map-desc").textContent`)
		want := c.want
		if want == "" {
			found := eval[int](tb, `window.basin.fi.minima_found`)
			shown := eval[int](tb, `window.basin.fi.minima.length`)
			if found <= shown {
				t.Fatalf("%s: %d minima found, %d listed: the server lists them all now, choose a function with more", c.expr, found, shown)
			}
			want = fmt.Sprintf("%d minima found, %d shown", found, shown)
		}
		if !strings.Contains(desc, want) {
			t.Errorf("%s: under the map %q, want it to say %q", c.expr, desc, want)
		}
	}
	tb.checkClean()
}

// TestSweepThresholdDigits asks for the divergence threshold to 5
// significant digits and checks the summary says the server's refined
// number, and the unit below it that did not diverge.
func TestSweepThresholdDigits(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=quadratic&start=-4,3.5&instant=1&opt=sgd")
	tb.waitIdle()
	tb.clickInPanel(`#sweep-panel > summary`)
	tb.poll(`window.basin.sweep.done`)
	eval[bool](tb, `(() => { const s = document.getElementById("sweep-digits"); s.value = "5"; s.dispatchEvent(new Event("change")); return true; })()`)
	tb.poll(`window.basin.sweep.done && window.basin.sweep.cls.digits === 5`)
	th := eval[float64](tb, `window.basin.sweep.cls.threshold`)
	if th <= 0 {
		t.Fatalf("threshold %v", th)
	}
	if r, _ := strconv.ParseFloat(strconv.FormatFloat(th, 'g', 5, 64), 64); r != th {
		t.Errorf("threshold %v has more than 5 significant digits", th)
	}
	unit := math.Pow(10, math.Floor(math.Log10(th))-4)
	below, _ := strconv.ParseFloat(strconv.FormatFloat(th-unit, 'g', 5, 64), 64)
	want := "It diverges at " + jsFloat(th) + " and did not at " + jsFloat(below) + " (threshold refined to 5 significant digits)"
	if s := eval[string](tb, `document.getElementById("sweep-summary").textContent`); !strings.Contains(s, want) {
		t.Errorf("sweep summary %q, want %q", s, want)
	}
	tb.checkClean()
}
