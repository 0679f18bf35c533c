package api

import (
	"encoding/json"
	"net/url"
	"testing"
)

// customAnswer is the part of a custom function's description the search
// decides.
type customAnswer struct {
	Minima []struct {
		X, Y, Value float64
		Global      bool
		Edge        *bool
	} `json:"minima"`
	MinimaFound    *int     `json:"minima_found"`
	SaddlesFound   *int     `json:"saddles_found"`
	MaximaFound    *int     `json:"maxima_found"`
	UnboundedBelow *bool    `json:"unbounded_below"`
	FiniteShare    *float64 `json:"finite_share"`
}

// TestCustomFunctionSearch: the description of a typed function tells what
// the critical search found: minima on the box's edge marked "edge", the
// count of minima when there are more than are listed, no global minimum
// on a function unbounded below, and the share of the box where it is
// finite.
func TestCustomFunctionSearch(t *testing.T) {
	_, srv := newServer(t, Config{})
	for _, tc := range []struct {
		name, expr, domain string
		check              func(t *testing.T, a customAnswer)
	}{
		{"edge minimum", "(x-3)^2+y^2", "-2,2,-2,2", func(t *testing.T, a customAnswer) {
			if len(a.Minima) != 1 || a.Minima[0].Edge == nil || !*a.Minima[0].Edge || !a.Minima[0].Global ||
				a.Minima[0].X != 2 || a.Minima[0].Value != 1 {
				t.Errorf("want the edge point (2, 0), value 1, edge and global: %+v", a.Minima)
			}
		}},
		{"interior minimum has no edge field", "x^2+y^2", "-2,2,-2,2", func(t *testing.T, a customAnswer) {
			if len(a.Minima) != 1 || a.Minima[0].Edge != nil || *a.MinimaFound != 1 || *a.SaddlesFound != 0 || *a.MaximaFound != 0 {
				t.Errorf("want one interior minimum without \"edge\": %+v", a)
			}
			if *a.FiniteShare != 1 || *a.UnboundedBelow {
				t.Errorf("x^2+y^2 is finite and bounded below everywhere: %+v", a)
			}
		}},
		{"more minima than listed", "sin(10*x)*sin(10*y)+0.001*(x^2+y^2)", "-10,10,-10,10", func(t *testing.T, a customAnswer) {
			if *a.MinimaFound <= len(a.Minima) {
				t.Errorf("minima_found %d, %d listed: want more found than listed", *a.MinimaFound, len(a.Minima))
			}
			if len(a.Minima) == 0 || !a.Minima[0].Global {
				t.Errorf("the lowest minimum stays listed and global: %+v", a.Minima[:min(3, len(a.Minima))])
			}
		}},
		{"unbounded below", "log(x^2+y^2)", "-1,1,-1,1", func(t *testing.T, a customAnswer) {
			if !*a.UnboundedBelow {
				t.Errorf("log(x^2+y^2) falls without end at the origin: unbounded_below false")
			}
			for _, m := range a.Minima {
				if m.Global {
					t.Errorf("a minimum flagged global on a function unbounded below: %+v", m)
				}
			}
		}},
		{"finite on half the box", "sqrt(x)+y^2", "-1,1,-1,1", func(t *testing.T, a customAnswer) {
			if s := *a.FiniteShare; !(s > 0.45 && s < 0.55) {
				t.Errorf("finite_share %v, want about one half", s)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := get(t, srv.URL+"/api/v1/functions/custom?expr="+url.QueryEscape(tc.expr)+"&domain="+tc.domain)
			var a customAnswer
			if err := json.Unmarshal(body, &a); err != nil || res.StatusCode != 200 {
				t.Fatalf("%d %s (%v)", res.StatusCode, body, err)
			}
			if a.MinimaFound == nil || a.SaddlesFound == nil || a.MaximaFound == nil || a.UnboundedBelow == nil || a.FiniteShare == nil {
				t.Fatalf("a field of the search is missing: %s", body)
			}
			tc.check(t, a)
		})
	}
}

// TestRunOutcomeAgainstBox: a run of a typed function that ends outside
// the box, below the edge minimum the search lists as global, says both,
// and its end is not called global; the same run on a box that holds its
// end says neither; and no run changes the function's description.
func TestRunOutcomeAgainstBox(t *testing.T) {
	_, srv := newServer(t, Config{})
	const expr = "(x-3)^2+y^2"
	describe := func(domain string) string {
		res, body := get(t, srv.URL+"/api/v1/functions/custom?expr="+url.QueryEscape(expr)+"&domain="+domain)
		if res.StatusCode != 200 {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		return string(body)
	}
	for _, tc := range []struct {
		domain                 string
		outside, below, global bool
	}{
		{"-2,2,-2,2", true, true, false}, // ends at (3, 0), right of the box
		{"-4,4,-4,4", false, false, true},
	} {
		before := describe(tc.domain)
		res, body := post(t, srv.URL+"/api/v1/runs", `{"expr":"`+expr+`","domain":[`+tc.domain+
			`],"start":[1,0],"steps":500,"optimizers":[{"name":"sgd","lr":0.1}]}`)
		var a struct {
			Runs []struct {
				Outcome struct {
					Status  string `json:"status"`
					Reached *struct {
						X, Y   float64
						Global bool
					} `json:"reached"`
					OutsideBox  bool `json:"outside_box"`
					BelowGlobal bool `json:"below_global"`
				} `json:"outcome"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(body, &a); err != nil || res.StatusCode != 200 || len(a.Runs) != 1 {
			t.Fatalf("domain %s: %d %s (%v)", tc.domain, res.StatusCode, body, err)
		}
		o := a.Runs[0].Outcome
		if o.Status != "converged" || o.Reached == nil || o.OutsideBox != tc.outside || o.BelowGlobal != tc.below || o.Reached.Global != tc.global {
			t.Errorf("domain %s: outcome %+v, reached %+v; want outside_box %v, below_global %v, global %v",
				tc.domain, o, o.Reached, tc.outside, tc.below, tc.global)
		}
		if after := describe(tc.domain); after != before {
			t.Errorf("domain %s: a run changed the function's description:\n%s\nwas\n%s", tc.domain, after, before)
		}
	}
}
