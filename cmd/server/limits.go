package main

import (
	"flag"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/basin-dev/basin/internal/admission"
	"github.com/basin-dev/basin/internal/api"
	"github.com/basin-dev/basin/internal/connlimit"
	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/origin"
	"github.com/basin-dev/basin/internal/peer"
)

// Connection caps of the listener, the defaults of -max-http-conns and
// -max-http-conns-per-client. Every websocket is also an HTTP connection,
// so the overall cap leaves room above api.DefaultMaxConns for REST; a
// connection costs its goroutine and buffers (about 10 KB idle), so the
// cap bounds that memory to well under 100 MB.
const (
	DefaultMaxHTTPConns          = 6000
	DefaultMaxHTTPConnsPerClient = 320
)

// limits are the flags of fair sharing, budgets, client identity and
// host names, read into api.Config and the listener's caps.
type limits struct {
	trusted, hosts             string
	httpConns, httpConnsPerCli int
}

// addLimitFlags registers the flags on fs, writing into cfg.
func addLimitFlags(fs *flag.FlagSet, cfg *api.Config) *limits {
	l := &limits{}
	fs.StringVar(&l.trusted, "trusted-proxies", "", "comma-separated CIDR prefixes of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed")
	fs.StringVar(&l.hosts, "hosts", "", "comma-separated host names the server answers to (DNS rebinding protection); bound to loopback, localhost and loopback addresses always are")
	fs.IntVar(&cfg.RunsPerClient, "runs-per-client", 0, "run slots one client holds at once (0: half of -max-runs)")
	fs.IntVar(&cfg.HeavyJobs, "heavy-jobs", 0, "sweeps and basin maps computing at once (0: a quarter of -max-runs, at least 1)")
	fs.IntVar(&cfg.HeavyPerClient, "heavy-per-client", 0, "sweeps and basin maps one client computes at once (0: half of -heavy-jobs)")
	fs.DurationVar(&cfg.QueueWait, "queue-wait", admission.DefaultMaxWait, "longest wait for a slot before a request is refused with 429")
	fs.DurationVar(&cfg.CPUBudget, "cpu-budget", cost.DefaultBudget, "estimated CPU one job may take; more is refused with 400")
	fs.Int64Var(&cfg.MemoryBudget, "memory-budget", api.DefaultMemoryBudget, "bytes of request bodies and unwritten answers held at once (a client holds at most half)")
	fs.IntVar(&l.httpConns, "max-http-conns", DefaultMaxHTTPConns, "open HTTP connections (websockets included) on the whole server")
	fs.IntVar(&l.httpConnsPerCli, "max-http-conns-per-client", DefaultMaxHTTPConnsPerClient, "open HTTP connections per client address (trusted proxies exempt)")
	return l
}

// apply checks the flags and completes cfg for a server listening on addr.
func (l *limits) apply(cfg *api.Config, addr string) error {
	trusted, err := peer.ParseTrusted(l.trusted)
	if err != nil {
		return fmt.Errorf("-trusted-proxies (%s): %v", envName("trusted-proxies"), err)
	}
	cfg.TrustedProxies = trusted
	if l.hosts != "" {
		cfg.Hosts = strings.Split(l.hosts, ",")
	}
	cfg.Loopback = origin.IsLoopbackListen(addr)
	for _, lim := range []struct {
		name string
		v    int64
	}{
		{"max-http-conns", int64(l.httpConns)}, {"max-http-conns-per-client", int64(l.httpConnsPerCli)},
		{"runs-per-client", int64(cfg.RunsPerClient) + 1}, {"heavy-jobs", int64(cfg.HeavyJobs) + 1},
		{"heavy-per-client", int64(cfg.HeavyPerClient) + 1}, {"memory-budget", cfg.MemoryBudget},
		{"queue-wait", int64(cfg.QueueWait)}, {"cpu-budget", int64(cfg.CPUBudget)},
	} {
		if lim.v < 1 {
			return fmt.Errorf("-%s (%s) must be positive", lim.name, envName(lim.name))
		}
	}
	if err := cfg.Check(); err != nil {
		return fmt.Errorf("-hosts or -origins: %v", err)
	}
	return nil
}

// listen wraps ln in the connection caps; trusted proxies carry many
// clients and count only towards the overall cap.
func (l *limits) listen(ln net.Listener, trusted []netip.Prefix) net.Listener {
	return connlimit.Wrap(ln, l.httpConns, l.httpConnsPerCli, func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	})
}

// Timeouts of the HTTP server. There is no overall write timeout: it would
// also cut computing, which the CPU budget bounds; every write of an answer
// has its own deadline (api's writeWait, 10 s) instead.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 120 * time.Second
)
