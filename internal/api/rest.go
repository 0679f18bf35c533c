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
	"unsafe"

	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
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

func (h *Handler) listFunctions(w http.ResponseWriter, r *http.Request) {
	var list struct {
		Functions []functionJSON `json:"functions"`
	}
	for _, p := range landscape.Presets() {
		list.Functions = append(list.Functions, newFunctionJSON(p))
	}
	h.answerJSON(w, r, list)
}

func (h *Handler) getFunction(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	p, ok := landscape.Lookup(id)
	if !ok {
		h.fail(w, r, withStatus(http.StatusNotFound, runspec.UnknownFunction(id)))
		return
	}
	h.answerJSON(w, r, newFunctionJSON(p))
}

// customFunction describes a custom expression the way a preset is
// described: its domain (given or default), default start and learning
// rate, the critical points SearchCritical finds, so the page can mark
// them, and what the search says of them (searchJSON). Query: expr
// (required), domain (optional).
func (h *Handler) customFunction(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "expr", "domain")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fn, d, err := runspec.QueryFunction(q, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	set, err := h.resolver.Critical(r.Context(), q.Get("expr"), fn, d)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.answerJSON(w, r, struct {
		Expr text `json:"expr"`
		functionJSON
		searchJSON
	}{
		text(q.Get("expr")),
		newFunctionJSON(landscape.Preset{Domain: d, Start: runspec.DefaultExprStart(d), LR: runspec.DefaultExprLR, Critical: set.Points}),
		newSearchJSON(set),
	})
}

// parseQuery parses the raw query strictly (url.Query drops malformed
// pairs silently) and rejects parameters outside allowed and ViewParams,
// and repeated ones, except those a permalink may repeat (opt, where it is
// allowed, and the view parameters, which are ignored).
func parseQuery(r *http.Request, allowed ...string) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, runspec.Errorf("", "malformed query: %v", err)
	}
	for name, vals := range q {
		ok := runspec.IsViewParam(name)
		for _, a := range allowed {
			ok = ok || a == name
		}
		if !ok {
			if s := runspec.Suggest(name, allowed); s != "" {
				return nil, runspec.Errorf(name, "unknown query parameter %q (did you mean %s?)", name, s)
			}
			return nil, runspec.Errorf(name, "unknown query parameter %q (allowed: %s)", name, strings.Join(allowed, ", "))
		}
		if len(vals) > 1 && name != "opt" && !runspec.IsViewParam(name) {
			return nil, runspec.Errorf(name, "query parameter %q given %d times", name, len(vals))
		}
	}
	return q, nil
}

func (h *Handler) listOptimizers(w http.ResponseWriter, r *http.Request) {
	h.answerJSON(w, r, newOptimizersJSON())
}

// postRuns computes a run from a JSON spec body.
func (h *Handler) postRuns(w http.ResponseWriter, r *http.Request) {
	body, err := h.readBody(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	spec, err := runspec.Decode(body)
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
	spec, err := runspec.ParseQuery(r.URL.RawQuery)
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
	return false, runspec.Errorf("format", "format must be json or csv, got %q", q.Get("format"))
}

// answerRuns computes the runs of spec, holding their points (counted
// against the memory budget) until they are written, and streams the
// answer as it is encoded.
func (h *Handler) answerRuns(w http.ResponseWriter, r *http.Request, spec runspec.Spec, csv bool) {
	ctx, done := h.jobContext(r)
	defer done()
	run, err := h.resolver.Resolve(ctx, spec)
	if err != nil {
		h.failJob(w, r, ctx, err)
		return
	}
	release, err := h.reserve(ctx, runAnswerBytes(run.Config.Steps, len(run.Optimizers)))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer release()
	rs, err := h.execute(ctx, run, &runSlot{h: h}, true, nil)
	if err != nil {
		h.failJob(w, r, ctx, err)
		return
	}
	ctype := "application/json"
	if csv {
		ctype = "text/csv; charset=utf-8"
		w.Header().Set("Content-Disposition", `attachment; filename="basin-runs.csv"`)
	}
	st := newStream(w, ctype)
	b := make([]byte, 0, streamChunk+streamChunk/4)
	if csv {
		b, err = appendRunsCSV(b, rs, st.spill)
	} else {
		b, err = appendRunsJSON(b, run.Schedule, rs, st.spill)
	}
	if err != nil {
		st.fail(h, r, err)
		return
	}
	st.finish(b)
}

// runAnswerBytes is what a REST run holds until its answer is written: its
// points (24 bytes each) and the stream's buffer.
func runAnswerBytes(steps, optimizers int) int64 {
	return int64(steps+1)*int64(optimizers)*int64(unsafe.Sizeof(optim.Point{})) + 2*streamChunk
}

// landscapeHeaderLen is the size of the grid header (docs/DESIGN.md).
const landscapeHeaderLen = 32

// getLandscape samples a function on a grid for heat maps, in the binary
// layout of docs/DESIGN.md. Query: f or expr, domain, nx, ny (each in
// [2, landscape.MaxGridSide], default GridSideDefault); the page's other
// permalink parameters are accepted and ignored so it can pass its query.
func (h *Handler) getLandscape(w http.ResponseWriter, r *http.Request) {
	allowed := append([]string{"nx", "ny", "enc"}, runspec.QueryParams...)
	q, err := parseQuery(r, allowed...)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fn, d, err := runspec.QueryFunction(q, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	side := func(name string) (int, error) {
		if !q.Has(name) {
			return min(GridSideDefault, landscape.MaxGridSide), nil
		}
		n, err := strconv.Atoi(q.Get(name))
		// A sign is not part of a number in a query, as in JSON: "+10"
		// is refused like "1e1".
		if err != nil || strings.HasPrefix(q.Get(name), "+") || n < 2 || n > landscape.MaxGridSide {
			return 0, runspec.Errorf(name, "%s must be an integer in [2, %d], got %q", name, landscape.MaxGridSide, q.Get(name))
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
		h.fail(w, r, runspec.Errorf("enc", "enc must be f32 (the default) or u16, got %q", enc))
		return
	}
	ctx, done := h.jobContext(r)
	defer done()
	if err := h.checkCost("nx", cost.Landscape(fn, nx, ny)); err != nil {
		h.fail(w, r, err)
		return
	}
	held := int64(4*nx*ny) + 2*streamChunk
	if enc == gridEncU16 {
		// The whole float32 grid, its quantised copy and the compressor.
		held = int64(landscapeHeaderLen+6*nx*ny) + 2*streamChunk
	}
	release, err := h.reserve(ctx, held)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer release()
	vals, lo, hi, err := h.sampleGrid(ctx, fn, d, nx, ny)
	if err != nil {
		h.failJob(w, r, ctx, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	if enc == gridEncU16 {
		b := appendGridHeader(make([]byte, 0, landscapeHeaderLen+4*len(vals)), nx, ny, lo, hi)
		for _, v := range vals {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
		writeGzipped(w, r, "application/octet-stream", quantiseGrid(b))
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(landscapeHeaderLen+4*len(vals)))
	st := newStream(w, "application/octet-stream")
	b := appendGridHeader(make([]byte, 0, streamChunk+landscapeHeaderLen), nx, ny, lo, hi)
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		b = st.spill(b)
	}
	st.finish(b)
}

// appendGridHeader appends the grid header of docs/DESIGN.md: BSNL, nx,
// ny, reserved, min, max.
func appendGridHeader(b []byte, nx, ny int, lo, hi float64) []byte {
	b = append(b, "BSNL"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(nx))
	b = binary.LittleEndian.AppendUint32(b, uint32(ny))
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(lo))
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(hi))
}

// sampleGrid samples fn on the grid, holding a run slot, and returns the
// values as sent: NaN wherever the float32 value is not finite (undefined,
// infinite, or beyond float32's range), so a client has one value to test
// for; and their range, the smallest and largest values sent (0, 0 when no
// value is finite), so the header's min and max are values of the grid.
func (h *Handler) sampleGrid(ctx context.Context, fn landscape.Function, d landscape.Domain, nx, ny int) ([]float32, float64, float64, error) {
	release, err := h.acquireRun(ctx)
	if err != nil {
		return nil, 0, 0, err
	}
	defer release()
	vals := make([]float32, nx*ny)
	if _, _, err := landscape.Sample(ctx, fn, d, nx, ny, vals); err != nil {
		return nil, 0, 0, err
	}
	lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
	nan := float32(math.NaN())
	for i, v := range vals {
		if math.IsInf(float64(v), 0) {
			vals[i] = nan
			continue
		}
		// NaN fails both tests.
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	if lo > hi { // no finite value at all
		return vals, 0, 0, nil
	}
	return vals, float64(lo), float64(hi), nil
}
