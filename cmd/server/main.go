// Command server serves Basin: the page, the REST API and the websocket.
package main

import (
	"context"
	"errors"
	"flag"
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
	addr := flag.String("addr", envOr("BASIN_ADDR", "127.0.0.1:8080"), "listen address (env BASIN_ADDR)")
	origins := flag.String("origins", "", "comma-separated extra origins allowed to open websockets, e.g. https://example.org")
	frame := flag.String("frame-ancestors", "", "CSP frame-ancestors sources, e.g. \"'self'\"; empty lets any page embed Basin")
	maxRuns := flag.Int("max-runs", api.DefaultMaxRuns, "runs computing at once on the whole server")
	maxConns := flag.Int("max-conns", api.DefaultMaxConns, "open websockets on the whole server")
	perClient := flag.Int("max-conns-per-client", api.DefaultMaxConnsPerClient, "open websockets per client address")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var allowed []string
	if *origins != "" {
		allowed = strings.Split(*origins, ",")
	}
	h := api.NewHandler(api.Config{Logger: log, Web: web.Files, AllowedOrigins: allowed, FrameAncestors: *frame,
		MaxRuns: *maxRuns, MaxConns: *maxConns, MaxConnsPerClient: *perClient})
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Error("listen", "addr", *addr, "err", err)
		os.Exit(1)
	}
	log.Info("Basin is running: open this URL in a browser", "url", "http://"+browsable(ln.Addr().String()))
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("serve", "err", err)
			stop()
		}
	}()
	<-ctx.Done()
	log.Info("shutting down", "within", shutdownWait)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
	defer cancel()
	go h.Shutdown(sctx) // websockets close with 1001 while requests drain
	if err := errors.Join(srv.Shutdown(sctx), h.Shutdown(sctx)); err != nil {
		log.Warn("shutdown cut short", "err", err)
	}
}

// browsable turns a listen address into one a browser can open: the
// unspecified address becomes localhost.
func browsable(addr string) string {
	host, port, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
