package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the Prometheus series served at /metrics when Config.Metrics
// is set. Each Handler has its own registry, so tests (and two handlers in
// one process) never collide on the global one.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	jobs     prometheus.Histogram
}

// unmatchedRoute labels requests no route matched, so that scanners asking
// for random paths cannot grow the number of series.
const unmatchedRoute = "unmatched"

// newMetrics registers Basin's series; the gauges read the handler's own
// semaphores and counters when scraped, so nothing on the request path
// updates them.
func newMetrics(h *Handler) *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "basin_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "basin_http_request_duration_seconds",
			Help: "Time to answer an HTTP request, by route pattern (a websocket counts until its upgrade).",
			// From a cached catalog (under a millisecond) to a large basin map (seconds).
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 10),
		}, []string{"route"}),
		jobs: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "basin_heavy_job_duration_seconds",
			Help:    "Time a many-run job (basin map or sweep) held its slots.",
			Buckets: prometheus.ExponentialBuckets(0.01, 3, 10),
		}),
	}
	reg.MustRegister(m.requests, m.latency, m.jobs,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "basin_websockets_open",
			Help: "Open websockets.",
		}, func() float64 {
			h.mu.Lock()
			defer h.mu.Unlock()
			return float64(h.conns)
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "basin_run_slots_in_use",
			Help: "Slots of the server-wide run semaphore (-max-runs) in use.",
		}, func() float64 { return float64(h.runs.Config().Slots - h.runs.Stats().Free) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "basin_run_slots",
			Help: "Size of the server-wide run semaphore (-max-runs).",
		}, func() float64 { return float64(h.runs.Config().Slots) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "basin_heavy_slots_in_use",
			Help: "Many-run job slots (basin maps, sweeps) in use.",
		}, func() float64 { return float64(h.heavy.Config().Slots - h.heavy.Stats().Free) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "basin_heavy_slots",
			Help: "Many-run job slots in all (-heavy-jobs).",
		}, func() float64 { return float64(h.heavy.Config().Slots) }),
	)
	return m
}

// handler serves the registry in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// observe counts a finished request under its route pattern. It is called
// by logRequests, whose statusWriter passes every write straight through:
// no response body is ever held back for the metrics.
func (m *metrics) observe(r *http.Request, status int, took time.Duration) {
	route := unmatchedRoute
	if rc := chi.RouteContext(r.Context()); rc != nil && status != http.StatusNotFound {
		if p := rc.RoutePattern(); p != "" {
			route = p
		}
	}
	if status == 0 {
		status = http.StatusOK // a handler that wrote nothing answered 200
	}
	m.requests.WithLabelValues(route, r.Method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(took.Seconds())
}

// observeJob records how long a many-run job held its slots.
func (m *metrics) observeJob(took time.Duration) {
	if m != nil {
		m.jobs.Observe(took.Seconds())
	}
}
