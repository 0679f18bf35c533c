package api

import "time"

// Limits of what one request may ask for. They bound the work and the memory
// a single client can cause; docs/API.md lists them.
const (
	// StepsLimit bounds a run's step budget: 10,000 steps of 16 optimizers
	// are 3.8 MB of points, more than a plot can show.
	StepsLimit = 10_000
	// OptimizersLimit bounds the optimizers of one run: every registered
	// optimizer and named preset fits, with room for compare mode.
	OptimizersLimit = 16
	// CoordLimit bounds |x| and |y| of a start point and a domain; the
	// engine calls a run diverged beyond |x|+|y| > 1e6 anyway.
	CoordLimit = 1e6
	// ExprBytesLimit bounds a custom expression's length.
	ExprBytesLimit = 2000
	// SeedLimit is the largest seed, 2^53-1, so that JavaScript clients
	// hold every seed exactly.
	SeedLimit = 1<<53 - 1
	// BodyBytesLimit bounds a POST body and a websocket message.
	BodyBytesLimit = 64 << 10
	// GridSideDefault is the landscape grid side when nx or ny is omitted.
	GridSideDefault = 256
)

// Defaults for fields a spec omits. The page (web/js/state.js DEFAULTS)
// fills a link that leaves them out with the same values, so such a link
// means the same run on the page and in the API.
const (
	// DefaultSteps is the step budget of a spec without "steps".
	DefaultSteps = 500
	// DefaultSeed is the gradient-noise seed of a spec without "seed"; a
	// fixed seed makes a noisy run the same on every reload of its link.
	DefaultSeed = 1
)

// DefaultExprDomain is the domain of a custom expression given without one.
var DefaultExprDomain = [4]float64{-5, 5, -5, 5}

// DefaultExprLR is the shared learning rate of a custom expression when the
// spec gives none.
const DefaultExprLR = 0.01

// Server-wide limits, the defaults of the Config fields of the same meaning.
const (
	// DefaultMaxRuns bounds the trajectories computing at once on the whole
	// server (REST and websocket); more wait their turn. They are
	// CPU-bound, so more than a few per core only adds latency. A
	// trajectory holds its slot only while computing, not while its points
	// are encoded and sent.
	DefaultMaxRuns = 16
	// DefaultMaxConns bounds open websockets; beyond it the upgrade is
	// refused with 503 and Retry-After. An idle connection costs about
	// 27 KiB (docs/BENCHMARKS.md).
	DefaultMaxConns = 4096
	// DefaultMaxConnsPerClient bounds open websockets from one client
	// address; beyond it the upgrade is refused with 429. A classroom
	// behind one NAT address (forty students, a few tabs each) must fit,
	// while one client still cannot take the server's share.
	DefaultMaxConnsPerClient = 256
)

// Websocket timing and sizes, after gorilla/websocket's chat example.
const (
	// writeWait bounds one write; a client that cannot take a frame in this
	// time is too slow and is disconnected.
	writeWait = 10 * time.Second
	// pongWait is how long the reader waits for any frame (a pong at the
	// latest) before giving up on the client.
	pongWait = 60 * time.Second
	// pingPeriod sends pings often enough that a live client's pong always
	// arrives within pongWait.
	pingPeriod = pongWait * 9 / 10
	// handshakeTimeout bounds the websocket upgrade.
	handshakeTimeout = 10 * time.Second
	// sendQueueLen bounds the messages waiting for the writer. A run
	// producing faster than the client reads blocks on the full queue (it
	// holds no run slot then, see execute); a client that cannot take a
	// frame within writeWait is disconnected. A session so holds at most
	// sendQueueLen batches and flushBytes more (about 450 KB binary,
	// 800 KB JSON).
	sendQueueLen = 8
	// pointsBatch is the number of points per streamed batch: large enough
	// that framing costs little, small enough that the first frame of a
	// long run arrives at once.
	pointsBatch = 1024
	// flushBytes is how many bytes of encoded batches a run collects
	// before queueing them for the writer (all of a typical run's).
	flushBytes = 256 << 10
	// retryAfter is the Retry-After, in seconds, of a refused upgrade.
	retryAfter = "5"
)
