package api

import (
	"bufio"
	"log/slog"
	"net"
	"net/http"
	"strconv"
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

// statusWriter records the status for the request log and bounds every
// write of an answer by writeWait: answers stream as they are encoded, so
// the deadline is per write, not per answer, and a client that stops
// reading is dropped within writeWait while computing is never cut short
// by it. It passes Hijack through so websockets upgrade behind it; a
// websocket's writer sets its own deadlines.
type statusWriter struct {
	http.ResponseWriter
	status    int
	bytes     int
	writeWait time.Duration
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.extend()
	w.ResponseWriter.WriteHeader(code)
}

// extend gives the connection writeWait from now for its next write, so
// that an answer of headers only (a 304), which the server flushes after
// the handler returns, is bounded too (net/http clears the deadline after
// each request).
func (w *statusWriter) extend() {
	if w.writeWait > 0 {
		// Not every ResponseWriter has deadlines (a test's recorder); the
		// server's do.
		http.NewResponseController(w.ResponseWriter).SetWriteDeadline(time.Now().Add(w.writeWait))
	}
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.extend()
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
		sw := &statusWriter{ResponseWriter: w, writeWait: h.timing.writeWait}
		sw.extend()
		next.ServeHTTP(sw, r)
		if sw.status != http.StatusSwitchingProtocols {
			sw.extend() // for what the server flushes after the handler
		}
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

// admitRequests names the request's client (for fair shares and caps),
// refuses a Host the server does not answer to (DNS rebinding, when bound
// to loopback or given Hosts), and answers 503 once shutdown has begun.
func (h *Handler) admitRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case h.quit.Err() != nil:
			w.Header().Set("Connection", "close")
			h.fail(w, r, errShuttingDown)
			return
		case !h.origins.HostAllowed(r.Host):
			h.fail(w, r, statusError(http.StatusForbidden, "this server does not answer to the host name "+strconv.Quote(r.Host)))
			return
		}
		next.ServeHTTP(w, r.WithContext(withClient(r.Context(), h.clientID(r))))
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
