package api

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"github.com/basin-dev/basin/internal/runspec"
	"math"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var testPage = fstest.MapFS{
	"index.html":  {Data: []byte("<!doctype html><title>Basin</title>")},
	"js/main.js":  {Data: []byte("export {};\n")},
	"css/app.css": {Data: []byte("body{}")},
}

type errorBody struct {
	Error string  `json:"error"`
	Field *string `json:"field"`
	Pos   *int    `json:"pos"`
}

func TestRunsBadInput(t *testing.T) {
	_, srv := newServer(t, Config{})
	huge := `{"function":"booth","expr":"` + strings.Repeat("x+", BodyBytesLimit/2) + `x"}`
	cases := []struct {
		name, body, want, field string
		pos                     int // 0: no pos
	}{
		{"unknown function", `{"function":"himelblau","optimizers":[{"name":"adam"}]}`,
			`unknown function "himelblau" (did you mean himmelblau?)`, "function", 0},
		{"negative lr", `{"function":"himmelblau","optimizers":[{"name":"adam"},{"name":"sgd","lr":-0.1}]}`,
			`optimizers[1].lr must be > 0, got -0.1`, "optimizers[1].lr", 0},
		{"steps zero", `{"function":"booth","steps":0,"optimizers":[{"name":"sgd"}]}`,
			`steps must be in [1, 10000], got 0`, "steps", 0},
		{"steps above limit", `{"function":"booth","steps":10001,"optimizers":[{"name":"sgd"}]}`,
			`steps must be in [1, 10000], got 10001`, "steps", 0},
		{"steps not an integer", `{"function":"booth","steps":"5","optimizers":[{"name":"sgd"}]}`,
			`steps must be an integer, got "5"`, "steps", 0},
		{"start too far", `{"function":"booth","start":[1e7,0],"optimizers":[{"name":"sgd"}]}`,
			`start[0] must be finite with |x| <= 1e6, got 10000000`, "start[0]", 0},
		{"start wrong length", `{"function":"booth","start":[1],"optimizers":[{"name":"sgd"}]}`,
			`start must be 2 numbers [x, y], got [1]`, "start", 0},
		{"expression error", `{"expr":"sinn(x)+y^2","optimizers":[{"name":"adam"}]}`,
			`expr: unknown function "sinn" at 1 (did you mean sin?)`, "expr", 1},
		{"unknown field", `{"function":"booth","stpes":5,"optimizers":[{"name":"sgd"}]}`,
			`unknown field "stpes" (did you mean steps?)`, "stpes", 0},
		{"unknown optimizer", `{"function":"booth","optimizers":[{"name":"adm"}]}`,
			`optimizers[0].name: unknown optimizer "adm" (did you mean adam?)`, "optimizers[0].name", 0},
		{"unknown hyperparameter", `{"function":"booth","optimizers":[{"name":"sgd","momentun":0.9}]}`,
			`unknown field "optimizers[0].momentun" (did you mean momentum?)`, "optimizers[0].momentun", 0},
		{"bool as number", `{"function":"booth","optimizers":[{"name":"sgd","momentum":0.9,"nesterov":1}]}`,
			`optimizers[0].nesterov must be true or false`, "optimizers[0].nesterov", 0},
		{"pair of one", `{"function":"booth","optimizers":[{"name":"adam","betas":[0.9]}]}`,
			`optimizers[0].betas must be a pair of numbers [a, b], got [0.9]`, "optimizers[0].betas", 0},
		{"pair out of range", `{"function":"booth","optimizers":[{"name":"adam","betas":[0.9,1.5]}]}`,
			`optimizers[0].betas[1] must be in [0, 1), got 1.5`, "optimizers[0].betas[1]", 0},
		{"nesterov without momentum", `{"function":"booth","optimizers":[{"name":"sgd","nesterov":true}]}`,
			`optimizers[0].nesterov requires momentum > 0 and dampening == 0, got momentum 0 and dampening 0`, "optimizers[0].nesterov", 0},
		{"no optimizers", `{"function":"booth"}`,
			`optimizers must list 1 to 16 optimizers, got 0`, "optimizers", 0},
		{"both function and expr", `{"function":"booth","expr":"x^2","optimizers":[{"name":"sgd"}]}`,
			`give function or expr, not both`, "expr", 0},
		{"neither", `{"optimizers":[{"name":"sgd"}]}`,
			`function (a preset id) or expr is required`, "function", 0},
		{"duplicate field", `{"function":"booth","steps":5,"steps":6,"optimizers":[{"name":"sgd"}]}`,
			`duplicate field "steps"`, "steps", 0},
		{"shared lr zero", `{"function":"booth","lr":0,"optimizers":[{"name":"sgd"}]}`,
			`lr must be > 0, got 0`, "lr", 0},
		{"negative seed", `{"function":"booth","seed":-1,"optimizers":[{"name":"sgd"}]}`,
			`seed must be in [0, 9007199254740991], got -1`, "seed", 0},
		{"negative noise", `{"function":"booth","noise":-1,"optimizers":[{"name":"sgd"}]}`,
			`noise must be in [0, 1e6], got -1`, "noise", 0},
		{"empty domain", `{"function":"booth","domain":[1,0,0,1],"optimizers":[{"name":"sgd"}]}`,
			`domain must be [xmin, xmax, ymin, ymax] with xmin < xmax and ymin < ymax, got [1, 0, 0, 1]`, "domain", 0},
		{"too many optimizers", `{"function":"booth","optimizers":[` + strings.Repeat(`{"name":"sgd"},`, 16) + `{"name":"sgd"}]}`,
			`optimizers must list 1 to 16 optimizers, got 17`, "optimizers", 0},
		{"optimizer without name", `{"function":"booth","optimizers":[{"lr":0.1}]}`,
			`optimizers[0].name is required`, "optimizers[0].name", 0},
		{"unknown schedule", `{"function":"booth","schedule":{"name":"steplrr"},"optimizers":[{"name":"sgd"}]}`,
			`schedule.name: unknown schedule "steplrr" (did you mean steplr?)`, "schedule.name", 0},
		{"schedule missing a required parameter", `{"function":"booth","schedule":{"name":"steplr"},"optimizers":[{"name":"sgd"}]}`,
			`schedule.step_size is required for steplr`, "schedule.step_size", 0},
		{"schedule parameter out of range", `{"function":"booth","schedule":{"name":"exponentiallr","gamma":2},"optimizers":[{"name":"sgd"}]}`,
			`schedule.gamma must be in (0, 1], got 2`, "schedule.gamma", 0},
		{"schedule unknown parameter", `{"function":"booth","schedule":{"name":"steplr","step_size":5,"gama":0.5},"optimizers":[{"name":"sgd"}]}`,
			`unknown field "schedule.gama" (did you mean gamma?)`, "schedule.gama", 0},
		{"truncated JSON", `{"function":`, `malformed JSON: unexpected end of input`, "", 0},
		{"syntax error", `{"function" "booth"}`, `malformed JSON at offset 13: invalid character '"' after object key`, "", 0},
		{"not an object", `[1,2]`, `the run spec must be a JSON object`, "", 0},
		{"trailing data", `{"function":"booth","optimizers":[{"name":"sgd"}]} {}`, `malformed JSON at offset 52: invalid character '{' after top-level value`, "", 0},
		{"oversize body", huge, `request body must be at most 65536 bytes`, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, body := post(t, srv.URL+"/api/v1/runs", c.body)
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d, want 400 (%s)", res.StatusCode, body)
			}
			var e errorBody
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("error body %s: %v", body, err)
			}
			if e.Error != c.want {
				t.Errorf("error\ngot  %s\nwant %s", e.Error, c.want)
			}
			if got := deref(e.Field); got != c.field {
				t.Errorf("field %q, want %q", got, c.field)
			}
			if c.pos != 0 && (e.Pos == nil || *e.Pos != c.pos) {
				t.Errorf("pos %v, want %d", e.Pos, c.pos)
			}
			if c.pos == 0 && e.Pos != nil {
				t.Errorf("pos %d given for a non-expression error", *e.Pos)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

type runsBody struct {
	Runs []struct {
		Optimizer map[string]any `json:"optimizer"`
		Points    [][3]float64   `json:"points"`
		Outcome   outcome        `json:"outcome"`
	} `json:"runs"`
}

type outcome struct {
	Status  string `json:"status"`
	Step    int    `json:"step"`
	Reached *struct {
		Kind   string  `json:"kind"`
		X      float64 `json:"x"`
		Y      float64 `json:"y"`
		Value  float64 `json:"value"`
		Global bool    `json:"global"`
	} `json:"reached"`
}

const exampleSpec = `{"function":"himmelblau","start":[0,0],"steps":500,"seed":1,"noise":0,"clip_norm":0,"lr":0.01,
 "optimizers":[{"name":"adam","lr":0.05,"betas":[0.9,0.999],"eps":1e-8},{"name":"sgd","momentum":0.9,"nesterov":true},{"name":"momentum"}]}`

// TestRunsPostGetCSV checks one spec through its faces: POST JSON, GET of
// its permalink, and CSV; and that defaults are resolved and reported.
func TestRunsPostGetCSV(t *testing.T) {
	_, srv := newServer(t, Config{})
	res, body := post(t, srv.URL+"/api/v1/runs", exampleSpec)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("POST: %d %s: %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	var r runsBody
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Runs) != 3 {
		t.Fatalf("%d runs, want 3", len(r.Runs))
	}
	adam, sgd, mom := r.Runs[0].Optimizer, r.Runs[1].Optimizer, r.Runs[2].Optimizer
	if adam["lr"] != 0.05 || adam["amsgrad"] != false || adam["weight_decay"] != 0.0 {
		t.Errorf("adam resolved to %v: its own lr wins, defaults filled", adam)
	}
	if sgd["lr"] != 0.01 || sgd["nesterov"] != true || sgd["dampening"] != 0.0 {
		t.Errorf("sgd resolved to %v: the shared lr applies", sgd)
	}
	if mom["name"] != "sgd" || mom["display"] != "Momentum SGD" || mom["momentum"] != 0.9 {
		t.Errorf("the momentum preset resolved to %v", mom)
	}
	for i, run := range r.Runs {
		if p := run.Points[0]; p[0] != 0 || p[1] != 0 || p[2] != 170 {
			t.Errorf("run %d starts at %v, want the start point [0, 0, 170]", i, p)
		}
		o := run.Outcome
		want := o.Step + 1
		if o.Status == "not_converged" || o.Status == "converged" {
			want = 501
		}
		if len(run.Points) != want {
			t.Errorf("run %d: %d points for outcome %+v", i, len(run.Points), o)
		}
	}
	if o := r.Runs[0].Outcome; o.Status != "converged" || o.Reached == nil || o.Reached.Kind != "minimum" || !o.Reached.Global || math.Abs(o.Reached.Value) > 1e-9 {
		t.Errorf("adam on himmelblau from (0,0): outcome %+v, want a global minimum", o)
	}

	// The permalink of the same spec gives the same bytes.
	spec, err := runspec.Decode([]byte(exampleSpec))
	if err != nil {
		t.Fatal(err)
	}
	res, got := get(t, srv.URL+"/api/v1/runs?"+runspec.EncodeQuery(spec))
	if res.StatusCode != 200 || !bytes.Equal(got, body) {
		t.Errorf("GET of the permalink differs from the POST:\n%.300s\n%.300s", got, body)
	}

	// CSV, by format and by Accept.
	for _, mk := range []func() *http.Request{
		func() *http.Request {
			r, _ := http.NewRequest("GET", srv.URL+"/api/v1/runs?"+runspec.EncodeQuery(spec)+"&format=csv", nil)
			return r
		},
		func() *http.Request {
			r, _ := http.NewRequest("POST", srv.URL+"/api/v1/runs", strings.NewReader(exampleSpec))
			r.Header.Set("Accept", "text/csv")
			return r
		},
	} {
		res, csv := do(t, mk())
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("CSV: %d %v", res.StatusCode, res.Header)
		}
		lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
		total := 0
		for _, run := range r.Runs {
			total += len(run.Points)
		}
		if lines[0] != "optimizer,step,x,y,loss" || len(lines) != total+1 || lines[1] != "adam,0,0,0,170" {
			t.Errorf("CSV has %d lines, starts %q %q", len(lines), lines[0], lines[1])
		}
	}
}

// TestRunsSchedule checks that a schedule scales each optimizer's own lr:
// with exponentiallr(gamma=0.5) plain SGD on the bowl 0.5*(x^2+y^2) moves by
// lr*0.5^k*x at step k+1, and the result reports the resolved schedule.
func TestRunsSchedule(t *testing.T) {
	_, srv := newServer(t, Config{})
	res, body := post(t, srv.URL+"/api/v1/runs", `{"function":"quadratic","start":[1,0],"steps":3,
		"schedule":{"name":"exponentiallr","gamma":0.5},"optimizers":[{"name":"sgd","lr":0.5},{"name":"sgd","lr":0.25}]}`)
	if res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	var r struct {
		Schedule map[string]any `json:"schedule"`
		runsBody
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if r.Schedule["name"] != "exponentiallr" || r.Schedule["gamma"] != 0.5 {
		t.Errorf("schedule reported as %v", r.Schedule)
	}
	for i, lr := range []float64{0.5, 0.25} {
		x := 1.0
		for k, p := range r.Runs[i].Points {
			if p[0] != x {
				t.Errorf("run %d point %d: x = %v, want %v", i, k, p[0], x)
			}
			x -= lr * math.Pow(0.5, float64(k)) * x
		}
	}
}

func TestRunsCustomExpression(t *testing.T) {
	_, srv := newServer(t, Config{})
	res, body := post(t, srv.URL+"/api/v1/runs",
		`{"expr":"(x-1)^2 + 2*(y+0.5)^2","start":[3,3],"steps":2000,"optimizers":[{"name":"adam","lr":0.05}]}`)
	if res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	var r runsBody
	json.Unmarshal(body, &r)
	o := r.Runs[0].Outcome
	if o.Status != "converged" || o.Reached == nil || !o.Reached.Global || math.Abs(o.Reached.X-1) > 1e-3 || math.Abs(o.Reached.Y+0.5) > 1e-3 {
		t.Errorf("outcome %+v, want the global minimum at (1, -0.5)", o)
	}
}

func TestGetRunsBadQuery(t *testing.T) {
	_, srv := newServer(t, Config{})
	cases := []struct{ query, want string }{
		{"v=1&f=booth&opt=sgd&stpes=5", `unknown query parameter "stpes" (did you mean steps?)`},
		{"v=1&f=booth&opt=sgd&steps=0", `steps must be in [1, 10000], got 0`},
		{"v=1&f=booth&opt=sgd(lr=-0.1)", `optimizers[0].lr must be > 0, got -0.1`},
		{"v=1&f=booth&opt=sgd&format=xml", `format must be json or csv, got "xml"`},
		{"v=1&f=booth&opt=sgd&lr=%zz", `malformed query: invalid URL escape "%zz"`},
	}
	for _, c := range cases {
		res, body := get(t, srv.URL+"/api/v1/runs?"+c.query)
		var e errorBody
		json.Unmarshal(body, &e)
		if res.StatusCode != 400 || e.Error != c.want {
			t.Errorf("GET ?%s: %d %q, want 400 %q", c.query, res.StatusCode, e.Error, c.want)
		}
	}
}

func TestFunctionsAndOptimizers(t *testing.T) {
	_, srv := newServer(t, Config{})
	var fs struct {
		Functions []struct {
			ID     string    `json:"id"`
			Domain []float64 `json:"domain"`
			Start  []float64 `json:"start"`
			LR     float64   `json:"lr"`
			Minima []struct {
				X, Y, Value float64
				Global      bool
			} `json:"minima"`
			Saddles []any `json:"saddles"`
		} `json:"functions"`
	}
	res, body := get(t, srv.URL+"/api/v1/functions")
	if err := json.Unmarshal(body, &fs); err != nil || res.StatusCode != 200 || len(fs.Functions) == 0 {
		t.Fatalf("functions: %d %v %.200s", res.StatusCode, err, body)
	}
	for _, f := range fs.Functions {
		if len(f.Domain) != 4 || len(f.Start) != 2 || !(f.LR > 0) || len(f.Minima)+len(f.Saddles) == 0 {
			t.Errorf("function %s incomplete: %+v", f.ID, f)
		}
		res, one := get(t, srv.URL+"/api/v1/functions/"+f.ID)
		if res.StatusCode != 200 || !strings.Contains(string(body), string(one[:len(one)-1])) {
			t.Errorf("GET /functions/%s differs from the list entry", f.ID)
		}
	}
	res, body = get(t, srv.URL+"/api/v1/functions/himelblau")
	if res.StatusCode != 404 || !strings.Contains(string(body), "did you mean himmelblau") {
		t.Errorf("unknown function: %d %s", res.StatusCode, body)
	}
	res, body = get(t, srv.URL+"/api/v1/functions/custom?expr="+strings.ReplaceAll("(x-1)^2+(y-2)^2", "+", "%2B")+"&domain=-4,4,-4,4")
	var custom struct {
		Minima []struct{ X, Y float64 } `json:"minima"`
		Domain []float64                `json:"domain"`
	}
	json.Unmarshal(body, &custom)
	if res.StatusCode != 200 || len(custom.Minima) != 1 || math.Abs(custom.Minima[0].X-1) > 1e-6 || custom.Domain[0] != -4 {
		t.Errorf("custom: %d %s", res.StatusCode, body)
	}
	res, body = get(t, srv.URL+"/api/v1/functions/custom?expr=x%5E")
	if res.StatusCode != 400 || !strings.Contains(string(body), `"pos":`) {
		t.Errorf("custom with a syntax error: %d %s", res.StatusCode, body)
	}

	var os struct {
		Optimizers []struct {
			Name   string `json:"name"`
			Params []struct {
				Name    string   `json:"name"`
				Kind    string   `json:"kind"`
				Default any      `json:"default"`
				Min     *float64 `json:"min"`
				Scale   string   `json:"scale"`
				Doc     string   `json:"doc"`
			} `json:"params"`
		} `json:"optimizers"`
		Presets []struct {
			ID, Display, Optimizer string
			Values                 map[string]any
		} `json:"presets"`
	}
	res, body = get(t, srv.URL+"/api/v1/optimizers")
	if err := json.Unmarshal(body, &os); err != nil || res.StatusCode != 200 {
		t.Fatalf("optimizers: %v %s", err, body)
	}
	names := map[string]bool{}
	for _, o := range os.Optimizers {
		names[o.Name] = true
		for _, p := range o.Params {
			if p.Default == nil || p.Min == nil || (p.Scale != "log" && p.Scale != "linear") || p.Doc == "" {
				t.Errorf("%s.%s incompletely described: %+v", o.Name, p.Name, p)
			}
		}
	}
	for _, n := range []string{"sgd", "adam", "adamw", "rmsprop", "adagrad"} {
		if !names[n] {
			t.Errorf("optimizer %s not listed", n)
		}
	}
	found := false
	for _, p := range os.Presets {
		found = found || (p.ID == "nesterov" && p.Optimizer == "sgd" && p.Values["nesterov"] == true)
	}
	if !found {
		t.Errorf("the Nesterov preset is missing or wrong: %+v", os.Presets)
	}
}

func TestLandscapeGrid(t *testing.T) {
	_, srv := newServer(t, Config{})
	res, body := get(t, srv.URL+"/api/v1/landscape?f=booth&domain=-1,1,0,2&nx=3&ny=2")
	if res.StatusCode != 200 || len(body) != 32+4*6 || string(body[:4]) != "BSNL" {
		t.Fatalf("%d, %d bytes", res.StatusCode, len(body))
	}
	le := binary.LittleEndian
	if le.Uint32(body[4:]) != 3 || le.Uint32(body[8:]) != 2 {
		t.Errorf("nx, ny = %d, %d", le.Uint32(body[4:]), le.Uint32(body[8:]))
	}
	booth := func(x, y float64) float64 { return (x+2*y-7)*(x+2*y-7) + (2*x+y-5)*(2*x+y-5) }
	lo, hi := math.Inf(1), math.Inf(-1)
	for j, y := range []float64{0, 2} {
		for i, x := range []float64{-1, 0, 1} {
			want := booth(x, y)
			lo, hi = min(lo, want), max(hi, want)
			got := math.Float32frombits(le.Uint32(body[32+4*(j*3+i):]))
			if got != float32(want) {
				t.Errorf("value at (%g, %g) = %g, want %g", x, y, got, want)
			}
		}
	}
	if gl, gh := math.Float64frombits(le.Uint64(body[16:])), math.Float64frombits(le.Uint64(body[24:])); gl != lo || gh != hi {
		t.Errorf("min, max = %g, %g, want %g, %g", gl, gh, lo, hi)
	}
	for _, q := range []string{"f=booth&nx=1", "f=booth&nx=100000", "f=nope", "f=booth&zoom=2", "expr=x%2B"} {
		res, body := get(t, srv.URL+"/api/v1/landscape?"+q)
		if res.StatusCode != 400 {
			t.Errorf("?%s: %d %s, want 400", q, res.StatusCode, body)
		}
	}
}

func TestPageHeadersAndETag(t *testing.T) {
	_, srv := newServer(t, Config{FrameAncestors: "'self'"})
	res, body := get(t, srv.URL+"/")
	if res.StatusCode != 200 || !strings.Contains(string(body), "Basin") {
		t.Fatalf("/: %d %s", res.StatusCode, body)
	}
	etag := res.Header.Get("ETag")
	if etag == "" || res.Header.Get("Cache-Control") != "no-cache" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("page headers: %v", res.Header)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/", nil)
	req.Header.Set("If-None-Match", etag)
	if res, _ := do(t, req); res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", res.StatusCode)
	}
	if res, _ := get(t, srv.URL+"/js/main.js"); !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("main.js served as %s", res.Header.Get("Content-Type"))
	}
	wantCSP := "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
	for _, path := range []string{"/", "/nope", "/api/v1/nope", "/healthz", "/api/v1/runs?bad=1", "/api/v1/ws"} {
		res, _ := get(t, srv.URL+path)
		h := res.Header
		if h.Get("Content-Security-Policy") != wantCSP || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s (%d): security headers %v", path, res.StatusCode, h)
		}
	}
	if res, _ := get(t, srv.URL+"/nope"); res.StatusCode != 404 {
		t.Errorf("/nope: %d", res.StatusCode)
	}
	res, body = get(t, srv.URL+"/api/v1/ws") // not a websocket handshake
	var e errorBody
	if err := json.Unmarshal(body, &e); err != nil || res.StatusCode != 400 || !strings.Contains(e.Error, "websocket") {
		t.Errorf("plain GET of the websocket: %d %s", res.StatusCode, body)
	}
}

func contextWithTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

func TestRunsCSVRepeatedOptimizer(t *testing.T) {
	_, srv := newServer(t, Config{})
	res, body := get(t, srv.URL+"/api/v1/runs?v=1&f=booth&steps=2&opt=adam&opt=sgd&opt=adam(lr=0.5)&format=csv")
	if res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	want := map[string]int{"adam #1": 3, "sgd": 3, "adam #3": 3}
	got := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(body)), "\n")[1:] {
		got[strings.Split(line, ",")[0]]++
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows per optimizer label %v, want %v", got, want)
	}
}
