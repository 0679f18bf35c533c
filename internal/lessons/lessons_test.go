package lessons_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/basin-dev/basin/internal/lessons"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
)

// check reports how r fails e, or "" when it tells the expected story.
func check(e lessons.Expect, r runResult) string {
	o := r.Outcome
	if o.Status != e.Status {
		return fmt.Sprintf("status %v, want %v", o.Status, e.Status)
	}
	if e.Status == optim.Converged && e.Reach != lessons.AnyEnd {
		switch {
		case o.Reached == nil:
			return "converged but reached nothing"
		case o.Reached.Kind.String() != "minimum":
			return fmt.Sprintf("reached a %v at (%g, %g), want a %v", o.Reached.Kind, o.Reached.At.X, o.Reached.At.Y, e.Reach)
		case o.Reached.Global != (e.Reach == lessons.Global):
			return fmt.Sprintf("reached the minimum at (%g, %g) (global %v), want the %v",
				o.Reached.At.X, o.Reached.At.Y, o.Reached.Global, e.Reach)
		}
	}
	if e.Within > 0 && o.Step > e.Within {
		return fmt.Sprintf("settled at step %d, want within %d", o.Step, e.Within)
	}
	if e.LossAbove != 0 && !(r.End.Loss > e.LossAbove) {
		return fmt.Sprintf("ended at loss %g, want above %g", r.End.Loss, e.LossAbove)
	}
	if e.LossBelow != 0 && !(r.End.Loss < e.LossBelow) {
		return fmt.Sprintf("ended at loss %g, want below %g", r.End.Loss, e.LossBelow)
	}
	return ""
}

// checkStory runs spec and reports every run that does not do what want says.
func checkStory(t *testing.T, name string, spec runspec.Spec, want []lessons.Expect) {
	t.Helper()
	rs, err := runSpec(spec)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(rs) != len(want) {
		t.Fatalf("%s: %d runs, story describes %d", name, len(rs), len(want))
	}
	for i, e := range want {
		if testing.Verbose() {
			t.Logf("%s: run %d: %v at step %d, end (%.4g, %.4g) loss %.4g", name, i,
				rs[i].Outcome.Status, rs[i].Outcome.Step, rs[i].End.X, rs[i].End.Y, rs[i].End.Loss)
		}
		if msg := check(e, rs[i]); msg != "" {
			t.Errorf("%s: run %d (%s): %s", name, i, spec.Optimizers[i].Name, msg)
		}
	}
}

func parse(t *testing.T, q string) runspec.Spec {
	t.Helper()
	s, err := runspec.ParseQuery(q)
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", q, err)
	}
	return s
}

// variant is a query of an example with the story its runs must tell.
type variant struct {
	name  string
	query string
	runs  []lessons.Expect
}

func variants() []variant {
	var vs []variant
	for _, e := range lessons.All() {
		vs = append(vs, variant{e.ID, e.Query, e.Story.Runs})
		if c := e.Story.Contrast; c != nil {
			vs = append(vs, variant{e.ID + "/contrast", c.Query, c.Runs})
		}
	}
	return vs
}

func TestExamplesTellTheirStory(t *testing.T) {
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			checkStory(t, v.name, parse(t, v.query), v.runs)
		})
	}
}

// scaleLR multiplies the shared learning rate and every optimizer's own.
func scaleLR(s runspec.Spec, f float64) runspec.Spec {
	if s.LR != nil {
		lr := *s.LR * f
		s.LR = &lr
	}
	opts := make([]runspec.OptimizerSpec, len(s.Optimizers))
	for i, o := range s.Optimizers {
		o.Params = slices.Clone(o.Params)
		for j := range o.Params {
			if o.Params[j].Name == "lr" {
				o.Params[j].Value[0] *= f
			}
		}
		opts[i] = o
	}
	s.Optimizers = opts
	return s
}

// lrNudges are the learning-rate factors at which every story must still
// hold: a lesson that only works at one exact setting teaches nothing.
// Measured when tuned (factors on a 2^(k/10) grid from 0.25 to 4), the
// narrowest story, adaptive-elliptic, holds from x0.62 to x1.52; the
// ranges are in docs/LESSONS.md.
var lrNudges = []float64{0.7, 0.8, 0.9, 1.1, 1.25, 1.4}

// startNudge is how far (in x and in y, both signs) the start may move
// without changing any story.
const startNudge = 0.1

func TestStoriesHoldNearby(t *testing.T) {
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			s := parse(t, v.query)
			runs := slices.Clone(v.runs)
			for i := range runs {
				runs[i].Within = 0 // a step count quoted for the exact settings
			}
			for _, f := range lrNudges {
				checkStory(t, fmt.Sprintf("%s with lr x%g", v.name, f), scaleLR(s, f), runs)
			}
			if s.Start == nil {
				t.Fatalf("%s: give the start explicitly, so the link does not depend on the preset's", v.name)
			}
			for _, d := range [][2]float64{{startNudge, 0}, {-startNudge, 0}, {0, startNudge}, {0, -startNudge}} {
				n := s
				n.Start = []float64{s.Start[0] + d[0], s.Start[1] + d[1]}
				checkStory(t, fmt.Sprintf("%s from (%g, %g)", v.name, n.Start[0], n.Start[1]), n, runs)
			}
		})
	}
}

// noiseSeeds and noiseSeedsGlobal: the noise example must not rely on one
// lucky seed. Measured: all 30 seeds settle in the global minimum (between
// steps 22 and 331), judged by optim.Run's rule for noisy runs.
const (
	noiseSeeds       = 30
	noiseSeedsGlobal = 26
)

func TestNoiseStoryAcrossSeeds(t *testing.T) {
	e, ok := lessons.Lookup("noise-escapes")
	if !ok {
		t.Fatal("no noise example")
	}
	s := parse(t, e.Query)
	want := e.Story.Runs[0]
	want.Within = 0 // a step count quoted for seed 1
	global := 0
	for seed := int64(1); seed <= noiseSeeds; seed++ {
		s.Seed = &seed
		rs, err := runSpec(s)
		if err != nil {
			t.Fatal(err)
		}
		if check(want, rs[0]) == "" {
			global++
		}
	}
	if global < noiseSeedsGlobal {
		t.Errorf("%d of %d seeds tell the story, want at least %d", global, noiseSeeds, noiseSeedsGlobal)
	}
	t.Logf("%d of %d seeds end in the global minimum", global, noiseSeeds)
}

func TestQueriesAreCanonical(t *testing.T) {
	for _, v := range variants() {
		if got := runspec.EncodeQuery(parse(t, v.query)); got != v.query {
			t.Errorf("%s: EncodeQuery(ParseQuery(q)) =\n%s\nwant\n%s", v.name, got, v.query)
		}
	}
}

func TestContrastsChangeOnlyWhatTheySay(t *testing.T) {
	for _, e := range lessons.All() {
		c := e.Story.Contrast
		if c == nil {
			continue
		}
		a, err := url.ParseQuery(e.Query)
		if err != nil {
			t.Fatal(err)
		}
		b, err := url.ParseQuery(c.Query)
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		for k := range a {
			keys[k] = true
		}
		for k := range b {
			keys[k] = true
		}
		for k := range keys {
			same := slices.Equal(a[k], b[k])
			if changed := slices.Contains(c.Changed, k); same == changed {
				t.Errorf("%s: contrast parameter %q: changed %v, declared changed %v", e.ID, k, !same, changed)
			}
		}
		for _, k := range c.Changed {
			if !keys[k] {
				t.Errorf("%s: contrast declares %q changed, but neither query has it", e.ID, k)
			}
		}
	}
}

func hasJapanese(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) {
			return true
		}
	}
	return false
}

// checkTexts requires exactly the languages of lessons.Languages, each
// non-empty, the Japanese in Japanese and the English without it.
func checkTexts(t *testing.T, where string, m map[string]string) {
	t.Helper()
	if len(m) != len(lessons.Languages) {
		t.Errorf("%s: %d languages, want %v", where, len(m), lessons.Languages)
	}
	for _, lang := range lessons.Languages {
		s := strings.TrimSpace(m[lang])
		switch {
		case s == "":
			t.Errorf("%s: no %s text", where, lang)
		case lang == "ja" && !hasJapanese(s):
			t.Errorf("%s: the ja text is not Japanese: %q", where, s)
		case lang == "en" && hasJapanese(s):
			t.Errorf("%s: the en text holds Japanese: %q", where, s)
		}
	}
}

func TestTextsInEveryLanguage(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range lessons.All() {
		if e.ID == "" || seen[e.ID] {
			t.Errorf("empty or repeated id %q", e.ID)
		}
		seen[e.ID] = true
		checkTexts(t, e.ID+" title", e.Title)
		checkTexts(t, e.ID+" text", e.Text)
		if len(e.Story.Runs) == 0 {
			t.Errorf("%s: a story with no runs tells nothing", e.ID)
		}
		if c := e.Story.Contrast; c != nil {
			checkTexts(t, e.ID+" contrast", c.Text)
			if len(c.Changed) == 0 || len(c.Runs) == 0 {
				t.Errorf("%s: a contrast must name what changes and what happens", e.ID)
			}
		}
	}
}

// The Japanese texts use the terms a Japanese textbook uses; these are the
// ones that must appear somewhere, so a rewrite cannot drift to loan words.
func TestJapaneseTerms(t *testing.T) {
	var all strings.Builder
	for _, e := range lessons.All() {
		all.WriteString(e.Title["ja"] + e.Text["ja"])
		if c := e.Story.Contrast; c != nil {
			all.WriteString(c.Text["ja"])
		}
	}
	for _, term := range []string{"学習率", "局所最適解", "大域最適解", "勾配降下法", "確率的勾配降下法", "モーメンタム", "発散", "収束"} {
		if !strings.Contains(all.String(), term) {
			t.Errorf("no lesson uses %s", term)
		}
	}
}

func TestAllReturnsFreshMaps(t *testing.T) {
	a := lessons.All()
	a[0].Title["en"] = "changed"
	if lessons.All()[0].Title["en"] == "changed" {
		t.Error("All shares its maps between calls")
	}
	if _, ok := lessons.Lookup("no-such-example"); ok {
		t.Error("Lookup found a missing id")
	}
}
