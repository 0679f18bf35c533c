package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
)

// errInternal is what a client sees of a failure that is not its fault;
// the detail goes to the log.
var errInternal = errors.New("internal error")

// writeError answers with the error object and the status err asks for,
// with Retry-After on a refusal the client may retry (429, 503).
func writeError(w http.ResponseWriter, err error) {
	if ra := retryAfterFor(status(err)); ra != "" {
		w.Header().Set("Retry-After", ra)
	}
	b := []byte{'{'}
	b = appendErrorJSON(b, err)
	b = append(b, "}\n"...)
	writeBody(w, status(err), "application/json", b)
}

// fail answers err, logging it when it is the server's fault.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if status(err) >= 500 {
		h.log.Error("request failed", "path", r.URL.Path, "err", err)
	}
	writeError(w, err)
}

// writeBody writes a complete, already encoded body.
func writeBody(w http.ResponseWriter, code int, contentType string, b []byte) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(code)
	w.Write(b)
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}
