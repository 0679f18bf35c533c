package api

import (
	"encoding/json"
	"testing"

	"github.com/basin-dev/basin/internal/lessons"
)

type expectBody struct {
	Optimizer string `json:"optimizer"`
	Status    string `json:"status"`
	Reach     string `json:"reach"`
	Within    int    `json:"within"`
	Words     string `json:"words"`
}

type examplesBody struct {
	Examples []struct {
		ID    string            `json:"id"`
		Title map[string]string `json:"title"`
		Text  map[string]string `json:"text"`
		Query string            `json:"query"`
		Story struct {
			Runs  []expectBody `json:"runs"`
			Words string       `json:"words"`
		} `json:"story"`
		Contrast *struct {
			Query   string            `json:"query"`
			Changed []string          `json:"changed"`
			Text    map[string]string `json:"text"`
			Runs    []expectBody      `json:"runs"`
			Words   string            `json:"words"`
		} `json:"contrast"`
	} `json:"examples"`
}

// TestExamples checks GET /api/v1/examples against the lessons package and
// the server itself: every example's query (and contrast) runs on GET
// /api/v1/runs and ends the way its story says, reach included.
func TestExamples(t *testing.T) {
	_, srv := newServer(t, Config{})
	res, body := get(t, srv.URL+"/api/v1/examples")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	var got examplesBody
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	all := lessons.All()
	if len(got.Examples) != len(all) {
		t.Fatalf("%d examples, lessons has %d", len(got.Examples), len(all))
	}
	check := func(id, query string, runs []expectBody) {
		_, rb := get(t, srv.URL+"/api/v1/runs?"+query)
		var r runsBody
		if err := json.Unmarshal(rb, &r); err != nil || len(r.Runs) != len(runs) {
			t.Fatalf("%s: %d expectations for %s", id, len(runs), rb)
		}
		for i, x := range runs {
			o := r.Runs[i].Outcome
			switch {
			case o.Status != x.Status:
				t.Errorf("%s run %d (%s): %s, story says %s", id, i, x.Optimizer, o.Status, x.Status)
			case x.Reach != "" && (o.Reached == nil || o.Reached.Global != (x.Reach == "global")):
				t.Errorf("%s run %d: reached %+v, story says %s", id, i, o.Reached, x.Reach)
			case x.Within > 0 && o.Step > x.Within:
				t.Errorf("%s run %d: at step %d, story says by %d", id, i, o.Step, x.Within)
			case x.Words == "":
				t.Errorf("%s run %d: no words", id, i)
			}
		}
	}
	for i, e := range got.Examples {
		w := all[i]
		if e.ID != w.ID || e.Query != w.Query || e.Title["ja"] != w.Title["ja"] || e.Text["en"] != w.Text["en"] || e.Story.Words == "" {
			t.Errorf("example %d: %+v", i, e)
		}
		check(e.ID, e.Query, e.Story.Runs)
		if (e.Contrast == nil) != (w.Story.Contrast == nil) {
			t.Fatalf("%s: contrast %v", e.ID, e.Contrast)
		}
		if e.Contrast != nil {
			check(e.ID+" contrast", e.Contrast.Query, e.Contrast.Runs)
		}
	}
	byID := map[string]string{}
	for _, e := range got.Examples {
		byID[e.ID] = e.Story.Words
	}
	for id, want := range map[string]string{
		"lr-just-right":       "sgd converges to the global minimum by step 50.",
		"momentum-over-ridge": "sgd converges to a local minimum that is not the global one; sgd(momentum=0.8) converges to the global minimum.",
	} {
		if byID[id] != want {
			t.Errorf("%s: words %q, want %q", id, byID[id], want)
		}
	}
	if res, _ := get(t, srv.URL+"/api/v1/examples?lang=ja"); res.StatusCode != 200 {
		t.Errorf("a view parameter: %d", res.StatusCode)
	}
	if res, _ := get(t, srv.URL+"/api/v1/examples?id=x"); res.StatusCode != 400 {
		t.Errorf("an unknown parameter: %d", res.StatusCode)
	}
}
