package api

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/version"
	"github.com/go-chi/chi/v5"
)

func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	writeBody(w, http.StatusOK, "application/json", h.health)
}

// healthBody is the /healthz answer: the status and which build answers,
// so an operator can tell the replicas behind a load balancer apart.
func healthBody(v version.Info) []byte {
	b, _ := json.Marshal(struct {
		Status   string `json:"status"`
		Version  string `json:"version"`
		Revision string `json:"revision,omitempty"`
		Time     string `json:"time,omitempty"`
		Modified bool   `json:"modified,omitempty"`
		Go       string `json:"go"`
	}{"ok", v.String(), v.Revision, v.Time, v.Modified, v.Go})
	return append(b, '\n')
}

// appendFunctionJSON appends the description of a function: its id and text
// (for presets), domain, defaults and critical points.
func appendFunctionJSON(b []byte, p landscape.Preset) ([]byte, error) {
	b = append(b, '{')
	if p.ID != "" {
		b = append(b, `"id":`...)
		b = appendJSONString(b, p.ID)
		b = append(b, `,"name":`...)
		b = appendJSONString(b, p.Name)
		b = append(b, `,"formula":`...)
		b = appendJSONString(b, p.Formula)
		b = append(b, `,"description":`...)
		b = appendJSONString(b, p.Description)
		b = append(b, ',')
	}
	b = append(b, `"domain":`...)
	b = appendFloats(b, []float64{p.Domain.XMin, p.Domain.XMax, p.Domain.YMin, p.Domain.YMax})
	b = append(b, `,"start":`...)
	b = appendFloats(b, []float64{p.Start.X, p.Start.Y})
	b = append(b, `,"lr":`...)
	b = appendNumber(b, p.LR)
	for _, k := range []landscape.Kind{landscape.Minimum, landscape.Saddle, landscape.Maximum} {
		b = append(b, `,"`...)
		b = append(b, map[landscape.Kind]string{landscape.Minimum: "minima", landscape.Saddle: "saddles", landscape.Maximum: "maxima"}[k]...)
		b = append(b, `":[`...)
		first := true
		for _, c := range p.Critical {
			if c.Kind != k {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			var err error
			if b, err = appendCriticalJSON(b, c, false); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

func (h *Handler) listFunctions(w http.ResponseWriter, r *http.Request) {
	b := []byte(`{"functions":[`)
	for i, p := range landscape.Presets() {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendFunctionJSON(b, p); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	b = append(b, "]}\n"...)
	writeBody(w, http.StatusOK, "application/json", b)
}

func (h *Handler) getFunction(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	p, ok := landscape.Lookup(id)
	if !ok {
		err := unknownFunction(id).(*Error)
		err.Status = http.StatusNotFound
		h.fail(w, r, err)
		return
	}
	b, err := appendFunctionJSON(nil, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeBody(w, http.StatusOK, "application/json", append(b, '\n'))
}

// customFunction describes a custom expression the way a preset is
// described: its domain (given or default), default start and learning
// rate, and the critical points FindCritical finds, so the page can mark
// them. Query: expr (required), domain (optional).
func (h *Handler) customFunction(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "expr", "domain")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fn, d, err := functionFromQuery(q, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	crit, err := h.resolver.critical.get(r.Context(), q.Get("expr"), fn, d)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	b := []byte(`{"expr":`)
	b = appendJSONString(b, q.Get("expr"))
	b = append(b, ',')
	fb, err := appendFunctionJSON(nil, landscape.Preset{Domain: d, Start: defaultExprStart(d), LR: DefaultExprLR, Critical: crit})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	b = append(b, fb[1:]...) // the function's members inside this object
	writeBody(w, http.StatusOK, "application/json", append(b, '\n'))
}

// parseQuery parses the raw query strictly (url.Query drops malformed
// pairs silently) and rejects parameters outside allowed and ViewParams.
func parseQuery(r *http.Request, allowed ...string) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errorf("", "malformed query: %v", err)
	}
	for name, vals := range q {
		ok := isView(name)
		for _, a := range allowed {
			ok = ok || a == name
		}
		if !ok {
			if s := suggest(name, allowed); s != "" {
				return nil, errorf(name, "unknown query parameter %q (did you mean %s?)", name, s)
			}
			return nil, errorf(name, "unknown query parameter %q (allowed: %s)", name, strings.Join(allowed, ", "))
		}
		if len(vals) > 1 {
			return nil, errorf(name, "query parameter %q given %d times", name, len(vals))
		}
	}
	return q, nil
}

// functionFromQuery finds the function named by f or expr and its domain
// (domain if given, else the function's own).
func functionFromQuery(q url.Values, exprOnly bool) (landscape.Function, landscape.Domain, error) {
	var fn landscape.Function
	var d landscape.Domain
	switch {
	case q.Has("f") && q.Has("expr"):
		return nil, d, errorf("expr", "give f or expr, not both")
	case q.Has("f") && !exprOnly:
		p, ok := landscape.Lookup(q.Get("f"))
		if !ok {
			return nil, d, unknownFunction(q.Get("f"))
		}
		fn, d = p.Func, p.Domain
	case q.Has("expr"):
		var err error
		if fn, err = compileExpr(q.Get("expr")); err != nil {
			return nil, d, err
		}
		e := DefaultExprDomain
		d = landscape.Domain{XMin: e[0], XMax: e[1], YMin: e[2], YMax: e[3]}
	case exprOnly:
		return nil, d, errorf("expr", "expr is required")
	default:
		return nil, d, errorf("f", "f (a preset id) or expr is required")
	}
	if q.Has("domain") {
		v, err := queryList(q, "domain", "domain", ",", 4, "xmin,xmax,ymin,ymax")
		if err != nil {
			return nil, d, err
		}
		if d, err = checkDomain(v); err != nil {
			return nil, d, err
		}
	}
	return fn, d, nil
}

func (h *Handler) listOptimizers(w http.ResponseWriter, r *http.Request) {
	b := []byte(`{"optimizers":[`)
	for i, in := range optim.List() {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCatalogEntryJSON(b, in.Name, in.Display, in.Doc, "rule", in.Rule, in.Params)
	}
	b = append(b, `],"presets":[`...)
	for i, p := range optim.Presets() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendJSONString(b, p.ID)
		b = append(b, `,"display":`...)
		b = appendJSONString(b, p.Display)
		b = append(b, `,"optimizer":`...)
		b = appendJSONString(b, p.Optimizer)
		b = append(b, `,"values":{`...)
		info, _ := optim.Lookup(p.Optimizer)
		first := true
		for _, prm := range info.Params { // declared order, not map order
			v, ok := p.Values[prm.Name]
			if !ok {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendJSONString(b, prm.Name)
			b = append(b, ':')
			b = appendValueJSON(b, prm.Kind, v)
		}
		b = append(b, "}}"...)
	}
	b = append(b, `],"schedules":[`...)
	for i, in := range optim.Schedules() {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCatalogEntryJSON(b, in.Name, in.Display, in.Doc, "formula", in.Formula, in.Params)
	}
	b = append(b, "]}\n"...)
	writeBody(w, http.StatusOK, "application/json", b)
}

// appendCatalogEntryJSON appends one optimizer or schedule of the catalog:
// {"name","display","doc",textKey,"params":[...]}. The two kinds of entry
// have the same shape and differ only in their text, an optimizer's update
// rule ("rule") or a schedule's learning-rate formula ("formula").
func appendCatalogEntryJSON(b []byte, name, display, doc, textKey, text string, params []optim.Param) []byte {
	b = append(b, `{"name":`...)
	b = appendJSONString(b, name)
	b = append(b, `,"display":`...)
	b = appendJSONString(b, display)
	b = append(b, `,"doc":`...)
	b = appendJSONString(b, doc)
	b = append(b, `,"`...)
	b = append(b, textKey...)
	b = append(b, `":`...)
	b = appendJSONString(b, text)
	b = append(b, `,"params":[`...)
	for i, p := range params {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendParamJSON(b, p)
	}
	return append(b, "]}"...)
}

// kindNames are the JSON names of the hyperparameter kinds.
var kindNames = map[optim.Kind]string{optim.Number: "number", optim.Bool: "bool", optim.Pair: "pair"}

// appendParamJSON appends a hyperparameter's description. An infinite bound
// is written as null: unbounded. A parameter without a default (some
// schedules') has "default": null and "required": true.
func appendParamJSON(b []byte, p optim.Param) []byte {
	b = append(b, `{"name":`...)
	b = appendJSONString(b, p.Name)
	b = append(b, `,"kind":"`...)
	b = append(b, kindNames[p.Kind]...)
	b = append(b, `","default":`...)
	b = appendValueJSON(b, p.Kind, p.Default) // null: required
	if len(p.Default) == 0 {
		b = append(b, `,"required":true`...)
	}
	b = append(b, `,"min":`...)
	b = appendBound(b, p.Min)
	b = append(b, `,"max":`...)
	b = appendBound(b, p.Max)
	b = append(b, `,"min_open":`...)
	b = strconv.AppendBool(b, p.MinOpen)
	b = append(b, `,"max_open":`...)
	b = strconv.AppendBool(b, p.MaxOpen)
	b = append(b, `,"scale":`...)
	b = appendJSONString(b, string(p.Scale))
	b = append(b, `,"doc":`...)
	b = appendJSONString(b, p.Doc)
	return append(b, '}')
}

// appendBound appends a parameter's bound, null when it is unbounded.
func appendBound(b []byte, v float64) []byte {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return append(b, "null"...)
	}
	return appendNumber(b, v)
}

// appendValueJSON appends a hyperparameter value by its kind: a bool, an
// [a, b] pair or a number, and null for a value that does not fit its kind
// (a missing default). Catalog defaults, preset values and resolved
// optimizers are all written by it, so they read the same.
func appendValueJSON(b []byte, k optim.Kind, v []float64) []byte {
	switch {
	case k == optim.Bool && len(v) == 1:
		return strconv.AppendBool(b, v[0] != 0)
	case k == optim.Pair && len(v) == 2:
		return appendFloats(b, v)
	case len(v) == 1:
		return appendNumber(b, v[0])
	}
	return append(b, "null"...)
}

// postRuns computes a run from a JSON spec body.
func (h *Handler) postRuns(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	spec, err := DecodeSpec(body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := parseQuery(r, "format")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	csv, err := wantsCSV(r, q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.answerRuns(w, r, spec, csv)
}

// getRuns computes a run from a permalink query: the same result as the
// POST of the same spec.
func (h *Handler) getRuns(w http.ResponseWriter, r *http.Request) {
	spec, err := ParseQuery(r.URL.RawQuery)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q, _ := url.ParseQuery(r.URL.RawQuery) // parsed without error above
	csv, err := wantsCSV(r, q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.answerRuns(w, r, spec, csv)
}

// wantsCSV reads the format choice: format=csv|json in the query, else an
// Accept header naming text/csv.
func wantsCSV(r *http.Request, q url.Values) (bool, error) {
	switch q.Get("format") {
	case "csv":
		return true, nil
	case "json":
		return false, nil
	case "":
		return strings.Contains(r.Header.Get("Accept"), "text/csv"), nil
	}
	return false, errorf("format", "format must be json or csv, got %q", q.Get("format"))
}

func (h *Handler) answerRuns(w http.ResponseWriter, r *http.Request, spec RunSpec, csv bool) {
	ctx := r.Context()
	run, err := h.resolver.resolve(ctx, spec)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rs, err := h.execute(ctx, run, true, nil)
	if err != nil {
		if ctx.Err() != nil {
			return // the client left
		}
		h.fail(w, r, err)
		return
	}
	var b []byte
	if csv {
		b, err = appendRunsCSV(nil, rs)
	} else {
		b, err = appendRunsJSON(nil, run.schedule, rs)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if csv {
		w.Header().Set("Content-Disposition", `attachment; filename="basin-runs.csv"`)
		writeBody(w, http.StatusOK, "text/csv; charset=utf-8", b)
		return
	}
	writeBody(w, http.StatusOK, "application/json", b)
}

// landscapeHeaderLen is the size of the grid header (docs/DESIGN.md).
const landscapeHeaderLen = 32

// getLandscape samples a function on a grid for heat maps, in the binary
// layout of docs/DESIGN.md. Query: f or expr, domain, nx, ny (each in
// [2, landscape.MaxGridSide], default GridSideDefault); the page's other
// permalink parameters are accepted and ignored so it can pass its query.
func (h *Handler) getLandscape(w http.ResponseWriter, r *http.Request) {
	allowed := append([]string{"nx", "ny", "enc"}, specParams...)
	q, err := parseQuery(r, allowed...)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fn, d, err := functionFromQuery(q, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	side := func(name string) (int, error) {
		if !q.Has(name) {
			return min(GridSideDefault, landscape.MaxGridSide), nil
		}
		n, err := strconv.Atoi(q.Get(name))
		if err != nil || n < 2 || n > landscape.MaxGridSide {
			return 0, errorf(name, "%s must be an integer in [2, %d], got %q", name, landscape.MaxGridSide, q.Get(name))
		}
		return n, nil
	}
	nx, err := side("nx")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ny, err := side("ny")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	enc := q.Get("enc")
	if enc != "" && enc != "f32" && enc != gridEncU16 {
		h.fail(w, r, errorf("enc", "enc must be f32 (the default) or u16, got %q", enc))
		return
	}
	b, err := h.sampleGrid(r.Context(), fn, d, nx, ny)
	if err != nil {
		if r.Context().Err() != nil {
			return
		}
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	if enc == gridEncU16 {
		writeGzipped(w, r, "application/octet-stream", quantiseGrid(b))
		return
	}
	writeBody(w, http.StatusOK, "application/octet-stream", b)
}

// sampleGrid encodes the grid: header BSNL, nx, ny, reserved, min, max,
// then nx*ny little-endian float32.
func (h *Handler) sampleGrid(ctx context.Context, fn landscape.Function, d landscape.Domain, nx, ny int) ([]byte, error) {
	if err := h.acquireRun(ctx); err != nil {
		return nil, err
	}
	defer h.releaseRun()
	vals := make([]float32, nx*ny)
	lo, hi, err := landscape.Sample(ctx, fn, d, nx, ny, vals)
	if err != nil {
		return nil, err
	}
	if !finite(lo) || !finite(hi) { // no finite value at all
		lo, hi = 0, 0
	}
	b := make([]byte, 0, landscapeHeaderLen+4*len(vals))
	b = append(b, "BSNL"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(nx))
	b = binary.LittleEndian.AppendUint32(b, uint32(ny))
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(lo))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(hi))
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b, nil
}
