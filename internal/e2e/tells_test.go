package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// setField puts text in the field with that id and fires its change, as
// leaving the field after typing does.
func setField(tb *tab, id, text string) {
	tb.t.Helper()
	eval[bool](tb, `(() => { const f = document.getElementById(`+jsString(id)+`); f.value = `+jsString(text)+`; f.dispatchEvent(new Event("change")); return true; })()`)
}

// TestFieldsRefuseWithReasons: a refused value is explained in words with
// the allowed range, and the field shows again the value in effect.
func TestFieldsRefuseWithReasons(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&steps=500&instant=1")
	cases := []struct{ id, text, want, kept string }{
		{"steps", "20000", "from 1 to 10000", "500"},
		{"steps", "-3", "from 1 to 10000", "500"},
		{"steps", "2.5", "from 1 to 10000", "500"},
		{"seed", "-1", "seed ≥ 0", "1"},
		{"noise", "-0.5", "noise level ≥ 0", "0"},
		{"start-x", "1e9", "from −1000000 to 1000000", "0"},
	}
	for _, c := range cases {
		setField(tb, c.id, c.text)
		msg := eval[string](tb, `document.getElementById("settings-error").hidden ? "" : document.getElementById("settings-error").textContent`)
		if !strings.Contains(msg, c.want) || !strings.Contains(msg, c.text) {
			t.Errorf("%s = %s: message %q, want one naming %q and the range %q", c.id, c.text, msg, c.text, c.want)
		}
		if got := eval[string](tb, `document.getElementById(`+jsString(c.id)+`).value`); got != c.kept {
			t.Errorf("%s = %s: field shows %q, want the value in effect %q", c.id, c.text, got, c.kept)
		}
	}
	if got := tb.query().Get("steps"); got != "500" {
		t.Errorf("link steps = %q, want 500 kept", got)
	}
	setField(tb, "steps", "300")
	tb.waitIdle()
	if !eval[bool](tb, `document.getElementById("settings-error").hidden`) {
		t.Error("the refusal stayed after a good value")
	}

	// An optimizer's learning rate "abc": the reason under its row, and the field back to the shared rate.
	eval[bool](tb, `(() => { const d = document.querySelector("#opt-list li.opt details"); d.open = true; return true; })()`)
	tb.poll(`document.querySelector("#opt-list li.opt .hp input") !== null`)
	id := eval[string](tb, `document.querySelector("#opt-list li.opt .hp label[for$='-lr']").htmlFor`)
	setField(tb, id, "abc")
	msg := eval[string](tb, `document.querySelector("#opt-list li.opt .hp-error").textContent`)
	if !strings.Contains(msg, "lr > 0") || !strings.Contains(msg, "abc") {
		t.Errorf("lr = abc: message %q, want one naming abc and lr > 0", msg)
	}
	if got := eval[string](tb, `document.getElementById(`+jsString(id)+`).value`); got != "" {
		t.Errorf("lr field shows %q after abc, want it empty (the shared rate in effect)", got)
	}
	tb.checkClean()
}

// TestBadLinkNamesEverythingChanged: a link's unusable parts are named,
// and so is everything the page changed because of them, each with what it
// did instead.
func TestBadLinkNamesEverythingChanged(t *testing.T) {
	tb := newTab(t, 1280, 900)
	notice := func() string {
		return eval[string](tb, `document.getElementById("notice").hidden ? "" : document.getElementById("notice-text").textContent`)
	}
	tb.open("v=1&f=nosuch&lr=0.02&start=1,1&domain=-2,2,-2,2&instant=1")
	n := notice()
	for _, want := range []string{`"nosuch" is not a function`, "Himmelblau is shown instead", "domain (reset to Himmelblau's default", "start (reset", "lr (reset"} {
		if !strings.Contains(n, want) {
			t.Errorf("notice %q lacks %q", n, want)
		}
	}
	if strings.Contains(n, "the default is shown") {
		t.Errorf("notice %q says the default is shown", n)
	}

	tb.open("v=1&f=himmelblau&opt=foo&opt=adam&instant=1")
	n = notice()
	if !strings.Contains(n, `"foo" is not an optimizer`) || !strings.Contains(n, "left out") {
		t.Errorf("notice %q: want foo named as left out", n)
	}
	if strings.Contains(n, "default") {
		t.Errorf("notice %q speaks of defaults, but the link's Adam is shown", n)
	}
	if got := tb.query()["opt"]; len(got) != 1 || got[0] != "adam" {
		t.Errorf("link opt = %v, want [adam]", got)
	}

	tb.open("v=1&f=himmelblau&opt=foo&instant=1")
	if n = notice(); !strings.Contains(n, "default ones are shown") {
		t.Errorf("notice %q: want it to say the default optimizers are shown", n)
	}
	tb.checkClean()
}

// TestSecondCue: optimizers differ in more than colour. The legend shows
// each one's dash pattern and marker, and no two checked optimizers share
// either (SGD and Adam look alike under deuteranopia).
func TestSecondCue(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&opt=sgd&opt=momentum&opt=rmsprop&opt=adagrad&opt=adam&instant=1")
	cues := eval[[]string](tb, `[...document.querySelectorAll("li.opt.on .swatch svg")].map((s) => (s.querySelector("line").getAttribute("stroke-dasharray") || "solid") + "|" + (s.querySelector("[data-marker]")?.dataset.marker || "none"))`)
	if len(cues) != 5 {
		t.Fatalf("legend marks %v, want 5", cues)
	}
	dashes, markers := map[string]bool{}, map[string]bool{}
	for _, c := range cues {
		d, m, _ := strings.Cut(c, "|")
		if dashes[d] || markers[m] || m == "none" {
			t.Errorf("legend marks %v: a dash pattern or marker repeats or is missing", cues)
		}
		dashes[d], markers[m] = true, true
	}
	// The legend's cue is the one its path is drawn with: the line's colour is the run's.
	colours := eval[[]string](tb, `[...document.querySelectorAll("li.opt.on .swatch svg line")].map((l) => l.getAttribute("stroke").toLowerCase())`)
	runColours := eval[[]string](tb, `window.basin.run.colours.map((c) => c.toLowerCase())`)
	if strings.Join(colours, ",") != strings.Join(runColours, ",") {
		t.Errorf("legend colours %v, paths %v", colours, runColours)
	}
	tb.checkClean()
}

// TestFunctionListBrowse: the arrow keys move through the Function list
// without a run per press and without taking the focus into Expression
// when they pass "Custom function"; the choice is taken when they rest.
func TestFunctionListBrowse(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&instant=1")
	runID := func() string { return eval[string](tb, `window.basin.run.id`) }
	before := runID()
	tb.do(chromedp.Focus(chromedp.ID("fn")))
	tb.poll(`document.activeElement === document.getElementById("fn")`)
	tb.do(chromedp.KeyEvent(kb.End)) // "Custom function", the list's last entry
	if got := eval[string](tb, `document.activeElement.id`); got != "fn" {
		t.Errorf("focus went to #%s on passing Custom function, want it kept on the list", got)
	}
	tb.do(chromedp.KeyEvent(kbArrowUp), chromedp.KeyEvent(kbArrowUp), chromedp.KeyEvent(kbArrowUp))
	want := eval[string](tb, `document.getElementById("fn").value`)
	tb.poll(`new URLSearchParams(location.search).get("f") === ` + jsString(want))
	tb.waitIdle()
	if got := eval[string](tb, `document.activeElement.id`); got != "fn" {
		t.Errorf("focus on #%s after browsing, want the list", got)
	}
	// One run for the whole walk through the list: the run ids count up by one.
	n := func(id string) int { v, _ := strconv.Atoi(strings.TrimPrefix(id, "run")); return v }
	if got := n(runID()) - n(before); got != 1 {
		t.Errorf("%d runs sent while browsing four entries, want 1", got)
	}
	tb.checkClean()
}

// TestAnnouncementFollowsLanguage: what the screen reader is told of a run
// is in the language chosen, also after switching.
func TestAnnouncementFollowsLanguage(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&lang=en&instant=1")
	tb.poll(`document.getElementById("announce").textContent.startsWith("Outcomes: ")`)
	eval[bool](tb, `(() => { const s = document.getElementById("lang"); s.value = "ja"; s.dispatchEvent(new Event("change")); return true; })()`)
	tb.poll(`document.getElementById("announce").textContent.startsWith("結果：") && document.getElementById("announce").lang === "ja"`)
	if got := eval[string](tb, `document.getElementById("announce").textContent`); strings.Contains(got, "converged") || strings.Contains(got, "reached") {
		t.Errorf("announcement after switching to Japanese: %q", got)
	}
	tb.checkClean()
}

// TestPhoneLayoutTells: on a phone the loss chart and the downloads come
// right after the map, every control is a touch target of at least 24 px,
// headings keep their order and no table has an empty header cell.
func TestPhoneLayoutTells(t *testing.T) {
	tb := newTab(t, 390, 844)
	tb.open("v=1&f=himmelblau&instant=1&panel=inside")
	// Open what a person opens: an optimizer's hyperparameters and its About panel.
	eval[bool](tb, `(() => { document.querySelector("#opt-list li.opt.on details").open = true; document.querySelector("#opt-list li.opt.on .info-btn").click(); return true; })()`)
	tb.poll(`document.querySelector("#inside .inside-body") !== null && !document.querySelector("#inside .inside-body").hidden && document.querySelector(".opt-info h3") !== null`)
	geo := eval[map[string]float64](tb, `(() => {
		const r = (id) => document.getElementById(id).getBoundingClientRect();
		return {mapBottom: r("map-wrap").bottom, chartTop: r("chart").top, pngBottom: r("dl-png").bottom};
	})()`)
	if geo["chartTop"]-geo["mapBottom"] > 200 || geo["pngBottom"]-geo["mapBottom"] > 844 {
		t.Errorf("on a phone the chart starts %.0f px and the downloads end %.0f px below the map; want them within a screen", geo["chartTop"]-geo["mapBottom"], geo["pngBottom"]-geo["mapBottom"])
	}
	small := eval[[]string](tb, `[...document.querySelectorAll("button, summary, select, input:not([type=hidden]), [role=button]")]
		.filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && e.checkVisibility() && (r.height < 24 || r.width < 24) && !(e.type === "checkbox" && e.closest("label")); })
		.map((e) => (e.id || e.className || e.tagName) + " " + Math.round(e.getBoundingClientRect().width) + "x" + Math.round(e.getBoundingClientRect().height))`)
	if len(small) > 0 {
		t.Errorf("touch targets under 24 px: %v", small)
	}
	jumps := eval[[]string](tb, `(() => {
		const out = []; let prev = 0;
		for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
			const n = Number(h.tagName[1]);
			if (prev && n > prev + 1) out.push(h.tagName + " " + h.textContent.trim() + " after h" + prev);
			prev = n;
		}
		return out;
	})()`)
	if len(jumps) > 0 {
		t.Errorf("headings skip levels: %v", jumps)
	}
	empty := eval[int](tb, `[...document.querySelectorAll("th")].filter((th) => !th.textContent.trim() && !th.getAttribute("aria-label")).length`)
	if empty > 0 {
		t.Errorf("%d empty table header cells", empty)
	}
	tb.checkClean()
}

// TestDefaultPageTellsItsStory: the page a first visit opens shows runs
// that end somewhere (no "not converged after 500 steps"), and its basin
// map is converged nearly everywhere.
func TestDefaultPageTellsItsStory(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("")
	outcomes := eval[[]string](tb, `[...document.querySelectorAll("#opt-list li.opt.on .opt-outcome")].map((e) => e.textContent)`)
	if len(outcomes) != 3 {
		t.Fatalf("default outcomes %v, want 3", outcomes)
	}
	for _, o := range outcomes {
		if !strings.HasPrefix(o, "reached") {
			t.Errorf("default page outcome %q: want every run to reach a minimum", o)
		}
	}
	// Adam runs at its own rate, and its row says so (the slider does not move it).
	if got := eval[string](tb, `[...document.querySelectorAll("#opt-list li.opt.on .opt-own-lr")].map((e) => e.textContent).join("|")`); got != "||own lr 0.1" {
		t.Errorf("own-rate notes %q, want only Adam's \"own lr 0.1\"", got)
	}
	tb.clickInPanel("#basin-toggle")
	tb.poll(`window.basin.basins.cur && window.basin.basins.cur.finished`)
	share := eval[float64](tb, `(() => { const c = window.basin.basins.cur.counts; let all = 0; for (const v of c.values()) all += v; return (c.get("not_converged") || 0) / all; })()`)
	if share > 0.1 {
		t.Errorf("default basin map: %.0f%% not converged, want under 10%%", 100*share)
	}
	tb.checkClean()
}

// TestAdviceHolds: SGD on Rosenbrock from (−1.5, 2) at lr 2e-3 has not
// converged after 500 steps, and 2.24e-3 (the slider's next rate) already
// diverges: the hint must not say "try a larger learning rate", and says
// why not.
func TestAdviceHolds(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=rosenbrock&start=-1.5,2&lr=0.002&opt=sgd&instant=1")
	tb.poll(`document.querySelector("#opt-list li.opt.on .opt-hint")?.textContent.includes("already diverges")`)
	hint := eval[string](tb, `document.querySelector("#opt-list li.opt.on .opt-hint").textContent`)
	if !strings.Contains(hint, "2.24e-3 already diverges") || strings.Contains(hint, "Try a larger") || strings.Contains(hint, "helps") {
		t.Errorf("hint %q: want it to name 2.24e-3 as diverging and suggest no larger rate", hint)
	}
	tb.checkClean()
}

// TestChartKeepsDivergedPathWhole: SGD on Rosenbrock from (−1.5, 2) at
// 2.5e-3 diverges to a loss of about 1e55 within 6 steps while Adam stays
// between 4 and 12.5: the loss chart's axis must hold both paths whole.
func TestChartKeepsDivergedPathWhole(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=rosenbrock&start=-1.5,2&lr=0.0025&opt=sgd&opt=adam(lr=0.01)&instant=1")
	out := eval[[]string](tb, `(async () => {
		const { chartScale } = await import("/js/chart.js");
		const r = window.basin.run, g = window.basin.fi.minima.filter((m) => m.global).map((m) => m.value);
		const s = chartScale(r, Math.min(...g));
		const out = [];
		r.tracks.forEach((tr, k) => {
			for (let i = 0; i < tr.n; i++) {
				const d = tr.loss(i) - s.floor;
				if (d > 0 && (d < 10 ** s.ly0 || d > 10 ** s.ly1)) { out.push(r.labels[k] + " step " + i + ": " + d + " outside 1e" + s.ly0 + "..1e" + s.ly1); break; }
			}
		});
		return out;
	})()`)
	if len(out) > 0 {
		t.Errorf("loss chart cuts paths: %v", out)
	}
	tb.checkClean()
}
