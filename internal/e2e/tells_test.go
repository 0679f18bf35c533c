package e2e

import (
	"strings"
	"testing"
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
