package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The Japanese interface, the explanations, the hints and the guided
// examples, driven as a reader would.

// preferLanguages makes the browser report langs as navigator.languages
// (and send them as Accept-Language), as a reader's browser settings do.
func (tb *tab) preferLanguages(langs string) {
	tb.t.Helper()
	tb.changesTab()
	ua := eval[string](tb, `navigator.userAgent`)
	if _, err := chromedp.Call(tb.ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: langs}); err != nil {
		tb.t.Fatalf("accept-language: %v", err)
	}
}

// text gives the trimmed text of the first element matching a CSS selector.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return eval[string](tb, `(document.querySelector(`+jsString(sel)+`)?.textContent || "").trim()`)
}

func (tb *tab) attr(sel, name string) string {
	tb.t.Helper()
	return eval[string](tb, `document.querySelector(`+jsString(sel)+`)?.getAttribute(`+jsString(name)+`) || ""`)
}

// click clicks an element by script: panels above the Learn section grow
// as runs finish, which can move a button between chromedp's scroll and
// its mouse press.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.poll(`document.querySelector(` + jsString(sel) + `) !== null`)
	tb.do(chromedp.Evaluate[chromedp.Void](`document.querySelector(` + jsString(sel) + `).click()`))
}

// selectLang uses the Language control as a reader does.
func (tb *tab) selectLang(code string) {
	tb.t.Helper()
	tb.do(chromedp.SetValue(chromedp.CSS("#lang"), code),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("lang").dispatchEvent(new Event("change"))`))
}

func TestLanguageFromBrowserAndSwitch(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.do(chromedp.Navigate("about:blank")) // a document to read the user agent in
	tb.preferLanguages("ja-JP,ja;q=0.9,en;q=0.8")
	tb.open("v=1&f=himmelblau&instant=1")

	// No lang in the link: the browser's Japanese wins, and the link says so.
	if got := eval[string](tb, `document.documentElement.lang`); got != "ja" {
		t.Fatalf("html lang = %q with a Japanese browser, want ja", got)
	}
	tb.poll(`new URLSearchParams(location.search).get("lang") === "ja"`)
	want := map[string]string{
		`label[for="lr"]`:   "学習率",
		`label[for="fn"]`:   "関数",
		`#copy`:             "リンクをコピー",
		`#learn-title`:      "学ぶ",
		`label[for="seed"]`: "乱数シード",
	}
	for sel, w := range want {
		if got := tb.text(sel); got != w {
			t.Errorf("%s = %q, want %q", sel, got, w)
		}
	}
	labels := map[string]string{"#map": "損失関数の地形", "#playback": "再生", "#chart": "ステップごとの損失", "#timeline": "タイムライン"}
	for sel, w := range labels {
		if got := tb.attr(sel, "aria-label"); got != w {
			t.Errorf("%s aria-label = %q, want %q", sel, got, w)
		}
	}
	// Every preset has its Japanese name (functext.js), and the map's description follows.
	if missing := eval[[]string](tb, `[...document.querySelectorAll("#fn option")].filter((o) => o.value && !/[\u3040-\u30ff\u4e00-\u9fff]/.test(o.text)).map((o) => o.value)`); len(missing) > 0 {
		t.Errorf("presets without a Japanese name: %v", missing)
	}
	if d := tb.text("#map-desc"); !strings.Contains(d, "最小値") {
		t.Errorf("Himmelblau's description in Japanese: %q", d)
	}
	// Every schedule is described in Japanese too (functext.js): pick each and read its tooltip.
	tb.poll(`document.querySelectorAll("#sched option").length > 1`)
	if got := tb.text(`#sched option[value="constant"]`); got != "一定" {
		t.Errorf("the constant schedule is called %q in Japanese", got)
	}
	untranslated := eval[[]string](tb, `(() => {
		const sel = document.getElementById("sched"), out = [];
		for (const o of [...sel.options]) {
			sel.value = o.value;
			sel.dispatchEvent(new Event("change"));
			const tips = [...document.querySelectorAll("#settings [title]")].map((e) => e.title).filter((x) => x);
			if (tips.length === 0 || tips.some((x) => !/[\u3040-\u30ff\u4e00-\u9fff]/.test(x))) out.push(o.value);
		}
		sel.value = "constant";
		sel.dispatchEvent(new Event("change"));
		return out;
	})()`)
	if len(untranslated) > 0 {
		t.Errorf("schedules with English tooltips on the Japanese page: %v", untranslated)
	}
	if title := eval[string](tb, `document.title`); !strings.Contains(title, "損失") {
		t.Errorf("title %q is not Japanese", title)
	}
	// Outcomes are Japanese words; numbers stay ASCII.
	outcomes := eval[[]string](tb, `[...document.querySelectorAll(".opt.on .opt-outcome")].map((e) => e.textContent)`)
	for _, o := range outcomes {
		if !strings.Contains(o, "ステップ") && !strings.Contains(o, "最適解") {
			t.Errorf("outcome %q is not Japanese", o)
		}
		if strings.ContainsAny(o, "０１２３４５６７８９．") {
			t.Errorf("outcome %q has full-width digits", o)
		}
	}
	tb.shot("ja")

	// The switch applies at once, without a reload, and goes into the link.
	tb.do(chromedp.Evaluate[chromedp.Void](`window.__sameDocument = true`))
	tb.selectLang("en")
	tb.poll(`document.documentElement.lang === "en" && new URLSearchParams(location.search).get("lang") === "en"`)
	if !eval[bool](tb, `window.__sameDocument === true`) {
		t.Error("switching language reloaded the page")
	}
	if got := tb.text(`label[for="lr"]`); got != "Learning rate" {
		t.Errorf("after switching to English the slider is labelled %q", got)
	}
	if got := tb.attr("#map", "aria-label"); got != "Loss landscape" {
		t.Errorf("after switching to English the map is named %q", got)
	}
	if got := tb.text(`#fn option[value=""]`); got != "Custom expression" {
		t.Errorf("function list's custom entry = %q after switching", got)
	}
	tb.checkClean()
}

// An explicit lang in a link beats the browser's preference.
func TestLinkLanguageWins(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.do(chromedp.Navigate("about:blank"))
	tb.preferLanguages("ja-JP,ja")
	tb.open("v=1&f=himmelblau&instant=1&lang=en&steps=lots")
	if got := eval[string](tb, `document.documentElement.lang`); got != "en" {
		t.Errorf("link with lang=en opened in %q", got)
	}
	// The notice naming the bad parameter follows a switch of language.
	if n := tb.text("#notice-text"); !strings.Contains(n, "steps") || !strings.Contains(n, "not a whole number") {
		t.Errorf("notice %q", n)
	}
	tb.selectLang("ja")
	tb.poll(`document.documentElement.lang === "ja"`)
	if n := tb.text("#notice-text"); !strings.Contains(n, "このリンク") || !strings.Contains(n, "整数") {
		t.Errorf("notice after switching to Japanese: %q", n)
	}
	tb.checkClean()
}

func TestOptimizerExplanation(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=elliptic&instant=1&lang=ja")
	btn := `button[aria-label="Adamについて"]`
	if n := eval[int](tb, `document.querySelectorAll(`+jsString(btn)+`).length`); n != 1 {
		t.Fatalf("%d buttons named Adamについて, want 1", n)
	}
	tb.clickInPanel(btn)
	box := `#` + tb.attr(btn, "aria-controls")
	tb.poll(`!document.querySelector(` + jsString(box) + `).hidden`)
	if got := tb.attr(btn, "aria-expanded"); got != "true" {
		t.Errorf("aria-expanded = %q after opening", got)
	}
	// The update rule is MathML, laid out by the browser (a real box, not raw text).
	size := eval[[]float64](tb, `(() => { const m = document.querySelector(`+jsString(box+" .info-rule math")+`); if (!m) return [0, 0]; const r = m.getBoundingClientRect(); return [r.width, r.height, m.namespaceURI === "http://www.w3.org/1998/Math/MathML" ? 1 : 0]; })()`)
	if len(size) != 3 || size[0] < 100 || size[1] < 40 || size[2] != 1 {
		t.Errorf("update rule box %v: want rendered MathML at least 100x40", size)
	}
	text := tb.text(box)
	for _, w := range []string{"更新則", "ハイパーパラメータ", "向いている場面", "学習率", "betas"} {
		if !strings.Contains(text, w) {
			t.Errorf("Adam's explanation lacks %q", w)
		}
	}
	tb.do(chromedp.ScrollIntoView(chromedp.CSS(box)))
	tb.shot("adam-ja")

	// Switching language keeps it open and rewrites it.
	tb.selectLang("en")
	tb.poll(`document.documentElement.lang === "en"`)
	btn = `button[aria-label="About Adam"]`
	if got := tb.attr(btn, "aria-expanded"); got != "true" {
		t.Errorf("About Adam aria-expanded = %q after the switch, want it still open", got)
	}
	box = `#` + tb.attr(btn, "aria-controls")
	if text := tb.text(box); !strings.Contains(text, "When it helps") || !strings.Contains(text, "Learning rate") {
		t.Errorf("Adam's explanation after the switch: %.120q", text)
	}
	// A named preset explains itself, not plain SGD.
	tb.clickInPanel(`button[aria-label="About Momentum SGD"]`)
	mbox := `#` + tb.attr(`button[aria-label="About Momentum SGD"]`, "aria-controls")
	if text := tb.text(mbox); !strings.Contains(text, "heavy ball") {
		t.Errorf("Momentum SGD's explanation: %.120q", text)
	}
	// Every optimizer row, seed and "more", has its explanation, and every
	// formula lays out as MathML with a real size.
	tb.click("#more")
	sizes := eval[map[string][]float64](tb, `(() => {
		const out = {};
		for (const b of document.querySelectorAll(".info-btn")) {
			if (b.getAttribute("aria-expanded") !== "true") b.click();
			const m = document.getElementById(b.getAttribute("aria-controls")).querySelector(".info-rule math");
			const r = m ? m.getBoundingClientRect() : { width: 0, height: 0 };
			out[b.getAttribute("aria-label")] = [r.width, r.height];
		}
		return out;
	})()`)
	if len(sizes) < 11 {
		t.Errorf("%d optimizer rows have an About button, want all 11: %v", len(sizes), sizes)
	}
	for name, wh := range sizes {
		if wh[0] < 80 || wh[1] < 40 {
			t.Errorf("%s: update rule laid out at %v px", name, wh)
		}
	}
	// The glossary names the landscape's terms.
	tb.clickInPanel(`#glossary-box summary`)
	g := tb.text("#glossary")
	for _, w := range []string{"Local minimum", "Global minimum", "Saddle point", "Learning rate", "Divergence", "Convergence", "Basin of attraction"} {
		if !strings.Contains(g, w) {
			t.Errorf("glossary lacks %q", w)
		}
	}
	tb.checkClean()
}

func TestOutcomeHints(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=double-well&start=1.8,1.5&lr=3&steps=500&opt=sgd&opt=sgd(momentum=0.8)&instant=1&lang=en")
	// Very large steps on the double well: both diverge.
	hints := eval[[]string](tb, `[...document.querySelectorAll(".opt.on .opt-hint")].map((e) => e.hidden ? "" : e.textContent)`)
	if len(hints) != 2 {
		t.Fatalf("%d hints, want 2", len(hints))
	}
	for _, h := range hints {
		if !strings.Contains(h, "each step overshoots the valley") {
			t.Errorf("hint under a diverged run = %q", h)
		}
	}
	// Each hint links to the glossary entry that explains it.
	tb.click(".opt.on .opt-hint .term-link")
	tb.poll(`document.getElementById("glossary-box").open && document.activeElement === document.getElementById("term-divergence")`)
	tb.open("v=1&f=double-well&start=1.8,1.5&lr=0.05&steps=500&opt=sgd&instant=1&lang=ja")
	if h := tb.text(".opt.on .opt-hint"); !strings.Contains(h, "局所最適解") || !strings.Contains(h, "モーメンタム") {
		t.Errorf("hint under a run stuck in a local minimum = %q", h)
	}
	tb.checkClean()
}

// apiExample is GET /api/v1/examples' shape, as far as the page uses it.
type apiExample struct {
	ID    string            `json:"id"`
	Title map[string]string `json:"title"`
	Query string            `json:"query"`
	Story struct {
		Runs []apiExpect `json:"runs"`
	} `json:"story"`
	Contrast *struct {
		Query string      `json:"query"`
		Runs  []apiExpect `json:"runs"`
	} `json:"contrast"`
}

type apiExpect struct {
	Optimizer string  `json:"optimizer"`
	Status    string  `json:"status"`
	Reach     string  `json:"reach"`
	Within    int     `json:"within"`
	LossAbove float64 `json:"loss_above"`
	LossBelow float64 `json:"loss_below"`
}

// pageRun is what the page holds for one finished trajectory.
type pageRun struct {
	Status  string  `json:"status"`
	Step    int     `json:"step"`
	Kind    string  `json:"kind"`
	Global  bool    `json:"global"`
	Loss    float64 `json:"loss"`
	Outcome string  `json:"outcome"`
	Opt     string  `json:"opt"`
}

// storyMismatch says how a run on the page differs from what its example
// says, by the rule internal/lessons' tests use, or "".
func storyMismatch(x apiExpect, r pageRun) string {
	if r.Status != x.Status {
		return fmt.Sprintf("status %s, want %s", r.Status, x.Status)
	}
	if x.Status == "converged" && x.Reach != "" {
		if r.Kind != "minimum" || r.Global != (x.Reach == "global") {
			return fmt.Sprintf("reached %s (global %v), want the %s minimum", r.Kind, r.Global, x.Reach)
		}
	}
	if x.Within > 0 && r.Step > x.Within {
		return fmt.Sprintf("at step %d, want within %d", r.Step, x.Within)
	}
	if x.LossAbove != 0 && !(r.Loss > x.LossAbove) {
		return fmt.Sprintf("final loss %g, want above %g", r.Loss, x.LossAbove)
	}
	if x.LossBelow != 0 && !(r.Loss < x.LossBelow) {
		return fmt.Sprintf("final loss %g, want below %g", r.Loss, x.LossBelow)
	}
	return ""
}

// pageRuns reads the finished runs, each with its optimizer written as a
// link writes it, since the page lists optimizers in its own order.
const pageRuns = `window.basin.run.tracks.map((tr, k) => ({
	opt: (({ name, ...p }) => { const kv = Object.entries(p).map(([a, v]) => a + "=" + (Array.isArray(v) ? v.join("/") : String(v))); return kv.length ? name + "(" + kv.join(",") + ")" : name; })(window.basin.run.spec.optimizers[k]),
	status: tr.outcome.status, step: tr.outcome.step,
	kind: tr.outcome.reached ? tr.outcome.reached.kind : "", global: !!(tr.outcome.reached && tr.outcome.reached.global),
	loss: tr.loss(tr.n - 1),
	outcome: document.querySelectorAll(".opt.on .opt-outcome")[k].textContent,
}))`

// checkExampleOnPage waits for the chosen example's runs and checks that the
// page shows its story: its query in the URL, the runs doing what the
// example says, and the card marking every run as held.
func checkExampleOnPage(t *testing.T, tb *tab, name, query string, runs []apiExpect) {
	t.Helper()
	tb.poll(`document.querySelectorAll(".ex.current .ex-story li").length > 0 && document.querySelectorAll(".ex.current .ex-story li[data-state=pending]").length === 0`)
	tb.waitIdle()
	// The link is on the page: every parameter of the example is in the URL.
	var want []string
	for _, kv := range strings.Split(query, "&") {
		want = append(want, "p.includes("+jsString("&"+kv+"&")+")")
	}
	tb.poll(`((p) => ` + strings.Join(want, " && ") + `)("&" + location.search.slice(1) + "&")`)
	got := eval[[]pageRun](tb, pageRuns)
	if len(got) != len(runs) {
		t.Fatalf("%s: %d runs on the page, the story tells of %d", name, len(got), len(runs))
	}
	used := map[int]bool{}
	for k, x := range runs {
		i := -1
		for j, r := range got {
			if r.Opt == x.Optimizer && !used[j] {
				i = j
				break
			}
		}
		if i < 0 {
			t.Errorf("%s: no run of %s on the page", name, x.Optimizer)
			continue
		}
		used[i] = true
		if msg := storyMismatch(x, got[i]); msg != "" {
			t.Errorf("%s: run %d (%s): %s (page says %q)", name, k, x.Optimizer, msg, got[i].Outcome)
		}
		if x.Status == "diverged" && !strings.Contains(got[i].Outcome, "diverged") {
			t.Errorf("%s: run %d diverges but the page says %q", name, k, got[i].Outcome)
		}
	}
	states := eval[[]string](tb, `[...document.querySelectorAll(".ex.current .ex-story li")].map((li) => li.dataset.state)`)
	for k, s := range states {
		if s != "held" {
			t.Errorf("%s: the card marks run %d %q, want held", name, k, s)
		}
	}
}

func TestGuidedExamples(t *testing.T) {
	var body struct{ Examples []apiExample }
	getJSON(t, "/api/v1/examples", &body)
	if len(body.Examples) < 5 {
		t.Fatalf("%d examples, want at least 5", len(body.Examples))
	}
	tb := newTab(t, 1280, 900)
	tb.open("v=1&f=himmelblau&instant=1&lang=en")
	tb.poll(`document.querySelectorAll("#examples .ex").length === ` + itoa(len(body.Examples)))
	for i, ex := range body.Examples {
		// Each is listed with its title and one sentence.
		li := `#examples .ex[data-id="` + ex.ID + `"]`
		if got := tb.text(li + " .ex-title"); got != ex.Title["en"] {
			t.Errorf("example %d title %q, want %q", i, got, ex.Title["en"])
		}
		if line := tb.text(li + " .ex-line"); line == "" || strings.Count(line, ". ") > 0 {
			t.Errorf("example %s: summary %q is not one sentence", ex.ID, line)
		}
		tb.do(chromedp.Evaluate[chromedp.Void](`window.__sameDocument = true`))
		tb.click(li + " .ex-title")
		checkExampleOnPage(t, tb, ex.ID, ex.Query, ex.Story.Runs)
		// The runs play on the map: choosing the example brings it into view.
		tb.poll(`(() => { const r = document.getElementById("map-wrap").getBoundingClientRect(); return r.bottom > 0 && r.top < window.innerHeight && Math.min(r.bottom, window.innerHeight) - Math.max(r.top, 0) >= Math.min(r.height, window.innerHeight) - 1; })()`)
		if !eval[bool](tb, `window.__sameDocument === true`) {
			t.Errorf("example %s reloaded the page", ex.ID)
		}
		if ex.ID == "lr-too-large" {
			tb.shot("example-" + ex.ID)
			// "Watch it on the map" brings the map up and plays the runs from the start.
			tb.click(li + " .ex-actions button")
			tb.poll(`Math.abs(document.getElementById("map-wrap").getBoundingClientRect().top) < 50 && !window.basin.S.instant && document.activeElement === document.getElementById("map")`)
		}
		if ex.Contrast != nil {
			tb.click(li + " .ex-next")
			checkExampleOnPage(t, tb, ex.ID+" contrast", ex.Contrast.Query, ex.Contrast.Runs)
		}
	}
	// By keyboard: Enter on a title opens it and the focus stays on that title.
	first := `#examples .ex[data-id="` + body.Examples[0].ID + `"] .ex-title`
	tb.do(chromedp.Focus(chromedp.CSS(first)), chromedp.KeyEvent("\r"))
	tb.poll(`document.querySelector(` + jsString(first) + `).getAttribute("aria-expanded") === "true" && document.activeElement === document.querySelector(` + jsString(first) + `)`)
	tb.waitIdle()
	// Changing a setting afterwards: the card says the story may not hold.
	tb.do(chromedp.SetValue(chromedp.CSS("#steps"), "20"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("steps").dispatchEvent(new Event("change"))`))
	tb.poll(`document.querySelector(".ex.current .ex-changed") !== null`)
	// And in Japanese the list and the card follow the switch.
	tb.selectLang("ja")
	tb.poll(`document.documentElement.lang === "ja"`)
	last := body.Examples[len(body.Examples)-1]
	if got := tb.text(`#examples .ex[data-id="` + last.ID + `"] .ex-title`); got != last.Title["ja"] {
		t.Errorf("after switching, example title %q, want %q", got, last.Title["ja"])
	}
	tb.do(chromedp.ScrollIntoView(chromedp.CSS("#learn")))
	tb.shot("examples-ja")
	tb.checkClean()
}

// On a phone (dark, here) the Learn section, an example card and an explanation with its
// formula fit the width (the formula scrolls inside its own box).
func TestLearnOnPhone(t *testing.T) {
	tb := newTab(t, 390, 844)
	tb.emulateMedia(&emulation.MediaFeature{Name: "prefers-color-scheme", Value: "dark"})
	tb.open("v=1&f=himmelblau&instant=1&lang=ja")
	tb.click(`button[aria-label="Adamについて"]`)
	tb.click("#learn-open")
	tb.poll(`document.activeElement === document.getElementById("learn")`)
	tb.click(`#examples .ex[data-id="momentum-over-ridge"] .ex-title`)
	tb.poll(`document.querySelectorAll(".ex.current .ex-story li[data-state=held]").length === 2`)
	tb.do(chromedp.ScrollIntoView(chromedp.CSS(".ex.current")))
	tb.shot("example-ja")
	if w := eval[int](tb, `document.scrollingElement.scrollWidth`); w > 390 {
		t.Errorf("page is %d px wide on a 390 px phone", w)
	}
	tb.do(chromedp.ScrollIntoView(chromedp.CSS(".opt-info:not([hidden])")))
	tb.shot("adam-ja")
	tb.checkClean()
}
