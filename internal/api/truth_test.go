package api

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLandscapeTakesWholePermalink: the page may send its whole permalink,
// repeated opt= and view parameters included, with nx and ny.
func TestLandscapeTakesWholePermalink(t *testing.T) {
	_, srv := newServer(t, Config{})
	q := "v=1&f=himmelblau&domain=-5,5,-5,5&start=0,0&lr=0.01&steps=500&seed=1" +
		"&opt=adam(lr=0.05,betas=0.9/0.999,eps=1e-8)&opt=sgd(momentum=0.9,nesterov=true)&opt=momentum" +
		"&lang=en&view=2d&nx=4&ny=3"
	res, body := get(t, srv.URL+"/api/v1/landscape?"+q)
	if res.StatusCode != 200 || len(body) != 32+4*12 {
		t.Fatalf("%d %s", res.StatusCode, body[:min(len(body), 200)])
	}
	// A parameter of the spec given twice is still an error.
	if res, body := get(t, srv.URL+"/api/v1/landscape?f=booth&f=himmelblau"); res.StatusCode != 400 {
		t.Errorf("f given twice: %d %s, want 400", res.StatusCode, body)
	}
}

// TestLandscapeGridValuesSent: the header's min and max are the smallest
// and largest values sent, after rounding to float32 (0.7 rounds down),
// and no value sent is ±Inf: infinite values and values beyond float32's
// range are NaN, as is an undefined one.
func TestLandscapeGridValuesSent(t *testing.T) {
	_, srv := newServer(t, Config{})
	for _, tc := range []struct {
		expr, domain string
		wantNaN      int
		wantMin      float32
	}{
		// Rows y = 0 and y = 1 at x = -1, 0, 1: 0.7 + e^100 overflows
		// float32 at x = ±1 on the top row.
		{"0.7+x^2*exp(100*y)", "-1,1,0,1", 2, 0.7},
		// -Inf at x = 0 on both rows.
		{"log(abs(x))", "-1,1,0,1", 2, 0},
		// Nowhere finite.
		{"log(-1-x^2)", "-1,1,0,1", 6, 0},
	} {
		res, body := get(t, srv.URL+"/api/v1/landscape?expr="+url.QueryEscape(tc.expr)+"&domain="+tc.domain+"&nx=3&ny=2")
		if res.StatusCode != 200 || len(body) != 32+4*6 {
			t.Fatalf("%s: %d %s", tc.expr, res.StatusCode, body)
		}
		le := binary.LittleEndian
		lo, hi := math.Inf(1), math.Inf(-1)
		nans := 0
		for i := range 6 {
			v := math.Float32frombits(le.Uint32(body[32+4*i:]))
			switch {
			case math.IsInf(float64(v), 0):
				t.Errorf("%s: value %d is %v; non-finite values are sent as NaN", tc.expr, i, v)
			case v != v:
				nans++
			default:
				lo, hi = min(lo, float64(v)), max(hi, float64(v))
			}
		}
		if nans == 6 {
			lo, hi = 0, 0
		}
		gl, gh := math.Float64frombits(le.Uint64(body[16:])), math.Float64frombits(le.Uint64(body[24:]))
		if gl != lo || gh != hi || nans != tc.wantNaN || gl != float64(tc.wantMin) {
			t.Errorf("%s: header min, max %v, %v; values sent %v .. %v with %d NaN; want min %v, %d NaN",
				tc.expr, gl, gh, lo, hi, nans, tc.wantMin, tc.wantNaN)
		}
	}
}

// TestNullIsAWrongType: a null field is refused like any value of the
// wrong type, naming the field, in a run spec and in a job's own fields,
// and never taken as absent.
func TestNullIsAWrongType(t *testing.T) {
	_, srv := newServer(t, Config{})
	const spec = `"function":"booth","optimizers":[{"name":"sgd"}]`
	for _, tc := range []struct{ path, body, field string }{
		{"/api/v1/runs", `{"function":null,"expr":"x^2","optimizers":[{"name":"sgd"}]}`, "function"},
		{"/api/v1/runs", `{"expr":null,"function":"booth","optimizers":[{"name":"sgd"}]}`, "expr"},
		{"/api/v1/runs", `{` + spec + `,"steps":null}`, "steps"},
		{"/api/v1/runs", `{` + spec + `,"seed":null}`, "seed"},
		{"/api/v1/runs", `{` + spec + `,"lr":null}`, "lr"},
		{"/api/v1/runs", `{` + spec + `,"noise":null}`, "noise"},
		{"/api/v1/runs", `{` + spec + `,"clip_norm":null}`, "clip_norm"},
		{"/api/v1/runs", `{` + spec + `,"start":null}`, "start"},
		{"/api/v1/runs", `{` + spec + `,"domain":null}`, "domain"},
		{"/api/v1/runs", `{` + spec + `,"schedule":null}`, "schedule"},
		{"/api/v1/runs", `{"function":"booth","optimizers":null}`, "optimizers"},
		{"/api/v1/basins", `{` + spec + `,"grid":null}`, "grid"},
		{"/api/v1/basins", `{` + spec + `,"box":null}`, "box"},
		{"/api/v1/sweeps", `{` + spec + `,"lr_min":null}`, "lr_min"},
		{"/api/v1/sweeps", `{` + spec + `,"count":null}`, "count"},
		{"/api/v1/inspect", `{` + spec + `,"step":1,"optimizer":null}`, "optimizer"},
	} {
		res, body := post(t, srv.URL+tc.path, tc.body)
		var e errorBody
		if err := json.Unmarshal(body, &e); err != nil || res.StatusCode != 400 || e.Field == nil || *e.Field != tc.field {
			t.Errorf("%s %s: %d %s; want 400 naming %q", tc.path, tc.body, res.StatusCode, body, tc.field)
		}
	}
}

// TestHugeCoordinateNamesTheElement: a value out of range in a list names
// the element, in the field as in the message, in a spec, a permalink and
// a basin map's box.
func TestHugeCoordinateNamesTheElement(t *testing.T) {
	_, srv := newServer(t, Config{})
	for _, tc := range []struct {
		method, path, body, field string
	}{
		{"POST", "/api/v1/runs", `{"function":"booth","domain":[1e7,2,3,4],"optimizers":[{"name":"sgd"}]}`, "domain[0]"},
		{"POST", "/api/v1/runs", `{"function":"booth","domain":[-1,2,3,-1e7],"optimizers":[{"name":"sgd"}]}`, "domain[3]"},
		{"GET", "/api/v1/runs?v=1&f=booth&domain=1e7,2,3,4&opt=sgd", "", "domain[0]"},
		{"GET", "/api/v1/landscape?f=booth&domain=0,2e6,3,4", "", "domain[1]"},
		{"POST", "/api/v1/basins", `{"function":"booth","optimizers":[{"name":"sgd"}],"grid":8,"box":[0,1,2e6,3]}`, "box[2]"},
	} {
		var res *http.Response
		var body []byte
		if tc.method == "GET" {
			res, body = get(t, srv.URL+tc.path)
		} else {
			res, body = post(t, srv.URL+tc.path, tc.body)
		}
		var e errorBody
		if err := json.Unmarshal(body, &e); err != nil || res.StatusCode != 400 || e.Field == nil || *e.Field != tc.field ||
			!strings.HasPrefix(e.Error, tc.field+" must be") {
			t.Errorf("%s %s %s: %d %s; want 400 naming %s", tc.method, tc.path, tc.body, res.StatusCode, body, tc.field)
		}
	}
}
