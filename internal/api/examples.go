package api

import (
	"net/http"
	"strconv"

	"github.com/basin-dev/basin/internal/lessons"
	"github.com/basin-dev/basin/internal/optim"
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
	b, err := appendExamplesJSON(nil, lessons.All())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeBody(w, http.StatusOK, "application/json", b)
}

func appendExamplesJSON(b []byte, exs []lessons.Example) ([]byte, error) {
	b = append(b, `{"examples":[`...)
	for i, e := range exs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendJSONString(b, e.ID)
		b = append(b, `,"title":`...)
		b = appendLangs(b, e.Title)
		b = append(b, `,"text":`...)
		b = appendLangs(b, e.Text)
		b = append(b, `,"query":`...)
		b = appendJSONString(b, e.Query)
		b = append(b, `,"story":{`...)
		var err error
		if b, err = appendExpects(b, e.Query, e.Story.Runs); err != nil {
			return b, err
		}
		b = append(b, '}')
		if c := e.Story.Contrast; c != nil {
			b = append(b, `,"contrast":{"query":`...)
			b = appendJSONString(b, c.Query)
			b = append(b, `,"changed":[`...)
			for k, p := range c.Changed {
				if k > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, p)
			}
			b = append(b, `],"text":`...)
			b = appendLangs(b, c.Text)
			b = append(b, ',')
			if b, err = appendExpects(b, c.Query, c.Runs); err != nil {
				return b, err
			}
			b = append(b, '}')
		}
		b = append(b, '}')
	}
	return append(b, "]}\n"...), nil
}

// appendLangs appends {"en":...,"ja":...} in lessons.Languages order.
func appendLangs(b []byte, m map[string]string) []byte {
	b = append(b, '{')
	for i, lang := range lessons.Languages {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, lang)
		b = append(b, ':')
		b = appendJSONString(b, m[lang])
	}
	return append(b, '}')
}

// appendExpects appends "runs":[...],"words":"..." for the expectations of
// query's runs, labelling each with its optimizer as the query writes it.
// A query that does not parse is a bug in the lessons (their tests parse
// every one), reported as an internal error.
func appendExpects(b []byte, query string, runs []lessons.Expect) ([]byte, error) {
	spec, err := ParseQuery(query)
	if err != nil {
		return b, err
	}
	words := make([]byte, 0, 256)
	b = append(b, `"runs":[`...)
	for i, x := range runs {
		label := "run " + strconv.Itoa(i+1)
		if i < len(spec.Optimizers) {
			label = string(spec.Optimizers[i].appendQuery(nil))
		}
		phrase := expectWords(x)
		if i > 0 {
			b = append(b, ',')
			words = append(words, "; "...)
		}
		b = append(b, `{"optimizer":`...)
		b = appendJSONString(b, label)
		b = append(b, `,"status":`...)
		b = appendJSONString(b, x.Status.String())
		if x.Reach != lessons.AnyEnd {
			b = append(b, `,"reach":`...)
			b = appendJSONString(b, map[lessons.Reach]string{lessons.Global: "global", lessons.Local: "local"}[x.Reach])
		}
		if x.Within > 0 {
			b = append(b, `,"within":`...)
			b = appendInt(b, x.Within)
		}
		if x.LossAbove != 0 {
			b = append(b, `,"loss_above":`...)
			b = appendNumber(b, x.LossAbove)
		}
		if x.LossBelow != 0 {
			b = append(b, `,"loss_below":`...)
			b = appendNumber(b, x.LossBelow)
		}
		b = append(b, `,"words":`...)
		b = appendJSONString(b, phrase)
		b = append(b, '}')
		words = append(words, label...)
		words = append(words, ' ')
		words = append(words, phrase...)
	}
	b = append(b, `],"words":`...)
	return appendJSONString(b, string(words)+"."), nil
}

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
		s += ", its final loss between " + formatNumber(x.LossAbove) + " and " + formatNumber(x.LossBelow)
	case x.LossAbove != 0:
		s += ", its final loss still above " + formatNumber(x.LossAbove)
	case x.LossBelow != 0:
		s += ", its final loss below " + formatNumber(x.LossBelow)
	}
	return s
}
