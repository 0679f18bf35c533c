package api

import (
	"time"

	"github.com/basin-dev/basin/internal/runspec"
)

// Limits of what one request may ask for beyond its run spec (whose limits
// are runspec's). They bound the work and the memory a single client can
// cause; docs/API.md lists them.
const (
	// BodyBytesLimit bounds a POST body and a websocket message, except a
	// training request's (TrainBytesLimit).
	BodyBytesLimit = 64 << 10
	// TrainBytesLimit bounds a training request's body and websocket
	// message: 4 MiB, room for 10,000 rows of given data.
	TrainBytesLimit = runspec.TrainBytesLimit
	// GridSideDefault is the landscape grid side when nx or ny is omitted.
	GridSideDefault = 256
)

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
	// holds no run slot then, see runSlot); a client that cannot take a
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
