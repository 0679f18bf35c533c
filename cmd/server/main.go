// Command server serves Basin: the page, the REST API and the websocket.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/basin-dev/basin/internal/api"
	"github.com/basin-dev/basin/internal/version"
	"github.com/basin-dev/basin/web"
)

// shutdownWait bounds the graceful shutdown: requests finish and websockets
// close with 1001 within it, then the rest are cut.
const shutdownWait = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, nil)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		os.Exit(1)
	}
}

// run serves until ctx ends, then shuts down gracefully; -version and
// -healthcheck answer and return instead. ready, if not nil, receives the
// listening address (for tests).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, logTo io.Writer, ready chan<- string) error {
	c, err := parseConfig(args, getenv, logTo)
	if err != nil {
		if !errors.As(err, new(reportedError)) {
			fmt.Fprintln(logTo, "server:", err)
		}
		return err
	}
	switch {
	case c.version:
		v := version.Get()
		fmt.Fprintf(stdout, "basin %s %s", v, v.Go)
		if v.Time != "" {
			fmt.Fprintf(stdout, " %s", v.Time)
		}
		fmt.Fprintln(stdout)
		return nil
	case c.healthcheck:
		if err := healthcheck(ctx, c.addr, c.api.Prefix); err != nil {
			fmt.Fprintln(logTo, "unhealthy:", err)
			return err
		}
		return nil
	}
	log := c.logger(logTo)
	c.api.Logger, c.api.Web = log, web.Files
	h := api.NewHandler(c.api)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		IdleTimeout: idleTimeout, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		log.Error("listen", "addr", c.addr, "err", err)
		return err
	}
	ln = c.limits.listen(ln, c.api.TrustedProxies)
	log.Info("Basin is running: open this URL in a browser", "url", "http://"+browsable(ln.Addr())+c.api.Prefix+"/",
		"version", version.Get().String())
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
