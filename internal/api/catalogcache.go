package api

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/basin-dev/basin/internal/landscape"
)

// cacheCatalog is the Cache-Control of the catalog (functions, optimizers,
// guided examples, datasets): it changes only with a new build, so a page may reuse
// it for ten minutes without asking, then revalidates with its ETag. Ten
// minutes bounds how long a page loaded just before a deploy works from
// the old catalog.
const cacheCatalog = "public, max-age=600"

// answerCache holds the answers of the catalog endpoints, computed and
// compressed once at start-up, by path below the API root.
type answerCache map[string]*encoded

// catalogPaths are the endpoints whose answers depend on the build alone.
func catalogPaths() []string {
	paths := []string{"/functions", "/optimizers", "/examples", "/datasets"}
	for _, p := range landscape.Presets() {
		paths = append(paths, "/functions/"+p.ID)
	}
	return paths
}

// newCatalog asks the live handlers for each catalog answer once.
func (h *Handler) newCatalog() answerCache {
	r := chi.NewRouter()
	r.Get("/functions", h.listFunctions)
	r.Get("/functions/{id}", h.getFunction)
	r.Get("/optimizers", h.listOptimizers)
	r.Get("/examples", h.listExamples)
	r.Get("/datasets", h.listDatasets)
	c := answerCache{}
	for _, p := range catalogPaths() {
		rec := &recorder{header: http.Header{}}
		r.ServeHTTP(rec, httpRequest(p))
		if rec.status != http.StatusOK {
			h.log.Error("catalog answer at start-up", "path", p, "status", rec.status, "body", rec.body.String())
			continue
		}
		c[p] = newEncoded(rec.body.Bytes(), rec.header.Get("Content-Type"))
	}
	return c
}

// cached serves a catalog answer from the start-up copy; requests with a
// query (which the handlers check) and paths not in the catalog (unknown
// ids, answered 404) go to the live handler.
func (h *Handler) cached(live http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery == "" {
			if e := h.catalog[strings.TrimPrefix(r.URL.Path, h.cfg.Prefix+"/api/v1")]; e != nil {
				e.serve(w, r, cacheCatalog)
				return
			}
		}
		live(w, r)
	}
}

func httpRequest(path string) *http.Request {
	r, _ := http.NewRequest(http.MethodGet, path, nil)
	return r
}

// recorder keeps a handler's answer in memory (for the catalog only: its
// answers are small and complete).
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}
