// Command server serves Basin: the page, the REST API and the websocket.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/basin-dev/basin/internal/api"
	"github.com/basin-dev/basin/web"
)

// shutdownWait bounds the graceful shutdown: requests finish and websockets
// close with 1001 within it, then the rest are cut.
const shutdownWait = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv("BASIN_ADDR"), os.Stderr, nil); err != nil {
		os.Exit(1)
	}
}

// run serves until ctx ends, then shuts down gracefully. ready, if not nil,
// receives the listening address (for tests).
func run(ctx context.Context, args []string, envAddr string, logTo io.Writer, ready chan<- string) error {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (environment BASIN_ADDR)")
	origins := fs.String("origins", "", "comma-separated extra origins whose pages may open websockets")
	frame := fs.String("frame-ancestors", "", "CSP frame-ancestors sources; empty lets any page embed Basin")
	var cfg api.Config
	fs.IntVar(&cfg.MaxRuns, "max-runs", api.DefaultMaxRuns, "trajectories computing at once on the whole server")
	fs.IntVar(&cfg.MaxConns, "max-conns", api.DefaultMaxConns, "open websockets on the whole server")
	fs.IntVar(&cfg.MaxConnsPerClient, "max-conns-per-client", api.DefaultMaxConnsPerClient, "open websockets per client address")
	lim := addLimitFlags(fs, &cfg)
	if envAddr != "" {
		*addr = envAddr // before Parse, so that -addr still wins
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(logTo, nil))
	cfg.Logger, cfg.Web, cfg.FrameAncestors = log, web.Files, *frame
	if *origins != "" {
		cfg.AllowedOrigins = strings.Split(*origins, ",")
	}
	if err := lim.apply(&cfg, *addr); err != nil {
		log.Error("flags", "err", err)
		return err
	}
	h := api.NewHandler(cfg)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		IdleTimeout: idleTimeout, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Error("listen", "addr", *addr, "err", err)
		return err
	}
	ln = lim.listen(ln, cfg.TrustedProxies)
	log.Info("Basin is running: open this URL in a browser", "url", "http://"+browsable(ln.Addr()))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		log.Error("serve", "err", err)
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "within", shutdownWait)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownWait-closeMargin)
	defer cancel()
	wsDone := make(chan error, 1)
	go func() { wsDone <- h.Shutdown(sctx) }() // websockets close with 1001 while requests drain
	if err := errors.Join(srv.Shutdown(sctx), <-wsDone); err != nil {
		// Requests not answered by now have had their 503 (api halts
		// computing before the deadline); what is left are answers still
		// being written to slow readers, cut as documented. That is a
		// clean shutdown.
		srv.Close()
		log.Warn("shutdown cut the answers still being written", "err", err)
	}
	return nil
}

// closeMargin is kept from shutdownWait for closing what is left.
const closeMargin = 250 * time.Millisecond

// browsable is the URL host of the listener; the unspecified address
// (":8080", "0.0.0.0") becomes localhost, which a browser can open.
func browsable(a net.Addr) string {
	host, port, _ := net.SplitHostPort(a.String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
