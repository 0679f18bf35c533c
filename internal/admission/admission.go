// Package admission shares a fixed number of slots (runs computing at once,
// many-run jobs computing at once) fairly between clients. No client holds
// more than its share of the slots; work that must wait is served
// round-robin between the clients waiting, not first come first served, so
// one client's flood of requests delays another client's request by at
// most one turn; and work that waits longer than the pool's limit is
// refused as busy rather than left to pile up.
package admission

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Defaults of Config's zero fields.
const (
	// DefaultMaxWait is how long work may wait for a slot before it is
	// refused as busy. Long enough to ride out a burst (a slot frees in
	// at most the CPU budget of one job), short enough that a client
	// retries instead of holding a connection open indefinitely.
	DefaultMaxWait = 10 * time.Second
	// DefaultRetryAfter is what a busy refusal tells the client to wait.
	DefaultRetryAfter = 5 * time.Second
)

// Config describes a pool. Zero fields mean their documented defaults.
type Config struct {
	// Name says what the slots are for, in busy messages ("run slots").
	Name string
	// Slots is the number of slots; at least 1.
	Slots int
	// PerClient bounds the slots one client holds at once; zero means
	// half the slots, rounded up, so a lone client still gets work done
	// on a one-slot pool and two clients can always make progress.
	PerClient int
	// MaxWait bounds a wait for a slot (DefaultMaxWait).
	MaxWait time.Duration
	// RetryAfter is the advice of a busy refusal (DefaultRetryAfter).
	RetryAfter time.Duration
}

// ShareOf is the default per-client cap of a pool of n slots: half,
// rounded up.
func ShareOf(n int) int { return max(1, (n+1)/2) }

// BusyError refuses work that waited MaxWait without getting a slot. The
// API answers it with 429 and Retry-After.
type BusyError struct {
	// Pool names the slots waited for.
	Pool string
	// Waited is how long the work waited.
	Waited time.Duration
	// RetryAfter is how long the client should wait before trying again.
	RetryAfter time.Duration
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("the server is busy: no %s free within %s; try again in %s", e.Pool, e.Waited, e.RetryAfter)
}

// IsBusy reports whether err is, or wraps, a BusyError.
func IsBusy(err error) bool { return errors.As(err, new(*BusyError)) }

// Pool is a set of slots shared fairly between clients, safe for
// concurrent use.
type Pool struct {
	cfg Config

	mu      sync.Mutex
	free    int
	clients map[string]*client
	ring    []string // clients with waiting work, in turn order
	next    int      // ring index served next
}

// client is one client's state in a pool.
type client struct {
	held  int
	queue []*waiter // oldest first
}

// waiter is one piece of work waiting for a slot; ready closes when it is
// granted one.
type waiter struct {
	ready   chan struct{}
	granted bool
}

// New builds a pool from cfg.
func New(cfg Config) *Pool {
	cfg.Slots = max(1, cfg.Slots)
	if cfg.PerClient <= 0 {
		cfg.PerClient = ShareOf(cfg.Slots)
	}
	cfg.PerClient = min(cfg.PerClient, cfg.Slots)
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	if cfg.RetryAfter <= 0 {
		cfg.RetryAfter = DefaultRetryAfter
	}
	if cfg.Name == "" {
		cfg.Name = "slots"
	}
	return &Pool{cfg: cfg, free: cfg.Slots, clients: make(map[string]*client)}
}

// Config returns the pool's configuration with defaults filled in.
func (p *Pool) Config() Config { return p.cfg }

// Acquire takes a slot for client, waiting its turn while the pool is full
// or the client holds its share. It returns a release function, to be
// called exactly once (later calls do nothing), or ctx's error when ctx
// ends first, or a *BusyError after MaxWait.
func (p *Pool) Acquire(ctx context.Context, clientID string) (release func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.mu.Lock()
	c := p.clients[clientID]
	if c == nil {
		c = &client{}
		p.clients[clientID] = c
	}
	if p.free > 0 && c.held < p.cfg.PerClient && len(c.queue) == 0 {
		p.free--
		c.held++
		p.mu.Unlock()
		return p.releaser(clientID), nil
	}
	w := &waiter{ready: make(chan struct{})}
	if len(c.queue) == 0 {
		p.ring = append(p.ring, clientID)
	}
	c.queue = append(c.queue, w)
	p.mu.Unlock()

	start := time.Now()
	timer := time.NewTimer(p.cfg.MaxWait)
	defer timer.Stop()
	select {
	case <-w.ready:
		return p.releaser(clientID), nil
	case <-ctx.Done():
		err = ctx.Err()
	case <-timer.C:
		err = &BusyError{Pool: p.cfg.Name, Waited: time.Since(start).Round(time.Millisecond), RetryAfter: p.cfg.RetryAfter}
	}
	p.mu.Lock()
	if w.granted { // granted while giving up: hand the slot on
		p.mu.Unlock()
		p.releaser(clientID)()
		return nil, err
	}
	p.dequeue(clientID, w)
	p.mu.Unlock()
	return nil, err
}

// releaser returns the function that gives one of client's slots back.
func (p *Pool) releaser(clientID string) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			c := p.clients[clientID]
			c.held--
			p.free++
			p.forget(clientID, c)
			p.dispatch()
		})
	}
}

// dispatch grants free slots to waiting work, one client at a time in ring
// order, skipping clients at their share. Called with mu held; afterwards
// no waiting work could take a free slot.
func (p *Pool) dispatch() {
	for p.free > 0 && len(p.ring) > 0 {
		granted := false
		for range len(p.ring) {
			if p.next >= len(p.ring) {
				p.next = 0
			}
			id := p.ring[p.next]
			c := p.clients[id]
			if c.held >= p.cfg.PerClient {
				p.next++
				continue
			}
			w := c.queue[0]
			c.queue[0] = nil
			c.queue = c.queue[1:]
			w.granted = true
			close(w.ready)
			c.held++
			p.free--
			granted = true
			if len(c.queue) == 0 {
				p.ring = append(p.ring[:p.next], p.ring[p.next+1:]...) // next now names the following client
			} else {
				p.next++
			}
			break
		}
		if !granted {
			return
		}
	}
}

// dequeue removes w, which gave up waiting, from client's queue. Called
// with mu held.
func (p *Pool) dequeue(clientID string, w *waiter) {
	c := p.clients[clientID]
	for i, q := range c.queue {
		if q == w {
			c.queue = append(c.queue[:i], c.queue[i+1:]...)
			break
		}
	}
	if len(c.queue) == 0 {
		for i, id := range p.ring {
			if id == clientID {
				p.ring = append(p.ring[:i], p.ring[i+1:]...)
				if i < p.next {
					p.next--
				}
				break
			}
		}
	}
	p.forget(clientID, c)
	// The work behind w may now be next in line, and a client's queue only
	// waits while that client is at its share or the pool is full.
	p.dispatch()
}

// forget drops a client that holds nothing and waits for nothing, so the
// map does not grow with every address ever seen.
func (p *Pool) forget(clientID string, c *client) {
	if c.held == 0 && len(c.queue) == 0 {
		delete(p.clients, clientID)
	}
}

// Stats is a snapshot of a pool, for metrics and tests.
type Stats struct {
	Free    int
	Held    map[string]int
	Waiting map[string]int
}

// Stats returns the pool's current state.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := Stats{Free: p.free, Held: map[string]int{}, Waiting: map[string]int{}}
	for id, c := range p.clients {
		if c.held > 0 {
			s.Held[id] = c.held
		}
		if len(c.queue) > 0 {
			s.Waiting[id] = len(c.queue)
		}
	}
	return s
}
