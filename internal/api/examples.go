package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/basin-dev/basin/internal/lessons"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
)

// listExamples answers GET /api/v1/examples: the guided examples in the
// page's order, each with its title and text per language, its permalink
// query, and its story, both as data (what each optimizer's run must do,
// which the lessons tests check) and in words, so a client can say what to
// watch for:
//
//	{"examples":[{"id","title":{"en","ja"},"text":{"en","ja"},"query",
//	  "story":{"runs":[expect,...],"words":"..."},
//	  "contrast":{"query","changed":[...],"text":{...},"runs":[...],"words":"..."}?}]}
//
// An expect is {"optimizer","status","reach"?,"within"?,"loss_above"?,
// "loss_below"?,"words"}; optimizer is the run's opt= value.
func (h *Handler) listExamples(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	list, err := newExamplesJSON(lessons.All())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.answerJSON(w, r, list)
}

type examplesJSON struct {
	Examples []exampleJSON `json:"examples"`
}

type exampleJSON struct {
	ID       string        `json:"id"`
	Title    langs         `json:"title"`
	Text     langs         `json:"text"`
	Query    string        `json:"query"`
	Story    storyJSON     `json:"story"`
	Contrast *contrastJSON `json:"contrast,omitempty"`
}

type contrastJSON struct {
	Query   string   `json:"query"`
	Changed []string `json:"changed"`
	Text    langs    `json:"text"`
	storyJSON
}

// storyJSON is what the runs of a query must do, as data and in words.
type storyJSON struct {
	Runs  []expectJSON `json:"runs"`
	Words string       `json:"words"`
}

type expectJSON struct {
	Optimizer string   `json:"optimizer"`
	Status    string   `json:"status"`
	Reach     string   `json:"reach,omitempty"`
	Within    int      `json:"within,omitempty"`
	LossAbove jsNumber `json:"loss_above,omitempty"`
	LossBelow jsNumber `json:"loss_below,omitempty"`
	Words     string   `json:"words"`
}

// langs is a text per language, written in lessons.Languages order.
type langs map[string]string

func (m langs) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, lang := range lessons.Languages {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(append(text(lang).appendTo(b), ':'), text(m[lang]).appendTo(nil)...)
	}
	return append(b, '}'), nil
}

func newExamplesJSON(exs []lessons.Example) (examplesJSON, error) {
	list := examplesJSON{Examples: []exampleJSON{}}
	for _, e := range exs {
		story, err := newStoryJSON(e.Query, e.Story.Runs)
		if err != nil {
			return list, err
		}
		ej := exampleJSON{ID: e.ID, Title: e.Title, Text: e.Text, Query: e.Query, Story: story}
		if c := e.Story.Contrast; c != nil {
			story, err := newStoryJSON(c.Query, c.Runs)
			if err != nil {
				return list, err
			}
			ej.Contrast = &contrastJSON{Query: c.Query, Changed: append([]string{}, c.Changed...), Text: c.Text, storyJSON: story}
		}
		list.Examples = append(list.Examples, ej)
	}
	return list, nil
}

// newStoryJSON describes the expectations of query's runs, labelling each
// with its optimizer as the query writes it. A query that does not parse is
// a bug in the lessons (their tests parse every one), reported as an
// internal error.
func newStoryJSON(query string, runs []lessons.Expect) (storyJSON, error) {
	spec, err := runspec.ParseQuery(query)
	if err != nil {
		return storyJSON{}, err
	}
	st := storyJSON{Runs: []expectJSON{}}
	var words []string
	for i, x := range runs {
		label := "run " + strconv.Itoa(i+1)
		if i < len(spec.Optimizers) {
			label = runspec.EncodeOptimizer(spec.Optimizers[i])
		}
		phrase := expectWords(x)
		st.Runs = append(st.Runs, expectJSON{
			Optimizer: label, Status: x.Status.String(), Reach: reachNames[x.Reach], Within: x.Within,
			LossAbove: jsNumber(x.LossAbove), LossBelow: jsNumber(x.LossBelow), Words: phrase,
		})
		words = append(words, label+" "+phrase)
	}
	st.Words = strings.Join(words, "; ") + "."
	return st, nil
}

// reachNames are the JSON names of the reaches a story checks.
var reachNames = map[lessons.Reach]string{lessons.Global: "global", lessons.Local: "local"}

// expectWords says in English what a run must do, e.g. "converges to the
// global minimum by step 50".
func expectWords(x lessons.Expect) string {
	var s string
	switch x.Status {
	case optim.Converged:
		s = "converges"
		switch x.Reach {
		case lessons.Global:
			s += " to the global minimum"
		case lessons.Local:
			s += " to a local minimum that is not the global one"
		}
	case optim.NotConverged:
		s = "has not converged when its step budget runs out"
	case optim.Diverged:
		s = "diverges"
	case optim.LeftDomain:
		s = "leaves the function's domain"
	case optim.Wandering:
		s = "keeps moving between basins when its step budget runs out"
	default:
		s = x.Status.String()
	}
	if x.Within > 0 {
		s += " by step " + strconv.Itoa(x.Within)
	}
	switch {
	case x.LossAbove != 0 && x.LossBelow != 0:
		s += ", its final loss between " + runspec.FormatNumber(x.LossAbove) + " and " + runspec.FormatNumber(x.LossBelow)
	case x.LossAbove != 0:
		s += ", its final loss still above " + runspec.FormatNumber(x.LossAbove)
	case x.LossBelow != 0:
		s += ", its final loss below " + runspec.FormatNumber(x.LossBelow)
	}
	return s
}
