// Package api is Basin's HTTP and websocket interface: transport and
// handlers. It routes the REST endpoints, streams trajectories, sweeps and
// basin maps over the websocket, serves the embedded page and bounds what
// clients may use; what a request means (decoding, validating and
// resolving its run spec) is internal/runspec's. Below it, no package
// imports net/http; above it, only the commands do.
package api

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/basin-dev/basin/internal/admission"
	"github.com/basin-dev/basin/internal/bytebudget"
	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/origin"
	"github.com/basin-dev/basin/internal/peer"
	"github.com/basin-dev/basin/internal/runspec"
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
	// MaxConnsPerClient bounds open websockets per client
	// (DefaultMaxConnsPerClient).
	MaxConnsPerClient int
	// RunsPerClient bounds the run slots one client holds at once; zero
	// means half of MaxRuns.
	RunsPerClient int
	// HeavyJobs bounds the many-run jobs (sweeps, basin maps) computing at
	// once; zero means a quarter of MaxRuns, at least one.
	HeavyJobs int
	// HeavyPerClient bounds the many-run jobs one client computes at once;
	// zero means half of HeavyJobs.
	HeavyPerClient int
	// QueueWait bounds how long work waits for a slot before it is
	// refused with 429 (admission.DefaultMaxWait).
	QueueWait time.Duration
	// CPUBudget is the CPU one job may be estimated to take
	// (cost.DefaultBudget); more is refused with 400.
	CPUBudget time.Duration
	// MemoryBudget bounds the bytes of request bodies and unwritten
	// answers held at once (DefaultMemoryBudget); a client holds at most
	// half.
	MemoryBudget int64
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client and whose X-Forwarded-Proto names the scheme.
	TrustedProxies []netip.Prefix
	// Hosts, when not empty, are the only Host names served; with
	// Loopback, localhost and the loopback addresses are served too.
	Hosts []string
	// Loopback says the server listens on a loopback address only, so
	// that a Host naming anything else is DNS rebinding and is refused.
	Loopback bool
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
	cfg     Config
	log     *slog.Logger
	mux     http.Handler
	runs    *admission.Pool    // trajectories computing at once
	heavy   *admission.Pool    // many-run jobs computing at once
	memory  *bytebudget.Budget // bodies and unwritten answers
	ids     *peer.Identifier
	origins *origin.Policy
	// quit ends when Shutdown begins: waits for slots end with 503.
	quit    context.Context
	quitNow context.CancelFunc
	// halt ends when REST computations still running must stop so that
	// their 503 is written before the shutdown deadline.
	halt     context.Context
	haltNow  context.CancelFunc
	resolver *runspec.Resolver
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

// Check reports an AllowedOrigins or Hosts entry that cannot be read, so
// that main can say which flag is wrong before NewHandler is called.
func (cfg Config) Check() error {
	_, err := origin.NewPolicy(cfg.Hosts, cfg.Loopback, cfg.AllowedOrigins)
	return err
}

// NewHandler builds the server from cfg: every route is in routes.go. It
// panics on a Config that Check refuses.
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
	if cfg.HeavyJobs <= 0 {
		cfg.HeavyJobs = heavyLimit(cfg.MaxRuns)
	}
	if cfg.QueueWait <= 0 {
		cfg.QueueWait = admission.DefaultMaxWait
	}
	if cfg.CPUBudget <= 0 {
		cfg.CPUBudget = cost.DefaultBudget
	}
	if cfg.MemoryBudget <= 0 {
		cfg.MemoryBudget = DefaultMemoryBudget
	}
	origins, err := origin.NewPolicy(cfg.Hosts, cfg.Loopback, cfg.AllowedOrigins)
	if err != nil {
		panic("api: " + err.Error())
	}
	h := &Handler{
		cfg: cfg,
		log: cfg.Logger,
		runs: admission.New(admission.Config{Name: "run slot", Slots: cfg.MaxRuns,
			PerClient: cfg.RunsPerClient, MaxWait: cfg.QueueWait}),
		heavy: admission.New(admission.Config{Name: "many-run job slot", Slots: cfg.HeavyJobs,
			PerClient: cfg.HeavyPerClient, MaxWait: cfg.QueueWait}),
		memory:    bytebudget.New(cfg.MemoryBudget, 0),
		ids:       peer.NewIdentifier(cfg.TrustedProxies),
		origins:   origins,
		csp:       contentSecurityPolicy(cfg.FrameAncestors),
		timing:    timing{writeWait, pongWait, pingPeriod},
		perClient: make(map[string]int),
		sessions:  make(map[*session]struct{}),
	}
	h.resolver = runspec.NewResolver()
	h.resolver.Admit = h.admitCritical
	h.quit, h.quitNow = context.WithCancel(context.Background())
	h.halt, h.haltNow = context.WithCancel(context.Background())
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

// haltMargin is how long before the shutdown deadline REST computations
// still running are stopped, leaving time to write their 503 answers.
const haltMargin = 3 * time.Second

// Shutdown refuses new work (503), ends every wait for a slot with 503,
// closes the websockets with 1001 (going away) and waits until their
// sessions have ended or ctx is done, when it closes the rest at once.
// REST computations still running haltMargin before ctx's deadline are
// stopped and answered 503. Call it alongside http.Server.Shutdown.
func (h *Handler) Shutdown(ctx context.Context) error {
	h.quitNow()
	if deadline, ok := ctx.Deadline(); ok {
		// Not stopped when Shutdown returns: REST requests drain on
		// http.Server.Shutdown's clock, after the websockets have gone.
		time.AfterFunc(time.Until(deadline)-haltMargin, h.haltNow)
	}
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
