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
	addr := flag.String("addr", "127.0.0.1:8080", "listen address (environment BASIN_ADDR)")
	origins := flag.String("origins", "", "comma-separated extra origins whose pages may open websockets")
	frame := flag.String("frame-ancestors", "", "CSP frame-ancestors sources; empty lets any page embed Basin")
	var cfg api.Config
	flag.IntVar(&cfg.MaxRuns, "max-runs", api.DefaultMaxRuns, "runs computing at once on the whole server")
	flag.IntVar(&cfg.MaxConns, "max-conns", api.DefaultMaxConns, "open websockets on the whole server")
	flag.IntVar(&cfg.MaxConnsPerClient, "max-conns-per-client", api.DefaultMaxConnsPerClient, "open websockets per client address")
	if v := os.Getenv("BASIN_ADDR"); v != "" {
		*addr = v // before Parse, so that -addr still wins
	}
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg.Logger, cfg.Web, cfg.FrameAncestors = log, web.Files, *frame
	if *origins != "" {
		cfg.AllowedOrigins = strings.Split(*origins, ",")
	}
	h := api.NewHandler(cfg)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Error("listen", "addr", *addr, "err", err)
		os.Exit(1)
	}
	log.Info("Basin is running: open this URL in a browser", "url", "http://"+browsable(ln.Addr()))
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
	wsDone := make(chan error, 1)
	go func() { wsDone <- h.Shutdown(sctx) }() // websockets close with 1001 while requests drain
	if err := errors.Join(srv.Shutdown(sctx), <-wsDone); err != nil {
		log.Warn("shutdown cut short", "err", err)
	}
}

// browsable is the URL host of the listener; the unspecified address
// (":8080", "0.0.0.0") becomes localhost, which a browser can open.
func browsable(a net.Addr) string {
	host, port, _ := net.SplitHostPort(a.String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
