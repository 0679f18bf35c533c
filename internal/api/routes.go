package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// routes lists every endpoint. The websocket route has no timeout
// middleware: a session lives as long as the client stays, and its own
// deadlines (limits.go) bound every read and write.
func (h *Handler) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(h.securityHeaders, h.logRequests, h.recoverPanics, h.admitRequests)
	r.NotFound(h.notFound)
	r.MethodNotAllowed(h.methodNotAllowed)
	if h.cfg.Prefix == "" {
		h.basinRoutes(r)
		return r
	}
	// Behind a proxy that forwards the full path everything lives below
	// the prefix, and the bare prefix redirects to its directory so the
	// page's relative links resolve inside it.
	r.Use(h.barePrefix)
	inner := chi.NewRouter()
	inner.NotFound(h.notFound)
	inner.MethodNotAllowed(h.methodNotAllowed)
	h.basinRoutes(inner)
	r.Mount(h.cfg.Prefix, inner)
	return r
}

// barePrefix redirects the prefix itself ("/basin") to "/basin/".
func (h *Handler) barePrefix(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == h.cfg.Prefix {
			http.Redirect(w, r, h.cfg.Prefix+"/", http.StatusMovedPermanently)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// basinRoutes are Basin's own endpoints, at the root or below Config.Prefix.
func (h *Handler) basinRoutes(r chi.Router) {
	r.Get("/healthz", h.healthz)
	if h.metrics != nil {
		r.Method(http.MethodGet, "/metrics", h.metrics.handler())
	}
	r.Route("/api/v1", func(r chi.Router) {
		r.Use(h.cors)
		r.Get("/functions", h.cached(h.listFunctions))
		r.Get("/functions/custom", h.customFunction)
		r.Get("/functions/{id}", h.cached(h.getFunction))
		r.Get("/optimizers", h.cached(h.listOptimizers))
		r.Post("/runs", h.postRuns)
		r.Get("/runs", h.getRuns)
		r.Get("/landscape", h.getLandscape)
		r.Post("/sweeps", h.postSweeps)
		r.Post("/basins", h.postBasins)
		r.Post("/inspect", h.postInspect)
		r.Post("/train", h.postTrain)
		r.Get("/train", h.getTrain)
		r.Post("/train/inspect", h.postTrainInspect)
		r.Post("/train/sweeps", h.postTrainSweeps) // traintools.go
		r.Post("/train/basins", h.postTrainBasins)
		r.Get("/datasets", h.cached(h.listDatasets))
		r.Get("/examples", h.cached(h.listExamples))
		r.Get("/openapi.json", func(w http.ResponseWriter, r *http.Request) { h.openAPI.serve(w, r, cacheCatalog) })
		r.Get("/ws", h.serveWS)
	})
	r.Get("/*", h.page.serve)
	r.Head("/*", h.page.serve)
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, statusError(http.StatusNotFound, "no such endpoint: "+r.URL.Path))
}

func (h *Handler) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeError(w, statusError(http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path))
}
