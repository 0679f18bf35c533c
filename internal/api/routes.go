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
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, statusError(http.StatusNotFound, "no such endpoint: "+r.URL.Path))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, statusError(http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path))
	})

	r.Get("/healthz", h.healthz)
	r.Route("/api/v1", func(r chi.Router) {
		r.Get("/functions", h.listFunctions)
		r.Get("/functions/custom", h.customFunction)
		r.Get("/functions/{id}", h.getFunction)
		r.Get("/optimizers", h.listOptimizers)
		r.Post("/runs", h.postRuns)
		r.Get("/runs", h.getRuns)
		r.Get("/landscape", h.getLandscape)
		r.Post("/sweeps", h.postSweeps)
		r.Post("/basins", h.postBasins)
		r.Post("/inspect", h.postInspect)
		r.Post("/train", h.postTrain)
		r.Get("/train", h.getTrain)
		r.Get("/datasets", h.listDatasets)
		r.Get("/examples", h.listExamples)
		r.Get("/ws", h.serveWS)
	})
	r.Get("/*", h.page.serve)
	r.Head("/*", h.page.serve)
	return r
}
