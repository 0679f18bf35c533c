// Package api is Basin's HTTP and websocket interface: run specs and their
// validation, permalinks, the REST endpoints, trajectory streaming and the
// embedded page. It is the only package that imports net/http.
package api

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/basin-dev/basin/internal/version"
)

// Config is what the server needs from main. The zero value of every limit
// means its documented default.
type Config struct {
	// Logger receives structured request and session logs; nil means
	// slog.Default().
	Logger *slog.Logger
	// Web is the page served at /, normally web.Files; nil serves no page.
	Web fs.FS
	// AllowedOrigins lists extra origins (scheme://host[:port]) whose pages
	// may open websockets. The server's own origin is always allowed;
	// every other browser origin, and "null", is refused with 403.
	AllowedOrigins []string
	// FrameAncestors, when not empty, is the CSP frame-ancestors source list
	// (e.g. "'self' https://school.example"). Empty lets any page embed
	// Basin: teachers put it in slides and course pages, and the page holds
	// nothing to steal.
	FrameAncestors string
	// MaxRuns bounds the runs computing at once (DefaultMaxRuns).
	MaxRuns int
	// MaxConns bounds open websockets (DefaultMaxConns).
	MaxConns int
	// MaxConnsPerClient bounds open websockets per client address
	// (DefaultMaxConnsPerClient). Behind a reverse proxy every client has
	// the proxy's address; raise it there.
	MaxConnsPerClient int
	// Prefix, when not empty ("/basin"), is the path Basin is served under
	// behind a reverse proxy that forwards the full path: every route
	// moves below it. The page finds the API relative to its own address,
	// so a proxy that strips the prefix needs no Prefix at all.
	Prefix string
	// Metrics serves Prometheus metrics at /metrics (below Prefix).
	Metrics bool
	// Version is reported by /healthz; empty means version.Get().
	Version version.Info
}

// timing holds the websocket timings, the named constants in production;
// tests shorten them to exercise slow clients and keep-alive quickly.
type timing struct {
	writeWait, pongWait, pingPeriod time.Duration
}

// Handler serves Basin. It is an http.Handler; Shutdown closes its
// websockets, which http.Server.Shutdown does not track once hijacked.
type Handler struct {
	cfg      Config
	log      *slog.Logger
	mux      http.Handler
	runs     chan struct{} // server-wide run semaphore
	heavy    chan struct{} // many-run jobs computing at once (jobs.go)
	resolver resolver
	page     *staticFiles
	catalog  answerCache // the catalog endpoints' answers, fixed at start
	openAPI  *encoded    // the OpenAPI description, with Config.Prefix
	csp      string
	upgrader websocket.Upgrader
	timing   timing
	metrics  *metrics // nil unless Config.Metrics
	health   []byte   // the /healthz answer, fixed at start

	mu        sync.Mutex
	closing   bool
	conns     int
	perClient map[string]int
	sessions  map[*session]struct{}
	wg        sync.WaitGroup // live sessions
}

// NewHandler builds the server from cfg: every route is in routes.go.
func NewHandler(cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxRuns <= 0 {
		cfg.MaxRuns = DefaultMaxRuns
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = DefaultMaxConns
	}
	if cfg.MaxConnsPerClient <= 0 {
		cfg.MaxConnsPerClient = DefaultMaxConnsPerClient
	}
	h := &Handler{
		cfg:       cfg,
		log:       cfg.Logger,
		runs:      make(chan struct{}, cfg.MaxRuns),
		heavy:     make(chan struct{}, heavyLimit(cfg.MaxRuns)),
		resolver:  resolver{critical: newCriticalCache()},
		csp:       contentSecurityPolicy(cfg.FrameAncestors),
		timing:    timing{writeWait, pongWait, pingPeriod},
		perClient: make(map[string]int),
		sessions:  make(map[*session]struct{}),
	}
	if cfg.Version.Version == "" {
		h.cfg.Version = version.Get()
	}
	h.health = healthBody(h.cfg.Version)
	if cfg.Metrics {
		h.metrics = newMetrics(h)
	}
	h.page = newStaticFiles(cfg.Web, h.log)
	h.upgrader = websocket.Upgrader{
		HandshakeTimeout: handshakeTimeout,
		// Reuse the connection's read buffer from the HTTP server and
		// take write buffers from a pool only while writing, so an idle
		// connection holds no write buffer.
		WriteBufferPool: &sync.Pool{},
		CheckOrigin:     h.originAllowed,
		// A failed handshake (not a websocket request, say) answers with
		// the same JSON error object as every other endpoint.
		Error: func(w http.ResponseWriter, r *http.Request, status int, reason error) {
			writeError(w, statusError(status, reason.Error()))
		},
		EnableCompression: false, // the read limit would count compressed bytes
	}
	h.catalog = h.newCatalog()
	h.openAPI = h.openAPIBody()
	h.mux = h.routes()
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// acquireRun takes a slot of the server-wide run semaphore, waiting for one
// until ctx ends.
func (h *Handler) acquireRun(ctx context.Context) error {
	select {
	case h.runs <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Handler) releaseRun() { <-h.runs }

// Shutdown refuses new websockets, closes the open ones with 1001 (going
// away) and waits until their sessions have ended or ctx is done, when it
// closes the rest at once. Call it alongside http.Server.Shutdown.
func (h *Handler) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	h.closing = true
	list := make([]*session, 0, len(h.sessions))
	for s := range h.sessions {
		list = append(list, s)
	}
	h.mu.Unlock()
	for _, s := range list {
		s.goAway()
	}
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		for _, s := range list {
			s.conn.Close()
		}
		<-done
		return ctx.Err()
	}
}
