package api

import (
	"bufio"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// contentSecurityPolicy is the CSP of every response: everything from our
// own origin only (which in current browsers also covers same-origin
// websockets), data: images for canvas exports, no plugins, no <base>.
// frameAncestors, when set, restricts which pages may embed Basin.
func contentSecurityPolicy(frameAncestors string) string {
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
		"img-src 'self' data:; object-src 'none'; base-uri 'none'"
	if frameAncestors != "" {
		csp += "; frame-ancestors " + frameAncestors
	}
	return csp
}

// securityHeaders sets the security headers on every response, errors and
// websocket refusals included.
func (h *Handler) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", h.csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		next.ServeHTTP(w, r)
	})
}

// statusWriter records the status for the request log. It passes Hijack
// through so websockets upgrade behind it.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.status = http.StatusSwitchingProtocols
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one structured log line per request and, with
// metrics on, counts it; both see the status through statusWriter, which
// never holds a body back.
func (h *Handler) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		took := time.Since(start)
		if h.metrics != nil {
			h.metrics.observe(r, sw.status, took)
		}
		h.log.LogAttrs(r.Context(), levelFor(sw.status), "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
			slog.Duration("duration", took), slog.String("remote", r.RemoteAddr))
	})
}

// recoverPanics turns a panic in a handler into a 500 and a log line
// instead of a dropped connection.
func (h *Handler) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				h.log.Error("panic", "path", r.URL.Path, "panic", v)
				writeError(w, errInternal)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
