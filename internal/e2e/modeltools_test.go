package e2e

import (
	"testing"
)

// TestModelLineFromStartToEnd: the page asks for each run's straight line
// from start to end, draws it under the loss chart with its accessible
// name, and its words are what the line's own values say; the line's ends
// are the runs' first and last losses exactly; it fits a phone.
func TestModelLineFromStartToEnd(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("train=1&data=line&model=linear&init=0&epochs=4&bs=10&lr=0.1&opt=sgd&opt=adam&grid=16")
	tb.waitTrained()
	tb.poll(`!document.getElementById("m-line").hidden`)
	if got := eval[string](tb, `document.querySelector("#m-line h2").textContent`); got != "Loss along the straight line from start to end" {
		t.Errorf("the line's title is %q", got)
	}
	if got := eval[string](tb, `document.getElementById("m-line-chart").getAttribute("aria-label")`); got == "" {
		t.Error("the line chart has no accessible name")
	}
	// Both ends are the runs' recorded losses, bit for bit; 81 points from -0.5 to 1.5.
	if ok := eval[bool](tb, `(() => { const r = window.basin.model.result, il = r.start.columns.indexOf("loss");
		return r.lines.length === 2 && r.lines.every((l, k) => l.t.length === 81 && l.t[0] === -0.5 && l.t[80] === 1.5 &&
			l.loss[l.t.indexOf(0)] === r.runs[k].rows[0][il] && l.loss[l.t.indexOf(1)] === r.runs[k].rows[r.runs[k].rows.length - 1][il]); })()`); !ok {
		t.Error("the lines' ends are not the runs' first and last losses")
	}
	// The words are the ones the shown lines' values give, and the linear model's note.
	words := eval[[]string](tb, `[...document.querySelectorAll("#m-line-words li")].map((li) => li.textContent)`)
	want := eval[[]string](tb, `(async () => { const { lineSentence } = await import("/js/model/linefig.js");
		const r = window.basin.model.result; return r.runs.map((run, k) => lineSentence(run.display, r.lines[k], "linear")); })()`)
	if len(words) != 3 || words[0] != want[0] || words[1] != want[1] {
		t.Fatalf("line words %q, want %q and the linear note", words, want)
	}
	if words[2] != "For linear regression the loss is quadratic in the parameters, so along any straight line it is a parabola." {
		t.Errorf("linear note %q", words[2])
	}
	// Full-batch SGD at lr 0.1 on this data heads straight down the bowl: no bump.
	tb.open("train=1&data=line&model=linear&init=0&epochs=30&lr=0.1&opt=sgd&grid=16")
	tb.waitTrained()
	tb.poll(`document.querySelector("#m-line-words li") && document.querySelector("#m-line-words li").textContent.startsWith("SGD: the loss falls all the way")`)
	tb.scrollTo("m-line")
	tb.shot("line-linear")
	tb.checkClean()
}

// TestModelLinePhone: the line fits a 390-pixel screen, and a diverged run
// says why it has no line.
func TestModelLinePhone(t *testing.T) {
	tb := newTab(t, 390, 844)
	tb.open("train=1&data=line&model=linear&init=0&epochs=20&lr=3&opt=sgd&opt=adam&grid=16")
	tb.waitTrained()
	tb.poll(`!document.getElementById("m-line").hidden`)
	if got := eval[string](tb, `window.basin.model.result.outcomes[0].status`); got != "diverged" {
		t.Fatalf("SGD at lr 3 is %s, want diverged", got)
	}
	if got := eval[string](tb, `document.querySelector("#m-line-words li").textContent`); got != "SGD diverged: its straight line would end where training was stopped, so it has none." {
		t.Errorf("diverged run's line words %q", got)
	}
	if w := eval[float64](tb, `document.getElementById("m-line").getBoundingClientRect().right`); w > 390 {
		t.Errorf("the line figure reaches %v px on a 390 px screen", w)
	}
	if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the page is %d px wide on a 390 px screen", w)
	}
	tb.scrollTo("m-line")
	tb.shot("line-phone")
	tb.checkClean()
}

// scrollTo brings the element with id into view, for a screenshot.
func (tb *tab) scrollTo(id string) {
	tb.t.Helper()
	eval[bool](tb, `(document.getElementById("`+id+`").scrollIntoView({block: "center"}), true)`)
	tb.afterFrame()
}
